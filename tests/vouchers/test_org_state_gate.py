"""A pending, rejected or suspended organisation cannot apply for vouchers, redeem them or object (API and page);
objections are limited per account. Every denial writes nothing."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, UserFactory, member
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption
from xietong.core.acting import NOT_VERIFIED_MESSAGE
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.ledger.models import Entry
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation
from xietong.vouchers.models import Application, Objection, Redemption

pytestmark = pytest.mark.django_db
UNVERIFIED = [OrgStatus.PENDING, OrgStatus.REJECTED, OrgStatus.SUSPENDED]


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Application, Redemption, Objection, Entry, AuditEvent))


@pytest.mark.parametrize("status", UNVERIFIED)
def test_apply_is_refused_by_api_and_page(world, tongdui, status):
    # given an otherwise eligible 嘉兴 tech SME whose registration is not approved
    firm = OrganisationFactory(region_id="330402", is_tech_sme=True, status=status)
    client = client_for(member(Role.ORG_ADMIN, organisation=firm))
    before = _counts()
    # when it applies by API and by page
    api = client.post(
        "/api/v1/vouchers/applications",
        {"programme_id": tongdui.pk, "enterprise_id": firm.pk, "amount_fen": 100_000, "purpose": "检测服务"},
        content_type="application/json",
    )
    page = client.post(
        f"/vouchers/programmes/{tongdui.pk}/apply/",
        {"enterprise": firm.pk, "amount": "1000", "purpose": "检测服务"},
    )
    # then both are 403 with the reason, and nothing is written
    assert (api.status_code, page.status_code) == (403, 403)
    assert api.json()["message"] == NOT_VERIFIED_MESSAGE
    assert _counts() == before


@pytest.mark.parametrize("status", UNVERIFIED)
def test_redeem_is_refused_by_api_and_page(world, tongdui, grant, status):
    # given the firm's grant, an order to use it on, and the firm no longer verified
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    Organisation.objects.filter(pk=world.firm.pk).update(status=status)
    client = client_for(world.firm_user)
    before = _counts()
    api = client.post(
        f"/api/v1/vouchers/grants/{grant.pk}/redemptions",
        {"order_id": order.pk, "amount_fen": 100_000, "idempotency_key": "k-1"},
        content_type="application/json",
    )
    page = client.post(
        f"/vouchers/grants/{grant.pk}/use/",
        {"order_id": order.pk, "amount": "1000", "idempotency_key": "k-2"},
    )
    assert (api.status_code, page.status_code) == (403, 403)
    assert _counts() == before


# ---------------------------------------------------------------- objections


@pytest.fixture
def publicised(world, tongdui, grant):
    """Four redemptions of the firm's voucher on the 公示 list."""
    return [approved_redemption(world, grant, key=f"pub-{i}") for i in range(4)]


def _object(client, redemption, text="该服务实际未开展，请核实"):
    return client.post(
        f"/api/v1/vouchers/redemptions/{redemption.pk}/objections",
        {"text": text},
        content_type="application/json",
    )


@pytest.mark.parametrize("status", UNVERIFIED)
def test_unverified_organisations_member_cannot_object(world, publicised, status):
    org = OrganisationFactory(region_id="330411", status=status)
    client = client_for(member(Role.ORG_ADMIN, organisation=org))
    before = _counts()
    api = _object(client, publicised[0])
    page = client.post(
        f"/vouchers/redemptions/{publicised[0].pk}/object/", {"text": "该服务实际未开展，请核实"}
    )
    assert (api.status_code, page.status_code) == (403, 403)
    assert api.json()["message"] == NOT_VERIFIED_MESSAGE
    assert _counts() == before


def test_an_account_without_organisation_cannot_object(world, publicised):
    before = _counts()
    response = _object(client_for(UserFactory()), publicised[0])
    assert response.status_code == 403
    assert _counts() == before


def test_public_offices_may_object(world, publicised):
    assert _object(client_for(world.sh_bureau), publicised[0]).status_code == 201
    assert _object(client_for(world.yrd_office), publicised[1]).status_code == 201


def test_one_open_objection_per_account_and_redemption(world, publicised):
    # given another verified firm's objection, still open
    client = client_for(world.other_firm_user)
    assert _object(client, publicised[0]).status_code == 201
    before = _counts()
    # when it objects to the same redemption again
    again = _object(client, publicised[0], text="再次提出同样的异议内容")
    # then 409, nothing written; a different account may still object
    assert again.status_code == 409 and again.json()["code"] == "objection_open"
    assert "待处理的异议" in again.json()["message"]
    assert _counts() == before
    assert (
        _object(client_for(member(Role.ORG_ADMIN, organisation=world.jx_provider)), publicised[0]).status_code
        == 201
    )


def test_objections_per_account_are_limited_within_a_publicity_period(world, publicised, settings):
    # given the limit of three per account and period
    assert settings.XIETONG_OBJECTIONS_PER_PERIOD == 3
    client = client_for(world.other_firm_user)
    assert [_object(client, r).status_code for r in publicised[:3]] == [201, 201, 201]
    before = _counts()
    # when the same account raises a fourth objection in the period
    fourth = _object(client, publicised[3])
    # then 429 with a Chinese message, nothing written
    assert fourth.status_code == 429 and fourth.json()["code"] == "objection_limit"
    assert "最多提出 3 条异议" in fourth.json()["message"]
    assert _counts() == before
    # and the page says the same
    page = client.post(
        f"/vouchers/redemptions/{publicised[3].pk}/object/", {"text": "该服务实际未开展，请核实"}
    )
    assert page.status_code == 429 and "最多提出 3 条异议" in page.content.decode()
    assert _counts() == before


def test_publicity_page_offers_the_objection_form_only_to_those_who_may_object(world, publicised):
    pending = OrganisationFactory(region_id="330411", status=OrgStatus.PENDING)
    form = f'action="/vouchers/redemptions/{publicised[0].pk}/object/"'
    held_page = client_for(member(Role.ORG_ADMIN, organisation=pending)).get("/vouchers/publicity/")
    verified_page = client_for(world.other_firm_user).get("/vouchers/publicity/")
    assert (held_page.status_code, verified_page.status_code) == (200, 200)
    assert form not in held_page.content.decode()
    assert form in verified_page.content.decode()


@pytest.mark.parametrize("status", [*UNVERIFIED, OrgStatus.APPROVED])
def test_the_programme_page_offers_the_apply_form_only_to_a_verified_organisation(world, tongdui, status):
    # given a 嘉兴 tech SME in each state of review
    firm = OrganisationFactory(region_id="330402", is_tech_sme=True, status=status)
    client = client_for(member(Role.ORG_ADMIN, organisation=firm))
    # when its admin opens the programme
    page = client.get(f"/vouchers/programmes/{tongdui.pk}/").content.decode()
    # then a verified firm gets the form, one under review the reason it has none
    verified = status == OrgStatus.APPROVED
    assert ('id="apply-form"' in page, 'id="apply-awaiting"' in page) == (verified, not verified)


def test_the_programme_page_in_english_names_the_mode_and_tells_a_bureau_it_does_not_apply(world, tongdui):
    client = client_for(world.jx_bureau)
    client.cookies["django_language"] = "en"
    body = client.get(f"/vouchers/programmes/{tongdui.pk}/").content.decode()
    assert "Cross-redeemable</span>" in body and "Only enterprises can apply" in body
    assert "通兑</span>" not in body and "can apply after logging in" not in body
