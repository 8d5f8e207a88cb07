"""This app's entries in the platform's to-do registry (`core.todos`): tasks due and reports to accept."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xietong.coordination import selectors
from xietong.coordination.enums import TaskStatus
from xietong.core import clock, todos
from xietong.core.wording import Wording

DUE_WITHIN_DAYS = 14


def _due(actor):
    return selectors.tasks_due(actor=actor, until=clock.today() + timedelta(days=DUE_WITHIN_DAYS))


def _due_items(actor, limit: int):
    return [
        todos.TodoItem(title=t.title, url=reverse("coordination:task", args=[t.pk]), due=t.deadline,
                       detail=Wording("%(unit)s · %(status)s",
                                      {"unit": t.lead_unit.name, "status": TaskStatus(t.status).label}))
        for t in _due(actor)[:limit]
    ]  # fmt: skip


def _to_accept(actor):
    return selectors.reports_to_accept(actor=actor)


def _accept_items(actor, limit: int):
    return [
        todos.TodoItem(title=Wording(gettext_noop("验收进展：%(title)s"), {"title": r.task.title}),
                       url=reverse("coordination:task", args=[r.task_id]), due=None,
                       detail=Wording(gettext_noop("%(unit)s 报送 %(percent)s%%"),
                                      {"unit": r.unit.name, "percent": r.percent}))
        for r in _to_accept(actor)[:limit]
    ]  # fmt: skip


def register() -> None:
    todos.register(
        todos.TodoSource(
            key="coordination.tasks_due", label=_("督办事项（两周内到期或已逾期）"),
            count=lambda actor: _due(actor).count(), items=_due_items,
        )
    )  # fmt: skip
    todos.register(
        todos.TodoSource(
            key="coordination.reports_to_accept", label=_("待验收的督办进展"),
            count=lambda actor: _to_accept(actor).count(), items=_accept_items,
        )
    )  # fmt: skip
