"""A contract workbook's row errors speak the request's language; columns are named as `core.excel.column_label`
names them (English label with the Chinese header in English), while the report keeps the workbook's header."""

from __future__ import annotations

import pytest
from django.utils import translation

from xietong.transfer.services import _clean_contract_row


def _resolve(text: str) -> str:
    raise ValueError("unused")


BAD = {"registration_no": "", "title": "测试合同", "seller_name": "甲", "buyer_name": "乙", "kind": "买卖",
       "seller_region": "", "buyer_region": "", "amount": "-5", "tech_amount": "1", "signed_on": "2025-13-40"}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Fill in Registration number (登记编号)", "The signing date “2025-13-40” is not a valid date",
                "The contract amount must be above 0"]),
        ("zh-hans", ["请填写登记编号", "签订日期“2025-13-40”不是有效日期", "合同金额应大于 0"]),
    ],
)  # fmt: skip
def test_contract_row_errors_follow_the_language(language, expected):
    with translation.override(language):
        row, errors = _clean_contract_row(BAD, _resolve)
    assert row is None
    messages = [message for _, message in errors]
    for text in expected:
        assert text in messages, messages
    assert ("登记编号", expected[0]) in errors  # the column stays the workbook's header
