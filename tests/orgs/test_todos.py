"""The orgs app's to-dos: a pending registration waits for the bureau of its region only."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, actor, member
from xietong.core import todos
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {s.key: n for s, n in todos.counts(actor(user))}


def test_pending_registration_waits_for_its_bureau():
    org = OrganisationFactory(name="嘉兴待审企业有限公司", region_id="330402", status=OrgStatus.PENDING)
    jx = member(Role.REGION_BUREAU, region_id="330400")
    sh = member(Role.REGION_BUREAU, region_id="310000")
    assert _counts(jx).get("orgs.registrations") == 1
    assert "orgs.registrations" not in _counts(sh)
    [section] = [s for s in todos.sections(actor(jx)) if s["key"] == "orgs.registrations"]
    assert section["items"][0].title == org.name
    org.status = OrgStatus.APPROVED
    org.save(update_fields=["status"])
    assert "orgs.registrations" not in _counts(jx)
