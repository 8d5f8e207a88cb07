"""After the service: the client rates it once (1–5 and a comment); the provider moves a sample along
收样 → 检测中 → 出报告 → 已寄回, one step at a time, so the client sees where the sample is."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xietong.core import audit, clock
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.resources import selectors
from xietong.resources.enums import SAMPLE_STEPS, OrderKind, OrderStatus, SampleState
from xietong.resources.models import OrderRating, ServiceOrder
from xietong.resources.policies import OrderPolicy

# A sample is tracked from the provider's confirmation until the order ends.
TRACKABLE = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


@transaction.atomic
def order_rate(*, actor: Actor, order_id: int, score: int, comment: str = "") -> OrderRating:
    order = selectors.order_get(actor=actor, order_id=order_id)
    OrderPolicy.require(actor, "rate", order)
    if order.status != OrderStatus.COMPLETED:
        raise Conflict(_("服务完成后才能评价"), code="not_completed")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Invalid(_("评分应为 1 至 5 的整数"), field="score")
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise Invalid(_("评价不能超过 500 个字符"), field="comment")
    try:
        with transaction.atomic():
            rating = OrderRating.objects.create(
                order=order, resource_id=order.resource_id, score=score, comment=comment,
                rated_by_id=actor.user_id, created_at=clock.now(),
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(_("该订单已评价，每个订单只能评价一次"), code="already_rated") from exc
    audit.record(actor=actor, verb="order.rated", target=order, data={"score": score})
    return rating


@transaction.atomic
def order_sample_advance(*, actor: Actor, order_id: int, state: str) -> ServiceOrder:
    order = selectors.order_get(actor=actor, order_id=order_id)
    OrderPolicy.require(actor, "track_sample", order)
    order = ServiceOrder.objects.select_for_update().get(pk=order.pk)  # re-read under lock after the check
    if order.kind != OrderKind.SAMPLE:
        raise Invalid(_("只有送样检测订单跟踪样品状态"), field="state")
    if state not in SampleState.values:
        raise Invalid(_("样品状态无效"), field="state")
    if order.status not in TRACKABLE:
        raise Conflict(
            _("订单当前状态为“%(status)s”，不能更新样品状态") % {"status": order.get_status_display()}
        )
    current = SAMPLE_STEPS.index(order.sample_state) if order.sample_state else -1
    wanted = SAMPLE_STEPS.index(SampleState(state))
    if wanted != current + 1:
        expected = SAMPLE_STEPS[current + 1].label if current + 1 < len(SAMPLE_STEPS) else _("（已完成）")
        raise Conflict(
            _("样品状态须依次更新，下一步应为“%(expected)s”") % {"expected": expected}, code="sample_step"
        )
    order.sample_state, order.sample_state_at = state, clock.now()
    order.save(update_fields=["sample_state", "sample_state_at", "updated_at"])
    audit.record(actor=actor, verb="order.sample_state", target=order, data={"state": state})
    return order
