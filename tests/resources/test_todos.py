"""The resources app's to-dos: a booking waiting for confirmation shows for the provider (not the customer);
a delivered order shows for the customer to accept."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import actor
from tests.resources.factories import at, next_weekday, open_weekdays
from xietong.core import todos
from xietong.resources import services

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {s.key: n for s, n in todos.counts(actor(user))}


def test_provider_sees_orders_to_confirm_and_customer_orders_to_accept(provider, customer, instrument):
    open_weekdays(instrument)
    day = next_weekday(1)
    order = services.order_book(
        actor=actor(customer["admin"]),
        resource_id=instrument.pk,
        starts_at=at(day, "10:00"),
        ends_at=at(day, "12:00"),
    )
    assert _counts(provider["admin"]).get("resources.confirm") == 1
    assert _counts(provider["staff"]).get("resources.confirm") == 1
    assert "resources.confirm" not in _counts(customer["admin"])
    body = client_for(provider["admin"]).get("/me/todos/").content.decode()
    assert order.number in body and f"/resources/orders/{order.pk}/" in body

    services.order_confirm(actor=actor(provider["admin"]), order_id=order.pk)
    assert "resources.confirm" not in _counts(provider["admin"])
    services.order_start(actor=actor(provider["admin"]), order_id=order.pk, early_reason="客户提前送样")
    services.order_record_usage(actor=actor(provider["admin"]), order_id=order.pk, minutes=120)
    services.order_deliver(actor=actor(provider["admin"]), order_id=order.pk, early_reason="客户提前送样")
    assert _counts(customer["admin"]).get("resources.accept") == 1
