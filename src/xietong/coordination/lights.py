"""The 红黄绿灯 of a task: a pure function of the task's facts, the day and the thresholds (no Django).

The rules are data (`RULES`): the first rule whose test holds gives the light and the reason shown to people.
Red when the task is overdue or a milestone was missed; yellow when it is suspended, its deadline is within the
window, or its progress lags the time elapsed by more than the threshold; green otherwise. A completed task, and
a metric-linked task whose measured value has reached its target, are green whatever the calendar says.

Boundaries (each property-tested): the deadline day itself is not overdue (red from the day after); the window
edge counts as inside (``deadline - today == due_soon_days`` is yellow); a milestone is missed from the day after
its due date; progress lagging by exactly the threshold is still green.

>>> from datetime import date
>>> facts = TaskFacts(start=date(2026, 1, 1), deadline=date(2026, 12, 31), progress=0.5)
>>> evaluate(facts, today=date(2026, 3, 1)).colour
'green'
>>> evaluate(facts, today=date(2027, 1, 1)).reason
'已逾期'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

GREEN, YELLOW, RED = "green", "yellow", "red"


@dataclass(frozen=True)
class Thresholds:
    due_soon_days: int = 14  # yellow when the deadline is at most this many days away
    lag_threshold: float = 0.20  # yellow when elapsed time minus progress exceeds this share


@dataclass(frozen=True)
class TaskFacts:
    start: date
    deadline: date
    progress: float = 0.0  # accepted progress, 0..1
    completed: bool = False
    suspended: bool = False
    first_open_milestone: date | None = None  # the earliest due date of a milestone not yet done
    measured: float | None = None  # a metric-linked task's measured value / target (may exceed 1)


@dataclass(frozen=True)
class Result:
    colour: str
    reason: str


def elapsed_share(facts: TaskFacts, today: date) -> float:
    """The share of the task's time that has passed, 0..1 (a one-day task is wholly elapsed on its day)."""
    span = (facts.deadline - facts.start).days
    if span <= 0:
        return 1.0 if today >= facts.start else 0.0
    return min(1.0, max(0.0, (today - facts.start).days / span))


def effective_progress(facts: TaskFacts) -> float:
    """Measured progress drives a metric-linked task; the accepted self-report drives the rest."""
    if facts.measured is not None:
        return min(1.0, max(0.0, facts.measured))
    return min(1.0, max(0.0, facts.progress))


@dataclass(frozen=True)
class Rule:
    colour: str
    reason: str
    holds: Callable[[TaskFacts, date, Thresholds], bool]


RULES: tuple[Rule, ...] = (
    Rule(GREEN, "已完成", lambda f, t, th: f.completed),
    Rule(GREEN, "指标已达目标", lambda f, t, th: f.measured is not None and f.measured >= 1.0),
    Rule(YELLOW, "暂缓", lambda f, t, th: f.suspended),
    Rule(RED, "已逾期", lambda f, t, th: t > f.deadline),
    Rule(
        RED,
        "节点未按期完成",
        lambda f, t, th: f.first_open_milestone is not None and t > f.first_open_milestone,
    ),
    Rule(YELLOW, "临近完成时限", lambda f, t, th: (f.deadline - t).days <= th.due_soon_days),
    Rule(
        YELLOW,
        "进度滞后于时间",
        lambda f, t, th: elapsed_share(f, t) - effective_progress(f) > th.lag_threshold + 1e-9,
    ),
)
DEFAULT = Result(GREEN, "正常推进")


def evaluate(facts: TaskFacts, *, today: date, thresholds: Thresholds = Thresholds()) -> Result:
    """The light and its reason: the first rule that holds, green ("正常推进") when none does."""
    for rule in RULES:
        if rule.holds(facts, today, thresholds):
            return Result(rule.colour, rule.reason)
    return DEFAULT
