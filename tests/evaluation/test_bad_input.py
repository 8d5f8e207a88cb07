"""Bad input gets a clear Chinese message naming row and column, a 4xx, and writes nothing."""

import copy

import pytest

from tests.clients import client_for
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from xietong.core.models import AuditEvent
from xietong.evaluation.models import Dataset, Framework, FrameworkVersion

pytestmark = pytest.mark.django_db


def _framework_with(change):
    rows = copy.deepcopy(GOOD_FRAMEWORK)
    change(rows)
    return rows


FRAMEWORK_CASES = {
    "cycle": (lambda r: r[5].__setitem__(6, "a"), "第 2 行「上级」列：上级关系形成循环", "cycle"),
    "unknown_parent": (
        lambda r: r[4].__setitem__(6, "Z"),
        "第 5 行「上级」列：上级代码「Z」不存在",
        "unknown_parent",
    ),
    "negative_weight": (
        lambda r: r[2].__setitem__(4, -1),
        "第 3 行「权重」列：权重不能为负数（-1）",
        "negative_weight",
    ),
}


@pytest.mark.parametrize("case", list(FRAMEWORK_CASES))
def test_bad_framework_by_api(users, case):
    change, message, code = FRAMEWORK_CASES[case]
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(_framework_with(change)), "name": "坏框架", "zone": "yrd"},
    )
    assert response.status_code == 400
    body = response.json()
    assert message in body["message"]
    assert code in [i["code"] for i in body["detail"]["issues"]]
    assert not Framework.objects.exists() and not AuditEvent.objects.exists()


def test_bad_framework_version_on_the_page(users, yrd_framework):
    client = client_for(users["yrd_office"])
    rows = _framework_with(FRAMEWORK_CASES["cycle"][0])
    response = client.post(
        f"/evaluation/frameworks/{yrd_framework.pk}/versions/import/", {"file": xlsx(rows)}
    )
    assert response.status_code == 400
    assert "上级关系形成循环" in response.content.decode()
    assert FrameworkVersion.objects.filter(framework=yrd_framework).count() == 1


@pytest.fixture
def small_framework(users):
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd"},
    )
    return response.json()["id"]


def _bad_data(change):
    rows = data_rows()
    change(rows)
    return rows


DATA_CASES = {
    "not_numeric": (lambda r: r[2].__setitem__(3, "abc"), "第 3 行「a」列：应为数字（实为“abc”）"),
    "not_gb2260": (
        lambda r: r[4].__setitem__(0, "999999"),
        "第 5 行「地区代码」列：地区代码“999999”不在 GB/T 2260 行政区划代码中",
    ),
    "outside_zone": (
        lambda r: r[6].__setitem__(0, "110000"),
        "第 7 行「地区代码」列：地区代码“110000”不属于长江三角洲区域一体化发展",
    ),
    "bad_year": (lambda r: r[3].__setitem__(2, "二〇二一"), "第 4 行「年份」列：年份应为整数"),
    "duplicate": (
        lambda r: r[3].__setitem__(0, "310000"),
        "第 4 行「地区代码」列：单位“310000”在 2021 年重复出现",
    ),
}


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_bad_data_by_api(users, small_framework, case):
    change, message = DATA_CASES[case]
    client = client_for(users["yrd_office"])
    response = client.post(
        f"/api/v1/evaluation/frameworks/{small_framework}/datasets", {"file": xlsx(_bad_data(change))}
    )
    assert response.status_code == 400, response.json()
    assert message in response.json()["message"]
    assert not Dataset.objects.exists()


def test_bad_data_on_the_page_lists_rows(users, small_framework):
    client = client_for(users["yrd_office"])
    rows = _bad_data(lambda r: (r[2].__setitem__(3, "abc"), r[8].__setitem__(6, "n/a")))
    response = client.post(f"/evaluation/frameworks/{small_framework}/datasets/import/", {"file": xlsx(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 3 行「a」列：应为数字（实为“abc”）" in page and "第 9 行「d」列：应为数字（实为“n/a”）" in page
    assert not Dataset.objects.exists()


def test_not_a_workbook_and_missing_columns(users, small_framework):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users["yrd_office"])
    response = client.post(
        f"/api/v1/evaluation/frameworks/{small_framework}/datasets",
        {"file": SimpleUploadedFile("x.xlsx", b"not excel")},
    )
    assert (response.status_code, response.json()["code"]) == (400, "bad_file")
    rows = [r[:4] for r in data_rows()]  # only indicator a
    response = client.post(f"/api/v1/evaluation/frameworks/{small_framework}/datasets", {"file": xlsx(rows)})
    assert response.status_code == 400
    assert response.json()["message"] == "数据表缺少以下指标列：b、d"  # c comes from the platform


@pytest.mark.parametrize(
    "options, message",
    [
        ({"preset": "nope"}, "未知的计算流程“nope”"),
        ({"base_year": 1999}, "基期 1999 年不在数据年份（2011–2015）中"),
        ({"weighting": "magic"}, "未知的赋权方法“magic”"),
    ],
)
def test_bad_run_options(users, yrd_dataset, options, message):
    client = client_for(users["yrd_office"])
    response = client.post(
        f"/api/v1/evaluation/frameworks/{yrd_dataset.framework_id}/runs",
        options,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not yrd_dataset.framework.runs.exists()


def test_results_of_an_unfinished_run_are_a_conflict(users, yrd_dataset):
    client = client_for(users["yrd_office"])
    run_id = client.post(
        f"/api/v1/evaluation/frameworks/{yrd_dataset.framework_id}/runs", {}, content_type="application/json"
    ).json()["id"]
    response = client.get(f"/api/v1/evaluation/runs/{run_id}/results")
    assert (response.status_code, response.json()["code"]) == (409, "run_not_done")
