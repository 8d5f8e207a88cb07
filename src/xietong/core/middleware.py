from django.conf import settings
from django.db import DataError
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from xietong.core.actor import actor_for


class ActorMiddleware:
    """Attach `request.actor`, resolved lazily so static and public pages pay nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
        return self.get_response(request)


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
