from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class RegionBrief(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    kind_label: str
    region: RegionBrief
    industry: str
    industry_label: str
    is_high_tech: bool
    is_tech_sme: bool
    is_little_giant: bool
    status: str
    status_label: str
    address: str
    website: str
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_industry_label(obj) -> str:
        return obj.get_industry_display() if obj.industry else ""

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_region(obj) -> dict:
        return {"code": obj.region.code, "name": obj.region.name}


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    masked: bool


class OrganisationDetailOut(OrganisationOut):
    description: str
    review_note: str
    contact: ContactOut


class OrganisationPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[OrganisationOut]


class OrganisationIn(Schema):
    name: str = Field(max_length=120)
    credit_code: str = Field(max_length=40)
    kind: str = Field(max_length=40)
    region: str = Field(max_length=60, description="6 位区划代码或完整名称")
    industry: str = Field("", max_length=40)
    is_high_tech: bool = False
    is_tech_sme: bool = False
    is_little_giant: bool = False
    address: str = Field("", max_length=200)
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=4000)
    contact_name: str = Field("", max_length=40)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)


class RegistrationIn(OrganisationIn):
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)
    display_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class OrganisationPatch(Schema):
    name: str | None = Field(None, max_length=120)
    industry: str | None = Field(None, max_length=40)
    is_high_tech: bool | None = None
    is_tech_sme: bool | None = None
    is_little_giant: bool | None = None
    address: str | None = Field(None, max_length=200)
    website: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000)
    contact_name: str | None = Field(None, max_length=40)
    contact_phone: str | None = Field(None, max_length=30)
    contact_email: str | None = Field(None, max_length=254)


class RenameRequestOut(Schema):
    id: int
    name: str
    pending_name: str
    region: RegionBrief

    @staticmethod
    def resolve_region(obj) -> dict:
        return {"code": obj.region.code, "name": obj.region.name}


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


class SuspendIn(Schema):
    # the service refuses more than 300 characters with its own message; this bound only stops oversized bodies
    note: str = Field(
        "", max_length=2000, description="理由：暂停时必填（机构成员可见），恢复时选填；不超过 300 个字符"
    )


class SuspensionOut(OrganisationOut):
    note: str = Field(description="暂停理由（恢复后为恢复说明）")
    suspended_at: datetime | None = Field(description="暂停时间（未暂停时为空）")

    @staticmethod
    def resolve_note(obj) -> str:
        return obj.review_note


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    ok: bool
    total_rows: int
    created: int
    bad_rows: list[int]
    errors: list[RowErrorOut]


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict
