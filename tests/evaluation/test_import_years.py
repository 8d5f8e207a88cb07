"""A year the database cannot hold (negative, or past a small integer) is a row error, never a 500."""

import pytest

from tests.clients import client_for
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from xietong.core.models import AuditEvent
from xietong.evaluation.models import Dataset, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_framework(users):
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd"},
    )
    return response.json()["id"]


@pytest.mark.parametrize("year", [-5, 0, 1899, 2201, 99999])
def test_an_absurd_year_in_a_dataset_is_a_row_error_by_api(users, small_framework, year):
    # given a data sheet whose third data row has an absurd year
    rows = data_rows()
    rows[3][2] = year
    client = client_for(users["yrd_office"])
    # when
    response = client.post(f"/api/v1/evaluation/frameworks/{small_framework}/datasets", {"file": xlsx(rows)})
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_data"
    assert body["message"] == f"指标数据有误：第 4 行「年份」列：年份应在 1900–2200 之间（实为“{year}”）"
    assert [(i["row"], i["code"]) for i in body["detail"]["issues"]] == [(4, "bad_year")]
    assert not Dataset.objects.exists()


def test_a_negative_year_on_the_page(users, small_framework):
    rows = data_rows()
    rows[1][2] = -2021
    client = client_for(users["yrd_office"])
    response = client.post(f"/evaluation/frameworks/{small_framework}/datasets/import/", {"file": xlsx(rows)})
    assert response.status_code == 400
    assert "第 2 行「年份」列：年份应在 1900–2200 之间（实为“-2021”）" in response.content.decode()
    assert not Dataset.objects.exists()


def test_a_negative_base_year_by_api(users):
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd", "base_year": -1},
    )
    assert (response.status_code, response.json()["code"]) == (400, "bad_base_year")
    assert not Framework.objects.exists() and not AuditEvent.objects.exists()
