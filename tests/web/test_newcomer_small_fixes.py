"""Issue 12, item 12 (pages): the reviewer's missing reason is said in the review form; 批量导入 is not offered to
who would get 403; 以主管部门名义发布 is offered only to a bureau; /favicon.ico is served."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_rejecting_a_registration_without_a_reason_comes_back_to_the_form():
    org = OrganisationFactory(name="嘉兴待审测试有限公司", region_id="330402", status=OrgStatus.PENDING)
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    response = client_for(bureau).post(f"/orgs/{org.pk}/review/", {"decision": "reject", "note": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="review-error"' in html and "驳回时请填写理由" in html and "嘉兴待审测试有限公司" in html
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.PENDING


def test_bulk_import_is_offered_only_to_who_may_use_it():
    lab = OrganisationFactory(name="上海导入测试大学", kind="university", region_id="310104")
    staff, admin = member(Role.ORG_MEMBER, organisation=lab), member(Role.ORG_ADMIN, organisation=lab)
    staff_page = client_for(staff).get("/resources/console/").content.decode()
    assert "/resources/import/" not in staff_page
    assert client_for(staff).get("/resources/import/").status_code == 403
    assert "/resources/import/" in client_for(admin).get("/resources/console/").content.decode()
    assert client_for(admin).get("/resources/import/").status_code == 200


def test_publishing_as_the_bureau_is_offered_only_to_a_bureau():
    park = OrganisationFactory(name="河北测试高新区管委会", kind="park", region_id="130102")
    park_user = member(Role.ORG_ADMIN, organisation=park)
    bureau = member(Role.REGION_BUREAU, region_id="130100")
    assert "以主管部门名义发布" not in client_for(park_user).get("/transfer/acceptance/new/").content.decode()
    assert "以主管部门名义发布" in client_for(bureau).get("/transfer/acceptance/new/").content.decode()


def test_the_favicon_is_served_and_linked():
    response = client_for().get("/favicon.ico")
    assert (response.status_code, response["Content-Type"]) == (200, "image/x-icon")
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in client_for().get("/").content.decode()
