"""Every write of coordination: one function per use case, transactional, permission-checked, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from xietong.coordination import markup, metrics, relight, selectors
from xietong.coordination.enums import (
    BodyKind,
    MajorItemStatus,
    ReportStatus,
    TaskSource,
    TaskStatus,
    UnitKind,
)
from xietong.coordination.models import (
    Agreement,
    Body,
    Commitment,
    Decision,
    Evidence,
    MajorItem,
    MajorItemEvent,
    Meeting,
    Milestone,
    ProgressReport,
    Task,
    Unit,
)
from xietong.coordination.policies import (
    AgreementPolicy,
    BodyPolicy,
    DecisionPolicy,
    MajorItemPolicy,
    ReportPolicy,
    TaskPolicy,
    UnitPolicy,
    acts_for_unit,
    manages_zone,
)
from xietong.core import audit, clock, files
from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, Invalid
from xietong.core.excel import ImportReport, RowError
from xietong.core.uploads import check_upload
from xietong.regions import selectors as region_selectors

EVIDENCE_KINDS = ("pdf", "jpg", "png")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
SIGNED_MAX_BYTES = 20 * 1024 * 1024


def _text(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("请填写%(label)s") % {"label": label}, field=label)
    if len(value) > max_length:
        raise Invalid(
            _("%(label)s过长（上限 %(max_length)s 字）") % {"label": label, "max_length": max_length},
            field=label,
        )
    return value


def _units(actor: Actor, ids: Sequence[int] | None, *, label: str) -> list[Unit]:
    ids = list(dict.fromkeys(ids or []))
    found = list(selectors.unit_list(actor=actor).filter(pk__in=ids))
    if len(found) != len(ids):
        raise Invalid(_("%(label)s中有不存在的单位") % {"label": label}, field=label)
    return found


def _zone(zone: int | str):
    return region_selectors.zone_get(zone_id_or_code=zone)


# ---------------------------------------------------------------- units and bodies


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    region: str = "",
    zone: str = "",
    organisation_id: int | None = None,
) -> Unit:
    UnitPolicy.require(actor, "create")
    name = _text(name, label="单位名称", max_length=80)
    if selectors.unit_list(actor=actor).filter(name=name).exists():
        raise Invalid(_("同名单位已存在"), field="name")
    fields: dict = {"name": name, "kind": kind}
    if kind == UnitKind.BUREAU:
        fields["region"] = region_selectors.region_get(region)
    elif kind == UnitKind.OFFICE:
        fields["zone"] = _zone(zone)
        if not manages_zone(actor, fields["zone"].pk):
            raise Forbidden(_("只能登记本协同区的办公室"))
    elif kind == UnitKind.ORGANISATION:
        from xietong.orgs import selectors as org_selectors

        fields["organisation"] = org_selectors.organisation_get(actor=actor, org_id=organisation_id or 0)
    else:
        raise Invalid(_("单位类型无效"), field="kind")
    unit = Unit.objects.create(**fields)
    audit.record(actor=actor, verb="coordination.unit_created", target=unit)
    return unit


@transaction.atomic
def unit_rotate_feed_token(*, actor: Actor, unit_id: int) -> Unit:
    """A new private calendar link (the old one stops working), for a link that leaked."""
    unit = selectors.unit_get(actor=actor, pk=unit_id)
    UnitPolicy.require(actor, "view_feed", unit)
    from xietong.coordination.models import new_feed_token

    unit.feed_token = new_feed_token()
    unit.save(update_fields=["feed_token"])
    audit.record(actor=actor, verb="coordination.feed_token_rotated", target=unit)
    return unit


@transaction.atomic
def body_create(
    *, actor: Actor, zone: int | str, name: str, kind: str, member_ids: Sequence[int] = (),
    due_soon_days: int = 14, lag_threshold_pct: int = 20,
) -> Body:  # fmt: skip
    zone_obj = _zone(zone)
    if not manages_zone(actor, zone_obj.pk):
        raise Forbidden(_("只有本协同区办公室可以设立议事机构"))
    if kind not in BodyKind.values:
        raise Invalid(_("议事机构类型无效"), field="kind")
    if not (0 <= int(due_soon_days) <= 365 and 0 <= int(lag_threshold_pct) <= 100):
        raise Invalid(_("临期天数应在 0–365 之间，滞后阈值应在 0–100 之间"), field="due_soon_days")
    body = Body.objects.create(
        zone=zone_obj, name=_text(name, label="名称", max_length=80), kind=kind,
        due_soon_days=due_soon_days, lag_threshold_pct=lag_threshold_pct,
    )  # fmt: skip
    body.members.set(_units(actor, member_ids, label="成员单位"))
    audit.record(actor=actor, verb="coordination.body_created", target=body)
    return body


# ---------------------------------------------------------------- meetings and decisions


@transaction.atomic
def meeting_create(
    *, actor: Actor, body_id: int, title: str, held_on: date, location: str = "", agenda: str = "",
    minutes: str = "", attendee_ids: Sequence[int] = (),
) -> Meeting:  # fmt: skip
    body = selectors.body_get(actor=actor, pk=body_id)
    BodyPolicy.require(actor, "manage", body)
    meeting = Meeting.objects.create(
        body=body,
        title=_text(title, label="会议名称", max_length=120),
        held_on=held_on,
        location=_text(location, label="地点", max_length=80, required=False),
        agenda=markup.check(agenda, label="议程"),
        minutes=markup.check(minutes, label="纪要"),
    )
    meeting.attendees.set(_units(actor, attendee_ids, label="出席单位"))
    audit.record(actor=actor, verb="coordination.meeting_created", target=meeting)
    return meeting


@transaction.atomic
def meeting_update_minutes(*, actor: Actor, meeting_id: int, minutes: str) -> Meeting:
    meeting = selectors.meeting_get(actor=actor, pk=meeting_id)
    BodyPolicy.require(actor, "manage", meeting.body)
    meeting.minutes = markup.check(minutes, label="纪要")
    meeting.save(update_fields=["minutes"])
    audit.record(actor=actor, verb="coordination.minutes_updated", target=meeting)
    return meeting


@transaction.atomic
def decision_add(*, actor: Actor, meeting_id: int, text: str, is_public: bool = True) -> Decision:
    meeting = selectors.meeting_get(actor=actor, pk=meeting_id)
    BodyPolicy.require(actor, "manage", meeting.body)
    text = markup.check(text, label="议定事项", required=True)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    number = (locked.decisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    decision = Decision.objects.create(meeting=locked, number=number, text=text, is_public=bool(is_public))
    audit.record(actor=actor, verb="coordination.decision_added", target=decision, data={"public": is_public})
    return decision


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskInput:
    title: str
    lead_unit: int | str  # an id, or the unit's Chinese name (imports, the CLI)
    start_on: date
    deadline: date
    description: str = ""
    co_unit_ids: Sequence[int] = ()
    owner_name: str = ""
    milestones: Sequence[tuple[str, date]] = field(default_factory=tuple)
    metric_key: str = ""
    metric_scope_kind: str = ""
    metric_scope: str = ""
    metric_target: float | None = None
    metric_year: int | None = None


def _lead_unit(actor: Actor, ref: int | str) -> Unit:
    if isinstance(ref, int):
        found = selectors.unit_list(actor=actor).filter(pk=ref).first()
        if found is None:
            raise Invalid(_("牵头单位不存在"), field="lead_unit")
        return found
    try:
        return selectors.unit_by_name(actor=actor, name=str(ref))
    except Exception as exc:
        raise Invalid(
            _("牵头单位“%(ref)s”不存在") % {"ref": str(ref).strip()[:40]}, field="lead_unit"
        ) from exc


def _validated(actor: Actor, data: TaskInput) -> dict:
    if data.start_on is None or data.deadline is None:
        raise Invalid(_("请填写开始日期和完成时限"), field="deadline")
    if data.deadline < data.start_on:
        raise Invalid(_("完成时限不能早于开始日期"), field="deadline")
    fields = {
        "title": _text(data.title, label="事项名称", max_length=160),
        "description": markup.check(data.description, label="工作要求"),
        "owner_name": _text(data.owner_name, label="责任人", max_length=40, required=False),
        "start_on": data.start_on,
        "deadline": data.deadline,
        "lead_unit": _lead_unit(actor, data.lead_unit),
    }
    link = metrics.validate(
        key=data.metric_key, kind=data.metric_scope_kind, code=data.metric_scope,
        target=data.metric_target, year=data.metric_year,
    )  # fmt: skip
    if link:
        keys = ("metric_key", "metric_scope_kind", "metric_scope", "metric_target", "metric_year")
        fields.update(dict(zip(keys, link, strict=True)))
    for title, due in data.milestones:
        _text(title, label="节点名称", max_length=120)
        if due is None or not data.start_on <= due <= data.deadline:
            raise Invalid(_("节点时限应在开始日期与完成时限之间"), field="milestones")
    return fields


def _create_task(actor: Actor, body: Body, data: TaskInput, **source) -> Task:
    BodyPolicy.require(actor, "manage", body)
    fields = _validated(actor, data)
    co_units = [
        u for u in _units(actor, data.co_unit_ids, label="配合单位") if u.pk != fields["lead_unit"].pk
    ]
    task = Task.objects.create(body=body, **fields, **source)
    task.co_units.set(co_units)
    Milestone.objects.bulk_create(
        [Milestone(task=task, title=title.strip(), due_on=due) for title, due in data.milestones]
    )
    _measure_and_light(actor, task)
    audit.record(
        actor=actor, verb="coordination.task_created", target=task,
        data={"lead_unit": task.lead_unit.name, "deadline": task.deadline.isoformat(), "source": task.source},
    )  # fmt: skip
    from xietong.coordination import notify

    notify.assigned(task)
    return task


@transaction.atomic
def task_create(*, actor: Actor, body_id: int, data: TaskInput) -> Task:
    body = selectors.body_get(actor=actor, pk=body_id)
    return _create_task(actor, body, data, source=TaskSource.DIRECT)


@transaction.atomic
def decision_make_task(*, actor: Actor, decision_id: int, data: TaskInput) -> Task:
    """The one step from a meeting's decision to a tracked task, in the body that took the decision."""
    decision = selectors.decision_get(actor=actor, pk=decision_id)
    DecisionPolicy.require(actor, "make_task", decision)
    return _create_task(actor, decision.meeting.body, data, source=TaskSource.DECISION, decision=decision)


@transaction.atomic
def commitment_make_task(*, actor: Actor, commitment_id: int, body_id: int, data: TaskInput) -> Task:
    commitment = selectors.commitment_get(actor=actor, pk=commitment_id)
    body = selectors.body_get(actor=actor, pk=body_id)
    AgreementPolicy.require(actor, "manage", commitment.agreement)
    return _create_task(actor, body, data, source=TaskSource.COMMITMENT, commitment=commitment)


@transaction.atomic
def major_item_make_task(*, actor: Actor, item_id: int, body_id: int, data: TaskInput) -> Task:
    item = selectors.major_item_get(actor=actor, pk=item_id)
    body = selectors.body_get(actor=actor, pk=body_id)
    MajorItemPolicy.require(actor, "manage", item)
    return _create_task(actor, body, data, source=TaskSource.MAJOR_ITEM, major_item=item)


def _locked(actor: Actor, task_id: int, action: str) -> Task:
    task = selectors.task_get(actor=actor, pk=task_id)
    TaskPolicy.require(actor, action, task)
    Task.objects.select_for_update().filter(pk=task.pk).first()
    task.refresh_from_db()
    return task


def _measure_and_light(actor: Actor, task: Task) -> None:
    """Measure a metric-linked task now and store its light (the periodic job does the same for every task)."""
    today = clock.today()
    if task.metric_key:
        link = (task.metric_key, task.metric_scope_kind, task.metric_scope, task.metric_year)
        task.metric_value = metrics.measure_many([link]).get(link)
        task.metric_measured_at = clock.now()
    task.status = relight.status_for(task.status, deadline=task.deadline, today=today, progress=task.progress)
    result = relight.lights.evaluate(
        relight.facts(
            start_on=task.start_on, deadline=task.deadline, status=task.status, progress=task.progress,
            first_open=selectors.first_open_milestone(actor=actor, task=task),
            metric_value=task.metric_value, metric_target=task.metric_target, metric_key=task.metric_key,
        ),
        today=today,
        thresholds=relight.thresholds(
            due_soon_days=task.body.due_soon_days, lag_threshold_pct=task.body.lag_threshold_pct
        ),
    )  # fmt: skip
    task.light, task.light_reason = result.colour, result.reason
    task.save(
        update_fields=["status", "light", "light_reason", "metric_value", "metric_measured_at", "updated_at"]
    )


@transaction.atomic
def task_update(
    *, actor: Actor, task_id: int, deadline: date | None = None, owner_name: str | None = None
) -> Task:
    task = _locked(actor, task_id, "manage")
    before = task.deadline
    if deadline is not None:
        if deadline < task.start_on:
            raise Invalid(_("完成时限不能早于开始日期"), field="deadline")
        task.deadline = deadline
    if owner_name is not None:
        task.owner_name = _text(owner_name, label="责任人", max_length=40, required=False)
    task.save(update_fields=["deadline", "owner_name", "updated_at"])
    _measure_and_light(actor, task)
    audit.record(
        actor=actor, verb="coordination.task_updated", target=task,
        data={"deadline": [before.isoformat(), task.deadline.isoformat()]},
    )  # fmt: skip
    return task


@transaction.atomic
def task_set_suspended(*, actor: Actor, task_id: int, suspended: bool, note: str = "") -> Task:
    task = _locked(actor, task_id, "manage")
    if task.status == TaskStatus.COMPLETED:
        raise Invalid(_("已完成的事项不能暂缓或恢复"))
    if suspended == (task.status == TaskStatus.SUSPENDED):
        raise Invalid(_("事项已暂缓") if suspended else _("事项未暂缓"))
    task.status = TaskStatus.SUSPENDED if suspended else (
        TaskStatus.IN_PROGRESS if task.progress else TaskStatus.NOT_STARTED
    )  # fmt: skip
    task.save(update_fields=["status", "updated_at"])
    _measure_and_light(actor, task)
    verb = "coordination.task_suspended" if suspended else "coordination.task_resumed"
    audit.record(actor=actor, verb=verb, target=task, data={"note": note[:300]})
    return task


@transaction.atomic
def milestone_mark_done(
    *, actor: Actor, task_id: int, milestone_id: int, done_on: date | None = None
) -> Milestone:
    task = _locked(actor, task_id, "manage")
    milestone = task.milestones.filter(
        pk=milestone_id
    ).first()  # tenancy-ok: of the task locked after the policy check
    if milestone is None:
        raise Invalid(_("节点不存在"), field="milestone")
    done_on = done_on or clock.today()
    if done_on > clock.today():
        raise Invalid(_("完成日期不能晚于今天"), field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _measure_and_light(actor, task)
    audit.record(
        actor=actor, verb="coordination.milestone_done", target=task, data={"milestone": milestone.title}
    )
    return milestone


# ---------------------------------------------------------------- progress reports and acceptance


def _reporting_unit(actor: Actor, task: Task, unit_id: int | None) -> Unit:
    units = [task.lead_unit, *task.co_units.all()]
    mine = [u for u in units if acts_for_unit(actor, u)]
    if unit_id is not None:
        mine = [u for u in mine if u.pk == unit_id]
    if not mine:
        raise Forbidden(_("只有该事项的牵头或配合单位可以报送进展"))
    return mine[0]


@transaction.atomic
def report_submit(
    *, actor: Actor, task_id: int, text: str, percent: int, uploads: Sequence = (), unit_id: int | None = None
) -> ProgressReport:
    """A unit reports progress with evidence files; nothing (row or file) remains if any part is refused."""
    task = selectors.task_get(actor=actor, pk=task_id)
    TaskPolicy.require(actor, "report", task)
    unit = _reporting_unit(actor, task, unit_id)
    text = markup.check(text, label="进展情况", required=True)
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise Invalid(_("完成进度应为 0–100 的整数"), field="percent")
    uploads = [u for u in uploads if u]
    if len(uploads) > EVIDENCE_MAX_FILES:
        raise Invalid(
            _("佐证材料最多 %(EVIDENCE_MAX_FILES)s 个文件") % {"EVIDENCE_MAX_FILES": EVIDENCE_MAX_FILES},
            field="file",
        )
    checked = [
        check_upload(u, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES, label="佐证材料") for u in uploads
    ]
    with files.atomic():
        Task.objects.select_for_update().filter(pk=task.pk).first()
        report = ProgressReport.objects.create(
            task=task, unit=unit, author_id=actor.user_id, author_label=actor.display_name or actor.label,
            text=text, percent=percent, created_at=clock.now(),
        )  # fmt: skip
        for item in checked:
            name = files.store(
                files.private_storage(), files.generated_name("coordination/evidence", item), item
            )
            Evidence.objects.create(
                report=report, file=name, original_name=item.original_name, size=item.size
            )
        task.reported_progress = percent
        if task.status == TaskStatus.NOT_STARTED:
            task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["reported_progress", "status", "updated_at"])
        audit.record(
            actor=actor, verb="coordination.report_submitted", target=task,
            data={"report": report.pk, "percent": percent, "files": len(checked), "unit": unit.name},
        )  # fmt: skip
    return report


@transaction.atomic
def report_review(*, actor: Actor, report_id: int, accept: bool, note: str = "") -> ProgressReport:
    """The office accepts a report (its progress becomes the task's; 100 % completes it) or returns it."""
    report = selectors.report_get(actor=actor, pk=report_id)
    ReportPolicy.require(actor, "review", report)
    note = _text(note, label="验收意见", max_length=300, required=not accept)
    task = _locked(actor, report.task_id, "manage")
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_at, report.reviewer_label, report.review_note = (
        clock.now(),
        actor.display_name or actor.label,
        note,
    )
    report.save(update_fields=["status", "reviewed_at", "reviewer_label", "review_note"])
    if accept:
        task.progress = report.percent
        if report.percent == 100:
            task.status, task.completed_on = TaskStatus.COMPLETED, clock.today()
        elif task.status in (TaskStatus.NOT_STARTED,):
            task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["progress", "status", "completed_on", "updated_at"])
    _measure_and_light(actor, task)
    verb = "coordination.report_accepted" if accept else "coordination.report_returned"
    audit.record(actor=actor, verb=verb, target=task, data={"report": report.pk, "percent": report.percent})
    if accept:
        from xietong.coordination import notify

        notify.accepted(task, report)
    return report


# ---------------------------------------------------------------- agreements and commitments


@transaction.atomic
def agreement_create(
    *, actor: Actor, zone: int | str, title: str, signed_on: date, text: str = "",
    party_ids: Sequence[int] = (), signed_file=None,
) -> Agreement:  # fmt: skip
    zone_obj = _zone(zone)
    if not manages_zone(actor, zone_obj.pk):
        raise Forbidden(_("只有本协同区办公室可以登记合作协议"))
    parties = _units(actor, party_ids, label="签约方")
    if len(parties) < 2:
        raise Invalid(_("协议至少需要两个签约方"), field="parties")
    checked = (
        check_upload(signed_file, kinds=("pdf",), max_bytes=SIGNED_MAX_BYTES, label="签署文本")
        if signed_file
        else None
    )
    with files.atomic():
        agreement = Agreement.objects.create(
            zone=zone_obj, title=_text(title, label="协议名称", max_length=120), signed_on=signed_on,
            text=markup.check(text, label="协议正文"),
        )  # fmt: skip
        agreement.parties.set(parties)
        if checked:
            agreement.signed_file = files.store(
                files.private_storage(), files.generated_name("coordination/agreements", checked), checked
            )
            agreement.signed_file_name = checked.original_name
            agreement.save(update_fields=["signed_file", "signed_file_name"])
        audit.record(actor=actor, verb="coordination.agreement_created", target=agreement)
    return agreement


@transaction.atomic
def commitment_add(
    *, actor: Actor, agreement_id: int, party_id: int, text: str, deadline: date
) -> Commitment:
    agreement = selectors.agreement_get(actor=actor, pk=agreement_id)
    AgreementPolicy.require(actor, "manage", agreement)
    party = next(
        (u for u in agreement.parties.all() if u.pk == party_id), None
    )  # tenancy-ok: the parties of an agreement fetched through agreement_get
    if party is None:
        raise Invalid(_("承诺单位应为协议签约方"), field="party")
    if deadline is None or deadline < agreement.signed_on:
        raise Invalid(_("承诺时限不能早于协议签署日期"), field="deadline")
    commitment = Commitment.objects.create(
        agreement=agreement,
        party=party,
        text=_text(text, label="承诺事项", max_length=2000),
        deadline=deadline,
    )
    audit.record(
        actor=actor, verb="coordination.commitment_added", target=agreement, data={"party": party.name}
    )
    return commitment


# ---------------------------------------------------------------- 重大事项清单


@transaction.atomic
def major_item_create(
    *, actor: Actor, zone: int | str, title: str, ministry: str, description: str = "",
    co_sponsor_ids: Sequence[int] = (),
) -> MajorItem:  # fmt: skip
    zone_obj = _zone(zone)
    if not manages_zone(actor, zone_obj.pk):
        raise Forbidden(_("只有本协同区办公室可以管理重大事项清单"))
    sponsors = _units(actor, co_sponsor_ids, label="联合申报单位")
    if not sponsors:
        raise Invalid(_("请选择联合申报单位"), field="co_sponsors")
    item = MajorItem.objects.create(
        zone=zone_obj, title=_text(title, label="事项名称", max_length=120),
        ministry=_text(ministry, label="争取支持的部委", max_length=80),
        description=markup.check(description, label="说明"),
    )  # fmt: skip
    item.co_sponsors.set(sponsors)
    MajorItemEvent.objects.create(
        item=item,
        status=item.status,
        note="列入清单",
        actor_label=actor.display_name or actor.label,
        at=clock.now(),
    )
    audit.record(actor=actor, verb="coordination.major_item_created", target=item)
    return item


@transaction.atomic
def major_item_set_status(*, actor: Actor, item_id: int, status: str, note: str = "") -> MajorItem:
    item = selectors.major_item_get(actor=actor, pk=item_id)
    MajorItemPolicy.require(actor, "manage", item)
    if status not in MajorItemStatus.values:
        raise Invalid(_("状态无效"), field="status")
    if status == item.status:
        raise Invalid(_("状态未变化"), field="status")
    before = item.status
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    MajorItemEvent.objects.create(
        item=item, status=status, note=_text(note, label="说明", max_length=300, required=False),
        actor_label=actor.display_name or actor.label, at=clock.now(),
    )  # fmt: skip
    audit.record(
        actor=actor, verb="coordination.major_item_status", target=item, data={"from": before, "to": status}
    )
    return item


# ---------------------------------------------------------------- import


def _row_input(actor: Actor, row: dict[str, str]) -> TaskInput:
    try:
        start_on, deadline = (
            date.fromisoformat(row["start_on"][:10]),
            date.fromisoformat(row["deadline"][:10]),
        )
    except ValueError as exc:
        raise Invalid(_("日期格式应为 YYYY-MM-DD"), field="start_on") from exc
    names = [
        n.strip()
        for n in row.get("co_units", "").replace(",", "、").replace("，", "、").split("、")
        if n.strip()
    ]
    co_ids = []
    for name in names:
        try:
            co_ids.append(selectors.unit_by_name(actor=actor, name=name).pk)
        except Exception as exc:
            raise Invalid(_("配合单位“%(name)s”不存在") % {"name": name[:40]}, field="co_units") from exc
    return TaskInput(
        title=row["title"], lead_unit=row["lead_unit"], start_on=start_on, deadline=deadline,
        description=row.get("description", ""), co_unit_ids=co_ids, owner_name=row.get("owner_name", ""),
    )  # fmt: skip


COLUMN_LABELS = {"title": "事项名称", "lead_unit": "牵头单位", "co_units": "配合单位", "owner_name": "责任人",
                 "start_on": "开始日期", "deadline": "完成时限", "description": "工作要求"}  # fmt: skip


def tasks_import(*, actor: Actor, body_id: int, rows: list[tuple[int, dict[str, str]]]) -> ImportReport:
    """Check every row first; write all of them or none (a row error report in Chinese otherwise)."""
    body = selectors.body_get(actor=actor, pk=body_id)
    BodyPolicy.require(actor, "manage", body)
    report = ImportReport(total_rows=len(rows))
    inputs = []
    for number, row in rows:
        try:
            data = _row_input(actor, row)
            _validated(actor, data)
            inputs.append(data)
        except Invalid as error:
            column = COLUMN_LABELS.get(error.detail.get("field", ""), error.detail.get("field", ""))
            report.errors.append(RowError(row=number, column=column, message=error.message))
    if report.ok:
        with transaction.atomic():
            for data in inputs:
                _create_task(actor, body, data, source=TaskSource.DIRECT)
        report.created = len(inputs)
    return report
