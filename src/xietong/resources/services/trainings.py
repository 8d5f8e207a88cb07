"""Training sessions on instruments: recorded by the provider, counted as 培训人数 in the open-sharing statistics."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from xietong.core import audit, clock
from xietong.core.actor import Actor
from xietong.core.errors import Invalid
from xietong.resources import selectors
from xietong.resources.models import TrainingSession
from xietong.resources.policies import ResourcePolicy


@transaction.atomic
def training_record(
    *, actor: Actor, resource_id: int, held_on: date, topic: str, attendees: int
) -> TrainingSession:
    """The instrument's owner records a training it held (not in the future, 1–1000 people)."""
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    ResourcePolicy.require(actor, "manage", resource)
    topic = (topic or "").strip()
    if not 2 <= len(topic) <= 100:
        raise Invalid(_("请填写培训内容（2–100 个字符）"), field="topic")
    if not isinstance(held_on, date):
        raise Invalid(_("培训日期格式应为 YYYY-MM-DD"), field="held_on")
    if held_on > clock.today():
        raise Invalid(_("培训日期不能晚于今天"), field="held_on")
    if isinstance(attendees, bool) or not isinstance(attendees, int) or not 1 <= attendees <= 1000:
        raise Invalid(_("培训人数应为 1–1000 的整数"), field="attendees")
    session = TrainingSession.objects.create(
        resource=resource, held_on=held_on, topic=topic, attendees=attendees, recorded_by_id=actor.user_id
    )
    audit.record(
        actor=actor,
        verb="resource.training_recorded",
        target=resource,
        data={"attendees": attendees, "held_on": held_on.isoformat()},
    )
    return session
