"""The platform's clock: services ask it for "now" and "today" instead of the system clock.

Why one clock: deadlines, publicity periods, price lists and the ledger's entry times all hang on "today in
China" (``settings.TIME_ZONE``, Asia/Shanghai), and a demo or a test must be able to set the date without
patching Django. ``travel_to`` is shipped, supported API: the demo loader tells its story over three months
with it, and tests freeze it through the ``frozen_clock`` fixture.

The override is process-wide (live-server threads see it too). It is meant for commands that run alone,
such as loading demo data; a web request never moves the clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.utils import timezone

_lock = threading.Lock()
_override: datetime | None = None


def now() -> datetime:
    """An aware datetime: the system time, or the moment the clock was moved to."""
    moment = _override
    return moment if moment is not None else timezone.now()


def today() -> date:
    """The calendar date in the platform's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


class Travel:
    """A moved clock: it stands still at `moment` until moved on with `move_to` or `advance`."""

    def __init__(self, moment: datetime) -> None:
        self.move_to(moment)

    @property
    def moment(self) -> datetime:
        return _override if _override is not None else timezone.now()

    def move_to(self, moment: datetime) -> None:
        global _override
        if timezone.is_naive(moment):
            raise ValueError("clock.travel_to needs an aware datetime")
        with _lock:
            _override = moment

    def advance(self, delta: timedelta) -> None:
        self.move_to(self.moment + delta)


@contextmanager
def travel_to(moment: datetime) -> Iterator[Travel]:
    """Run the block as if it were `moment`; the previous time (real or moved) comes back afterwards."""
    global _override
    previous = _override
    try:
        yield Travel(moment)
    finally:
        with _lock:
            _override = previous
