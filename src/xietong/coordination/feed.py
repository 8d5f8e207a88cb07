"""A unit's iCalendar feed: the deadlines and milestones of its tasks and the meetings of its bodies."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from xietong.coordination import selectors
from xietong.coordination.enums import OPEN_STATUSES
from xietong.coordination.models import Unit
from xietong.core import clock
from xietong.core.actor import Actor

DOMAIN = "xietong.coordination"


def _all_day(uid: str, summary: str, day, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", clock.now())
    if description:
        event.add("description", description)
    return event


def unit_calendar(*, actor: Actor, unit: Unit) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Xietong//协同督办//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{unit.name} · 督办日历")
    for task in selectors.unit_feed_tasks(actor=actor, unit=unit):
        state = "（已完成）" if task.status not in OPEN_STATUSES else ""
        cal.add_component(
            _all_day(
                f"task-{task.pk}",
                f"督办时限：{task.title}{state}",
                task.deadline,
                f"议事机构：{task.body.name}",
            )
        )
        for milestone in task.milestones.all():  # tenancy-ok: prefetched by unit_feed_tasks for this unit
            cal.add_component(
                _all_day(
                    f"milestone-{milestone.pk}", f"节点：{milestone.title}（{task.title}）", milestone.due_on
                )
            )
    for meeting in selectors.unit_feed_meetings(actor=actor, unit=unit):
        cal.add_component(
            _all_day(f"meeting-{meeting.pk}", f"会议：{meeting.title}", meeting.held_on, meeting.location)
        )
    return cal.to_ical()
