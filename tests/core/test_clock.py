"""The platform clock: services read it, tests freeze it, the demo moves it, and the real time comes back."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xietong.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_frozen_clock_stands_still_and_moves_only_when_told(frozen_clock):
    assert clock.now() == datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    assert clock.now() == clock.now()
    frozen_clock.advance(timedelta(days=1, hours=2))
    assert clock.now() == datetime(2026, 3, 3, 12, 0, tzinfo=SHANGHAI)
    frozen_clock.move_to(datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI))
    assert clock.today() == date(2027, 1, 1)


def test_today_is_the_date_in_shanghai_not_in_utc():
    # 2026-03-02 17:30 UTC is already 03-03 01:30 in Shanghai
    with clock.travel_to(datetime(2026, 3, 2, 17, 30, tzinfo=ZoneInfo("UTC"))):
        assert clock.today() == date(2026, 3, 3)


def test_travel_nests_and_the_real_time_comes_back():
    outer, inner = datetime(2025, 5, 1, 9, tzinfo=SHANGHAI), datetime(2025, 6, 1, 9, tzinfo=SHANGHAI)
    with clock.travel_to(outer):
        with clock.travel_to(inner):
            assert clock.now() == inner
        assert clock.now() == outer
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)


def test_the_real_time_comes_back_after_an_error():
    with pytest.raises(RuntimeError), clock.travel_to(datetime(2020, 1, 1, tzinfo=SHANGHAI)):
        raise RuntimeError("boom")
    assert clock.today() == timezone.localdate()


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"), clock.travel_to(datetime(2026, 1, 1)):
        pass


@pytest.mark.django_db
def test_services_and_ledger_entries_follow_the_clock(frozen_clock):
    from xietong.core.actor import SYSTEM
    from xietong.ledger import services
    from xietong.ledger.enums import NormalSide

    funding = services.account_open(code="c:f", name="来源", kind="funding", normal_side=NormalSide.CREDIT)
    budget = services.account_open(code="c:b", name="预算", kind="budget")
    frozen_clock.move_to(datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI))
    entry = services.post_entry(kind="fund", postings=[(budget, 5), (funding, -5)], actor=SYSTEM)
    entry.refresh_from_db()
    assert timezone.localtime(entry.created_at) == datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI)


def test_service_dates_follow_the_frozen_clock(frozen_clock):
    from xietong.resources.services.orders import _number
    from xietong.vouchers.services.common import today

    frozen_clock.move_to(datetime(2031, 7, 1, 8, 0, tzinfo=SHANGHAI))
    assert today() == date(2031, 7, 1)
    assert _number().startswith("XT20310701")
