"""Shapes of the sharing API (ids bounded by core.ids.MAX_ID, amounts in 分)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID
from xietong.orgs.schemas import ErrorOut, ImportReportOut  # noqa: F401 - shared shapes

PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"


class PartyOut(Schema):
    code: str
    name: str


class VersionOut(Schema):
    id: int
    number: int
    status: str
    effective_from: str | None
    effective_to: str | None
    rules: list[dict[str, Any]]
    note: str


class AgreementOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    park_name: str
    host_region: str
    parties: list[PartyOut]


class AgreementDetailOut(AgreementOut):
    versions: list[VersionOut]


class AgreementIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., max_length=12)
    park_name: str = Field(..., min_length=1, max_length=120)
    host_region: str = Field(..., pattern=r"^\d{6}$")
    parties: list[str] = Field(..., min_length=2, max_length=10)
    description: str = Field("", max_length=2000)


class RuleIn(Schema):
    revenue_type: str = Field("*", max_length=16)
    method: str = Field(..., max_length=20)
    ratios: dict[str, float | int | str]
    base_period: str | None = Field(None, max_length=7)
    host: str | None = Field(None, max_length=6)


class DraftIn(Schema):
    rules: list[RuleIn] = Field(..., min_length=1, max_length=20)
    note: str = Field("", max_length=200)


class AdoptIn(Schema):
    effective_from: str = Field(..., pattern=PERIOD)
    effective_to: str = Field("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")


class WhatIfIn(Schema):
    rules: list[RuleIn] = Field(..., min_length=1, max_length=20)
    periods: list[str] = Field(..., min_length=1, max_length=120)


class WhatIfRow(Schema):
    period: str
    party: str
    settled_fen: int
    draft_fen: int


class EnterpriseIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    origin: str = Field(..., pattern=r"^\d{6}$")
    entry_date: str = Field(..., pattern=r"^\d{4}-\d{2}-\d{2}$")
    credit_code: str = Field("", max_length=18)
    baseline_fen: int | None = Field(None, ge=0, le=10**15)
    relocation_start: str = Field("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")
    relocation_cap_fen: int | None = Field(None, ge=0, le=10**15)


class EnterpriseOut(Schema):
    id: int
    name: str
    origin: str
    entry_date: str


class RecordRow(Schema):
    enterprise: str = Field(..., max_length=120)
    revenue_type: str = Field(..., max_length=20)
    period: str = Field(..., max_length=10)
    amount: str = Field(..., max_length=30, description="金额（元），最多两位小数")


class RecordsIn(Schema):
    rows: list[RecordRow] = Field(..., min_length=1, max_length=10_000)


class RecordOut(Schema):
    id: int
    enterprise: str
    revenue_type: str
    period: str
    amount_fen: int
    version: int
    is_current: bool


class SettleIn(Schema):
    period: str = Field("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")


class LineOut(Schema):
    party: str
    revenue_type: str
    part: str
    amount_fen: int
    posted_fen: int


class SettlementOut(Schema):
    id: int
    period: str
    revision: int
    version: int
    entry_id: int | None
    adjusts_id: int | None
    records: int
    lines: list[LineOut] = []


class IncomeRow(Schema):
    agreement: str
    code: str
    party: str
    period: str
    revenue_type: str
    total_fen: int


class StatementOut(Schema):
    agreement: str
    party: str
    year: str
    total_fen: int
    by_type: dict[str, int]
    summary: list[dict[str, Any]]


IdPath = Field(..., ge=1, le=MAX_ID)
