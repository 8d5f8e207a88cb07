"""Pure price arithmetic: tiers by time window, increments, rounding, minimum charge, fees."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from xietong.core.errors import Invalid
from xietong.resources import pricing

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 30, tzinfo=SH)  # a Monday
SATURDAY = datetime(2026, 12, 5, tzinfo=SH)


def _snapshot(**over):
    snapshot = {
        "unit": "hour", "minimum_charge_fen": 0, "rounding": "fen", "increment_minutes": 30,
        "tiers": [
            {"weekdays": "1234567", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 60000},
            {"weekdays": "67", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 90000},
            {"weekdays": "12345", "start_minute": 18 * 60, "end_minute": 1440, "unit_price_fen": 75000},
        ],
    }  # fmt: skip
    snapshot.update(over)
    return snapshot


def test_two_weekday_hours_at_the_base_price():
    assert pricing.price_booking(_snapshot(), starts_at=MONDAY.replace(hour=9), minutes=120) == 120000


def test_the_weekend_tier_beats_the_all_week_tier():
    assert pricing.price_booking(_snapshot(), starts_at=SATURDAY.replace(hour=9), minutes=60) == 90000


def test_a_booking_across_the_evening_boundary_is_split_by_the_minute():
    # 17:00–19:00 Monday: one hour at 600 元, one at 750 元
    assert pricing.price_booking(_snapshot(), starts_at=MONDAY.replace(hour=17), minutes=120) == 135000


def test_duration_is_rounded_up_to_the_increment():
    # 70 minutes → 90 billed minutes at 600 元/h = 900 元
    assert pricing.price_booking(_snapshot(), starts_at=MONDAY.replace(hour=9), minutes=70) == 90000


def test_rounding_to_yuan_then_minimum_charge():
    snapshot = _snapshot(increment_minutes=1, rounding="yuan", tiers=[
        {"weekdays": "1234567", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 12345}])  # fmt: skip
    # 7 minutes at 123.45 元/h = 14.4025 元 → 14.40 元 (分) → 14 元
    assert pricing.price_booking(snapshot, starts_at=MONDAY, minutes=7) == 1400
    assert (
        pricing.price_booking({**snapshot, "minimum_charge_fen": 5000}, starts_at=MONDAY, minutes=7) == 5000
    )


def test_samples_use_the_widest_tier():
    snapshot = _snapshot(unit="sample", rounding="jiao")
    assert pricing.price_samples(snapshot, samples=3) == 180000


def test_half_up_fee():
    assert pricing.fee(12345, 30) == 3704  # 3703.5 → 3704
    assert pricing.fee(100, 0) == 0


def test_no_tier_for_a_moment_is_a_chinese_4xx():
    snapshot = _snapshot(
        tiers=[{"weekdays": "12345", "start_minute": 0, "end_minute": 1440, "unit_price_fen": 1}]
    )
    with pytest.raises(Invalid, match="没有适用的价格"):
        pricing.price_booking(snapshot, starts_at=SATURDAY, minutes=30)
    with pytest.raises(Invalid, match="大于 0"):
        pricing.price_booking(snapshot, starts_at=MONDAY, minutes=0)
