"""JSON API of this app, mounted at /api/v1/transfer by xietong.api; handlers are thin."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from xietong.core.api import AUTH, import_created
from xietong.core.errors import Invalid
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.orgs.enums import Industry
from xietong.transfer import excel, selectors, services
from xietong.transfer.enums import ContractKind, ListingKind, TransferMode
from xietong.transfer.schemas import (
    AcceptanceListIn,
    AcceptanceListOut,
    AchievementDetailOut,
    AchievementIn,
    AchievementPage,
    AnswerIn,
    ContractIn,
    ContractOut,
    ContractPage,
    DemandDetailOut,
    DemandIn,
    DemandPage,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    FlowsOut,
    ImportReportOut,
    IntentIn,
    IntentOut,
    ListingPatch,
    MetricRow,
    SuggestionOut,
)

router = Router(tags=["transfer"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
A, D = ListingKind.ACHIEVEMENT, ListingKind.DEMAND


class ListingQuery(Schema):
    q: str = Field("", max_length=100, description="全文检索（中文分词 + 语义）")
    industry: str = ""
    region: str = Field("", pattern=r"^(\d{6})?$")
    zone: str = Field("", max_length=40)
    mode: str = ""
    trl_min: int | None = Field(None, ge=1, le=9)
    mine: bool = False
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("industry", "mode")
    @classmethod
    def _known(cls, value: str, info):
        allowed = {"industry": Industry, "mode": TransferMode}[info.field_name]
        if value and value not in allowed.values:
            raise ValueError("unknown")
        return value

    def filters(self) -> selectors.ListingFilters:
        return selectors.ListingFilters(**self.dict(exclude={"page", "page_size"}))


def _page(qs, query) -> dict:
    page = paginate(qs, page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


def _detail(request, listing):
    listing.contact = selectors.listing_contact(actor=request.actor, listing=listing)
    return listing


def _changes(payload, allowed) -> dict:
    changes = payload.dict(exclude_none=True)
    unknown = sorted(set(changes) - {*allowed, "transfer_modes"})
    if unknown:
        raise Invalid(
            _("以下字段不适用于该类条目：%(unknown)s") % {"unknown": _("、").join(unknown)}, fields=unknown
        )
    if "deadline" in changes:
        changes["deadline"] = changes["deadline"].isoformat()
    return changes


def _suggestions(items) -> list[dict]:
    return [
        {
            "id": s.listing.pk, "title": s.listing.title, "owner": s.listing.owner.name,
            "region_name": s.listing.region.name, "score": s.score, "reasons": s.reasons,
            "recommendation_id": s.record.pk if s.record else None, "unmet": list(s.unmet),
        }
        for s in items
    ]  # fmt: skip


# ---------------------------------------------------------------- achievements


@router.get("/achievements", response={200: AchievementPage, **ERRORS}, summary="科技成果（检索与筛选）")
def achievements(request, query: Query[ListingQuery]):
    return _page(selectors.listing_list(actor=request.actor, kind=A, filters=query.filters()), query)


@router.post(
    "/achievements", response={201: AchievementDetailOut, **ERRORS}, auth=AUTH, summary="发布科技成果"
)
def achievement_create(request, payload: AchievementIn):
    data = payload.dict()
    owner_id = data.pop("owner_id")
    listing = services.listing_publish(actor=request.actor, kind=A, raw=data, owner_id=owner_id)
    return Status(201, _detail(request, listing))


@router.get("/achievements/{int:pk}", response={200: AchievementDetailOut, **ERRORS}, summary="科技成果详情")
def achievement_detail(request, pk: int):
    return _detail(request, selectors.listing_get(actor=request.actor, kind=A, pk=pk))


@router.patch(
    "/achievements/{int:pk}",
    response={200: AchievementDetailOut, **ERRORS},
    auth=AUTH,
    summary="修改科技成果",
)
def achievement_update(request, pk: int, payload: ListingPatch):
    changes = _changes(payload, services.CLEANERS_FIELDS[A])
    return _detail(request, services.listing_update(actor=request.actor, kind=A, pk=pk, changes=changes))


@router.post("/achievements/{int:pk}/withdraw", response={200: AchievementDetailOut, **ERRORS}, auth=AUTH)
def achievement_withdraw(request, pk: int):
    return _detail(request, services.listing_withdraw(actor=request.actor, kind=A, pk=pk))


@router.get("/achievements/{int:pk}/recommendations", response={200: list[SuggestionOut], **ERRORS}, auth=AUTH,
            summary="为我推荐：与该成果匹配的技术需求")  # fmt: skip
def achievement_recommendations(request, pk: int, strict: bool = True):
    return _suggestions(services.recommend(actor=request.actor, kind=A, pk=pk, strict=strict))


@router.post(
    "/achievements/{int:pk}/intents", response={201: IntentOut, **ERRORS}, auth=AUTH, summary="对成果提交意向"
)
def achievement_intent(request, pk: int, payload: IntentIn):
    return Status(201, services.intent_express(actor=request.actor, kind=A, listing_id=pk, **payload.dict()))


# ---------------------------------------------------------------- demands


@router.get("/demands", response={200: DemandPage, **ERRORS}, summary="技术需求（检索与筛选）")
def demands(request, query: Query[ListingQuery]):
    return _page(selectors.listing_list(actor=request.actor, kind=D, filters=query.filters()), query)


@router.post("/demands", response={201: DemandDetailOut, **ERRORS}, auth=AUTH, summary="发布技术需求")
def demand_create(request, payload: DemandIn):
    data = payload.dict()
    owner_id = data.pop("owner_id")
    data["deadline"] = data["deadline"].isoformat() if data["deadline"] else ""
    listing = services.listing_publish(actor=request.actor, kind=D, raw=data, owner_id=owner_id)
    return Status(201, _detail(request, listing))


@router.get("/demands/{int:pk}", response={200: DemandDetailOut, **ERRORS}, summary="技术需求详情")
def demand_detail(request, pk: int):
    return _detail(request, selectors.listing_get(actor=request.actor, kind=D, pk=pk))


@router.patch(
    "/demands/{int:pk}", response={200: DemandDetailOut, **ERRORS}, auth=AUTH, summary="修改技术需求"
)
def demand_update(request, pk: int, payload: ListingPatch):
    changes = _changes(payload, services.CLEANERS_FIELDS[D])
    return _detail(request, services.listing_update(actor=request.actor, kind=D, pk=pk, changes=changes))


@router.post("/demands/{int:pk}/withdraw", response={200: DemandDetailOut, **ERRORS}, auth=AUTH)
def demand_withdraw(request, pk: int):
    return _detail(request, services.listing_withdraw(actor=request.actor, kind=D, pk=pk))


@router.get("/demands/{int:pk}/recommendations", response={200: list[SuggestionOut], **ERRORS}, auth=AUTH,
            summary="为我推荐：与该需求匹配的科技成果")  # fmt: skip
def demand_recommendations(request, pk: int, strict: bool = True):
    return _suggestions(services.recommend(actor=request.actor, kind=D, pk=pk, strict=strict))


@router.post(
    "/demands/{int:pk}/intents", response={201: IntentOut, **ERRORS}, auth=AUTH, summary="对需求提交意向"
)
def demand_intent(request, pk: int, payload: IntentIn):
    return Status(201, services.intent_express(actor=request.actor, kind=D, listing_id=pk, **payload.dict()))


# ---------------------------------------------------------------- acceptance lists


@router.get("/acceptance-lists", response={200: list[AcceptanceListOut], **ERRORS}, summary="承接清单")
def acceptance_lists(request, region: str = Query("", pattern=r"^(\d{6})?$")):
    return list(selectors.acceptance_list_list(actor=request.actor, region=region)[:200])


@router.post(
    "/acceptance-lists", response={201: AcceptanceListOut, **ERRORS}, auth=AUTH, summary="发布承接清单"
)
def acceptance_list_create(request, payload: AcceptanceListIn):
    data = payload.dict()
    region, publisher_id = data.pop("region"), data.pop("publisher_id")
    lst = services.acceptance_list_publish(
        actor=request.actor, raw=data, region_code=region, publisher_id=publisher_id
    )
    return Status(201, lst)


@router.get(
    "/acceptance-lists/{int:pk}/matches",
    response={200: list[SuggestionOut], **ERRORS},
    summary="承接清单的匹配成果",
)
def acceptance_matches(request, pk: int):
    return _suggestions(services.acceptance_matches(actor=request.actor, pk=pk)[1])


# ---------------------------------------------------------------- intents


def _with_contacts(request, intent):
    return selectors.with_contacts(actor=request.actor, intents=[intent])[0]


@router.get("/intents", response={200: list[IntentOut], **ERRORS}, auth=AUTH, summary="我的合作意向")
def intents(request, box: str = Query("", pattern=r"^(sent|received)?$")):
    return selectors.with_contacts(
        actor=request.actor, intents=selectors.intent_list(actor=request.actor, box=box)[:200]
    )


@router.get("/intents/{int:pk}", response={200: IntentOut, **ERRORS}, auth=AUTH)
def intent_detail(request, pk: int):
    return _with_contacts(request, selectors.intent_get(actor=request.actor, pk=pk))


@router.post(
    "/intents/{int:pk}/answer", response={200: IntentOut, **ERRORS}, auth=AUTH, summary="接受或婉拒意向"
)
def intent_answer(request, pk: int, payload: AnswerIn):
    intent = services.intent_answer(actor=request.actor, pk=pk, accept=payload.accept, reply=payload.reply)
    return _with_contacts(request, intent)


@router.post("/intents/{int:pk}/withdraw", response={200: IntentOut, **ERRORS}, auth=AUTH)
def intent_withdraw(request, pk: int):
    return services.intent_withdraw(actor=request.actor, pk=pk)


# ---------------------------------------------------------------- recommendations feedback and metrics


@router.post("/recommendations/{int:pk}/feedback", response={200: FeedbackOut, **ERRORS}, auth=AUTH,
             summary="推荐反馈：有用 / 不相关 / 已联系")  # fmt: skip
def feedback(request, pk: int, payload: FeedbackIn):
    return services.recommendation_feedback(actor=request.actor, pk=pk, verdict=payload.verdict)


@router.post("/recommendations/{int:pk}/click", response={204: None, **ERRORS}, auth=AUTH,
             summary="记录一次点击（由用户浏览器发送，GET 链接不计数）")  # fmt: skip
def click(request, pk: int):
    services.recommendation_click(actor=request.actor, pk=pk)
    return 204, None


@router.get("/metrics", response={200: list[MetricRow], **ERRORS}, auth=AUTH, summary="推荐效果（按名次）")
def metrics(request):
    return selectors.online_metrics(actor=request.actor)


# ---------------------------------------------------------------- contracts and flows


class ContractQuery(Schema):
    year_from: int | None = Field(None, ge=1990, le=2100)
    year_to: int | None = Field(None, ge=1990, le=2100)
    kind: str = ""
    region: str = Field("", pattern=r"^(\d{6})?$")
    zone: str = Field("", max_length=40)
    q: str = Field("", max_length=60)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str):
        if value and value not in ContractKind.values:
            raise ValueError("unknown")
        return value

    def filters(self) -> selectors.ContractFilters:
        return selectors.ContractFilters(**self.dict(exclude={"page", "page_size"}))


@router.get("/contracts", response={200: ContractPage, **ERRORS}, auth=AUTH, summary="技术合同登记")
def contracts(request, query: Query[ContractQuery]):
    return _page(selectors.contract_list(actor=request.actor, filters=query.filters()), query)


@router.post("/contracts", response={201: ContractOut, **ERRORS}, auth=AUTH, summary="登记一份技术合同")
def contract_create(request, payload: ContractIn):
    data = payload.dict()
    intent_id = data.pop("intent_id")
    data["amount"] = f"{data.pop('amount_fen') / 100:.2f}"
    data["tech_amount"] = f"{data.pop('tech_amount_fen') / 100:.2f}"
    return Status(201, services.contract_register(actor=request.actor, raw=data, intent_id=intent_id))


@router.get("/contracts/export.xlsx", auth=AUTH, summary="导出技术合同（Excel）")
def contracts_export(request, query: Query[ContractQuery]):
    qs = selectors.contract_list(actor=request.actor, filters=query.filters())
    return xlsx_response(excel.export_contracts(qs.iterator(chunk_size=2000)), "技术合同.xlsx")


@router.get("/contracts/import-template.xlsx", summary="技术合同导入模板")
def contracts_template(request):
    return xlsx_response(excel.contract_template(), "技术合同导入模板.xlsx")


@router.post("/contracts/import", response={201: ImportReportOut, **ERRORS}, auth=AUTH,
             summary="Excel 批量导入技术合同（全部成功或全部不写入）")  # fmt: skip
def contracts_import(request, file: File[UploadedFile]):
    report = services.contracts_import(actor=request.actor, rows=excel.read_contracts(file))
    return import_created(report)


@router.get("/flows", response={200: FlowsOut, **ERRORS}, auth=AUTH, summary="技术合同流向（输出 vs 吸纳）")
def flows(request, query: Query[ContractQuery], level: str = Query("province", pattern=r"^(province|zone)$")):
    return selectors.contract_flows(actor=request.actor, filters=query.filters(), level=level)


@router.get("/flows/export.xlsx", auth=AUTH, summary="导出技术合同流向（Excel）")
def flows_export(
    request, query: Query[ContractQuery], level: str = Query("province", pattern=r"^(province|zone)$")
):
    flows = selectors.contract_flows(actor=request.actor, filters=query.filters(), level=level)
    return xlsx_response(excel.export_flows(flows), "技术合同流向.xlsx")
