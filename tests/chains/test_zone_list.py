"""The zone-wide 补链/强链/延链 list: per segment of a chain, which members lack it, which are strong in it (and
their organisations that could fill the gap), which should extend into it — through the page, the API and the
Excel and PDF exports, for the zone office and the bureaus of the zone's members only."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.chains.conftest import seg
from tests.clients import client_for
from tests.factories import actor, member
from xietong.chains import analysis, reports, selectors
from xietong.chains.enums import GapKind
from xietong.core.errors import Forbidden
from xietong.core.roles import Role
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db


def test_every_member_is_classified_as_its_own_gap_list_says(chengyu):
    # given the 成渝 fixture and the zone office
    viewer = actor(chengyu["cy_office"])
    # when the office reads the zone-wide list of 新能源汽车
    result = reports.zone_list(actor=viewer, zone_code="chengyu", chain_code="nev")
    # then each member appears under exactly the segments its own 补链/强链/延链 list names
    matrix = analysis.zone_matrix(chengyu["zone"])
    chain = selectors.chain_get(code="nev")
    thresholds = selectors.thresholds_for(chengyu["zone"])
    attribute = {GapKind.FILL: "lacking", GapKind.STRENGTHEN: "strong", GapKind.EXTEND: "extending"}
    want, got = set(), set()
    for code in matrix.members:
        want |= {
            (code, g.segment_code, g.kind) for g in analysis.region_gaps(matrix, code, [chain], thresholds)
        }
    for row in result.rows:
        for kind, name in attribute.items():
            got |= {(m.code, row.segment_code, kind) for m in getattr(row, name)}
    assert got == want
    assert ("510100", "M07", GapKind.FILL) in got  # 成都 lacks 热管理系统 …
    assert ("500000", "M07", GapKind.STRENGTHEN) in got  # … where 重庆 is strong


def test_thermal_management_names_chengdu_lacking_and_chongqing_organisations_to_fill_it(chengyu):
    result = reports.zone_list(actor=actor(chengyu["cd_bureau"]), zone_code="chengyu", chain_code="nev")
    row = next(r for r in result.rows if r.segment_code == "M07")
    assert [m.name for m in row.lacking][:1] == ["成都市"]
    assert round(row.lacking[0].rca, 2) == 0.31
    assert [(m.name, round(m.rca, 2)) for m in row.strong] == [("重庆市", 2.06)]
    # the partners come from the strong member only, best first, with the reason in Chinese
    assert {p.name for p in row.recommendations} == {o.name for o in chengyu["cq"]}
    assert all(p.region_code.startswith("50") for p in row.recommendations)
    assert row.recommendations[0].reason == "重庆市在该环节区位熵 2.06（优势）；主营该环节"
    # a segment nobody lacks has no partners
    battery = next(r for r in result.rows if r.segment_code == "M01")
    assert [m.name for m in battery.strong] == ["成都市"]


def test_page_api_and_exports_for_the_chengdu_bureau(chengyu):
    client = client_for(chengyu["cd_bureau"])
    page = client.get("/chains/zone-gaps/?zone=chengyu&chain=nev")
    assert page.status_code == 200
    html = page.content.decode()
    assert "热管理系统" in html and "重庆热管理0有限公司" in html and "成都市（0.31）" in html
    api = client.get("/api/v1/chains/zone-gaps/members?zone=chengyu&chain=nev")
    assert api.status_code == 200
    m07 = next(s for s in api.json()["segments"] if s["segment_code"] == "M07")
    assert [m["code"] for m in m07["strong"]] == ["500000"]
    assert "510100" in [m["code"] for m in m07["lacking"]]
    xlsx = client.get("/chains/zone-gaps.xlsx?zone=chengyu&chain=nev")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert rows[0][:5] == ["产业链", "环节", "链位", "协同区整体", "缺链成员（补链）"]
    thermal = next(r for r in rows if r[1] == "热管理系统")
    assert "成都市（0.31）" in thermal[4] and thermal[5] == "重庆市（2.06）"
    partners = [[c.value for c in r] for r in book.worksheets[1].iter_rows()]
    assert any(r[2] == "重庆热管理0有限公司" for r in partners)
    pdf = client.get("/chains/zone-gaps.pdf?zone=chengyu&chain=nev")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    api_pdf = client.get("/api/v1/chains/zone-gaps/members/export?zone=chengyu&chain=nev&format=pdf")
    assert api_pdf.content[:5] == b"%PDF-"
    api_xlsx = client.get("/api/v1/chains/zone-gaps/members/export?zone=chengyu&chain=nev")
    assert api_xlsx.content[:2] == b"PK"


def test_the_dashboard_links_the_list_only_for_who_may_open_it(chengyu):
    office = client_for(chengyu["cy_office"]).get("/chains/dashboard/?zone=chengyu").content.decode()
    assert 'id="zone-gaps-link"' in office
    outsider = member(Role.ZONE_OFFICE, username="jjj_office_2", zone=Zone.objects.get(code="jjj"))
    other = client_for(outsider).get("/chains/dashboard/?zone=chengyu").content.decode()
    assert 'id="zone-gaps-link"' not in other and "/chains/zone-gaps/" not in other


def test_bad_input_is_refused_in_chinese(chengyu):
    client = client_for(chengyu["cy_office"])
    unknown = client.get("/api/v1/chains/zone-gaps/members?zone=chengyu&chain=nope")
    assert unknown.status_code == 404 and unknown.json()["message"] == "产业链不存在"
    fmt = client.get("/api/v1/chains/zone-gaps/members/export?zone=chengyu&chain=nev&format=doc")
    assert fmt.status_code == 400 and fmt.json()["message"] == "导出格式应为 xlsx 或 pdf"
    assert client.get("/chains/zone-gaps/?zone=nowhere").status_code == 404


def test_an_organisation_and_another_zones_office_are_refused(chengyu):
    with pytest.raises(Forbidden):
        reports.zone_list(actor=actor(chengyu["cd_admin"]), zone_code="chengyu", chain_code="nev")
    assert client_for(chengyu["cd_admin"]).get("/chains/zone-gaps/?zone=chengyu").status_code == 403
    assert seg("M07").name == "热管理系统"
