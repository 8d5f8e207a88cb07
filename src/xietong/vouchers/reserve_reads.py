"""The reads on the voucher reserve path, in plain SQL (`core.hotsql`): one statement each, locks where needed.

Reserving is the statement-heaviest thing the platform does many times a second; through the ORM these four
reads cost more CPU than the rest of a redemption together. The rules they encode are stated next to each and
checked against the ORM spelling in `tests/vouchers/test_reserve_path.py`.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from xietong.core import hotsql
from xietong.core.hotsql import column, lock_clause, placeholders, select_list, table
from xietong.ledger.models import Account
from xietong.orgs.models import Organisation
from xietong.regions.models import Region, ZoneMember
from xietong.resources.models import Resource, ServiceOrder
from xietong.vouchers.enums import OPEN_REDEMPTION
from xietong.vouchers.models import BundlePartner, Grant, Programme, Redemption

GRANT = hotsql.concrete(Grant)
PROGRAMME = hotsql.concrete(Programme)
ACCOUNT = hotsql.concrete(Account)
ORDER = hotsql.concrete(ServiceOrder)
RESOURCE = ("id", "owner_id", "region_id", "kind", "name", "open_status")
PROVIDER = ("id", "name", "kind", "region_id", "status")
REDEMPTION = hotsql.concrete(Redemption)


@cache
def _grant_sql(organisations: int) -> str:
    g = Grant
    return (
        f"SELECT {select_list('g', Grant, GRANT)}, {select_list('p', Programme, PROGRAMME)}, "
        f"{select_list('a', Account, ACCOUNT)}, {select_list('r', Account, ACCOUNT)} "
        f"FROM {table(Grant)} g "
        f"JOIN {table(Programme)} p ON p.id = g.{column(g, 'programme')} "
        f"JOIN {table(Account)} a ON a.id = g.{column(g, 'available_account')} "
        f"JOIN {table(Account)} r ON r.id = g.{column(g, 'reserved_account')} "
        f"WHERE g.id = %s AND g.{column(g, 'enterprise')} IN ({placeholders(organisations)})"
        + lock_clause("g")
    )


def grant_for_use(grant_id: int, organisation_ids: Collection[int]) -> Grant | None:
    """The grant, row-locked, with its programme and both accounts; None unless it belongs to one of the
    organisations (`GrantPolicy.visible` ∧ `GrantPolicy.usable`: the "use" rule, so a grant the actor may not
    use is never locked)."""
    orgs = sorted(organisation_ids)
    row = hotsql.fetch_one(_grant_sql(len(orgs)), [grant_id, *hotsql.in_params(orgs)])
    if row is None:
        return None
    (grant, programme, available, reserved), _ = hotsql.split(
        row, (Grant, GRANT), (Programme, PROGRAMME), (Account, ACCOUNT), (Account, ACCOUNT)
    )
    grant.programme, grant.available_account, grant.reserved_account = programme, available, reserved
    return grant


@cache
def _key_sql() -> str:
    r = Redemption
    return (
        f"SELECT {select_list('x', r, REDEMPTION)} FROM {table(r)} x "
        f"WHERE x.{column(r, 'grant')} = %s AND x.{column(r, 'idempotency_key')} = %s"
    )


def redemption_for_key(grant_id: int, key: str) -> Redemption | None:
    """The reservation made on this grant with this idempotency key (unique per grant), if any. Read after the
    grant is locked: a concurrent request with the same key has committed or not started."""
    row = hotsql.fetch_one(_key_sql(), [grant_id, key])
    return None if row is None else hotsql.instance(Redemption, REDEMPTION, row)


@cache
def _order_sql() -> str:
    o, zm, bp = ServiceOrder, ZoneMember, BundlePartner
    region_parent = column(Region, "parent")
    return (
        f"SELECT {select_list('o', o, ORDER)}, {select_list('res', Resource, RESOURCE)}, "
        f"{select_list('prov', Organisation, PROVIDER)}, "
        # the provider lies in the zone when its region, or the region's parent or grandparent, is a member
        # (the region tree has three levels): the same set as regions.selectors.zone_region_codes
        f"EXISTS (SELECT 1 FROM {table(zm)} zm WHERE zm.{column(zm, 'zone')} = %s AND zm.{column(zm, 'region')} "
        f"IN (pr.code, pr.{region_parent}, pp.{region_parent})), "
        f"EXISTS (SELECT 1 FROM {table(bp)} bp WHERE bp.{column(bp, 'order')} = o.id "
        f"AND bp.{column(bp, 'enterprise')} = %s) "
        f"FROM {table(o)} o "
        f"JOIN {table(Resource)} res ON res.id = o.{column(o, 'resource')} "
        f"JOIN {table(Organisation)} prov ON prov.id = o.{column(o, 'provider')} "
        f"JOIN {table(Region)} pr ON pr.code = prov.{column(Organisation, 'region')} "
        f"LEFT JOIN {table(Region)} pp ON pp.code = pr.{region_parent} "
        f"WHERE o.id = %s" + lock_clause("o")
    )


def order_for_use(order_id: int, *, enterprise_id: int, zone_id: int | None) -> ServiceOrder | None:
    """The order, row-locked, with its resource and provider, and two answers read with it:
    `provider_in_zone` (whether the provider lies in `zone_id`) and `has_partner` (whether `enterprise_id` was
    invited to bundle its voucher on the order)."""
    row = hotsql.fetch_one(_order_sql(), [zone_id, enterprise_id, order_id])
    if row is None:
        return None
    (order, resource, provider), (in_zone, partner) = hotsql.split(
        row, (ServiceOrder, ORDER), (Resource, RESOURCE), (Organisation, PROVIDER)
    )
    order.resource, order.provider = resource, provider
    order.provider_in_zone, order.has_partner = bool(in_zone), bool(partner)
    return order


@cache
def _totals_sql() -> str:
    r = Redemption
    amount, programme = column(r, "amount_fen"), column(r, "programme")
    return (
        f"SELECT COALESCE(SUM({amount}), 0), "
        f"COALESCE(SUM(CASE WHEN {programme} = %s THEN {amount} END), 0) "
        f"FROM {table(r)} WHERE {column(r, 'order')} = %s "
        f"AND {column(r, 'status')} IN ({placeholders(len(OPEN_REDEMPTION))})"
    )


def open_totals(order_id: int, programme_id: int) -> tuple[int, int]:
    """What open reservations already cover on the order: in all, and from this programme's vouchers.
    Read after the order is locked, so no reservation on it can commit in between."""
    row = hotsql.fetch_one(_totals_sql(), [programme_id, order_id, *sorted(OPEN_REDEMPTION)])
    return int(row[0]), int(row[1])
