"""A zone office imports a data set, runs the 长三角 preset, reads the report and downloads Excel and PDF."""

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import SHOTS, login
from tests.factories import PASSWORD, member
from xietong.core.roles import Role
from xietong.evaluation import demo
from xietong.regions.models import Zone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd"), username="e2e_yrd")


def test_zone_office_runs_the_yrd_index_and_downloads_the_report(live_server, page, shot, office, tmp_path):
    data_file = tmp_path / "长三角数据.xlsx"
    data_file.write_bytes(demo.workbook("yrd"))
    login(page, live_server.url, "e2e_yrd", PASSWORD)
    # the office creates the 长三角 framework from its preset
    page.goto(live_server.url + "/evaluation/")
    page.select_option("#preset-form select[name=preset]", "yrd")
    page.click("#preset-form button[type=submit]")
    page.wait_for_selector("#framework-table")
    assert "资源共享" in page.inner_text("#framework-table")
    # imports the data set
    page.set_input_files("#dataset-file", str(data_file))
    page.click("#dataset-form button[type=submit]")
    page.wait_for_selector(f"#dataset-list >> text=2011–{demo.LAST_YEAR}")
    assert "41" in page.inner_text("#dataset-list")
    # runs the index (the task runs at commit in test mode) and opens the report
    page.fill("#opt-sens", "16")
    page.select_option("#opt-sens-method", "sobol")
    page.click("#run-submit")
    page.wait_for_selector("#report[data-ready='1']")
    page.wait_for_selector("#chart-map canvas")
    assert page.locator("#rank-table tbody tr").count() == 41
    assert "上海市" in page.inner_text("#rank-table")
    # the sub-index growth: the index and its five 一级 sub-indices, the fastest marked
    assert page.locator("#growth-table tbody tr").count() == 1 + 5
    assert page.locator("#growth-table >> text=增长最快").count() == 1
    assert "增长最快，达到" in page.inner_text("#growth-sentence")
    page.select_option("#unit-select", "330400")  # 嘉兴市
    shot(page, "evaluation-report")
    # the remove-one analysis and the Sobol' indices are drawn
    assert page.locator("#remove-one-table tbody tr").count() == 5 + 11  # 5 一级 and 11 二级 components
    page.wait_for_selector("#chart-remove-one canvas")
    page.wait_for_selector("#chart-sobol canvas")
    assert "赋权方法" in page.inner_text("#sobol-table")
    page.locator("#chart-sobol").scroll_into_view_if_needed()
    shot(page, "evaluation-report-sensitivity")
    # downloads the Excel report
    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    xlsx_path = tmp_path / "report.xlsx"
    download_info.value.save_as(xlsx_path)
    assert xlsx_path.read_bytes()[:2] == b"PK"
    # and the PDF, which opens and shows Chinese text
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode()
    assert "长三角区域协同创新指数评价报告" in text and "资源共享" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(SHOTS / "evaluation-report-pdf"),
        ],
        check=True,
    )
    rendered = sorted(Path(SHOTS).glob("evaluation-report-pdf*.png"))
    assert rendered and rendered[-1].stat().st_size > 10_000


def test_office_imports_a_framework_by_page_and_refreshes_platform_indicators(
    live_server, page, shot, office, tmp_path
):
    import datetime as dt

    from tests.evaluation.helpers import GOOD_FRAMEWORK, data_rows
    from tests.factories import OrganisationFactory

    def workbook(rows, name):
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        path = tmp_path / name
        book.save(path)
        return str(path)

    year = dt.date.today().year
    rows = data_rows(years=(year - 1, year))
    for row in rows[1:]:
        if row[2] == year:
            row[5] = None  # this year's platform column ("c": high-tech enterprises) left blank
    login(page, live_server.url, "e2e_yrd", PASSWORD)
    # the office imports a new framework from Excel into its zone
    page.goto(live_server.url + "/evaluation/")
    page.click("#framework-import-link")
    page.fill("#fi-name", "测试协同指数")
    page.select_option("#fi-scope", "zone:yrd")
    page.set_input_files("#fi-file", workbook(GOOD_FRAMEWORK, "框架.xlsx"))
    page.click("#framework-import-submit")
    page.wait_for_selector("#framework-table")
    assert "平台高企数" in page.inner_text("#framework-table")
    # imports data, then a high-tech enterprise registers in 上海 and the office refreshes
    page.set_input_files("#dataset-file", workbook(rows, "数据.xlsx"))
    page.click("#dataset-form button[type=submit]")
    page.wait_for_selector("#refresh-platform")
    OrganisationFactory(region_id="310104", is_high_tech=True)
    page.click("#refresh-platform")
    page.wait_for_selector("text=已刷新平台指标：生成数据版本 2")
    page.click("#platform-sources summary")
    assert "orgs.high_tech" in page.inner_text("#platform-sources")
    shot(page, "evaluation-platform-refresh")
