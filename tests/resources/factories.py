"""Factories and small builders for the resources tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from tests.factories import OrganisationFactory
from xietong.orgs.enums import OrgKind
from xietong.resources.enums import OpenStatus, ResourceKind
from xietong.resources.models import Category, OpeningHours, PriceList, PriceTier, Resource


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    owner = factory.SubFactory(OrganisationFactory, kind=OrgKind.UNIVERSITY, region_id="310104")
    region_id = factory.LazyAttribute(lambda o: o.owner.region_id)
    category = factory.LazyFunction(lambda: Category.objects.get(code="0104"))
    kind = ResourceKind.INSTRUMENT
    name = factory.Sequence(lambda n: f"场发射扫描电镜{n}")
    model_number = "SU8010"
    manufacturer = "日立"
    open_status = OpenStatus.OPEN
    requires_approval = True
    min_notice_hours = 0
    advance_days = 60
    max_booking_hours = 12
    free_cancel_hours = 24
    late_cancel_percent = 30
    no_show_percent = 100


def with_prices(
    resource: Resource, *, unit: str = "hour", tiers: list[tuple] | None = None, minimum_fen: int = 0,
    rounding: str = "fen", increment: int = 30, valid_from=None,
) -> PriceList:  # fmt: skip
    """tiers: (class, unit_price_fen) or (class, unit_price_fen, weekdays, start_minute, end_minute)."""
    tiers = tiers or [("other", 60000), ("same_zone", 48000), ("same_region", 40000), ("own_org", 20000)]
    price_list = PriceList.objects.create(
        resource=resource, unit=unit, minimum_charge_fen=minimum_fen, rounding=rounding,
        increment_minutes=increment, valid_from=valid_from or timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    for tier in tiers:
        klass, price, *window = tier
        weekdays, start, end = window or ("1234567", 0, 1440)
        PriceTier.objects.create(
            price_list=price_list, customer_class=klass, unit_price_fen=price, weekdays=weekdays,
            start_minute=start, end_minute=end,
        )  # fmt: skip
    base = next(t[1] for t in tiers if t[0] == "other" and len(t) == 2)
    Resource.objects.filter(pk=resource.pk).update(list_price_fen=base, price_unit=unit)
    resource.list_price_fen, resource.price_unit = base, unit
    return price_list


def open_weekdays(resource: Resource, start: int = 8 * 60, end: int = 18 * 60, days: str = "12345") -> None:
    OpeningHours.objects.bulk_create(
        [OpeningHours(resource=resource, weekday=int(d), start_minute=start, end_minute=end) for d in days]
    )


def next_weekday(weekday: int = 1, *, weeks: int = 1) -> datetime:
    """Local midnight of the given weekday (1 = Monday) at least `weeks` weeks ahead."""
    today = timezone.localdate()
    days = (weekday - today.isoweekday()) % 7 + 7 * weeks
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


def at(day: datetime, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)
