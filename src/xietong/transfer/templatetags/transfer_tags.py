from django import template

from xietong.core.money import fen_to_yuan

register = template.Library()


@register.filter
def fen_yuan(fen: int) -> str:
    """12345 分 → "123.45" (thousands separated), exact to the 分."""
    return f"{fen_to_yuan(int(fen)):,.2f}"
