"""The 成渝 preset: its framework, a run on its demo data, the report's sub-index growth and the engine's
warnings on the page and in the audit trail."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.evaluation.conftest import demo_frame
from xietong.core.actor import SYSTEM
from xietong.core.models import AuditEvent
from xietong.evaluation import reports, services
from xietong.evaluation.presets import FRAMEWORK_PRESETS

pytestmark = pytest.mark.django_db


def test_preset_structure_is_the_published_one():
    cy = FRAMEWORK_PRESETS["cy"]
    assert [name for _, name in cy.level1] == ["资源集聚", "创新合作", "成果共享", "产业联动", "环境支撑"]
    assert len(cy.level2) == 17  # as published; their names are assumed
    assert cy.base_year == 2019
    assert cy.units[:2] == ("500000", "510100") and len(cy.units) == 16
    assert dict(cy.published_growth)["2021 年报告"] == (("CY", 9.5), ("CI", 17.0))


def _run(frame):
    framework = services.framework_create_from_preset(actor=SYSTEM, preset="cy")
    services.dataset_import(actor=SYSTEM, framework_id=framework.pk, frame=frame)
    run = services.run_create(
        actor=SYSTEM, framework_id=framework.pk, options={"sensitivity_runs": 0}, background=False
    )
    return services.run_execute(run_id=run.pk)


def test_demo_data_run_and_report_growth(users):
    # given: 成渝's demo data 2016–2021
    run = _run(demo_frame("cy", years=range(2016, 2022)))
    assert run.status == "done", run.message
    results = run.results
    # when
    rows = reports.growth_rows(results)
    # then: the index first, then the five sub-indices, fastest first and marked
    assert rows[0]["name"] == "成渝地区双城经济圈协同创新指数"
    assert sorted(r["code"] for r in rows[1:]) == ["CI", "EV", "IN", "RA", "RS"]
    yoys = [r["yoy"] for r in rows[1:]]
    assert yoys == sorted(yoys, reverse=True) and rows[1]["fastest"] is True
    zone = results["fixed_base"]["zone"]
    assert rows[0]["yoy"] == pytest.approx((zone["CY"][-1] / zone["CY"][-2] - 1) * 100)
    assert rows[0]["since_base"] == pytest.approx(zone["CY"][-1] - 100)
    assert zone["CY"][results["years"].index(2019)] == pytest.approx(100.0)
    # and the page shows them with the figures the reports published
    page = client_for(users["platform_admin"]).get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'id="growth-table"' in page and "增长最快" in page
    assert f"增长 {rows[0]['yoy']:.1f}%，其中{rows[1]['name']}增长最快" in page
    assert "2021 年报告：总指数 +9.50%，创新合作 +17.00%" in page
    # and the Excel report has the same table
    book = load_workbook(io.BytesIO(reports.workbook(run)))
    sheet = [[c.value for c in row] for row in book["分指数增长"].iter_rows()]
    assert [row[0] for row in sheet[1:]] == [r["name"] for r in rows]
    assert sheet[2][4] == "是" and sheet[1][1] == pytest.approx(rows[0]["yoy"])


def test_constant_indicator_warning_reaches_page_and_audit(users):
    # given: one indicator with the same value everywhere
    frame = demo_frame("cy", years=range(2017, 2022))
    frame["cy_foreign_rd"] = 5.0
    # when
    run = _run(frame)
    # then
    assert run.status == "done", run.message
    messages = [w["message"] for w in run.results["warnings"]]
    assert "指标 cy_foreign_rd 的值（在某一年）全部相同，无法按 minmax 标准化，已记为缺失" in messages
    assert "指标「cy_foreign_rd」的有效值少于 2 个，未参与客观赋权（权重记为 0）" in messages
    event = AuditEvent.objects.get(verb="evaluation.run_done", target_id=str(run.pk))
    assert event.data["warnings"] == messages
    page = client_for(users["platform_admin"]).get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'id="engine-warnings"' in page and messages[0] in page
