"""Playwright, issue 12 items 3, 7 and 8 walked as a newcomer would: the directory's region box (suggestions,
full names, no lookup URL in the address bar, a reload shows the page); an accepted intent showing both
parties' contacts to them; an order started before its slot only with the provider's reason, and the
calendar not calling the future slot 已完成."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, at, next_weekday, open_weekdays, with_prices
from tests.transfer.factories import AchievementFactory
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources import services as order_services
from xietong.resources.models import OpeningHours, ServiceOrder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username, PASSWORD)


# ------------------------------------------------------------------------------------------------ item 3


def test_the_directory_region_box_suggests_filters_and_survives_a_reload(live_server, page, shot):
    OrganisationFactory(name="昆山区域演示精密机械有限公司", region_id="320583")
    OrganisationFactory(name="嘉兴区域演示新材料有限公司", region_id="330402")
    OrganisationFactory(name="锦江区域演示软件有限公司", region_id="510104")
    base = live_server.url
    page.goto(f"{base}/orgs/?q=区域演示")
    box = page.locator("#region-input")
    # typing asks for suggestions, and the address bar stays on the directory
    with page.expect_response(lambda r: "/regions/lookup/" in r.url) as lookup:
        box.press_sequentially("kunshan", delay=40)
    assert lookup.value.json()["results"][0]["name"] == "昆山市"
    page.wait_for_selector("#region-options option", state="attached")
    assert page.locator("#region-options option").first.get_attribute("value") == "昆山市 320583"
    assert "/regions/lookup/" not in page.url
    shot(page, "newcomer-item3-01-suggestions")
    # submitting filters the list to 昆山
    box.press("Enter")
    page.wait_for_selector("#result-region")
    rows = page.locator("#directory-table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "昆山区域演示精密机械有限公司" in rows[0]
    assert "region_q=kunshan" in page.url and "/regions/lookup/" not in page.url
    # a reload shows the same filtered page, not JSON
    page.reload()
    assert page.locator("#directory-table").count() == 1
    rows = page.locator("#directory-table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "昆山区域演示精密机械有限公司" in rows[0]
    shot(page, "newcomer-item3-02-kunshan-after-reload")
    # a full name with its parents in front works too
    box = page.locator("#region-input")
    box.fill("成都市锦江区")
    box.press("Enter")
    page.wait_for_selector("#result-region:has-text('锦江区')")
    rows = page.locator("#directory-table tbody tr").all_inner_texts()
    assert len(rows) == 1 and "锦江区域演示软件有限公司" in rows[0]
    shot(page, "newcomer-item3-03-full-name")


# ------------------------------------------------------------------------------------------------ item 7


def test_after_acceptance_both_parties_see_each_others_contacts(live_server, page, shot):
    publisher = OrganisationFactory(name="上海意向演示大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    maker = OrganisationFactory(
        name="嘉兴意向演示电子有限公司",
        region_id="330402",
        contact_name="赵经理",
        contact_phone="13911112222",
    )
    listing = AchievementFactory(
        owner=publisher, region_id="310104", title="毫米波雷达芯片", contact_phone="13700001234"
    )
    member(Role.ORG_ADMIN, organisation=publisher, username="e2e_i7_pub")
    member(Role.ORG_ADMIN, organisation=maker, username="e2e_i7_maker")
    member(Role.REGION_BUREAU, region_id="310000", username="e2e_i7_bureau")
    base = live_server.url
    # the maker expresses interest on the listing page
    _as(page, base, "e2e_i7_maker")
    page.goto(f"{base}/transfer/achievements/{listing.pk}/")
    page.fill("#intent-form textarea", "希望洽谈技术许可")
    page.click("#express-interest")
    page.wait_for_selector("text=意向已提交")
    # the publisher accepts it on the intents page and sees the maker's contacts at once
    _as(page, base, "e2e_i7_pub")
    page.goto(f"{base}/transfer/intents/?box=received")
    page.click("#intent-table button[value=accept]")
    page.wait_for_selector("[data-intent-contacts]")
    contacts = page.inner_text("[data-intent-contacts]")
    assert "赵经理" in contacts and "13911112222" in contacts and "13700001234" in contacts
    shot(page, "newcomer-item7-01-publisher-sees-maker")
    # the maker sees the publisher's contacts
    _as(page, base, "e2e_i7_maker")
    page.goto(f"{base}/transfer/intents/?box=sent")
    assert "13700001234" in page.inner_text("[data-intent-contacts]")
    shot(page, "newcomer-item7-02-maker-sees-publisher")
    # the publisher's bureau reads the intent, not the contacts in it
    _as(page, base, "e2e_i7_bureau")
    page.goto(f"{base}/transfer/intents/")
    assert page.locator("#intent-table tbody tr").count() == 1
    assert page.locator("[data-intent-contacts]").count() == 0
    assert "13911112222" not in page.content()
    shot(page, "newcomer-item7-03-bureau-sees-no-contacts")


# ------------------------------------------------------------------------------------------------ item 8


def test_an_early_start_needs_the_reason_and_the_calendar_tells_the_truth(live_server, page, shot):
    ensure_categories()
    lab = OrganisationFactory(name="上海提前演示测试中心", kind=OrgKind.TESTING, region_id="310104")
    firm = OrganisationFactory(name="嘉兴提前演示智造有限公司", region_id="330402")
    instrument = ResourceFactory(owner=lab, name="X 射线衍射仪", requires_approval=True)
    with_prices(instrument)
    OpeningHours.objects.filter(resource=instrument).delete()
    open_weekdays(instrument)
    member(Role.ORG_ADMIN, organisation=lab, username="e2e_i8_lab")
    customer = member(Role.ORG_ADMIN, organisation=firm, username="e2e_i8_firm")
    day = next_weekday(1)
    order = order_services.order_book(
        actor=actor_for(customer),
        resource_id=instrument.pk,
        starts_at=at(day, "10:00"),
        ends_at=at(day, "12:00"),
    )
    base = live_server.url
    _as(page, base, "e2e_i8_lab")
    page.goto(f"{base}/resources/orders/{order.pk}/")
    page.click("#confirm-button")
    page.wait_for_selector(f"text=已确认订单：{order.number}")
    # before the slot, 开始服务 asks for a reason: the browser will not send the form without it
    page.click("#start-form button")
    assert page.evaluate("document.querySelector('#early-reason').validity.valueMissing") is True
    assert ServiceOrder.objects.get(pk=order.pk).status == "confirmed"
    shot(page, "newcomer-item8-01-reason-asked")
    page.fill("#early-reason", "客户提前送样，设备当日空闲")
    page.click("#start-form button")
    page.wait_for_selector(f"text=已开始服务：{order.number}")
    assert page.inner_text("#early-reason-shown") == "客户提前送样，设备当日空闲"
    history = page.inner_text("#content, main, body")
    assert "开始服务" in history and "order.started" not in history
    shot(page, "newcomer-item8-02-started-with-reason")
    # the provider's calendar shows the future slot as served ahead, never 已完成
    page.goto(f"{base}/resources/{instrument.pk}/?start={day.strftime('%Y-%m-%d')}")
    slot = page.inner_text(f"#calendar tr[data-day='{day.strftime('%Y-%m-%d')}']")
    assert "已提前服务" in slot and "已完成" not in slot
    o = ServiceOrder.objects.get(pk=order.pk)
    assert o.status == "in_progress" and o.early_reason == "客户提前送样，设备当日空闲"
    shot(page, "newcomer-item8-03-calendar")


# ------------------------------------------------------------------------------------------------ item 10


def test_the_english_menu_stays_on_one_line_at_1360_px(live_server, page, shot):
    member(Role.PLATFORM_ADMIN, username="e2e_i10_admin")  # the operator sees every menu
    base = live_server.url
    login(page, base, "e2e_i10_admin", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "newcomer-item10-01-english-menu")
    tops = page.eval_on_selector_all(
        ".xt-nav .navbar-nav > .nav-item",
        "items => items.map(i => Math.round(i.getBoundingClientRect().top))",
    )
    assert len(tops) >= 6 and len(set(tops)) == 1  # every entry on the same line
    assert page.eval_on_selector(".xt-nav", "n => n.getBoundingClientRect().height") < 70
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1360  # nothing pushed off the page
