"""Pages: thin, the same services and selectors as the API."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xietong.orgs import selectors
from xietong.regions import selectors as region_selectors
from xietong.web import selectors as web_selectors


@require_GET
def home(request):
    zones = web_selectors.zone_headlines()
    return render(request, "web/home.html", {"zones": zones, "zones_json": zones})


@require_GET
def zone_detail(request, code: str):
    zone = region_selectors.zone_get(zone_id_or_code=code)
    codes = region_selectors.zone_region_codes(zone)
    by_kind = selectors.counts_by_kind(region_codes=codes)
    members = list(zone.memberships.select_related("region", "region__parent").order_by("region_id"))
    context = {
        "zone": zone,
        "members": members,
        "by_kind": by_kind,
        "org_total": sum(r["count"] for r in by_kind),
        "index_runs": web_selectors.zone_published_runs(actor=request.actor, zone=zone),
    }
    return render(request, "web/zone.html", context)


@require_GET
def region_lookup(request):
    """Autocomplete for region inputs: name, pinyin, initials or code."""
    q = (request.GET.get("q") or request.GET.get("region_q") or "").strip()[
        :30
    ]  # the directory sends region_q
    results = region_selectors.region_lookup(q=q, limit=15) if q else []
    return JsonResponse({"results": [{"code": r.code, "name": r.name, "level": r.level} for r in results]})


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return (Path(__file__).resolve().parent / "static" / "web" / "favicon.ico").read_bytes()


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on every page whatever the <link> says: served here, not a 404."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
