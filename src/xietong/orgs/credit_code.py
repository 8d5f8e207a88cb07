"""GB 32100-2015 unified social credit code (统一社会信用代码) validation.

Positions: 1 registration authority, 2 organisation category, 3–8 region code (GB/T 2260),
9–17 organisation code (GB 11714, its own check character at 17), 18 check character.
Every error names the position and the wrong character so a clerk can fix the typo.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from xietong.core.errors import Invalid

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


class CreditCodeError(Invalid):
    code = "credit_code_invalid"


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (all must be in CHARSET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_code_check_character(first8: str) -> str:
    """GB 11714 check character for positions 9–16 of the credit code."""
    total = sum(_org_value(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - 55


def normalize(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def validate(raw: str) -> str:
    """Return the normalised code or raise CreditCodeError with a message naming the wrong character."""
    code = normalize(raw)
    if len(code) != 18:
        raise CreditCodeError(
            _("统一社会信用代码应为 18 位，当前为 %(n_code)s 位") % {"n_code": len(code)}, value=raw
        )
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            hint = _("（是否应为“%(char)s”？）") % {"char": _LOOKALIKES[char]} if char in _LOOKALIKES else ""
            raise CreditCodeError(
                _("统一社会信用代码第 %(position)s 位字符“%(char)s”不合法%(hint)s")
                % {"position": position, "char": char, "hint": hint},
                value=raw,
                position=position,
                char=char,
            )
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise CreditCodeError(
                _("统一社会信用代码第 %(position)s 位字符“%(code)s”应为数字（第 3–8 位是行政区划代码）")
                % {"position": position, "code": code[position - 1]},
                value=raw,
                position=position,
                char=code[position - 1],
            )
    expected_org = org_code_check_character(code[8:16])
    if code[16] != expected_org:
        raise CreditCodeError(
            _("统一社会信用代码第 17 位字符“%(code)s”有误：组织机构代码校验位应为“%(expected_org)s”")
            % {"code": code[16], "expected_org": expected_org},
            value=raw,
            position=17,
            char=code[16],
            expected=expected_org,
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(
            _("统一社会信用代码第 18 位校验码“%(code)s”有误：按前 17 位计算应为“%(expected)s”")
            % {"code": code[17], "expected": expected},
            value=raw,
            position=18,
            char=code[17],
            expected=expected,
        )
    return code


def make(*, authority: str = "9", category: str = "1", region_code: str, serial: str) -> str:
    """Build a valid code from its parts; `serial` is the 8-character body of the organisation code."""
    body = authority + category + region_code + serial
    body += org_code_check_character(serial)
    return body + check_character(body)
