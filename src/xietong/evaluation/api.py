"""JSON API of this app, mounted at /api/v1/evaluation by xietong.api. Thin: parse, call, return."""

from __future__ import annotations

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from xietong.core.api import AUTH
from xietong.core.excel import xlsx_response
from xietong.core.ids import MAX_ID
from xietong.core.pagination import paginate
from xietong.core.pdf import pdf_response
from xietong.evaluation import compute, excel, platform_indicators, reports, selectors, services
from xietong.evaluation.presets import FRAMEWORK_PRESETS
from xietong.evaluation.schemas import (
    DatasetOut,
    ErrorOut,
    FrameworkDetailOut,
    FrameworkOut,
    FrameworkPage,
    FrameworkVersionOut,
    PresetIn,
    PublishIn,
    RunDetailOut,
    RunIn,
    RunPage,
)

router = Router(tags=["evaluation"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


class RunQuery(PageQuery):
    framework_id: int | None = Field(None, ge=1, le=MAX_ID)
    published: bool | None = None


@router.get("/presets", summary="指数预设（长三角、京津冀）")
def presets(request):
    return [
        {"code": p.code, "name": p.name, "zone": p.zone_code, "base_year": p.base_year, "units": len(p.units),
         "indicators": len(p.indicators), "level1": [name for _, name in p.level1], "source": p.source}
        for p in FRAMEWORK_PRESETS.values()
    ]  # fmt: skip


@router.get("/platform-indicators", summary="可由平台业务数据计算的指标")
def platform_indicator_list(request):
    return platform_indicators.providers()


@router.get("/frameworks", response={200: FrameworkPage, **ERRORS}, summary="我管理的指数")
def framework_list(request, query: Query[PageQuery]):
    page = paginate(selectors.framework_list(actor=request.actor), page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


@router.post(
    "/frameworks/preset", response={201: FrameworkOut, **ERRORS}, auth=AUTH, summary="按预设新建指数"
)
def framework_from_preset(request, payload: PresetIn):
    framework = services.framework_create_from_preset(
        actor=request.actor, preset=payload.preset, zone_code=payload.zone, region_code=payload.region
    )
    return Status(201, framework)


@router.post(
    "/frameworks/import", response={201: FrameworkOut, **ERRORS}, auth=AUTH, summary="从 Excel 导入指标框架"
)
def framework_import(
    request, file: File[UploadedFile], name: Form[str], zone: Form[str] = "", region: Form[str] = "",
    base_year: Form[int | None] = None,
):  # fmt: skip
    frame, sources = excel.framework_frame(file)
    framework = services.framework_import(
        actor=request.actor, name=name, frame=frame, sources=sources, zone_code=zone, region_code=region,
        base_year=base_year,
    )  # fmt: skip
    return Status(201, framework)


@router.get(
    "/frameworks/{int:framework_id}", response={200: FrameworkDetailOut, **ERRORS}, summary="指数详情"
)
def framework_detail(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    framework.latest_version = framework.versions.order_by("-number").first()
    return framework


@router.post(
    "/frameworks/{int:framework_id}/versions", response={201: FrameworkVersionOut, **ERRORS}, auth=AUTH,
    summary="导入新版本的指标框架（Excel）",
)  # fmt: skip
def framework_version_import(request, framework_id: int, file: File[UploadedFile], note: Form[str] = ""):
    frame, sources = excel.framework_frame(file)
    version = services.framework_version_import(
        actor=request.actor, framework_id=framework_id, frame=frame, sources=sources, note=note
    )
    return Status(201, version)


@router.get("/frameworks/{int:framework_id}/framework.xlsx", summary="导出指标框架（Excel）")
def framework_export(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    version = selectors.framework_version_latest(actor=request.actor, framework=framework)
    return xlsx_response(excel.framework_workbook(name=framework.name, table=version.table), "指标框架.xlsx")


@router.get("/frameworks/{int:framework_id}/data-template.xlsx", summary="数据导入模板")
def data_template(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    return xlsx_response(excel.data_template_for(framework, actor=request.actor), "数据导入模板.xlsx")


@router.get(
    "/frameworks/{int:framework_id}/datasets", response={200: list[DatasetOut], **ERRORS}, summary="数据版本"
)
def dataset_list(request, framework_id: int):
    framework = selectors.framework_get(actor=request.actor, framework_id=framework_id)
    return list(selectors.dataset_list(actor=request.actor, framework=framework)[:100])


@router.post(
    "/frameworks/{int:framework_id}/datasets", response={201: DatasetOut, **ERRORS}, auth=AUTH,
    summary="导入数据（Excel，逐行校验，全部成功或全部不写入）",
)  # fmt: skip
def dataset_import(request, framework_id: int, file: File[UploadedFile], name: Form[str] = ""):
    frame, headers = excel.data_frame(
        file, table=selectors.framework_table(actor=request.actor, framework_id=framework_id)
    )
    dataset = services.dataset_import(
        actor=request.actor, framework_id=framework_id, frame=frame, headers=headers, name=name
    )
    return Status(201, dataset)


@router.post(
    "/frameworks/{int:framework_id}/datasets/refresh-platform", response={201: DatasetOut, **ERRORS}, auth=AUTH,
    summary="刷新平台指标：由最新数据版本生成新版本，重新计算平台数据指标（导入的数值优先）",
)  # fmt: skip
def dataset_refresh_platform(request, framework_id: int):
    return Status(201, services.dataset_refresh_platform(actor=request.actor, framework_id=framework_id))


@router.post(
    "/frameworks/{int:framework_id}/runs",
    response={201: RunDetailOut, **ERRORS},
    auth=AUTH,
    summary="计算指数（后台运行）",
)
def run_create(request, framework_id: int, payload: RunIn):
    options = payload.dict(exclude={"dataset_id", "version"}, exclude_none=True)
    run = services.run_create(
        actor=request.actor, framework_id=framework_id, options=options, dataset_id=payload.dataset_id,
        version_number=payload.version,
    )  # fmt: skip
    return Status(201, selectors.run_get(actor=request.actor, run_id=run.pk))


@router.get("/runs", response={200: RunPage, **ERRORS}, summary="指数运行（已发布的对所有人公开）")
def run_list(request, query: Query[RunQuery]):
    framework = None
    if query.framework_id is not None:
        framework = selectors.framework_get(actor=request.actor, framework_id=query.framework_id)
    qs = selectors.run_list(actor=request.actor, framework=framework, published=query.published)
    page = paginate(qs, page=query.page, page_size=query.page_size)
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


@router.get("/runs/{int:run_id}", response={200: RunDetailOut, **ERRORS}, summary="运行状态与选项")
def run_detail(request, run_id: int):
    return selectors.run_get(actor=request.actor, run_id=run_id)


@router.get(
    "/runs/{int:run_id}/results",
    response={200: dict, **ERRORS},
    summary="运行结果（得分、排名、定基指数、耦合协调度、敏感性）",
)
def run_results(request, run_id: int):
    return selectors.run_get_finished(actor=request.actor, run_id=run_id).results


@router.post(
    "/runs/{int:run_id}/rerun",
    response={201: RunDetailOut, **ERRORS},
    auth=AUTH,
    summary="按原版本与选项重新计算",
)
def run_rerun(request, run_id: int):
    run = services.run_rerun(actor=request.actor, run_id=run_id)
    return Status(201, selectors.run_get(actor=request.actor, run_id=run.pk))


@router.post(
    "/runs/{int:run_id}/publish", response={200: RunDetailOut, **ERRORS}, auth=AUTH, summary="发布或撤回"
)
def run_publish(request, run_id: int, payload: PublishIn):
    return services.run_publish(actor=request.actor, run_id=run_id, publish=payload.publish)


@router.get(
    "/runs/{int:run_id}/compare/{int:other_id}", response={200: dict, **ERRORS}, summary="与另一次运行比较"
)
def run_compare(request, run_id: int, other_id: int):
    first = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    second = selectors.run_get_finished(actor=request.actor, run_id=other_id)
    return compute.compare(first.results, second.results)


@router.get("/runs/{int:run_id}/report.xlsx", summary="报告（Excel）")
def run_report_xlsx(request, run_id: int):
    run = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    return xlsx_response(reports.workbook(run), f"评价报告-{run.pk}.xlsx")


@router.get("/runs/{int:run_id}/report.pdf", summary="报告（PDF）")
def run_report_pdf(request, run_id: int):
    run = selectors.run_get_finished(actor=request.actor, run_id=run_id)
    return pdf_response(reports.pdf(run), f"evaluation-run-{run.pk}.pdf")
