"""Every write to regions and zones: loading the reference data, creating zones, changing their members."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.regions import selectors
from xietong.regions.enums import RegionLevel, ZoneKind
from xietong.regions.models import Region, Zone, ZoneMember
from xietong.regions.policies import ZonePolicy
from xietong.regions.presets import ZONE_PRESETS

FIXTURE = Path(__file__).resolve().parent / "data" / "regions.json.gz"
COLUMNS = ["code", "name", "short_name", "level", "parent", "pinyin", "initials", "lng", "lat"]
UPDATED_FIELDS = ["name", "short_name", "level", "parent", "pinyin", "pinyin_initials", "lng", "lat"]
ZONE_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
REGION_CODE = re.compile(r"^[1-9][0-9]{5}$")
MAX_MEMBERS = 500
# Map colours handed to new custom zones in turn (the presets have their own).
PALETTE = ("#5f3dc4", "#e8590c", "#087f5b", "#a61e4d", "#364fc7", "#5c940d", "#862e9c", "#0b7285")


# ---------------------------------------------------------------- reference data


def _read_fixture(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    if payload.get("columns") != COLUMNS:
        raise Invalid(
            gettext("区划数据文件格式不符：%(path)s") % {"path": path}, columns=payload.get("columns")
        )
    return [dict(zip(COLUMNS, row, strict=True)) for row in payload["rows"]]


@transaction.atomic
def regions_load(*, path: Path | str | None = None) -> int:
    """Insert or update every region of the fixture (parents before children); returns the number of rows.

    Idempotent: loading twice leaves the same rows. Regions missing from the fixture are kept (organisations
    may still point at them).
    """
    rows = _read_fixture(Path(path) if path else FIXTURE)
    rank = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2}
    rows.sort(key=lambda row: (rank[row["level"]], row["code"]))
    regions = [
        Region(
            code=row["code"], name=row["name"], short_name=row["short_name"], level=row["level"],
            parent_id=row["parent"], pinyin=row["pinyin"], pinyin_initials=row["initials"],
            lng=row["lng"], lat=row["lat"],
        )
        for row in rows
    ]  # fmt: skip
    Region.objects.bulk_create(
        regions, batch_size=500, update_conflicts=True, unique_fields=["code"], update_fields=UPDATED_FIELDS
    )
    transaction.on_commit(selectors.region_cache_clear)
    selectors.region_cache_clear()
    return len(regions)


@transaction.atomic
def zone_presets_load() -> int:
    """Create or refresh the preset zones so that they equal `presets.ZONE_PRESETS`; returns how many.

    Idempotent. A preset's members are owned by the preset data: members added to a preset zone by hand are
    removed again (create a custom zone for a different membership).
    """
    for preset in ZONE_PRESETS:
        codes = _existing_codes(preset.members)
        zone, _ = Zone.objects.update_or_create(
            code=preset.code,
            defaults={
                "name": preset.name, "short_name": preset.short_name, "kind": ZoneKind.PRESET,
                "description": preset.description, "source": preset.source, "color": preset.color,
            },
        )  # fmt: skip
        _set_members(zone, codes)
    return len(ZONE_PRESETS)


# ---------------------------------------------------------------- zones


@transaction.atomic
def zone_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    short_name: str,
    member_codes: Iterable[str],
    description: str = "",
    source: str = "",
    color: str | None = None,
) -> Zone:
    """A custom zone with the given members (platform admins only)."""
    ZonePolicy.require(actor, "create")
    code, name, short_name = code.strip().lower(), name.strip(), short_name.strip()
    _validate_zone_fields(code=code, name=name, short_name=short_name)
    codes = _existing_codes(member_codes)
    if Zone.objects.filter(code=code).exists():
        raise Conflict(gettext("协同区代码 %(code)s 已被使用") % {"code": code}, code="zone_code_taken")
    if Zone.objects.filter(name=name).exists():
        raise Conflict(gettext("协同区名称“%(name)s”已被使用") % {"name": name}, code="zone_name_taken")
    color = color or PALETTE[Zone.objects.filter(kind=ZoneKind.CUSTOM).count() % len(PALETTE)]
    try:
        with transaction.atomic():  # a concurrent create of the same code or name loses here, not with a 500
            zone = Zone.objects.create(
                code=code, name=name, short_name=short_name, kind=ZoneKind.CUSTOM,
                description=description.strip(), source=source.strip(), color=color,
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(gettext("协同区代码或名称已被使用"), code="zone_taken") from exc
    _set_members(zone, codes)
    audit.record(actor=actor, verb="zone.created", target=zone, data={"code": code, "members": codes})
    return zone


@transaction.atomic
def zone_update_members(*, actor: Actor, zone_id: int | str, member_codes: Iterable[str]) -> Zone:
    """Replace the zone's members (platform admins only); records what was added and removed."""
    zone = selectors.zone_get(zone_id_or_code=zone_id)
    ZonePolicy.require(actor, "update", zone)
    codes = _existing_codes(member_codes)
    added, removed = _set_members(zone, codes)
    if added or removed:
        audit.record(
            actor=actor, verb="zone.members_updated", target=zone, data={"added": added, "removed": removed}
        )
    return zone


def _validate_zone_fields(*, code: str, name: str, short_name: str) -> None:
    if not ZONE_CODE.match(code):
        raise Invalid(
            gettext("协同区代码应为 2–40 位小写字母、数字或连字符，且以字母或数字开头"), field="code"
        )
    if any(ord(ch) < 32 for ch in code + name + short_name):
        raise Invalid(gettext("协同区代码、名称和简称不能包含控制字符"))
    if not name or len(name) > 80:
        raise Invalid(gettext("协同区名称不能为空，且不超过 80 个字"), field="name")
    if not short_name or len(short_name) > 30:
        raise Invalid(gettext("协同区简称不能为空，且不超过 30 个字"), field="short_name")


def _existing_codes(member_codes: Iterable[str]) -> list[str]:
    """The member codes, de-duplicated in order; Invalid naming every code that is not a known region."""
    codes = list(dict.fromkeys(str(c).strip() for c in member_codes))
    if not codes:
        raise Invalid(gettext("协同区至少需要一个成员地区"), field="member_codes")
    if len(codes) > MAX_MEMBERS:
        raise Invalid(
            gettext("协同区成员不能超过 %(MAX_MEMBERS)s 个") % {"MAX_MEMBERS": MAX_MEMBERS},
            field="member_codes",
        )
    well_formed = [c for c in codes if REGION_CODE.match(c)]
    known = set(Region.objects.filter(code__in=well_formed).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid(
            gettext("未知的区划代码：%(unknown)s") % {"unknown": gettext("、").join(unknown)},
            code="unknown_region",
            region_codes=unknown,
        )
    return codes


def _set_members(zone: Zone, codes: list[str]) -> tuple[list[str], list[str]]:
    """Make the zone's members exactly `codes` (validated); returns (added, removed)."""
    current = set(ZoneMember.objects.filter(zone=zone).values_list("region_id", flat=True))
    wanted = set(codes)
    removed = sorted(current - wanted)
    added = [c for c in codes if c not in current]
    if removed:
        ZoneMember.objects.filter(zone=zone, region_id__in=removed).delete()
    ZoneMember.objects.bulk_create([ZoneMember(zone=zone, region_id=c) for c in added])
    return added, removed
