"""Login compares canonical usernames (core.usernames), and login throttling counts them the same way."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from xietong.core.usernames import canonical_username


class CanonicalUsernameBackend(ModelBackend):
    """`ADMIN`, `ａｄｍｉｎ` and `admin` + a zero-width space all sign in as `admin`, and only as `admin`.

    Django's ModelBackend stays after it in AUTHENTICATION_BACKENDS, so an account made before usernames
    were canonical (for example by `createsuperuser`) still signs in with its name exactly as stored.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        return super().authenticate(request, username=canonical_username(username), password=password)


def throttle_username(request, credentials) -> str:
    """django-axes counts failures per canonical username, so case or width variants share one counter."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return canonical_username(raw or "")
