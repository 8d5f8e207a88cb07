"""Indicators computed from the platform's own records, beside the imported statistics.

A provider is a function ``(units, years) -> {year: {unit_code: value}}`` registered by code under a
key; a framework's indicator whose ``Source`` is ``platform:<key>`` is filled from it when a data set is
imported (only cells the spreadsheet left blank: imported statistics win). Records are counted for the
evaluated unit that contains their region (an organisation in 南湖区 330402 counts for 嘉兴市 330400).

Every provider is guarded: if its app is not installed, its table does not exist yet, or its query
fails, it yields no data (the cells stay blank and the run's imputation fills them). Years before the
platform's first record yield no data either: the platform cannot know what happened before it existed.

Registration points: apps add their providers with ``@register(...)`` in this module or in their own
``AppConfig.ready()``. Implemented here: organisation counts from ``orgs``. Reserved keys (listed in
``PLANNED``, shown as 待接入 until registered): vouchers, resources and transfer flows.
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
PLANNED: dict[str, tuple[str, str, str]] = {
    "resources.cross_region_hours": ("跨区域仪器共享服务机时", "万小时", "resources"),
    "vouchers.cross_region_redeemed": ("跨区域使用的科技创新券金额", "万元", "vouchers"),
    "transfer.contract_inflow": ("吸纳区域内其他城市技术合同成交额", "亿元", "transfer"),
    "transfer.joint_achievements": ("跨区域联合完成的科技成果数", "项", "transfer"),
}


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

    # tenancy-ok: aggregate counts per region, no record leaves this function
    return Organisation.objects.filter(status=OrgStatus.APPROVED)


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
