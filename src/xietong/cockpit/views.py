"""The zone office's cockpit: flows on a map, totals, trends, the latest index, members' open items; each
figure links to the records behind it, which export to Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xietong.cockpit import exports, selectors
from xietong.cockpit.policies import CockpitPolicy
from xietong.core.errors import Forbidden, Invalid
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate


@require_GET
@login_required
def landing(request):
    zone = selectors.landing_zone(actor=request.actor)
    if zone is None:
        raise Forbidden(CockpitPolicy.denied_message)
    return redirect("cockpit:zone", code=zone.code)


def _window(request) -> selectors.Window:
    month = request.GET.get("month", "")
    return selectors.Window.month(month) if month else selectors.Window.last_months(12)


def _chart_data(data: dict) -> dict:
    members = [{"code": m.code, "name": m.name, "lng": m.lng, "lat": m.lat} for m in data["members"]]
    kinds = {}
    base = reverse("cockpit:records", kwargs={"code": data["zone"].code, "kind": "orders"}).rsplit(
        "orders/", 1
    )[0]
    for kind, block in data["kinds"].items():
        kinds[kind] = {
            "label": block["label"],
            "trend": block["trend"],
            "edges": [
                {
                    "src": e.src,
                    "dst": e.dst,
                    "count": e.count,
                    "fen": e.fen,
                    "url": f"{base}{kind}/?src={e.src}&dst={e.dst}",
                }
                for e in block["edges"]
            ],
        }
    return {"members": members, "kinds": kinds, "months": data["months"]}


@require_GET
@login_required
def zone_cockpit(request, code: str):
    zone = selectors.zone_get(actor=request.actor, code=code)
    data = selectors.cockpit(actor=request.actor, zone=zone, window=_window(request))
    for block in data["kinds"].values():  # labels in the reader's language (also inside the charts' JSON)
        block["label"] = gettext(block["label"])
    names = {m.code: m.name for m in data["members"]}
    for block in data["kinds"].values():  # the table's twelve largest flows with their ends' names
        block["top"] = [(names.get(e.src, ""), names.get(e.dst, ""), e) for e in block["edges"][:12]]
    context = {
        **data,
        "names": names,
        "chart_data": _chart_data(data),
        "month": request.GET.get("month", ""),
    }
    return render(request, "cockpit/cockpit.html", context)


@require_GET
@login_required
def zone_export(request, code: str):
    zone = selectors.zone_get(actor=request.actor, code=code)
    data = selectors.cockpit(actor=request.actor, zone=zone, window=_window(request))
    return xlsx_response(exports.cockpit_workbook(data), f"{zone.short_name}驾驶舱.xlsx")


def _records(request, code: str, kind: str):
    if kind not in selectors.RECORD_KINDS:
        raise Invalid(_("记录类型不存在"))
    zone = selectors.zone_get(actor=request.actor, code=code)
    sc = selectors.scope(zone)
    qs = selectors.records(actor=request.actor, zone=zone, kind=kind, window=_window(request))
    qs = selectors.filter_records(qs, sc, src=request.GET.get("src", ""), dst=request.GET.get("dst", ""))
    related = {"vouchers": ("programme", "enterprise", "provider"), "contracts": ()}.get(
        kind, ("resource", "provider", "customer")
    )
    return zone, sc, qs.select_related(*related).order_by("-day", "-pk")


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@login_required
def records(request, code: str, kind: str):
    zone, _sc, qs = _records(request, code, kind)
    try:
        page_no = int(request.GET.get("page") or 1)
    except ValueError:
        page_no = 1
    page = paginate(qs, page=min(max(page_no, 1), 100_000), page_size=50)
    context = {
        "zone": zone,
        "kind": kind,
        "label": gettext(selectors.RECORD_KINDS[kind]),
        "page": page,
        "headers": [gettext(h) for h in exports.RECORD_HEADERS[kind]],
        "rows": [(r, exports.record_row(kind, r)) for r in page.items],
        "src": selectors.node_name(request.GET["src"]) if request.GET.get("src") else "",
        "dst": selectors.node_name(request.GET["dst"]) if request.GET.get("dst") else "",
        "query": _without_page(request),
    }
    return render(request, "cockpit/records.html", context)


@require_GET
@login_required
def records_export(request, code: str, kind: str):
    zone, _sc, qs = _records(request, code, kind)
    return xlsx_response(
        exports.records_workbook(kind, qs), f"{zone.short_name}{selectors.RECORD_KINDS[kind]}.xlsx"
    )
