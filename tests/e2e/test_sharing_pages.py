"""Playwright: the 四川 bureau sets up a 存量/增量 agreement with 重庆, imports a quarter's revenue, settles,
downloads the statement; the 重庆 bureau sees the same figures."""

import pytest

from tests.e2e.conftest import download_workbook, login
from tests.factories import PASSWORD, member
from xietong.core.excel import write_workbook
from xietong.core.roles import Role
from xietong.ledger.checks import run_all
from xietong.sharing.excel import REVENUE_COLUMNS
from xietong.sharing.models import Settlement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bureaus(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {
        "sc": member(Role.REGION_BUREAU, region_id="510000", username="e2e_sc"),
        "cq": member(Role.REGION_BUREAU, region_id="500000", username="e2e_cq"),
    }


def test_bureau_sets_up_imports_settles_and_the_other_party_sees_the_same(
    live_server, page, shot, bureaus, tmp_path
):
    base = live_server.url
    login(page, base, "e2e_sc", PASSWORD)
    # the agreement
    page.goto(f"{base}/sharing/new/")
    page.fill("#code", "CY-E2E-1")
    page.fill("#name", "川渝高竹新区财税分享协议")
    page.select_option("#kind", "zone")
    page.fill("#park_name", "川渝高竹新区")
    page.fill("#host_region", "511600")
    page.fill("#parties", "510000,500000")
    page.click("#agreement-form button[type=submit]")
    page.wait_for_url("**/rules/")
    # the live worked example: 1,000,000.00 baseline, 1,300,000.01 this year
    page.fill("#rules-table .r-base", "2024")
    page.fill("#ex-base", "1000000.00")
    page.fill("#ex-amount", "1300000.01")
    rows = page.locator("#example tbody tr")
    assert rows.nth(0).inner_text().split("\t")[1:] == ["1,000,000.00", "150,000.01", "1,150,000.01"]
    assert rows.nth(1).inner_text().split("\t")[1:] == ["0.00", "150,000.00", "150,000.00"]
    shot(page, "sharing-01-editor-worked-example")
    page.fill("#effective_from", "2025-01")
    page.click("#adopt")
    page.wait_for_url("**/sharing/*/")
    # the park's enterprises
    page.click("text=园区企业")
    for name, origin in (("高竹智造有限公司", "510000"), ("渝广新材料有限公司", "500000")):
        page.fill("#e-name", name)
        page.fill("#e-origin", origin)
        page.fill("#e-entry", "2024-01-01")
        page.click("#enterprise-form button[type=submit]")
        page.wait_for_selector(f"#enterprises >> text={name}")
    # a quarter of revenue (and the base year's)
    data = [
        ["高竹智造有限公司", "增值税", "2024-12", "1000000.00"],
        ["渝广新材料有限公司", "企业所得税", "2024-12", "200000.00"],
    ]
    data += [["高竹智造有限公司", "增值税", f"2025-0{m}", "433333.34"] for m in (1, 2, 3)]
    data += [["渝广新材料有限公司", "企业所得税", f"2025-0{m}", "100000.01"] for m in (1, 2, 3)]
    workbook = tmp_path / "quarter.xlsx"
    workbook.write_bytes(write_workbook(title="收入", columns=REVENUE_COLUMNS, rows=data))
    page.click("text=收入记录")
    page.set_input_files("#import-file", str(workbook))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#records >> text=2025-03")
    shot(page, "sharing-02-records-imported")
    # settle
    page.click("text=概览")
    page.click("#settle-form button[type=submit]")
    page.wait_for_selector("#settlements >> text=2025-03")
    page.wait_for_selector("#chart-revenue[data-ready='1']")
    shot(page, "sharing-03-dashboard-settled")
    assert Settlement.objects.count() == 3 and run_all() == []
    # the statement and its download
    page.goto(f"{base}/sharing/{Settlement.objects.first().agreement_id}/statement/?party=510000&year=2025")
    mine = page.inner_text("#statement-total")
    sheet = download_workbook(page, "#download-xlsx").worksheets[0]
    total = sum(float(r[3]) for r in sheet.iter_rows(min_row=2, values_only=True))
    # 四川: 高竹 2025 Q1 1,300,000.02 vs baseline 1,000,000.00 → stock 1,000,000 + half the increment 150,000.01;
    # 渝广 Q1 300,000.03 vs 200,000.00 → half the increment 50,000.02 (四川 is listed first)
    assert mine == "1,200,000.03 元"
    assert round(total, 2) == 1_200_000.03
    shot(page, "sharing-04-statement-sichuan")
    # the other party sees the same figures
    page.goto(f"{base}/accounts/logout/") if False else page.context.clear_cookies()
    login(page, base, "e2e_cq", PASSWORD)
    agreement_id = Settlement.objects.first().agreement_id
    page.goto(f"{base}/sharing/{agreement_id}/statement/?party=510000&year=2025")
    assert page.inner_text("#statement-total") == mine
    page.goto(f"{base}/sharing/{agreement_id}/statement/?party=500000&year=2025")
    # 重庆: 渝广 stock 200,000.00 + its half 50,000.01, 高竹's half 150,000.01
    assert page.inner_text("#statement-total") == "400,000.02 元"
    shot(page, "sharing-05-statement-chongqing")
