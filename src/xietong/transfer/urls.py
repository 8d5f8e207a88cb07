"""Pages of this app, mounted at /transfer/ by xietong.urls."""

from django.urls import path

from xietong.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.listing_list, {"kind": "achievement"}, name="achievements"),
    path("demands/", views.listing_list, {"kind": "demand"}, name="demands"),
    path("achievements/new/", views.listing_new, {"kind": "achievement"}, name="achievement-new"),
    path("demands/new/", views.listing_new, {"kind": "demand"}, name="demand-new"),
    path("achievements/<int:pk>/", views.listing_detail, {"kind": "achievement"}, name="achievement"),
    path("demands/<int:pk>/", views.listing_detail, {"kind": "demand"}, name="demand"),
    path(
        "achievements/<int:pk>/withdraw/",
        views.listing_withdraw,
        {"kind": "achievement"},
        name="achievement-withdraw",
    ),
    path("demands/<int:pk>/withdraw/", views.listing_withdraw, {"kind": "demand"}, name="demand-withdraw"),
    path(
        "achievements/<int:pk>/intent/",
        views.intent_express,
        {"kind": "achievement"},
        name="achievement-intent",
    ),
    path("demands/<int:pk>/intent/", views.intent_express, {"kind": "demand"}, name="demand-intent"),
    path(
        "achievements/<int:pk>/recommend/",
        views.recommend,
        {"kind": "achievement"},
        name="achievement-recommend",
    ),
    path("demands/<int:pk>/recommend/", views.recommend, {"kind": "demand"}, name="demand-recommend"),
    path("recommendations/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("recommendations/<int:pk>/go/", views.recommendation_go, name="recommendation-go"),
    path("recommendations/<int:pk>/click/", views.recommendation_click, name="recommendation-click"),
    path("intents/", views.intents, name="intents"),
    path("intents/<int:pk>/answer/", views.intent_answer, name="intent-answer"),
    path("intents/<int:pk>/withdraw/", views.intent_withdraw, name="intent-withdraw"),
    path("acceptance/", views.acceptance_lists, name="acceptance-lists"),
    path("acceptance/new/", views.acceptance_new, name="acceptance-new"),
    path("acceptance/<int:pk>/", views.acceptance_detail, name="acceptance"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/export.xlsx", views.contracts_export, name="contracts-export"),
    path("contracts/import/", views.contracts_import, name="contracts-import"),
    path("contracts/template.xlsx", views.contracts_template, name="contracts-template"),
    path("flows/", views.flows, name="flows"),
    path("flows/export.xlsx", views.flows_export, name="flows-export"),
    path("metrics/", views.metrics, name="metrics"),
]
