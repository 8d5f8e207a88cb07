"""ninja in/out schemas of the talent API."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID
from xietong.orgs.schemas import ErrorOut, ImportReportOut  # noqa: F401 - shared shapes

Id = Field(ge=1, le=MAX_ID)


class ProfileOut(Schema):
    id: int
    name: str
    organisation: str
    region_code: str
    region_name: str
    discipline: str
    category: str
    title_rank: str
    title_label: str
    tier: str
    position: str
    expertise: str
    keywords: list[str]
    phone: str
    email: str
    contacts_masked: bool


class ProfilePage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ProfileOut]


class CardOut(Schema):
    scheme: str
    tier: str
    issued_on: date
    expires_on: date | None


class AppointmentOut(Schema):
    id: int
    person: str
    host_org: str
    host_region: str
    home_org: str
    role: str
    start_on: date
    end_on: date
    time_share: int
    status: str
    status_label: str
    cross_region: bool


class SeatBrief(Schema):
    round: str
    item: str
    status: str


class ProfileDetailOut(ProfileOut):
    is_expert: bool
    cards: list[CardOut]
    appointments: list[AppointmentOut]
    achievements: list[str]
    reviews: list[SeatBrief]


class ProfileIn(Schema):
    organisation_id: int = Id
    name: str = Field(max_length=40)
    discipline: str = Field(max_length=30)
    title_rank: str = Field("none", max_length=16)
    tier: str = Field("", max_length=4)
    position: str = Field("", max_length=60)
    expertise: str = Field("", max_length=2000)
    keywords: list[str] = Field(default_factory=list, max_length=12)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class ProfilePatch(Schema):
    name: str | None = Field(None, max_length=40)
    discipline: str | None = Field(None, max_length=30)
    title_rank: str | None = Field(None, max_length=16)
    tier: str | None = Field(None, max_length=4)
    position: str | None = Field(None, max_length=60)
    expertise: str | None = Field(None, max_length=2000)
    keywords: list[str] | None = Field(None, max_length=12)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


class ExpertOut(Schema):
    id: int
    profile_id: int
    name: str
    organisation: str
    region_code: str
    region_name: str
    discipline: str
    title_label: str
    fields: list[str]
    term_start: date
    term_end: date
    is_available: bool
    yearly_cap: int
    status: str


class ExpertPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ExpertOut]


class ExpertHitOut(ExpertOut):
    score: float
    explanation: str


class ExpertIn(Schema):
    profile_id: int = Id
    region_code: str = Field(pattern=r"^\d{6}$")
    term_start: date
    term_end: date
    fields: list[str] = Field(default_factory=list, max_length=8)
    yearly_cap: int = Field(20, ge=1, le=200)


class ExpertPatch(Schema):
    is_available: bool | None = None
    status: str | None = Field(None, pattern=r"^(active|suspended|removed)$")
    yearly_cap: int | None = Field(None, ge=1, le=200)


class DeclarationIn(Schema):
    avoid_org_ids: list[int] = Field(default_factory=list, max_length=50)
    avoid_profile_ids: list[int] = Field(default_factory=list, max_length=50)


class SharingIn(Schema):
    shares_experts: bool


class SharingOut(Schema):
    zone: str
    shares_experts: bool


class TierIn(Schema):
    code: str = Field(min_length=1, max_length=10)
    name: str = Field(min_length=1, max_length=30)


class ServiceIn(Schema):
    name: str = Field(min_length=1, max_length=40)
    detail: str = Field("", max_length=300)
    min_tier: str = Field(min_length=1, max_length=10)
    article: str = Field("", max_length=120)


class SchemeIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    region_code: str = Field(pattern=r"^\d{6}$")
    kind: str = Field("talent_card", pattern=r"^(talent_card|title|skill)$")
    description: str = Field("", max_length=2000)
    is_illustrative: bool = False
    tiers: list[TierIn] = Field(min_length=1, max_length=10)
    services: list[ServiceIn] = Field(default_factory=list, max_length=40)


class TierOut(Schema):
    code: str
    name: str
    rank: int


class ServiceOut(Schema):
    name: str
    detail: str
    min_rank: int
    article: str


class SchemeOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str
    region_name: str
    is_illustrative: bool
    description: str
    tiers: list[TierOut]
    services: list[ServiceOut]


class CardIn(Schema):
    profile_id: int = Id
    tier: str = Field(min_length=1, max_length=10)
    number: str = Field("", max_length=40)
    issued_on: date | None = None
    expires_on: date | None = None


class GrantIO(Schema):
    service: str = Field(min_length=1, max_length=40)
    article: str = Field(min_length=1, max_length=120)


class VersionOut(Schema):
    number: int
    effective_from: date
    effective_to: date | None
    min_rank: int
    note: str
    grants: list[GrantIO]


class AgreementOut(Schema):
    id: int
    title: str
    scheme_id: int
    scheme: str
    host_region_code: str
    host_region_name: str
    document: str
    versions: list[VersionOut]


class AgreementIn(Schema):
    scheme_id: int = Id
    host_region_code: str = Field(pattern=r"^\d{6}$")
    title: str = Field(min_length=1, max_length=120)
    document: str = Field("", max_length=200)


class VersionIn(Schema):
    effective_from: date
    effective_to: date | None = None
    min_tier: str = Field(min_length=1, max_length=10)
    grants: list[GrantIO] = Field(min_length=1, max_length=40)
    note: str = Field("", max_length=300)


class BenefitOut(Schema):
    service: str
    basis: str
    article: str
    version: int | None
    effective_from: date | None


class RecognitionOut(Schema):
    question: str
    scheme: str
    tier: str
    region_code: str
    region_name: str
    on: date
    at_home: bool
    benefits: list[BenefitOut]


class AppointmentIn(Schema):
    profile_id: int = Id
    host_org_id: int = Id
    role: str = Field(min_length=1, max_length=60)
    start_on: date
    end_on: date
    time_share: int = Field(ge=1, le=50)


class ConsentIn(Schema):
    consent: bool


class ProposalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field("", max_length=5000)
    applicant_name: str = Field(min_length=1, max_length=120)
    applicant_region: str = Field(pattern=r"^\d{6}$")
    credit_code: str = Field("", max_length=18)
    unsuitable: list[str] = Field(default_factory=list, max_length=3)


class RoundIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    region_code: str = Field(pattern=r"^\d{6}$")
    k: int = Field(ge=1, le=20)
    cap: int = Field(ge=0, le=100)
    mode: str = Field("random", pattern=r"^(random|optimal|fair|randomized)$")
    max_prob: float = Field(0.5, gt=0, le=1)
    seed: int | None = Field(None, ge=0, le=MAX_ID)
    window_years: int = Field(3, ge=0, le=10)
    min_other_region: int = Field(0, ge=0, le=20)
    max_same_region: int | None = Field(None, ge=0, le=20)
    application_ids: list[int] = Field(default_factory=list, max_length=500)
    achievement_ids: list[int] = Field(default_factory=list, max_length=500)
    proposals: list[ProposalIn] = Field(default_factory=list, max_length=500)


class SeatOut(Schema):
    id: int
    expert: str
    organisation: str
    region_name: str
    affinity: float
    probability: float | None
    reason: str
    status: str


class ExclusionOut(Schema):
    expert: str
    rules: list[str]


class ItemOut(Schema):
    id: int
    title: str
    source: str
    applicant: str
    applicant_region: str
    unsuitable: list[str]
    seats: list[SeatOut]
    exclusions: list[ExclusionOut]
    blocking: str


class RoundOut(Schema):
    id: int
    title: str
    region_name: str
    k: int
    cap: int
    mode: str
    mode_label: str
    seed: int | None
    status: str
    objective: float | None
    window_years: int
    min_other_region: int
    max_same_region: int | None


class RoundDetailOut(RoundOut):
    items: list[ItemOut]


class AnswerIn(Schema):
    accept: bool


class MySeatOut(Schema):
    id: int
    round: str
    item: str
    status: str
    reason: str
