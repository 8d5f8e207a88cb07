"""Edge input on the resources API that the pages already guard: huge amounts, NUL characters, impossible dates."""

from urllib.parse import urlencode

import pytest

from tests.clients import client_for
from xietong.core.models import AuditEvent
from xietong.resources.models import PriceList, Resource

pytestmark = pytest.mark.django_db


def _resource(provider, **overrides):
    payload = {
        "owner_id": provider["org"].pk,
        "name": "原子力显微镜",
        "kind": "instrument",
        "category": "0104",
    }
    return client_for(provider["admin"]).post(
        "/api/v1/resources", {**payload, **overrides}, content_type="application/json"
    )


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"original_value": "9" * 20}, "超出允许范围"),
        ({"name": "显微\x00镜"}, "不可见字符"),
        ({"specs": "分辨率\x00 1 nm"}, "不可见字符"),
    ],
)
def test_bad_resource_fields_are_a_400_in_chinese(provider, overrides, fragment):
    response = _resource(provider, **overrides)
    assert response.status_code == 400, response.content
    assert fragment in response.json()["message"]
    assert not Resource.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("valid_from", ["2026-13-01", "2026-02-30", "明天", "99999-01-01"])
def test_an_impossible_effective_date_is_a_422_in_chinese(provider, instrument, valid_from):
    before = PriceList.objects.count()
    response = client_for(provider["admin"]).put(
        f"/api/v1/resources/{instrument.pk}/price-list",
        {
            "unit": "hour",
            "valid_from": valid_from,
            "tiers": [{"customer_class": "other", "unit_price_fen": 10_000}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "日期" in response.json()["message"]
    assert PriceList.objects.count() == before


def test_nul_in_a_query_string_or_a_form_post_is_a_400_too(provider, instrument):
    client = client_for(provider["admin"])
    response = client.get("/api/v1/resources", {"q": "显微\x00镜"})
    assert response.status_code == 400 and "不可见字符" in response.json()["message"]
    response = client.post(
        f"/resources/{instrument.pk}/manage/",
        urlencode({"action": "maintenance", "reason": "检修\x00"}),
        content_type="application/x-www-form-urlencoded",  # what a browser sends for a plain form
    )
    assert response.status_code == 400 and "不可见字符" in response.content.decode()


def test_a_literal_percent_zero_zero_in_json_text_is_just_text(provider):
    response = _resource(provider, description="浓度单位 %00 为示例文本")
    assert response.status_code == 201, response.content
