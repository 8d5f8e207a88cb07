"""Pages of the talent app, mounted at /talent/ by xietong.urls."""

from django.urls import path

from xietong.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.profiles, name="profiles"),
    path("profiles/new/", views.profile_new, name="profile-new"),
    path("profiles/export.xlsx", views.profiles_export, name="profiles-export"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("profiles/<int:pk>/cards/new/", views.card_issue, name="card-issue"),
    path("experts/", views.experts, name="experts"),
    path("experts/export.xlsx", views.experts_export, name="experts-export"),
    path("recognition/", views.recognition, name="recognition"),
    path("recognition/export.xlsx", views.schemes_export, name="schemes-export"),
    path("schemes/new/", views.scheme_new, name="scheme-new"),
    path("agreements/new/", views.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/new/", views.appointment_new, name="appointment-new"),
    path("appointments/<int:pk>/answer/", views.appointment_answer, name="appointment-answer"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/template.xlsx", views.proposals_template, name="proposals-template"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("seats/<int:pk>/answer/", views.seat_answer, name="seat-answer"),
    path("import/<str:kind>/", views.import_page, name="import"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
]
