"""No double booking under concurrency, proven on PostgreSQL: 32 threads race for one slot, one wins."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from tests.factories import OrganisationFactory, actor, member
from tests.resources.factories import ResourceFactory, at, next_weekday, with_prices
from xietong.core.roles import Role
from xietong.resources import services
from xietong.resources.errors import SlotTaken
from xietong.resources.models import ServiceOrder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 32


@pytest.fixture
def race(postgres_only):
    provider = OrganisationFactory(name="上海仪器中心", kind="university", region_id="310104")
    resource = ResourceFactory(owner=provider)
    with_prices(resource)
    firms = []
    for i in range(THREADS):
        org = OrganisationFactory(name=f"嘉兴竞争企业{i}有限公司", region_id="330402")
        firms.append(actor(member(Role.ORG_ADMIN, organisation=org)))
    return resource, firms


def test_32_threads_race_for_one_slot_and_exactly_one_wins(race):
    # given 32 firms ready to book the same two hours
    resource, firms = race
    day = next_weekday(1)
    starts_at, ends_at = at(day, "10:00"), at(day, "12:00")
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def book(firm):
        try:
            barrier.wait()
            services.order_book(actor=firm, resource_id=resource.pk, starts_at=starts_at, ends_at=ends_at)
            outcome = "won"
        except SlotTaken as exc:
            outcome = f"409:{exc.message}"
        except Exception as exc:
            outcome = f"error:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    # when
    threads = [threading.Thread(target=book, args=(firm,)) for firm in firms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then
    assert len(results) == THREADS
    assert results.count("won") == 1
    losers = [r for r in results if r != "won"]
    assert all(r.startswith("409:") and "预约" in r for r in losers), losers
    assert ServiceOrder.objects.filter(resource=resource).count() == 1


def test_the_exclusion_constraint_itself_refuses_an_overlap(race):
    # given one booking made through the service
    resource, firms = race
    day = next_weekday(2)
    order = services.order_book(
        actor=firms[0], resource_id=resource.pk, starts_at=at(day, "10:00"), ends_at=at(day, "12:00")
    )
    assert connection.vendor == "postgresql"
    # when a second row is written behind the service's back, then the database refuses it
    with pytest.raises(IntegrityError, match="order_no_double_booking"), transaction.atomic():
        ServiceOrder.objects.create(
            number="XTRAW0001", kind="booking", resource=resource, provider=resource.owner, customer=order.customer,
            customer_class="same_zone", starts_at=at(day, "11:00"), ends_at=at(day, "11:30"), unit=1, quoted_fen=1,
        )  # fmt: skip
    # a different unit, a cancelled row or an adjacent range are all allowed
    ServiceOrder.objects.create(
        number="XTRAW0002", kind="booking", resource=resource, provider=resource.owner, customer=order.customer,
        customer_class="same_zone", starts_at=at(day, "12:00"), ends_at=at(day, "12:00") + timedelta(minutes=30),
        unit=1, quoted_fen=1,
    )  # fmt: skip
    ServiceOrder.objects.create(
        number="XTRAW0003", kind="booking", resource=resource, provider=resource.owner, customer=order.customer,
        customer_class="same_zone", starts_at=at(day, "10:00"), ends_at=at(day, "12:00"), unit=1, quoted_fen=1,
        status="cancelled",
    )  # fmt: skip
