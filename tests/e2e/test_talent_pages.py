"""Playwright: a 重庆 bureau asks what a 天府英才卡 B holder gets in 重庆; the 四川 bureau runs a review round
with 回避 and sees the assignment with reasons; an expert declines and only that seat changes."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.talent import factories
from tests.transfer.factories import AchievementFactory
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.talent import search
from xietong.talent.enums import SeatStatus
from xietong.talent.models import ReviewRound, ReviewSeat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    search.reset()
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    applicant = OrganisationFactory(name="成都测试氢能科技有限公司", region_id="510107")
    units = [
        OrganisationFactory(name=f"四川测试大学{i}", kind=OrgKind.UNIVERSITY, region_id="510104")
        for i in range(4)
    ]
    experts = [factories.expert(u, name=f"评审专家{'甲乙丙丁'[i]}", expertise="氢燃料电池 质子交换膜 催化剂")
               for i, u in enumerate(units)]  # fmt: skip
    factories.expert(applicant, name="本单位专家", expertise="氢燃料电池 电堆")
    achievement = AchievementFactory(owner=applicant, region_id="510107", title="氢燃料电池电堆低铂催化剂",
                                     summary="低铂催化剂与质子交换膜一体化", keywords=["氢燃料电池", "催化剂"])  # fmt: skip
    users = {
        "cq": member(Role.REGION_BUREAU, region_id="500000", username="e2e_bureau_cq"),
        "sc": member(Role.REGION_BUREAU, region_id="510000", username="e2e_bureau_sc"),
    }
    for i, e in enumerate(experts):
        e.profile.user = member(Role.EXPERT, username=f"e2e_expert{i}")
        e.profile.save()
    return {"scheme": scheme, "achievement": achievement, "experts": experts, **users}


def test_chongqing_bureau_asks_what_a_tianfu_b_card_gets_in_chongqing(live_server, page, shot, data):
    base = live_server.url
    login(page, base, "e2e_bureau_cq", PASSWORD)
    page.goto(f"{base}/talent/recognition/")
    page.select_option("#id_scheme", str(data["scheme"].pk))
    page.fill("#id_tier", "B")
    page.fill("#id_region", "500000")
    page.click("#recognition-form button[type=submit]")
    answer = page.locator("#recognition-answer")
    answer.wait_for()
    text = answer.inner_text()
    assert "持天府英才卡 B 卡在重庆市可享受哪些服务" in text
    assert "子女入学" in text and "第三条第（一）项" in text and "川渝人才服务互认协议（示例）" in text
    shot(page, "talent-recognition-chongqing")


def _open_and_assign(page, base, data) -> int:
    page.goto(f"{base}/talent/rounds/new/")
    page.fill("#id_title", "氢能专项评审（端到端）")
    page.fill("#id_k", "2")
    page.fill("#id_cap", "2")
    page.select_option("#id_mode", "optimal")
    page.check(f"input[name=achievement_ids][value='{data['achievement'].pk}']")
    shot_form = page.locator("#round-new")
    assert shot_form.is_visible()
    page.click("#round-new button[type=submit]")
    page.wait_for_selector("#assign-form")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("tr.seat")
    return ReviewRound.objects.get().pk


def test_bureau_runs_a_round_with_conflicts_and_sees_reasons(live_server, page, shot, data):
    base = live_server.url
    login(page, base, "e2e_bureau_sc", PASSWORD)
    _open_and_assign(page, base, data)
    seats = page.locator("tr.seat")
    assert seats.count() == 2
    assert "通过全部回避规则" in seats.first.inner_text()
    page.locator("details.exclusions summary").click()
    exclusions = page.locator("details.exclusions").inner_text()
    assert "本单位专家：与申报单位为同一法人单位" in exclusions
    shot(page, "talent-round-assigned")


def test_an_expert_declines_and_only_that_seat_changes(live_server, page, shot, data):
    base = live_server.url
    login(page, base, "e2e_bureau_sc", PASSWORD)
    round_id = _open_and_assign(page, base, data)
    before = list(ReviewSeat.objects.order_by("id").values_list("pk", "expert_id"))
    declining = ReviewSeat.objects.select_related("expert__profile__user").order_by("id").first()
    page.context.clear_cookies()
    login(page, base, declining.expert.profile.user.username, PASSWORD)
    page.goto(f"{base}/talent/reviews/")
    page.click("#seat-table button[value=no]")
    page.wait_for_selector(".alert-success")
    shot(page, "talent-expert-declined")
    after = list(ReviewSeat.objects.order_by("id").values_list("pk", "expert_id", "status"))
    assert after[0] == (before[0][0], before[0][1], SeatStatus.DECLINED)
    assert after[1] == (before[1][0], before[1][1], SeatStatus.INVITED)
    assert len(after) == 3 and after[2][1] not in {before[0][1], before[1][1]}
    page.context.clear_cookies()
    login(page, base, "e2e_bureau_sc", PASSWORD)
    page.goto(f"{base}/talent/rounds/{round_id}/")
    assert page.locator("tr.seat").count() == 3
    assert actor_for(data["sc"]).bureau_region_codes
    shot(page, "talent-round-after-decline")
