"""Display helpers for the resources templates (money stays integer 分 until here)."""

from django import template

from xietong.core.templatetags.money import yuan
from xietong.resources.policies import ResourcePolicy

register = template.Library()
register.filter("yuan", yuan)  # the platform's one money filter, under this library's name too


@register.filter
def may(actor, action: str) -> bool:
    """`{% if actor|may:"register" %}`: a page-level `ResourcePolicy` rule, so templates never read roles."""
    return ResourcePolicy.can(actor, action)


@register.filter
def may_manage(actor, resource) -> bool:
    return ResourcePolicy.can(actor, "manage", resource)


@register.filter
def weekdays_zh(text: str) -> str:
    names = "一二三四五六日"
    if text == "1234567":
        return "每天"
    return "、".join("周" + names[int(d) - 1] for d in text)
