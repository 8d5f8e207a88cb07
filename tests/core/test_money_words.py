"""大写金额: the examples of the PBoC rules and the zero cases, plus a round-trip invariant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xietong.core.money_words import DIGITS, capitals


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (1234567, "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (0, "零元整"),
        (100, "壹元整"),
        (1000, "壹拾元整"),
        (1500, "壹拾伍元整"),
        (100456, "壹仟零肆元伍角陆分"),  # 1004.56: one 零 for the inner zeros
        (168032, "壹仟陆佰捌拾元叁角贰分"),  # 1680.32: 元位 zero, 角 non-zero: 零 may be left out
        (1640902, "壹万陆仟肆佰零玖元零贰分"),  # 16409.02: 角 zero, 分 not: 零 after 元
        (32504, "叁佰贰拾伍元零肆分"),
        (10700053, "壹拾万柒仟元伍角叁分"),  # 107000.53
        (10050000, "壹拾万零伍佰元整"),
        (10000000100, "壹亿零壹元整"),
        (10000100000, "壹亿零壹仟元整"),
        (1000100000000, "壹佰亿零壹佰万元整"),
        (100010000000000, "壹万零壹亿元整"),
        (56, "伍角陆分"),
        (5, "伍分"),
        (50, "伍角整"),
        (150, "壹元伍角整"),
        (-100, "负壹元整"),
        (10**15, "壹拾万亿元整"),
        (20000000000, "贰亿元整"),
        (100010000, "壹佰万零壹佰元整"),
    ],
)
def test_examples(fen, text):
    assert capitals(fen) == text


def test_refuses_non_int():
    with pytest.raises(TypeError):
        capitals(1.5)
    with pytest.raises(TypeError):
        capitals(True)


_VALUE = dict(zip(DIGITS, range(10), strict=True))
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _parse(text: str) -> int:
    """Read a 大写 amount back (the test's own reader, independent of the writer's algorithm)."""
    text = text.removesuffix("整")
    yuan_part, _, frac = text.partition("元") if "元" in text else ("", "", text)
    total = section = digit = 0
    for ch in yuan_part:
        if ch in _VALUE:
            digit = _VALUE[ch]
        elif ch in _SMALL:
            section += digit * _SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    total += section + digit
    fen = total * 100
    digit = 0
    for ch in frac:
        if ch in _VALUE:
            digit = _VALUE[ch]
        elif ch == "角":
            fen += digit * 10
            digit = 0
        elif ch == "分":
            fen += digit
            digit = 0
    return fen


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip(fen):
    text = capitals(fen)
    assert "零零" not in text
    assert not text.removesuffix("整").endswith("零")
    assert _parse(text) == fen
