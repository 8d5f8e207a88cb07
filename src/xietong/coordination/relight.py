"""One task's light from its facts: the bridge between the stored task and the pure rules in `lights`."""

from __future__ import annotations

from datetime import date

from xietong.coordination import lights
from xietong.coordination.enums import TaskStatus


def thresholds(*, due_soon_days: int, lag_threshold_pct: int) -> lights.Thresholds:
    return lights.Thresholds(due_soon_days=due_soon_days, lag_threshold=lag_threshold_pct / 100)


def facts(
    *, start_on: date, deadline: date, status: str, progress: int, first_open: date | None,
    metric_value: float | None, metric_target: float | None, metric_key: str,
) -> lights.TaskFacts:  # fmt: skip
    measured = None
    if metric_key and metric_target and metric_value is not None:
        measured = metric_value / metric_target
    return lights.TaskFacts(
        start=start_on,
        deadline=deadline,
        progress=progress / 100,
        completed=status == TaskStatus.COMPLETED,
        suspended=status == TaskStatus.SUSPENDED,
        first_open_milestone=first_open,
        measured=measured,
    )


def status_for(status: str, *, deadline: date, today: date, progress: int) -> str:
    """Open tasks become 逾期 after their deadline (and leave it when the deadline moves); others keep theirs."""
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE):
        return status
    if today > deadline:
        return TaskStatus.OVERDUE
    if status == TaskStatus.OVERDUE:
        return TaskStatus.IN_PROGRESS if progress else TaskStatus.NOT_STARTED
    return status
