"""A pending, rejected or suspended organisation cannot publish, photograph or book resources (API and page), and
its resources are not publicly listed; every denial is a 403 that writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.resources.factories import ResourceFactory, next_weekday, with_prices
from tests.resources.test_edit_pages import _new_resource_post, png_bytes
from xietong.core.acting import NOT_VERIFIED_MESSAGE
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.resources.models import Resource, ResourcePhoto, ServiceOrder

pytestmark = pytest.mark.django_db
UNVERIFIED = [OrgStatus.PENDING, OrgStatus.REJECTED, OrgStatus.SUSPENDED]


def _counts() -> tuple[int, ...]:
    return (
        Resource.objects.count(),
        ResourcePhoto.objects.count(),
        ServiceOrder.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture(params=UNVERIFIED)
def held(request):
    """An enterprise whose registration is pending (or was rejected), its admin, and a resource it listed
    before the gate existed."""
    org = OrganisationFactory(name="嘉兴待审核智能科技有限公司", region_id="330402", status=request.param)
    resource = ResourceFactory(owner=org, name="待审核机构的三坐标测量机")
    with_prices(resource)
    return {"org": org, "admin": member(Role.ORG_ADMIN, organisation=org), "resource": resource}


def _api_payload(owner_id: int) -> dict:
    return {"owner_id": owner_id, "name": "激光共聚焦显微镜", "kind": "instrument", "category": "0104"}


def test_publish_by_api_is_refused(held):
    # given the admin of an unverified organisation
    before = _counts()
    # when it lists a resource through the API
    response = client_for(held["admin"]).post(
        "/api/v1/resources", _api_payload(held["org"].pk), content_type="application/json"
    )
    # then 403 with the reason, and nothing is written
    assert response.status_code == 403
    assert response.json()["message"] == NOT_VERIFIED_MESSAGE
    assert _counts() == before


def test_publish_by_page_is_refused(held):
    before = _counts()
    form = client_for(held["admin"]).get("/resources/new/")
    assert form.status_code == 403 and NOT_VERIFIED_MESSAGE in form.content.decode()
    response = client_for(held["admin"]).post("/resources/new/", _new_resource_post(held["org"].pk))
    assert response.status_code == 403
    assert NOT_VERIFIED_MESSAGE in response.content.decode()
    assert _counts() == before


def test_photo_upload_is_refused_by_api_and_page(held):
    client, resource = client_for(held["admin"]), held["resource"]
    before = _counts()
    api = client.post(
        f"/api/v1/resources/{resource.pk}/photos",
        {"file": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")},
    )
    page = client.post(
        f"/resources/{resource.pk}/photos/",
        {"action": "upload", "file": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")},
    )
    assert (api.status_code, page.status_code) == (403, 403)
    assert _counts() == before


def test_booking_is_refused_by_api_and_page(held, instrument):
    # given a verified provider's open instrument and the unverified organisation's admin
    client = client_for(held["admin"])
    day = next_weekday(1)
    before = _counts()
    # when it books by API and by page
    api = client.post(
        f"/api/v1/resources/{instrument.pk}/bookings",
        {"starts_at": day.replace(hour=10).isoformat(), "ends_at": day.replace(hour=12).isoformat()},
        content_type="application/json",
    )
    page = client.post(
        f"/resources/{instrument.pk}/book/", {"day": day.date().isoformat(), "start": "10:00", "end": "12:00"}
    )
    # then both are 403 and no order exists
    assert (api.status_code, page.status_code) == (403, 403)
    assert api.json()["message"] == NOT_VERIFIED_MESSAGE
    assert _counts() == before


def test_unverified_owners_resources_are_not_public(held, instrument):
    # given a verified provider's instrument and an unverified organisation's resource
    hidden = held["resource"]
    anonymous, outsider = Client(), client_for(member(Role.ORG_ADMIN, organisation=OrganisationFactory()))
    # then the public catalogue and API list only the verified provider's one
    for client in (anonymous, outsider):
        names = {r["name"] for r in client.get("/api/v1/resources").json()["items"]}
        assert instrument.name in names and hidden.name not in names
        assert client.get(f"/api/v1/resources/{hidden.pk}").status_code == 404
        assert hidden.name not in client.get("/resources/").content.decode()
    # while its own admin still sees it (to fix it up while the review runs)
    assert client_for(held["admin"]).get(f"/api/v1/resources/{hidden.pk}").status_code == 200


def test_a_verified_organisation_still_acts(provider):
    """The gate's counterpart: the same API call by a verified organisation's admin succeeds."""
    response = client_for(provider["admin"]).post(
        "/api/v1/resources", _api_payload(provider["org"].pk), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
