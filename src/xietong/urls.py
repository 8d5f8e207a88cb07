from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from xietong.api import api
from xietong.core.files_views import public_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("resources/", include("xietong.resources.urls")),
    path("vouchers/", include("xietong.vouchers.urls")),
    path("transfer/", include("xietong.transfer.urls")),
    path("talent/", include("xietong.talent.urls")),
    path("sharing/", include("xietong.sharing.urls")),
    path("evaluation/", include("xietong.evaluation.urls")),
    path("chains/", include("xietong.chains.urls")),
    path("cockpit/", include("xietong.cockpit.urls")),
    path("coordination/", include("xietong.coordination.urls")),
    path("me/", include("xietong.core.inbox_urls")),
    path("", include("xietong.orgs.urls")),
    path("", include("xietong.web.urls")),
]
# Public media only (resource photos), whatever DEBUG says; private files have no URL under MEDIA_URL in any
# mode: they live in another directory and are served by views that ask the policy.
if settings.XIETONG_SERVE_PUBLIC_MEDIA:
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", public_media, name="public-media")
    )
