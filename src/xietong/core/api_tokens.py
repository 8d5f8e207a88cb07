"""The caller's own identity and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from xietong.core import tokens
from xietong.core.api import AUTH, SessionActorAuth
from xietong.core.errors import NotFound

router = Router(tags=["me"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    is_platform_admin: bool
    organisation_ids: list[int]
    verified_organisation_ids: list[int]
    bureau_region_count: int
    zone_ids: list[int]


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str


@router.get("", response=MeOut, auth=AUTH, summary="当前用户与角色")
def me(request):
    a = request.actor
    return {
        "username": a.username, "display_name": a.display_name, "roles": sorted(a.roles),
        "is_platform_admin": a.is_platform_admin, "organisation_ids": sorted(a.organisation_ids),
        "verified_organisation_ids": sorted(a.acting_organisation_ids),
        "bureau_region_count": len(a.bureau_region_codes), "zone_ids": sorted(a.zone_ids),
    }  # fmt: skip


@router.get("/tokens", response=list[TokenOut], auth=AUTH, summary="我的 API 令牌")
def list_tokens(request):
    return list(tokens.token_list(user=request.user))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=[SessionActorAuth()],
    summary="创建 API 令牌（仅浏览器会话）",
)
def create_token(request, payload: TokenIn):
    token, secret = tokens.token_create(user=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "secret": secret})


@router.delete("/tokens/{int:token_id}", response={204: None}, auth=AUTH, summary="吊销 API 令牌")
def revoke_token(request, token_id: int):
    if not tokens.token_revoke(user=request.user, token_id=token_id):
        raise NotFound(_("令牌不存在"))
    return Status(204, None)
