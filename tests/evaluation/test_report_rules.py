"""Issue 12 item 5: 优势/短板 ignore ties and indicators without variance; the 定基指数 compares like with like
when an indicator's source changes between years; a partial year is marked on the page, in Excel and in the PDF."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.evaluation.conftest import demo_frame
from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.evaluation import compute, reports, services

# ---------------------------------------------------------------------- 优势与短板


def test_a_shared_first_place_and_an_all_zero_indicator_are_not_strengths():
    values = np.array(
        [
            # all zero, tie at top, unique values, unique values
            [0.0, 5.0, 9.0, 1.0],
            [0.0, 5.0, 8.0, 2.0],
            [0.0, 1.0, 7.0, 3.0],
            [0.0, 2.0, 6.0, 4.0],
        ]
    )
    picked = compute.strengths_weaknesses(values, n=3)
    first_strengths, first_weaknesses = picked[0]
    assert first_strengths == [
        (2, 1)
    ]  # its first place on indicator 2; the shared first place on 1 is not one
    assert first_weaknesses == [(3, 4)]  # last on indicator 3
    assert all(i != 0 for good, bad in picked for i, _ in good + bad)  # no variance: never a 优势 or 短板
    assert all(i != 1 for good, _ in picked[:2] for i, _ in good)  # tied units never get the tie as 优势


def test_a_first_place_is_never_a_weakness_even_when_it_is_the_units_worst():
    # unit 0 ranks first everywhere: it has strengths and no weaknesses at all
    values = np.array([[9.0, 9.0, 9.0], [1.0, 2.0, 3.0], [2.0, 3.0, 1.0], [3.0, 1.0, 2.0]])
    good, bad = compute.strengths_weaknesses(values, n=3)[0]
    assert [r for _, r in good] == [1, 1, 1]
    assert bad == []


@settings(max_examples=150, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 9), st.integers(1, 6)),
        elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, np.nan]),
    )
)
def test_strength_rules_hold_for_any_table(values):
    picked = compute.strengths_weaknesses(values, n=3)
    for u, (good, bad) in enumerate(picked):
        assert len(good) <= 3 and len(bad) <= 3
        assert not {i for i, _ in good} & {i for i, _ in bad}
        for i, _rank in good + bad:
            column = values[:, i][~np.isnan(values[:, i])]
            assert len(set(column)) >= 2  # the indicator varies
            assert (column == values[u, i]).sum() == 1  # the unit's place is not shared
        for i, rank in good:
            assert rank <= len(values[:, i][~np.isnan(values[:, i])]) / 2
        for _i, rank in bad:
            assert rank != 1


# ---------------------------------------------------------------------- 定基指数: like with like
TABLE = [
    {"Level": 1, "iCode": "a", "iName": "指标甲", "Direction": 1, "Weight": 1.0, "Unit": "个", "Parent": "P", "Type": "Indicator"},
    {"Level": 1, "iCode": "b", "iName": "指标乙", "Direction": 1, "Weight": 1.0, "Unit": "个", "Parent": "P", "Type": "Indicator"},
    {"Level": 1, "iCode": "c", "iName": "平台合同额", "Direction": 1, "Weight": 1.0, "Unit": "亿元", "Parent": "Q", "Type": "Indicator",
     "Source": "platform:transfer.contract_inflow"},
    {"Level": 1, "iCode": "d", "iName": "指标丁", "Direction": 1, "Weight": 1.0, "Unit": "个", "Parent": "Q", "Type": "Indicator"},
    {"Level": 2, "iCode": "P", "iName": "维度一", "Direction": 1, "Weight": 1.0, "Unit": "", "Parent": "I", "Type": "Aggregate"},
    {"Level": 2, "iCode": "Q", "iName": "维度二", "Direction": 1, "Weight": 1.0, "Unit": "", "Parent": "I", "Type": "Aggregate"},
    {"Level": 3, "iCode": "I", "iName": "测试指数", "Direction": 1, "Weight": 1.0, "Unit": "", "Parent": None, "Type": "Aggregate"},
]  # fmt: skip
UNITS = ["310000", "320100", "320500", "330100", "340100", "330200"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
SWITCH = 2022  # from this year on, "c" is computed from the platform's few records: a much smaller number


def _rows(*, switch: bool):
    rows = []
    for y, year in enumerate(YEARS):
        for u, unit in enumerate(UNITS):
            grow = 1.06**y
            c = (40 + 9 * u) * grow if not (switch and year >= SWITCH) else (0.2 + 0.05 * u) * grow
            rows.append([unit, year, (10 + 3 * u) * grow, (5 + 2 * u) * grow, round(c, 4), (3 + u) * grow])
    return rows


def _run(rows, platform_cells):
    return compute.run_index(
        table=TABLE, columns=["uCode", "Time", "a", "b", "c", "d"], rows=rows,
        options=compute.options_clean({"sensitivity_runs": 0}), names={}, platform_cells=platform_cells,
    )  # fmt: skip


def test_the_base_year_index_leaves_out_an_indicator_whose_source_changed():
    cells = {"c": [[u, y] for u in UNITS for y in YEARS if y >= SWITCH]}
    results = _run(_rows(switch=True), cells)
    info = results["fixed_base"]["indicators"]
    assert info["excluded"] == ["c"] and info["comparable"] == 3 and info["total"] == 4
    assert info["changed"] == [{"code": "c", "year": SWITCH, "from": "import", "to": "platform"}]
    zone = results["fixed_base"]["zone"]["I"]
    links = [b / a for a, b in itertools.pairwise(zone)]
    assert zone[0] == pytest.approx(100.0)
    assert min(links) > 0.97  # the data grow every year: no cliff where "c" changed source
    assert zone[-1] > zone[0]
    # the naive ratio over all indicators falls off a cliff in the switch year: the fixture does reproduce it
    naive = [results["scores"]["I"][t] for t in range(len(YEARS))]
    naive_mean = [np.nanmean([v for v in row if v is not None]) for row in naive]
    assert naive_mean[YEARS.index(SWITCH)] < 0.9 * naive_mean[YEARS.index(SWITCH) - 1]
    # the ranking still uses every indicator
    assert results["fixed_base"]["zone"]["Q"][-1] is not None  # Q keeps "d"
    note = reports.fixed_base_note(results)
    assert "只用各年口径一致的 3 项指标" in note and f"平台合同额（{SWITCH} 年起改为平台数据）" in note


def test_an_unchanged_indicator_set_keeps_the_plain_base_year_index():
    results = _run(_rows(switch=False), {})
    assert results["fixed_base"]["indicators"]["excluded"] == []
    assert reports.fixed_base_note(results) == "定基指数以 2019 年为 100，各年使用同一组 4 项指标计算。"
    zone = results["fixed_base"]["zone"]["I"]
    assert all(b > a for a, b in itertools.pairwise(zone))


def test_a_sub_index_with_no_comparable_indicator_has_no_base_year_index():
    cells = {"c": [[u, y] for u in UNITS for y in YEARS if y >= SWITCH]}
    rows = [[*r[:5], None if r[1] < 2021 else r[5]] for r in _rows(switch=True)]  # "d" blank before 2021
    results = _run(rows, cells)
    assert results["fixed_base"]["indicators"]["excluded"] == ["c", "d"]
    assert results["fixed_base"]["zone"]["Q"] == [None] * len(YEARS)
    assert results["fixed_base"]["zone"]["P"][0] == pytest.approx(100.0)
    note = reports.fixed_base_note(results)
    assert "维度二没有各年口径一致的指标" in note and "指标丁（2021 年前无数据）" in note
    assert len(reports.rank_rows(results)) == len(UNITS)


# ---------------------------------------------------------------------- the partial year
@pytest.fixture
def run_2026(db):
    with clock.travel_to(datetime(2026, 12, 5, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        framework = services.framework_create_from_preset(actor=SYSTEM, preset="jjj")
        services.dataset_import(
            actor=SYSTEM, framework_id=framework.pk, frame=demo_frame("jjj", years=range(2020, 2027))
        )
        run = services.run_create(
            actor=SYSTEM, framework_id=framework.pk, options={"sensitivity_runs": 0}, background=False
        )
        return services.run_execute(run_id=run.pk)


def test_a_year_not_over_when_the_run_finished_is_marked_partial(run_2026):
    partial = reports.partial_year(run_2026)
    assert partial["year"] == 2026 and partial["as_of"].isoformat() == "2026-12-05"
    assert partial["label"] == "2026 年数据截至 12 月 5 日，为不完整年度"
    assert ("不完整年度", partial["label"]) in reports.describe(run_2026)


def test_a_year_over_before_the_run_finished_is_not_partial(run_2026, frozen_clock):
    run_2026.finished_at = datetime(2027, 1, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert reports.partial_year(run_2026) is None
    assert "不完整年度" not in dict(reports.describe(run_2026))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_marks_the_partial_year(run_2026, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.pdf(run_2026))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace(" ", "").replace("\n", "")
    assert "2026年截至12月5日" in text
    assert "2026年数据截至12月5日，为不完整年度" in text


def test_the_run_page_marks_the_partial_year_and_states_the_rules(run_2026, client):
    services.run_publish(actor=SYSTEM, run_id=run_2026.pk)
    html = client.get(f"/evaluation/runs/{run_2026.pk}/").content.decode()
    assert 'id="partial-year"' in html and "2026 年数据截至 12 月 5 日" in html
    assert 'id="strength-rule"' in html and "并列的名次不计为优势或短板" in html
    assert "2026（截至 12 月 5 日）" in html  # the trend chart's axis label
