"""The periodic job: re-measure metric-linked tasks, re-light every task, move overdue ones, and notify.

It reads the open tasks as plain values in one query, measures each distinct metric link once, evaluates the
pure rules and writes only the tasks whose status, light or measured value changed (bulk, in batches). Run it as
often as you like: lights depend only on the day and the data, and notices are once-only (see `notify`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from xietong.coordination import lights, metrics, notify, relight, selectors
from xietong.coordination.enums import OPEN_STATUSES, Light, TaskStatus
from xietong.coordination.models import Task
from xietong.core import clock
from xietong.core.actor import SYSTEM

BATCH = 2000


@dataclass(frozen=True)
class RefreshResult:
    tasks: int
    changed: int
    measured: int
    notices: int


def run(*, today: date | None = None, send: bool = True) -> RefreshResult:
    today = today or clock.today()
    now = clock.now()
    rows = list(selectors.open_tasks_for_refresh(actor=SYSTEM))
    links = {
        (r["metric_key"], r["metric_scope_kind"], r["metric_scope"], r["metric_year"])
        for r in rows
        if r["metric_key"]
    }
    measured = metrics.measure_many(links)
    changed, warn = [], []
    for r in rows:
        value = r["metric_value"]
        if r["metric_key"]:
            value = measured.get(
                (r["metric_key"], r["metric_scope_kind"], r["metric_scope"], r["metric_year"])
            )
        status = relight.status_for(r["status"], deadline=r["deadline"], today=today, progress=r["progress"])
        result = lights.evaluate(
            relight.facts(
                start_on=r["start_on"], deadline=r["deadline"], status=status, progress=r["progress"],
                first_open=r["first_open"], metric_value=value, metric_target=r["metric_target"],
                metric_key=r["metric_key"],
            ),
            today=today,
            thresholds=relight.thresholds(
                due_soon_days=r["body__due_soon_days"], lag_threshold_pct=r["body__lag_threshold_pct"]
            ),
        )  # fmt: skip
        if (status, result.colour, result.reason, value) != (
            r["status"],
            r["light"],
            r["light_reason"],
            r["metric_value"],
        ):
            changed.append((r["pk"], (status, result.colour, result.reason, bool(r["metric_key"]), value)))
        if status == TaskStatus.OVERDUE:
            warn.append({**r, "event": "coordination.overdue"})
        elif status in OPEN_STATUSES and (r["deadline"] - today).days <= r["body__due_soon_days"]:
            warn.append({**r, "event": "coordination.due_soon"})
    _store(changed, now)
    notices = 0
    if send:
        recipients = notify._Recipients()
        notices += notify.deadlines(warn, today=today, recipients=recipients)
        notices += notify.digests(_digest_summary(), today=today, recipients=recipients)
    return RefreshResult(tasks=len(rows), changed=len(changed), measured=len(links), notices=notices)


def _store(changed: list[tuple[int, tuple]], now) -> None:
    """Write the new lights: one UPDATE per distinct outcome and chunk of ids (a handful of outcomes cover
    100,000 tasks), instead of per-row CASE expressions whose cost grows with the square of the batch."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, outcome in changed:
        groups[outcome].append(pk)
    with transaction.atomic():
        for (status, light, reason, is_metric, value), pks in groups.items():
            fields = {"status": status, "light": light, "light_reason": reason}
            if is_metric:
                fields |= {"metric_value": value, "metric_measured_at": now}
            for start in range(0, len(pks), BATCH):
                Task.objects.filter(pk__in=pks[start : start + BATCH]).update(
                    **fields
                )  # tenancy-ok: the job writes the lights it computed from the system's read


def _digest_summary() -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    qs = selectors.task_list(actor=SYSTEM).filter(status__in=OPEN_STATUSES).order_by()
    for unit_id, light, n in qs.values_list("lead_unit_id", "light").annotate(n=Count("pk")):
        out.setdefault(unit_id, dict.fromkeys(Light.values, 0))[light] = n
    return out
