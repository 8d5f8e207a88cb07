"""JSON API of the talent app, mounted at /api/v1/talent by xietong.api; handlers are thin."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from xietong.core.api import AUTH, import_created
from xietong.core.errors import Invalid
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.talent import excel, present, selectors, services
from xietong.talent.schemas import (
    AgreementIn,
    AgreementOut,
    AnswerIn,
    AppointmentIn,
    AppointmentOut,
    CardIn,
    ConsentIn,
    DeclarationIn,
    ErrorOut,
    ExpertHitOut,
    ExpertIn,
    ExpertOut,
    ExpertPage,
    ExpertPatch,
    ImportReportOut,
    MySeatOut,
    ProfileDetailOut,
    ProfileIn,
    ProfilePage,
    ProfilePatch,
    RecognitionOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    SchemeIn,
    SchemeOut,
    SharingIn,
    SharingOut,
    VersionIn,
    VersionOut,
)

router = Router(tags=["talent"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ProfileQuery(Schema):
    q: str = Field("", max_length=100)
    region: str = Field("", pattern=r"^(\d{6})?$")
    discipline: str = Field("", max_length=30)
    title_rank: str = Field("", max_length=16)
    tier: str = Field("", max_length=2)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class ExpertQuery(Schema):
    region: str = Field("", pattern=r"^(\d{6})?$")
    zone: str = Field("", max_length=40)
    title_rank: str = Field("", max_length=16)
    discipline: str = Field("", max_length=30)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class SearchQuery(Schema):
    q: str = Field("", max_length=500, description="需求、成果描述或关键词")
    achievement_id: int | None = Field(None, ge=1, le=2**63 - 1)
    demand_id: int | None = Field(None, ge=1, le=2**63 - 1)
    region: str = Field("", pattern=r"^(\d{6})?$")
    zone: str = Field("", max_length=40)
    title_rank: str = Field("", max_length=16)
    discipline: str = Field("", max_length=30)
    k: int = Field(20, ge=1, le=100)


class RecognitionQuery(Schema):
    scheme_id: int = Field(ge=1, le=2**63 - 1)
    tier: str = Field(min_length=1, max_length=10)
    region: str = Field(pattern=r"^\d{6}$")
    on: date | None = None


# ---------------------------------------------------------------- profiles


@router.get(
    "/profiles", response={200: ProfilePage, **ERRORS}, auth=AUTH, summary="人才档案（联系方式按权限脱敏）"
)
def profiles(request, query: Query[ProfileQuery]):
    filters = query.dict(exclude={"page", "page_size"})
    page = paginate(
        selectors.profile_list(actor=request.actor, **filters), page=query.page, page_size=query.page_size
    )
    rows = selectors.with_contacts(actor=request.actor, profiles=page.items)
    return {"total": page.total, "page": page.page, "page_size": page.page_size,
            "items": [present.profile(p, c) for p, c in rows]}  # fmt: skip


@router.post("/profiles", response={201: ProfileDetailOut, **ERRORS}, auth=AUTH, summary="新建人才档案")
def profile_create(request, payload: ProfileIn):
    data = payload.dict()
    profile = services.profile_create(
        actor=request.actor, organisation_id=data.pop("organisation_id"), raw=data
    )
    return Status(
        201, present.profile_detail(selectors.profile_detail(actor=request.actor, profile_id=profile.pk))
    )


@router.get("/profiles/export.xlsx", auth=AUTH, summary="导出人才档案（联系方式按权限脱敏）")
def profiles_export(request, query: Query[ProfileQuery]):
    qs = selectors.profile_list(actor=request.actor, **query.dict(exclude={"page", "page_size"}))[:5000]
    return xlsx_response(
        excel.export_profiles(selectors.with_contacts(actor=request.actor, profiles=qs)), "人才档案.xlsx"
    )


@router.get("/profiles/import-template.xlsx", summary="人才档案导入模板")
def profiles_template(request):
    return xlsx_response(excel.template("profiles"), "人才档案导入模板.xlsx")


@router.post("/profiles/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 批量导入人才档案（全部成功或全部不写入）")  # fmt: skip
def profiles_import(request, file: File[UploadedFile]):
    return import_created(services.profiles_import(actor=request.actor, rows=excel.read_profiles(file)))


@router.get(
    "/profiles/{int:pk}", response={200: ProfileDetailOut, **ERRORS}, auth=AUTH, summary="人才档案详情"
)
def profile_detail(request, pk: int):
    return present.profile_detail(selectors.profile_detail(actor=request.actor, profile_id=pk))


@router.patch(
    "/profiles/{int:pk}", response={200: ProfileDetailOut, **ERRORS}, auth=AUTH, summary="修改人才档案"
)
def profile_update(request, pk: int, payload: ProfilePatch):
    services.profile_update(actor=request.actor, profile_id=pk, raw=payload.dict(exclude_none=True))
    return present.profile_detail(selectors.profile_detail(actor=request.actor, profile_id=pk))


@router.get("/profiles/{int:pk}/benefits", response={200: list[RecognitionOut], **ERRORS}, auth=AUTH,
            summary="持卡人今天在各地可享受的服务")  # fmt: skip
def profile_benefits(request, pk: int):
    profile = selectors.profile_get(actor=request.actor, profile_id=pk)
    return [present.recognition(a) for a in selectors.holder_benefits(actor=request.actor, profile=profile)]


# ---------------------------------------------------------------- experts


@router.get("/experts", response={200: ExpertPage, **ERRORS}, auth=AUTH, summary="专家库（按可见范围）")
def experts(request, query: Query[ExpertQuery]):
    qs = selectors.expert_list(actor=request.actor, **query.dict(exclude={"page", "page_size"}))
    page = paginate(qs, page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size,
            "items": [present.expert(e) for e in page.items]}  # fmt: skip


@router.get("/experts/search", response={200: list[ExpertHitOut], **ERRORS}, auth=AUTH,
            summary="专家检索（匹配引擎排序，附中文解释）")  # fmt: skip
def experts_search(request, query: Query[SearchQuery]):
    text = query.q
    if query.achievement_id:
        text = selectors.achievement_text(actor=request.actor, achievement_id=query.achievement_id)
    elif query.demand_id:
        text = selectors.demand_text(actor=request.actor, demand_id=query.demand_id)
    if not text.strip():
        raise Invalid(_("请输入检索内容，或指定一项科技成果或技术需求"))
    hits = selectors.expert_search(actor=request.actor, query=text, region=query.region, zone=query.zone,
                                   title_rank=query.title_rank, discipline=query.discipline, k=query.k)  # fmt: skip
    return [{**present.expert(h.expert), "score": h.score, "explanation": h.explanation} for h in hits]


@router.post("/experts", response={201: ExpertOut, **ERRORS}, auth=AUTH, summary="专家入库")
def expert_admit(request, payload: ExpertIn):
    data = payload.dict()
    expert = services.expert_admit(actor=request.actor, profile_id=data.pop("profile_id"),
                                   region_code=data.pop("region_code"), raw=data)  # fmt: skip
    return Status(201, present.expert(selectors.expert_get(actor=request.actor, expert_id=expert.pk)))


@router.get("/experts/export.xlsx", auth=AUTH, summary="导出专家库（联系方式按权限脱敏）")
def experts_export(request, query: Query[ExpertQuery]):
    rows = list(
        selectors.expert_list(actor=request.actor, **query.dict(exclude={"page", "page_size"}))[:5000]
    )
    contacts = dict(selectors.with_contacts(actor=request.actor, profiles=[e.profile for e in rows]))
    return xlsx_response(excel.export_experts([(e, contacts[e.profile]) for e in rows]), "专家库.xlsx")


@router.get("/experts/import-template.xlsx", summary="专家入库导入模板")
def experts_template(request):
    return xlsx_response(excel.template("experts"), "专家入库导入模板.xlsx")


@router.post("/experts/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 批量专家入库（全部成功或全部不写入）")  # fmt: skip
def experts_import(request, file: File[UploadedFile]):
    return import_created(services.experts_import(actor=request.actor, rows=excel.read_experts(file)))


@router.get("/experts/{int:pk}", response={200: ExpertOut, **ERRORS}, auth=AUTH, summary="专家详情")
def expert_detail(request, pk: int):
    return present.expert(selectors.expert_get(actor=request.actor, expert_id=pk))


@router.patch("/experts/{int:pk}", response={200: ExpertOut, **ERRORS}, auth=AUTH, summary="修改专家状态")
def expert_update(request, pk: int, payload: ExpertPatch):
    services.expert_update(actor=request.actor, expert_id=pk, **payload.dict(exclude_none=True))
    return present.expert(selectors.expert_get(actor=request.actor, expert_id=pk))


@router.put("/experts/{int:pk}/declarations", response={200: ExpertOut, **ERRORS}, auth=AUTH,
            summary="申报回避单位与人员")  # fmt: skip
def expert_declare(request, pk: int, payload: DeclarationIn):
    services.expert_declare(actor=request.actor, expert_id=pk, org_ids=payload.avoid_org_ids,
                            profile_ids=payload.avoid_profile_ids)  # fmt: skip
    return present.expert(selectors.expert_get(actor=request.actor, expert_id=pk))


@router.put(
    "/zones/{code}/sharing", response={200: SharingOut, **ERRORS}, auth=AUTH, summary="协同区专家库共享设置"
)
def zone_sharing(request, code: str, payload: SharingIn):
    sharing = services.zone_sharing_set(
        actor=request.actor, zone_code=code[:40], shares_experts=payload.shares_experts
    )
    return {"zone": sharing.zone.name, "shares_experts": sharing.shares_experts}


# ---------------------------------------------------------------- schemes, agreements, recognition


@router.get("/schemes", response={200: list[SchemeOut], **ERRORS}, summary="人才卡（职称、技能认定）制度")
def schemes(request):
    return [present.scheme(s) for s in selectors.scheme_list(actor=request.actor)]


@router.post("/schemes", response={201: SchemeOut, **ERRORS}, auth=AUTH, summary="新建制度（等级与服务）")
def scheme_create(request, payload: SchemeIn):
    data = payload.dict()
    scheme = services.scheme_create(
        actor=request.actor, name=data["name"], region_code=data["region_code"], kind=data["kind"],
        tiers=[(t["code"], t["name"]) for t in data["tiers"]], services=data["services"],
        description=data["description"], is_illustrative=data["is_illustrative"],
    )  # fmt: skip
    return Status(201, present.scheme(selectors.scheme_get(actor=request.actor, scheme_id=scheme.pk)))


@router.get("/schemes/export.xlsx", summary="导出制度与互认协议")
def schemes_export(request):
    return xlsx_response(
        excel.export_schemes_and_agreements(selectors.scheme_list(actor=request.actor),
                                            selectors.agreement_list(actor=request.actor)), "人才卡与互认协议.xlsx")  # fmt: skip


@router.get("/schemes/{int:pk}", response={200: SchemeOut, **ERRORS}, summary="制度详情")
def scheme_detail(request, pk: int):
    return present.scheme(selectors.scheme_get(actor=request.actor, scheme_id=pk))


@router.post(
    "/schemes/{int:pk}/cards", response={201: dict, **ERRORS}, auth=AUTH, summary="发放人才卡（认定等级）"
)
def card_issue(request, pk: int, payload: CardIn):
    card = services.card_issue(actor=request.actor, scheme_id=pk, profile_id=payload.profile_id, tier_code=payload.tier,
                               number=payload.number, issued_on=payload.issued_on, expires_on=payload.expires_on)  # fmt: skip
    return Status(
        201, {"profile_id": card.profile_id, "tier": card.tier.name, "issued_on": card.issued_on.isoformat()}
    )


@router.get("/agreements", response={200: list[AgreementOut], **ERRORS}, summary="互认协议及其版本")
def agreements(request):
    return [present.agreement(a) for a in selectors.agreement_list(actor=request.actor)]


@router.post("/agreements", response={201: AgreementOut, **ERRORS}, auth=AUTH, summary="新建互认协议")
def agreement_create(request, payload: AgreementIn):
    agreement = services.agreement_create(actor=request.actor, **payload.dict())
    return Status(201, present.agreement(selectors.agreement_list(actor=request.actor).get(pk=agreement.pk)))


@router.get("/agreements/import-template.xlsx", summary="互认协议导入模板")
def agreements_template(request):
    return xlsx_response(excel.template("agreements"), "互认协议导入模板.xlsx")


@router.post("/agreements/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 批量导入互认协议版本（全部成功或全部不写入）")  # fmt: skip
def agreements_import(request, file: File[UploadedFile]):
    return import_created(services.agreements_import(actor=request.actor, rows=excel.read_agreements(file)))


@router.get("/agreements/{int:pk}", response={200: AgreementOut, **ERRORS}, summary="互认协议详情")
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(actor=request.actor, agreement_id=pk)
    return present.agreement(selectors.agreement_list(actor=request.actor).get(pk=agreement.pk))


@router.post("/agreements/{int:pk}/versions", response={201: VersionOut, **ERRORS}, auth=AUTH,
             summary="新增协议版本（有效期不得与已有版本重叠）")  # fmt: skip
def agreement_version_add(request, pk: int, payload: VersionIn):
    data = payload.dict()
    version = services.agreement_version_add(
        actor=request.actor, agreement_id=pk, effective_from=data["effective_from"], effective_to=data["effective_to"],
        min_tier=data["min_tier"], grants=[(g["service"], g["article"]) for g in data["grants"]], note=data["note"],
    )  # fmt: skip
    return Status(201, {"number": version.number, "effective_from": version.effective_from,
                        "effective_to": version.effective_to, "min_rank": version.max_rank, "note": version.note,
                        "grants": [{"service": g.service, "article": g.article} for g in version.grant_list]})  # fmt: skip


class CloseIn(Schema):
    effective_to: date


@router.post("/agreements/{int:pk}/versions/{int:number}/close", response={200: AgreementOut, **ERRORS}, auth=AUTH,
             summary="为某版本设定失效日期（以便新版本在其后生效）")  # fmt: skip
def agreement_version_close(request, pk: int, number: int, payload: CloseIn):
    services.agreement_version_close(
        actor=request.actor, agreement_id=pk, number=number, effective_to=payload.effective_to
    )
    return present.agreement(selectors.agreement_list(actor=request.actor).get(pk=pk))


@router.get("/recognition", response={200: RecognitionOut, **ERRORS},
            summary="持某卡某等级在某地可享受哪些服务（附协议与条款）")  # fmt: skip
def recognition(request, query: Query[RecognitionQuery]):
    scheme = selectors.scheme_get(actor=request.actor, scheme_id=query.scheme_id)
    tier = selectors.tier_get(actor=request.actor, scheme=scheme, code=query.tier)
    answer = selectors.recognition_query(actor=request.actor, scheme=scheme, tier=tier, region_code=query.region,
                                         on=query.on)  # fmt: skip
    return present.recognition(answer)


# ---------------------------------------------------------------- appointments


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS}, auth=AUTH, summary="柔性聘用")
def appointments(request, status: str = Query("", pattern=r"^(offered|active|refused|ended)?$")):
    return [
        present.appointment(a) for a in selectors.appointment_list(actor=request.actor, status=status)[:200]
    ]


@router.post("/appointments", response={201: AppointmentOut, **ERRORS}, auth=AUTH, summary="发出兼职聘用")
def appointment_offer(request, payload: AppointmentIn):
    appt = services.appointment_offer(actor=request.actor, **payload.dict())
    return Status(
        201, present.appointment(selectors.appointment_get(actor=request.actor, appointment_id=appt.pk))
    )


@router.get(
    "/appointments/{int:pk}", response={200: AppointmentOut, **ERRORS}, auth=AUTH, summary="柔性聘用详情"
)
def appointment_detail(request, pk: int):
    return present.appointment(selectors.appointment_get(actor=request.actor, appointment_id=pk))


@router.post("/appointments/{int:pk}/answer", response={200: AppointmentOut, **ERRORS}, auth=AUTH,
             summary="原单位同意或不同意（保留身份）")  # fmt: skip
def appointment_answer(request, pk: int, payload: ConsentIn):
    services.appointment_answer(actor=request.actor, appointment_id=pk, consent=payload.consent)
    return present.appointment(selectors.appointment_get(actor=request.actor, appointment_id=pk))


@router.post(
    "/appointments/{int:pk}/end", response={200: AppointmentOut, **ERRORS}, auth=AUTH, summary="结束聘用"
)
def appointment_end(request, pk: int):
    services.appointment_end(actor=request.actor, appointment_id=pk)
    return present.appointment(selectors.appointment_get(actor=request.actor, appointment_id=pk))


# ---------------------------------------------------------------- review rounds


def _round_detail(request, pk: int) -> dict:
    rnd = selectors.round_get(actor=request.actor, round_id=pk)
    items = selectors.round_items(actor=request.actor, rnd=rnd)
    return present.round_detail(rnd, items, selectors.excluded_names(actor=request.actor, items=items))


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, auth=AUTH, summary="评审轮次")
def rounds(request):
    return [present.round_summary(r) for r in selectors.round_list(actor=request.actor)[:200]]


@router.post("/rounds", response={201: RoundDetailOut, **ERRORS}, auth=AUTH, summary="开启评审轮次")
def round_open(request, payload: RoundIn):
    data = payload.dict()
    rnd = services.round_open(actor=request.actor, spec=services.RoundSpec(**data))
    return Status(201, _round_detail(request, rnd.pk))


@router.get("/rounds/{int:pk}", response={200: RoundDetailOut, **ERRORS}, auth=AUTH,
            summary="评审轮次详情：分配、入选理由与回避")  # fmt: skip
def round_detail(request, pk: int):
    return _round_detail(request, pk)


@router.post("/rounds/{int:pk}/assign", response={200: RoundDetailOut, **ERRORS}, auth=AUTH,
             summary="抽取并分配专家（无法配齐则不写入并说明原因）")  # fmt: skip
def round_assign(request, pk: int):
    services.round_assign(actor=request.actor, round_id=pk)
    return _round_detail(request, pk)


@router.get("/seats", response={200: list[MySeatOut], **ERRORS}, auth=AUTH, summary="我的评审邀请")
def my_seats(request):
    return [{"id": s.pk, "round": s.item.round.title, "item": s.item.title, "status": s.status, "reason": s.reason_shown}
            for s in selectors.my_seats(actor=request.actor)[:200]]  # fmt: skip


@router.post("/seats/{int:pk}/answer", response={200: MySeatOut, **ERRORS}, auth=AUTH,
             summary="接受或谢绝评审邀请（谢绝只重抽该席位）")  # fmt: skip
def seat_answer(request, pk: int, payload: AnswerIn):
    seat = services.seat_answer(actor=request.actor, seat_id=pk, accept=payload.accept)
    return {"id": seat.pk, "round": seat.item.round.title, "item": seat.item.title, "status": seat.status,
            "reason": seat.reason_shown}  # fmt: skip
