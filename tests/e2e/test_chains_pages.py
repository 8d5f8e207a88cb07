"""Playwright: the 成都 bureau opens 新能源汽车, sees its weak segments coloured on the graph, opens the 补链
segment 热管理系统, sees 重庆's organisations recommended with reasons, and exports its gap list as Excel."""

import pytest

from tests.chains.conftest import build_chengyu
from tests.e2e.conftest import download_workbook, login
from tests.factories import PASSWORD
from xietong.chains import services
from xietong.core.actor import SYSTEM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services.chain_presets_load(actor=SYSTEM)
    return build_chengyu()


def test_chengdu_bureau_finds_its_fill_gap_and_exports_it(live_server, page, shot, world):
    base = live_server.url
    login(page, base, "cd_bureau", PASSWORD)
    # the chain map of 新能源汽车, opened from the chain list
    page.goto(f"{base}/chains/")
    page.click("text=新能源汽车")
    page.wait_for_selector("#chain-graph[data-ready='1']")
    assert page.input_value("#scope-region") == "510100"
    bands = {page.locator("#segment-table tr[data-code='M07']").get_attribute("data-band"),
             page.locator("#segment-table tr[data-code='M01']").get_attribute("data-band")}  # fmt: skip
    assert bands == {"weak", "strong"}
    assert "补链" in page.inner_text("#gap-summary")
    shot(page, "chains-nev-graph-chengdu")
    # the weak segment: 重庆's organisations first, with reasons
    page.click("#gap-summary >> text=热管理系统")
    page.wait_for_selector("#gap-card")
    assert "重庆市（区位熵 2.06）在该环节具有优势" in page.inner_text("#gap-reason")
    first = page.locator("#gap-card .recommendations > li").first
    assert first.get_attribute("data-region")[:2] == "50"
    assert "重庆市在该环节区位熵 2.06（优势）" in first.inner_text()
    page.wait_for_selector("#presence-map[data-ready='1']")
    shot(page, "chains-segment-thermal-chengdu")
    # the gap list, exported as Excel
    page.goto(f"{base}/chains/nev/?zone=chengyu&region=510100")
    page.click("#gaps-link")
    page.wait_for_selector("#gaps-fill")
    shot(page, "chains-gap-list-chengdu")
    book = download_workbook(page, "#export-xlsx")
    rows = list(book["补链强链延链清单"].iter_rows(values_only=True))
    assert ("补链", "新能源汽车", "热管理系统") in {r[:3] for r in rows[1:]}
    recs = [r for r in book["推荐"].iter_rows(values_only=True) if r[1] == "热管理系统"]
    assert {r[5] for r in recs[:3]} == {"两江新区", "沙坪坝区", "南岸区"}  # 重庆's three, before 绵阳's
    assert "重庆市在该环节区位熵 2.06（优势）" in recs[0][7]


def test_chengdu_bureau_reads_the_whole_zones_list_and_exports_it(live_server, page, shot, world):
    base = live_server.url
    login(page, base, "cd_bureau", PASSWORD)
    # from the zone dashboard to the list of every member of 成渝
    page.goto(f"{base}/chains/dashboard/?zone=chengyu")
    page.click("#zone-gaps-link")
    page.wait_for_selector("#zone-gaps")
    row = page.locator("#zone-gaps tr[data-segment='M07']")
    text = row.inner_text()
    assert "成都市（0.31）" in text and "重庆市（2.06）" in text  # 成都 lacks 热管理系统, 重庆 could fill it
    assert row.locator("[data-region]").first.get_attribute("data-region")[:2] == "50"
    shot(page, "chains-zone-list-chengyu")
    book = download_workbook(page, "#export-xlsx")
    rows = list(book["协同区补链强链延链"].iter_rows(values_only=True))
    thermal = next(r for r in rows[1:] if r[1] == "热管理系统")
    assert "成都市（0.31）" in thermal[4] and thermal[5] == "重庆市（2.06）"
