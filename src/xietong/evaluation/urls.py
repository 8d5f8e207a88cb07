"""Pages of this app, mounted at /evaluation/ by xietong.urls."""

from django.urls import path

from xietong.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/preset/", views.framework_from_preset, name="framework-preset"),
    path("frameworks/import/", views.framework_import, name="framework-new-import"),
    path("frameworks/template.xlsx", views.framework_template, name="framework-template"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework"),
    path("frameworks/<int:framework_id>/framework.xlsx", views.framework_export, name="framework-export"),
    path(
        "frameworks/<int:framework_id>/versions/import/",
        views.framework_version_import,
        name="framework-import",
    ),
    path("frameworks/<int:framework_id>/data-template.xlsx", views.data_template, name="data-template"),
    path("frameworks/<int:framework_id>/datasets/import/", views.dataset_import, name="dataset-import"),
    path(
        "frameworks/<int:framework_id>/datasets/refresh-platform/",
        views.dataset_refresh_platform,
        name="dataset-refresh-platform",
    ),
    path("frameworks/<int:framework_id>/runs/", views.run_create, name="run-create"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run-progress"),
    path("runs/<int:run_id>/report.xlsx", views.run_xlsx, name="run-xlsx"),
    path("runs/<int:run_id>/report.pdf", views.run_pdf, name="run-pdf"),
    path("runs/<int:run_id>/rerun/", views.run_rerun, name="run-rerun"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="run-publish"),
    path("runs/<int:run_id>/compare/", views.run_compare, name="run-compare"),
]
