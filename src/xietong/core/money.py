"""Money is an integer number of 分 everywhere inside; 元 and 万元 exist only at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from xietong.core.errors import Invalid

FEN_PER_YUAN = 100
FEN_PER_WAN_YUAN = 1_000_000


def yuan_to_fen(value: str | int | Decimal) -> int:
    """Parse an amount in 元 (e.g. "1,234.5") to 分; more than two decimals is an error, not a rounding."""
    text = str(value).replace(",", "").replace("，", "").strip().removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise Invalid(_("金额“%(value)s”不是有效数字") % {"value": value}) from exc
    if not amount.is_finite():
        raise Invalid(_("金额“%(value)s”不是有效数字") % {"value": value})
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise Invalid(_("金额“%(value)s”最多保留两位小数（精确到分）") % {"value": value})
    return _within_range(int(fen), value)


def wan_yuan_to_fen(value: str | int | Decimal) -> int:
    """Parse an amount in 万元 to 分; amounts below one 分 are refused."""
    try:
        amount = Decimal(str(value).replace(",", "").strip().removesuffix("万元"))
    except InvalidOperation as exc:
        raise Invalid(_("金额“%(value)s”不是有效数字") % {"value": value}) from exc
    fen = amount * FEN_PER_WAN_YUAN
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise Invalid(_("金额“%(value)s”万元无法精确到分") % {"value": value})
    return _within_range(int(fen), value)


# 10 万亿元: far beyond any amount on the platform, far inside the database's 64-bit integers (sums included).
MAX_FEN = 10**15


def _within_range(fen: int, value) -> int:
    if abs(fen) > MAX_FEN:
        raise Invalid(_("金额“%(value)s”超出允许范围（绝对值不超过 10 万亿元）") % {"value": value})
    return fen


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def format_yuan(fen: int) -> str:
    """1234567 → "12,345.67 元" ("12,345.67 yuan" in English: the unit follows the request's language)."""
    return _("%(amount)s 元") % {"amount": f"{fen_to_yuan(fen):,.2f}"}


def format_wan_yuan(fen: int, places: int = 2) -> str:
    """Display in 万元, rounded half-up for reading only (never fed back into arithmetic)."""
    quant = Decimal(1).scaleb(-places)
    value = (Decimal(fen) / FEN_PER_WAN_YUAN).quantize(quant, rounding=ROUND_HALF_UP)
    return _("%(amount)s 万元") % {"amount": f"{value:,}"}
