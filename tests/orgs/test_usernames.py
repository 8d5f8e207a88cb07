"""Usernames are compared in one canonical form (NFKC, no invisible characters, case-folded) at registration
and login; display names cannot claim a platform role or copy another user's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from xietong.core.usernames import canonical_username, clean_display_name
from xietong.orgs import credit_code
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user():
    return UserFactory(username="admin", first_name="张三")


def _payload(username: str, display_name: str = "李四", serial: str = "MA6C1234") -> dict:
    return {
        "username": username, "password": "a-long-password", "display_name": display_name,
        "name": f"成都示例{serial}科技有限公司", "credit_code": credit_code.make(region_code="510107", serial=serial),
        "kind": "enterprise", "region": "510107",
    }  # fmt: skip


def _register(payload: dict):
    return Client().post("/api/v1/orgs/register", payload, content_type="application/json")


def _writes() -> tuple[int, int]:
    return User.objects.count(), Organisation.objects.count()


def test_canonical_form():
    assert canonical_username(" ADMIN ") == "admin"
    assert canonical_username("admin\u200b") == "admin"
    assert canonical_username("\ufeffad\u200dmin") == "admin"
    assert canonical_username("ａｄｍｉｎ") == "admin"


def test_full_width_username_is_a_chinese_400_not_a_500(admin_user):
    before = _writes()
    response = _register(_payload("ａｄｍｉｎ"))
    assert response.status_code == 400
    assert (
        response.json()["message"] == "用户名请使用半角字母、数字或 @ . + - _（不能使用全角字符或兼容字符）"
    )
    assert _writes() == before


@pytest.mark.parametrize("look_alike", ["ADMIN", "Admin", "admin\u200b", "\u200badmin", "ad\u00admin"])
def test_look_alikes_of_an_existing_username_are_taken(admin_user, look_alike):
    before = _writes()
    response = _register(_payload(look_alike))
    assert response.status_code == 409
    assert response.json()["message"] == "用户名“admin”已被使用"
    assert _writes() == before


def test_registration_stores_the_canonical_username():
    assert _register(_payload("NewFirm")).status_code == 201
    assert User.objects.filter(username="newfirm").count() == 1


def test_registration_page_refuses_a_look_alike(admin_user):
    data = {**_payload("ADMIN"), "industry": "ai"}
    data.pop("kind")
    response = Client().post("/register/", data)
    assert response.status_code == 409 and "用户名“admin”已被使用" in response.content.decode()
    assert not User.objects.filter(username="ADMIN").exists()


@pytest.mark.parametrize(
    "display_name", ["平台管理员", "平台 管理员", "ＡＤＭＩＮ", "嘉兴市科技局", "系统", "协同区办公室王"]
)
def test_display_name_cannot_claim_a_platform_role(display_name):
    before = _writes()
    response = _register(_payload("newfirm", display_name=display_name))
    assert response.status_code == 400
    assert "不能使用" in response.json()["message"]
    assert _writes() == before


def test_display_name_cannot_copy_another_users(admin_user):
    before = _writes()
    response = _register(_payload("newfirm", display_name="张三"))
    assert response.status_code == 409 and "另一位用户相同" in response.json()["message"]
    assert _writes() == before


def test_display_name_is_cleaned_of_invisible_characters():
    assert clean_display_name("王\u200b五 ") == "王五"


@pytest.mark.parametrize("typed", ["admin", "ADMIN", "ａｄｍｉｎ", "admin\u200b"])
def test_login_compares_the_canonical_username(admin_user, typed):
    client = Client()
    response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["username"] == "admin"


def test_login_of_an_account_stored_before_canonical_usernames():
    UserFactory(username="LegacyUser")
    response = Client().post("/accounts/login/", {"username": "LegacyUser", "password": PASSWORD})
    assert response.status_code == 302
