"""ninja in/out schemas of the resources API (money in 分, times ISO 8601 with time zone)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from xietong.core.ids import MAX_ID
from xietong.orgs.schemas import ErrorOut, ImportReportOut, RegionBrief  # noqa: F401 - re-exported


class OrgBrief(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    children: list[CategoryOut] = []


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    category: str
    category_name: str
    owner: OrgBrief
    region: RegionBrief
    model_number: str
    manufacturer: str
    open_status: str
    open_status_label: str
    is_cma: bool
    is_cnas: bool
    list_price_fen: int | None
    price_unit: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_owner(obj) -> dict:
        return {"id": obj.owner_id, "name": obj.owner.name}

    @staticmethod
    def resolve_region(obj) -> dict:
        return {"code": obj.region.code, "name": obj.region.name}

    @staticmethod
    def resolve_open_status_label(obj) -> str:
        return obj.get_open_status_display()


class ResourceDetailOut(ResourceOut):
    specs: str
    description: str
    address: str
    asset_code: str
    original_value_fen: int | None
    capacity: int
    advance_days: int
    min_notice_hours: int
    max_booking_hours: int
    requires_approval: bool
    free_cancel_hours: int
    late_cancel_percent: int
    no_show_percent: int
    recognised_zones: list[str]
    lng: float | None
    lat: float | None

    @staticmethod
    def resolve_recognised_zones(obj) -> list[str]:
        return [z.code for z in obj.recognised_zones.all()]


class ResourcePage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ResourceOut]


class MapPointOut(Schema):
    code: str
    name: str
    lng: float
    lat: float
    count: int


class ResourceIn(Schema):
    owner_id: int = Field(ge=1, le=MAX_ID)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=20)
    category: str = Field(max_length=60)
    region: str = Field("", max_length=60)
    model_number: str = Field("", max_length=80)
    manufacturer: str = Field("", max_length=80)
    original_value: str = Field("", max_length=20, description="原值（元）")
    specs: str = Field("", max_length=4000)
    description: str = Field("", max_length=4000)
    address: str = Field("", max_length=200)
    asset_code: str = Field("", max_length=40)
    open_status: str = Field("open", max_length=20)
    is_cma: bool = False
    is_cnas: bool = False
    recognised_zones: list[str] = Field([], max_length=20)
    capacity: int = Field(1, ge=1, le=1000)
    advance_days: int = Field(30, ge=1, le=365)
    min_notice_hours: int = Field(2, ge=0, le=720)
    max_booking_hours: int = Field(12, ge=1, le=24)
    requires_approval: bool = True
    free_cancel_hours: int = Field(24, ge=0, le=720)
    late_cancel_percent: int = Field(30, ge=0, le=100)
    no_show_percent: int = Field(100, ge=0, le=100)
    lng: float | None = Field(None, ge=73, le=136)
    lat: float | None = Field(None, ge=3, le=54)


class ResourcePatch(Schema):
    name: str | None = Field(None, max_length=120)
    category: str | None = Field(None, max_length=60)
    model_number: str | None = Field(None, max_length=80)
    manufacturer: str | None = Field(None, max_length=80)
    specs: str | None = Field(None, max_length=4000)
    description: str | None = Field(None, max_length=4000)
    address: str | None = Field(None, max_length=200)
    open_status: str | None = Field(None, max_length=20)
    is_cma: bool | None = None
    is_cnas: bool | None = None
    recognised_zones: list[str] | None = Field(None, max_length=20)
    capacity: int | None = Field(None, ge=1, le=1000)
    advance_days: int | None = Field(None, ge=1, le=365)
    min_notice_hours: int | None = Field(None, ge=0, le=720)
    max_booking_hours: int | None = Field(None, ge=1, le=24)
    requires_approval: bool | None = None
    free_cancel_hours: int | None = Field(None, ge=0, le=720)
    late_cancel_percent: int | None = Field(None, ge=0, le=100)
    no_show_percent: int | None = Field(None, ge=0, le=100)


class TierIn(Schema):
    customer_class: str = Field(max_length=20)
    weekdays: str = Field("1234567", max_length=7)
    start: str = Field("00:00", max_length=5)
    end: str = Field("24:00", max_length=5)
    unit_price_fen: int = Field(ge=0, le=10**10)


class PriceListIn(Schema):
    unit: str = Field(max_length=10)
    minimum_charge_fen: int = Field(0, ge=0, le=10**10)
    rounding: str = Field("fen", max_length=6)
    increment_minutes: int = Field(30, ge=1, le=240)
    valid_from: date | None = None
    tiers: list[TierIn] = Field(max_length=40)


class PriceRowOut(Schema):
    class_: str = Field(alias="class")
    class_label: str
    weekdays: str
    window: str
    unit_price_fen: int
    unit: str
    minimum_charge_fen: int


class QuoteOut(Schema):
    customer_id: int
    customer_class: str
    amount_fen: int
    unit: str
    unit_price_fen: int
    minutes: int | None
    samples: int | None


class HoursIn(Schema):
    weekday: int = Field(ge=1, le=7)
    start: str = Field(max_length=5)
    end: str = Field(max_length=5)


class MaintenanceIn(Schema):
    starts_at: datetime
    ends_at: datetime
    reason: str = Field("", max_length=120)


class CalendarDayOut(Schema):
    day: date
    opening: list[list[str]]
    maintenance: list[dict]
    bookings: list[dict]


class BookingIn(Schema):
    starts_at: datetime
    ends_at: datetime
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=500)


class SampleOrderIn(Schema):
    samples: int = Field(ge=1, le=1000)
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=500)


class OrderOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    status_label: str
    resource: OrgBrief
    provider: OrgBrief
    customer: OrgBrief
    customer_class: str
    starts_at: datetime | None
    ends_at: datetime | None
    sample_count: int | None
    quoted_fen: int
    actual_fen: int | None
    payable_fen: int
    cancellation_fee_fen: int
    has_report: bool
    early_reason: str = Field("", description="预约时段之前服务的理由（服务方填写）")
    created_at: datetime
    completed_at: datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_resource(obj) -> dict:
        return {"id": obj.resource_id, "name": obj.resource.name}

    @staticmethod
    def resolve_provider(obj) -> dict:
        return {"id": obj.provider_id, "name": obj.provider.name}

    @staticmethod
    def resolve_customer(obj) -> dict:
        return {"id": obj.customer_id, "name": obj.customer.name}

    @staticmethod
    def resolve_has_report(obj) -> bool:
        return bool(obj.report)


class OrderPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[OrderOut]


class ReasonIn(Schema):
    reason: str = Field("", max_length=300)


class EarlyIn(Schema):
    early_reason: str = Field("", max_length=300, description="在预约时段开始之前服务时必填：提前服务的理由")


class UsageIn(Schema):
    minutes: int | None = Field(None, ge=1, le=1440)
    samples: int | None = Field(None, ge=1, le=1000)
