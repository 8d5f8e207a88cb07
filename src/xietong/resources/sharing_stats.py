"""Open-sharing statistics of large instruments, as the national evaluation asks them (pure: rows in, figures out).

Definitions (docs/daily.md cites the sources): for a period [start, end) and one instrument —

- 有效工作机时: hours the instrument actually worked for completed bookings. A booking's recorded minutes
  (`actual_minutes`, or its booked length when none was recorded) are spread evenly over its booked interval
  and only the part inside the period counts, so a booking across midnight on 31 December is split between
  the two years. Cancelled, rejected and no-show bookings are not working time.
- 对外服务机时: the part of 有效工作机时 used by organisations other than the instrument's owner.
- 共享率 (对外服务机时占比): 对外服务机时 / 有效工作机时 (None when the instrument did not work).
- 服务收入: charges of completed orders (bookings and samples, `actual_fen`) whose service ended in the
  period, plus cancellation and no-show fees of orders cancelled / marked in the period.
- 服务用户数（内/外）: distinct people of the owner who ordered (内), distinct outside organisations (外).
- 检测样品数: samples of completed sample orders; 服务成效 shown as ratings (average, count).
- 培训人数: people trained on the instrument: the attendees of the training sessions its owner recorded
  (`TrainingSession`) with a date in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OrderRow:
    resource_id: int
    provider_id: int
    customer_id: int
    created_by_id: int | None
    kind: str  # "booking" or "sample"
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    actual_minutes: int | None
    actual_samples: int | None
    actual_fen: int | None
    cancellation_fee_fen: int
    completed_at: datetime | None
    cancelled_at: datetime | None
    updated_at: datetime | None


@dataclass
class Figures:
    effective_minutes: float = 0.0
    external_minutes: float = 0.0
    income_fen: int = 0
    internal_users: set = field(default_factory=set)
    external_orgs: set = field(default_factory=set)
    samples: int = 0
    completed_orders: int = 0
    trained: int = 0

    @property
    def effective_hours(self) -> float:
        return round(self.effective_minutes / 60, 2)

    @property
    def external_hours(self) -> float:
        return round(self.external_minutes / 60, 2)

    @property
    def sharing_rate(self) -> float | None:
        return round(self.external_minutes / self.effective_minutes, 4) if self.effective_minutes else None

    def add(self, other: Figures) -> None:
        self.effective_minutes += other.effective_minutes
        self.external_minutes += other.external_minutes
        self.income_fen += other.income_fen
        self.internal_users |= other.internal_users
        self.external_orgs |= other.external_orgs
        self.samples += other.samples
        self.completed_orders += other.completed_orders
        self.trained += other.trained


def _overlap_minutes(row: OrderRow, start: datetime, end: datetime) -> float:
    """The order's worked minutes that fall inside [start, end), spread evenly over the booked interval."""
    if row.starts_at is None or row.ends_at is None or row.ends_at <= row.starts_at:
        return 0.0
    booked = (row.ends_at - row.starts_at).total_seconds() / 60
    worked = row.actual_minutes if row.actual_minutes is not None else booked
    inside = (min(row.ends_at, end) - max(row.starts_at, start)).total_seconds() / 60
    return worked * max(inside, 0.0) / booked


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def per_resource(rows: Iterable[OrderRow], start: datetime, end: datetime) -> dict[int, Figures]:
    out: dict[int, Figures] = defaultdict(Figures)
    for row in rows:
        f = out[row.resource_id]
        external = row.customer_id != row.provider_id
        if row.status == "completed":
            if row.kind == "booking":
                minutes = _overlap_minutes(row, start, end)
                f.effective_minutes += minutes
                if external:
                    f.external_minutes += minutes
            ended = row.ends_at if row.kind == "booking" and row.ends_at else row.completed_at
            if _within(ended, start, end):
                f.income_fen += row.actual_fen or 0
                f.completed_orders += 1
                if row.kind == "sample":
                    f.samples += row.actual_samples or 0
                if external:
                    f.external_orgs.add(row.customer_id)
                elif row.created_by_id is not None:
                    f.internal_users.add(row.created_by_id)
        elif row.status in ("cancelled", "no_show") and row.cancellation_fee_fen:
            when = row.cancelled_at or row.updated_at
            if _within(when, start, end):
                f.income_fen += row.cancellation_fee_fen
    return dict(out)


def add_trainings(figures: dict[int, Figures], attendees: Iterable[tuple[int, int]]) -> dict[int, Figures]:
    """Add (resource id, people trained) of the period's training sessions to the figures."""
    for resource_id, people in attendees:
        figures.setdefault(resource_id, Figures()).trained += people
    return figures


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out.add(f)
    return out
