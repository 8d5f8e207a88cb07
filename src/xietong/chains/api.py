"""JSON API of the chains app, mounted at /api/v1/chains by xietong.api; handlers are thin."""

from __future__ import annotations

from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from xietong.chains import analysis, charts, excel, reports, selectors, services
from xietong.chains.policies import AttachmentPolicy
from xietong.chains.schemas import (
    AttachmentIn,
    AttachmentOut,
    ChainDetailOut,
    ChainMapOut,
    ChainOut,
    DashboardOut,
    ErrorOut,
    GapQuery,
    GapReportOut,
    ImportReportOut,
    MeasureIn,
    MeasureOut,
    MilestoneIn,
    MilestoneOut,
    RegionMapOut,
    ScopeQuery,
    SegmentDetailOut,
    SuggestIn,
    ThresholdsIn,
    ThresholdsOut,
    ZoneListOut,
    ZoneListQuery,
)
from xietong.core.api import AUTH, import_created
from xietong.core.errors import Invalid
from xietong.core.excel import xlsx_response
from xietong.regions import selectors as region_selectors

router = Router(tags=["chains"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request, query: ScopeQuery):
    default_zone, default_region = selectors.default_scope(actor=request.actor)
    zone = region_selectors.zone_get(zone_id_or_code=query.zone or default_zone)
    region = query.region or default_region
    member = analysis.member_of_zone(zone, region) if region else ""
    if region and not member:
        raise Invalid(
            gettext("地区 %(region)s 不在%(name)s内") % {"region": region, "name": zone.name}, field="region"
        )
    members = region_selectors.zone_members(zone)
    return zone, member or (members[0].code if members else "")


def _segment_out(s, upstream: dict[int, list[str]]) -> dict:
    return {"id": s.pk, "code": s.code, "name": s.name, "stage": s.stage, "parent": s.parent.code if s.parent_id else "",
            "upstream": upstream.get(s.pk, []), "description": s.description, "keywords": s.keywords, "tech_fields": s.tech_fields}  # fmt: skip


def _attachment_out(a) -> dict:
    return {"id": a.pk, "organisation_id": a.organisation_id, "organisation": a.organisation.name, "chain": a.segment.chain.code,
            "segment_id": a.segment_id, "segment_code": a.segment.code, "segment": a.segment.name, "region": a.region_id,
            "role": a.role, "source": a.source, "status": a.status, "is_bureau_confirmed": a.is_bureau_confirmed,
            "score": a.score, "reason": a.reason_shown}  # fmt: skip


# ---------------------------------------------------------------- chains


@router.get("/chains", response={200: list[ChainOut], **ERRORS}, summary="产业链列表")
def chain_list(request):
    return list(selectors.chain_list())


@router.get(
    "/chains/{code}", response={200: ChainDetailOut, **ERRORS}, summary="产业链结构（环节与上下游关系）"
)
def chain_detail(request, code: str):
    chain = selectors.chain_get(code=code)
    segments = selectors.chain_segments(chain)
    names = {s.pk: s.code for s in segments}
    upstream: dict[int, list[str]] = {}
    for up, down in selectors.chain_edges(chain):
        upstream.setdefault(down, []).append(names[up])
    return {"code": chain.code, "name": chain.name, "industry": chain.industry, "description": chain.description,
            "version": chain.version, "source": chain.source, "segment_count": len(segments),
            "segments": [_segment_out(s, upstream) for s in segments]}  # fmt: skip


@router.get("/chains/{code}/workbook", response={200: None, **ERRORS}, summary="导出产业链结构（Excel）")
def chain_workbook(request, code: str):
    chain = selectors.chain_get(code=code)
    segments = selectors.chain_segments(chain)
    names = {s.pk: s.code for s in segments}
    upstream: dict[int, list[str]] = {}
    for up, down in selectors.chain_edges(chain):
        upstream.setdefault(down, []).append(names[up])
    return xlsx_response(excel.export_chain(chain, segments, upstream), f"{chain.name}产业链.xlsx")


@router.post("/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 导入产业链结构（整表校验，全部成功或全部不写入；已有产业链生成新版本）")  # fmt: skip
def chain_import(
    request, file: File[UploadedFile], code: Form[str], name: Form[str], industry: Form[str] = ""
):
    from xietong.chains.policies import ChainPolicy

    ChainPolicy.require(request.actor, "manage")
    report = services.chain_import(actor=request.actor, code=code.strip(), name=name.strip(), industry=industry,
                                   rows=excel.read_chain(file))  # fmt: skip
    return import_created(report)


@router.get(
    "/chains/{code}/map",
    response={200: ChainMapOut, **ERRORS},
    summary="产业链图谱：所选地区各环节的区位熵、布局与缺链判定",
)
def chain_map(request, code: str, query: Query[ScopeQuery]):
    chain = selectors.chain_get(code=code)
    zone, member = _scope(request, query)
    matrix = analysis.zone_matrix(zone)
    gaps = analysis.region_gaps(matrix, member, [chain], selectors.thresholds_for(zone)) if member else []
    rows = charts.segment_rows(
        matrix, member, selectors.chain_segments(chain), {g.segment_id: g.kind for g in gaps}
    )
    return {
        "chain": chain.code,
        "zone": zone.code,
        "region": member,
        "region_name": matrix.names.get(member, ""),
        "segments": rows,
    }


@router.get(
    "/chains/{code}/segments/{segment}",
    response={200: SegmentDetailOut, **ERRORS},
    summary="环节详情：各成员的挂链机构与区位熵",
)
def segment_detail(request, code: str, segment: str, query: Query[ScopeQuery]):
    chain = selectors.chain_get(code=code)
    seg = selectors.segment_get(chain=chain, code=segment)
    zone, _ = _scope(request, query)
    matrix = analysis.zone_matrix(zone)
    links = selectors.segment_organisations(actor=request.actor, segment=seg, member_codes=matrix.members)
    members = [{"code": m, "name": matrix.names[m], "count": float(matrix.counts.at[m, seg.pk]),
                "rca": float(matrix.rca.at[m, seg.pk])} for m in matrix.members]  # fmt: skip
    orgs = [{"organisation_id": a.organisation_id, "organisation": a.organisation.name, "region": a.region_id,
             "region_name": a.region.name, "member": a.member_code, "role": a.role} for a in links]  # fmt: skip
    return {"chain": chain.code, "code": seg.code, "name": seg.name, "stage": seg.stage, "description": seg.description,
            "keywords": seg.keywords, "members": members, "organisations": orgs}  # fmt: skip


@router.get("/chains/{code}/roadmap", response={200: list[MilestoneOut], **ERRORS}, summary="产业技术路线图")
def roadmap(request, code: str, zone: str = ""):
    chain = selectors.chain_get(code=code)
    z = region_selectors.zone_get(zone_id_or_code=zone[:40]) if zone else None
    return [_milestone_out(m) for m in selectors.milestone_list(chain=chain, zone=z)]


def _milestone_out(m) -> dict:
    return {"id": m.pk, "year": m.year, "title": m.title, "description": m.description, "zone": m.zone.code,
            "segment": m.segment.code if m.segment_id else "", "responsible": sorted(r.code for r in m.responsible.all())}  # fmt: skip


@router.post(
    "/chains/{code}/milestones",
    response={201: MilestoneOut, **ERRORS},
    auth=AUTH,
    summary="添加路线图里程碑（协同区办公室）",
)
def milestone_create(request, code: str, payload: MilestoneIn):
    data = payload.dict()
    zone = data.pop("zone")
    return Status(
        201,
        _milestone_out(
            services.milestone_create(actor=request.actor, chain_code=code, zone_code=zone, raw=data)
        ),
    )


@router.delete("/milestones/{int:pk}", response={204: None, **ERRORS}, auth=AUTH, summary="删除路线图里程碑")
def milestone_delete(request, pk: int):
    services.milestone_delete(actor=request.actor, pk=pk)
    return Status(204, None)


# ---------------------------------------------------------------- gaps, maps, dashboard


def _report_out(report) -> dict:
    t = report.thresholds
    return {"zone": report.zone.code, "region": report.region_code, "region_name": report.region_name,
            "thresholds": {f: getattr(t, f) for f in services.THRESHOLD_FIELDS},
            "gaps": [{**{k: getattr(g, k) for k in ("kind", "kind_label", "chain_code", "chain_name", "segment_code",
                      "segment_name", "stage", "rca", "count", "density", "reason")},
                      "recommendations": [{**r.__dict__, "what_label": r.what_label} for r in g.recommendations]}
                     for g in report.gaps]}  # fmt: skip


@router.get(
    "/gaps", response={200: GapReportOut, **ERRORS}, auth=AUTH, summary="地区的补链、强链、延链清单与推荐"
)
def gaps(request, query: Query[GapQuery]):
    zone, member = _scope(request, query)
    report = reports.region_report(actor=request.actor, zone_code=zone.code, region_code=member, chain_code=query.chain,
                                   with_recommendations=query.recommendations)  # fmt: skip
    return _report_out(report)


@router.get(
    "/gaps/export", response={200: None, **ERRORS}, auth=AUTH, summary="导出补链强链延链清单（Excel）"
)
def gaps_export(request, query: Query[GapQuery]):
    from xietong.chains import exports

    zone, member = _scope(request, query)
    report = reports.region_report(
        actor=request.actor, zone_code=zone.code, region_code=member, chain_code=query.chain
    )
    return xlsx_response(excel.export_gaps(report), exports.filename(report, query.chain, "xlsx"))


@router.get(
    "/zone-gaps",
    response={200: GapReportOut, **ERRORS},
    auth=AUTH,
    summary="协同区整体的补链、强链、延链（相对全平台）",
)
def zone_gaps(request, zone: str, chain: str = "", recommendations: bool = True):
    report = reports.zone_report(
        actor=request.actor, zone_code=zone[:40], chain_code=chain[:40], with_recommendations=recommendations
    )
    return _report_out(report)


def _zone_list_out(result) -> dict:
    t = result.thresholds

    def marks(items):
        return [{"code": m.code, "name": m.name, "rca": m.rca, "count": m.count} for m in items]

    return {"zone": result.zone.code, "zone_name": result.zone.name, "chain": result.chain.code,
            "chain_name": result.chain.name, "thresholds": {f: getattr(t, f) for f in services.THRESHOLD_FIELDS},
            "segments": [{"segment_code": r.segment_code, "segment_name": r.segment_name, "stage": r.stage,
                          "stage_label": r.stage_label, "zone_kind": r.zone_kind, "zone_kind_label": r.zone_kind_label,
                          "zone_reason": r.zone_reason, "lacking": marks(r.lacking), "strong": marks(r.strong),
                          "extending": marks(r.extending),
                          "recommendations": [{**p.__dict__, "what_label": p.what_label} for p in r.recommendations]}
                         for r in result.rows]}  # fmt: skip


@router.get(
    "/zone-gaps/members",
    response={200: ZoneListOut, **ERRORS},
    auth=AUTH,
    summary="协同区全体成员的补链、强链、延链（每个环节：缺链成员、优势成员与可补链的机构、宜延链成员）",
)
def zone_list(request, query: Query[ZoneListQuery]):
    return _zone_list_out(
        reports.zone_list(actor=request.actor, zone_code=query.zone, chain_code=query.chain)
    )


@router.get(
    "/zone-gaps/members/export",
    response={200: None, **ERRORS},
    auth=AUTH,
    summary="导出协同区全体成员的补链强链延链清单（Excel 或 PDF）",
)
def zone_list_export(request, query: Query[ZoneListQuery], format: str = "xlsx"):
    from xietong.chains import exports
    from xietong.core.pdf import pdf_response

    if format not in ("xlsx", "pdf"):
        raise Invalid(gettext("导出格式应为 xlsx 或 pdf"), field="format")
    result = reports.zone_list(actor=request.actor, zone_code=query.zone, chain_code=query.chain)
    if format == "pdf":
        return pdf_response(exports.zone_list_pdf(result), exports.zone_filename(result, "pdf"))
    return xlsx_response(excel.export_zone_list(result), exports.zone_filename(result, "xlsx"))


@router.get("/dashboard", response={200: DashboardOut, **ERRORS}, summary="协同区产业链完整度与成员互补性")
def dashboard(request, query: Query[ScopeQuery]):
    zone, _ = _scope(request, query)
    matrix = analysis.zone_matrix(zone)
    chains = [(c, [s.pk for s in selectors.chain_segments(c)]) for c in selectors.chain_list()]
    return {"zone": zone.code, "members": [{"code": m, "name": matrix.names[m]} for m in matrix.members],
            "completeness": charts.completeness(matrix, chains), "complementarity": charts.complementarity(matrix)}  # fmt: skip


@router.get(
    "/region-map",
    response={200: RegionMapOut, **ERRORS},
    summary="地区优势产业发展地图（各产业链环节的区位熵）",
)
def region_map(request, query: Query[ScopeQuery]):
    zone, member = _scope(request, query)
    matrix = analysis.zone_matrix(zone)
    chains = [(c, [s.pk for s in selectors.chain_segments(c)]) for c in selectors.chain_list()]
    names = {s: name for s, _, name in selectors.all_segments()}
    return {"zone": zone.code, "region": member, "region_name": matrix.names.get(member, ""),
            "chains": charts.region_map(matrix, member, chains, names)}  # fmt: skip


@router.get("/thresholds", response={200: ThresholdsOut, **ERRORS}, summary="协同区的缺链判定阈值")
def thresholds(request, zone: str):
    return selectors.thresholds_for(region_selectors.zone_get(zone_id_or_code=zone[:40]))


@router.put(
    "/thresholds",
    response={200: ThresholdsOut, **ERRORS},
    auth=AUTH,
    summary="修改缺链判定阈值（协同区办公室）",
)
def thresholds_update(request, payload: ThresholdsIn):
    values = {k: v for k, v in payload.dict(exclude={"zone"}).items() if v is not None}
    return services.thresholds_update(actor=request.actor, zone_code=payload.zone, values=values)


# ---------------------------------------------------------------- attachments


@router.get(
    "/attachments", response={200: list[AttachmentOut], **ERRORS}, auth=AUTH, summary="挂链记录（按可见范围）"
)
def attachment_list(request, org_id: int | None = None, status: str = "", region: str = "", limit: int = 200):
    if status and status not in ("pending", "active", "rejected"):
        raise Invalid(gettext("状态应为 pending、active 或 rejected"))
    if region and not (region.isascii() and region.isdigit() and len(region) == 6):
        raise Invalid(gettext("地区应为 6 位区划代码"))
    if org_id is not None and not 1 <= org_id <= 2**63 - 1:
        raise Invalid(gettext("机构编号无效"))
    qs = selectors.attachment_list(actor=request.actor, org_id=org_id, status=status, region_code=region)
    return [_attachment_out(a) for a in qs[: max(1, min(limit, 1000))]]


@router.post(
    "/attachments",
    response={201: AttachmentOut, **ERRORS},
    auth=AUTH,
    summary="申报挂链（本机构）或登记挂链（主管部门）",
)
def attachment_add(request, payload: AttachmentIn):
    return Status(201, _attachment_out(services.attachment_add(actor=request.actor, **payload.dict())))


@router.post("/attachments/suggestions", response={201: list[AttachmentOut], **ERRORS}, auth=AUTH,
             summary="根据机构经营范围推荐挂链环节（待确认）")  # fmt: skip
def attachments_suggest(request, payload: SuggestIn):
    created = services.attachments_suggest(actor=request.actor, org_id=payload.org_id)
    return Status(
        201, [_attachment_out(selectors.attachment_get(actor=request.actor, pk=a.pk)) for a in created]
    )


@router.post("/attachments/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 批量登记辖区机构挂链与年度数据（主管部门；全部成功或全部不写入）")  # fmt: skip
def attachments_import(request, file: File[UploadedFile]):
    report = services.attachments_import(actor=request.actor, rows=excel.read_attachments(file))
    return import_created(report)


@router.post(
    "/attachments/{int:pk}/confirm", response={200: AttachmentOut, **ERRORS}, auth=AUTH, summary="确认挂链"
)
def attachment_confirm(request, pk: int):
    return _attachment_out(services.attachment_confirm(actor=request.actor, pk=pk))


@router.post(
    "/attachments/{int:pk}/reject", response={200: AttachmentOut, **ERRORS}, auth=AUTH, summary="驳回挂链建议"
)
def attachment_reject(request, pk: int):
    return _attachment_out(services.attachment_reject(actor=request.actor, pk=pk))


@router.delete("/attachments/{int:pk}", response={204: None, **ERRORS}, auth=AUTH, summary="撤销挂链")
def attachment_withdraw(request, pk: int):
    services.attachment_withdraw(actor=request.actor, pk=pk)
    return Status(204, None)


@router.get("/attachments/{int:pk}/measures", response={200: list[MeasureOut], **ERRORS}, auth=AUTH,
            summary="挂链机构年度数据（本机构、主管部门、协同区办公室可见）")  # fmt: skip
def measures(request, pk: int):
    att = selectors.attachment_get(actor=request.actor, pk=pk)
    AttachmentPolicy.require(request.actor, "view_measures", att)
    return selectors.measures_of(actor=request.actor, attachment=att)


@router.put(
    "/attachments/{int:pk}/measures", response={200: MeasureOut, **ERRORS}, auth=AUTH, summary="填报年度数据"
)
def measure_set(request, pk: int, payload: MeasureIn):
    return services.measure_set(actor=request.actor, attachment_id=pk, raw=payload.dict())
