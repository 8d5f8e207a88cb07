"""JSON API of this app, mounted at /api/v1/vouchers by xietong.api: thin handlers over services and selectors."""

from __future__ import annotations

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from xietong.core import files
from xietong.core.api import AUTH
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.vouchers import exports, selectors, services
from xietong.vouchers.schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    BundleInviteIn,
    BundlePartnerOut,
    ClaimOut,
    ErrorOut,
    GrantDetailOut,
    GrantOut,
    ObjectionIn,
    ObjectionOut,
    PageOf,
    PayIn,
    ProgrammeDashboardOut,
    ProgrammeIn,
    ProgrammeOut,
    RedemptionByCodeIn,
    RedemptionIn,
    RedemptionOut,
    ResolveIn,
    ReviewIn,
    StatementOut,
)
from xietong.vouchers.services.common import voucher_code_verify

router = Router(tags=["vouchers"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class ProgrammePage(PageOf):
    items: list[ProgrammeOut]


class GrantPage(PageOf):
    items: list[GrantOut]


class RedemptionPage(PageOf):
    items: list[RedemptionOut]


class StatementPage(PageOf):
    items: list[StatementOut]


def _paged(qs, query: PageQuery) -> dict:
    page = paginate(qs, page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


@router.get("/programmes", response={200: ProgrammePage, **ERRORS}, summary="创新券方案")
def programmes(request, query: Query[PageQuery]):
    return _paged(selectors.programme_list(actor=request.actor), query)


@router.get("/programmes/{int:programme_id}", response={200: ProgrammeOut, **ERRORS}, summary="方案详情")
def programme(request, programme_id: int):
    return selectors.programme_get(actor=request.actor, programme_id=programme_id)


@router.get(
    "/programmes/{int:programme_id}/dashboard",
    response={200: ProgrammeDashboardOut, **ERRORS},
    auth=AUTH,
    summary="方案看板（发券部门与相关协同区办公室）",
)
def programme_dashboard(request, programme_id: int):
    return selectors.programme_dashboard(actor=request.actor, programme_id=programme_id)


@router.post(
    "/programmes", response={201: ProgrammeOut, **ERRORS}, auth=AUTH, summary="设立方案（科技主管部门）"
)
def programme_create(request, payload: ProgrammeIn):
    return Status(201, services.programme_create(actor=request.actor, data=payload.dict()))


@router.post("/applications", response={201: ApplicationOut, **ERRORS}, auth=AUTH, summary="申领创新券")
def apply(request, payload: ApplicationIn):
    return Status(201, services.application_submit(actor=request.actor, **payload.dict()))


@router.get("/applications", response={200: list[ApplicationOut], **ERRORS}, auth=AUTH, summary="可见的申领")
def applications(request, status: str = ""):
    return list(selectors.application_list(actor=request.actor, status=status[:12])[:100])


@router.post("/applications/{int:application_id}/review", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def application_review(request, application_id: int, payload: ReviewIn):
    return services.application_review(actor=request.actor, application_id=application_id, **payload.dict())


@router.get(
    "/applications/{int:application_id}",
    response={200: ApplicationDetailOut, **ERRORS},
    auth=AUTH,
    summary="申领详情（审核记录、当前审核级别、附件）",
)
def application_detail(request, application_id: int):
    return selectors.application_detail(actor=request.actor, application_id=application_id)


@router.post(
    "/applications/{int:application_id}/attachments",
    response={201: ApplicationDetailOut, **ERRORS},
    auth=AUTH,
    summary="添加申领附件（multipart：files，PDF/JPG/PNG，待审核时由申领企业上传）",
)
def application_attach(request, application_id: int, files: File[list[UploadedFile]]):
    services.application_attach(actor=request.actor, application_id=application_id, files=files)
    return Status(201, selectors.application_detail(actor=request.actor, application_id=application_id))


@router.get(
    "/applications/{int:application_id}/attachments/{int:attachment_id}",
    response={200: None, **ERRORS},
    auth=AUTH,
    summary="下载申领附件（能查看该申领的用户；每次下载留痕）",
)
def application_attachment(request, application_id: int, attachment_id: int):
    found = services.attachment_open(
        actor=request.actor, application_id=application_id, attachment_id=attachment_id
    )
    return files.field_file_response(found.file, filename=found.original_name)


@router.get("/grants", response={200: GrantPage, **ERRORS}, auth=AUTH, summary="可见的创新券额度")
def grants(request, query: Query[PageQuery]):
    return _paged(selectors.grant_list(actor=request.actor), query)


@router.get("/grants/{int:grant_id}", response={200: GrantDetailOut, **ERRORS}, auth=AUTH)
def grant(request, grant_id: int):
    found = selectors.grant_get(actor=request.actor, grant_id=grant_id)
    balance = selectors.grant_balance(actor=request.actor, grant=found)
    found.available_fen, found.reserved_fen = balance.available_fen, balance.reserved_fen
    return found


@router.post(
    "/grants/{int:grant_id}/redemptions",
    response={201: RedemptionOut, **ERRORS},
    auth=AUTH,
    summary="用券（预留）",
)
def redeem(request, grant_id: int, payload: RedemptionIn):
    return Status(201, services.redemption_reserve(actor=request.actor, grant_id=grant_id, **payload.dict()))


@router.post("/redemptions", response={201: RedemptionOut, **ERRORS}, auth=AUTH, summary="凭券码用券")
def redeem_by_code(request, payload: RedemptionByCodeIn):
    code = voucher_code_verify(payload.voucher_code)
    found = selectors.grant_list(actor=request.actor).filter(code=code).first()
    grant_id = found.pk if found else 0
    data = payload.dict(exclude={"voucher_code"})
    return Status(201, services.redemption_reserve(actor=request.actor, grant_id=grant_id, **data))


@router.get("/redemptions", response={200: RedemptionPage, **ERRORS}, auth=AUTH, summary="可见的用券记录")
def redemptions(request, query: Query[PageQuery], status: str = ""):
    return _paged(selectors.redemption_list(actor=request.actor, status=status[:14]), query)


@router.post("/redemptions/{int:redemption_id}/release", response={200: RedemptionOut, **ERRORS}, auth=AUTH)
def release(request, redemption_id: int):
    return services.redemption_release(actor=request.actor, redemption_id=redemption_id)


@router.post("/redemptions/{int:redemption_id}/review", response={200: RedemptionOut, **ERRORS}, auth=AUTH)
def redemption_review(request, redemption_id: int, payload: ReviewIn):
    return services.redemption_review(
        actor=request.actor, redemption_id=redemption_id, approve=payload.approve, note=payload.note
    )


@router.post("/redemptions/{int:redemption_id}/pay", response={200: RedemptionOut, **ERRORS}, auth=AUTH)
def pay(request, redemption_id: int, payload: PayIn):
    return services.redemption_pay(
        actor=request.actor, redemption_id=redemption_id, reference=payload.reference
    )


@router.get("/statements", response={200: StatementPage, **ERRORS}, auth=AUTH, summary="跨区结算单")
def statements(request, query: Query[PageQuery]):
    return _paged(selectors.statement_list(actor=request.actor), query)


@router.get("/statements/{int:statement_id}", response={200: StatementOut, **ERRORS}, auth=AUTH)
def statement(request, statement_id: int):
    return selectors.statement_get(actor=request.actor, statement_id=statement_id)


@router.post("/statements/{int:statement_id}/paid", response={200: StatementOut, **ERRORS}, auth=AUTH)
def statement_paid(request, statement_id: int, payload: PayIn):
    return services.statement_mark_paid(
        actor=request.actor, statement_id=statement_id, reference=payload.reference
    )


@router.get("/statements/{int:statement_id}/export.xlsx", auth=AUTH, summary="导出结算单（Excel）")
def statement_xlsx(request, statement_id: int):
    found = selectors.statement_get(actor=request.actor, statement_id=statement_id)
    return xlsx_response(exports.statement_xlsx(found, actor=request.actor), f"结算单-{found.number}.xlsx")


@router.get("/programmes/{int:programme_id}/grants.xlsx", auth=AUTH, summary="导出方案额度（Excel）")
def grants_xlsx(request, programme_id: int):
    rows = selectors.grant_list(actor=request.actor, programme_id=programme_id).iterator(chunk_size=2000)
    return xlsx_response(exports.grants_xlsx(rows), f"创新券额度-{programme_id}.xlsx")


@router.post(
    "/redemptions/{int:redemption_id}/claim",
    response={201: ClaimOut, **ERRORS},
    auth=AUTH,
    summary="兑付申请（multipart：contract、invoice、payment、report 文件，note 说明）",
)
def claim(
    request,
    redemption_id: int,
    invoice: File[UploadedFile] = None,
    contract: File[UploadedFile] = None,
    payment: File[UploadedFile] = None,
    report: File[UploadedFile] = None,
    note: Form[str] = "",
):
    given = {"contract": contract, "invoice": invoice, "payment": payment, "report": report}
    files = [(kind, upload) for kind, upload in given.items() if upload is not None]
    claim = services.redemption_claim(
        actor=request.actor, redemption_id=redemption_id, files=files, note=note[:501]
    )
    return Status(201, claim)


@router.get(
    "/redemptions/{int:redemption_id}/evidence/{int:evidence_id}",
    response={200: None, **ERRORS},
    auth=AUTH,
    summary="下载兑付材料（交易双方与发券部门；每次下载留痕）",
)
def evidence_download(request, redemption_id: int, evidence_id: int):
    evidence = services.evidence_open(
        actor=request.actor, redemption_id=redemption_id, evidence_id=evidence_id
    )
    return files.field_file_response(evidence.file, filename=evidence.original_name)


@router.post(
    "/orders/{int:order_id}/partners",
    response={201: BundlePartnerOut, **ERRORS},
    auth=AUTH,
    summary="邀请其他企业在订单上合用创新券（订单委托方）",
)
def bundle_invite(request, order_id: int, payload: BundleInviteIn):
    return Status(201, services.bundle_invite(actor=request.actor, order_id=order_id, **payload.dict()))


@router.post(
    "/redemptions/{int:redemption_id}/objections",
    response={201: ObjectionOut, **ERRORS, 429: ErrorOut},
    auth=AUTH,
    summary="对公示中的兑付提出异议",
)
def objection_raise(request, redemption_id: int, payload: ObjectionIn):
    return Status(
        201, services.objection_raise(actor=request.actor, redemption_id=redemption_id, text=payload.text)
    )


@router.post(
    "/objections/{int:objection_id}/resolve",
    response={200: ObjectionOut, **ERRORS},
    auth=AUTH,
    summary="处理公示异议（发券部门；异议成立则冲销并退回额度）",
)
def objection_resolve(request, objection_id: int, payload: ResolveIn):
    return services.objection_resolve(actor=request.actor, objection_id=objection_id, **payload.dict())
