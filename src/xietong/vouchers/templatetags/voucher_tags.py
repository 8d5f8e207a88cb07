from django import template

from xietong.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """整数分 → “1,234.56 元”."""
    return format_yuan(int(fen or 0))
