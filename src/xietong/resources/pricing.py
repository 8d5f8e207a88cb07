"""Pure price arithmetic over a frozen price snapshot (no database): integer 分 in, integer 分 out.

A snapshot is what an order keeps of the price list in force when it was placed::

    {"price_list_id": 7, "unit": "hour", "customer_class": "same_zone", "minimum_charge_fen": 20000,
     "rounding": "yuan", "increment_minutes": 30,
     "tiers": [{"weekdays": "1234567", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 30000},
               {"weekdays": "67", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 45000}]}

Per hour: the duration is rounded up to whole increments; each minute is charged at the most specific
tier whose weekdays and time window contain it (a weekend tier beats the all-week tier); the sum is
rounded half-up to the 分, then to the 角 or 元 if the list says so, then raised to the minimum charge.
Per sample: the widest tier's unit price × samples, rounded the same way, then the minimum charge.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext

from xietong.core.errors import Invalid

ROUNDING_STEP = {"fen": 1, "jiao": 10, "yuan": 100}


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def _finish(snapshot: dict[str, Any], fen: int) -> int:
    step = ROUNDING_STEP[snapshot.get("rounding", "fen")]
    fen = _round_half_up(fen, step) * step
    return max(fen, int(snapshot.get("minimum_charge_fen", 0)))


def _specificity(tier: dict[str, Any]) -> int:
    return len(tier["weekdays"]) * (tier["end_minute"] - tier["start_minute"])


def _tier_at(tiers: list[dict[str, Any]], moment: datetime) -> dict[str, Any]:
    weekday = str(moment.isoweekday())
    minute = moment.hour * 60 + moment.minute
    for tier in tiers:  # sorted most specific first
        if weekday in tier["weekdays"] and tier["start_minute"] <= minute < tier["end_minute"]:
            return tier
    raise Invalid(
        gettext("%(moment)s 没有适用的价格，请联系服务方") % {"moment": format(moment, "%m-%d %H:%M")},
        code="no_price",
    )


def billed_minutes(snapshot: dict[str, Any], minutes: int) -> int:
    increment = max(int(snapshot.get("increment_minutes", 1)), 1)
    return -(-minutes // increment) * increment


def price_booking(snapshot: dict[str, Any], *, starts_at: datetime, minutes: int) -> int:
    """The charge in 分 for `minutes` of use starting at `starts_at` (a local, aware datetime)."""
    if minutes <= 0:
        raise Invalid(gettext("使用时长必须大于 0"))
    tiers = sorted(snapshot["tiers"], key=_specificity)
    moment = starts_at.replace(second=0, microsecond=0)
    price_minutes = 0  # Σ unit price (分/小时) over the billed minutes
    for _ in range(billed_minutes(snapshot, minutes)):
        price_minutes += int(_tier_at(tiers, moment)["unit_price_fen"])
        moment += timedelta(minutes=1)
    return _finish(snapshot, _round_half_up(price_minutes, 60))


def price_samples(snapshot: dict[str, Any], *, samples: int) -> int:
    if samples <= 0:
        raise Invalid(gettext("样品数必须大于 0"))
    widest = max(snapshot["tiers"], key=_specificity)
    return _finish(snapshot, int(widest["unit_price_fen"]) * samples)


def unit_price(snapshot: dict[str, Any]) -> int:
    """The headline unit price (the widest tier) for display."""
    return int(max(snapshot["tiers"], key=_specificity)["unit_price_fen"])


def fee(amount_fen: int, percent: int) -> int:
    """A percentage of an amount, rounded half-up to the 分."""
    return _round_half_up(amount_fen * percent, 100)
