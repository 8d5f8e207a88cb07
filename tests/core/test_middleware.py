"""A page view that raises a DomainError is shown as its Chinese message with its status, by one middleware."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import path

from xietong import urls as site_urls
from xietong.core.errors import Conflict, Forbidden, NotFound
from xietong.core.models import AuditEvent


def _forbidden(request):
    raise Forbidden("仅限地区科技主管部门")


def _missing(request):
    raise NotFound("机构不存在")


@transaction.atomic
def _writes_then_conflicts(request):
    AuditEvent.objects.create(verb="test.written", target_type="test", target_id="1")
    raise Conflict("状态已变化，请刷新后重试")


def _broken(request):
    raise ValueError("a programming error, not a domain error")


urlpatterns = [  # the test views, then the site's own (the error page's layout links to them)
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("conflict/", _writes_then_conflicts),
    path("broken/", _broken),
    *site_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.mark.parametrize(
    ("url", "status", "heading", "message"),
    [
        ("/forbidden/", 403, "无权访问", "仅限地区科技主管部门"),
        ("/missing/", 404, "未找到", "机构不存在"),
        ("/conflict/", 409, "无法完成操作", "状态已变化，请刷新后重试"),
    ],
)
def test_a_domain_error_becomes_the_error_page_with_its_status(url, status, heading, message):
    response = Client().get(url)
    assert response.status_code == status
    assert response.templates[0].name == "web/error.html"
    html = response.content.decode()
    assert heading in html and message in html


def test_the_views_transaction_rolls_back_before_the_page_is_shown():
    response = Client().get("/conflict/")
    assert response.status_code == 409
    assert not AuditEvent.objects.filter(verb="test.written").exists()


def test_other_exceptions_are_left_to_django():
    with pytest.raises(ValueError, match="programming error"):
        Client().get("/broken/")
