"""Indicators computed from the platform's own records, beside the imported statistics.

A provider is a function ``(units, years) -> {year: {unit_code: value}}`` registered by code under a
key; a framework's indicator whose ``Source`` is ``platform:<key>`` is filled from it when a data set is
imported (only cells the spreadsheet left blank: imported statistics win). Records are counted for the
evaluated unit that contains their region (an organisation in 南湖区 330402 counts for 嘉兴市 330400).

Every provider is guarded: if its app is not installed, its table does not exist yet, or its query
fails, it yields no data (the cells stay blank and the run's imputation fills them). Years before the
platform's first record yield no data either: the platform cannot know what happened before it existed.

Registration points: apps add their providers with ``@register(...)`` in this module or in their own
``AppConfig.ready()``. Implemented here: organisation counts from ``orgs`` (cumulative), and yearly flows
from ``vouchers`` (cross-region redemptions), ``resources`` (shared-instrument service for customers in
other regions) and ``transfer`` (technology contracts and cooperation on achievements).

"Cross-region" is judged at the level of the evaluated units: a record whose two ends roll up to the same
unit (two districts of one city) is local; an end outside every unit counts as another region, except in
the two "区域内其他城市" contract flows, whose other end must be another unit of the framework. A region
above the units' level (a province, when the units are cities) cannot be placed in one unit: such an end
counts as "another region" and is credited to no unit. Every provider reads aggregates only (region,
year, amount); no record leaves this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import DatabaseError

logger = logging.getLogger(__name__)

Values = dict[int, dict[str, float]]
ProviderFunc = Callable[[Sequence[str], Sequence[int]], Values]


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    unit: str
    app_label: str
    func: ProviderFunc


_REGISTRY: dict[str, Provider] = {}
# Keys the preset frameworks use whose providers belong to apps being built; their owners register them.
PLANNED: dict[str, tuple[str, str, str]] = {}


def register(key: str, *, name: str, unit: str, app_label: str) -> Callable[[ProviderFunc], ProviderFunc]:
    """Decorator: register ``func(units, years) -> {year: {unit: value}}`` under ``key``."""

    def wrap(func: ProviderFunc) -> ProviderFunc:
        _REGISTRY[key] = Provider(key=key, name=name, unit=unit, app_label=app_label, func=func)
        return func

    return wrap


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def providers() -> list[dict]:
    """Every known key: registered providers and the planned ones not yet registered."""
    out = [
        {"key": p.key, "name": p.name, "unit": p.unit, "app_label": p.app_label, "available": _installed(p)}
        for p in _REGISTRY.values()
    ]
    out += [
        {"key": key, "name": name, "unit": unit, "app_label": app, "available": False}
        for key, (name, unit, app) in PLANNED.items()
        if key not in _REGISTRY
    ]
    return sorted(out, key=lambda p: p["key"])


def _installed(provider: Provider) -> bool:
    from django.apps import apps

    return apps.is_installed(f"xietong.{provider.app_label}")


def compute(key: str, *, units: Sequence[str], years: Sequence[int]) -> Values:
    """Values of one provider; ``{}`` when it is unknown, its app is missing, or it fails."""
    provider = _REGISTRY.get(key)
    if provider is None or not _installed(provider):
        return {}
    try:
        with _savepoint():
            values = provider.func(tuple(units), tuple(years))
    except (DatabaseError, LookupError, ImportError, AttributeError) as exc:
        logger.warning("platform indicator %s yielded no data: %s", key, exc)
        return {}
    wanted_units, wanted_years = set(units), set(years)
    return {
        int(year): {u: float(v) for u, v in row.items() if u in wanted_units and v is not None}
        for year, row in values.items()
        if int(year) in wanted_years
    }


class _savepoint:
    """A failing query inside a transaction (PostgreSQL) must not poison the caller's transaction."""

    def __enter__(self):
        from django.db import transaction

        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def __exit__(self, *exc):
        return self._atomic.__exit__(*exc)


def unit_of_region(units: Iterable[str]) -> dict[str, str]:
    """Region code → the evaluated unit containing it (every descendant of each unit)."""
    from xietong.regions.selectors import region_descendant_codes

    out: dict[str, str] = {}
    for unit in units:
        for code in region_descendant_codes(unit):
            out.setdefault(code, unit)
    return out


def _cumulative_counts(qs, units: Sequence[str], years: Sequence[int]) -> Values:
    """Count records per unit, cumulatively by the year they were created; no data before the first record."""
    mapping = unit_of_region(units)
    rows = qs.filter(region_id__in=list(mapping)).values_list("region_id", "created_at__year")
    first_year = qs.order_by("created_at").values_list("created_at__year", flat=True).first()
    if first_year is None:
        return {}
    by_year: dict[int, dict[str, int]] = {}
    for region_id, year in rows:
        unit = mapping[region_id]
        by_year.setdefault(year, {}).setdefault(unit, 0)
        by_year[year][unit] += 1
    out: Values = {}
    for year in years:
        if year < first_year:
            continue
        totals = dict.fromkeys(units, 0.0)
        for created, counts in by_year.items():
            if created <= year:
                for unit, n in counts.items():
                    totals[unit] += n
        out[year] = totals
    return out


def _approved_orgs():
    from xietong.orgs.enums import OrgStatus
    from xietong.orgs.models import Organisation

    return Organisation.objects.filter(
        status=OrgStatus.APPROVED
    )  # tenancy-ok: aggregate counts per region, no record leaves this function


@register("orgs.approved", name="平台已认证机构数", unit="家", app_label="orgs")
def orgs_approved(units, years) -> Values:
    return _cumulative_counts(_approved_orgs(), units, years)


@register("orgs.high_tech", name="平台登记的高新技术企业数", unit="家", app_label="orgs")
def orgs_high_tech(units, years) -> Values:
    return _cumulative_counts(_approved_orgs().filter(is_high_tech=True), units, years)


@register("orgs.tech_sme", name="平台登记的科技型中小企业数", unit="家", app_label="orgs")
def orgs_tech_sme(units, years) -> Values:
    return _cumulative_counts(_approved_orgs().filter(is_tech_sme=True), units, years)


@register("orgs.little_giant", name="平台登记的专精特新“小巨人”企业数", unit="家", app_label="orgs")
def orgs_little_giant(units, years) -> Values:
    return _cumulative_counts(_approved_orgs().filter(is_little_giant=True), units, years)


@register("orgs.research_and_testing", name="平台登记的高校院所与检验检测机构数", unit="家", app_label="orgs")
def orgs_research_and_testing(units, years) -> Values:
    from xietong.orgs.enums import OrgKind

    kinds = [OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.TESTING]
    return _cumulative_counts(_approved_orgs().filter(kind__in=kinds), units, years)


# ---------------------------------------------------------------------- yearly flows
FEN_PER_WAN_YUAN = 1_000_000  # 1 万元 = 10 000 元 = 1 000 000 分
FEN_PER_YI_YUAN = 10_000_000_000  # 1 亿元
MINUTES_PER_WAN_HOURS = 600_000  # 1 万小时


def _first_year(qs, field: str) -> int | None:
    """The year of the table's first record (in the current time zone): no data before it."""
    return qs.order_by(field).values_list(f"{field}__year", flat=True).first()


def _yearly_sums(
    items: Iterable[tuple[str | None, int, float]], units: Sequence[str], years: Sequence[int], first_year
) -> Values:
    """Sum (unit, year, amount) per unit and year; every unit is 0 in a year with no record since the first."""
    if first_year is None:
        return {}
    out: Values = {year: dict.fromkeys(units, 0.0) for year in years if year >= first_year}
    for unit, year, amount in items:
        if unit is not None and year in out:
            out[year][unit] += amount
    return out


def _unit_finder(units: Sequence[str]) -> Callable[[str | None], str | None]:
    """Region code → the evaluated unit that contains it, or None (outside every unit, or above their level)."""
    mapping = unit_of_region(units)
    return lambda code: mapping.get(code) if code else None


@register(
    "vouchers.cross_region_redeemed", name="跨区域使用的科技创新券金额", unit="万元", app_label="vouchers"
)
def vouchers_cross_region_redeemed(units, years) -> Values:
    """已兑付 redemptions (by the year paid) whose provider lies outside the issuing unit, per issuing unit.

    The issuing unit is the one containing the programme's issuing region; for a zone's programme, or an
    issuer above the units' level (a province's programme, cities evaluated), the enterprise's unit.
    """
    from xietong.vouchers.enums import RedemptionStatus
    from xietong.vouchers.models import Redemption

    paid = Redemption.objects.filter(
        status=RedemptionStatus.PAID, paid_at__isnull=False
    )  # tenancy-ok: aggregate amounts per region and year, no record leaves this function
    unit_of = _unit_finder(units)
    rows = paid.filter(paid_at__year__in=list(years)).values_list(
        "programme__issuer_region_id",
        "enterprise__region_id",
        "provider__region_id",
        "paid_at__year",
        "amount_fen",
    )
    items = []
    for issuer, enterprise, provider, year, fen in rows:
        home = unit_of(issuer) or unit_of(enterprise)
        if home is not None and unit_of(provider) != home:
            items.append((home, year, fen / FEN_PER_WAN_YUAN))
    return _yearly_sums(items, units, years, _first_year(paid, "paid_at"))


def _completed_orders():
    from xietong.resources.enums import OrderStatus
    from xietong.resources.models import ServiceOrder

    return ServiceOrder.objects.filter(
        status=OrderStatus.COMPLETED, completed_at__isnull=False
    )  # tenancy-ok: aggregate hours and counts per region and year, no record leaves this function


def _cross_region_orders(units, years):
    """(provider unit, year completed, minutes used) of completed orders for customers outside the provider's unit."""
    unit_of = _unit_finder(units)
    rows = (
        _completed_orders()
        .filter(completed_at__year__in=list(years))
        .values_list("provider__region_id", "customer__region_id", "completed_at__year", "kind", "actual_minutes",
                     "starts_at", "ends_at")
    )  # fmt: skip
    for provider, customer, year, kind, minutes, starts_at, ends_at in rows:
        home = unit_of(provider)
        if home is None or unit_of(customer) == home:
            continue
        if minutes is None and kind == "booking" and starts_at and ends_at:
            minutes = (ends_at - starts_at).total_seconds() / 60  # no usage recorded: the booked time
        yield home, year, minutes or 0


@register("resources.cross_region_hours", name="跨区域仪器共享服务机时", unit="万小时", app_label="resources")
def resources_cross_region_hours(units, years) -> Values:
    """Instrument hours used (actual usage, else the booked time) in completed orders for other regions' customers."""
    items = [(u, y, m / MINUTES_PER_WAN_HOURS) for u, y, m in _cross_region_orders(units, years)]
    return _yearly_sums(items, units, years, _first_year(_completed_orders(), "completed_at"))


@register(
    "resources.cross_region_orders",
    name="为其他地区客户完成的共享服务订单数",
    unit="单",
    app_label="resources",
)
def resources_cross_region_orders(units, years) -> Values:
    items = [(u, y, 1.0) for u, y, _ in _cross_region_orders(units, years)]
    return _yearly_sums(items, units, years, _first_year(_completed_orders(), "completed_at"))


def _contracts():
    from xietong.transfer.models import Contract

    return (
        Contract.objects.all()
    )  # tenancy-ok: aggregate amounts and counts per region and year, no record leaves this function


def _contract_flows(units, years, *, side: str, other_inside: bool | None) -> Values:
    """Contract amounts (亿元) per unit on ``side`` ("seller" 输出 / "buyer" 吸纳) by the year signed.

    ``other_inside``: True = the other party is another unit of the framework; None = any other party.
    """
    unit_of = _unit_finder(units)
    rows = (
        _contracts()
        .filter(signed_on__year__in=list(years))
        .values_list("seller_region_id", "buyer_region_id", "signed_on__year", "amount_fen")
    )
    items = []
    for seller, buyer, year, fen in rows:
        home, other = (
            (unit_of(seller), unit_of(buyer)) if side == "seller" else (unit_of(buyer), unit_of(seller))
        )
        if home is None:
            continue
        if other_inside is True and (other is None or other == home):
            continue
        items.append((home, year, fen / FEN_PER_YI_YUAN))
    return _yearly_sums(items, units, years, _first_year(_contracts(), "signed_on"))


@register(
    "transfer.contract_inflow", name="吸纳区域内其他城市技术合同成交额", unit="亿元", app_label="transfer"
)
def transfer_contract_inflow(units, years) -> Values:
    return _contract_flows(units, years, side="buyer", other_inside=True)


@register(
    "transfer.contract_outflow", name="向区域内其他城市输出技术合同成交额", unit="亿元", app_label="transfer"
)
def transfer_contract_outflow(units, years) -> Values:
    return _contract_flows(units, years, side="seller", other_inside=True)


@register(
    "transfer.contract_inflow_total", name="吸纳技术合同成交额（全部）", unit="亿元", app_label="transfer"
)
def transfer_contract_inflow_total(units, years) -> Values:
    return _contract_flows(units, years, side="buyer", other_inside=None)


@register(
    "transfer.contract_outflow_total", name="输出技术合同成交额（全部）", unit="亿元", app_label="transfer"
)
def transfer_contract_outflow_total(units, years) -> Values:
    return _contract_flows(units, years, side="seller", other_inside=None)


@register(
    "transfer.cross_region_contracts", name="跨区域技术合同数（输出与吸纳）", unit="项", app_label="transfer"
)
def transfer_cross_region_contracts(units, years) -> Values:
    """Contracts signed with a party outside the unit, counted once for each end inside a unit."""
    unit_of = _unit_finder(units)
    rows = (
        _contracts()
        .filter(signed_on__year__in=list(years))
        .values_list("seller_region_id", "buyer_region_id", "signed_on__year")
    )
    items = []
    for seller, buyer, year in rows:
        ends = (unit_of(seller), unit_of(buyer))
        if ends[0] != ends[1]:
            items += [(unit, year, 1.0) for unit in ends if unit is not None]
    return _yearly_sums(items, units, years, _first_year(_contracts(), "signed_on"))


@register(
    "transfer.joint_achievements", name="与其他地区机构合作转化的科技成果数", unit="项", app_label="transfer"
)
def transfer_joint_achievements(units, years) -> Values:
    """Achievements owned in a unit with an accepted 意向 from an organisation outside it (year accepted, once a year)."""
    from xietong.transfer.enums import IntentStatus
    from xietong.transfer.models import Intent

    accepted = Intent.objects.filter(  # tenancy-ok: aggregate counts per region and year, no record leaves this function
        status=IntentStatus.ACCEPTED, achievement__isnull=False, decided_at__isnull=False
    )
    unit_of = _unit_finder(units)
    rows = accepted.filter(decided_at__year__in=list(years)).values_list(
        "achievement_id", "achievement__region_id", "from_org__region_id", "decided_at__year"
    )
    seen = set()
    items = []
    for achievement, owner, partner, year in rows:
        home = unit_of(owner)
        if home is not None and unit_of(partner) != home and (achievement, year) not in seen:
            seen.add((achievement, year))
            items.append((home, year, 1.0))
    return _yearly_sums(items, units, years, _first_year(accepted, "decided_at"))
