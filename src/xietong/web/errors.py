"""Pages render a DomainError as its Chinese message with its status, never a 500."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render

from xietong.core.errors import DomainError


def domain_errors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "web/error.html", {"error": exc}, status=exc.status)

    return wrapper
