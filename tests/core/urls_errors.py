"""The platform's URLs plus views that fail in the ways the error pages must cover."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from xietong.urls import urlpatterns as platform_urlpatterns


def forbidden(request):
    raise PermissionDenied("internal reason that must not be shown")


def database_down(request):
    raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')


urlpatterns = [
    path("test-errors/forbidden/", forbidden),
    path("test-errors/database-down/", database_down),
    *platform_urlpatterns,
]
