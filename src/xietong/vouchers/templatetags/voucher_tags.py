import uuid

from django import template

from xietong.core.templatetags.money import yuan

register = template.Library()
register.filter("yuan", yuan)  # the platform's one money filter, under this library's name too


@register.filter
def yuan_plain(fen) -> str:
    """整数分 → “1234.56” (for an input's value)."""
    fen = int(fen or 0)
    return f"{fen // 100}.{fen % 100:02d}"


@register.inclusion_tag("vouchers/_order_panel.html", takes_context=True)
def voucher_panel(context, order):
    """The “使用创新券” panel of a resources order page (the logic is `selectors.order_vouchers`)."""
    from xietong.vouchers import selectors

    request = context["request"]
    return {
        "order": order,
        "panel": selectors.order_vouchers(actor=request.actor, order=order),
        "idempotency_key": uuid.uuid4().hex,
        "csrf_token": context.get("csrf_token"),
    }
