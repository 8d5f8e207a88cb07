"""API schemas of the marketplace."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from xietong.orgs.schemas import ErrorOut, ImportReportOut  # noqa: F401 - shared shapes


class Brief(Schema):
    id: int
    name: str


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    masked: bool


class _ListingOut(Schema):
    id: int
    title: str
    keywords: list[str]
    industry: str
    transfer_modes: list[str]
    owner: Brief
    region: str
    region_name: str
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_transfer_modes(obj) -> list[str]:
        return obj.mode_codes

    @staticmethod
    def resolve_owner(obj) -> dict:
        return {"id": obj.owner_id, "name": obj.owner.name}

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name


class AchievementOut(_ListingOut):
    summary: str
    innovation_points: str
    trl: int
    ip_type: str
    patent_numbers: str
    price_fen: int


class DemandOut(_ListingOut):
    problem: str
    indicators: str
    basis: str
    trl_min: int | None
    budget_fen: int
    deadline: dt.date | None


class AchievementDetailOut(AchievementOut):
    contact: ContactOut


class DemandDetailOut(DemandOut):
    contact: ContactOut


class AchievementPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[AchievementOut]


class DemandPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[DemandOut]


class _ListingIn(Schema):
    owner_id: int | None = None
    title: str = Field(max_length=120)
    keywords: list[str] = Field(default_factory=list, max_length=12)
    industry: str = Field(max_length=20)
    transfer_modes: list[str] = Field(max_length=4)
    contact_name: str = Field(max_length=40)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)


class AchievementIn(_ListingIn):
    summary: str = Field(max_length=4000)
    innovation_points: str = Field("", max_length=2000)
    trl: int = Field(ge=1, le=9)
    ip_type: str = Field(max_length=20)
    patent_numbers: str = Field("", max_length=300)
    price_fen: int = Field(0, ge=0, le=10**15)


class DemandIn(_ListingIn):
    problem: str = Field(max_length=4000)
    indicators: str = Field("", max_length=2000)
    basis: str = Field("", max_length=2000)
    trl_min: int | None = Field(None, ge=1, le=9)
    budget_fen: int = Field(0, ge=0, le=10**15)
    deadline: dt.date | None = None


class ListingPatch(Schema):
    """Fields to change; anything left out keeps its value (the owner and region never change)."""

    title: str | None = Field(None, max_length=120)
    keywords: list[str] | None = Field(None, max_length=12)
    industry: str | None = Field(None, max_length=20)
    transfer_modes: list[str] | None = Field(None, max_length=4)
    contact_name: str | None = Field(None, max_length=40)
    contact_phone: str | None = Field(None, max_length=30)
    contact_email: str | None = Field(None, max_length=254)
    summary: str | None = Field(None, max_length=4000)
    innovation_points: str | None = Field(None, max_length=2000)
    trl: int | None = Field(None, ge=1, le=9)
    ip_type: str | None = Field(None, max_length=20)
    patent_numbers: str | None = Field(None, max_length=300)
    price_fen: int | None = Field(None, ge=0, le=10**15)
    problem: str | None = Field(None, max_length=4000)
    indicators: str | None = Field(None, max_length=2000)
    basis: str | None = Field(None, max_length=2000)
    trl_min: int | None = Field(None, ge=1, le=9)
    budget_fen: int | None = Field(None, ge=0, le=10**15)
    deadline: dt.date | None = None


class SuggestionOut(Schema):
    id: int
    title: str
    owner: str
    region_name: str
    score: float
    reasons: str
    recommendation_id: int | None
    unmet: list[str] = []  # hard requirements broken (only with strict=false)


class IntentIn(Schema):
    message: str = Field("", max_length=1000)
    from_org_id: int | None = None


class AnswerIn(Schema):
    accept: bool
    reply: str = Field("", max_length=300)


class PartyContactOut(Schema):
    name: str
    phone: str
    email: str


class IntentContactsOut(Schema):
    maker: PartyContactOut
    publisher: PartyContactOut


class IntentOut(Schema):
    id: int
    kind: str
    listing_id: int
    listing_title: str
    from_org: Brief
    to_org: Brief
    status: str
    message: str
    reply: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    contacts: IntentContactsOut | None = Field(None, description="双方联系方式：意向被接受后仅双方可见")

    @staticmethod
    def resolve_kind(obj) -> str:
        return str(obj.target_kind)

    @staticmethod
    def resolve_listing_id(obj) -> int:
        return obj.target.pk

    @staticmethod
    def resolve_listing_title(obj) -> str:
        return obj.target.title

    @staticmethod
    def resolve_from_org(obj) -> dict:
        return {"id": obj.from_org_id, "name": obj.from_org.name}

    @staticmethod
    def resolve_to_org(obj) -> dict:
        return {"id": obj.to_org_id, "name": obj.to_org.name}


class AcceptanceListIn(Schema):
    title: str = Field(max_length=120)
    region: str = Field("", pattern=r"^(\d{6})?$")
    publisher_id: int | None = None
    industries: list[str] = Field(max_length=14)
    keywords: list[str] = Field(default_factory=list, max_length=12)
    trl_min: int | None = Field(None, ge=1, le=9)
    conditions: str = Field("", max_length=2000)
    incentives: str = Field("", max_length=2000)


class AcceptanceListOut(Schema):
    id: int
    title: str
    region: str
    publisher: str
    industries: list[str]
    keywords: list[str]
    trl_min: int | None
    conditions: str
    incentives: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_publisher(obj) -> str:
        return obj.publisher.name if obj.publisher else ""


class ContractIn(Schema):
    registration_no: str = Field(max_length=40)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=12)
    seller_name: str = Field(max_length=120)
    seller_region: str = Field(max_length=60)
    seller_credit_code: str = Field("", max_length=18)
    buyer_name: str = Field(max_length=120)
    buyer_region: str = Field(max_length=60)
    buyer_credit_code: str = Field("", max_length=18)
    amount_fen: int = Field(gt=0, le=10**15)
    tech_amount_fen: int = Field(ge=0, le=10**15)
    signed_on: dt.date
    intent_id: int | None = None


class ContractOut(Schema):
    id: int
    registration_no: str
    title: str
    kind: str
    seller_name: str
    seller_region: str
    buyer_name: str
    buyer_region: str
    amount_fen: int
    tech_amount_fen: int
    signed_on: dt.date

    @staticmethod
    def resolve_seller_region(obj) -> str:
        return obj.seller_region_id

    @staticmethod
    def resolve_buyer_region(obj) -> str:
        return obj.buyer_region_id


class ContractPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ContractOut]


class FlowEdgeOut(Schema):
    source: str
    target: str
    source_name: str
    target_name: str
    contracts: int
    amount_fen: int
    tech_amount_fen: int


class FlowsOut(Schema):
    level: str
    edges: list[FlowEdgeOut]
    years: list[int]
    series: dict[str, list[int]]
    total_fen: int
    total_tech_fen: int
    contracts: int


class FeedbackIn(Schema):
    verdict: str = Field(pattern=r"^(useful|irrelevant|contacted)$")


class FeedbackOut(Schema):
    id: int
    rank: int
    feedback: str


class MetricRow(Schema):
    rank: int
    shown: int
    clicked: int
    useful: int
    irrelevant: int
    contacted: int
    click_rate: float
    useful_rate: float
    contact_rate: float
    irrelevant_rate: float
