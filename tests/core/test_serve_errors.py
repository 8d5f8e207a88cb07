"""With DEBUG off (as `xietong serve` runs), every error answer is the platform's own Chinese page.

No URL patterns, file paths, database names or tracebacks in any of them; the 500 page needs no database.
"""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.views.defaults import server_error

TECHNICAL = (
    "Traceback",
    "URLconf",
    "urlpatterns",
    "xietong.urls",
    "DEBUG",
    "Django",
    "sqlite3",
    "db.internal",
)


def assert_not_technical(body: str) -> None:
    for marker in (*TECHNICAL, str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT), str(settings.BASE_DIR)):
        assert marker not in body, marker


@pytest.mark.django_db
def test_unknown_page_is_the_chinese_404_page(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-error-status="404"' in body and "页面不存在" in body
    assert_not_technical(body)


@pytest.mark.django_db
def test_a_path_climbing_out_of_static_is_a_404(client):
    response = client.get("/static/../../settings.py")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert b"SECRET_KEY" not in response.content


@pytest.mark.django_db
def test_unknown_api_path_is_a_404_without_technical_detail(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert_not_technical(response.content.decode())


@pytest.mark.django_db
def test_a_foreign_host_header_is_the_chinese_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["xt.example.gov.cn"]
    response = client.get("/", HTTP_HOST="evil.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-error-status="400"' in body and "请求无效" in body
    assert_not_technical(body)


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_the_chinese_403_page():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body
    assert "CSRF" not in body and "Referer" not in body
    assert_not_technical(body)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_errors")
def test_permission_denied_is_the_chinese_403_page_without_its_internal_reason(client):
    response = client.get("/test-errors/forbidden/")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-error-status="403"' in body and "无权访问" in body
    assert "internal reason" not in body
    assert_not_technical(body)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_errors")
def test_a_failing_database_is_the_chinese_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/database-down/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'data-error-status="500"' in body and "服务器出错" in body
    assert_not_technical(body)


def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query here raises, so the page provably needs no database.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
