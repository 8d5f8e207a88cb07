"""The transfer app's to-dos: an intent waits for the listing owner's answer, not for the sender."""

from __future__ import annotations

import pytest

from tests.factories import actor
from tests.transfer.conftest import ACHIEVEMENT
from xietong.core import todos
from xietong.transfer import services
from xietong.transfer.enums import ListingKind

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {s.key: n for s, n in todos.counts(actor(user))}


def test_intent_waits_for_the_owner_until_answered(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    intent = services.intent_express(
        actor=actor(world["hb_user"]), kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk
    )
    assert _counts(world["bj_user"]).get("transfer.intents") == 1
    assert "transfer.intents" not in _counts(world["hb_user"])
    [section] = [s for s in todos.sections(actor(world["bj_user"])) if s["key"] == "transfer.intents"]
    assert world["hb_ent"].name in section["items"][0].title
    services.intent_answer(actor=actor(world["bj_user"]), pk=intent.pk, accept=False, reply="暂不合作")
    assert "transfer.intents" not in _counts(world["bj_user"])
