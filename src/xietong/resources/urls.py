"""Pages of this app, mounted at /resources/ by xietong.urls."""

from django.urls import path

from xietong.resources import edit_views, views

app_name = "resources"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:resource_id>/", views.resource_detail, name="detail"),
    path("<int:resource_id>/book/", views.resource_book, name="book"),
    path("<int:resource_id>/manage/", views.resource_manage, name="manage"),
    path("new/", edit_views.resource_new, name="new"),
    path("<int:resource_id>/edit/", edit_views.resource_edit, name="edit"),
    path("<int:resource_id>/photos/", edit_views.resource_photos, name="photos"),
    path("<int:resource_id>/prices/", edit_views.resource_prices, name="prices"),
    path("orders/", views.my_orders, name="my-orders"),
    path("orders/export.xlsx", views.orders_export, name="orders-export"),
    path("orders/<int:order_id>/", views.order_detail, name="order-detail"),
    path("orders/<int:order_id>/report/", views.order_report, name="order-report"),
    path("orders/<int:order_id>/report/upload/", views.order_report_upload, name="order-report-upload"),
    path("orders/<int:order_id>/<slug:action>/", views.order_action, name="order-action"),
    path("console/", views.console, name="console"),
    path("console/calendar/", views.console_calendar, name="console-calendar"),
    path("console/usage/", views.console_usage, name="console-usage"),
    path("console/reports/", views.console_reports, name="console-reports"),
    path("import/", views.resource_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
]

from xietong.resources import after_service_views, sharing_views  # noqa: E402  (kept apart for merges)

urlpatterns += [
    path("orders/<int:order_id>/after/rate/", after_service_views.order_rate, name="order-rate"),
    path("orders/<int:order_id>/after/sample/", after_service_views.order_sample, name="order-sample"),
    path("console/sharing/", sharing_views.console_sharing, name="console-sharing"),
    path("console/sharing.xlsx", sharing_views.console_sharing_export, name="console-sharing-export"),
    path("console/sharing/trainings/", sharing_views.console_training, name="console-training"),
    path("sharing/regions/", sharing_views.region_sharing, name="region-sharing"),
    path("sharing/regions.xlsx", sharing_views.region_sharing_export, name="region-sharing-export"),
]
