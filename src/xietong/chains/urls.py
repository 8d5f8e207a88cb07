"""Pages of this app, mounted at /chains/ by xietong.urls."""

from django.urls import path

from xietong.chains import views

app_name = "chains"
urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.region_map, name="region-map"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps.xlsx", views.gaps_xlsx, name="gaps-xlsx"),
    path("gaps.pdf", views.gaps_pdf, name="gaps-pdf"),
    path("zone-gaps/", views.zone_gaps, name="zone-gaps"),
    path("zone-gaps.xlsx", views.zone_gaps_xlsx, name="zone-gaps-xlsx"),
    path("zone-gaps.pdf", views.zone_gaps_pdf, name="zone-gaps-pdf"),
    path("attachments/", views.attachments, name="attachments"),
    path("attachments/suggest/", views.attachments_suggest, name="suggest"),
    path("attachments/<int:pk>/confirm/", views.attachment_action, {"action": "confirm"}, name="confirm"),
    path("attachments/<int:pk>/reject/", views.attachment_action, {"action": "reject"}, name="reject"),
    path("attachments/<int:pk>/withdraw/", views.attachment_action, {"action": "withdraw"}, name="withdraw"),
    path("attachments/<int:pk>/measures/", views.attachment_measures, name="measures"),
    path("import/", views.chain_import, name="import"),
    path("import/template.xlsx", views.chain_template, name="template"),
    path("milestones/", views.milestone_create, name="milestone-create"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone-delete"),
    path("thresholds/", views.thresholds_update, name="thresholds"),
    path("<slug:code>/", views.chain_detail, name="chain"),
    path("<slug:code>/export.xlsx", views.chain_export, name="export"),
    path("<slug:code>/<str:segment>/", views.segment_detail, name="segment"),
]
