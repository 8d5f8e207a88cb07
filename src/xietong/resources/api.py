"""JSON API of this app, mounted at /api/v1/resources by xietong.api: thin handlers over services/selectors."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from xietong.core import files
from xietong.core.api import AUTH, import_created
from xietong.core.errors import Invalid
from xietong.core.excel import xlsx_response
from xietong.core.ids import MAX_ID
from xietong.core.pagination import paginate
from xietong.resources import excel, selectors, services, sharing_region
from xietong.resources.enums import OrderStatus, ResourceKind
from xietong.resources.schemas import (
    BookingIn,
    CalendarDayOut,
    CategoryOut,
    EarlyIn,
    ErrorOut,
    HoursIn,
    ImportReportOut,
    MaintenanceIn,
    MapPointOut,
    OrderOut,
    OrderPage,
    PriceListIn,
    PriceRowOut,
    QuoteOut,
    ReasonIn,
    ResourceDetailOut,
    ResourceIn,
    ResourcePage,
    ResourcePatch,
    SampleOrderIn,
    UsageIn,
)
from xietong.resources.services.trainings import training_record as record_training

router = Router(tags=["resources"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CatalogueQuery(Schema):
    q: str = Field("", max_length=60, description="名称、型号、厂商、指标或机构名称")
    zone: str = Field("", max_length=40, description="协同区代码")
    category: str = Field("", max_length=20, description="类别代码（含下级）")
    region: str = Field("", max_length=30, description="地区名称、拼音或 6 位区划代码（含下级）")
    near: str = Field("", max_length=30, description="按距离排序：离此地区（名称或代码）最近的在前")
    kind: str = ""
    recognised: bool = Field(False, description="只看报告在本机构所在地区互认的资源（需登录）")
    price_max_fen: int | None = Field(None, ge=0, le=10**12, description="公开价上限（分/单位）")
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str):
        if value and value not in ResourceKind.values:
            raise ValueError("unknown kind")
        return value

    def filters(self, actor) -> selectors.CatalogueFilters:
        data = self.dict(exclude={"page", "page_size", "recognised"})
        recognised_in = selectors.my_region_code(actor) if self.recognised else ""
        return selectors.CatalogueFilters(**data, recognised_in=recognised_in)


class OrderQuery(Schema):
    side: str = Field(
        "", pattern=r"^(customer|provider)?$", description="customer=我下的单；provider=我方服务的单"
    )
    status: str = ""
    q: str = Field("", max_length=40)
    resource_id: int | None = Field(None, ge=1, le=MAX_ID)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    @field_validator("status")
    @classmethod
    def _known(cls, value: str):
        if value and value not in OrderStatus.values:
            raise ValueError("unknown status")
        return value

    def filters(self) -> selectors.OrderFilters:
        return selectors.OrderFilters(
            side=self.side, status=self.status, q=self.q, resource_id=self.resource_id
        )


class QuoteQuery(Schema):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    samples: int | None = Field(None, ge=1, le=1000)
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)


class CalendarQuery(Schema):
    start: date | None = None
    days: int = Field(7, ge=1, le=31)


def _page(page) -> dict:
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


# ---------------------------------------------------------------- catalogue


@router.get(
    "",
    response={200: ResourcePage, **ERRORS},
    summary="资源目录（按协同区、文本、类别、地区、互认、价格筛选）",
)
def catalogue(request, query: Query[CatalogueQuery]):
    qs = selectors.resource_list(actor=request.actor, filters=query.filters(request.actor))
    return _page(paginate(qs, page=query.page, page_size=query.page_size))


@router.get("/map", response={200: list[MapPointOut], **ERRORS}, summary="资源地图：各地区资源数")
def catalogue_map(request, query: Query[CatalogueQuery]):
    qs = selectors.resource_list(actor=request.actor, filters=query.filters(request.actor))
    return selectors.resource_map(actor=request.actor, qs=qs)


@router.get("/categories", response=list[CategoryOut], summary="仪器类别树")
def categories(request):
    return selectors.category_tree()


@router.get("/{int:resource_id}", response={200: ResourceDetailOut, **ERRORS}, summary="资源详情")
def detail(request, resource_id: int):
    return selectors.resource_get(actor=request.actor, resource_id=resource_id)


@router.get("/{int:resource_id}/prices", response={200: list[PriceRowOut], **ERRORS}, summary="现行价目表")
def prices(request, resource_id: int):
    return selectors.price_table(
        actor=request.actor, resource=selectors.resource_get(actor=request.actor, resource_id=resource_id)
    )


@router.get(
    "/{int:resource_id}/quote", response={200: QuoteOut, **ERRORS}, auth=AUTH, summary="按本机构客户类别报价"
)
def quote(request, resource_id: int, query: Query[QuoteQuery]):
    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    customer = selectors.customer_for(actor=request.actor, customer_id=query.customer_id)
    q = selectors.quote(actor=request.actor, resource=resource, customer=customer,
                        starts_at=query.starts_at, ends_at=query.ends_at, samples=query.samples)  # fmt: skip
    return {"customer_id": customer.pk, "customer_class": q.customer_class, "amount_fen": q.amount_fen,
            "unit": q.snapshot["unit"], "unit_price_fen": q.unit_price_fen, "minutes": q.minutes, "samples": q.samples}  # fmt: skip


@router.get(
    "/{int:resource_id}/calendar",
    response={200: list[CalendarDayOut], **ERRORS},
    summary="日历：开放时间、维护、已约时段",
)
def calendar(request, resource_id: int, query: Query[CalendarQuery]):
    from django.utils import timezone

    resource = selectors.resource_get(actor=request.actor, resource_id=resource_id)
    days = selectors.resource_calendar(
        actor=request.actor, resource=resource, start=query.start or timezone.localdate(), days=query.days
    )
    return [
        {
            "day": d.day,
            "opening": [list(o) for o in d.opening],
            "maintenance": d.maintenance,
            "bookings": d.bookings,
        }
        for d in days
    ]


@router.post("", response={201: ResourceDetailOut, **ERRORS}, auth=AUTH, summary="登记资源（机构管理员）")
def create(request, payload: ResourceIn):
    data = payload.dict()
    owner_id = data.pop("owner_id")
    return Status(201, services.resource_create(actor=request.actor, owner_id=owner_id, raw=data))


@router.patch(
    "/{int:resource_id}", response={200: ResourceDetailOut, **ERRORS}, auth=AUTH, summary="修改资源"
)
def update(request, resource_id: int, payload: ResourcePatch):
    return services.resource_update(
        actor=request.actor, resource_id=resource_id, changes=payload.dict(exclude_none=True)
    )


@router.put(
    "/{int:resource_id}/price-list",
    response={201: list[PriceRowOut], **ERRORS},
    auth=AUTH,
    summary="发布新价目表",
)
def set_price_list(request, resource_id: int, payload: PriceListIn):
    price_list = services.price_list_set(actor=request.actor, resource_id=resource_id, raw=payload.dict())
    return Status(201, selectors.price_table(actor=request.actor, resource=price_list.resource))


@router.put(
    "/{int:resource_id}/opening-hours", response={200: dict, **ERRORS}, auth=AUTH, summary="设置每周开放时间"
)
def set_hours(request, resource_id: int, payload: list[HoursIn]):
    rows = services.opening_hours_set(
        actor=request.actor, resource_id=resource_id, rows=[p.dict() for p in payload]
    )
    return {"rows": len(rows)}


@router.post(
    "/{int:resource_id}/maintenance", response={201: dict, **ERRORS}, auth=AUTH, summary="登记维护时段"
)
def add_maintenance(request, resource_id: int, payload: MaintenanceIn):
    block = services.maintenance_add(actor=request.actor, resource_id=resource_id, **payload.dict())
    return Status(201, {"id": block.pk})


@router.post(
    "/{int:resource_id}/photos",
    response={201: dict, **ERRORS},
    auth=AUTH,
    summary="上传图片（JPG/PNG，≤5 MB）",
)
def add_photo(request, resource_id: int, file: File[UploadedFile], caption: Form[str] = ""):
    photo = services.photo_add(
        actor=request.actor, resource_id=resource_id, upload=file, caption=caption[:80]
    )
    return Status(201, {"id": photo.pk, "url": photo.file.url})


@router.delete(
    "/{int:resource_id}/photos/{int:photo_id}", response={204: None, **ERRORS}, auth=AUTH, summary="删除图片"
)
def remove_photo(request, resource_id: int, photo_id: int):
    services.photo_remove(actor=request.actor, resource_id=resource_id, photo_id=photo_id)
    return Status(204, None)


# ---------------------------------------------------------------- orders


@router.post("/{int:resource_id}/bookings", response={201: OrderOut, **ERRORS}, auth=AUTH, summary="预约机时")
def book(request, resource_id: int, payload: BookingIn):
    return Status(201, services.order_book(actor=request.actor, resource_id=resource_id, **payload.dict()))


@router.post(
    "/{int:resource_id}/sample-orders", response={201: OrderOut, **ERRORS}, auth=AUTH, summary="送样检测下单"
)
def sample_order(request, resource_id: int, payload: SampleOrderIn):
    return Status(201, services.order_sample(actor=request.actor, resource_id=resource_id, **payload.dict()))


@router.get(
    "/orders", response={200: OrderPage, **ERRORS}, auth=AUTH, summary="订单（我下的单 / 我方服务的单）"
)
def orders(request, query: Query[OrderQuery]):
    qs = selectors.order_list(actor=request.actor, filters=query.filters())
    return _page(paginate(qs, page=query.page, page_size=query.page_size))


@router.get("/orders/export.xlsx", auth=AUTH, summary="导出订单（Excel）")
def export_orders(request, query: Query[OrderQuery]):
    qs = selectors.order_list(actor=request.actor, filters=query.filters())
    return xlsx_response(excel.export_orders(qs.iterator(chunk_size=2000)), "服务订单.xlsx")


@router.get("/orders/{int:order_id}", response={200: OrderOut, **ERRORS}, auth=AUTH, summary="订单详情")
def order_detail(request, order_id: int):
    return selectors.order_get(actor=request.actor, order_id=order_id)


def _action(name: str, summary: str):
    @router.post(f"/orders/{{int:order_id}}/{name.replace('_', '-')}", response={200: OrderOut, **ERRORS},
                 auth=AUTH, summary=summary, operation_id=f"order_{name}")  # fmt: skip
    def handler(request, order_id: int):
        return getattr(services, f"order_{name}")(actor=request.actor, order_id=order_id)

    return handler


confirm = _action("confirm", "服务方确认订单")


@router.post("/orders/{int:order_id}/start", response={200: OrderOut, **ERRORS}, auth=AUTH,
             summary="服务方开始服务（预约时段之前须填写理由）", operation_id="order_start")  # fmt: skip
def start(request, order_id: int, payload: EarlyIn | None = None):
    reason = payload.early_reason if payload else ""
    return services.order_start(actor=request.actor, order_id=order_id, early_reason=reason)


@router.post("/orders/{int:order_id}/deliver", response={200: OrderOut, **ERRORS}, auth=AUTH,
             summary="服务方交付（预约时段之前须填写理由）", operation_id="order_deliver")  # fmt: skip
def deliver(request, order_id: int, payload: EarlyIn | None = None):
    reason = payload.early_reason if payload else ""
    return services.order_deliver(actor=request.actor, order_id=order_id, early_reason=reason)


complete = _action("complete", "客户确认完成")
no_show = _action("mark_no_show", "服务方登记爽约")


@router.post(
    "/orders/{int:order_id}/reject", response={200: OrderOut, **ERRORS}, auth=AUTH, summary="服务方拒绝订单"
)
def reject(request, order_id: int, payload: ReasonIn):
    return services.order_reject(actor=request.actor, order_id=order_id, reason=payload.reason)


@router.post(
    "/orders/{int:order_id}/cancel",
    response={200: OrderOut, **ERRORS},
    auth=AUTH,
    summary="客户取消订单（迟取消收费）",
)
def cancel(request, order_id: int, payload: ReasonIn):
    return services.order_cancel(actor=request.actor, order_id=order_id, reason=payload.reason)


@router.post(
    "/orders/{int:order_id}/usage", response={200: OrderOut, **ERRORS}, auth=AUTH, summary="登记实际使用量"
)
def usage(request, order_id: int, payload: UsageIn):
    return services.order_record_usage(actor=request.actor, order_id=order_id, **payload.dict())


@router.post(
    "/orders/{int:order_id}/report",
    response={200: OrderOut, **ERRORS},
    auth=AUTH,
    summary="上传结果报告（PDF/JPG/PNG，≤20 MB）",
)
def upload_report(request, order_id: int, file: File[UploadedFile]):
    return services.order_upload_report(actor=request.actor, order_id=order_id, upload=file)


@router.get("/orders/{int:order_id}/report", auth=AUTH, summary="下载结果报告")
def download_report(request, order_id: int):
    order = selectors.order_report_get(actor=request.actor, order_id=order_id)
    return files.field_file_response(order.report, filename=order.report_name)


# ---------------------------------------------------------------- Excel


@router.get("/import-template.xlsx", summary="资源导入模板")
def resource_template(request):
    return xlsx_response(excel.resource_template(), "资源导入模板.xlsx")


@router.get("/price-template.xlsx", summary="价目表导入模板")
def price_template(request):
    return xlsx_response(excel.price_template(), "价目表导入模板.xlsx")


def _import(request, file: UploadedFile, read, run):
    return import_created(run(actor=request.actor, rows=read(file)))


@router.post(
    "/import",
    response={201: ImportReportOut, **ERRORS},
    auth=AUTH,
    summary="Excel 导入资源（全部成功或全部不写入）",
)
def import_resources(request, file: File[UploadedFile]):
    return _import(request, file, excel.read_resources, services.resources_import)


@router.post(
    "/price-import",
    response={201: ImportReportOut, **ERRORS},
    auth=AUTH,
    summary="Excel 导入价目表（全部成功或全部不写入）",
)
def import_prices(request, file: File[UploadedFile]):
    return _import(request, file, excel.read_prices, services.price_lists_import)


# ---------------------------------------------------------------- after the service


class RatingIn(Schema):
    score: int = Field(ge=1, le=5, description="评分 1–5")
    comment: str = Field("", max_length=500)


class RatingOut(Schema):
    order_id: int
    score: int
    comment: str
    created_at: datetime


class SampleStateIn(Schema):
    state: str = Field(
        pattern=r"^(received|testing|reported|returned)$", description="收样→检测中→出报告→已寄回"
    )


class SampleStateOut(Schema):
    order_id: int
    sample_state: str
    sample_state_label: str


@router.post(
    "/orders/{int:order_id}/rating",
    response={201: RatingOut, **ERRORS},
    auth=AUTH,
    summary="评价已完成的服务（每个订单一次）",
)
def order_rate(request, order_id: int, payload: RatingIn):
    rating = services.order_rate(
        actor=request.actor, order_id=order_id, score=payload.score, comment=payload.comment
    )
    return Status(
        201,
        {
            "order_id": order_id,
            "score": rating.score,
            "comment": rating.comment,
            "created_at": rating.created_at,
        },
    )


@router.post(
    "/orders/{int:order_id}/sample-state",
    response={200: SampleStateOut, **ERRORS},
    auth=AUTH,
    summary="更新样品状态（服务方，逐步推进）",
)
def order_sample_state(request, order_id: int, payload: SampleStateIn):
    order = services.order_sample_advance(actor=request.actor, order_id=order_id, state=payload.state)
    return {
        "order_id": order.pk,
        "sample_state": order.sample_state,
        "sample_state_label": order.get_sample_state_display(),
    }


class TrainingIn(Schema):
    held_on: date
    topic: str = Field(max_length=100)
    attendees: int = Field(ge=1, le=1000)


class TrainingOut(Schema):
    id: int
    resource_id: int
    held_on: date
    topic: str
    attendees: int


@router.post(
    "/{int:resource_id}/trainings",
    response={201: TrainingOut, **ERRORS},
    auth=AUTH,
    summary="登记仪器培训（资源所属机构管理员；开放共享统计的培训人数）",
)
def training_record(request, resource_id: int, payload: TrainingIn):
    session = record_training(actor=request.actor, resource_id=resource_id, **payload.dict())
    return Status(201, session)


class SharingFiguresOut(Schema):
    effective_hours: float
    external_hours: float
    sharing_rate: float | None
    income_fen: int
    internal_users: int
    external_orgs: int
    samples: int
    trained: int


class SharingUnitOut(Schema):
    rank: int
    organisation: str
    instruments: int
    figures: SharingFiguresOut


class RegionSharingOut(Schema):
    region: str
    year: int
    units: list[SharingUnitOut]
    total: SharingFiguresOut


def _figures(f) -> dict:
    return {
        "effective_hours": f.effective_hours, "external_hours": f.external_hours, "sharing_rate": f.sharing_rate,
        "income_fen": f.income_fen, "internal_users": len(f.internal_users), "external_orgs": len(f.external_orgs),
        "samples": f.samples, "trained": f.trained,
    }  # fmt: skip


@router.get(
    "/sharing/regions/{region_code}",
    response={200: RegionSharingOut, **ERRORS},
    auth=AUTH,
    summary="地区开放共享统计（各单位；科技主管部门、协同区办公室）",
)
def region_sharing(request, region_code: str, year: int):
    if not (region_code.isascii() and region_code.isdigit() and len(region_code) == 6):
        raise Invalid(_("地区参数应为 6 位区划代码"), field="region_code")
    data = sharing_region.region_sharing(actor=request.actor, region_code=region_code, year=year)
    units = [
        {"rank": u["rank"], "organisation": u["organisation"].name, "instruments": u["instruments"],
         "figures": _figures(u["total"])}
        for u in data["units"]
    ]  # fmt: skip
    return {"region": data["region"].name, "year": year, "units": units, "total": _figures(data["total"])}
