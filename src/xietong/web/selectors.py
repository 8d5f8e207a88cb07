"""Reads that compose several apps for the dashboards."""

from __future__ import annotations

from django.db.models import Count

from xietong.orgs import selectors as org_selectors
from xietong.regions import selectors as region_selectors


def zone_headlines() -> list[dict]:
    """Public (`OrganisationPolicy.public`, zones are public): per zone its member count, approved organisations,
    of which enterprises and universities/institutes."""
    out = []
    for zone in region_selectors.zone_map_data():
        codes = region_selectors.zone_region_codes(region_selectors.zone_get(zone_id_or_code=zone["code"]))
        rows = org_selectors.approved_in_regions(codes).values("kind").annotate(n=Count("id"))
        by_kind = {r["kind"]: r["n"] for r in rows}
        academic = by_kind.get("university", 0) + by_kind.get("institute", 0)
        out.append(
            {**zone, "org_count": sum(by_kind.values()), "by_kind": by_kind, "academic_count": academic}
        )
    return out


def zone_published_runs(*, actor, zone, limit: int = 5) -> list:
    """The zone's latest published index runs, for the zone page (readers follow the link to the report)."""
    from xietong.evaluation import selectors as evaluation_selectors
    from xietong.evaluation.enums import RunStatus

    runs = evaluation_selectors.run_list(actor=actor, published=True)
    return list(runs.filter(framework__zone=zone, status=RunStatus.DONE)[:limit])
