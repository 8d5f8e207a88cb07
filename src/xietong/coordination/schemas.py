"""API schemas of coordination; ids bounded by core.ids.MAX_ID."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID
from xietong.orgs.schemas import ErrorOut  # noqa: F401 - the shared error shape

Id = Field(..., ge=1, le=MAX_ID)


class UnitOut(Schema):
    id: int
    name: str
    kind: str


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    zone: str
    due_soon_days: int
    lag_threshold_pct: int
    members: list[UnitOut]

    @staticmethod
    def resolve_zone(obj) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    held_on: dt.date
    location: str = Field("", max_length=80)
    agenda: str = Field("", max_length=20_000)
    minutes: str = Field("", max_length=20_000)
    attendee_ids: list[int] = Field(default_factory=list, max_length=200)


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    is_public: bool
    task_ids: list[int]

    @staticmethod
    def resolve_task_ids(obj) -> list[int]:
        return [t.pk for t in obj.tasks.all()]  # tenancy-ok: prefetched by the selector that fetched obj


class MeetingOut(Schema):
    id: int
    body_id: int
    title: str
    held_on: dt.date
    location: str


class MeetingDetailOut(MeetingOut):
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj) -> list:
        return obj.visible_decisions  # set by the handler from the actor-scoped selector


class DecisionIn(Schema):
    text: str = Field(..., min_length=1, max_length=20_000)
    is_public: bool = True


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    due_on: dt.date


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    lead_unit: str = Field(..., min_length=1, max_length=80, description="牵头单位名称")
    start_on: dt.date
    deadline: dt.date
    description: str = Field("", max_length=20_000)
    co_unit_ids: list[int] = Field(default_factory=list, max_length=50)
    owner_name: str = Field("", max_length=40)
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=50)
    metric_key: str = Field("", max_length=60)
    metric_scope_kind: str = Field("", max_length=8)
    metric_scope: str = Field("", max_length=40)
    metric_target: float | None = Field(None, gt=0, le=1e12)
    metric_year: int | None = Field(None, ge=2000, le=2100)


class NewTaskIn(TaskIn):
    body_id: int = Id


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int


class ReportOut(Schema):
    id: int
    task_id: int
    unit: str
    percent: int
    text: str
    status: str
    created_at: dt.datetime
    review_note: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())  # tenancy-ok: prefetched by the selector that fetched obj


class TaskOut(Schema):
    id: int
    title: str
    body_id: int
    source: str
    lead_unit: str
    start_on: dt.date
    deadline: dt.date
    status: str
    light: str
    light_reason: str
    progress: int
    reported_progress: int
    completed_on: dt.date | None
    metric_key: str
    metric_value: float | None
    metric_target: float | None
    measured_pct: int | None

    @staticmethod
    def resolve_lead_unit(obj) -> str:
        return obj.lead_unit.name


class TaskDetailOut(TaskOut):
    description: str
    owner_name: str
    co_units: list[str]
    milestones: list[MilestoneOut]
    reports: list[ReportOut]

    @staticmethod
    def resolve_co_units(obj) -> list[str]:
        return [u.name for u in obj.co_units.all()]

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())  # tenancy-ok: prefetched by the selector that fetched obj

    @staticmethod
    def resolve_reports(obj) -> list:
        return list(obj.reports.all())  # tenancy-ok: prefetched by the selector that fetched obj


class TaskPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[TaskOut]


class ReviewIn(Schema):
    accept: bool
    note: str = Field("", max_length=300)


class SuspendIn(Schema):
    suspended: bool
    note: str = Field("", max_length=300)


class CommitmentOut(Schema):
    id: int
    party: str
    text: str
    deadline: dt.date

    @staticmethod
    def resolve_party(obj) -> str:
        return obj.party.name


class AgreementOut(Schema):
    id: int
    title: str
    zone: str
    signed_on: dt.date
    parties: list[str]

    @staticmethod
    def resolve_zone(obj) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_parties(obj) -> list[str]:
        return [u.name for u in obj.parties.all()]  # tenancy-ok: prefetched by the selector that fetched obj


class AgreementDetailOut(AgreementOut):
    text: str
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_commitments(obj) -> list:
        return list(obj.commitments.all())  # tenancy-ok: prefetched by the selector that fetched obj


class MajorItemEventOut(Schema):
    status: str
    note: str
    actor_label: str
    at: dt.datetime


class MajorItemOut(Schema):
    id: int
    title: str
    ministry: str
    status: str
    zone: str
    co_sponsors: list[str]

    @staticmethod
    def resolve_zone(obj) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_co_sponsors(obj) -> list[str]:
        return [u.name for u in obj.co_sponsors.all()]


class MajorItemDetailOut(MajorItemOut):
    description: str
    events: list[MajorItemEventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())  # tenancy-ok: prefetched by the selector that fetched obj


class MajorItemStatusIn(Schema):
    status: str = Field(..., max_length=14)
    note: str = Field("", max_length=300)


class UnitLightsOut(Schema):
    unit: str
    red: int
    yellow: int
    green: int
    total: int


class LightCountsOut(Schema):
    red: int
    yellow: int
    green: int


class UnitOverviewOut(Schema):
    unit: UnitOut
    lights: LightCountsOut
    overdue: list[TaskOut]
    reports: list[ReportOut]


class DashboardOut(Schema):
    by_status: dict[str, int]
    by_unit: list[UnitLightsOut]
    overdue: list[TaskOut]


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    kind: str = Field(
        ...,
        max_length=14,
        description="bureau（需 region）、office（需 zone）或 organisation（需 organisation_id）",
    )
    region: str = Field("", max_length=6)
    zone: str = Field("", max_length=40)
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)


class BodyIn(Schema):
    zone: str = Field(..., min_length=1, max_length=40, description="协同区代码，如 chengyu")
    name: str = Field(..., min_length=1, max_length=80)
    kind: str = Field(..., max_length=14)
    member_ids: list[int] = Field(default_factory=list, max_length=500)
    due_soon_days: int = Field(14, ge=0, le=365)
    lag_threshold_pct: int = Field(20, ge=0, le=100)


class CommitmentIn(Schema):
    party_id: int = Id
    text: str = Field(..., min_length=1, max_length=2000)
    deadline: dt.date


class CommitmentTaskIn(TaskIn):
    body_id: int = Id


class MajorItemIn(Schema):
    zone: str = Field(..., min_length=1, max_length=40)
    title: str = Field(..., min_length=1, max_length=120)
    ministry: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=20_000)
    co_sponsor_ids: list[int] = Field(..., min_length=1, max_length=50)
