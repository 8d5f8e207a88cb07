"""ninja schemas of the chains API."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID
from xietong.orgs.schemas import ErrorOut, ImportReportOut  # noqa: F401 - shared shapes

CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
REGION = r"^\d{6}$"


class ChainOut(Schema):
    code: str
    name: str
    industry: str
    description: str
    version: int
    segment_count: int = 0


class SegmentOut(Schema):
    id: int
    code: str
    name: str
    stage: str
    parent: str
    upstream: list[str]
    description: str
    keywords: list[str]
    tech_fields: list[str]


class ChainDetailOut(ChainOut):
    source: str
    segments: list[SegmentOut]


class ScopeQuery(Schema):
    zone: str = Field("", max_length=40, description="协同区代码，如 chengyu；默认为当前用户所在协同区")
    region: str = Field("", pattern=r"^(\d{6})?$", description="6 位区划代码（协同区成员或其下级）")


class GapQuery(ScopeQuery):
    chain: str = Field("", max_length=40, description="产业链代码；留空为全部产业链")
    recommendations: bool = True


class MapRowOut(Schema):
    id: int
    code: str
    name: str
    stage: str
    stage_label: str
    parent: str
    rca: float
    count: float
    band: str
    present_members: int
    zone_count: float
    gap: str


class ChainMapOut(Schema):
    chain: str
    zone: str
    region: str
    region_name: str
    segments: list[MapRowOut]


class RecommendationOut(Schema):
    what: str
    what_label: str
    name: str
    region_name: str
    region_code: str
    score: float
    reason: str
    url: str
    object_id: int | None


class GapOut(Schema):
    kind: str
    kind_label: str
    chain_code: str
    chain_name: str
    segment_code: str
    segment_name: str
    stage: str
    rca: float
    count: float
    density: float
    reason: str
    recommendations: list[RecommendationOut]


class ThresholdsOut(Schema):
    strong_rca: float
    strong_min_orgs: float
    weak_rca: float
    extend_density_quantile: float


class ThresholdsIn(Schema):
    zone: str = Field(..., max_length=40)
    strong_rca: float | None = Field(None, gt=0, le=100)
    strong_min_orgs: float | None = Field(None, ge=0, le=1_000_000)
    weak_rca: float | None = Field(None, ge=0, le=100)
    extend_density_quantile: float | None = Field(None, ge=0, le=1)


class GapReportOut(Schema):
    zone: str
    region: str
    region_name: str
    thresholds: ThresholdsOut
    gaps: list[GapOut]


class ZoneListQuery(Schema):
    zone: str = Field(..., max_length=40, description="协同区代码，如 chengyu")
    chain: str = Field("", max_length=40, description="产业链代码；留空为第一条产业链")


class MemberMarkOut(Schema):
    code: str
    name: str
    rca: float
    count: float


class ZoneSegmentOut(Schema):
    segment_code: str
    segment_name: str
    stage: str
    stage_label: str
    zone_kind: str
    zone_kind_label: str
    zone_reason: str
    lacking: list[MemberMarkOut]
    strong: list[MemberMarkOut]
    extending: list[MemberMarkOut]
    recommendations: list[RecommendationOut]


class ZoneListOut(Schema):
    zone: str
    zone_name: str
    chain: str
    chain_name: str
    thresholds: ThresholdsOut
    segments: list[ZoneSegmentOut]


class OrgLinkOut(Schema):
    organisation_id: int
    organisation: str
    region: str
    region_name: str
    member: str
    role: str


class SegmentDetailOut(Schema):
    chain: str
    code: str
    name: str
    stage: str
    description: str
    keywords: list[str]
    members: list[dict]
    organisations: list[OrgLinkOut]


class AttachmentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    chain: str
    segment_id: int
    segment_code: str
    segment: str
    region: str
    role: str
    source: str
    status: str
    is_bureau_confirmed: bool
    score: float
    reason: str


class AttachmentIn(Schema):
    org_id: int = Field(..., ge=1, le=MAX_ID)
    segment_id: int = Field(..., ge=1, le=MAX_ID)
    role: str = Field("primary", pattern="^(primary|secondary)$")


class SuggestIn(Schema):
    org_id: int = Field(..., ge=1, le=MAX_ID)


class MeasureIn(Schema):
    year: int = Field(..., ge=1990, le=2100)
    revenue_wan: str = Field("", max_length=20, description="营业收入（万元），不能为负")
    employees: str = Field("", max_length=10, description="从业人员（人），不能为负")
    output_wan: str = Field("", max_length=20, description="产值（万元），不能为负")


class MeasureOut(Schema):
    year: int
    revenue_fen: int | None
    employees: int | None
    output_fen: int | None


class MilestoneIn(Schema):
    zone: str = Field(..., max_length=40)
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    segment_code: str = Field("", max_length=40)
    responsible: list[str] = Field(..., min_length=1, max_length=50)


class MilestoneOut(Schema):
    id: int
    year: int
    title: str
    description: str
    zone: str
    segment: str
    responsible: list[str]


class DashboardOut(Schema):
    zone: str
    members: list[dict]
    completeness: list[dict]
    complementarity: list[list[float]]


class RegionMapOut(Schema):
    zone: str
    region: str
    region_name: str
    chains: list[dict]
