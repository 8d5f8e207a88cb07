"""Bookings, sample orders and their workflow; the price in force is frozen on the order when placed.

No double booking: the resource row is locked (``select_for_update``; on SQLite every write transaction
takes the database lock at BEGIN IMMEDIATE), the overlap is checked, and on PostgreSQL the exclusion
constraint ``order_no_double_booking`` rejects anything that slips through; either way the loser gets
a 409 ``slot_taken`` with a Chinese message and nothing is written.

Money follows the order inside the same transaction (see ``resources/payment_hooks.py``): the registered
hooks run from ``order_complete`` (completed) and from ``order_cancel``, ``order_reject`` and
``order_mark_no_show`` (cancelled); if one raises, the order change rolls back with it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xietong.core import audit, clock, files
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.core.uploads import check_upload
from xietong.resources import payment_hooks, pricing, selectors
from xietong.resources.enums import OPEN_STATUSES, SLOT_HOLDING, OpenStatus, OrderKind, OrderStatus
from xietong.resources.errors import BadTransition, SlotTaken
from xietong.resources.models import MaintenanceBlock, OpeningHours, Resource, ServiceOrder
from xietong.resources.policies import OrderPolicy, ResourcePolicy

MAX_SAMPLES = 1000
MAX_REPORT_BYTES = 20 * 1024 * 1024
REPORT_FOLDER = "resources/reports"


def _number() -> str:
    return f"XT{clock.today():%Y%m%d}{secrets.token_hex(4).upper()}"


def _bookable(actor: Actor, resource_id: int) -> Resource:
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    if resource.open_status != OpenStatus.OPEN:
        raise Conflict(
            _("该资源当前%(open_status)s，不能下单") % {"open_status": resource.get_open_status_display()}
        )
    ResourcePolicy.require(actor, "book", resource)
    return resource


def _check_window(resource: Resource, starts_at: datetime, ends_at: datetime) -> None:
    """Notice, horizon, length and opening hours (the booking must sit inside one opening period)."""
    now = clock.now()
    if starts_at.second or starts_at.microsecond or ends_at.second or ends_at.microsecond:
        raise Invalid(_("预约时间应精确到分钟"), field="starts_at")
    if ends_at <= starts_at:
        raise Invalid(_("结束时间应晚于开始时间"), field="ends_at")
    if ends_at - starts_at > timedelta(hours=resource.max_booking_hours):
        raise Invalid(
            _("单次预约不能超过 %(max_booking_hours)s 小时")
            % {"max_booking_hours": resource.max_booking_hours},
            field="ends_at",
        )
    if starts_at < now + timedelta(hours=resource.min_notice_hours):
        raise Invalid(
            _("请至少提前 %(min_notice_hours)s 小时预约") % {"min_notice_hours": resource.min_notice_hours},
            field="starts_at",
        )
    if starts_at > now + timedelta(days=resource.advance_days):
        raise Invalid(
            _("最多可提前 %(advance_days)s 天预约") % {"advance_days": resource.advance_days},
            field="starts_at",
        )
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    start_minute = local_start.hour * 60 + local_start.minute
    end_minute = (
        ends_at - datetime.combine(local_start.date(), time(), tzinfo=local_start.tzinfo)
    ).total_seconds() // 60
    hours = list(
        OpeningHours.objects.filter(resource=resource, weekday=local_start.isoweekday())
    )  # tenancy-ok: the calendar of a resource the actor may book
    if not OpeningHours.objects.filter(resource=resource).exists():  # tenancy-ok: same resource
        hours = [OpeningHours(start_minute=0, end_minute=1440)]  # no hours set: open around the clock
    if not any(h.start_minute <= start_minute and end_minute <= h.end_minute for h in hours):
        raise Invalid(
            _("%(local_start)s–%(local_end)s 不在开放时间内")
            % {"local_start": format(local_start, "%m-%d %H:%M"), "local_end": format(local_end, "%H:%M")},
            field="starts_at",
        )


def _free_unit(resource: Resource, starts_at: datetime, ends_at: datetime) -> int:
    """Expects the resource row locked: the lowest unit with no overlapping booking, or SlotTaken."""
    if MaintenanceBlock.objects.filter(  # tenancy-ok: maintenance of the locked resource
        resource=resource, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists():
        raise SlotTaken(_("该时段为设备维护时间，不能预约"))
    busy = set(
        ServiceOrder.objects.filter(  # tenancy-ok: occupancy check, nothing returned to the actor
            resource=resource, kind=OrderKind.BOOKING, status__in=SLOT_HOLDING,
            starts_at__lt=ends_at, ends_at__gt=starts_at,
        ).values_list("unit", flat=True)
    )  # fmt: skip
    for unit in range(1, resource.capacity + 1):
        if unit not in busy:
            return unit
    raise SlotTaken()


def _lock(resource: Resource) -> Resource:
    # re-read under lock after the visibility and policy checks
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _create(**fields: Any) -> ServiceOrder:
    try:
        with transaction.atomic():
            return ServiceOrder.objects.create(number=_number(), **fields)
    except IntegrityError as exc:  # the exclusion constraint (PostgreSQL) caught a concurrent booking
        raise SlotTaken(_("该时段刚刚被其他用户预约，请选择其他时段")) from exc


def _initial_status(resource: Resource) -> dict[str, Any]:
    if resource.requires_approval:
        return {"status": OrderStatus.SUBMITTED}
    return {"status": OrderStatus.CONFIRMED, "confirmed_at": clock.now()}


@transaction.atomic
def order_book(
    *, actor: Actor, resource_id: int, starts_at: datetime, ends_at: datetime,
    customer_id: int | None = None, note: str = "",
) -> ServiceOrder:  # fmt: skip
    """Book instrument time; confirmed at once unless the provider approves bookings."""
    resource = _bookable(actor, resource_id)
    if not resource.is_slotted:
        raise Invalid(_("检验检测服务项目请按样品下单"), field="kind")
    customer = selectors.customer_for(actor=actor, customer_id=customer_id)
    starts_at, ends_at = selectors.check_range(starts_at, ends_at, max_days=2)
    _check_window(resource, starts_at, ends_at)
    quote = selectors.quote(
        actor=actor, resource=resource, customer=customer, starts_at=starts_at, ends_at=ends_at
    )
    resource = _lock(resource)
    unit = _free_unit(resource, starts_at, ends_at)
    order = _create(
        kind=OrderKind.BOOKING, resource=resource, provider_id=resource.owner_id, customer=customer,
        customer_class=quote.customer_class, created_by_id=actor.user_id, starts_at=starts_at, ends_at=ends_at,
        unit=unit, quoted_fen=quote.amount_fen, price_snapshot=quote.snapshot, note=note.strip()[:500],
        **_initial_status(resource),
    )  # fmt: skip
    audit.record(
        actor=actor, verb="order.booked", target=order,
        data={"fen": order.quoted_fen, "from": starts_at.isoformat(), "to": ends_at.isoformat(), "unit": unit},
    )  # fmt: skip
    return order


@transaction.atomic
def order_sample(
    *, actor: Actor, resource_id: int, samples: int, customer_id: int | None = None, note: str = ""
) -> ServiceOrder:
    """Order a sample (testing) service; the provider's capacity bounds the samples in its open queue."""
    resource = _bookable(actor, resource_id)
    if resource.is_slotted:
        raise Invalid(_("仪器与设施请预约机时"), field="kind")
    if not 1 <= samples <= MAX_SAMPLES:
        raise Invalid(_("样品数应在 1–%(MAX_SAMPLES)s 之间") % {"MAX_SAMPLES": MAX_SAMPLES}, field="samples")
    customer = selectors.customer_for(actor=actor, customer_id=customer_id)
    quote = selectors.quote(actor=actor, resource=resource, customer=customer, samples=samples)
    resource = _lock(resource)
    queued = sum(
        ServiceOrder.objects.filter(  # tenancy-ok: capacity check, nothing returned to the actor
            resource=resource, status__in=[OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS]
        ).values_list("sample_count", flat=True)
    )  # fmt: skip
    if queued + samples > resource.capacity:
        raise Conflict(
            _("该项目在检样品已达上限（剩余可接收 %(capacity)s 个），请稍后再下单")
            % {"capacity": max(resource.capacity - queued, 0)},
            code="capacity_full",
        )
    order = _create(
        kind=OrderKind.SAMPLE, resource=resource, provider_id=resource.owner_id, customer=customer,
        customer_class=quote.customer_class, created_by_id=actor.user_id, sample_count=samples,
        quoted_fen=quote.amount_fen, price_snapshot=quote.snapshot, note=note.strip()[:500],
        **_initial_status(resource),
    )  # fmt: skip
    audit.record(
        actor=actor, verb="order.placed", target=order, data={"fen": order.quoted_fen, "samples": samples}
    )
    return order


# ---------------------------------------------------------------- workflow


def _transition(actor: Actor, order_id: int, action: str, allowed: tuple[str, ...]) -> ServiceOrder:
    """Visible → permitted → locked → in an allowed status; returns the locked row."""
    order = selectors.order_get(actor=actor, order_id=order_id)
    OrderPolicy.require(actor, action, order)
    # re-read under lock after the visibility and policy checks
    order = ServiceOrder.objects.select_for_update().select_related("resource", "customer").get(pk=order.pk)
    if order.status not in allowed:
        raise BadTransition(
            _("订单当前状态为“%(status)s”，不能执行此操作") % {"status": order.get_status_display()},
            status=order.status,
        )
    return order


def _save(
    actor: Actor, order: ServiceOrder, verb: str, fields: list[str], data: dict | None = None
) -> ServiceOrder:
    order.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, verb=verb, target=order, data={"status": order.status, **(data or {})})
    return order


@transaction.atomic
def order_confirm(*, actor: Actor, order_id: int) -> ServiceOrder:
    order = _transition(actor, order_id, "confirm", (OrderStatus.SUBMITTED,))
    order.status, order.confirmed_at = OrderStatus.CONFIRMED, clock.now()
    return _save(actor, order, "order.confirmed", ["status", "confirmed_at"])


@transaction.atomic
def order_reject(*, actor: Actor, order_id: int, reason: str) -> ServiceOrder:
    order = _transition(actor, order_id, "reject", (OrderStatus.SUBMITTED,))
    reason = reason.strip()
    if not reason:
        raise Invalid(_("拒绝订单时请填写理由"), field="reason")
    order.status, order.provider_note, order.cancelled_at = OrderStatus.REJECTED, reason[:300], clock.now()
    _save(
        actor, order, "order.rejected", ["status", "provider_note", "cancelled_at"], {"reason": reason[:300]}
    )
    payment_hooks.cancelled(order)
    return order


def _before_slot(order: ServiceOrder, early_reason: str, step: str) -> dict:
    """A booking's steps wait for its slot; before it they need the provider's reason, kept on the order.

    The reason is given once (when starting or delivering early) and covers the later steps, so the
    customer can confirm completion of a service the provider explained. Returns the audit data to add.
    """
    if order.kind != OrderKind.BOOKING or order.starts_at is None or clock.now() >= order.starts_at:
        return {}
    reason = (early_reason or "").strip()[:300]
    if reason:
        order.early_reason = reason
        return {"early_reason": reason}
    if order.early_reason:
        return {"early_reason": order.early_reason}
    slot = timezone.localtime(order.starts_at).strftime("%Y-%m-%d %H:%M")
    raise Conflict(
        _("预约时段 %(slot)s 尚未开始，提前%(step)s须由服务方填写提前服务的理由")
        % {"slot": slot, "step": step},
        code="before_slot",
        starts_at=slot,
    )


@transaction.atomic
def order_start(*, actor: Actor, order_id: int, early_reason: str = "") -> ServiceOrder:
    """Starting before the booked slot needs `early_reason` (recorded on the order and in the audit)."""
    order = _transition(actor, order_id, "start", (OrderStatus.CONFIRMED,))
    early = _before_slot(order, early_reason, "开始服务")
    order.status, order.started_at = OrderStatus.IN_PROGRESS, clock.now()
    return _save(actor, order, "order.started", ["status", "started_at", "early_reason"], early)


@transaction.atomic
def order_record_usage(
    *, actor: Actor, order_id: int, minutes: int | None = None, samples: int | None = None
) -> ServiceOrder:
    """Actual use, charged at the price frozen on the order."""
    order = _transition(actor, order_id, "record_usage", (OrderStatus.IN_PROGRESS,))
    if order.kind == OrderKind.BOOKING:
        if minutes is None or not 1 <= minutes <= 24 * 60:
            raise Invalid(_("请填写实际使用机时（1–1440 分钟）"), field="minutes")
        start = timezone.localtime(order.starts_at)
        order.actual_minutes = minutes
        order.actual_fen = pricing.price_booking(order.price_snapshot, starts_at=start, minutes=minutes)
        fields = ["actual_minutes", "actual_fen"]
    else:
        if samples is None or not 1 <= samples <= MAX_SAMPLES:
            raise Invalid(
                _("请填写实际检测样品数（1–%(MAX_SAMPLES)s）") % {"MAX_SAMPLES": MAX_SAMPLES}, field="samples"
            )
        order.actual_samples = samples
        order.actual_fen = pricing.price_samples(order.price_snapshot, samples=samples)
        fields = ["actual_samples", "actual_fen"]
    return _save(
        actor,
        order,
        "order.usage_recorded",
        fields,
        {"fen": order.actual_fen, "minutes": minutes, "samples": samples},
    )


@files.atomic()
def order_upload_report(*, actor: Actor, order_id: int, upload) -> ServiceOrder:
    """A private report under a generated name; a replaced report's file goes once the change commits."""
    order = _transition(actor, order_id, "upload_report", (OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED))
    checked = check_upload(upload, kinds=("pdf", "jpg", "png"), max_bytes=MAX_REPORT_BYTES, label="结果报告")
    replaced = order.report.name
    order.report.name = files.store(
        files.private_storage(), files.generated_name(REPORT_FOLDER, checked), checked
    )
    order.report_name = (checked.original_name or f"{order.number}{checked.type.extension}")[-120:]
    files.delete_on_commit(files.private_storage(), replaced)
    return _save(
        actor, order, "order.report_uploaded", ["report", "report_name"], {"file": order.report_name}
    )


@transaction.atomic
def order_deliver(*, actor: Actor, order_id: int, early_reason: str = "") -> ServiceOrder:
    order = _transition(actor, order_id, "deliver", (OrderStatus.IN_PROGRESS,))
    early = _before_slot(order, early_reason, "交付")
    if order.actual_fen is None:
        raise Conflict(_("请先登记实际使用量"), code="usage_missing")
    if order.kind == OrderKind.SAMPLE and not order.report:
        raise Conflict(_("送样检测订单请先上传结果报告"), code="report_missing")
    order.status, order.delivered_at = OrderStatus.DELIVERED, clock.now()
    fields = ["status", "delivered_at", "early_reason"]
    return _save(actor, order, "order.delivered", fields, {"fen": order.actual_fen, **early})


@transaction.atomic
def order_complete(*, actor: Actor, order_id: int) -> ServiceOrder:
    """The customer confirms the service was delivered; the order's vouchers move on in the same transaction."""
    order = _transition(actor, order_id, "complete", (OrderStatus.DELIVERED,))
    early = _before_slot(order, "", "确认完成")  # the customer relies on the provider's recorded reason
    order.status, order.completed_at = OrderStatus.COMPLETED, clock.now()
    _save(actor, order, "order.completed", ["status", "completed_at"], {"fen": order.payable_fen, **early})
    payment_hooks.completed(order)
    return order


def cancellation_fee(order: ServiceOrder, *, now: datetime | None = None) -> int:
    """Free before confirmation or outside the free-cancellation window; else the late-cancellation share."""
    now = now or clock.now()
    if order.status != OrderStatus.CONFIRMED or order.kind != OrderKind.BOOKING:
        return 0
    if order.starts_at - now >= timedelta(hours=order.resource.free_cancel_hours):
        return 0
    return pricing.fee(order.quoted_fen, order.resource.late_cancel_percent)


@transaction.atomic
def order_cancel(*, actor: Actor, order_id: int, reason: str = "") -> ServiceOrder:
    """The customer cancels; late cancellation of a confirmed booking carries the resource's fee."""
    order = _transition(actor, order_id, "cancel", (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED))
    now = clock.now()
    if order.kind == OrderKind.BOOKING and order.starts_at <= now:
        raise BadTransition(_("预约时段已开始，不能取消"))
    order.cancellation_fee_fen = cancellation_fee(order, now=now)
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.note = (order.note + (f"\n取消原因：{reason.strip()}" if reason.strip() else ""))[:500]
    _save(actor, order, "order.cancelled", ["status", "cancelled_at", "cancellation_fee_fen", "note"],
          {"fee_fen": order.cancellation_fee_fen})  # fmt: skip
    payment_hooks.cancelled(order)
    return order


@transaction.atomic
def order_mark_no_show(*, actor: Actor, order_id: int) -> ServiceOrder:
    """The provider records that the customer did not come; the no-show fee applies."""
    order = _transition(actor, order_id, "mark_no_show", (OrderStatus.CONFIRMED,))
    if order.kind != OrderKind.BOOKING:
        raise BadTransition(_("只有机时预约可以登记爽约"))
    if order.starts_at > clock.now():
        raise BadTransition(_("预约时段尚未开始，不能登记爽约"))
    order.status, order.cancelled_at = OrderStatus.NO_SHOW, clock.now()
    order.cancellation_fee_fen = pricing.fee(order.quoted_fen, order.resource.no_show_percent)
    _save(actor, order, "order.no_show", ["status", "cancelled_at", "cancellation_fee_fen"],
          {"fee_fen": order.cancellation_fee_fen})  # fmt: skip
    payment_hooks.cancelled(order)
    return order


__all__ = [name for name in dir() if name.startswith("order_")] + ["cancellation_fee", "OPEN_STATUSES"]
