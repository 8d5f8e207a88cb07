"""The evaluation API end to end: preset, data import, run in the background, results, reports, compare."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows, xlsx
from xietong.core.models import AuditEvent
from xietong.evaluation import demo
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.models import Dataset, Framework, Run

pytestmark = pytest.mark.django_db


def _preset(client):
    response = client.post(
        "/api/v1/evaluation/frameworks/preset", {"preset": "yrd"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_zone_office_imports_runs_and_downloads(users, django_capture_on_commit_callbacks):
    # given the 长三角 office and a preset framework
    client = client_for(users["yrd_office"])
    framework = _preset(client)
    assert framework["scope_name"] == "长江三角洲区域一体化发展"
    # when it imports the demo data (41 cities × 14 years)
    upload = io.BytesIO(demo.workbook("yrd"))
    upload.name = "data.xlsx"
    response = client.post(f"/api/v1/evaluation/frameworks/{framework['id']}/datasets", {"file": upload})
    assert response.status_code == 201, response.json()
    dataset = response.json()
    assert (dataset["unit_count"], dataset["year_min"], dataset["year_max"]) == (41, 2011, demo.LAST_YEAR)
    # and starts a run, computed by the background task after commit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/evaluation/frameworks/{framework['id']}/runs",
            {"sensitivity_runs": 8},
            content_type="application/json",
        )
    assert response.status_code == 201, response.json()
    run_id = response.json()["id"]
    detail = client.get(f"/api/v1/evaluation/runs/{run_id}").json()
    assert (detail["status"], detail["progress"]) == (RunStatus.DONE, 100)
    # then the results hold the fixed-base index with the base year at 100
    results = client.get(f"/api/v1/evaluation/runs/{run_id}/results").json()
    assert results["base_year"] == 2011
    assert results["fixed_base"]["zone"]["YRD"][0] == pytest.approx(100.0)
    assert len(results["units"]) == 41 and results["level1"] == ["RS", "IC", "AS", "IL", "ES"]
    assert sorted(r for r in results["ranks"][-1]) == list(range(1, 42))
    assert len(results["sensitivity"]["rows"]) == 41
    # and the Excel and PDF reports download
    xlsx_response = client.get(f"/api/v1/evaluation/runs/{run_id}/report.xlsx")
    assert xlsx_response.status_code == 200
    book = load_workbook(io.BytesIO(xlsx_response.content))
    assert book.sheetnames[:3] == ["说明", f"{demo.LAST_YEAR}年排名", "各年得分"]
    assert book[f"{demo.LAST_YEAR}年排名"].max_row == 42
    pdf = client.get(f"/api/v1/evaluation/runs/{run_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf["Content-Disposition"] == f'attachment; filename="evaluation-run-{run_id}.pdf"'
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "长三角区域协同创新指数评价报告" in text and "上海市" in text


def test_rerun_compare_and_publish(users, yrd_run):
    client = client_for(users["yrd_office"])
    # when the run is re-run with the same versions and options
    response = client.post(f"/api/v1/evaluation/runs/{yrd_run.pk}/rerun")
    assert response.status_code == 201
    rerun = Run.objects.get(pk=response.json()["id"])
    assert (rerun.rerun_of_id, rerun.framework_version_id, rerun.dataset_id) == (
        yrd_run.pk,
        yrd_run.framework_version_id,
        yrd_run.dataset_id,
    )
    assert rerun.options == yrd_run.options
    # (the on-commit task did not run inside the test transaction; run it as the worker would)
    from xietong.evaluation.tasks import run_index

    run_index.call_local(rerun.pk)
    # then comparing the two shows no rank change
    comparison = client.get(f"/api/v1/evaluation/runs/{yrd_run.pk}/compare/{rerun.pk}").json()
    assert comparison["year"] == 2015 and comparison["changed"] == 0 and len(comparison["rows"]) == 41
    # and publishing makes it public
    assert client_for(None).get(f"/api/v1/evaluation/runs/{yrd_run.pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/evaluation/runs/{yrd_run.pk}/publish",
            {"publish": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert client_for(None).get(f"/api/v1/evaluation/runs/{yrd_run.pk}/results").status_code == 200
    assert AuditEvent.objects.filter(verb="evaluation.run_published", target_id=str(yrd_run.pk)).count() == 1


def test_framework_import_then_data_with_platform_indicator(users):
    # given an approved high-tech enterprise in 苏州 registered on the platform
    from tests.factories import OrganisationFactory

    OrganisationFactory(region_id="320505", is_high_tech=True)
    client = client_for(users["yrd_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/import",
        {"file": xlsx(GOOD_FRAMEWORK), "name": "测试指数", "zone": "yrd"},
    )
    assert response.status_code == 201, response.json()
    framework_id = response.json()["id"]
    # when data for the current year leaves the platform column blank
    from django.utils import timezone

    year = timezone.now().year
    rows = data_rows(years=(year - 1, year))
    for row in rows[1:]:
        if row[2] == year:
            row[5] = None
    response = client.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets", {"file": xlsx(rows)})
    assert response.status_code == 201, response.json()
    # then the blank cells were filled from the platform: 1 high-tech enterprise in 苏州, 0 elsewhere
    dataset = Dataset.objects.get(pk=response.json()["id"])
    assert dataset.sources["c"] == {"import": 5, "platform:orgs.high_tech": 5}
    current = {r[0]: r[dataset.columns.index("c")] for r in dataset.rows if r[1] == year}
    assert current == {"310000": 0.0, "320100": 0.0, "320500": 1.0, "330100": 0.0, "340100": 0.0}


def test_framework_export_round_trip(users, yrd_framework):
    client = client_for(users["yrd_office"])
    response = client.get(f"/api/v1/evaluation/frameworks/{yrd_framework.pk}/framework.xlsx")
    assert response.status_code == 200
    upload = io.BytesIO(response.content)
    upload.name = "framework.xlsx"
    response = client.post(f"/api/v1/evaluation/frameworks/{yrd_framework.pk}/versions", {"file": upload})
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 2
    assert response.json()["table"] == yrd_framework.versions.get(number=1).table
    template = client.get(f"/api/v1/evaluation/frameworks/{yrd_framework.pk}/data-template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["地区代码", "地区名称", "年份", "rs_instruments"]
    assert sheet.max_row == 42


def test_presets_and_platform_indicator_lists(client):
    presets = client.get("/api/v1/evaluation/presets").json()
    assert [(p["code"], p["units"], p["level1"]) for p in presets] == [
        ("yrd", 41, ["资源共享", "创新合作", "成果共用", "产业联动", "环境支撑"]),
        ("jjj", 13, ["创新能力", "科研合作", "技术联系", "创新绩效", "创新环境"]),
        ("cy", 16, ["资源集聚", "创新合作", "成果共享", "产业联动", "环境支撑"]),
    ]
    keys = {p["key"]: p["available"] for p in client.get("/api/v1/evaluation/platform-indicators").json()}
    assert keys["orgs.high_tech"] is True
    assert keys["vouchers.cross_region_redeemed"] is True
    assert {"transfer.contract_inflow", "transfer.contract_outflow", "resources.cross_region_hours"} <= set(
        keys
    )


def test_framework_scope_must_be_managed(users):
    client = client_for(users["jjj_office"])
    response = client.post(
        "/api/v1/evaluation/frameworks/preset", {"preset": "yrd"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Framework.objects.exists()
