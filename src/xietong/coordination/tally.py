"""The dashboard's counters (`TaskTally`, `TaskMonthTally`) against a direct count over the tasks.

The counters are kept by triggers on the task table (migration 0003), so they move with every write in the
same transaction. `direct` counts the tasks themselves (what the counters must equal), `differences` names any
counter that does not, and `rebuild` recomputes them from the tasks (for a database restored without its
triggers, say: `xietong coordination-tally --rebuild`; without the flag it only compares).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from xietong.coordination.enums import TaskStatus
from xietong.coordination.models import Task, TaskMonthTally, TaskTally


def _tasks(body_ids: Iterable[int] | None):
    qs = Task.objects.order_by()  # tenancy-ok: platform-wide counts for the consistency check, no rows leave
    return qs.filter(body_id__in=list(body_ids)) if body_ids is not None else qs


def direct(body_ids: Iterable[int] | None = None) -> tuple[dict, dict]:
    """({(body, unit, light, status): n}, {(body, first of month): (due, done)}) counted from the tasks."""
    body_ids = list(body_ids) if body_ids is not None else None
    qs = _tasks(body_ids)
    lights = {
        (b, u, li, s): n
        for b, u, li, s, n in qs.values_list("body_id", "lead_unit_id", "light", "status").annotate(
            n=Count("pk")
        )
    }
    months: dict[tuple, list[int]] = {}
    for body, day, n in qs.values_list("body_id", "deadline").annotate(n=Count("pk")):
        months.setdefault((body, day.replace(day=1)), [0, 0])[0] += n
    done = qs.filter(status=TaskStatus.COMPLETED, completed_on__isnull=False)
    for body, day, n in done.values_list("body_id", "completed_on").annotate(n=Count("pk")):
        months.setdefault((body, day.replace(day=1)), [0, 0])[1] += n
    return lights, {key: tuple(v) for key, v in months.items()}


def stored(body_ids: Iterable[int] | None = None) -> tuple[dict, dict]:
    """The counters as `direct` shapes them (zero rows left out)."""
    body_ids = list(body_ids) if body_ids is not None else None
    lights_qs, months_qs = (
        TaskTally.objects.exclude(n=0),
        TaskMonthTally.objects.exclude(due=0, done=0),
    )  # tenancy-ok: platform-wide counts for the consistency check, no rows leave
    if body_ids is not None:
        lights_qs, months_qs = lights_qs.filter(body_id__in=body_ids), months_qs.filter(body_id__in=body_ids)
    lights = {
        (b, u, li, s): n
        for b, u, li, s, n in lights_qs.values_list("body_id", "lead_unit_id", "light", "status", "n")
    }
    months = {
        (b, m): (due, done) for b, m, due, done in months_qs.values_list("body_id", "month", "due", "done")
    }
    return lights, months


def differences(body_ids: Iterable[int] | None = None) -> list[str]:
    """Every counter that differs from the direct count ("" when all agree); each line names what and both values."""
    body_ids = list(body_ids) if body_ids is not None else None
    want, have = direct(body_ids), stored(body_ids)
    out = []
    for label, w, h in (("lights", want[0], have[0]), ("months", want[1], have[1])):
        for key in sorted(set(w) | set(h), key=str):
            if w.get(key) != h.get(key):
                out.append(f"{label} {key}: counted {w.get(key)}, stored {h.get(key)}")
    return out


@transaction.atomic
def rebuild() -> int:
    """Recompute every counter from the tasks; returns how many counter rows there are now."""
    TaskTally.objects.all().delete()  # tenancy-ok: rebuild of the platform-wide counters (operator command)
    TaskMonthTally.objects.all().delete()  # tenancy-ok: rebuild of the platform-wide counters (operator command)
    lights, months = direct()
    TaskTally.objects.bulk_create(  # tenancy-ok: rebuild of the platform-wide counters (operator command)
        [
            TaskTally(body_id=b, lead_unit_id=u, light=li, status=s, n=n)
            for (b, u, li, s), n in lights.items()
        ],
        batch_size=2000,
    )
    TaskMonthTally.objects.bulk_create(  # tenancy-ok: rebuild of the platform-wide counters (operator command)
        [TaskMonthTally(body_id=b, month=m, due=due, done=done) for (b, m), (due, done) in months.items()],
        batch_size=2000,
    )
    return len(lights) + len(months)
