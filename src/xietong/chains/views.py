"""Pages of the chains app: thin, the same selectors, reports and services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.chains import analysis, charts, excel, exports, reports, selectors, services
from xietong.chains.enums import AttachmentRole, AttachmentStatus, GapKind
from xietong.chains.policies import AttachmentPolicy, ChainPolicy, MilestonePolicy, ThresholdsPolicy
from xietong.core.errors import DomainError, Invalid
from xietong.core.excel import xlsx_response
from xietong.core.pdf import pdf_response
from xietong.regions import selectors as region_selectors


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _scope(request):
    """The zone and the member the page is about, from ?zone=&region= or the actor's own."""
    default_zone, default_region = selectors.default_scope(actor=request.actor)
    zone = region_selectors.zone_get(zone_id_or_code=(request.GET.get("zone") or default_zone)[:40])
    region = (request.GET.get("region") or default_region).strip()
    if region and not (region.isascii() and region.isdigit() and len(region) == 6):
        raise Invalid(gettext("地区应为 6 位区划代码"))
    member = analysis.member_of_zone(zone, region) if region else ""
    if region and not member:
        raise Invalid(gettext("地区 %(region)s 不在%(name)s内") % {"region": region, "name": zone.name})
    members = region_selectors.zone_members(zone)
    return zone, member or (members[0].code if members else ""), members


@require_GET
def index(request):
    zone, member, members = _scope(request)
    context = {"chains": selectors.chain_list(), "zones": region_selectors.zone_list(), "zone": zone, "member": member,
               "members": members}  # fmt: skip
    return render(request, "chains/index.html", context)


@require_GET
def chain_detail(request, code: str):
    chain = selectors.chain_get(code=code)
    zone, member, members = _scope(request)
    matrix = analysis.zone_matrix(zone)
    segments = selectors.chain_segments(chain)
    thresholds = selectors.thresholds_for(zone)
    gaps = analysis.region_gaps(matrix, member, [chain], thresholds) if member else []
    rows = charts.segment_rows(matrix, member, segments, {g.segment_id: g.kind for g in gaps})
    context = {
        "chain": chain, "zone": zone, "member": member, "members": members, "member_name": matrix.names.get(member, ""),
        "rows": rows, "graph": charts.graph(rows, selectors.chain_edges(chain), len(members)),
        "gaps": gaps, "gap_labels": dict(GapKind.choices), "thresholds": thresholds,
        "may_view_gaps": ChainPolicy.can(request.actor, "view_gaps", member),
        "milestones": selectors.milestone_list(chain=chain, zone=zone),
        "may_plan": MilestonePolicy.can(request.actor, "create", zone), "zones": region_selectors.zone_list(),
        "versions": selectors.chain_versions(chain)[:5],
    }  # fmt: skip
    return render(request, "chains/chain.html", context)


@require_GET
def segment_detail(request, code: str, segment: str):
    chain = selectors.chain_get(code=code)
    seg = selectors.segment_get(chain=chain, code=segment)
    zone, member, members = _scope(request)
    matrix = analysis.zone_matrix(zone)
    links = selectors.segment_organisations(
        actor=request.actor, segment=seg, member_codes=[m.code for m in members]
    )
    by_member = {m.code: [] for m in members}
    for att in links:
        if att.member_code in by_member:
            by_member[att.member_code].append(att)
    presence = [{"code": m.code, "name": m.name, "count": float(matrix.counts.at[m.code, seg.pk]),
                 "rca": round(float(matrix.rca.at[m.code, seg.pk]), 3), "orgs": by_member[m.code]} for m in members]  # fmt: skip
    gap, may_view = None, ChainPolicy.can(request.actor, "view_gaps", member)
    if may_view and member:
        report = reports.region_report(
            actor=request.actor, zone_code=zone.code, region_code=member, chain_code=chain.code
        )
        gap = next((g for g in report.gaps if g.segment_id == seg.pk), None)
    context = {"chain": chain, "segment": seg, "zone": zone, "member": member, "members": members,
               "member_name": matrix.names.get(member, ""), "presence": presence, "gap": gap, "may_view_gaps": may_view,
               "map_data": [{"code": p["code"], "name": p["name"], "count": p["count"], "rca": p["rca"]} for p in presence]}  # fmt: skip
    return render(request, "chains/segment.html", context)


@require_GET
def region_map(request):
    zone, member, members = _scope(request)
    matrix = analysis.zone_matrix(zone)
    chains = [(c, [s.pk for s in selectors.chain_segments(c)]) for c in selectors.chain_list()]
    names = {s: name for s, _, name in selectors.all_segments()}
    context = {"zone": zone, "member": member, "members": members, "member_name": matrix.names.get(member, ""),
               "chains": charts.region_map(matrix, member, chains, names), "zones": region_selectors.zone_list(),
               "strong_by_member": _strong_by_member(matrix, chains)}  # fmt: skip
    return render(request, "chains/region_map.html", context)


def _strong_by_member(matrix, chains) -> list[dict]:
    out = []
    for m in matrix.members:
        strong = [
            int(((matrix.rca.loc[m, ids] >= 1) & (matrix.counts.loc[m, ids] > 0)).sum()) for _, ids in chains
        ]
        out.append({"code": m, "name": matrix.names[m], "strong": sum(strong)})
    return out


@require_GET
def dashboard(request):
    zone, _, members = _scope(request)
    matrix = analysis.zone_matrix(zone)
    chains = [(c, [s.pk for s in selectors.chain_segments(c)]) for c in selectors.chain_list()]
    context = {"zone": zone, "members": members, "zones": region_selectors.zone_list(),
               "completeness": charts.completeness(matrix, chains), "complementarity": charts.complementarity(matrix),
               "names": [matrix.names[m] for m in matrix.members], "codes": matrix.members,
               "thresholds": selectors.thresholds_for(zone), "may_tune": ThresholdsPolicy.can(request.actor, "update", zone)}  # fmt: skip
    return render(request, "chains/dashboard.html", context)


def _gap_report(request):
    zone, member, _ = _scope(request)
    chain = (request.GET.get("chain") or "")[:40]
    if chain:
        selectors.chain_get(code=chain)
    return reports.region_report(
        actor=request.actor, zone_code=zone.code, region_code=member, chain_code=chain
    ), chain


@require_GET
@login_required
def gaps(request):
    report, chain = _gap_report(request)
    context = {"report": report, "chain_code": chain, "chains": selectors.chain_list(), "zone": report.zone,
               "members": region_selectors.zone_members(report.zone), "member": report.region_code,
               "fill": report.of_kind(GapKind.FILL), "strengthen": report.of_kind(GapKind.STRENGTHEN),
               "extend": report.of_kind(GapKind.EXTEND), "querystring": request.GET.urlencode()}  # fmt: skip
    return render(request, "chains/gaps.html", context)


@require_GET
@login_required
def gaps_xlsx(request):
    report, chain = _gap_report(request)
    return xlsx_response(excel.export_gaps(report), exports.filename(report, chain, "xlsx"))


@require_GET
@login_required
def gaps_pdf(request):
    report, chain = _gap_report(request)
    return pdf_response(exports.gaps_pdf(report, chain), exports.filename(report, chain, "pdf"))


def _zone_list(request):
    """The zone from ?zone= (else the actor's own); the list is about every member, so no region is asked."""
    zone = (request.GET.get("zone") or selectors.default_scope(actor=request.actor)[0])[:40]
    chain = (request.GET.get("chain") or "")[:40]
    return reports.zone_list(actor=request.actor, zone_code=zone, chain_code=chain)


@require_GET
@login_required
def zone_gaps(request):
    result = _zone_list(request)
    querystring = f"zone={result.zone.code}&chain={result.chain.code}"
    context = {"result": result, "zone": result.zone, "chains": selectors.chain_list(), "querystring": querystring,
               "zones": region_selectors.zone_list(), "member_limit": ZONE_LIST_NAMES}  # fmt: skip
    return render(request, "chains/zone_gaps.html", context)


ZONE_LIST_NAMES = 12  # members named per cell on the page (all of them in the exports)


@require_GET
@login_required
def zone_gaps_xlsx(request):
    result = _zone_list(request)
    return xlsx_response(excel.export_zone_list(result), exports.zone_filename(result, "xlsx"))


@require_GET
@login_required
def zone_gaps_pdf(request):
    result = _zone_list(request)
    return pdf_response(exports.zone_list_pdf(result), exports.zone_filename(result, "pdf"))


# ---------------------------------------------------------------- attachments


@require_http_methods(["GET", "POST"])
@login_required
def attachments(request):
    actor = request.actor
    error, status = None, 200
    if request.method == "POST":
        try:
            att = services.attachment_add(actor=actor, org_id=_int(request.POST.get("org_id"), 0),
                                          segment_id=_int(request.POST.get("segment_id"), 0),
                                          role=request.POST.get("role", AttachmentRole.PRIMARY))  # fmt: skip
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(
                request,
                gettext("已挂链：%(org)s → %(chain)s · %(segment)s")
                % {
                    "org": att.organisation.name,
                    "chain": att.segment.chain.name,
                    "segment": att.segment.name,
                },
            )
            return redirect("chains:attachments")
    orgs = selectors.own_organisation_choices(actor=actor)
    context = {
        "orgs": orgs, "mine": selectors.organisation_attachments(actor=actor, org_ids=[o.pk for o in orgs])[:200],
        "queue": selectors.bureau_queue(actor=actor)[:200], "chains": selectors.chain_list(),
        "segments": selectors.segments_for_index(), "roles": AttachmentRole.choices, "error": error,
        "statuses": dict(AttachmentStatus.choices),
    }  # fmt: skip
    return render(request, "chains/attachments.html", context, status=status)


@require_POST
@login_required
def attachments_suggest(request):
    created = services.attachments_suggest(actor=request.actor, org_id=_int(request.POST.get("org_id"), 0))
    messages.success(
        request,
        gettext("已生成 %(n)s 条挂链建议，确认后生效") % {"n": len(created)}
        if created
        else gettext("没有新的挂链建议"),
    )
    return redirect("chains:attachments")


@require_POST
@login_required
def attachment_action(request, pk: int, action: str):
    service = {"confirm": services.attachment_confirm, "reject": services.attachment_reject,
               "withdraw": services.attachment_withdraw}[action]  # fmt: skip
    service(actor=request.actor, pk=pk)
    messages.success(
        request,
        {
            "confirm": gettext("已确认挂链"),
            "reject": gettext("已驳回挂链建议"),
            "withdraw": gettext("已撤销挂链"),
        }[action],
    )
    return redirect("chains:attachments")


@require_http_methods(["GET", "POST"])
@login_required
def attachment_measures(request, pk: int):
    att = selectors.attachment_get(actor=request.actor, pk=pk)
    AttachmentPolicy.require(request.actor, "view_measures", att)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.measure_set(actor=request.actor, attachment_id=att.pk, raw=request.POST.dict())
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, gettext("年度数据已保存"))
            return redirect("chains:measures", pk=att.pk)
    context = {"att": att, "measures": selectors.measures_of(actor=request.actor, attachment=att), "error": error,
               "may_edit": AttachmentPolicy.can(request.actor, "edit_measures", att), "values": request.POST.dict()}  # fmt: skip
    return render(request, "chains/measures.html", context, status=status)


# ---------------------------------------------------------------- structure import / export


@require_http_methods(["GET", "POST"])
@login_required
def chain_import(request):
    ChainPolicy.require(request.actor, "manage")
    report, error, status = None, None, 200
    values = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise Invalid(gettext("请选择要导入的 Excel 文件"))
            report = services.chain_import(actor=request.actor, code=values.get("code", "").strip(),
                                           name=values.get("name", "").strip(), industry=values.get("industry", ""),
                                           description=values.get("description", ""), rows=excel.read_chain(upload))  # fmt: skip
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            if report.ok:
                messages.success(request, gettext("导入成功：%(n)s 个环节") % {"n": report.created})
                return redirect("chains:chain", code=values["code"].strip())
            status = 400
    return render(
        request, "chains/import.html", {"report": report, "error": error, "values": values}, status=status
    )


@require_GET
def chain_template(request):
    return xlsx_response(excel.chain_template(), "产业链环节导入模板.xlsx")


@require_GET
def chain_export(request, code: str):
    chain = selectors.chain_get(code=code)
    segments = selectors.chain_segments(chain)
    names = {s.pk: s.code for s in segments}
    upstream: dict[int, list[str]] = {}
    for up, down in selectors.chain_edges(chain):
        upstream.setdefault(down, []).append(names[up])
    return xlsx_response(excel.export_chain(chain, segments, upstream), f"{chain.name}产业链.xlsx")


# ---------------------------------------------------------------- roadmap and thresholds


@require_POST
@login_required
def milestone_create(request):
    p = request.POST
    raw = {"title": p.get("title", ""), "year": _int(p.get("year")), "description": p.get("description", ""),
           "segment_code": p.get("segment_code", ""), "responsible": p.getlist("responsible")}  # fmt: skip
    chain_code, zone_code = p.get("chain", "")[:40], p.get("zone", "")[:40]
    services.milestone_create(actor=request.actor, chain_code=chain_code, zone_code=zone_code, raw=raw)
    messages.success(request, gettext("已添加技术路线图里程碑"))
    return redirect(f"/chains/{chain_code}/?zone={zone_code}#roadmap")


@require_POST
@login_required
def milestone_delete(request, pk: int):
    milestone = selectors.milestone_get(actor=request.actor, pk=pk)
    chain_code, zone_code = milestone.chain.code, milestone.zone.code
    services.milestone_delete(actor=request.actor, pk=pk)
    messages.success(request, gettext("已删除里程碑"))
    return redirect(f"/chains/{chain_code}/?zone={zone_code}#roadmap")


@require_POST
@login_required
def thresholds_update(request):
    zone_code = request.POST.get("zone", "")[:40]
    values = {}
    for field in services.THRESHOLD_FIELDS:
        text = request.POST.get(field, "").strip()
        if text:
            try:
                values[field] = float(text)
            except ValueError as exc:
                raise Invalid(gettext("阈值“%(text)s”不是有效数字") % {"text": text}) from exc
    services.thresholds_update(actor=request.actor, zone_code=zone_code, values=values)
    messages.success(request, gettext("缺链判定阈值已更新"))
    return redirect(f"/chains/dashboard/?zone={zone_code}")
