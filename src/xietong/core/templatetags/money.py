"""Template filters for money: amounts stay integer 分 until the page shows them.

Usage: ``{% load money %}{{ order.quoted_fen|yuan }}`` → "1,234.56 元"; ``|wan_yuan`` → "12.35 万元".
A missing amount shows as "—" rather than as 0, which would read as a real figure.
"""

from django import template

from xietong.core.money import format_wan_yuan, format_yuan
from xietong.core.money_words import capitals as words

register = template.Library()


@register.filter
def yuan(fen) -> str:
    return "—" if fen is None or fen == "" else format_yuan(int(fen))


@register.filter
def wan_yuan(fen) -> str:
    return "—" if fen is None or fen == "" else format_wan_yuan(int(fen))


@register.filter
def capitals(fen) -> str:
    """大写金额 (壹万贰仟叁佰肆拾伍元陆角柒分) for statements and receipts."""
    return "—" if fen is None or fen == "" else words(int(fen))
