"""`core.demos.dated`: a demo block run in the past dates its audit events like the records it writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory
from xietong.core import audit, clock, demos
from xietong.core.actor import SYSTEM
from xietong.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event(org, verb: str) -> AuditEvent:
    return audit.record(actor=SYSTEM, verb=verb, target=org, data={})


def test_events_of_a_past_block_carry_its_moment_and_a_nested_block_keeps_its_own():
    org = OrganisationFactory()
    before = _event(org, "demo.before")
    outer, inner = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=12)
    with demos.dated(outer):
        assert clock.now() == outer
        first = _event(org, "demo.outer")
        with demos.dated(inner):
            nested = _event(org, "demo.inner")
    after = _event(org, "demo.after")
    dates = {
        e.verb: e.created_at
        for e in AuditEvent.objects.filter(pk__in=[before.pk, first.pk, nested.pk, after.pk])
    }
    assert dates["demo.outer"] == outer and dates["demo.inner"] == inner
    assert dates["demo.before"] > outer and dates["demo.after"] > outer  # outside the blocks: untouched


def test_a_block_ahead_of_today_is_recorded_today_not_in_the_future():
    org = OrganisationFactory()
    with demos.dated(timezone.now() + timedelta(days=14)):
        event = _event(org, "demo.ahead")
    assert AuditEvent.objects.get(pk=event.pk).created_at <= timezone.now()
