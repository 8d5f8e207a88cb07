"""补链 / 强链 / 延链 on the 成渝 fixture, with recommendations and Chinese reasons."""

from __future__ import annotations

import re

import pytest

from tests.chains.conftest import seg
from tests.factories import actor
from xietong.chains import reports
from xietong.chains.enums import GapKind
from xietong.core.errors import Forbidden

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


def test_extend_by_relatedness_density(presets):
    """成都 has 中药现代化; 重庆 and 绵阳 have it too and each also has one 智能家居 firm (too few to be strong):
    智能家居 is what 成都's neighbours in the product space hold — a 延链 by density (1.00), not by adjacency."""
    from tests.chains.conftest import link
    from tests.factories import OrganisationFactory, member
    from xietong.core.roles import Role

    plan = {"510107": {("bio", "M08"): 3}, "500106": {("bio", "M08"): 2, ("ai", "D08"): 1},
            "510703": {("bio", "M08"): 2, ("ai", "D08"): 1}, "510603": {("eq", "M08"): 10}}  # fmt: skip
    n = 0
    for region, cells in plan.items():
        for (chain, code), count in cells.items():
            for _ in range(count):
                n += 1
                link(OrganisationFactory(name=f"密度测试{n}有限公司", region_id=region), code, chain=chain)
    viewer = actor(member(Role.REGION_BUREAU, username="density_bureau", region_id="510100"))
    report = reports.region_report(actor=viewer, zone_code="chengyu", region_code="510100", chain_code="ai")
    assert [(g.kind, g.segment_code) for g in report.gaps] == [(GapKind.EXTEND, "D08")]
    assert report.gaps[0].density == pytest.approx(1.0)
    assert (
        report.gaps[0].reason
        == "成都市尚未形成优势（区位熵 0.00）；关联密度 1.00，位于本地未布局环节的前 25%，适合延链"
    )
    bio = reports.region_report(actor=viewer, zone_code="chengyu", region_code="510100", chain_code="bio")
    assert [(g.kind, g.segment_code) for g in bio.of_kind(GapKind.STRENGTHEN)] == [
        (GapKind.STRENGTHEN, "M08")
    ]


def test_the_regions_own_organisations_never_fill_its_own_gap(chengyu):
    report = reports.region_report(
        actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", region_code="510100", chain_code="nev"
    )
    own = {o.name for o in [*chengyu["cd"], chengyu["cd_weak"], chengyu["cd_vehicle"]]}
    names = {r.name for g in report.gaps for r in g.recommendations if r.what == "organisation"}
    assert names and not (names & own)


def test_zone_office_reads_chongqing_gaps_but_chongqing_bureau_not_chengdus(chengyu):
    cq = reports.region_report(
        actor=actor(chengyu["cy_office"]), zone_code="chengyu", region_code="500000", chain_code="nev"
    )
    # 绵阳 is strong in 车规级芯片 and 重庆 has none; 重庆's one battery maker (区位熵 0.69) is not weak
    assert [g.segment_code for g in cq.of_kind(GapKind.FILL)] == ["U07"]
    with pytest.raises(Forbidden):
        reports.region_report(
            actor=actor(chengyu["cq_bureau"]), zone_code="chengyu", region_code="510100", chain_code="nev"
        )


# ------------------------------------------------------------------------------------------------ in English


def test_gap_and_partner_reasons_are_in_the_readers_language(chengyu):
    from django.utils import translation

    # given the 成都 bureau reading in English
    with translation.override("en"):
        report = reports.region_report(
            actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", region_code="510100", chain_code="nev"
        )
    fills = {g.segment_code: g for g in report.of_kind(GapKind.FILL)}
    gap = fills["M07"]
    # then the reason is English around the data (region names stay as they are)
    assert gap.reason == (
        "In this segment 成都市 is weak (location quotient 0.31 < 0.50); strong here: 重庆市 (location quotient 2.06)."
        " Fill the gap across regions"
    )
    partner = next(r for r in gap.recommendations if r.what == "organisation")
    assert partner.reason.startswith(
        "重庆市: location quotient 2.06 in this segment (strong); main business in this"
    )
    assert "km away" in partner.reason and "相距" not in partner.reason
    strong = report.of_kind(GapKind.STRENGTHEN)[0]
    assert strong.reason == (
        "成都市 has a location quotient of 1.83 here (≥ 1.00) with 3 organisations (weighted): a specialised strength"
    )
    extend = next(g for g in report.of_kind(GapKind.EXTEND) if g.segment_code == "U02")
    assert "directly upstream or downstream of the local strengths “动力电池”" in extend.reason
    # and no fixed Chinese wording is left in any reason of the report
    wording = re.compile(r"区位熵|该环节|补链|延链|强链|公里|合作|匹配|科技成果|技术需求")
    for g in report.gaps:
        assert not wording.search(g.reason), g.reason
        for r in g.recommendations:
            assert not wording.search(r.reason.replace(r.name, "")), r.reason


def test_the_zone_wide_reasons_are_in_the_readers_language(chengyu):
    from django.utils import translation

    with translation.override("en"):
        report = reports.zone_report(actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", chain_code="nev")
    assert report.gaps
    kinds = {g.kind for g in report.gaps}
    assert len(kinds) >= 2  # more than one kind of reason is checked
    for g in report.gaps:  # English around the zone's short name (成渝)
        assert g.reason.startswith(("成渝 as a whole", "In this segment 成渝")), g.reason
        assert not re.search(r"[\u3400-\u9fff]", g.reason.replace("成渝", "").replace(g.segment_name, "")), (
            g.reason
        )
