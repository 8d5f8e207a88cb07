"""Personal API tokens: `xt_` + 40 random characters; the database keeps only a hash.

The secret exists once: in the response that creates the token (the API's 201 body, or the account page
rendered by that POST). It is never put in a session, a message cookie or a log.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.core.models import ApiToken

PREFIX = "xt_"
MAX_ACTIVE_TOKENS = 20


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _owner(user) -> Actor:
    return Actor(user_id=user.pk, username=user.get_username())


def token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own active tokens, newest first (never anyone else's)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-id"
    )  # tenancy-ok: the user's own tokens


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    name = " ".join(str(name or "").split())
    if not 1 <= len(name) <= 80:
        raise Invalid(_("请填写令牌名称（不超过 80 个字符）"), field="name")
    if token_list(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _("每个账号最多 %(MAX_ACTIVE_TOKENS)s 个有效令牌，请先吊销不用的令牌")
            % {"MAX_ACTIVE_TOKENS": MAX_ACTIVE_TOKENS}
        )
    secret = PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(  # tenancy-ok: issuing a token for the signed-in user
        user=user, name=name, prefix=secret[:10], token_hash=_digest(secret)
    )
    audit.record(actor=_owner(user), verb="api_token.created", target=token, data={"name": name})
    return token, secret


def token_user(secret: str):
    """The active user a presented token belongs to, or None; touches last_used_at at most once a minute."""
    if not secret or not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related(
            "user"
        )  # tenancy-ok: authentication: resolving a bearer token before any actor exists
        .filter(token_hash=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(
            last_used_at=now
        )  # tenancy-ok: stamping the token that just authenticated
    return token.user


@transaction.atomic
def token_revoke(*, user, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own active tokens; None when there is no such token (someone else's too)."""
    token = token_list(user=user).select_for_update().filter(pk=token_id).first()
    if token is None:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=_owner(user), verb="api_token.revoked", target=token, data={"name": token.name})
    return token
