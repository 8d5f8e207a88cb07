"""Browser: the Content-Security-Policy holds on every page kind, the home map's tooltip shows a zone name as
text, and an uploaded "PNG" carrying HTML never runs as a page of the platform's origin."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.files import png_with_html
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, with_prices
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.regions.models import Zone
from xietong.resources.models import ResourcePhoto

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS_NAME = '<img src=x onerror="window.__xss=(window.__xss||0)+1">协同区'


def _watch(page) -> dict:
    """Collect CSP violations, page errors and dialogs the page raises."""
    seen = {"csp": [], "errors": [], "dialogs": []}
    page.on(
        "console",
        lambda m: seen["csp"].append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "(window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def test_the_home_map_tooltip_shows_a_zone_name_as_text(live_server, page, shot):
    # given a zone whose name is an HTML payload
    Zone.objects.filter(code="yrd").update(name=XSS_NAME)
    seen = _watch(page)
    # when the map is drawn and the tooltip of one of the zone's cities is shown
    page.goto(live_server.url + "/")
    page.wait_for_selector("#zone-map[data-ready='1'] canvas")
    page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById("zone-map"));
        const series = chart.getOption().series.findIndex((s) => s.name.includes("协同区"));
        chart.dispatchAction({ type: "showTip", seriesIndex: series, dataIndex: 0 });
    }"""
    )
    tooltip = page.locator("#zone-map div").filter(has_text="协同区").last
    tooltip.wait_for()
    page.wait_for_timeout(300)
    # then the name is shown as text, no element is made of it, and nothing ran
    assert '<img src=x onerror="window.__xss=(window.__xss||0)+1">协同区' in tooltip.inner_text()
    assert page.locator("#zone-map img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert seen["errors"] == [] and seen["dialogs"] == []
    shot(page, "home-map-escaped-tooltip")


@pytest.fixture
def provider():
    ensure_categories()
    university = OrganisationFactory(name="上海示范理工大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    resource = ResourceFactory(owner=university, name="场发射扫描电子显微镜")
    with_prices(resource)
    return {
        "resource": resource,
        "admin": member(Role.ORG_ADMIN, organisation=university, username="e2e_csp_lab"),
    }


def test_an_uploaded_png_with_html_never_runs_as_a_page(live_server, page, shot, provider, tmp_path):
    base, resource = live_server.url, provider["resource"]
    seen = _watch(page)
    login(page, base, "e2e_csp_lab", PASSWORD)
    payload = png_with_html()
    # the polyglot offered as a page is refused, whatever its bytes
    page.goto(f"{base}/resources/{resource.pk}/photos/")
    page.set_input_files(
        "input[type=file][name=file]",
        files=[{"name": "poc.html", "mimeType": "text/html", "buffer": payload}],
    )
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("text=图片类型不正确，仅支持 JPG、PNG")
    assert not ResourcePhoto.objects.exists()
    # offered as a PNG it is accepted, re-encoded and served as an image: opening its URL runs nothing
    page.goto(f"{base}/resources/{resource.pk}/photos/")
    page.set_input_files(
        "input[type=file][name=file]", files=[{"name": "poc.png", "mimeType": "image/png", "buffer": payload}]
    )
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("text=已上传图片")
    url = f"{base}/media/{ResourcePhoto.objects.get().file.name}"
    with urllib.request.urlopen(url) as raw:  # the live server answers /media/ itself, by the stored name
        assert raw.headers["Content-Type"] == "image/png" and b"<script" not in raw.read()
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_selector("img")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None and page.title() != "pwned"
    assert seen["dialogs"] == []


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "#zone-map[data-ready='1'] canvas"),
        ("/orgs/", "#directory-form"),
        ("/resources/", "#resource-map[data-ready='1'] canvas"),
        ("/api/v1/docs", "#swagger-ui .information-container"),
        ("/admin/login/", "#login-form"),
    ],
)
def test_pages_work_under_the_policy_without_violations(live_server, page, path, ready):
    ensure_categories()
    seen = _watch(page)
    response = page.goto(live_server.url + path)
    policy = response.all_headers()["content-security-policy"]
    assert (
        "default-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    )
    page.wait_for_selector(ready)
    page.wait_for_timeout(300)
    assert seen["csp"] == [] and page.evaluate("window.__violations || []") == []
    assert seen["errors"] == []


def test_the_directory_region_lookup_and_language_switch_work_without_inline_handlers(live_server, page):
    seen = _watch(page)
    page.goto(live_server.url + "/orgs/")
    page.fill("#region-input", "嘉兴")
    page.press("#region-input", "End")  # htmx listens to keyup
    expect(page.locator("#region-options option").first).to_be_attached()
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    assert seen["csp"] == [] and page.evaluate("window.__violations || []") == []


def test_the_admin_works_under_the_policy(live_server, page):
    from tests.factories import UserFactory

    UserFactory(username="e2e_csp_ops", is_staff=True, is_superuser=True)
    seen = _watch(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "e2e_csp_ops")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_selector("#content-main")
    page.goto(live_server.url + "/admin/resources/serviceorder/")
    page.wait_for_selector("#changelist")
    page.goto(live_server.url + "/admin/auth/user/")
    page.click("#action-toggle")  # the admin's own script (select all) runs
    expect(page.locator("#changelist-form .action-counter")).to_contain_text("1")
    assert seen["csp"] == [] and page.evaluate("window.__violations || []") == []
    assert seen["errors"] == []
