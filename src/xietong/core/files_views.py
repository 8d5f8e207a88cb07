"""Public media served by Django where no proxy serves MEDIA_URL (development, tests, a one-machine install)."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from xietong.core import files
from xietong.core.errors import NotFound


@require_GET
def public_media(request, name: str):
    try:
        return files.public_media_response(name)
    except NotFound as exc:
        raise Http404(exc.message) from exc
