"""Pages of this app, mounted at /ledger/ by xietong.urls."""

app_name = "ledger"
urlpatterns: list = []
