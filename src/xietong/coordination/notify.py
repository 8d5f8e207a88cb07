"""What coordination tells people, through the platform's one notification service (`core.notifications`).

Each notice has a key that makes it once-only per task and threshold: assigned once per task, due soon and
overdue once per task and deadline (a moved deadline warns again), accepted once per report, the digest once
per unit and ISO week; the service drops a repeat however often the periodic job runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xietong.coordination import selectors
from xietong.coordination.models import ProgressReport, Task
from xietong.core import notifications
from xietong.core.actor import SYSTEM
from xietong.core.wording import Wording

EVENTS = {
    "coordination.assigned": _("督办事项：新交办"),
    "coordination.due_soon": _("督办事项：临近完成时限"),
    "coordination.overdue": _("督办事项：已逾期"),
    "coordination.accepted": _("督办事项：进展已验收"),
    "coordination.digest": _("督办事项：每周汇总"),
}


class _Recipients:
    """Users of each unit, looked up once per run (all units at once with `preload`)."""

    def __init__(self) -> None:
        self._cache: dict[int, list] = {}

    def preload(self, unit_ids: Iterable[int]) -> None:
        missing = [u for u in set(unit_ids) if u not in self._cache]
        if missing:
            found = selectors.unit_recipients_many(actor=SYSTEM, unit_ids=missing)
            self._cache.update({u: found.get(u, []) for u in missing})

    def of(self, unit_ids: Iterable[int]) -> list:
        unit_ids = list(unit_ids)
        self.preload(unit_ids)
        users: dict[int, object] = {}
        for unit_id in unit_ids:
            for user in self._cache[unit_id]:
                users[user.pk] = user
        return list(users.values())


def _send(recipients: list, *, event: str, key: str, subject: str, body: str = "", url: str = "") -> int:
    if not recipients:
        return 0
    return notifications.notify(recipients, event=event, key=key, subject=subject, body=body, url=url)


def _url(task_id: int) -> str:
    return reverse("coordination:task", args=[task_id])


def _url_maker():
    """A task's URL without resolving it each time (tens of thousands per run): reverse once, fill the id."""
    sample = 987654321
    pattern = reverse("coordination:task", args=[sample])
    head, tail = pattern.split(str(sample))
    return lambda task_id: f"{head}{task_id}{tail}"


def assigned(task: Task) -> int:
    units = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
    return _send(
        _Recipients().of(units), event="coordination.assigned", key=f"task:{task.pk}",
        subject=Wording(gettext_noop("新交办督办事项：%(title)s"), {"title": task.title}),
        body=Wording(gettext_noop("牵头单位：%(unit)s；完成时限：%(deadline)s。"),
                     {"unit": task.lead_unit.name, "deadline": f"{task.deadline:%Y-%m-%d}"}),
        url=_url(task.pk),
    )  # fmt: skip


def accepted(task: Task, report: ProgressReport) -> int:
    return _send(
        _Recipients().of([report.unit_id]), event="coordination.accepted", key=f"report:{report.pk}",
        subject=Wording(gettext_noop("进展已验收：%(title)s"), {"title": task.title}),
        body=Wording(gettext_noop("验收进度 %(percent)s%%。"), {"percent": report.percent}), url=_url(task.pk),
    )  # fmt: skip


def deadlines(rows: list[dict], *, today: date, recipients: _Recipients | None = None) -> int:
    """Due-soon and overdue notices for re-lit tasks (rows from the periodic job), through the bulk path."""
    recipients = recipients or _Recipients()
    units = selectors.task_units(actor=SYSTEM)
    recipients.preload({u for unit_ids in units.values() for u in unit_ids})
    url_of = _url_maker()
    notices = []
    for row in rows:
        key = f"task:{row['pk']}:{row['deadline']:%Y%m%d}"
        if row["event"] == "coordination.overdue":
            subject = Wording(gettext_noop("督办事项已逾期：%(title)s"), {"title": row["title"]})
        else:
            subject = Wording(
                gettext_noop("督办事项临近完成时限（%(deadline)s）：%(title)s"),
                {"deadline": f"{row['deadline']:%Y-%m-%d}", "title": row["title"]},
            )
        url = url_of(row["pk"])
        notices += [
            notifications.Notice(user=u, event=row["event"], key=key, subject=subject, url=url)
            for u in recipients.of(units.get(row["pk"], []))
        ]
    return notifications.notify_many(notices)


def digests(summary: dict[int, dict[str, int]], *, today: date, recipients: _Recipients | None = None) -> int:
    """One weekly digest per unit with open tasks: counts by light (bulk, like the deadline notices)."""
    recipients = recipients or _Recipients()
    year, week, _ = today.isocalendar()
    url = reverse("coordination:mine")
    recipients.preload(summary)
    notices = []
    subject = Wording(
        gettext_noop("督办事项每周汇总（%(year)s 年第 %(week)s 周）"), {"year": year, "week": week}
    )
    for unit_id, counts in summary.items():
        body = Wording(
            gettext_noop("在办事项：红灯 %(red)s 项；黄灯 %(yellow)s 项；绿灯 %(green)s 项。"),
            {colour: counts.get(colour, 0) for colour in ("red", "yellow", "green")},
        )
        notices += [
            notifications.Notice(
                user=u,
                event="coordination.digest",
                key=f"unit:{unit_id}:{year}-W{week:02d}",
                subject=subject,
                body=body,
                url=url,
            )
            for u in recipients.of([unit_id])
        ]
    return notifications.notify_many(notices)


def register_events() -> None:
    """Name each event on the preferences page (called from CoordinationConfig.ready)."""
    for event, label in EVENTS.items():
        notifications.register_event(event, label)
