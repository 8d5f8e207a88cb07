"""A verified organisation's rename waits for its bureau: the old name stays public until approved."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    org = OrganisationFactory(name="嘉兴示例智能装备有限公司", region_id="330402")
    return {"org": org, "admin": member(Role.ORG_ADMIN, organisation=org)}


def _rename(client, org, name="清华大学"):
    return client.patch(f"/api/v1/orgs/{org.pk}", {"name": name}, content_type="application/json")


def _events(org, verb):
    return list(AuditEvent.objects.filter(target_id=str(org.pk), verb=verb).values_list("data", flat=True))


def test_rename_by_own_admin_waits_for_review(firm):
    org = firm["org"]
    # when the organisation's admin renames it
    response = _rename(client_for(firm["admin"]), org)
    # then the public still sees the old name; the new one waits in the bureau's queue
    assert response.status_code == 200 and response.json()["name"] == "嘉兴示例智能装备有限公司"
    assert Client().get(f"/api/v1/orgs/{org.pk}").json()["name"] == "嘉兴示例智能装备有限公司"
    assert Organisation.objects.get(pk=org.pk).pending_name == "清华大学"
    assert _events(org, "org.rename_requested") == [{"from": "嘉兴示例智能装备有限公司", "to": "清华大学"}]
    bureau = client_for(member(Role.REGION_BUREAU, region_id="330400"))
    queue = bureau.get("/api/v1/orgs/rename-queue").json()
    assert [(o["id"], o["name"], o["pending_name"]) for o in queue] == [(org.pk, org.name, "清华大学")]
    other_bureau = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    assert other_bureau.get("/api/v1/orgs/rename-queue").json() == []


def test_bureau_rejects_then_approves_a_rename(firm):
    org = firm["org"]
    _rename(client_for(firm["admin"]), org)
    bureau = client_for(member(Role.REGION_BUREAU, region_id="330400"))
    # a rejection needs a reason and keeps the old name
    no_reason = bureau.post(
        f"/api/v1/orgs/{org.pk}/rename-review", {"approve": False}, content_type="application/json"
    )
    assert no_reason.status_code == 400 and Organisation.objects.get(pk=org.pk).pending_name == "清华大学"
    rejected = bureau.post(
        f"/api/v1/orgs/{org.pk}/rename-review",
        {"approve": False, "note": "与营业执照不符"},
        content_type="application/json",
    )
    assert rejected.status_code == 200
    saved = Organisation.objects.get(pk=org.pk)
    assert (saved.name, saved.pending_name) == ("嘉兴示例智能装备有限公司", "")
    # a new request, approved: the new name goes public, both decisions audited
    _rename(client_for(firm["admin"]), org, name="嘉兴示例智能制造有限公司")
    approved = bureau.post(
        f"/api/v1/orgs/{org.pk}/rename-review", {"approve": True}, content_type="application/json"
    )
    assert approved.status_code == 200
    assert Client().get(f"/api/v1/orgs/{org.pk}").json()["name"] == "嘉兴示例智能制造有限公司"
    assert _events(org, "org.rename_rejected") == [
        {"from": "嘉兴示例智能装备有限公司", "to": "清华大学", "note": "与营业执照不符"}
    ]
    assert _events(org, "org.rename_approved") == [
        {"from": "嘉兴示例智能装备有限公司", "to": "嘉兴示例智能制造有限公司", "note": ""}
    ]


def test_only_the_governing_bureau_reviews_a_rename(firm):
    org = firm["org"]
    _rename(client_for(firm["admin"]), org)
    for user in (firm["admin"], member(Role.REGION_BUREAU, region_id="510000")):
        response = client_for(user).post(
            f"/api/v1/orgs/{org.pk}/rename-review", {"approve": True}, content_type="application/json"
        )
        assert response.status_code == 403  # the organisation is public, the review is not theirs
    assert Organisation.objects.get(pk=org.pk).name == "嘉兴示例智能装备有限公司"


def test_pending_registration_and_the_bureau_rename_directly():
    pending = OrganisationFactory(name="嘉兴待审有限公司", region_id="330402", status=OrgStatus.PENDING)
    admin = member(Role.ORG_ADMIN, organisation=pending)
    assert (
        _rename(client_for(admin), pending, name="嘉兴待审科技有限公司").json()["name"]
        == "嘉兴待审科技有限公司"
    )
    approved = OrganisationFactory(name="嘉兴已认证有限公司", region_id="330402")
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    assert (
        _rename(client_for(bureau), approved, name="嘉兴已认证科技有限公司").json()["name"]
        == "嘉兴已认证科技有限公司"
    )
