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


@register.inclusion_tag("vouchers/_statement_paperwork.html", takes_context=True)
def statement_paperwork(context, statement):
    """The statement's 大写 amount, payee account, payment slip and the 标记已支付 form with its confirmation."""
    from xietong.core.money_words import capitals
    from xietong.vouchers import selectors
    from xietong.vouchers.policies import PayeeAccountPolicy, StatementPolicy

    actor = context["request"].actor
    return {
        "s": statement,
        "capitals": capitals(statement.total_fen),
        "payee": selectors.statement_payee(actor=actor, statement=statement),
        "can_pay": StatementPolicy.can(actor, "mark_paid", statement) and statement.status == "issued",
        "can_set_payee": PayeeAccountPolicy.can(actor, "set", statement.counterpart_region_id),
        "csrf_token": context.get("csrf_token"),
    }
