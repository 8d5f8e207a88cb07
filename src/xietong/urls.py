from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from xietong.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("resources/", include("xietong.resources.urls")),
    path("vouchers/", include("xietong.vouchers.urls")),
    path("transfer/", include("xietong.transfer.urls")),
    path("evaluation/", include("xietong.evaluation.urls")),
    path("", include("xietong.orgs.urls")),
    path("", include("xietong.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
