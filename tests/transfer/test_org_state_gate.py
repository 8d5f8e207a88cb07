"""A pending, rejected or suspended organisation cannot publish achievements or demands, send intents or publish an
acceptance list (API and page); each denial is a 403 that writes nothing."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.transfer.conftest import DEMAND
from tests.transfer.test_api import _api_achievement
from xietong.core.acting import NOT_VERIFIED_MESSAGE
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Membership
from xietong.transfer import services
from xietong.transfer.enums import ListingKind
from xietong.transfer.models import AcceptanceList, Achievement, Demand, Intent

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Achievement, Demand, Intent, AcceptanceList, AuditEvent))


@pytest.fixture(params=[OrgStatus.PENDING, OrgStatus.REJECTED, OrgStatus.SUSPENDED])
def held(request, world):
    org = OrganisationFactory(name="河北待审核新材料有限公司", region_id="130102", status=request.param)
    return {"org": org, "user": member(Role.ORG_ADMIN, organisation=org)}


@pytest.fixture
def demand(world):
    return services.listing_publish(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, raw=DEMAND)


def test_publish_achievement_by_api_is_refused(held):
    before = _counts()
    response = client_for(held["user"]).post(
        "/api/v1/transfer/achievements", _api_achievement(), content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["message"] == NOT_VERIFIED_MESSAGE
    assert _counts() == before


def test_publish_demand_by_page_is_refused(held):
    before = _counts()
    response = client_for(held["user"]).post(
        "/transfer/demands/new/", {**DEMAND, "transfer_modes": ["license"]}
    )
    assert response.status_code == 403 and NOT_VERIFIED_MESSAGE in response.content.decode()
    assert _counts() == before


def test_intent_is_refused_by_api_and_page(held, demand):
    client = client_for(held["user"])
    before = _counts()
    api = client.post(
        f"/api/v1/transfer/demands/{demand.pk}/intents",
        {"message": "我们有方案"},
        content_type="application/json",
    )
    page = client.post(f"/transfer/demands/{demand.pk}/intent/", {"message": "我们有方案"})
    assert (api.status_code, page.status_code) == (403, 403)
    assert _counts() == before


def test_intent_cannot_name_an_unverified_organisation_of_a_verified_member(world, demand):
    # given a user in a verified university and in a pending enterprise
    user = world["bj_user"]
    pending = OrganisationFactory(region_id="110108", status=OrgStatus.PENDING)
    Membership.objects.create(user=user, role=Role.ORG_MEMBER, organisation=pending)
    before = _counts()
    # when it sends the intent in the pending enterprise's name
    response = client_for(user).post(
        f"/api/v1/transfer/demands/{demand.pk}/intents",
        {"message": "我们有方案", "from_org_id": pending.pk},
        content_type="application/json",
    )
    # then it is refused; in the university's name it goes through
    assert response.status_code == 403
    assert _counts() == before
    ok = client_for(user).post(
        f"/api/v1/transfer/demands/{demand.pk}/intents",
        {"message": "我们有方案", "from_org_id": world["bj_uni"].pk},
        content_type="application/json",
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(("status", "expected"), [(OrgStatus.PENDING, 403), (OrgStatus.APPROVED, 201)])
def test_only_a_verified_park_publishes_an_acceptance_list(world, status, expected):
    park = OrganisationFactory(kind=OrgKind.PARK, region_id="330402", status=status)
    user = member(Role.ORG_ADMIN, organisation=park)
    response = client_for(user).post(
        "/api/v1/transfer/acceptance-lists",
        {"title": "嘉兴南湖承接清单", "publisher_id": park.pk, "industries": ["new_energy"]},
        content_type="application/json",
    )
    assert response.status_code == expected, response.json()
    assert AcceptanceList.objects.count() == (1 if expected == 201 else 0)
