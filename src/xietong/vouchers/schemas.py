from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID


class DashboardSlice(Schema):
    name: str | None = None
    status: str | None = None
    fen: int
    n: int | None = None


class ProgrammeDashboardOut(Schema):
    budget_fen: int
    granted_fen: int
    lapsed_fen: int
    remaining_fen: int
    by_region: list[DashboardSlice]
    by_provider: list[DashboardSlice]
    by_status: list[DashboardSlice]


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    mode: str
    status: str
    issuer_key: str
    issuer_name: str
    year: int
    budget_fen: int
    per_application_cap_fen: int
    per_firm_year_cap_fen: int
    subsidy_ratio_bp: int
    full_subsidy_below_fen: int
    provider_scope: str
    review_levels: str
    applications_open_on: date
    applications_close_on: date
    use_deadline: date
    redemption_deadline: date


class ProgrammeIn(Schema):
    review_levels: str = Field("", max_length=40)  # "", "county", "prefecture" or "county,prefecture"
    name: str = Field(max_length=120)
    code: str = Field(max_length=40)
    mode: str
    issuer_region: str | None = Field(None, max_length=6)
    issuer_zone: str | None = Field(None, max_length=40)
    year: int = Field(ge=2000, le=2100)
    budget_fen: int = Field(gt=0, le=10**15)
    applications_open_on: date
    applications_close_on: date
    per_application_cap_fen: int = Field(gt=0, le=10**15)
    per_firm_year_cap_fen: int = Field(gt=0, le=10**15)
    subsidy_ratio_bp: int = Field(ge=1, le=10_000)
    full_subsidy_below_fen: int = Field(0, ge=0, le=10**15)
    provider_scope: str
    provider_zone: str | None = Field(None, max_length=40)
    named_provider_ids: list[int] = Field(default_factory=list, max_length=500)
    service_kinds: list[str] = Field(default_factory=list, max_length=10)
    use_deadline: date
    redemption_deadline: date
    forfeit_lapse_bp: int = Field(0, ge=0, le=10_000)
    publicity_days: int = Field(7, ge=1, le=60)
    require_tech_sme: bool = False
    require_high_tech: bool = False
    require_little_giant: bool = False


class ApplicationIn(Schema):
    programme_id: int = Field(ge=1, le=MAX_ID)
    enterprise_id: int = Field(ge=1, le=MAX_ID)
    amount_fen: int = Field(gt=0, le=10**15)
    purpose: str = Field(max_length=500)


class ApplicationOut(Schema):
    id: int
    programme_id: int
    enterprise_id: int
    amount_fen: int
    status: str
    review_note: str
    created_at: datetime


class ReviewStepOut(Schema):
    level: str  # "嘉兴市南湖区初审": the reviewing bureau's place and the step
    approved: bool
    note: str
    amount_fen: int | None
    reviewed_at: datetime


class AttachmentOut(Schema):
    id: int
    name: str = Field(validation_alias="original_name")
    size: int
    uploaded_at: datetime


class ApplicationDetailOut(ApplicationOut):
    waiting_at: str  # where a submitted application waits ("嘉兴市南湖区初审"); empty once decided
    steps: list[ReviewStepOut]
    attachments: list[AttachmentOut]


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
    amount_fen: int | None = Field(None, gt=0, le=10**15)


class GrantOut(Schema):
    id: int
    code: str
    programme_id: int
    enterprise_id: int
    amount_fen: int
    lapsed_fen: int
    status: str
    use_deadline: date
    redemption_deadline: date


class GrantDetailOut(GrantOut):
    available_fen: int
    reserved_fen: int


class RedemptionIn(Schema):
    order_id: int = Field(ge=1, le=MAX_ID)
    amount_fen: int = Field(gt=0, le=10**15)
    idempotency_key: str = Field(min_length=1, max_length=80)


class RedemptionByCodeIn(RedemptionIn):
    voucher_code: str = Field(max_length=40)


class RedemptionOut(Schema):
    id: int
    grant_id: int
    order_id: int
    programme_id: int
    provider_id: int
    enterprise_id: int
    amount_fen: int
    status: str
    publicity_ends_on: date | None
    payment_reference: str


class PayIn(Schema):
    reference: str = Field("", max_length=60)


class StatementOut(Schema):
    id: int
    number: str
    issuer_key: str
    counterpart_region_id: str
    period: date
    total_fen: int
    line_count: int
    status: str
    paid_reference: str


class PageOf(Schema):
    total: int
    page: int
    page_size: int


class BundleInviteIn(Schema):
    enterprise_id: int = Field(ge=1, le=MAX_ID)


class BundlePartnerOut(Schema):
    id: int
    order_id: int
    enterprise_id: int
    created_at: datetime


class ObjectionIn(Schema):
    text: str = Field(max_length=1000)


class ResolveIn(Schema):
    upheld: bool
    note: str = Field(max_length=300)


class ObjectionOut(Schema):
    id: int
    redemption_id: int
    status: str
    text: str
    resolution_note: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    size: int


class ClaimOut(RedemptionOut):
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(
            obj.evidence.all()
        )  # tenancy-ok: evidence of a redemption the handler resolved through redemption_get
