"""The run report's remove-one analysis and Sobol' indices: on the page, in Excel and in the PDF.

Remove-one is checked against a plain reading of its definition: in the test framework the index has two
一级 components P and Q, so removing P leaves the index ranking the units by Q alone (and vice versa); the
expected mean and largest rank changes are computed here from the run's P, Q scores and index ranks.
"""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy.stats import rankdata

from tests.clients import client_for
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from xietong.core.actor import SYSTEM
from xietong.evaluation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework_id(users):
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd"},
    )
    framework_id = response.json()["id"]
    rows = data_rows(years=(2021, 2022, 2023))
    assert (
        client.post(
            f"/api/v1/evaluation/frameworks/{framework_id}/datasets", {"file": xlsx(rows)}
        ).status_code
        == 201
    )
    return framework_id


def _run(framework_id: int, **options):
    run = services.run_create(actor=SYSTEM, framework_id=framework_id, options=options, background=False)
    run = services.run_execute(run_id=run.pk)
    assert run.status == "done", run.error
    return run


def _expected_remove_one(results) -> dict[str, tuple[float, int]]:
    """Removing P ranks by Q's score and vice versa (latest year; rank 1 = highest, ties share the lowest rank)."""
    nominal = np.array(results["ranks"][-1], dtype=float)
    out = {}
    for removed, kept in (("P", "Q"), ("Q", "P")):
        scores = np.array(results["scores"][kept][-1], dtype=float)
        ranks = rankdata(-scores, method="min")
        change = np.abs(ranks - nominal)
        out[removed] = (float(change.mean()), int(change.max()))
    return out


@pytest.mark.parametrize("preset", ["coinr-panel", "cn-entropy"])
def test_remove_one_matches_ranking_by_the_remaining_component(framework_id, preset):
    # when the index is computed with framework weights (coinr-panel) or with entropy weights learned from the data
    run = _run(framework_id, preset=preset, sensitivity_runs=0)
    # then removing P (or Q) changes the ranks exactly as ranking by the other component does
    got = {
        r["iCode"]: (r["mean_abs_rank_change"], r["max_abs_rank_change"])
        for r in run.results["remove_one"]["level1"]
    }
    expected = _expected_remove_one(run.results)
    assert got.keys() == expected.keys()
    for code in expected:
        assert got[code][0] == pytest.approx(expected[code][0], abs=1e-12)
        assert got[code][1] == expected[code][1]
    assert any(mean > 0 for mean, _ in got.values())  # learned weights do not undo the removal
    assert "level2" not in run.results["remove_one"]  # this framework has no 二级 aggregates


def test_sobol_indices_when_asked(framework_id):
    # when one run asks for Sobol' indices with 16 runs and another only for rank intervals
    sobol = _run(framework_id, sensitivity_runs=16, sensitivity_method="sobol")
    ua = _run(framework_id, sensitivity_runs=16)
    # then the first has S1 and ST for each of its two uncertain inputs, from a 4 × (2 + 2) Saltelli design
    sensitivity = sobol.results["sensitivity"]
    assert (sensitivity["method"], sensitivity["runs"]) == ("sobol", 16)
    assert [r["input"] for r in sensitivity["sobol"]] == ["赋权方法", "加总方法"]
    assert all({"S1", "ST", "S1_conf", "ST_conf"} <= set(r) for r in sensitivity["sobol"])
    assert (ua.results["sensitivity"]["method"], ua.results["sensitivity"]["sobol"]) == ("ua", None)


def test_bad_sensitivity_method_is_400(users, framework_id):
    response = client_for(users["yrd_office"]).post(
        f"/api/v1/evaluation/frameworks/{framework_id}/runs", {"sensitivity_method": "morris"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["detail"]["field"] == "sensitivity_method"


def test_report_page_excel_and_pdf_show_both(users, framework_id):
    run = _run(framework_id, sensitivity_runs=16, sensitivity_method="sobol")
    client = client_for(users["yrd_office"])
    # the page: a remove-one table and chart, a Sobol' table and chart
    html = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'id="remove-one-table"' in html and 'id="chart-remove-one"' in html
    assert 'id="sobol-table"' in html and 'id="chart-sobol"' in html
    assert html.count("<tr><td>一级</td>") == 2
    # the workbook
    book = load_workbook(io.BytesIO(client.get(f"/evaluation/runs/{run.pk}/report.xlsx").content))
    removed = list(book["逐项剔除分析"].iter_rows(values_only=True))
    assert removed[0] == ("层级", "代码", "名称", "上级", "平均排名变动", "最大排名变动")
    assert {r[1] for r in removed[1:]} == {"P", "Q"}
    assert [r[0] for r in book["Sobol 指数"].iter_rows(values_only=True)][1:] == ["赋权方法", "加总方法"]
    # the PDF
    pdf = client.get(f"/evaluation/runs/{run.pk}/report.pdf").content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "逐项剔除分析" in text and "一阶指数 S1" in text


def test_page_of_a_run_without_them(users, framework_id):
    run = _run(framework_id, sensitivity_runs=0)
    html = client_for(users["yrd_office"]).get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'id="remove-one-table"' in html and 'id="sobol-table"' not in html
    assert "本次运行未计算 Sobol&#x27; 指数" in html or "本次运行未计算 Sobol' 指数" in html
