"""Pages of benefit sharing, mounted at /sharing/ by xietong.urls."""

from django.urls import path

from xietong.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.agreement_list, name="agreements"),
    path("new/", views.agreement_new, name="agreement-new"),
    path("income/", views.income, name="income"),
    path("<int:pk>/", views.agreement_detail, name="agreement"),
    path("<int:pk>/rules/", views.editor, name="editor"),
    path("<int:pk>/enterprises/", views.enterprises, name="enterprises"),
    path("<int:pk>/enterprises/<int:enterprise_id>/", views.enterprise_explain, name="explain"),
    path("<int:pk>/records/", views.records, name="records"),
    path("<int:pk>/records/template.xlsx", views.records_template, name="records-template"),
    path("<int:pk>/settle/", views.settle, name="settle"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("<int:pk>/statement.xlsx", views.statement_xlsx, name="statement-xlsx"),
    path("<int:pk>/statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("settlements/<int:pk>/", views.settlement_detail, name="settlement"),
]
