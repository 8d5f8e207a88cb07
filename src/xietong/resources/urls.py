"""Pages of this app, mounted at /resources/ by xietong.urls."""

app_name = "resources"
urlpatterns: list = []
