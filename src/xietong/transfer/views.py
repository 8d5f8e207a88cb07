"""Pages of the marketplace: thin, the same services and selectors as the API."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core.choice_labels import translated
from xietong.core.errors import DomainError, Forbidden, Invalid
from xietong.core.excel import xlsx_response
from xietong.core.money import format_yuan
from xietong.core.pagination import paginate
from xietong.orgs import selectors as org_selectors
from xietong.orgs.enums import Industry
from xietong.transfer import excel, search, selectors, services
from xietong.transfer.enums import TRL_LABELS, ContractKind, Feedback, IpType, ListingKind, TransferMode
from xietong.transfer.models import Achievement
from xietong.transfer.policies import POLICIES_BY_KIND, AcceptanceListPolicy, ContractPolicy, IntentPolicy

KIND_NAMES = {ListingKind.ACHIEVEMENT: "科技成果", ListingKind.DEMAND: "技术需求"}
CHOICES = {  # labels in the reader's language (translated lazily, at render)
    "industries": translated(Industry.choices),
    "modes": translated(TransferMode.choices),
    "ip_types": translated(IpType.choices),
    "trls": sorted(TRL_LABELS.items()),
    "contract_kinds": translated(ContractKind.choices),
}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _listing_filters(request) -> selectors.ListingFilters:
    g = request.GET
    industry, mode = g.get("industry", ""), g.get("mode", "")
    if (industry and industry not in Industry.values) or (mode and mode not in TransferMode.values):
        raise Invalid(gettext("筛选条件无效"))
    region = g.get("region", "").strip()
    if region and not ((region.isascii() and region.isdigit()) and len(region) == 6):
        raise Invalid(gettext("地区应为 6 位区划代码"))
    return selectors.ListingFilters(
        q=g.get("q", "")[:100], industry=industry, region=region, zone=g.get("zone", "")[:40], mode=mode,
        trl_min=_int(g.get("trl_min")), mine=g.get("mine") == "1",
    )  # fmt: skip


@require_GET
def listing_list(request, kind: str):
    filters = _listing_filters(request)
    qs = selectors.listing_list(actor=request.actor, kind=kind, filters=filters)
    page = paginate(qs, page=_int(request.GET.get("page"), 1), page_size=20)
    context = {"kind": kind, "kind_name": KIND_NAMES[kind], "page": page, "filters": filters,
               "querystring": _querystring(request), **CHOICES}  # fmt: skip
    template = (
        "transfer/_listing_results.html"
        if request.headers.get("HX-Request")
        else "transfer/listing_list.html"
    )
    return render(request, template, context)


def _my_orgs(actor):
    return org_selectors.own_organisations(actor=actor)


@require_http_methods(["GET", "POST"])
@login_required
def listing_new(request, kind: str):
    error, status = None, 200
    values = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        raw = {**values, "transfer_modes": request.POST.getlist("transfer_modes")}
        try:
            listing = services.listing_publish(
                actor=request.actor, kind=kind, raw=raw, owner_id=_int(request.POST.get("owner_id"))
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, gettext("已发布：%(title)s") % {"title": listing.title})
            return redirect(f"transfer:{kind}", pk=listing.pk)
    context = {"kind": kind, "kind_name": KIND_NAMES[kind], "orgs": _my_orgs(request.actor), "error": error,
               "values": values, "chosen_modes": request.POST.getlist("transfer_modes"), **CHOICES}  # fmt: skip
    return render(request, "transfer/listing_form.html", context, status=status)


@require_GET
def listing_detail(request, kind: str, pk: int):
    actor = request.actor
    listing = selectors.listing_get(actor=actor, kind=kind, pk=pk)
    policy = POLICIES_BY_KIND[kind]
    intents = selectors.intents_on(actor=actor, listing=listing) if actor.is_authenticated else []
    intents = selectors.with_contacts(actor=actor, intents=intents)
    open_mine = any(
        IntentPolicy.can(actor, "withdraw", i) and i.status in ("pending", "accepted") for i in intents
    )
    context = {
        "kind": kind, "kind_name": KIND_NAMES[kind], "listing": listing,
        "contact": selectors.listing_contact(actor=actor, listing=listing),
        "may_express": policy.can(actor, "express_interest", listing) and not open_mine,
        "may_manage": policy.can(actor, "update", listing),
        "may_recommend": actor.is_authenticated and policy.can(actor, "recommend", listing),
        "intents": intents,
        "price": format_yuan(listing.price_fen) if isinstance(listing, Achievement) and listing.price_fen else "",
        "budget": format_yuan(getattr(listing, "budget_fen", 0)) if getattr(listing, "budget_fen", 0) else "",
        "trl_labels": TRL_LABELS,
    }  # fmt: skip
    return render(request, "transfer/listing_detail.html", context)


@require_POST
@login_required
def listing_withdraw(request, kind: str, pk: int):
    listing = services.listing_withdraw(actor=request.actor, kind=kind, pk=pk)
    messages.success(request, gettext("已撤回：%(title)s") % {"title": listing.title})
    return redirect(f"transfer:{kind}", pk=pk)


@require_POST
@login_required
def intent_express(request, kind: str, pk: int):
    services.intent_express(
        actor=request.actor, kind=kind, listing_id=pk, message=request.POST.get("message", ""),
        from_org_id=_int(request.POST.get("from_org_id")),
    )  # fmt: skip
    messages.success(request, gettext("意向已提交，对方接受后双方可查看完整联系方式"))
    return redirect(f"transfer:{kind}", pk=pk)


@require_GET
@login_required
def recommend(request, kind: str, pk: int):
    strict = request.GET.get("strict", "1") != "0"
    suggestions = services.recommend(actor=request.actor, kind=kind, pk=pk, strict=strict)
    listing = selectors.listing_get(actor=request.actor, kind=kind, pk=pk)
    target = ListingKind.DEMAND if kind == ListingKind.ACHIEVEMENT else ListingKind.ACHIEVEMENT
    context = {"kind": kind, "kind_name": KIND_NAMES[kind], "listing": listing, "suggestions": suggestions,
               "target": target, "target_name": KIND_NAMES[target], "verdicts": Feedback.choices,
               "strict": strict}  # fmt: skip
    return render(request, "transfer/recommend.html", context)


@require_POST
@login_required
def feedback(request, pk: int):
    record = services.recommendation_feedback(
        actor=request.actor, pk=pk, verdict=request.POST.get("verdict", "")
    )
    context = {"record": record, "verdicts": Feedback.choices}
    if request.headers.get("HX-Request"):
        return render(request, "transfer/_feedback.html", context)
    return redirect(f"transfer:{record.query_kind}-recommend", pk=record.query_id)


@require_GET
@login_required
def recommendation_go(request, pk: int):
    """Old links keep working but count nothing: a GET is what crawlers and prefetchers send."""
    record = selectors.recommendation_get(actor=request.actor, pk=pk)
    return redirect(f"transfer:{record.hit_kind}", pk=record.hit_id)


@require_POST
@login_required
def recommendation_click(request, pk: int):
    """The click counted: a POST beacon the page sends when a person follows a recommended link."""
    services.recommendation_click(actor=request.actor, pk=pk)
    return HttpResponse(status=204)


@require_GET
@login_required
def intents(request):
    box = request.GET.get("box", "")
    if box not in ("", "sent", "received"):
        raise Invalid(gettext("box 应为 sent 或 received"))
    page = paginate(
        selectors.intent_list(actor=request.actor, box=box), page=_int(request.GET.get("page"), 1)
    )
    page = dataclasses.replace(page, items=selectors.with_contacts(actor=request.actor, intents=page.items))
    return render(request, "transfer/intents.html", {"page": page, "box": box})


@require_POST
@login_required
def intent_answer(request, pk: int):
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        raise Invalid(gettext("请选择接受或婉拒"))
    intent = services.intent_answer(
        actor=request.actor, pk=pk, accept=decision == "accept", reply=request.POST.get("reply", "")
    )
    done = gettext("已接受“%(org)s”的意向") if decision == "accept" else gettext("已婉拒“%(org)s”的意向")
    messages.success(request, done % {"org": intent.from_org.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "transfer:intents"
    return redirect(target or "transfer:intents")


@require_POST
@login_required
def intent_withdraw(request, pk: int):
    services.intent_withdraw(actor=request.actor, pk=pk)
    messages.success(request, gettext("已撤回意向"))
    return redirect("transfer:intents")


@require_GET
def acceptance_lists(request):
    lists = selectors.acceptance_list_list(actor=request.actor)
    page = paginate(lists, page=_int(request.GET.get("page"), 1))
    return render(request, "transfer/acceptance_lists.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def acceptance_new(request):
    error, status, values = None, 200, request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        raw = {**values, "industries": request.POST.getlist("industries")}
        try:
            lst = services.acceptance_list_publish(
                actor=request.actor, raw=raw, region_code=values.get("region", ""),
                publisher_id=_int(values.get("publisher_id")),
            )  # fmt: skip
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, gettext("已发布承接清单：%(title)s") % {"title": lst.title})
            return redirect("transfer:acceptance", pk=lst.pk)
    context = {"orgs": _my_orgs(request.actor), "error": error, "values": values,
               "may_publish_as_bureau": AcceptanceListPolicy.can(request.actor, "publish_as_bureau"),
               "default_region": selectors.acceptance_default_region(actor=request.actor), **CHOICES}  # fmt: skip
    return render(request, "transfer/acceptance_form.html", context, status=status)


@require_GET
def acceptance_detail(request, pk: int):
    lst, matches = services.acceptance_matches(actor=request.actor, pk=pk)
    may_edit = request.actor.is_authenticated and AcceptanceListPolicy.can(request.actor, "update", lst)
    return render(
        request, "transfer/acceptance_detail.html", {"lst": lst, "matches": matches, "may_edit": may_edit}
    )


def _contract_filters(request) -> selectors.ContractFilters:
    g = request.GET
    kind = g.get("kind", "")
    if kind and kind not in ContractKind.values:
        raise Invalid(gettext("合同类型无效"))
    region = g.get("region", "").strip()
    if region and not ((region.isascii() and region.isdigit()) and len(region) == 6):
        raise Invalid(gettext("地区应为 6 位区划代码"))
    year_from, year_to = _int(g.get("year_from")), _int(g.get("year_to"))
    for year in (year_from, year_to):
        if year is not None and not 1990 <= year <= 2100:
            raise Invalid(gettext("年份应在 1990–2100 之间"))
    return selectors.ContractFilters(
        year_from=year_from, year_to=year_to, kind=kind, region=region, zone=g.get("zone", "")[:40],
        q=g.get("q", "")[:60],
    )  # fmt: skip


@require_GET
@login_required
def contracts(request):
    filters = _contract_filters(request)
    page = paginate(
        selectors.contract_list(actor=request.actor, filters=filters), page=_int(request.GET.get("page"), 1)
    )
    context = {"page": page, "filters": filters, "querystring": _querystring(request),
               "may_import": ContractPolicy.may_import(request.actor), **CHOICES}  # fmt: skip
    return render(request, "transfer/contracts.html", context)


@require_GET
@login_required
def contracts_export(request):
    qs = selectors.contract_list(actor=request.actor, filters=_contract_filters(request))
    return xlsx_response(excel.export_contracts(qs.iterator(chunk_size=2000)), "技术合同.xlsx")


@require_GET
def contracts_template(request):
    return xlsx_response(excel.contract_template(), "技术合同导入模板.xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def contracts_import(request):
    if not ContractPolicy.may_import(request.actor):
        raise Forbidden(gettext("技术合同导入仅对技术合同登记机构（地区科技主管部门）开放"))
    report, error, status = None, None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise Invalid(gettext("请选择要上传的 Excel 文件"))
            report = services.contracts_import(actor=request.actor, rows=excel.read_contracts(upload))
        except DomainError as exc:
            error, status = exc, exc.status
        if report is not None and not report.ok:
            status = 400
        elif report is not None:
            messages.success(request, gettext("导入成功：共登记 %(n)s 份技术合同") % {"n": report.created})
            return redirect("transfer:contracts")
    return render(
        request, "transfer/contracts_import.html", {"report": report, "error": error}, status=status
    )


def _flows_context(request):
    filters = _contract_filters(request)
    level = request.GET.get("level", "province")
    flows = selectors.contract_flows(actor=request.actor, filters=filters, level=level)
    return filters, level, flows


@require_GET
@login_required
def flows(request):
    filters, level, data = _flows_context(request)
    series = [{"name": name, "values": [v / 100 for v in values]} for name, values in data.series.items()]
    context = {
        "filters": filters, "level": level, "flows": data, "querystring": _querystring(request),
        "chart": {"sankey": selectors.sankey_data(data), "years": data.years, "series": series},
        "edges": [(e, format_yuan(e.amount_fen), format_yuan(e.tech_amount_fen)) for e in data.edges],
        "total": format_yuan(data.total_fen), "total_tech": format_yuan(data.total_tech_fen), **CHOICES,
    }  # fmt: skip
    return render(request, "transfer/flows.html", context)


@require_GET
@login_required
def flows_export(request):
    _, _, data = _flows_context(request)
    return xlsx_response(excel.export_flows(data), "技术合同流向.xlsx")


@require_GET
@login_required
def metrics(request):
    rows = selectors.online_metrics(actor=request.actor)
    return render(request, "transfer/metrics.html", {"rows": rows, "index": search.stats()})
