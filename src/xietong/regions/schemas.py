from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, field_validator

from xietong.regions import selectors

# The values of enums.RegionLevel (a test keeps the two in step).
Level = Literal["province", "prefecture", "county"]

REGION_CODE = r"^[1-9][0-9]{5}$"
# A member code is checked by the service, which names every unknown code in its 400 answer.
MemberCode = Annotated[str, Field(min_length=1, max_length=12)]


def _printable(value: str | None) -> str | None:
    """Refuse NUL and other control characters (PostgreSQL cannot store NUL); newlines and tabs are fine."""
    if value and any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValueError("contains control characters")
    return value


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict


class RegionQuery(Schema):
    q: str = Field(
        "",
        max_length=40,
        description="名称、简称、拼音、拼音首字母或区划代码前缀，如 昆山 / kunshan / ks / 3205",
    )
    level: Level | None = Field(
        None, description="只返回该层级：province 省级 / prefecture 地级 / county 县级"
    )
    parent: str | None = Field(None, pattern=REGION_CODE, description="只在该地区之下查找（6 位区划代码）")
    limit: int = Field(20, ge=1, le=100, description="最多返回条数（1–100）")

    _q_printable = field_validator("q")(_printable)


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    level_label: str
    parent_code: str | None = Field(None, alias="parent_id")
    lng: float | None
    lat: float | None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class RegionBriefOut(Schema):
    code: str
    name: str
    short_name: str
    level: str


class ZoneBriefOut(Schema):
    code: str
    name: str
    short_name: str


class RegionDetailOut(RegionOut):
    pinyin: str
    pinyin_initials: str
    parent: RegionBriefOut | None
    children: list[RegionBriefOut]
    zones: list[ZoneBriefOut] = Field(description="覆盖该地区的协同区（成员为该地区或其上级）")

    @staticmethod
    def resolve_children(obj) -> list:
        return selectors.region_children(obj.code)

    @staticmethod
    def resolve_zones(obj) -> list:
        return selectors.zones_for_region(obj.code)


class ZoneOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    color: str
    description: str
    source: str
    member_count: int

    @staticmethod
    def resolve_member_count(obj) -> int:
        count = getattr(obj, "member_count", None)
        return count if count is not None else obj.memberships.count()


class ZoneMemberOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None = Field(None, alias="parent_id")
    lng: float | None
    lat: float | None


class ZoneDetailOut(ZoneOut):
    members: list[ZoneMemberOut]
    region_count: int = Field(description="成员及其下级地区的总数")

    @staticmethod
    def resolve_members(obj) -> list:
        return selectors.zone_members(obj)

    @staticmethod
    def resolve_region_count(obj) -> int:
        return len(selectors.zone_region_codes(obj))


class ZoneIn(Schema):
    code: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{1,39}$", description="协同区代码（小写字母、数字、连字符）"
    )
    name: str = Field(min_length=1, max_length=80)
    short_name: str = Field(min_length=1, max_length=30)
    description: str = Field("", max_length=2000)
    source: str = Field("", max_length=200)
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    member_codes: list[MemberCode] = Field(
        min_length=1, max_length=500, description="成员地区的 6 位区划代码"
    )

    _printable_fields = field_validator("name", "short_name", "description", "source")(_printable)


class ZoneMembersIn(Schema):
    member_codes: list[MemberCode] = Field(
        min_length=1, max_length=500, description="成员地区的 6 位区划代码（整体替换）"
    )
