from __future__ import annotations

from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from xietong.core.api import AUTH, import_created
from xietong.core.excel import xlsx_response
from xietong.core.pagination import paginate
from xietong.orgs import excel, selectors, services
from xietong.orgs.enums import Industry, OrgKind, OrgStatus
from xietong.orgs.schemas import (
    ErrorOut,
    ImportReportOut,
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    RegistrationIn,
    RenameRequestOut,
    ReviewIn,
    SuspendIn,
    SuspensionOut,
)

router = Router(tags=["orgs"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DirectoryQuery(Schema):
    q: str = Field("", max_length=60, description="机构名称片段或 18 位信用代码")
    region: str = Field("", pattern=r"^(\d{6})?$", description="6 位区划代码（含下级）")
    zone: str = Field("", max_length=40, description="协同区代码")
    kind: str = ""
    industry: str = ""
    status: str = ""
    is_high_tech: bool | None = None
    is_tech_sme: bool | None = None
    is_little_giant: bool | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("kind", "industry", "status")
    @classmethod
    def _known(cls, value: str, info):
        allowed = {"kind": OrgKind, "industry": Industry, "status": OrgStatus}[info.field_name]
        if value and value not in allowed.values:
            raise ValueError(f"unknown {info.field_name}")
        return value

    def filters(self) -> selectors.OrgFilters:
        return selectors.OrgFilters(**self.dict(exclude={"page", "page_size"}))


def _detail(request, org):
    """The contact block depends on who asks, so it is attached per request, not read from the model."""
    contact = selectors.organisation_contact(actor=request.actor, org=org)
    org.contact = {**contact, "masked": bool(contact["masked"])}
    return org


@router.get("", response={200: OrganisationPage, **ERRORS}, summary="机构名录（按权限过滤）")
def directory(request, query: Query[DirectoryQuery]):
    qs = selectors.organisation_list(actor=request.actor, filters=query.filters())
    page = paginate(qs, page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


@router.get("/export.xlsx", summary="导出机构名录（Excel）")
def export(request, query: Query[DirectoryQuery]):
    qs = selectors.organisation_list(actor=request.actor, filters=query.filters())
    return xlsx_response(excel.export_directory(qs.iterator(chunk_size=2000)), "机构名录.xlsx")


@router.get("/import-template.xlsx", summary="机构导入模板")
def import_template(request):
    return xlsx_response(excel.import_template(), "机构导入模板.xlsx")


@router.get(
    "/review-queue", response={200: list[OrganisationOut], **ERRORS}, auth=AUTH, summary="待审核的注册"
)
def review_queue(request):
    return list(selectors.review_queue(actor=request.actor)[:500])


@router.get(
    "/rename-queue", response={200: list[RenameRequestOut], **ERRORS}, auth=AUTH, summary="待审核的机构更名"
)
def rename_queue(request):
    return list(selectors.rename_queue(actor=request.actor)[:500])


@router.get("/{int:org_id}", response={200: OrganisationDetailOut, **ERRORS}, summary="机构详情")
def detail(request, org_id: int):
    return _detail(request, selectors.organisation_get(actor=request.actor, org_id=org_id))


@router.post("", response={201: OrganisationDetailOut, **ERRORS}, auth=AUTH, summary="登记机构（主管部门）")
def create(request, payload: OrganisationIn):
    org = services.organisation_create(actor=request.actor, raw=payload.dict())
    return Status(201, _detail(request, org))


@router.post("/register", response={201: OrganisationOut, **ERRORS}, summary="企业自助注册")
def register(request, payload: RegistrationIn):
    data = payload.dict()
    account = {k: data.pop(k) for k in ("username", "password", "display_name", "email")}
    return Status(201, services.organisation_register(**account, raw=data))


@router.patch(
    "/{int:org_id}", response={200: OrganisationDetailOut, **ERRORS}, auth=AUTH, summary="修改机构信息"
)
def update(request, org_id: int, payload: OrganisationPatch):
    org = services.organisation_update(
        actor=request.actor, org_id=org_id, changes=payload.dict(exclude_none=True)
    )
    return _detail(request, org)


@router.post("/{int:org_id}/review", response={200: OrganisationOut, **ERRORS}, auth=AUTH, summary="审核注册")
def review(request, org_id: int, payload: ReviewIn):
    return services.organisation_review(
        actor=request.actor, org_id=org_id, approve=payload.approve, note=payload.note
    )


@router.post(
    "/{int:org_id}/suspend",
    response={200: SuspensionOut, **ERRORS},
    auth=AUTH,
    summary="暂停机构（须填写理由；仅限所在地科技主管部门或平台管理员）",
)
def suspend(request, org_id: int, payload: SuspendIn):
    return services.organisation_suspend(actor=request.actor, org_id=org_id, suspend=True, note=payload.note)


@router.post(
    "/{int:org_id}/reinstate",
    response={200: SuspensionOut, **ERRORS},
    auth=AUTH,
    summary="恢复已暂停的机构（仅限所在地科技主管部门或平台管理员）",
)
def reinstate(request, org_id: int, payload: SuspendIn):
    return services.organisation_suspend(actor=request.actor, org_id=org_id, suspend=False, note=payload.note)


@router.post(
    "/{int:org_id}/rename-review",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTH,
    summary="审核机构更名（通过后新名称公开）",
)
def rename_review(request, org_id: int, payload: ReviewIn):
    return services.organisation_rename_review(
        actor=request.actor, org_id=org_id, approve=payload.approve, note=payload.note
    )


@router.post(
    "/import",
    response={201: ImportReportOut, **ERRORS},
    auth=AUTH,
    summary="Excel 批量导入（全部成功或全部不写入）",
)
def import_orgs(request, file: File[UploadedFile]):
    rows = excel.read_import(file)
    report = services.organisations_import(actor=request.actor, rows=rows)
    return import_created(report)
