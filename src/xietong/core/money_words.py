"""An amount of 分 in Chinese capitals (大写金额), as finance offices write it on statements and vouchers.

The rules are those of the People's Bank of China for filling in bills and settlement vouchers (《支付结算
办法》附件《正确填写票据和结算凭证的基本规定》): 壹贰叁… with 拾佰仟万亿; one 零 for a run of zeros inside the
number; 零 after 元 when 角 is zero and 分 is not; 整 after 元 or 角 when the amount stops there; 壹拾 (not 拾)
for a leading ten. Where the rules allow both forms (a 零 after 元 when only 元 is zero), the shorter is used.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")


def _section(n: int) -> str:
    """0 < n < 10000 without its group unit; one 零 for inner zeros, none trailing."""
    out, zero = [], False
    for place, digit in zip(_PLACES, f"{n:04d}", strict=True):
        d = int(digit)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + place)
    return "".join(out)


def _yuan(n: int) -> str:
    """n > 0 元: 亿 above 万 (壹万零壹亿, not 壹万亿零壹亿); one 零 where a group starts below its top place."""
    if n >= 10**8:
        high, low = divmod(n, 10**8)
        head = _yuan(high) + "亿"
        return head + (("零" if low < 10**7 else "") + _yuan(low) if low else "")
    high, low = divmod(n, 10**4)
    head = _section(high) + "万" if high else ""
    if not low:
        return head
    return head + ("零" if head and low < 1000 else "") + _section(low)


def capitals(fen: int) -> str:
    """12345.67 元 (1234567 分) -> 壹万贰仟叁佰肆拾伍元陆角柒分; 0 -> 零元整; negative amounts start with 负."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("amount in 分 must be an int")
    if fen < 0:
        return "负" + capitals(-fen)
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    head = _yuan(yuan) + "元" if yuan else ""
    if not jiao and not fen_digit:
        return (head or "零元") + "整"
    if jiao and not fen_digit:
        return f"{head}{DIGITS[jiao]}角整"
    if not jiao:
        return f"{head}{'零' if head else ''}{DIGITS[fen_digit]}分"
    return f"{head}{DIGITS[jiao]}角{DIGITS[fen_digit]}分"
