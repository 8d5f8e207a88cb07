from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.core.errors import Invalid
from xietong.core.money import fen_to_yuan, format_wan_yuan, format_yuan, wan_yuan_to_fen, yuan_to_fen


def test_yuan_to_fen_exact():
    assert yuan_to_fen("1,234.56") == 123456
    assert yuan_to_fen("0.1") == 10
    assert yuan_to_fen(Decimal("3")) == 300


@pytest.mark.parametrize("bad", ["1.234", "abc", "", "NaN", "Infinity"])
def test_yuan_to_fen_refuses_what_is_not_exact(bad):
    with pytest.raises(Invalid):
        yuan_to_fen(bad)


def test_wan_yuan():
    assert wan_yuan_to_fen("1470") == 1_470_000_000
    assert format_wan_yuan(3_450_000_000) == "3,450.00 万元"
    assert format_yuan(123456) == "1,234.56 元"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_round_trip(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


def test_template_filters_show_fen_as_yuan_and_missing_as_a_dash():
    from django.template import Context, Template

    page = Template("{% load money %}{{ a|yuan }}|{{ b|yuan }}|{{ c|wan_yuan }}")
    assert page.render(Context({"a": 123456, "b": None, "c": 12_345_678})) == "1,234.56 元|—|12.35 万元"


def test_amounts_beyond_ten_trillion_yuan_are_refused_not_overflowed():
    assert yuan_to_fen("10000000000000") == 10**15
    assert wan_yuan_to_fen("1000000000") == 10**15
    for bad in ("10000000000000.01", "9" * 20, "-" + "9" * 20):
        with pytest.raises(Invalid, match="超出允许范围"):
            yuan_to_fen(bad)
    with pytest.raises(Invalid, match="超出允许范围"):
        wan_yuan_to_fen("9" * 20)
