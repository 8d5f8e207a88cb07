"""What a resource record is called where it is shown by its string (admin, history, notices): names, order
numbers and dates in the reader's language, never a database id."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import translation

from xietong.resources.models import (
    MaintenanceBlock,
    OpeningHours,
    OrderRating,
    PriceList,
    PriceTier,
    Resource,
    ServiceOrder,
    TrainingSession,
)

RESOURCE = Resource(pk=987654, name="场发射扫描电子显微镜")
ORDER = ServiceOrder(pk=876543, number="XTDEMO00003")


def _names() -> list[str]:
    return [
        str(PriceList(resource=RESOURCE, valid_from=date(2026, 1, 1))),
        str(PriceTier(customer_class="own_org", unit_price_fen=12000)),
        str(OpeningHours(weekday=1, start_minute=8 * 60, end_minute=17 * 60 + 30)),
        str(MaintenanceBlock(starts_at=datetime(2026, 3, 2, 9, 0))),
        str(OrderRating(order=ORDER, score=5)),
        str(TrainingSession(resource=RESOURCE, held_on=date(2026, 3, 2), topic="制样规范")),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            ["场发射扫描电子显微镜价目表（2026-01-01 起）", "本单位 120.00 元", "周一 08:00–17:30",
             "2026-03-02 09:00 维护", "订单 XTDEMO00003 评分 5", "场发射扫描电子显微镜 2026-03-02 培训：制样规范"],
        ),
        (
            "en",
            ["Price list of 场发射扫描电子显微镜 (from 2026-01-01)", "Own organisation 120.00 yuan", "Mon 08:00–17:30",
             "Maintenance 2026-03-02 09:00", "Order XTDEMO00003 rated 5", "场发射扫描电子显微镜 training on 2026-03-02: 制样规范"],
        ),
    ],
)  # fmt: skip
def test_records_are_named_in_the_readers_language_without_ids(language, expected):
    with translation.override(language):
        names = _names()
    assert names == expected
    assert not any(str(pk) in n for n in names for pk in (RESOURCE.pk, ORDER.pk))
