"""Measured progress of metric-linked tasks, read from the evaluation app's platform indicator registry.

A task names a provider (``platform_indicators`` key), a scope (a zone: the sum over its member regions; or one
region) and a target for a year. Its measured value is exactly what the registry computes for that scope and year,
so the index, the dashboard and the task agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from xietong.coordination.enums import MetricScopeKind
from xietong.core.errors import Invalid, NotFound
from xietong.evaluation import platform_indicators
from xietong.regions import selectors as region_selectors


def available() -> list[dict]:
    """Pure: the registered, installed providers a task may name (key, name, unit)."""
    return [p for p in platform_indicators.providers() if p["available"]]


def provider_name(key: str) -> str:
    return next((p["name"] for p in platform_indicators.providers() if p["key"] == key), key)


def provider_unit(key: str) -> str:
    return next((p["unit"] for p in platform_indicators.providers() if p["key"] == key), "")


def scope_units(kind: str, code: str) -> tuple[str, ...]:
    """The region codes the indicator is computed for: a zone's members, or the one region."""
    if kind == MetricScopeKind.ZONE:
        zone = region_selectors.zone_get(zone_id_or_code=code)
        return tuple(sorted(r.code for r in region_selectors.zone_members(zone)))
    region_selectors.region_get(code)
    return (code,)


def scope_name(kind: str, code: str) -> str:
    """Public: the zone's or region's name for a task page, where the stored code (`chengyu`) means nothing to a
    reader; the code itself if it no longer names one."""
    try:
        if kind == MetricScopeKind.ZONE:
            return region_selectors.zone_get(zone_id_or_code=code).short_name
        return region_selectors.region_get(code).name
    except NotFound:
        return code


def validate(*, key: str, kind: str, code: str, target, year) -> tuple[str, str, str, float, int] | None:
    """The cleaned metric link, None when no key is given, or Invalid with a Chinese message."""
    key = (key or "").strip()
    if not key:
        return None
    if key not in {p["key"] for p in available()}:
        raise Invalid(_("平台指标不存在或未启用"), field="metric_key")
    if kind not in MetricScopeKind.values:
        raise Invalid(_("请选择指标范围（协同区或地区）"), field="metric_scope_kind")
    try:
        scope_units(kind, (code or "").strip())
    except Exception as exc:  # NotFound of regions, or a malformed code
        raise Invalid(_("指标范围不存在（协同区代码或 6 位区划代码）"), field="metric_scope") from exc
    try:
        target_value, year_value = float(target), int(year)
    except (TypeError, ValueError) as exc:
        raise Invalid(_("请填写指标目标值和年度"), field="metric_target") from exc
    if not target_value > 0 or target_value > 1e12:
        raise Invalid(_("指标目标值应为正数"), field="metric_target")
    if not 2000 <= year_value <= 2100:
        raise Invalid(_("指标年度应在 2000–2100 之间"), field="metric_year")
    return key, kind, code.strip(), target_value, year_value


def measure_many(links: Iterable[tuple[str, str, str, int]]) -> dict[tuple[str, str, str, int], float]:
    """Measured value per distinct (key, scope kind, scope, year): one registry call each, however many tasks."""
    out = {}
    for link in set(links):
        key, kind, code, year = link
        try:
            units = scope_units(kind, code)
        except Exception:  # a zone or region removed since the task was linked: nothing to measure
            continue
        values = platform_indicators.compute(key, units=units, years=[year])
        out[link] = float(sum(values.get(year, {}).values()))
    return out
