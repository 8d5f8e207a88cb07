"""Browser: a 嘉兴 enterprise searches the catalogue, books a Shanghai instrument, the provider confirms it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, next_weekday, open_weekdays, with_prices
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources.enums import OrderStatus
from xietong.resources.models import ServiceOrder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data():
    ensure_categories()
    university = OrganisationFactory(name="上海示范理工大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    firm = OrganisationFactory(name="嘉兴智造示范有限公司", region_id="330402")
    sem = ResourceFactory(owner=university, name="场发射扫描电子显微镜", specs="分辨率 1.0 nm @ 15 kV")
    with_prices(sem)
    open_weekdays(sem)
    for i in range(3):
        other = ResourceFactory(owner=university, name=f"X射线衍射仪{i}")
        with_prices(other)
    return {
        "sem": sem,
        "firm_admin": member(Role.ORG_ADMIN, organisation=firm, username="e2e_jx_firm"),
        "provider_staff": member(Role.ORG_MEMBER, organisation=university, username="e2e_sh_lab"),
    }


def test_enterprise_books_a_slot_and_the_provider_confirms(live_server, page, shot, data):
    base = live_server.url
    day = next_weekday(1).date().isoformat()
    # the enterprise searches the catalogue across 长三角
    login(page, base, "e2e_jx_firm", PASSWORD)
    page.goto(f"{base}/resources/")
    page.fill("#id_q", "扫描电子")
    page.select_option("#id_zone", "yrd")
    page.click("#catalogue-form button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text("1")  # no string predicates: the CSP forbids eval
    page.wait_for_selector("#resource-map[data-ready='1'] canvas")
    shot(page, "resources-catalogue")
    # opens the instrument: its class price (同协同区) and the calendar
    page.click("text=场发射扫描电子显微镜")
    page.wait_for_selector("#my-price")
    assert "同协同区" in page.inner_text("#my-price") and "480.00 元" in page.inner_text("#my-price")
    page.goto(f"{base}/resources/{data['sem'].pk}/?start={day}")
    page.fill("#id_day", day)
    page.fill("#id_start", "10:00")
    page.fill("#id_end", "12:00")
    shot(page, "resources-resource-page")
    page.click("#book-form button[type=submit]")
    page.wait_for_selector("#order-status")
    assert page.inner_text("#order-status") == "待确认"
    assert page.inner_text("#quoted") == "960.00 元"
    shot(page, "resources-order-submitted")
    order = ServiceOrder.objects.get()
    # the provider sees it in the console and confirms
    page.context.clear_cookies()
    login(page, base, "e2e_sh_lab", PASSWORD)
    page.goto(f"{base}/resources/console/")
    page.wait_for_selector(f"tr[data-order='{order.number}']")
    shot(page, "resources-provider-console")
    page.click(f"tr[data-order='{order.number}'] button[type=submit]")
    page.wait_for_selector(f"text=已确认订单：{order.number}")
    assert page.inner_text(f"tr[data-order='{order.number}'] .order-status") == "已确认"
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
    page.goto(f"{base}/resources/console/calendar/?resource={data['sem'].pk}&start={day}")
    page.wait_for_selector("#calendar .booking")
    shot(page, "resources-provider-calendar")
