"""Background work (huey): statement generation and the nightly expiry sweep; both idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def settle_period(period: str) -> list[str]:
    """Generate the period's statements (YYYY-MM); enqueue with transaction.on_commit."""
    from xietong.vouchers.services.settlement import parse_period, statements_generate

    return [s.number for s in statements_generate(period=parse_period(period))]


@db_periodic_task(crontab(hour="1", minute="15"))
def expire_grants() -> dict[str, int]:
    from xietong.vouchers.services import grants_expire

    return grants_expire()
