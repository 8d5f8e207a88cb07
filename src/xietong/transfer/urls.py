"""Pages of this app, mounted at /transfer/ by xietong.urls."""

app_name = "transfer"
urlpatterns: list = []
