"""Operator screens load for a platform admin; regions stay read-only; a zone edit is audited."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from xietong.core.models import AuditEvent
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin(admin_user):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    return admin_user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/regions/region/",
        "/admin/regions/region/?q=kunshan",
        "/admin/regions/region/320583/change/",
        "/admin/regions/zone/",
        "/admin/regions/zone/add/",
    ],
)
def test_admin_pages_load(staff_admin, url):
    assert client_for(staff_admin).get(url).status_code == 200


def test_regions_cannot_be_added_or_deleted_in_admin(staff_admin):
    client = client_for(staff_admin)
    assert client.get("/admin/regions/region/add/").status_code == 403
    assert client.get("/admin/regions/region/320583/delete/").status_code == 403


def test_a_zone_saved_in_admin_is_audited(staff_admin):
    zone = Zone.objects.get(code="jiakuntai")
    url = f"/admin/regions/zone/{zone.pk}/change/"
    members = list(zone.memberships.order_by("region_id"))
    data = {
        "code": zone.code, "name": zone.name, "short_name": zone.short_name, "kind": zone.kind,
        "description": zone.description, "source": zone.source, "color": zone.color,
        "memberships-TOTAL_FORMS": str(len(members) + 1), "memberships-INITIAL_FORMS": str(len(members)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-3-zone": str(zone.pk), "memberships-3-region": "320509",
    }  # fmt: skip
    for i, m in enumerate(members):
        data |= {
            f"memberships-{i}-id": str(m.pk),
            f"memberships-{i}-zone": str(zone.pk),
            f"memberships-{i}-region": m.region_id,
        }
    response = client_for(staff_admin).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert zone.memberships.count() == 4
    assert AuditEvent.objects.get(verb="zone.changed_in_admin").data == {"added": ["320509"], "removed": []}
