"""补链 / 强链 / 延链 on the 成渝 fixture, with recommendations and Chinese reasons."""

from __future__ import annotations

import pytest

from tests.chains.conftest import seg
from tests.factories import actor
from xietong.chains import reports
from xietong.chains.enums import GapKind

pytestmark = pytest.mark.django_db


def test_chengdu_fill_gap_is_thermal_management_with_chongqing_first(chengyu):
    # given the 成都 bureau
    viewer = actor(chengyu["cd_bureau"])
    # when it asks for 成都's gaps in 新能源汽车
    report = reports.region_report(actor=viewer, zone_code="chengyu", region_code="510100", chain_code="nev")
    # then 热管理系统 is a 补链 whose reason names 重庆 in Chinese
    fills = {g.segment_code: g for g in report.of_kind(GapKind.FILL)}
    gap = fills["M07"]
    assert (
        gap.reason
        == "成都市在该环节较为薄弱（区位熵 0.31 < 0.50），而重庆市（区位熵 2.06）在该环节具有优势，可跨区域补链"
    )
    partners = [r for r in gap.recommendations if r.what == "organisation"]
    assert {p.name for p in partners[:3]} == {o.name for o in chengyu["cq"]}
    assert partners[3].name == "绵阳热管理配套有限公司"
    assert all(not p.region_code.startswith("5101") for p in partners)
    assert "重庆市在该环节区位熵 2.06（优势）；主营该环节" in partners[0].reason
    assert "相距约" in partners[0].reason


def test_chengdu_strengthen_is_power_batteries(chengyu):
    report = reports.region_report(
        actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", region_code="510100", chain_code="nev"
    )
    strong = [g.segment_code for g in report.of_kind(GapKind.STRENGTHEN)]
    assert strong == ["M01"]
    assert (
        report.of_kind(GapKind.STRENGTHEN)[0].reason
        == "成都市在该环节区位熵 1.83（≥ 1.00），有 3 家机构（加权），为专业化优势环节"
    )


def test_chengdu_extend_are_the_battery_neighbours(chengyu):
    report = reports.region_report(
        actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", region_code="510100", chain_code="nev"
    )
    extend = {g.segment_code for g in report.of_kind(GapKind.EXTEND)}
    assert {"U02", "U03", "U04", "U05", "M02", "M03", "D04"} <= extend
    gap = next(g for g in report.of_kind(GapKind.EXTEND) if g.segment_code == "U02")
    assert "与本地强链环节“动力电池”直接上下游相连" in gap.reason
    assert seg("U02").name == "正极材料"
