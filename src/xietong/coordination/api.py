"""JSON API of coordination, mounted at /api/v1/coordination by xietong.api; handlers are thin."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from xietong.coordination import exports, selectors, services
from xietong.coordination.enums import Light, TaskStatus
from xietong.coordination.policies import BodyPolicy
from xietong.coordination.schemas import (
    AgreementDetailOut,
    AgreementOut,
    BodyIn,
    BodyOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentTaskIn,
    DashboardOut,
    DecisionIn,
    DecisionOut,
    ErrorOut,
    MajorItemDetailOut,
    MajorItemIn,
    MajorItemOut,
    MajorItemStatusIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    NewTaskIn,
    ReportOut,
    ReviewIn,
    SuspendIn,
    TaskDetailOut,
    TaskIn,
    TaskPage,
    UnitIn,
    UnitOut,
    UnitOverviewOut,
)
from xietong.core import files
from xietong.core.api import AUTH
from xietong.core.errors import Invalid
from xietong.core.excel import xlsx_response
from xietong.core.ids import MAX_ID
from xietong.core.pagination import paginate

router = Router(tags=["coordination"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _task_input(payload: TaskIn) -> services.TaskInput:
    data = payload.dict(exclude={"body_id"})
    data["milestones"] = [(m["title"], m["due_on"]) for m in data["milestones"]]
    return services.TaskInput(**data)


class TaskQuery(Schema):
    body: int | None = Field(None, ge=1, le=MAX_ID)
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    light: Light | None = None
    status: TaskStatus | None = None
    q: str = Field("", max_length=100)
    mine: bool = False
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)

    def filters(self) -> selectors.TaskFilters:
        return selectors.TaskFilters(
            body=self.body, unit=self.unit, light=self.light or "", status=self.status or "", q=self.q,
            mine=self.mine,
        )  # fmt: skip


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="责任单位")
def units(request):
    return list(selectors.unit_list(actor=request.actor))


@router.get("/bodies", response={200: list[BodyOut], **ERRORS}, summary="联席会议、专责小组")
def bodies(request):
    return list(selectors.body_list(actor=request.actor).prefetch_related("members"))


@router.get("/bodies/{int:pk}", response={200: BodyOut, **ERRORS})
def body(request, pk: int):
    return selectors.body_get(actor=request.actor, pk=pk)


@router.get("/bodies/{int:pk}/meetings", response={200: list[MeetingOut], **ERRORS})
def body_meetings(request, pk: int):
    return list(
        selectors.meeting_list(actor=request.actor, body=selectors.body_get(actor=request.actor, pk=pk))
    )


@router.post("/bodies/{int:pk}/meetings", response={201: MeetingOut, **ERRORS}, auth=AUTH, summary="登记会议")
def meeting_create(request, pk: int, payload: MeetingIn):
    return Status(201, services.meeting_create(actor=request.actor, body_id=pk, **payload.dict()))


@router.get("/meetings/{int:pk}", response={200: MeetingDetailOut, **ERRORS}, summary="会议及可见的议定事项")
def meeting(request, pk: int):
    found = selectors.meeting_get(actor=request.actor, pk=pk)
    found.visible_decisions = list(selectors.decision_list(actor=request.actor, meeting=found))
    return found


@router.post(
    "/meetings/{int:pk}/decisions", response={201: DecisionOut, **ERRORS}, auth=AUTH, summary="记录议定事项"
)
def decision_add(request, pk: int, payload: DecisionIn):
    return Status(201, services.decision_add(actor=request.actor, meeting_id=pk, **payload.dict()))


@router.get(
    "/decisions", response={200: list[DecisionOut], **ERRORS}, summary="可见的议定事项（公开的对所有人可见）"
)
def decisions(request):
    return list(selectors.decision_list(actor=request.actor)[:200])


@router.post(
    "/decisions/{int:pk}/task",
    response={201: TaskDetailOut, **ERRORS},
    auth=AUTH,
    summary="议定事项转为督办事项",
)
def decision_task(request, pk: int, payload: TaskIn):
    task = services.decision_make_task(actor=request.actor, decision_id=pk, data=_task_input(payload))
    return Status(201, selectors.task_get(actor=request.actor, pk=task.pk))


@router.get(
    "/tasks", response={200: TaskPage, **ERRORS}, auth=AUTH, summary="督办事项（按灯色、状态、单位筛选）"
)
def tasks(request, query: Query[TaskQuery]):
    page = paginate(selectors.task_list(actor=request.actor, filters=query.filters()), page=query.page,
                    page_size=query.page_size)  # fmt: skip
    return {"total": page.total, "page": page.page, "page_size": page.page_size, "items": page.items}


@router.get("/tasks/export", response={200: None, **ERRORS}, auth=AUTH, summary="督办事项导出 Excel")
def tasks_export(request, query: Query[TaskQuery]):
    qs = selectors.task_list(actor=request.actor, filters=query.filters())
    return xlsx_response(exports.tasks_workbook(qs), "督办事项.xlsx")


@router.post("/tasks", response={201: TaskDetailOut, **ERRORS}, auth=AUTH, summary="直接交办督办事项")
def task_create(request, payload: NewTaskIn):
    task = services.task_create(actor=request.actor, body_id=payload.body_id, data=_task_input(payload))
    return Status(201, selectors.task_get(actor=request.actor, pk=task.pk))


@router.get("/tasks/{int:pk}", response={200: TaskDetailOut, **ERRORS}, auth=AUTH)
def task(request, pk: int):
    return selectors.task_get(actor=request.actor, pk=pk)


@router.post(
    "/tasks/{int:pk}/suspend", response={200: TaskDetailOut, **ERRORS}, auth=AUTH, summary="暂缓或恢复"
)
def task_suspend(request, pk: int, payload: SuspendIn):
    services.task_set_suspended(actor=request.actor, task_id=pk, **payload.dict())
    return selectors.task_get(actor=request.actor, pk=pk)


@router.post(
    "/tasks/{int:pk}/reports", response={201: ReportOut, **ERRORS}, auth=AUTH,
    summary="报送进展（multipart：text、percent，佐证材料 files：PDF/JPG/PNG）",
)  # fmt: skip
def report_submit(
    request, pk: int, text: Form[str], percent: Form[int], files: File[list[UploadedFile]] = None,
):  # fmt: skip
    if not 0 <= percent <= 100:
        raise Invalid(_("完成进度应为 0–100 的整数"), field="percent")
    report = services.report_submit(
        actor=request.actor, task_id=pk, text=text, percent=percent, uploads=files or []
    )
    return Status(201, selectors.report_get(actor=request.actor, pk=report.pk))


@router.post(
    "/reports/{int:pk}/review", response={200: ReportOut, **ERRORS}, auth=AUTH, summary="验收或退回进展报告"
)
def report_review(request, pk: int, payload: ReviewIn):
    services.report_review(actor=request.actor, report_id=pk, **payload.dict())
    return selectors.report_get(actor=request.actor, pk=pk)


@router.get("/evidence/{int:pk}", response={200: None, **ERRORS}, auth=AUTH, summary="下载佐证材料")
def evidence(request, pk: int):
    found = selectors.evidence_get(actor=request.actor, pk=pk)
    return files.private_file_response(
        storage=files.private_storage(), name=found.file.name, filename=found.original_name
    )


@router.get("/agreements", response={200: list[AgreementOut], **ERRORS}, summary="合作框架协议")
def agreements(request):
    return list(selectors.agreement_list(actor=request.actor))


@router.get("/agreements/{int:pk}", response={200: AgreementDetailOut, **ERRORS})
def agreement(request, pk: int):
    return selectors.agreement_get(actor=request.actor, pk=pk)


@router.get("/major-items", response={200: list[MajorItemOut], **ERRORS}, auth=AUTH, summary="重大事项清单")
def major_items(request):
    return list(selectors.major_item_list(actor=request.actor))


@router.get("/major-items/{int:pk}", response={200: MajorItemDetailOut, **ERRORS}, auth=AUTH)
def major_item(request, pk: int):
    return selectors.major_item_get(actor=request.actor, pk=pk)


@router.post("/major-items/{int:pk}/status", response={200: MajorItemDetailOut, **ERRORS}, auth=AUTH)
def major_item_status(request, pk: int, payload: MajorItemStatusIn):
    services.major_item_set_status(actor=request.actor, item_id=pk, **payload.dict())
    return selectors.major_item_get(actor=request.actor, pk=pk)


@router.get(
    "/dashboard",
    response={200: DashboardOut, **ERRORS},
    auth=AUTH,
    summary="督办看板：各单位灯情、状态、红灯事项",
)
def dashboard(request, body: int | None = Query(None, ge=1, le=MAX_ID)):
    BodyPolicy.require(request.actor, "dashboard")
    managed = [b.pk for b in selectors.managed_bodies(actor=request.actor) if body is None or b.pk == body]
    stats = selectors.dashboard(actor=request.actor, body_ids=managed)
    rows = exports.light_table(stats["by_unit"])
    return {
        "by_status": stats["by_status"],
        "by_unit": [{"unit": r[0], "red": r[1], "yellow": r[2], "green": r[3], "total": r[4]} for r in rows],
        "overdue": stats["overdue"],
    }


@router.get(
    "/units/{int:pk}/overview",
    response={200: UnitOverviewOut, **ERRORS},
    auth=AUTH,
    summary="单位督办情况：各灯事项数、逾期事项、最近的进展报告（本单位与督办它的协同区办公室）",
)
def unit_overview(request, pk: int):
    unit = selectors.unit_page_get(actor=request.actor, pk=pk)
    overview = selectors.unit_overview(actor=request.actor, unit=unit)
    return {
        "unit": unit,
        "lights": overview["lights"],
        "overdue": overview["overdue"],
        "reports": overview["reports"],
    }


@router.post("/units", response={201: UnitOut, **ERRORS}, auth=AUTH, summary="登记责任单位（协同区办公室）")
def unit_create(request, payload: UnitIn):
    return Status(201, services.unit_create(actor=request.actor, **payload.dict()))


@router.post(
    "/bodies", response={201: BodyOut, **ERRORS}, auth=AUTH, summary="设立联席会议、专责小组或办公室"
)
def body_create(request, payload: BodyIn):
    body = services.body_create(actor=request.actor, **payload.dict())
    return Status(201, selectors.body_get(actor=request.actor, pk=body.pk))


@router.post(
    "/agreements", response={201: AgreementDetailOut, **ERRORS}, auth=AUTH,
    summary="登记合作框架协议（multipart：zone、title、signed_on、text、party_ids，签署文本 signed_file：PDF）",
)  # fmt: skip
def agreement_create(
    request, zone: Form[str], title: Form[str], signed_on: Form[date], party_ids: Form[list[int]],
    text: Form[str] = "", signed_file: File[UploadedFile] = None,
):  # fmt: skip
    agreement = services.agreement_create(
        actor=request.actor, zone=zone[:40], title=title, signed_on=signed_on, text=text,
        party_ids=[p for p in party_ids if 1 <= p <= MAX_ID], signed_file=signed_file,
    )  # fmt: skip
    return Status(201, selectors.agreement_get(actor=request.actor, pk=agreement.pk))


@router.post(
    "/agreements/{int:pk}/commitments",
    response={201: CommitmentOut, **ERRORS},
    auth=AUTH,
    summary="登记承诺事项",
)
def commitment_add(request, pk: int, payload: CommitmentIn):
    return Status(201, services.commitment_add(actor=request.actor, agreement_id=pk, **payload.dict()))


@router.post(
    "/commitments/{int:pk}/task",
    response={201: TaskDetailOut, **ERRORS},
    auth=AUTH,
    summary="承诺事项转为督办事项",
)
def commitment_task(request, pk: int, payload: CommitmentTaskIn):
    task = services.commitment_make_task(
        actor=request.actor, commitment_id=pk, body_id=payload.body_id, data=_task_input(payload)
    )
    return Status(201, selectors.task_get(actor=request.actor, pk=task.pk))


@router.post(
    "/major-items", response={201: MajorItemDetailOut, **ERRORS}, auth=AUTH, summary="列入重大事项清单"
)
def major_item_create(request, payload: MajorItemIn):
    item = services.major_item_create(actor=request.actor, **payload.dict())
    return Status(201, selectors.major_item_get(actor=request.actor, pk=item.pk))
