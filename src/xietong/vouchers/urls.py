"""Pages of this app, mounted at /vouchers/ by xietong.urls."""

app_name = "vouchers"
urlpatterns: list = []
