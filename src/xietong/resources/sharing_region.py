"""Open-sharing statistics per unit of a region: what a bureau or a zone office reads for the units under it.

The same figures as a unit's own page (`selectors.open_sharing`, `sharing_stats`): computed per instrument from
the orders and training sessions of every unit owning instruments in the region, then summed per unit. The
reader must read the region (a bureau governing it, a zone office whose zone holds it, the platform)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, Invalid, NotFound
from xietong.regions import selectors as region_selectors
from xietong.regions.enums import RegionLevel
from xietong.regions.models import Region
from xietong.resources import sharing_stats
from xietong.resources.models import OrderRating, Resource, ServiceOrder
from xietong.resources.policies import ResourcePolicy
from xietong.resources.selectors import _stat_rows, _training_attendees, _year_bounds


def sharing_regions(*, actor: Actor) -> list[Region]:
    """The regions whose units the actor may compare, highest first: a bureau's own region, a zone office's
    member regions; the platform any province."""
    if actor.is_platform_admin:
        return list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
    codes = set(actor.bureau_region_codes) | set(actor.zone_region_codes)
    return list(Region.objects.filter(code__in=codes).exclude(parent_id__in=codes).order_by("code"))


def region_sharing(*, actor: Actor, region_code: str, year: int) -> dict[str, Any]:
    """Every unit of the region with its year's figures (ranked by 有效工作机时), its instruments, and the total."""
    if not ResourcePolicy.can(actor, "region_statistics"):
        raise Forbidden(_("只有科技主管部门、协同区办公室可以查看地区开放共享统计"))
    if not actor.reads_region(region_code):
        raise NotFound(_("地区不存在或您无权查看其统计"))
    if not 2000 <= year <= 2100:
        raise Invalid(_("年份应在 2000–2100 之间"), field="year")
    region = region_selectors.region_get(region_code)
    codes = region_selectors.region_descendant_codes(region.code)
    resources = list(
        Resource.objects.filter(
            owner__region_id__in=codes
        )  # tenancy-ok: the region the policy and reads_region just allowed
        .select_related("owner", "owner__region")
        .order_by("owner__name", "owner_id", "kind", "name", "id")
    )
    owner_ids = sorted({r.owner_id for r in resources})
    start, end = _year_bounds(year)
    orders = ServiceOrder.objects.filter(
        provider_id__in=owner_ids, resource__in=[r.pk for r in resources]
    )  # tenancy-ok: orders of the instruments of that region
    figures = sharing_stats.per_resource(_stat_rows(orders, start, end), start, end)
    sharing_stats.add_trainings(figures, _training_attendees(owner_ids=owner_ids, year=year))
    ratings = _ratings(owner_ids, start, end)
    instruments = [
        {"resource": r, "f": figures.get(r.pk, sharing_stats.Figures()), "rating": ratings.get(r.pk)}
        for r in resources
    ]
    units = _units(instruments)
    return {
        "region": region,
        "year": year,
        "units": units,
        "instruments": instruments,
        "total": sharing_stats.total(u["total"] for u in units),
    }


def _ratings(owner_ids: list[int], start, end) -> dict[int, tuple[float, int]]:
    rows = (
        OrderRating.objects.filter(  # tenancy-ok: ratings of the units of the region the caller allowed
            resource__owner_id__in=owner_ids, created_at__gte=start, created_at__lt=end
        )
        .order_by()
        .values("resource_id")
        .annotate(avg=Avg("score"), n=Count("id"))
    )
    return {r["resource_id"]: (round(r["avg"], 1), r["n"]) for r in rows}


def _units(instruments: list[dict]) -> list[dict]:
    by_owner: dict[int, dict] = {}
    for row in instruments:
        r = row["resource"]
        unit = by_owner.setdefault(
            r.owner_id,
            {"organisation": r.owner, "total": sharing_stats.Figures(), "instruments": 0, "value_fen": 0,
             "scores": 0.0, "ratings": 0},
        )  # fmt: skip
        unit["total"].add(row["f"])
        unit["instruments"] += 1
        unit["value_fen"] += r.original_value_fen or 0
        if row["rating"]:
            unit["scores"] += row["rating"][0] * row["rating"][1]
            unit["ratings"] += row["rating"][1]
    units = sorted(by_owner.values(), key=lambda u: (-u["total"].effective_minutes, u["organisation"].name))
    for rank, unit in enumerate(units, start=1):
        unit["rank"] = rank
        unit["rating"] = (
            (round(unit["scores"] / unit["ratings"], 1), unit["ratings"]) if unit["ratings"] else None
        )
    return units
