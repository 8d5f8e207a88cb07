"""The talent pages in English (the language cookie): each shows its labels, choice labels and messages in
English and not the Chinese source text. People's, organisations' and schemes' names stay as they were typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.utils import translation

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.talent import services

pytestmark = pytest.mark.django_db


def english(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world(frozen_clock):
    home = OrganisationFactory(name="四川测试大学", region_id="510100")
    host = OrganisationFactory(name="重庆测试研究院", region_id="500000")
    person = factories.profile(home, name="李青", title_rank="vice_senior")
    person.tier = "B"
    person.save(update_fields=["tier"])
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    services.card_issue(actor=SYSTEM, profile_id=person.pk, scheme_id=scheme.pk, tier_code="B")
    services.appointment_offer(
        actor=SYSTEM, profile_id=person.pk, host_org_id=host.pk, role="首席顾问",
        start_on=date(2026, 7, 1), end_on=date(2027, 6, 30), time_share=20,
    )  # fmt: skip
    return {"person": person, "scheme": scheme, "bureau": member(Role.REGION_BUREAU, region_id="510000"),
            "host_admin": member(Role.ORG_ADMIN, organisation=host),
            "home_admin": member(Role.ORG_ADMIN, organisation=home)}  # fmt: skip


def _page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    body = answer.content.decode()
    assert '<html lang="en"' in body
    return body


def test_profiles_list_in_english(world):
    body = _page(english(world["bureau"]), "/talent/")
    assert "Talent profiles" in body and "Senior (associate)" in body and "Tier B: leading talent" in body
    assert "人才档案" not in body and "副高级" not in body and "B类 领军人才" not in body
    assert "李青" in body  # a name is data


def test_profile_detail_in_english_with_the_card_link(world):
    body = _page(english(world["bureau"]), f"/talent/profiles/{world['person'].pk}/")
    assert (
        "Issue a card" in body and "Admit to the expert library" in body and "Tier B: leading talent" in body
    )
    assert "发卡" not in body and "纳入专家库" not in body and "专家入库" not in body
    assert "天府英才卡 · B 卡" in body


def test_card_form_in_english(world):
    body = _page(english(world["bureau"]), f"/talent/profiles/{world['person'].pk}/cards/new/")
    assert "Scheme and tier" in body and "Valid until (optional)" in body
    assert "制度与等级" not in body and "有效期至（选填）" not in body


def test_a_card_issued_in_english_says_so_in_english(world):
    client = english(world["bureau"])
    other = factories.profile(OrganisationFactory(region_id="510100"), name="王川")
    answer = client.post(
        f"/talent/profiles/{other.pk}/cards/new/", {"tier": f"{world['scheme'].pk}:C"}, follow=True
    )
    body = answer.content.decode()
    assert "Issued 王川 the 天府英才卡 (C 卡)" in body and "已向" not in body


def test_recognition_in_english_answers_the_question_in_english(world):
    body = _page(english(None), f"/talent/recognition/?scheme={world['scheme'].pk}&tier=B&region=500000")
    assert "Which services a holder of 天府英才卡 B 卡 gets in 重庆市?" in body
    assert "(Talent card, 四川省)" in body and "Tiers: " in body and "(versions: 1)" in body
    assert "可享受哪些服务" not in body and "人才卡" not in body


def test_appointments_in_english_show_the_status_in_english(world):
    body = _page(english(world["host_admin"]), "/talent/appointments/")
    assert (
        "Awaiting the home organisation&#x27;s consent" in body
        or "Awaiting the home organisation's consent" in body
    )
    assert "待原单位同意" not in body and "跨区域兼职与柔性聘用" not in body


def test_round_form_in_english_lists_the_modes_in_english(world):
    body = _page(english(world["bureau"]), "/talent/rounds/new/")
    assert "Random draw" in body and "Optimised for fairness" in body
    assert "随机抽取" not in body and "公平优先优化" not in body


def test_import_page_in_english(world):
    body = _page(english(world["bureau"]), "/talent/import/experts/")
    assert "Admit to the expert library" in body and "纳入专家库" not in body


def test_only_the_home_organisation_is_offered_the_consent_buttons(world):
    """The buttons are shown to who may answer (the home organisation), not to the host or the bureau."""
    assert 'name="consent"' in _page(english(world["home_admin"]), "/talent/appointments/")
    for who in ("host_admin", "bureau"):
        body = _page(english(world[who]), "/talent/appointments/")
        assert "李青" in body and 'name="consent"' not in body


def test_expert_search_explains_its_matches_in_english(world):
    factories.expert(name="赵工", expertise="氢燃料电池 双极板", keywords=("氢燃料电池",))
    body = _page(english(world["bureau"]), "/talent/experts/?q=氢燃料电池")
    assert "赵工" in body and "Keyword matches: 氢燃料电池" in body and "Affinity " in body
    assert "关键词匹配" not in body and "匹配度" not in body


def test_the_explanation_reads_as_the_engines_own_in_chinese(world):
    """In Chinese the rebuilt line is the engine's render_zh(), so the API and stored reasons stay as they were."""
    from xietong.talent import present, search, selectors

    factories.expert(name="赵工", expertise="氢燃料电池 双极板", keywords=("氢燃料电池",))
    [hit] = search.ranked(selectors.expert_index(), "氢燃料电池", k=1)
    with translation.override("zh-hans"):
        assert present.explanation(hit.explanation) == hit.explanation.render_zh() != ""
    with translation.override("en"):
        assert present.explanation(hit.explanation) == "Keyword matches: 氢燃料电池; Text matches: 氢燃料电池"


def test_a_row_error_names_its_column_for_the_reader_and_by_its_workbook_header():
    from xietong.talent.validation import Cleaner

    # given a row missing its name and with an over-long title, checked in English and in Chinese
    def problems():
        row = Cleaner({"name": "", "position": "长" * 61})
        row.text("name", "姓名", 40, required=True)
        row.text("position", "职务", 60)
        return row.errors

    with translation.override("en"):
        english = problems()
    with translation.override("zh-hans"):
        chinese = problems()
    # then English names the column in English with the Chinese header to find it in the file
    assert "Name (姓名)" in english["name"] and "请填写" not in english["name"]
    assert "(职务)" in english["position"]
    # and Chinese is as before
    assert chinese == {"name": "请填写姓名", "position": "职务不能超过 60 个字"}


def test_cards_appointments_and_seats_are_named_without_ids():
    from xietong.orgs.models import Organisation
    from xietong.talent.models import (
        Appointment,
        CardHolding,
        ExpertEntry,
        ReviewItem,
        ReviewSeat,
        SchemeTier,
        TalentProfile,
    )

    person = TalentProfile(pk=918273, name="李青")
    assert str(CardHolding(profile=person, tier=SchemeTier(pk=827364, name="B 卡"))) == "李青 · B 卡"
    host = Organisation(pk=736455, name="重庆测试研究院")
    assert (
        str(Appointment(profile=person, host_org=host, role="首席顾问")) == "李青 @ 重庆测试研究院: 首席顾问"
    )
    seat = ReviewSeat(
        item=ReviewItem(pk=645546, title="氢燃料电池电堆关键材料"), expert=ExpertEntry(profile=person)
    )
    assert str(seat) == "氢燃料电池电堆关键材料 · 李青"
