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
    page.wait_for_selector("#dataset-list >> text=2011–2024")
    assert "41" in page.inner_text("#dataset-list")
    # runs the index (the task runs at commit in test mode) and opens the report
    page.fill("#opt-sens", "16")
    page.click("#run-submit")
    page.wait_for_selector("#report[data-ready='1']")
    page.wait_for_selector("#chart-map canvas")
    assert page.locator("#rank-table tbody tr").count() == 41
    assert "上海市" in page.inner_text("#rank-table")
    page.select_option("#unit-select", "330400")  # 嘉兴市
    shot(page, "evaluation-report")
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
