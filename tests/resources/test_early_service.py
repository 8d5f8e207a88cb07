"""Issue 12, items 8 and 12: a booking is not started, delivered or completed before its slot unless the
provider states why (recorded on the order, shown, audited); the calendar never calls a future slot 已完成,
a closed day is not 空闲, a weekend price of an instrument closed at weekends is not listed; the
provider's bureau reads the order but not the client's private note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.factories import actor, member
from tests.resources.factories import at, next_weekday, open_weekdays, with_prices
from xietong.core import clock
from xietong.core.errors import Conflict
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.resources import selectors, services
from xietong.resources.enums import OrderStatus
from xietong.resources.models import OpeningHours, ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(provider, customer, instrument):
    """A confirmed booking of next week's Monday 10:00–12:00."""
    OpeningHours.objects.filter(resource=instrument).delete()
    open_weekdays(instrument)
    day = next_weekday(1)
    order = services.order_book(
        actor=actor(customer["admin"]), resource_id=instrument.pk,
        starts_at=at(day, "10:00"), ends_at=at(day, "12:00"), note="样品含涉密配方，请勿外传",
    )  # fmt: skip
    services.order_confirm(actor=actor(provider["staff"]), order_id=order.pk)
    return ServiceOrder.objects.get(pk=order.pk)


def test_starting_before_the_slot_without_a_reason_is_refused_and_nothing_changes(provider, booked):
    staff = actor(provider["staff"])
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="尚未开始，提前开始服务须由服务方填写提前服务的理由"):
        services.order_start(actor=staff, order_id=booked.pk, early_reason="   ")
    order = ServiceOrder.objects.get(pk=booked.pk)
    assert (order.status, order.started_at, order.early_reason) == (OrderStatus.CONFIRMED, None, "")
    assert AuditEvent.objects.count() == events


def test_an_early_service_keeps_the_providers_reason_and_the_customer_may_then_complete(
    provider, customer, booked
):
    staff, firm = actor(provider["staff"]), actor(customer["admin"])
    services.order_start(actor=staff, order_id=booked.pk, early_reason="客户提前送样，设备当日空闲")
    services.order_record_usage(actor=staff, order_id=booked.pk, minutes=60)
    services.order_deliver(actor=staff, order_id=booked.pk)  # the recorded reason covers the later steps
    services.order_complete(actor=firm, order_id=booked.pk)
    order = ServiceOrder.objects.get(pk=booked.pk)
    assert (order.status, order.early_reason) == (OrderStatus.COMPLETED, "客户提前送样，设备当日空闲")
    verbs = dict(
        AuditEvent.objects.filter(target_id=str(order.pk), target_type="resources.serviceorder")
        .exclude(data__early_reason=None)
        .values_list("verb", "data__early_reason")
    )
    assert verbs == {
        "order.started": "客户提前送样，设备当日空闲",
        "order.delivered": "客户提前送样，设备当日空闲",
        "order.completed": "客户提前送样，设备当日空闲",
    }
    # the order page shows the reason; the operation log reads in Chinese with the person's name
    page = client_for(customer["admin"]).get(f"/resources/orders/{order.pk}/").content.decode()
    assert "客户提前送样，设备当日空闲" in page and "开始服务" in page and "order.started" not in page


def test_within_the_slot_no_reason_is_asked(provider, customer, booked):
    staff = actor(provider["staff"])
    with clock.travel_to(booked.starts_at + timedelta(minutes=5)):
        services.order_start(actor=staff, order_id=booked.pk)
        services.order_record_usage(actor=staff, order_id=booked.pk, minutes=60)
        services.order_deliver(actor=staff, order_id=booked.pk)
        services.order_complete(actor=actor(customer["admin"]), order_id=booked.pk)
    order = ServiceOrder.objects.get(pk=booked.pk)
    assert (order.status, order.early_reason) == (OrderStatus.COMPLETED, "")


def test_the_customer_cannot_complete_early_on_their_own(provider, customer, booked):
    """Delivered within a past slot's window is not the case here: a delivered order whose slot is still ahead
    and that has no provider's reason (e.g. written before this rule) is not completed by the customer."""
    ServiceOrder.objects.filter(pk=booked.pk).update(status=OrderStatus.DELIVERED, actual_fen=100)
    with pytest.raises(Conflict, match="提前确认完成须由服务方填写"):
        services.order_complete(actor=actor(customer["admin"]), order_id=booked.pk)
    assert ServiceOrder.objects.get(pk=booked.pk).status == OrderStatus.DELIVERED


def test_the_page_asks_for_the_reason_and_a_missing_one_is_a_409(provider, booked):
    client = client_for(provider["staff"])
    page = client.get(f"/resources/orders/{booked.pk}/").content.decode()
    assert 'name="early_reason"' in page
    assert client.post(f"/resources/orders/{booked.pk}/start/").status_code == 409
    assert ServiceOrder.objects.get(pk=booked.pk).status == OrderStatus.CONFIRMED
    done = client.post(f"/resources/orders/{booked.pk}/start/", {"early_reason": "客户提前到场"})
    assert done.status_code == 302
    assert ServiceOrder.objects.get(pk=booked.pk).early_reason == "客户提前到场"


def test_the_calendar_never_calls_a_future_slot_completed(provider, customer, booked, instrument):
    staff = actor(provider["staff"])
    services.order_start(actor=staff, order_id=booked.pk, early_reason="客户提前送样")
    services.order_record_usage(actor=staff, order_id=booked.pk, minutes=60)
    services.order_deliver(actor=staff, order_id=booked.pk)
    services.order_complete(actor=actor(customer["admin"]), order_id=booked.pk)
    days = selectors.resource_calendar(
        actor=staff, resource=instrument, start=booked.starts_at.date(), days=7
    )
    labels = [b["status_label"] for d in days for b in d.bookings]
    assert labels == ["已提前服务"]


def test_a_closed_day_is_not_free_and_a_weekend_price_of_a_weekday_instrument_is_not_listed(
    provider, instrument, booked
):
    from django.utils import timezone

    tiers = [("other", 60000), ("other", 90000, "67", 0, 1440)]
    with_prices(instrument, tiers=tiers, valid_from=timezone.localdate())
    page = client_for().get(f"/resources/{instrument.pk}/", {"start": next_weekday(1).strftime("%Y-%m-%d")})
    html = page.content.decode()
    calendar = html[html.index('id="calendar"') :]
    # Monday–Friday open (one booked), Saturday and Sunday closed: 4 free days, 2 closed
    assert (calendar.count("空闲"), calendar.count("闭馆")) == (4, 2)
    start = html.index('id="prices"')
    prices = html[start : html.index("</table>", start)]
    assert "600.00" in prices and "900.00" not in prices


@pytest.mark.parametrize(
    ("who", "sees_note"),
    [("customer", True), ("provider", True), ("bureau_jx", True), ("platform", True), ("bureau_sh", False),
     ("zone_yrd", False)],
)  # fmt: skip
def test_the_clients_note_is_read_by_the_parties_and_the_clients_bureau_only(
    provider, customer, booked, who, sees_note
):
    from xietong.regions.models import Zone

    users = {
        "customer": customer["admin"], "provider": provider["staff"],
        "bureau_jx": member(Role.REGION_BUREAU, region_id="330400"),
        "bureau_sh": member(Role.REGION_BUREAU, region_id="310000"),
        "zone_yrd": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        "platform": member(Role.PLATFORM_ADMIN),
    }  # fmt: skip
    response = client_for(users[who]).get(f"/resources/orders/{booked.pk}/")
    assert response.status_code == 200  # every one of them may see the order itself
    assert ("样品含涉密配方" in response.content.decode()) is sees_note


def test_an_order_upload_flow_still_needs_no_reason_for_sample_orders(provider, customer):
    """Sample orders have no slot: nothing changes for them."""
    from tests.resources.factories import ResourceFactory

    service = ResourceFactory(owner=provider["org"], name="成分检测", kind="service", capacity=10)
    with_prices(service, unit="sample")
    order = services.order_sample(actor=actor(customer["admin"]), resource_id=service.pk, samples=1)
    staff = actor(provider["staff"])
    services.order_confirm(actor=staff, order_id=order.pk)
    services.order_start(actor=staff, order_id=order.pk)
    services.order_record_usage(actor=staff, order_id=order.pk, samples=1)
    upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.order_upload_report(actor=staff, order_id=order.pk, upload=upload)
    assert services.order_deliver(actor=staff, order_id=order.pk).status == OrderStatus.DELIVERED
