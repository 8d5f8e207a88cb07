from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from xietong.core.actor import actor_for
from xietong.core.errors import DomainError


class ActorMiddleware:
    """Attach `request.actor`, resolved lazily so static and public pages pay nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
        return self.get_response(request)


# Found by name through the template loader: the web app ships it with the site's base layout.
ERROR_TEMPLATE = "web/error.html"


class DomainErrorPageMiddleware:
    """A page whose view raises a DomainError shows its Chinese message with its status, never a 500.

    One place instead of a decorator on every view; the view's own transaction has already rolled back
    when the exception reaches here. The API renders the same errors as JSON through its own handler.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(request, ERROR_TEMPLATE, {"error": exception}, status=exception.status)
        return None


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """简体中文 unless the user chose another language with the switch (the language cookie).

    The platform's users are Chinese agencies whose browsers often send `en-US` (or nothing useful);
    following Accept-Language would show them English by accident, so only an explicit choice counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class OutOfRangeIdMiddleware:
    """A page URL with an id beyond the database's integer range is a 404, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError):
            raise Http404("记录不存在") from exception
        return None


NUL_MESSAGE = "输入中含有不可见字符（NUL），请删除后重试"


class RejectNulMiddleware:
    """Any text input containing NUL is a 400 with a clear message, on every page and endpoint.

    PostgreSQL cannot store NUL in text, and a NUL that reached a query came back as a misleading error (or,
    on SQLite, was stored). Query strings, form posts, JSON bodies and the text fields (and field names) of
    multipart bodies are checked; the files of a multipart body are not (they hold NUL bytes legitimately).
    The refusal comes before any view runs, so an upload sent beside a NUL field is never stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": NUL_MESSAGE, "detail": {}}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in request.body or b"\x00" in request.body  # a literal "%00" is sent as %2500
        if content_type.startswith("application/json"):
            return b"\x00" in request.body or b"\\u0000" in request.body  # "%00" is just text in JSON
        if content_type.startswith("multipart/form-data"):
            return _multipart_has_nul(request)
        return False


def _multipart_has_nul(request) -> bool:
    """A NUL in a text field's name or value, or in an upload's field name or file name."""
    try:
        fields, uploads = request.POST, request.FILES
    except (MultiPartParserError, SuspiciousOperation):
        return False  # a malformed or oversized body is the parser's to refuse, with its own message
    texts = [*fields.keys(), *(v for values in fields.lists() for v in values[1])]
    texts += [*uploads.keys(), *(f.name or "" for values in uploads.lists() for f in values[1])]
    return any("\x00" in text for text in texts)
