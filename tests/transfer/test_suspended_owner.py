"""A suspended organisation's listings leave the marketplace (and come back when it is reinstated); while
suspended it may withdraw them but not edit them or answer intents; every refusal writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import client_for
from tests.factories import actor, member
from tests.transfer.conftest import ACHIEVEMENT
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs import services as org_services
from xietong.transfer import services
from xietong.transfer.enums import IntentStatus, ListingKind, ListingStatus
from xietong.transfer.models import Achievement, Intent

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    """The 北京 university's achievement, an intent from the 河北 enterprise, then the 北京 bureau suspends it."""
    achievement = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    intent = services.intent_express(
        actor=actor(world["hb_user"]),
        kind=ListingKind.ACHIEVEMENT,
        listing_id=achievement.pk,
        message="希望洽谈许可",
    )
    bureau = member(Role.REGION_BUREAU, region_id="110000")
    org_services.organisation_suspend(
        actor=actor(bureau), org_id=world["bj_uni"].pk, suspend=True, note="材料造假"
    )
    return {"achievement": achievement, "intent": intent, "bureau": bureau}


def _state(listed) -> tuple:
    a = Achievement.objects.get(pk=listed["achievement"].pk)
    return a.title, a.status, Intent.objects.get(pk=listed["intent"].pk).status, AuditEvent.objects.count()


def test_its_listings_leave_the_marketplace_and_return_on_reinstatement(world, listed):
    pk = listed["achievement"].pk
    for client in (Client(), client_for(world["hb_user"])):
        assert client.get(f"/api/v1/transfer/achievements/{pk}").status_code == 404
    # its own people and its bureau still read it
    assert client_for(world["bj_user"]).get(f"/api/v1/transfer/achievements/{pk}").status_code == 200
    assert client_for(listed["bureau"]).get(f"/api/v1/transfer/achievements/{pk}").status_code == 200
    org_services.organisation_suspend(actor=actor(listed["bureau"]), org_id=world["bj_uni"].pk, suspend=False)
    assert Client().get(f"/api/v1/transfer/achievements/{pk}").status_code == 200


def test_editing_and_answering_are_refused_and_write_nothing(world, listed):
    client = client_for(world["bj_user"])
    before = _state(listed)
    edit = client.patch(
        f"/api/v1/transfer/achievements/{listed['achievement'].pk}",
        {"title": "改名后的成果"},
        content_type="application/json",
    )
    assert edit.status_code == 403
    answer = client.post(
        f"/api/v1/transfer/intents/{listed['intent'].pk}/answer",
        {"accept": True},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert _state(listed) == before


def test_withdrawing_is_still_allowed(world, listed):
    services.listing_withdraw(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, pk=listed["achievement"].pk
    )
    assert Achievement.objects.get(pk=listed["achievement"].pk).status == ListingStatus.WITHDRAWN
    assert Intent.objects.get(pk=listed["intent"].pk).status == IntentStatus.PENDING
