"""我的账号 in a real browser: create a token → its secret shown once → back on the page it is gone →
revoke → the token no longer authenticates."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.e2e.conftest import login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_token_created_shown_once_and_revoked(live_server, page, shot):
    # given a signed-in user on 我的账号
    UserFactory(username="e2e_tokens")
    login(page, live_server.url, "e2e_tokens", PASSWORD)
    page.goto(f"{live_server.url}/me/")
    assert "暂无令牌" in page.locator("#my-tokens").inner_text()
    # when a token is created
    page.fill("input[name=name]", "数据同步脚本")
    page.click("form[action='/me/tokens/'] button[type=submit]")
    secret = page.locator("#new-token-secret").inner_text().strip()
    assert secret.startswith("xt_") and len(secret) > 30
    shot(page, "account-token-created")
    # then it authenticates the API
    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["username"] == "e2e_tokens"
    # and once the page is opened again the secret is not shown, only the masked prefix
    page.goto(f"{live_server.url}/me/")
    assert page.locator("#new-token-secret").count() == 0
    assert secret not in page.content()
    row = page.locator("#my-tokens tbody tr").first
    assert "数据同步脚本" in row.inner_text() and f"{secret[:10]}••••" in row.inner_text()
    # when it is revoked
    row.locator("button", has_text="吊销").click()
    page.wait_for_selector(".alert-success")
    assert "已吊销令牌“数据同步脚本”" in page.locator(".alert-success").inner_text()
    assert "暂无令牌" in page.locator("#my-tokens").inner_text()
    # then it no longer authenticates
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
