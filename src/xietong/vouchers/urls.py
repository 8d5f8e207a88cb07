"""Pages of this app, mounted at /vouchers/ by xietong.urls."""

from django.urls import path

from xietong.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme-new"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme"),
    path("programmes/<int:programme_id>/apply/", views.apply, name="apply"),
    path("programmes/<int:programme_id>/dashboard/", views.dashboard, name="dashboard"),
    path("programmes/<int:programme_id>/grants.xlsx", views.grants_export, name="grants-export"),
    path("mine/", views.my_grants, name="my-grants"),
    path("grants/<int:grant_id>/", views.grant_detail, name="grant"),
    path("grants/<int:grant_id>/use/", views.grant_use, name="grant-use"),
    path("review/", views.review, name="review"),
    path("applications/<int:application_id>/review/", views.application_review, name="application-review"),
    path("redemptions/<int:redemption_id>/", views.redemption_detail, name="redemption"),
    path(
        "redemptions/<int:redemption_id>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence",
    ),
    path("redemptions/<int:redemption_id>/claim/", views.redemption_claim, name="redemption-claim"),
    path("redemptions/<int:redemption_id>/review/", views.redemption_review, name="redemption-review"),
    path("redemptions/<int:redemption_id>/pay/", views.redemption_pay, name="redemption-pay"),
    path("redemptions/<int:redemption_id>/object/", views.objection_raise, name="object"),
    path("publicity/", views.publicity, name="publicity"),
    path("objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection-resolve"),
    path("orders/<int:order_id>/use/", views.order_use, name="order-use"),
    path("orders/<int:order_id>/partners/", views.order_partners, name="order-partners"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:statement_id>/", views.statement_detail, name="statement"),
    path("statements/<int:statement_id>/paid/", views.statement_paid, name="statement-paid"),
    path("statements/<int:statement_id>.xlsx", views.statement_xlsx, name="statement-xlsx"),
    path("statements/<int:statement_id>.pdf", views.statement_pdf, name="statement-pdf"),
]

from xietong.vouchers import paperwork_views  # noqa: E402  (the paperwork pages, kept apart for merges)

urlpatterns += [
    path("applications/<int:application_id>/", paperwork_views.application_detail, name="application"),
    path(
        "applications/<int:application_id>/decide/",
        paperwork_views.application_decide,
        name="application-decide",
    ),
    path(
        "applications/<int:application_id>/attachments/",
        paperwork_views.application_attach,
        name="application-attach",
    ),
    path(
        "applications/<int:application_id>/attachments/<int:attachment_id>/",
        paperwork_views.application_attachment,
        name="application-attachment",
    ),
    path("statements/<int:statement_id>/pay/", paperwork_views.statement_pay, name="statement-pay"),
    path("statements/<int:statement_id>/proof/", paperwork_views.statement_proof, name="statement-proof"),
    path("statements/<int:statement_id>/payee/", paperwork_views.statement_payee, name="statement-payee"),
    path(
        "programmes/<int:programme_id>/publicity/",
        paperwork_views.programme_publicity,
        name="programme-publicity",
    ),
]
