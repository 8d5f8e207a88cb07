"""Booking and the order workflow: prices frozen, no double booking, cancellation fees, payment hooks."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import OrganisationFactory, actor, member
from tests.resources.factories import ResourceFactory, at, next_weekday, open_weekdays, with_prices
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.resources import payment_hooks, selectors, services
from xietong.resources.enums import CustomerClass, OrderStatus, ResourceKind
from xietong.resources.errors import BadTransition, SlotTaken
from xietong.resources.models import MaintenanceBlock, ServiceOrder

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _book(customer, resource, start="10:00", end="12:00", day=None, **kw):
    day = day or next_weekday(1)
    return services.order_book(
        actor=actor(customer["admin"]),
        resource_id=resource.pk,
        starts_at=at(day, start),
        ends_at=at(day, end),
        **kw,
    )


def test_customer_class_and_quote_by_class(provider, customer, instrument):
    # given four customers: own org, same city (上海), same zone (嘉兴, 长三角), other (成都)
    same_city = OrganisationFactory(region_id="310115")
    chengdu = OrganisationFactory(region_id="510107")
    expected = {
        provider["org"]: (CustomerClass.OWN_ORG, 40000),
        same_city: (CustomerClass.SAME_REGION, 80000),
        customer["org"]: (CustomerClass.SAME_ZONE, 96000),
        chengdu: (CustomerClass.OTHER, 120000),
    }
    day = next_weekday(1)
    for org, (klass, fen) in expected.items():
        # when
        quote = selectors.quote(
            actor=actor(provider["admin"]), resource=instrument, customer=org,
            starts_at=at(day, "10:00"), ends_at=at(day, "12:00"),
        )  # fmt: skip
        # then
        assert (quote.customer_class, quote.amount_fen) == (klass, fen)


def test_a_missing_tier_falls_back_to_the_next_broader_class(provider, customer):
    resource = ResourceFactory(owner=provider["org"])
    with_prices(resource, tiers=[("other", 50000)])
    day = next_weekday(2)
    quote = selectors.quote(
        actor=actor(customer["admin"]), resource=resource, customer=customer["org"],
        starts_at=at(day, "09:00"), ends_at=at(day, "10:00"),
    )  # fmt: skip
    assert quote.customer_class == CustomerClass.SAME_ZONE
    assert quote.snapshot["tier_class"] == CustomerClass.OTHER
    assert quote.amount_fen == 50000


def test_booking_freezes_the_price_and_is_audited(customer, instrument):
    # when
    order = _book(customer, instrument)
    # then
    order = ServiceOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.SUBMITTED
    assert order.quoted_fen == 96000 and order.payable_fen == 96000
    assert order.provider_id == instrument.owner_id and order.customer_id == customer["org"].pk
    assert order.number.startswith("XT") and order.unit == 1
    assert AuditEvent.objects.get(target_id=str(order.pk), verb="order.booked").data["fen"] == 96000
    # a new price list later does not change the order, nor what usage is charged at
    with_prices(instrument, tiers=[("other", 1)], valid_from=timezone.localdate())
    assert ServiceOrder.objects.get(pk=order.pk).quoted_fen == 96000


def test_no_approval_needed_confirms_at_once(customer, instrument):
    instrument.requires_approval = False
    instrument.save()
    assert _book(customer, instrument).status == OrderStatus.CONFIRMED


def test_overlapping_booking_is_refused_and_writes_nothing(customer, instrument):
    _book(customer, instrument, "10:00", "12:00")
    before = AuditEvent.objects.count()
    with pytest.raises(SlotTaken) as exc:
        _book(customer, instrument, "11:30", "13:00")
    assert exc.value.status == 409 and "已被预约" in exc.value.message
    assert ServiceOrder.objects.count() == 1
    assert AuditEvent.objects.count() == before
    # touching ends are fine: [10:00, 12:00) and [12:00, 13:00)
    assert _book(customer, instrument, "12:00", "13:00").unit == 1


def test_capacity_gives_parallel_units(customer, instrument):
    instrument.capacity = 2
    instrument.save()
    assert [_book(customer, instrument).unit for _ in range(2)] == [1, 2]
    with pytest.raises(SlotTaken):
        _book(customer, instrument)


def test_cancelled_booking_frees_the_slot(customer, instrument):
    order = _book(customer, instrument)
    services.order_cancel(actor=actor(customer["admin"]), order_id=order.pk)
    assert _book(customer, instrument).status == OrderStatus.SUBMITTED


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("07:00", "09:00", "不在开放时间内"),
        ("17:00", "19:00", "不在开放时间内"),
        ("12:00", "11:00", "结束时间应晚于开始时间"),
        ("06:00", "19:00", "不能超过 12 小时"),
    ],
)
def test_booking_outside_the_calendar_is_invalid(customer, instrument, start, end, message):
    open_weekdays(instrument)
    with pytest.raises(Invalid, match=message):
        _book(customer, instrument, start, end)
    assert not ServiceOrder.objects.exists()


def test_weekend_is_closed_with_weekday_hours(customer, instrument):
    open_weekdays(instrument)
    with pytest.raises(Invalid, match="不在开放时间内"):
        _book(customer, instrument, day=next_weekday(6))


def test_horizon_and_notice(customer, instrument):
    instrument.advance_days, instrument.min_notice_hours = 3, 0
    instrument.save()
    with pytest.raises(Invalid, match="最多可提前 3 天预约"):
        _book(customer, instrument, day=next_weekday(1, weeks=2))
    instrument.advance_days, instrument.min_notice_hours = 60, 24 * 30
    instrument.save()
    with pytest.raises(Invalid, match="请至少提前 720 小时预约"):
        _book(customer, instrument)


def test_maintenance_blocks_bookings_and_bookings_block_maintenance(provider, customer, instrument):
    day = next_weekday(3)
    services.maintenance_add(
        actor=actor(provider["admin"]), resource_id=instrument.pk,
        starts_at=at(day, "08:00"), ends_at=at(day, "12:00"), reason="年度校准",
    )  # fmt: skip
    with pytest.raises(SlotTaken, match="维护"):
        _book(customer, instrument, "11:00", "13:00", day=day)
    order = _book(customer, instrument, "14:00", "15:00", day=day)
    with pytest.raises(Conflict, match=order.number):
        services.maintenance_add(
            actor=actor(provider["admin"]), resource_id=instrument.pk,
            starts_at=at(day, "14:30"), ends_at=at(day, "16:00"),
        )  # fmt: skip
    assert MaintenanceBlock.objects.count() == 1


class _Recorder:
    """Payment hooks that note what they were told."""

    def __init__(self):
        self.completed, self.cancelled = [], []

    def on_order_completed(self, order):
        self.completed.append((order.number, order.status, order.payable_fen))

    def on_order_cancelled(self, order):
        self.cancelled.append((order.status, order.cancellation_fee_fen))


@pytest.fixture
def recorder():
    hooks = payment_hooks.register(_Recorder())
    yield hooks
    payment_hooks.unregister(hooks)


def test_the_whole_workflow_calls_the_completion_hook(provider, customer, instrument, recorder):
    staff, firm = actor(provider["staff"]), actor(customer["admin"])
    order = _book(customer, instrument)
    services.order_confirm(actor=staff, order_id=order.pk)
    services.order_start(actor=staff, order_id=order.pk, early_reason="客户提前到场，设备空闲")
    with pytest.raises(Conflict, match="请先登记实际使用量"):
        services.order_deliver(actor=staff, order_id=order.pk)
    services.order_record_usage(actor=staff, order_id=order.pk, minutes=95)  # billed 120 min at 480 元/h
    upload = SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")
    services.order_upload_report(actor=staff, order_id=order.pk, upload=upload)
    services.order_deliver(actor=staff, order_id=order.pk)
    services.order_complete(actor=firm, order_id=order.pk)
    order = ServiceOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.COMPLETED and order.completed_at is not None
    assert (order.actual_minutes, order.actual_fen, order.payable_fen) == (95, 96000, 96000)
    assert order.report.name.endswith(".pdf") and order.report_name == "报告.pdf"
    assert recorder.completed == [(order.number, OrderStatus.COMPLETED, 96000)]
    verbs = list(
        AuditEvent.objects.filter(target_id=str(order.pk)).order_by("id").values_list("verb", flat=True)
    )
    assert verbs == ["order.booked", "order.confirmed", "order.started", "order.usage_recorded",
                     "order.report_uploaded", "order.delivered", "order.completed"]  # fmt: skip


def test_the_customer_cannot_act_for_the_provider_and_vice_versa(provider, customer, instrument):
    order = _book(customer, instrument)
    with pytest.raises(Forbidden):
        services.order_confirm(actor=actor(customer["admin"]), order_id=order.pk)
    with pytest.raises(Forbidden):
        services.order_cancel(actor=actor(provider["staff"]), order_id=order.pk)
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


def test_a_wrong_step_is_a_409(provider, customer, instrument):
    order = _book(customer, instrument)
    with pytest.raises(BadTransition, match="待确认"):
        services.order_complete(actor=actor(customer["admin"]), order_id=order.pk)


def test_a_report_must_be_pdf_or_image(provider, customer, instrument):
    staff = actor(provider["staff"])
    order = _book(customer, instrument)
    services.order_confirm(actor=staff, order_id=order.pk)
    services.order_start(actor=staff, order_id=order.pk, early_reason="客户提前到场")
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(Invalid, match="仅支持 PDF、JPG、PNG"):
        services.order_upload_report(actor=staff, order_id=order.pk, upload=fake)
    assert not ServiceOrder.objects.get(pk=order.pk).report


def test_early_cancellation_is_free_and_calls_the_cancellation_hook(provider, customer, instrument, recorder):
    order = _book(customer, instrument)
    services.order_confirm(actor=actor(provider["staff"]), order_id=order.pk)
    services.order_cancel(actor=actor(customer["admin"]), order_id=order.pk, reason="计划调整")
    assert recorder.cancelled == [(OrderStatus.CANCELLED, 0)]


def test_late_cancellation_of_a_confirmed_booking_costs_the_fee(provider, customer, instrument):
    # given a confirmed booking inside the free-cancellation window (here: 30 days before the start)
    instrument.free_cancel_hours = 720
    instrument.save()
    order = _book(customer, instrument, "10:00", "11:00")
    services.order_confirm(actor=actor(provider["staff"]), order_id=order.pk)
    # when
    order = services.order_cancel(actor=actor(customer["admin"]), order_id=order.pk)
    # then 30 % of 480 元
    assert order.quoted_fen == 48000
    assert ServiceOrder.objects.get(pk=order.pk).cancellation_fee_fen == 14400


def test_an_unconfirmed_booking_cancels_free_even_late(customer, instrument):
    instrument.free_cancel_hours = 720
    instrument.save()
    order = _book(customer, instrument, "10:00", "11:00")
    assert services.order_cancel(actor=actor(customer["admin"]), order_id=order.pk).cancellation_fee_fen == 0


def test_no_show_after_the_start_charges_the_no_show_fee(provider, customer, instrument):
    order = _book(customer, instrument)
    services.order_confirm(actor=actor(provider["staff"]), order_id=order.pk)
    with pytest.raises(BadTransition, match="尚未开始"):
        services.order_mark_no_show(actor=actor(provider["staff"]), order_id=order.pk)
    past = timezone.now() - timedelta(hours=3)
    ServiceOrder.objects.filter(pk=order.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    order = services.order_mark_no_show(actor=actor(provider["staff"]), order_id=order.pk)
    assert order.status == OrderStatus.NO_SHOW and order.cancellation_fee_fen == 96000


def test_sample_orders_respect_the_open_queue_capacity(provider, customer):
    service = ResourceFactory(
        owner=provider["org"], kind=ResourceKind.SERVICE, name="材料成分检测", capacity=5
    )
    with_prices(service, unit="sample", tiers=[("other", 80000), ("same_zone", 70000)])
    firm = actor(customer["admin"])
    order = services.order_sample(actor=firm, resource_id=service.pk, samples=3)
    assert (order.quoted_fen, order.sample_count) == (210000, 3)
    with pytest.raises(Conflict, match="剩余可接收 2 个"):
        services.order_sample(actor=firm, resource_id=service.pk, samples=3)
    with pytest.raises(Invalid, match="按样品下单"):
        services.order_book(
            actor=firm,
            resource_id=service.pk,
            starts_at=next_weekday(1),
            ends_at=next_weekday(1) + timedelta(hours=1),
        )
    staff = actor(provider["staff"])
    services.order_confirm(actor=staff, order_id=order.pk)
    services.order_start(actor=staff, order_id=order.pk)
    services.order_record_usage(actor=staff, order_id=order.pk, samples=2)
    with pytest.raises(Conflict, match="请先上传结果报告"):
        services.order_deliver(actor=staff, order_id=order.pk)
    assert ServiceOrder.objects.get(pk=order.pk).actual_fen == 140000


def test_only_members_order_and_only_for_their_own_organisation(customer, instrument):
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    day = next_weekday(1)
    with pytest.raises(Forbidden):
        services.order_book(
            actor=actor(bureau),
            resource_id=instrument.pk,
            starts_at=at(day, "10:00"),
            ends_at=at(day, "11:00"),
        )
    other = OrganisationFactory(region_id="330402")
    with pytest.raises(Forbidden, match="所属的机构"):
        _book(customer, instrument, customer_id=other.pk)
    assert not ServiceOrder.objects.exists()


def test_paused_resources_take_no_orders(customer, instrument):
    instrument.open_status = "paused"
    instrument.save()
    with pytest.raises(Conflict, match="暂停开放"):
        _book(customer, instrument)
