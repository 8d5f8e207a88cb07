"""Regions and zones API: two routers, mounted at /api/v1/regions and /api/v1/zones."""

from __future__ import annotations

from ninja import Query, Router, Status

from xietong.core.api import AUTH
from xietong.regions import selectors, services
from xietong.regions.schemas import (
    ErrorOut,
    RegionDetailOut,
    RegionOut,
    RegionQuery,
    ZoneDetailOut,
    ZoneIn,
    ZoneMembersIn,
    ZoneOut,
)

router = Router(tags=["regions"])
zones_router = Router(tags=["zones"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("", response={200: list[RegionOut], **ERRORS}, summary="查找行政区划（名称、拼音、首字母或代码）")
def region_lookup(request, query: Query[RegionQuery]):
    return selectors.region_lookup(q=query.q, level=query.level, parent=query.parent, limit=query.limit)


@router.get(
    "/{code}", response={200: RegionDetailOut, **ERRORS}, summary="行政区划详情（含上级、下级与所属协同区）"
)
def region_detail(request, code: str):
    return selectors.region_get(code)


@zones_router.get("", response={200: list[ZoneOut], **ERRORS}, summary="协同区列表")
def zone_list(request):
    return selectors.zone_list()


@zones_router.get("/{code}", response={200: ZoneDetailOut, **ERRORS}, summary="协同区详情（含成员）")
def zone_detail(request, code: str):
    return selectors.zone_get(zone_id_or_code=code)


@zones_router.post("", response={201: ZoneDetailOut, **ERRORS}, auth=AUTH, summary="创建协同区（平台管理员）")
def zone_create(request, payload: ZoneIn):
    return Status(201, services.zone_create(actor=request.actor, **payload.dict()))


@zones_router.put(
    "/{code}/members",
    response={200: ZoneDetailOut, **ERRORS},
    auth=AUTH,
    summary="替换协同区成员（平台管理员）",
)
def zone_update_members(request, code: str, payload: ZoneMembersIn):
    zone = selectors.zone_get(zone_id_or_code=code)
    return services.zone_update_members(
        actor=request.actor, zone_id=zone.pk, member_codes=payload.member_codes
    )
