"""The provider console's open-sharing statistics (the national evaluation's figures), page and Excel."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xietong.core import clock
from xietong.core.errors import Forbidden, Invalid, NotFound
from xietong.core.excel import xlsx_response
from xietong.resources import selectors, sharing_excel, sharing_region
from xietong.resources.policies import ResourcePolicy
from xietong.resources.services.trainings import training_record


def _year(raw_year: str) -> int:
    """The `year` of both statistics pages: four ASCII digits (so int() cannot fail), this year when absent."""
    if raw_year and not (raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4):
        raise Invalid(_("年份应为四位数字"))
    return int(raw_year) if raw_year else clock.today().year


def _recent_years() -> list[int]:
    return list(range(clock.today().year, clock.today().year - 5, -1))


def _params(request) -> tuple[int, int]:
    units = selectors.sharing_units(actor=request.actor)
    raw_org, raw_year = request.GET.get("org", ""), request.GET.get("year", "")
    year = _year(raw_year)
    if raw_org:
        if not raw_org.isdigit():
            raise Invalid(_("机构参数无效"))
        return int(raw_org), year
    if not units:
        raise NotFound(_("您不属于任何机构，没有开放共享统计"))
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
        "years": _recent_years(),
        "trainings": selectors.trainings_recent(actor=request.actor, organisation_id=org_id),
        "trainable": [
            row["resource"]
            for row in data["rows"]
            if ResourcePolicy.can(request.actor, "manage", row["resource"])
        ],
        "today": clock.today(),
    }
    return render(request, "resources/console_sharing.html", context)


@require_POST
@login_required
def console_training(request):
    """Record a training session held on one of the unit's instruments (the source of 培训人数)."""
    raw_resource, raw_date, raw_people = (
        request.POST.get(k, "").strip() for k in ("resource", "held_on", "attendees")
    )
    if not raw_resource.isdigit():
        raise Invalid(_("请选择仪器"), field="resource")
    try:
        held_on = date.fromisoformat(raw_date)
    except ValueError as exc:
        raise Invalid(_("培训日期格式应为 YYYY-MM-DD"), field="held_on") from exc
    if not (raw_people.isascii() and raw_people.isdigit()) or len(raw_people) > 5:
        raise Invalid(_("培训人数应为 1–1000 的整数"), field="attendees")
    session = training_record(
        actor=request.actor, resource_id=int(raw_resource), held_on=held_on,
        topic=request.POST.get("topic", ""), attendees=int(raw_people),
    )  # fmt: skip
    messages.success(
        request,
        _("已登记培训：%(name)s，%(n)s 人") % {"name": session.resource.name, "n": session.attendees},
    )
    target = reverse("resources:console-sharing")
    return redirect(f"{target}?org={session.resource.owner_id}&year={held_on.year}")


def _region_params(request) -> tuple[str, int]:
    if not ResourcePolicy.can(request.actor, "region_statistics"):
        raise Forbidden(_("只有科技主管部门、协同区办公室可以查看地区开放共享统计"))
    raw_region, raw_year = request.GET.get("region", ""), request.GET.get("year", "")
    year = _year(raw_year)
    if raw_region:
        if not (raw_region.isascii() and raw_region.isdigit() and len(raw_region) == 6):
            raise Invalid(_("地区参数应为 6 位区划代码"))
        return raw_region, year
    regions = sharing_region.sharing_regions(actor=request.actor)
    if not regions:
        raise NotFound(_("您没有可查看的地区"))
    return regions[0].code, year


@require_GET
@login_required
def region_sharing(request):
    code, year = _region_params(request)
    data = sharing_region.region_sharing(actor=request.actor, region_code=code, year=year)
    context = {
        **data,
        "regions": sharing_region.sharing_regions(actor=request.actor),
        "years": _recent_years(),
    }
    return render(request, "resources/region_sharing.html", context)


@require_GET
@login_required
def region_sharing_export(request):
    code, year = _region_params(request)
    data = sharing_region.region_sharing(actor=request.actor, region_code=code, year=year)
    return xlsx_response(
        sharing_excel.region_workbook(data), f"{data['region'].name}-{year}-开放共享统计.xlsx"
    )


@require_GET
@login_required
def console_sharing_export(request):
    org_id, year = _params(request)
    data = selectors.open_sharing(actor=request.actor, organisation_id=org_id, year=year)
    return xlsx_response(
        sharing_excel.workbook(data), f"{data['organisation'].name}-{year}-开放共享统计.xlsx"
    )
