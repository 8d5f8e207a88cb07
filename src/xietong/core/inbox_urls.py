from django.urls import path

from xietong.core import inbox_views

app_name = "core"
urlpatterns = [
    path("start/", inbox_views.landing, name="landing"),
    path("todos/", inbox_views.todo_centre, name="todos"),
    path("notifications/", inbox_views.notification_list, name="notifications"),
    path("notifications/read/", inbox_views.notification_read, name="notification-read"),
    path("notifications/preferences/", inbox_views.notification_preferences, name="notification-preferences"),
]
