"""Display helpers for the resources templates (money stays integer 分 until here)."""

from django import template

from xietong.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """12345 → "123.45 元"; None → "—"."""
    return "—" if fen is None or fen == "" else format_yuan(int(fen))


@register.filter
def weekdays_zh(text: str) -> str:
    names = "一二三四五六日"
    if text == "1234567":
        return "每天"
    return "、".join("周" + names[int(d) - 1] for d in text)
