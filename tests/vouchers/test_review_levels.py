"""Review in levels (区县初审 → 市复审): an application moves level by level, each level's bureau sees and may
decide only what waits at its level, a rejection at any level ends it with the reason, 核定金额 is set at the
issuer's step, and every step is recorded and audited. Programmes without levels keep the one-step review."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.vouchers import factories as vf
from xietong.core import todos
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.vouchers import services
from xietong.vouchers.enums import ApplicationStatus
from xietong.vouchers.models import Application, ApplicationReview, Grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def levelled(world):
    """嘉兴's programme reviewed first by the applicant's district (南湖区), then by the city."""
    return vf.programme(actor=world.a("jx_bureau"), review_levels="county")


@pytest.fixture
def nanhu():
    return member(Role.REGION_BUREAU, region_id="330402")  # 南湖区: the firm's district


@pytest.fixture
def xiuzhou():
    return member(Role.REGION_BUREAU, region_id="330411")  # 秀洲区: another district of 嘉兴


def _submit(world, programme, fen=1_000_000):
    return services.application_submit(
        actor=world.a("firm_user"), programme_id=programme.pk, enterprise_id=world.firm.pk, amount_fen=fen,
        purpose="检测服务",
    )  # fmt: skip


def _waiting(user) -> int:
    return dict((s.key, n) for s, n in todos.counts(actor(user))).get("vouchers.applications", 0)


def test_an_application_moves_level_by_level_and_each_level_sees_only_its_own(
    world, levelled, nanhu, xiuzhou
):
    app = _submit(world, levelled)
    assert app.review_region_id == "330402"
    # at the district: only 南湖区 has it to do; the city and 秀洲区 have nothing
    assert (_waiting(nanhu), _waiting(world.jx_bureau), _waiting(xiuzhou)) == (1, 0, 0)
    with pytest.raises(Forbidden):
        services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=True)
    with pytest.raises(Invalid):  # 核定金额 belongs to the issuer's step
        services.application_review(
            actor=actor(nanhu), application_id=app.pk, approve=True, amount_fen=500_000
        )
    assert not ApplicationReview.objects.exists()
    services.application_review(actor=actor(nanhu), application_id=app.pk, approve=True, note="材料齐全")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.review_region_id is None
    assert (_waiting(nanhu), _waiting(world.jx_bureau)) == (0, 1)
    with pytest.raises(Forbidden):  # the district's step is done
        services.application_review(actor=actor(nanhu), application_id=app.pk, approve=True)
    services.application_review(
        actor=world.a("jx_bureau"),
        application_id=app.pk,
        approve=True,
        amount_fen=800_000,
        note="核定 8000 元",
    )
    app.refresh_from_db()
    assert (
        app.status == ApplicationStatus.APPROVED and Grant.objects.get(application=app).amount_fen == 800_000
    )
    steps = list(app.reviews.values_list("level", "step_word", "approved", "amount_fen"))
    assert steps == [("南湖区初审", "初审", True, None), ("嘉兴市复审", "复审", True, 800_000)]
    verbs = list(
        AuditEvent.objects.filter(target_id=str(app.pk), verb__startswith="voucher.appl")
        .values_list("verb", flat=True)
        .order_by("id")
    )
    assert verbs == ["voucher.applied", "voucher.application_passed_level", "voucher.application_approved"]


def test_a_rejection_at_the_district_ends_it_with_the_reason(world, levelled, nanhu):
    app = _submit(world, levelled)
    with pytest.raises(Invalid):
        services.application_review(actor=actor(nanhu), application_id=app.pk, approve=False)
    services.application_review(
        actor=actor(nanhu), application_id=app.pk, approve=False, note="未在本区实际经营"
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REJECTED and app.review_note == "未在本区实际经营"
    assert _waiting(world.jx_bureau) == 0 and not Grant.objects.exists()
    with pytest.raises(Conflict):
        services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=True)
    # the enterprise reads the reason on its page
    body = client_for(world.firm_user).get(f"/vouchers/applications/{app.pk}/").content.decode()
    assert "未在本区实际经营" in body and "南湖区" in body


def test_three_levels_for_a_province_and_a_firm_at_city_level_skips_the_district(world):
    zj = member(Role.REGION_BUREAU, region_id="330000")
    programme = vf.programme(
        actor=actor(zj), name="浙江省科技创新券", issuer_region="330000", review_levels="county,prefecture"
    )
    nanhu, city = (
        member(Role.REGION_BUREAU, region_id="330402"),
        member(Role.REGION_BUREAU, region_id="330400"),
    )
    app = _submit(world, programme)
    for who, word in ((nanhu, "初审"), (city, "复审")):
        assert (
            services.application_review(actor=actor(who), application_id=app.pk, approve=True).status
            == "submitted"
        )
        assert app.reviews.order_by("-id").first().step_word == word
    services.application_review(actor=actor(zj), application_id=app.pk, approve=True)
    assert list(app.reviews.values_list("level", flat=True)) == ["南湖区初审", "嘉兴市复审", "浙江省终审"]
    # a firm registered at the city itself has no district: its application starts at the city
    city_firm = OrganisationFactory(name="嘉兴市属科技有限公司", region_id="330400")
    city_user = member(Role.ORG_ADMIN, organisation=city_firm)
    started = services.application_submit(
        actor=actor(city_user), programme_id=programme.pk, enterprise_id=city_firm.pk, amount_fen=100_000,
        purpose="检测服务",
    )  # fmt: skip
    assert started.review_region_id == "330400"


def test_levels_must_lie_below_the_issuer(world):
    for levels in ("prefecture", "county,prefecture", "province", "city"):
        with pytest.raises(Invalid):
            vf.programme(actor=world.a("jx_bureau"), review_levels=levels)
    response = client_for(world.jx_bureau).post(
        "/api/v1/vouchers/programmes",
        {**_programme_body(), "review_levels": "prefecture"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "低于发券地区" in response.json()["message"]


def _programme_body() -> dict:
    return {
        "name": "嘉兴市科技创新券（API）", "code": "jx-api-levels", "mode": "tongdui", "issuer_region": "330400",
        "year": 2026, "budget_fen": 10_000_000, "applications_open_on": "2026-01-01",
        "applications_close_on": "2026-12-31", "per_application_cap_fen": 1_000_000,
        "per_firm_year_cap_fen": 2_000_000, "subsidy_ratio_bp": 5000, "provider_scope": "own_region",
        "use_deadline": "2027-03-31", "redemption_deadline": "2027-06-30",
    }  # fmt: skip


def test_the_pages_show_each_level_its_form(world, levelled, nanhu):
    app = _submit(world, levelled)
    district = client_for(nanhu).get(f"/vouchers/applications/{app.pk}/?from=todos").content.decode()
    assert (
        'id="decision-form"' in district
        and 'id="lower-level-hint"' in district
        and 'id="amount"' not in district
    )
    city = client_for(world.jx_bureau).get(f"/vouchers/applications/{app.pk}/").content.decode()
    assert 'id="decision-form"' not in city and "南湖区" in city  # waits at the district
    response = client_for(nanhu).post(
        f"/vouchers/applications/{app.pk}/decide/", {"decision": "approve", "note": "同意", "next": "todos"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/todos/"
    city = client_for(world.jx_bureau).get(f"/vouchers/applications/{app.pk}/").content.decode()
    assert 'id="decision-form"' in city and 'id="amount"' in city and "南湖区" in city
    # the API reports where it waits and the steps taken
    detail = client_for(world.firm_user).get(f"/api/v1/vouchers/applications/{app.pk}").json()
    assert detail["waiting_at"] == "嘉兴市复审" and [s["level"] for s in detail["steps"]] == ["南湖区初审"]


def test_api_review_at_the_district(world, levelled, nanhu):
    app = _submit(world, levelled)
    client = client_for(nanhu)
    url = f"/api/v1/vouchers/applications/{app.pk}/review"
    refused = client.post(url, {"approve": True, "amount_fen": 100}, content_type="application/json")
    assert refused.status_code == 400
    ok = client.post(url, {"approve": True, "note": "同意"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    assert client.post(url, {"approve": True}, content_type="application/json").status_code == 403


def test_programmes_without_levels_keep_the_one_step_review(world, tongdui, nanhu):
    app = _submit(world, tongdui)
    assert app.review_region_id is None and _waiting(nanhu) == 0 and _waiting(world.jx_bureau) == 1
    services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=True)
    assert Application.objects.get(pk=app.pk).reviews.get().level == "嘉兴市审核"
