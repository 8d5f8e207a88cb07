"""Pages of this app, mounted at /evaluation/ by xietong.urls."""

app_name = "evaluation"
urlpatterns: list = []
