"""Playwright (Python) driving Debian's chromium; screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import shutil
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000  # a real rendering, not a blank page
        return path

    return take


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    # a login lands on the to-do centre (a zone office on its cockpit), no longer on the home page
    page.wait_for_url(lambda url: url.startswith(base) and "/accounts/login/" not in url)
    page.wait_for_load_state()


def download_workbook(page, selector: str):
    """Click the export link at `selector` and open the workbook the browser received."""
    with page.expect_download() as download:
        page.click(selector)
    return load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
