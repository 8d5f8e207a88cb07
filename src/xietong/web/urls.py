from django.contrib.auth import views as auth_views
from django.urls import path

from xietong.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("zones/<slug:code>/", views.zone_detail, name="zone-detail"),
    path("me/", views.me, name="me"),
    path("me/tokens/", views.token_create, name="token-create"),
    path("regions/lookup/", views.region_lookup, name="region-lookup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
