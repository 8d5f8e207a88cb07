"""Accounts: login throttling, password change and reset by e-mail, API tokens listed and revocable on
我的账号 with the secret shown once (never in the session or the messages cookie)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.clients import client_for
from tests.factories import PASSWORD, UserFactory
from xietong.core import tokens
from xietong.core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user():
    return UserFactory(username="firm_admin", email="firm@example.com")


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# ---------------------------------------------------------------- throttling


def test_the_right_password_after_too_many_wrong_ones_is_locked_out(user, settings):
    # given the limit of 5 failures
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    # when 5 wrong passwords are tried (with case variants of the username, which share one counter)
    statuses = [
        _login(client, name, f"wrong-{attempt}").status_code
        for attempt, name in enumerate(
            ["firm_admin", "FIRM_ADMIN", "firm_admin\u200b", "Firm_Admin", "firm_admin"]
        )
    ]
    # then four are answered on the login form and the fifth, reaching the limit, locks the account
    assert statuses == [200, 200, 200, 200, 429]
    # then even the right password is refused with a Chinese message, and no session is made
    response = _login(client, "firm_admin", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # from another address the same account still signs in (the lock is per username and address)
    assert _login(Client(), "firm_admin", PASSWORD, ip="10.0.0.2").status_code == 302


def test_fewer_failures_do_not_lock(user):
    client = Client()
    for attempt in range(4):
        assert _login(client, "firm_admin", f"wrong-{attempt}").status_code == 200
    assert _login(client, "firm_admin", PASSWORD).status_code == 302


def test_api_tokens_are_not_affected_by_a_lockout(user):
    _, secret = tokens.token_create(user=user, name="同步脚本")
    client = Client()
    for attempt in range(6):
        _login(client, "firm_admin", f"wrong-{attempt}")
    assert _login(client, "firm_admin", PASSWORD).status_code == 429
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["username"] == "firm_admin"


# ---------------------------------------------------------------- password change and reset


def test_password_change_requires_the_old_password(user):
    client = client_for(user)
    assert client.get("/accounts/password/change/").status_code == 200
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": "brand-new-pass-9", "new_password2": "brand-new-pass-9"},
    )
    assert wrong.status_code == 200 and "旧密码不正确" in wrong.content.decode()
    ok = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "brand-new-pass-9", "new_password2": "brand-new-pass-9"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-9")
    assert AuditEvent.objects.filter(verb="account.password_changed", target_id=str(user.pk)).count() == 1
    assert "密码已修改" in client.get("/accounts/password/change/done/").content.decode()


def test_password_change_needs_a_login():
    response = Client().get("/accounts/password/change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_reset_by_email(user):
    client = Client()
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200 and "找回密码" in page.content.decode()
    response = client.post("/accounts/password/reset/", {"email": "FIRM@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["firm@example.com"] and message.subject == "协同创新平台：重置密码"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and "设置新密码" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "reset-pass-123", "new_password2": "reset-pass-123"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password("reset-pass-123")
    assert AuditEvent.objects.filter(verb="account.password_reset", target_id=str(user.pk)).count() == 1
    # the link works once
    assert "重置链接无效或已过期" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same():
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_login_page_links_to_password_reset():
    assert 'href="/accounts/password/reset/"' in Client().get("/accounts/login/").content.decode()


# ---------------------------------------------------------------- tokens on 我的账号


def test_token_secret_is_shown_once_in_the_post_response_only(user):
    client = client_for(user)
    response = client.post("/me/tokens/", {"name": "数据同步脚本"})
    token = ApiToken.objects.get(user=user)
    html = response.content.decode()
    secret = re.search(r'id="new-token-secret">(xt_[\w-]+)<', html).group(1)
    assert response.status_code == 201 and "no-store" in response["Cache-Control"]
    assert tokens.token_user(secret) == user
    # not in any cookie, not in the session
    assert all(secret not in morsel.value for morsel in response.cookies.values())
    assert all(secret not in str(value) for value in client.session.values())
    # the account page afterwards lists the token by its masked prefix and never the secret
    page = client.get("/me/").content.decode()
    assert secret not in page and f"{token.prefix}••••" in page and "数据同步脚本" in page


def test_token_is_revoked_on_the_page(user):
    _, secret = tokens.token_create(user=user, name="旧脚本")
    token = ApiToken.objects.get(user=user)
    client = client_for(user)
    response = client.post(f"/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert "旧脚本" not in client.get("/me/").content.decode().split('id="my-tokens"')[1]
    assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 1


def test_another_users_token_cannot_be_revoked(user):
    _, secret = tokens.token_create(user=user, name="旧脚本")
    token = ApiToken.objects.get(user=user)
    response = client_for(UserFactory()).post(f"/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert tokens.token_user(secret) == user


def test_token_name_is_required(user):
    response = client_for(user).post("/me/tokens/", {"name": "  "})
    assert response.status_code == 400 and "请填写令牌名称" in response.content.decode()
    assert ApiToken.objects.count() == 0
