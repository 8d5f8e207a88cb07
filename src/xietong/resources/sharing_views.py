"""The provider console's open-sharing statistics (the national evaluation's figures), page and Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xietong.core import clock
from xietong.core.errors import Invalid, NotFound
from xietong.core.excel import xlsx_response
from xietong.resources import selectors, sharing_excel


def _params(request) -> tuple[int, int]:
    units = selectors.sharing_units(actor=request.actor)
    raw_org, raw_year = request.GET.get("org", ""), request.GET.get("year", "")
    if raw_year and not raw_year.isdigit():
        raise Invalid("年份应为四位数字")
    year = int(raw_year) if raw_year else clock.today().year
    if raw_org:
        if not raw_org.isdigit():
            raise Invalid("机构参数无效")
        return int(raw_org), year
    if not units:
        raise NotFound("您不属于任何机构，没有开放共享统计")
    return units[0].pk, year


@require_GET
@login_required
def console_sharing(request):
    org_id, year = _params(request)
    data = selectors.open_sharing(actor=request.actor, organisation_id=org_id, year=year)
    context = {
        **data,
        "tab": "sharing",
        "units": selectors.sharing_units(actor=request.actor),
        "years": list(range(clock.today().year, clock.today().year - 5, -1)),
    }
    return render(request, "resources/console_sharing.html", context)


@require_GET
@login_required
def console_sharing_export(request):
    org_id, year = _params(request)
    data = selectors.open_sharing(actor=request.actor, organisation_id=org_id, year=year)
    return xlsx_response(
        sharing_excel.workbook(data), f"{data['organisation'].name}-{year}-开放共享统计.xlsx"
    )
