"""Reads of regions and zones: public reference data, so no tenancy filter.

The region tree changes only when the fixture is (re)loaded, so it is read once per process and kept
(`_tree`); `region_cache_clear()` drops it and the services call it after every load. Zone membership
can change at any time, so `zone_region_codes` always reads the (few) member codes and only caches the
expansion of a given member set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from xietong.core.errors import NotFound
from xietong.regions.enums import RegionLevel
from xietong.regions.models import Region, Zone, ZoneMember

MAX_LOOKUP = 100
LEVEL_RANK = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2}
_LATIN = re.compile(r"^[a-z]+$")
_REGION_CODE = re.compile(r"^[1-9][0-9]{5}$")
_ZONE_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


# ---------------------------------------------------------------- the cached tree


@dataclass(frozen=True)
class _Tree:
    parent: dict[str, str | None]
    children: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _tree() -> _Tree:
    parent: dict[str, str | None] = {}
    children: dict[str, list[str]] = {}
    for code, parent_code in Region.objects.order_by("code").values_list("code", "parent_id"):
        parent[code] = parent_code
        if parent_code:
            children.setdefault(parent_code, []).append(code)
    return _Tree(parent=parent, children={k: tuple(v) for k, v in children.items()})


def region_cache_clear() -> None:
    """Public: Forget the cached region tree and expansions (call after loading or changing regions)."""
    _tree.cache_clear()
    region_descendant_codes.cache_clear()
    _expand.cache_clear()


@lru_cache(maxsize=4096)
def region_descendant_codes(code: str) -> frozenset[str]:
    """Public: The code and every code below it; empty for an unknown code."""
    tree = _tree()
    if code not in tree.parent:
        return frozenset()
    out, stack = [], [code]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(tree.children.get(current, ()))
    return frozenset(out)


def region_ancestor_codes(code: str) -> tuple[str, ...]:
    """Public: The code's parent, grandparent … up to its province (nearest first); empty for a province or unknown code."""
    tree = _tree()
    out = []
    current = tree.parent.get(code)
    while current:
        out.append(current)
        current = tree.parent.get(current)
    return tuple(out)


# The four municipalities: their districts and counties hang directly under the province-level code and
# together form one city.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def locality_code(code: str) -> str:
    """Public reference data: the city a region belongs to, the one definition of "same place" for every app.

    A county belongs to its prefecture; a municipality's districts to the municipality; a county-level city
    directly under a province (济源, 五指山 …) is its own city. Unknown codes are their own locality.
    """
    if code.endswith("00"):  # a prefecture or a province is its own city
        return code
    parent = _tree().parent.get(code)
    if parent is None:  # unknown
        return code
    if parent.endswith("0000"):  # a county directly under a province-level region
        return parent if parent in MUNICIPALITIES else code
    return parent


def is_cross_region(code_a: str, code_b: str) -> bool:
    """Public reference data: whether two regions lie in different cities (orders, price tiers, statistics)."""
    return locality_code(code_a) != locality_code(code_b)


@lru_cache(maxsize=256)
def _expand(member_codes: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for code in member_codes:
        out |= region_descendant_codes(code)
    return frozenset(out)


# ---------------------------------------------------------------- regions


def region_get(code: str) -> Region:
    """Public: The region with this 6-digit code, its parent joined; NotFound for anything else."""
    region = (
        Region.objects.select_related("parent").filter(code=code).first()
        if _REGION_CODE.match(code)
        else None
    )
    if region is None:
        raise NotFound(
            _("区划代码 %(code)s 不存在") % {"code": code}, code="region_not_found", region_code=str(code)
        )
    return region


def region_children(code: str) -> list[Region]:
    """Public reference data (see the module docstring)."""
    return list(Region.objects.filter(parent_id=code).order_by("code"))


def region_lookup(
    *, q: str = "", level: str | None = None, parent: str | None = None, limit: int = 20
) -> list[Region]:
    """Public: Regions matching `q` by code prefix, Chinese name or short name, pinyin or pinyin initials.

    Ranked exact > prefix > contains, then provinces before prefectures before counties, then by code:
    'kunshan', 'ks', '3205', '昆山' all find 昆山市. `parent` keeps only that region's descendants.
    With an empty `q` the answer is `parent`'s direct children (or, without `level`, the provinces).
    """
    text, limit = "".join(q.split()).lower(), max(1, min(int(limit), MAX_LOOKUP))
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        below = region_descendant_codes(parent)
        if not below:
            raise NotFound(
                _("区划代码 %(parent)s 不存在") % {"parent": parent},
                code="region_not_found",
                region_code=parent,
            )
        qs = qs.filter(code__in=below - {parent})
    if not text:
        if parent:
            qs = qs.filter(parent_id=parent)
        elif not level:
            qs = qs.filter(parent__isnull=True)
        return list(qs.order_by("code")[:limit])
    exact, prefix, contains = _match(text)
    ranked = qs.filter(contains).annotate(
        match_rank=Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2)),
        level_rank=Case(
            *(When(level=lv, then=Value(rank)) for lv, rank in LEVEL_RANK.items()), default=Value(9)
        ),
    )
    return list(ranked.order_by("match_rank", "level_rank", "code")[:limit])


_PICKED_CODE = re.compile(r"(\d{6})$")


def region_resolve(text: str) -> Region | None:
    """Public: The one region a person meant in a region filter, or None when nothing fits.

    People type what they know, not what the suggestions offer: a picked suggestion ("昆山市 320583"), a
    short name or pinyin ("嘉兴", "kunshan"), or a full name with its parents in front ("成都市锦江区",
    "江苏省昆山市"). The first two go through `region_lookup` (its best hit); the last is read from the end:
    a region's own name, then what is left must be made of its ancestors' names.
    """
    text = "".join(text.split())[:40]
    if not text:
        return None
    if picked := _PICKED_CODE.search(text):
        return Region.objects.select_related("parent").filter(code=picked[1]).first()
    if found := region_lookup(q=text, limit=1):
        return found[0]
    return _resolve_with_ancestors(text)


def _resolve_with_ancestors(text: str) -> Region | None:
    suffixes = [text[i:] for i in range(1, len(text))]
    candidates = Region.objects.select_related("parent", "parent__parent").filter(
        Q(name__in=suffixes) | Q(short_name__in=suffixes)
    )
    best: tuple[int, str, Region] | None = None
    for region in candidates:
        for own in {region.name, region.short_name} - {""}:
            if text.endswith(own) and _is_ancestry(text[: -len(own)], region):
                key = (len(own), region.code, region)
                if best is None or key[:2] > best[:2]:
                    best = key
    return best[2] if best else None


def _is_ancestry(prefix: str, region: Region) -> bool:
    """Whether `prefix` is some of the region's ancestors' (short) names, outermost first; any may be left out."""
    ancestor = region.parent
    while prefix and ancestor is not None:
        for name in sorted({ancestor.name, ancestor.short_name} - {""}, key=len, reverse=True):
            if prefix.endswith(name):
                prefix = prefix[: -len(name)]
                break
        ancestor = ancestor.parent
    return not prefix


def _match(text: str) -> tuple[Q, Q, Q]:
    """(exact, prefix, any) conditions for the kind of text typed: digits, latin letters or Chinese."""
    if text.isascii() and text.isdigit():
        return Q(code=text), Q(code__startswith=text), Q(code__startswith=text)
    if _LATIN.match(text):
        exact = Q(pinyin=text) | Q(pinyin_initials=text)
        prefix = Q(pinyin__startswith=text) | Q(pinyin_initials__startswith=text)
        return exact, prefix, prefix
    exact = Q(name=text) | Q(short_name=text)
    prefix = Q(name__startswith=text) | Q(short_name__startswith=text)
    return exact, prefix, Q(name__contains=text) | Q(short_name__contains=text)


# ---------------------------------------------------------------- zones


def zone_list() -> QuerySet[Zone]:
    """Public reference data (see the module docstring)."""
    return Zone.objects.annotate(member_count=Count("memberships")).order_by("id")


def zone_get(*, zone_id_or_code: int | str) -> Zone:
    """Public: A zone by id (an int) or by code (a string; a numeric string that is no zone's code is tried as an id)."""
    if isinstance(zone_id_or_code, int):
        zone, value = Zone.objects.filter(pk=zone_id_or_code).first(), str(zone_id_or_code)
    else:
        value = str(zone_id_or_code).strip()
        zone = Zone.objects.filter(code=value).first() if _ZONE_CODE.match(value) else None
        # ASCII digits only ("³".isdigit() is true but int() refuses it); beyond a 64-bit id: no such zone
        if zone is None and value.isascii() and value.isdigit() and len(value) <= 18:
            zone = Zone.objects.filter(pk=int(value)).first()
    if zone is None:
        raise NotFound(_("协同区 %(value)s 不存在") % {"value": value}, code="zone_not_found")
    return zone


def zone_members(zone: Zone) -> list[Region]:
    """Public reference data (see the module docstring)."""
    return list(Region.objects.filter(zone_memberships__zone=zone).select_related("parent").order_by("code"))


def zone_region_codes(zone: Zone) -> frozenset[str]:
    """Public: Every region code the zone covers: its members and everything under them."""
    members = frozenset(ZoneMember.objects.filter(zone_id=zone.pk).values_list("region_id", flat=True))
    return _expand(members)


def zones_for_region(code: str) -> list[Zone]:
    """Public: Zones that cover `code`: a member is the region itself or one of its ancestors."""
    codes = (code, *region_ancestor_codes(code))
    return list(Zone.objects.filter(memberships__region_id__in=codes).distinct().order_by("id"))


def zone_map_data() -> list[dict]:
    """Public: For the home map: per zone its code, names, colour and members with coordinates (two queries)."""
    members = Prefetch(
        "memberships",
        queryset=ZoneMember.objects.select_related("region").order_by("region_id"),
        to_attr="rows",
    )
    return [
        {
            "code": zone.code,
            "name": zone.name,
            "short_name": zone.short_name,
            "color": zone.color,
            "members": [
                {
                    "code": m.region.code,
                    "name": m.region.name,
                    "level": m.region.level,
                    "lng": m.region.lng,
                    "lat": m.region.lat,
                }
                for m in zone.rows
            ],
        }
        for zone in Zone.objects.order_by("id").prefetch_related(members)
    ]
