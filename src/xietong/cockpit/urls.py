"""Pages of the cockpit, mounted at /cockpit/ by xietong.urls."""

from django.urls import path

from xietong.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("<slug:code>/", views.zone_cockpit, name="zone"),
    path("<slug:code>/export.xlsx", views.zone_export, name="export"),
    path("<slug:code>/<slug:kind>/", views.records, name="records"),
    path("<slug:code>/<slug:kind>.xlsx", views.records_export, name="records-export"),
]
