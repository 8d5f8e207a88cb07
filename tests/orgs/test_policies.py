"""Tenancy matrix for organisations: role × region × action, by API and by page; denials change nothing."""

import pytest

from tests.clients import REFUSAL_CODES, client_for
from tests.factories import OrganisationFactory, member
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def cq_pending():
    return OrganisationFactory(region_id="500103", status=OrgStatus.PENDING, name="重庆待审企业有限公司")


@pytest.fixture
def cq_approved():
    return OrganisationFactory(region_id="500103", status=OrgStatus.APPROVED, name="重庆已认证企业有限公司")


def _users():
    other_org = OrganisationFactory(region_id="310104")
    return {
        "anonymous": None,
        "sc_bureau": member(Role.REGION_BUREAU, region_id="510000"),
        "cq_bureau": member(Role.REGION_BUREAU, region_id="500000"),
        "chengyu_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")),
        "yrd_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        "other_org_admin": member(Role.ORG_ADMIN, organisation=other_org),
        "platform_admin": member(Role.PLATFORM_ADMIN),
    }


# who may read a pending 重庆 registration (API GET status, page GET status)
READ_PENDING = {
    "anonymous": 404,
    "sc_bureau": 404,
    "cq_bureau": 200,
    "chengyu_office": 200,
    "yrd_office": 404,
    "other_org_admin": 404,
    "platform_admin": 200,
}
# who may approve it (API POST status)
REVIEW_PENDING = {
    "anonymous": 401,
    "sc_bureau": 404,
    "cq_bureau": 200,
    "chengyu_office": 403,
    "yrd_office": 404,
    "other_org_admin": 404,
    "platform_admin": 200,
}


@pytest.mark.parametrize("who", list(READ_PENDING))
def test_read_pending_registration(who, cq_pending):
    user = _users()[who]
    client = client_for(user)
    assert client.get(f"/api/v1/orgs/{cq_pending.pk}").status_code == READ_PENDING[who]
    assert client.get(f"/orgs/{cq_pending.pk}/").status_code == READ_PENDING[who]


@pytest.mark.parametrize("who", list(REVIEW_PENDING))
def test_review_pending_registration_by_api(who, cq_pending):
    user = _users()[who]
    response = client_for(user).post(
        f"/api/v1/orgs/{cq_pending.pk}/review", {"approve": True, "note": ""}, content_type="application/json"
    )
    assert response.status_code == REVIEW_PENDING[who]
    status = Organisation.objects.get(pk=cq_pending.pk).status
    if REVIEW_PENDING[who] == 200:
        assert status == OrgStatus.APPROVED
    else:
        assert status == OrgStatus.PENDING
        assert not AuditEvent.objects.filter(target_id=str(cq_pending.pk)).exists()
        assert response.json()["message"]  # a Chinese message, never empty
        assert response.json()["code"] == REFUSAL_CODES[response.status_code]


@pytest.mark.parametrize("who", ["sc_bureau", "chengyu_office", "anonymous"])
def test_review_by_page_is_refused(who, cq_pending):
    user = _users()[who]
    response = client_for(user).post(f"/orgs/{cq_pending.pk}/review/", {"decision": "approve"})
    expected = {"sc_bureau": 404, "chengyu_office": 403, "anonymous": 302}[who]
    assert response.status_code == expected
    assert Organisation.objects.get(pk=cq_pending.pk).status == OrgStatus.PENDING


def test_zone_office_reads_members_records_but_cannot_change_them(cq_approved):
    office = _users()["chengyu_office"]
    client = client_for(office)
    detail = client.get(f"/api/v1/orgs/{cq_approved.pk}").json()
    assert detail["contact"] == {
        "name": "张三",
        "phone": "13812345678",
        "email": "zhang@example.com",
        "masked": False,
    }
    response = client.patch(
        f"/api/v1/orgs/{cq_approved.pk}", {"address": "改"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=cq_approved.pk).address == ""
    assert not AuditEvent.objects.exists()


def test_public_sees_approved_orgs_with_masked_contacts(cq_approved):
    detail = client_for().get(f"/api/v1/orgs/{cq_approved.pk}").json()
    assert detail["contact"] == {
        "name": "张*",
        "phone": "138****5678",
        "email": "z***@example.com",
        "masked": True,
    }


def test_directory_lists_only_visible_orgs(cq_pending, cq_approved):
    users = _users()

    def names(user):
        return {o["name"] for o in client_for(user).get("/api/v1/orgs?page_size=100").json()["items"]}

    assert "重庆待审企业有限公司" not in names(None)
    assert "重庆待审企业有限公司" not in names(users["sc_bureau"])
    assert "重庆待审企业有限公司" in names(users["cq_bureau"])
    assert "重庆已认证企业有限公司" in names(None)


def test_review_queue_holds_only_own_region(cq_pending):
    OrganisationFactory(region_id="510107", status=OrgStatus.PENDING, name="成都待审企业有限公司")
    users = _users()
    sc = {o["name"] for o in client_for(users["sc_bureau"]).get("/api/v1/orgs/review-queue").json()}
    cq = {o["name"] for o in client_for(users["cq_bureau"]).get("/api/v1/orgs/review-queue").json()}
    assert sc == {"成都待审企业有限公司"}
    assert cq == {"重庆待审企业有限公司"}
    assert client_for(users["chengyu_office"]).get("/orgs/review/").status_code == 403
