"""One cleaning of resource and price-list fields, shared by the API, the pages and the Excel import.

Each `clean_*` takes raw text (or JSON values) and returns (data, {}) or (None, {field: 中文 message}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from xietong.core import clock
from xietong.core.errors import Invalid
from xietong.core.excel import column_label, parse_bool
from xietong.core.money import yuan_to_fen
from xietong.orgs.validation import RegionResolver
from xietong.regions.models import Zone
from xietong.resources.enums import CustomerClass, OpenStatus, PriceUnit, ResourceKind, Rounding
from xietong.resources.models import Category

RESOURCE_LABELS = {
    "name": "名称", "kind": "类型", "category": "类别", "region": "所在地区", "model_number": "规格型号",
    "manufacturer": "生产厂商", "original_value": "原值（元）", "specs": "主要技术指标", "description": "服务内容与简介",
    "address": "存放地点", "open_status": "开放状态", "is_cma": "CMA", "is_cnas": "CNAS", "recognised_zones": "互认协同区",
    "capacity": "容量", "advance_days": "最长提前预约天数", "min_notice_hours": "最短提前预约小时数",
    "max_booking_hours": "单次预约最长小时数", "requires_approval": "预约需确认", "free_cancel_hours": "免费取消提前小时数",
    "late_cancel_percent": "迟取消费比例", "no_show_percent": "爽约费比例", "asset_code": "资产编号", "lng": "经度", "lat": "纬度",
}  # fmt: skip
INT_LIMITS = {
    "capacity": (1, 1000, 1), "advance_days": (1, 365, 30), "min_notice_hours": (0, 720, 2),
    "max_booking_hours": (1, 24, 12), "free_cancel_hours": (0, 720, 24), "late_cancel_percent": (0, 100, 30),
    "no_show_percent": (0, 100, 100),
}  # fmt: skip
TEXT_LIMITS = {
    "name": 120, "model_number": 80, "manufacturer": 80, "specs": 4000, "description": 4000, "address": 200, "asset_code": 40,
}  # fmt: skip


@dataclass(frozen=True)
class ResourceData:
    name: str
    kind: str
    category_id: int
    region_id: str
    model_number: str = ""
    manufacturer: str = ""
    original_value_fen: int | None = None
    specs: str = ""
    description: str = ""
    address: str = ""
    asset_code: str = ""
    open_status: str = OpenStatus.OPEN
    is_cma: bool = False
    is_cnas: bool = False
    recognised_zone_ids: tuple[int, ...] = ()
    capacity: int = 1
    advance_days: int = 30
    min_notice_hours: int = 2
    max_booking_hours: int = 12
    requires_approval: bool = True
    free_cancel_hours: int = 24
    late_cancel_percent: int = 30
    no_show_percent: int = 100
    lng: float | None = None
    lat: float | None = None

    def model_fields(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.pop("recognised_zone_ids")
        return values


def choice(value: Any, choices: type, label: str) -> str:
    text = str(value or "").strip()
    for code, name in choices.choices:
        if text in (code, name):
            return code
    raise ValueError(
        _("%(label)s“%(text)s”无效，可选：%(allowed)s")
        % {"label": column_label(label), "text": text, "allowed": "、".join(choices.labels)}
    )


class Lookups:
    """Categories, zones and regions loaded once per import (three queries)."""

    def __init__(self) -> None:
        self.categories: dict[str, int] = {}
        for pk, code, name in Category.objects.values_list("pk", "code", "name"):
            self.categories[code] = pk
            self.categories.setdefault(name, pk)
        self.zones: dict[str, int] = {}
        for pk, code, name, short in Zone.objects.values_list("pk", "code", "name", "short_name"):
            self.zones.update({code: pk, name: pk, short: pk})
        self._regions: RegionResolver | None = None

    def region(self, value: str) -> str:
        if self._regions is None:
            self._regions = RegionResolver()
        return self._regions(value)


def _int(raw: Any, label: str, low: int, high: int) -> int:
    text = str(raw).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(
            _("%(label)s应为整数，当前为“%(text)s”") % {"label": column_label(label), "text": text}
        )
    value = int(text)
    if not low <= value <= high:
        raise ValueError(
            _("%(label)s应在 %(low)s–%(high)s 之间，当前为 %(value)s")
            % {"label": column_label(label), "low": low, "high": high, "value": value}
        )
    return value


def _bool(raw: Any, label: str, default: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None or str(raw).strip() == "":
        return default
    try:
        return bool(parse_bool(str(raw)))
    except ValueError:
        raise ValueError(
            _("%(label)s应填“是”或“否”，当前为“%(raw)s”") % {"label": column_label(label), "raw": raw}
        ) from None


def clean_resource(
    raw: dict[str, Any], *, default_region: str, lookups: Lookups | None = None
) -> tuple[ResourceData | None, dict[str, str]]:
    lookups = lookups or Lookups()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, limit in TEXT_LIMITS.items():
        value = str(raw.get(key) or "").strip()
        if key == "name" and not value:
            errors[key] = _("名称为必填项")
        elif len(value) > limit:
            errors[key] = _("%(RESOURCE_LABELS)s不能超过 %(limit)s 个字符") % {
                "RESOURCE_LABELS": RESOURCE_LABELS[key],
                "limit": limit,
            }
        out[key] = value

    def attempt(key: str, fn) -> None:
        try:
            out[key] = fn()
        except (ValueError, Invalid) as exc:
            errors[key.removesuffix("_id").removesuffix("_fen")] = getattr(exc, "message", None) or str(exc)

    attempt("kind", lambda: choice(raw.get("kind"), ResourceKind, "类型"))
    attempt("open_status", lambda: choice(raw.get("open_status") or OpenStatus.OPEN, OpenStatus, "开放状态"))
    category = str(raw.get("category") or "").strip()
    if category not in lookups.categories:
        errors["category"] = (
            _("类别“%(category)s”不存在，请填写类别代码或名称") % {"category": category}
            if category
            else _("类别为必填项")
        )
    else:
        out["category_id"] = lookups.categories[category]
    region = str(raw.get("region") or "").strip()
    attempt("region_id", lambda: lookups.region(region) if region else default_region)
    value = str(raw.get("original_value") or "").strip()
    attempt("original_value_fen", lambda: yuan_to_fen(value) if value else None)
    if out.get("original_value_fen") is not None and out["original_value_fen"] < 0:
        errors["original_value"] = _("原值不能为负数")
    for key in ("is_cma", "is_cnas"):
        attempt(key, lambda key=key: _bool(raw.get(key), RESOURCE_LABELS[key], False))
    attempt("requires_approval", lambda: _bool(raw.get("requires_approval"), "预约需确认", True))
    for key, (low, high, default) in INT_LIMITS.items():
        value = raw.get(key)
        attempt(key, lambda key=key, value=value, low=low, high=high, default=default:
                default if value is None or str(value).strip() == "" else _int(value, RESOURCE_LABELS[key], low, high))  # fmt: skip
    zones = raw.get("recognised_zones") or []
    if isinstance(zones, str):
        zones = [z for z in re.split(r"[、,，;；\s]+", zones) if z]
    unknown = [str(z) for z in zones if str(z) not in lookups.zones]
    if unknown:
        errors["recognised_zones"] = _("协同区“%(unknown)s”不存在") % {"unknown": "、".join(unknown)}
    out["recognised_zone_ids"] = tuple(
        sorted({lookups.zones[str(z)] for z in zones if str(z) in lookups.zones})
    )
    if out["recognised_zone_ids"] and not (out.get("is_cma") or out.get("is_cnas")):
        errors["recognised_zones"] = _("只有具备 CMA 或 CNAS 资质的资源才能登记报告互认")
    for key, low, high in (("lng", 73.0, 136.0), ("lat", 3.0, 54.0)):
        value = str(raw.get(key) if raw.get(key) is not None else "").strip()
        if not value:
            out[key] = None
            continue
        try:
            number = float(value)
            if not low <= number <= high:
                raise ValueError
            out[key] = number
        except ValueError:
            errors[key] = _("%(RESOURCE_LABELS)s应为 %(low)s–%(high)s 之间的数字") % {
                "RESOURCE_LABELS": RESOURCE_LABELS[key],
                "low": low,
                "high": high,
            }
    if errors:
        return None, errors
    return ResourceData(**out), {}


# ---------------------------------------------------------------- price lists


@dataclass(frozen=True)
class TierData:
    customer_class: str
    weekdays: str
    start_minute: int
    end_minute: int
    unit_price_fen: int


@dataclass(frozen=True)
class PriceListData:
    unit: str
    minimum_charge_fen: int
    rounding: str
    increment_minutes: int
    valid_from: date
    tiers: tuple[TierData, ...]


def parse_clock(text: Any, label: str) -> int:
    value = str(text or "").strip()
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", value)
    if not match or int(match[1]) > 24 or int(match[2]) > 59 or (int(match[1]) == 24 and int(match[2])):
        raise ValueError(
            _("%(label)s“%(value)s”格式应为 HH:MM（00:00–24:00）")
            % {"label": column_label(label), "value": value}
        )
    return int(match[1]) * 60 + int(match[2])


def format_clock(minute: int) -> str:
    """Minutes after midnight as HH:MM (1440 is 24:00): the inverse of `parse_clock`."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _weekdays(raw: Any) -> str:
    text = re.sub(r"[\s,，、]", "", str(raw or "1234567"))
    if not text or not re.fullmatch(r"[1-7]+", text):
        raise ValueError(_("适用星期“%(raw)s”应为 1–7 的数字组合，如 12345（周一至周五）") % {"raw": raw})
    return "".join(sorted(set(text)))


def clean_tier(raw: dict[str, Any]) -> TierData:
    klass = choice(raw.get("customer_class"), CustomerClass, "客户类别")
    start = parse_clock(raw.get("start") or "00:00", "开始时刻")
    end = parse_clock(raw.get("end") or "24:00", "结束时刻")
    if start >= end:
        raise ValueError("价格时段的结束时刻应晚于开始时刻")
    price = raw.get("unit_price_fen")
    if price is None:
        text = str(raw.get("unit_price") or "").strip()
        if not text:
            raise ValueError("单价为必填项")
        price = yuan_to_fen(text)
    if not isinstance(price, int) or price < 0 or price > 10**10:
        raise ValueError("单价应为不小于 0 的金额")
    return TierData(klass, _weekdays(raw.get("weekdays")), start, end, price)


def clean_price_list(raw: dict[str, Any]) -> PriceListData:
    """Raises Invalid with a Chinese message; every class present needs an all-day tier, 'other' must be present."""
    try:
        unit = choice(raw.get("unit"), PriceUnit, "计价方式")
        rounding = choice(raw.get("rounding") or Rounding.FEN, Rounding, "金额取整")
        minimum = raw.get("minimum_charge_fen")
        if minimum is None:
            text = str(raw.get("minimum_charge") or "0").strip() or "0"
            minimum = yuan_to_fen(text)
        if not isinstance(minimum, int) or not 0 <= minimum <= 10**10:
            raise ValueError("最低收费应为不小于 0 的金额")
        increment = raw.get("increment_minutes") or 30
        increment = _int(increment, "计时单位（分钟）", 1, 240)
        valid_from = raw.get("valid_from") or clock.today()
        if not isinstance(valid_from, date):
            valid_from = date.fromisoformat(str(valid_from).strip()[:10])
        tiers = tuple(clean_tier(t) for t in raw.get("tiers") or [])
    except ValueError as exc:
        raise Invalid(
            str(exc) if "Invalid isoformat" not in str(exc) else _("生效日期格式应为 YYYY-MM-DD")
        ) from exc
    if not tiers:
        raise Invalid(_("价目表至少需要一档价格"), field="tiers")
    if len(tiers) > 40:
        raise Invalid(_("价目表最多 40 档价格"), field="tiers")
    classes = {t.customer_class for t in tiers}
    base = {
        t.customer_class
        for t in tiers
        if t.weekdays == "1234567" and (t.start_minute, t.end_minute) == (0, 1440)
    }
    if CustomerClass.OTHER not in classes:
        raise Invalid(_("价目表须包含“其他”类别的价格（即对外公开价）"), field="tiers")
    if classes - base:
        labels = "、".join(CustomerClass(c).label for c in sorted(classes - base))
        raise Invalid(_("以下客户类别缺少“全周全天”基础价：%(labels)s") % {"labels": labels}, field="tiers")
    return PriceListData(unit, minimum, rounding, increment, valid_from, tiers)
