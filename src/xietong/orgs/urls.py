"""Organisation pages, mounted at the site root: the paths and URL names predate this app's own urls."""

from django.urls import path

from xietong.orgs import views

urlpatterns = [
    path("orgs/", views.directory, name="directory"),
    path("orgs/export.xlsx", views.directory_export, name="directory-export"),
    path("orgs/review/", views.review_queue, name="review-queue"),
    path("orgs/import/", views.org_import, name="org-import"),
    path("orgs/import/template.xlsx", views.org_import_template, name="org-import-template"),
    path("orgs/<int:org_id>/", views.org_detail, name="org-detail"),
    path("orgs/<int:org_id>/review/", views.org_review, name="org-review"),
    path("orgs/<int:org_id>/suspend/", views.org_suspend, name="org-suspend"),
    path("orgs/<int:org_id>/reinstate/", views.org_reinstate, name="org-reinstate"),
    path("register/", views.register, name="register"),
]
