"""The API as a party's bureau: the happy path and odd input (always a 4xx with a Chinese message, never a 500)."""

import pytest

from tests.clients import client_for
from tests.sharing.conftest import CHONGQING, SICHUAN
from xietong.sharing.models import RevenueRecord


def _api(people, who="sc"):
    return client_for(people[who])


def test_import_settle_and_statement_through_the_api(park, people):
    client = _api(people)
    rows = [{"enterprise": "甲公司", "revenue_type": "增值税", "period": "2025-01", "amount": "100.01"}]
    assert (
        client.post(
            f"/api/v1/sharing/agreements/{park.pk}/records", {"rows": rows}, content_type="application/json"
        ).status_code
        == 201
    )
    settled = client.post(
        f"/api/v1/sharing/agreements/{park.pk}/settle", {"period": "2025-01"}, content_type="application/json"
    )
    assert settled.status_code == 200
    lines = {(line["party"], line["part"]): line["posted_fen"] for line in settled.json()[0]["lines"]}
    assert lines == {(SICHUAN, "increment"): 5_001, (CHONGQING, "increment"): 5_000}
    statement = _api(people, "cq").get(
        f"/api/v1/sharing/agreements/{park.pk}/statement?party={CHONGQING}&year=2025"
    )
    assert statement.json()["total_fen"] == 5_000


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        (
            "put",
            "draft",
            {"rules": [{"method": "proportional", "ratios": {SICHUAN: 0}}]},
            400,
            "没有大于零的权重",
        ),
        ("put", "draft", {"rules": [{"method": "dice", "ratios": {SICHUAN: 1}}]}, 400, "未知的分配方法"),
        (
            "put",
            "draft",
            {"rules": [{"method": "proportional", "ratios": {"999999": 1}}]},
            400,
            "不在协议参与方之中",
        ),
        ("put", "draft", {"rules": [{"method": "proportional", "ratios": {SICHUAN: "1e999"}}]}, 400, "权重"),
        ("post", "adopt", {"effective_from": "2024-06"}, 400, "没有待通过的草案"),
        (
            "post",
            "records",
            {
                "rows": [
                    {"enterprise": "甲公司", "revenue_type": "增值税", "period": "2025-01", "amount": "9e99"}
                ]
            },
            400,
            "有误",
        ),
        (
            "post",
            "records",
            {"rows": [{"enterprise": "外企", "revenue_type": "增值税", "period": "2025-01", "amount": "1"}]},
            400,
            "有误",
        ),
        ("post", "settle", {"period": "2031-01"}, 400, "没有收入记录"),
    ],
)
def test_odd_input_is_refused_in_chinese(park, people, method, path, body, status, message):
    client = _api(people)
    response = getattr(client, method)(
        f"/api/v1/sharing/agreements/{park.pk}/{path}", body, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert message in response.json()["message"]
    assert RevenueRecord.objects.count() == 0
