"""Pages of this app, mounted at /coordination/ by xietong.urls."""

from django.urls import path

from xietong.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulletin.pdf", views.bulletin, name="bulletin"),
    path("mine/", views.mine, name="mine"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/export.xlsx", views.task_export, name="tasks-export"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.report_submit, name="task-report"),
    path("tasks/<int:pk>/suspend/", views.task_suspend, name="task-suspend"),
    path("tasks/<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone-done"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("bodies/<int:pk>/meetings/", views.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path("decisions/<int:pk>/task/", views.decision_task, name="decision-task"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/signed.pdf", views.agreement_signed, name="agreement-signed"),
    path("agreements/<int:pk>/commitments/", views.commitment_add, name="commitment-add"),
    path("commitments/<int:pk>/task/", views.commitment_task, name="commitment-task"),
    path("major-items/", views.major_item_list, name="major-items"),
    path("major-items/new/", views.major_item_new, name="major-item-new"),
    path("major-items/<int:pk>/", views.major_item_detail, name="major-item"),
    path("major-items/<int:pk>/status/", views.major_item_status, name="major-item-status"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/calendar/<str:token>.ics", views.unit_calendar, name="unit-calendar"),
    path("units/<int:pk>/calendar/rotate/", views.unit_feed_rotate, name="unit-feed-rotate"),
]
