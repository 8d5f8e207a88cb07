"""The catalogue's list price follows the price list in force, including lists published ahead of their date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from xietong.core import audit, clock
from xietong.core.actor import SYSTEM
from xietong.resources.enums import CustomerClass
from xietong.resources.models import PriceList, PriceTier, Resource


def _in_force(resource, on: date):
    """The price lists in force on `on`, the latest first (as `selectors.price_list_in_force`)."""
    return PriceList.objects.filter(resource=resource, valid_from__lte=on).order_by(
        "-valid_from", "-id"
    )  # tenancy-ok: a system task; each resource reads its own price lists


@transaction.atomic
def list_prices_refresh(*, on: date | None = None) -> int:
    """Set every resource's list price and unit from the price list in force on `on` (default today).

    The list price is what the catalogue shows and filters on: the all-week, all-day tier for "other"
    customers. `price_list_set` writes it at once for a list that is already in force; a list published for a
    later date takes over here, run each night by the worker (`resources.tasks`) and by
    `xietong refresh-list-prices`. Returns how many resources changed; running it twice changes nothing.
    """
    on = on or clock.today()
    base = PriceTier.objects.filter(  # tenancy-ok: a system task over every resource's own price lists
        price_list=Subquery(_in_force(OuterRef(OuterRef("pk")), on).values("pk")[:1]),  # nested: the resource
        customer_class=CustomerClass.OTHER,
        weekdays="1234567",
        start_minute=0,
        end_minute=1440,
    ).values("unit_price_fen")[:1]
    in_force_unit = _in_force(OuterRef("pk"), on).values("unit")[:1]
    stale = (
        Resource.objects.annotate(  # tenancy-ok: a system task over every resource's own price lists
            new_price=Subquery(base), new_unit=Subquery(in_force_unit)
        )
        .filter(new_price__isnull=False)
        .filter(
            ~Q(list_price_fen=F("new_price")) | Q(list_price_fen__isnull=True) | ~Q(price_unit=F("new_unit"))
        )
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    changed = 0
    for resource in stale:
        before = resource.list_price_fen
        resource.list_price_fen, resource.price_unit = resource.new_price, resource.new_unit
        resource.save(update_fields=["list_price_fen", "price_unit", "updated_at"])
        audit.record(
            actor=SYSTEM,
            verb="resource.list_price_refreshed",
            target=resource,
            data={"from_fen": before, "to_fen": resource.list_price_fen, "on": on.isoformat()},
        )
        changed += 1
    return changed
