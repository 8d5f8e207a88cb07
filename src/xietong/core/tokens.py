"""Personal API tokens: `xt_` + 40 random characters; the database keeps only a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from xietong.core.models import ApiToken

PREFIX = "xt_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(  # tenancy-ok: issuing a token for the signed-in user
        user=user, name=name[:80] or "token", prefix=secret[:10], token_hash=_digest(secret)
    )
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


def token_revoke(*, user, token_id: int) -> bool:
    return bool(
        ApiToken.objects.filter(
            pk=token_id, user=user, revoked_at__isnull=True
        ).update(  # tenancy-ok: revoking one of the user's own tokens (filtered by user)
            revoked_at=timezone.now()
        )
    )
