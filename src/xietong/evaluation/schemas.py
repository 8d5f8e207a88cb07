"""Schemas of the evaluation API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict[str, Any]


class FrameworkOut(Schema):
    id: int
    name: str
    zone: str | None = None
    region: str | None = None
    scope_name: str
    preset: str
    base_year: int | None
    is_demo: bool
    version_count: int = 0
    dataset_count: int = 0
    run_count: int = 0
    created_at: datetime

    @staticmethod
    def resolve_zone(obj) -> str | None:
        return obj.zone.code if obj.zone_id else None

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region_id


class FrameworkPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[FrameworkOut]


class FrameworkVersionOut(Schema):
    number: int
    note: str
    table: list[dict[str, Any]]
    created_at: datetime


class FrameworkDetailOut(FrameworkOut):
    description: str
    latest_version: FrameworkVersionOut | None = None


class PresetIn(Schema):
    preset: str = Field(..., max_length=20, description="指数预设：yrd（长三角）或 jjj（京津冀）")
    zone: str = Field("", max_length=40, description="协同区代码（默认为预设所属协同区）")
    region: str = Field("", pattern=r"^(\d{6})?$", description="6 位区划代码（地区指数）")


class DatasetOut(Schema):
    id: int
    number: int
    name: str
    unit_count: int
    year_min: int | None
    year_max: int | None
    sources: dict[str, Any]
    is_demo: bool
    created_at: datetime


class RunOptionsIn(Schema):
    preset: str | None = Field(None, max_length=20, description="计算流程：cn-entropy、coinr、coinr-panel")
    weighting: str | None = Field(None, max_length=20, description="赋权：given、equal、entropy、critic")
    aggregation: str | None = Field(None, max_length=20, description="加总：arithmetic、geometric")
    base_year: int | None = Field(None, ge=1900, le=2200)
    coupling_form: str | None = Field(None, max_length=20, description="耦合度：normative、modified")
    sensitivity_runs: int | None = Field(None, ge=0, le=200)
    sensitivity_method: str | None = Field(
        None, max_length=10, description="敏感性分析：ua（排名区间）、sobol"
    )


class RunIn(RunOptionsIn):
    dataset_id: int | None = Field(None, ge=1, le=MAX_ID)
    version: int | None = Field(None, ge=1, le=100_000)


class RunOut(Schema):
    id: int
    framework_id: int
    framework_name: str
    number: int
    framework_version: int
    dataset_number: int
    status: str
    progress: int
    message: str
    is_published: bool
    created_at: datetime
    finished_at: datetime | None
    rerun_of_id: int | None

    @staticmethod
    def resolve_framework_name(obj) -> str:
        return obj.framework.name

    @staticmethod
    def resolve_framework_version(obj) -> int:
        return obj.framework_version.number

    @staticmethod
    def resolve_dataset_number(obj) -> int:
        return obj.dataset.number


class RunDetailOut(RunOut):
    options: dict[str, Any]
    error: dict[str, Any]


class RunPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[RunOut]


class PublishIn(Schema):
    publish: bool = True
