"""What a voucher record is called where it is shown by its string: the enterprise, programme, order number and
voucher code in the reader's language, never a database id."""

from __future__ import annotations

import pytest
from django.utils import translation

from xietong.orgs.models import Organisation
from xietong.resources.models import ServiceOrder
from xietong.vouchers.models import (
    Application,
    BundlePartner,
    Grant,
    Objection,
    Programme,
    Redemption,
    Statement,
    StatementLine,
)

FIRM = Organisation(pk=765432, name="嘉兴思源高分子材料科技有限公司")
PROGRAMME = Programme(pk=654321, name="嘉兴市科技创新券（通兑·长三角）")
ORDER = ServiceOrder(pk=543210, number="XTVJXTD00012")
GRANT = Grant(pk=432109, code="XT-330400-2026-000001-9EC8E0")
REDEMPTION = Redemption(pk=321098, order=ORDER, grant=GRANT)


def _names() -> list[str]:
    return [
        str(Application(pk=210987, enterprise=FIRM, programme=PROGRAMME)),
        str(REDEMPTION),
        str(Objection(pk=109876, redemption=REDEMPTION)),
        str(BundlePartner(order=ORDER, enterprise=FIRM)),
        str(StatementLine(statement=Statement(number="JS202611-R330400-341500"), redemption=REDEMPTION)),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            ["嘉兴思源高分子材料科技有限公司申领“嘉兴市科技创新券（通兑·长三角）”",
             "订单 XTVJXTD00012 用券 XT-330400-2026-000001-9EC8E0",
             "对订单 XTVJXTD00012 用券 XT-330400-2026-000001-9EC8E0的异议",
             "XTVJXTD00012 · 嘉兴思源高分子材料科技有限公司",
             "JS202611-R330400-341500 · 订单 XTVJXTD00012 用券 XT-330400-2026-000001-9EC8E0"],
        ),
        (
            "en",
            ["嘉兴思源高分子材料科技有限公司 applies to “嘉兴市科技创新券（通兑·长三角）”",
             "Voucher XT-330400-2026-000001-9EC8E0 on order XTVJXTD00012",
             "Objection to Voucher XT-330400-2026-000001-9EC8E0 on order XTVJXTD00012",
             "XTVJXTD00012 · 嘉兴思源高分子材料科技有限公司",
             "JS202611-R330400-341500 · Voucher XT-330400-2026-000001-9EC8E0 on order XTVJXTD00012"],
        ),
    ],
)  # fmt: skip
def test_records_are_named_in_the_readers_language_without_ids(language, expected):
    with translation.override(language):
        names = _names()
    assert names == expected
    assert not any("#" in n for n in names)
