"""Display helpers for the resources templates (money stays integer 分 until here)."""

from django import template

from xietong.core.templatetags.money import yuan
from xietong.resources import selectors
from xietong.resources.enums import SAMPLE_STEPS, OrderKind, OrderStatus, weekdays_label
from xietong.resources.policies import OrderPolicy, ResourcePolicy

register = template.Library()
register.filter("yuan", yuan)  # the platform's one money filter, under this library's name too


@register.filter
def may(actor, action: str) -> bool:
    """`{% if actor|may:"register" %}`: a page-level `ResourcePolicy` rule, so templates never read roles."""
    return ResourcePolicy.can(actor, action)


@register.filter
def has_sharing_units(actor) -> bool:
    """The 开放共享统计 tab is shown to those who have a unit to report on (an operator has none)."""
    return actor is not None and bool(selectors.sharing_units(actor=actor))


@register.filter
def may_manage(actor, resource) -> bool:
    return ResourcePolicy.can(actor, "manage", resource)


@register.filter
def weekdays_zh(text: str) -> str:
    """Weekday digits in the reader's language (the name stays: templates use it)."""
    return weekdays_label(text)


@register.inclusion_tag("resources/_after_service.html", takes_context=True)
def after_service(context, order):
    """The order page's rating (client) and sample-tracking (provider) panel."""
    actor = context["request"].actor
    done = [
        s
        for s in SAMPLE_STEPS
        if order.sample_state and SAMPLE_STEPS.index(s) <= SAMPLE_STEPS.index(order.sample_state)
    ]
    upcoming = SAMPLE_STEPS[len(done)] if len(done) < len(SAMPLE_STEPS) else None
    return {
        "order": order,
        "is_sample": order.kind == OrderKind.SAMPLE,
        "steps": [{"value": s.value, "label": s.label, "done": s in done} for s in SAMPLE_STEPS],
        "next_step": upcoming,
        "can_track": OrderPolicy.can(actor, "track_sample", order)
        and order.status
        in (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED, OrderStatus.COMPLETED),
        "rating": selectors.order_rating(actor=actor, order=order),
        "can_rate": OrderPolicy.can(actor, "rate", order) and order.status == OrderStatus.COMPLETED,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("resources/_ratings.html", takes_context=True)
def resource_ratings(context, resource):
    return {"ratings": selectors.resource_ratings(actor=context["request"].actor, resource=resource)}
