"""Playwright: what a first walk through the merged product tripped over, one short flow per fix."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.vouchers import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_opens_an_application_from_the_queue_and_finds_the_way_back(live_server, page, shot):
    # given a 嘉兴 programme and a firm's application waiting in the bureau's queue
    firm = OrganisationFactory(name="嘉兴南湖走查科技有限公司", region_id="330402", is_tech_sme=True)
    bureau = member(Role.REGION_BUREAU, region_id="330400", username="walk_jx")
    applicant = member(Role.ORG_ADMIN, organisation=firm, username="walk_firm")
    programme = vf.programme(actor=actor_for(bureau), name="嘉兴市科技创新券（走查）")
    application = services.application_submit(actor=actor_for(applicant), programme_id=programme.pk, enterprise_id=firm.pk,
                                amount_fen=800_000, purpose="委托检测")  # fmt: skip
    base = live_server.url
    login(page, base, "walk_jx", PASSWORD)
    # when the bureau opens the application from the review queue (its page shows the history and attachments)
    page.goto(f"{base}/vouchers/review/")
    page.click("#application-queue a:text('嘉兴南湖走查科技有限公司')")
    page.wait_for_selector("#application-facts")
    shot(page, "walk-application-from-queue")
    # then the page leads back to the queue
    page.click("#application-back a:text('创新券审核')")
    page.wait_for_selector("#application-queue")
    # and the applicant's own view of it leads back to its vouchers
    page.context.clear_cookies()
    login(page, base, "walk_firm", PASSWORD)
    page.goto(f"{base}/vouchers/applications/{application.pk}/")
    page.click("#application-back a:text('我的创新券')")
    page.wait_for_url(f"{base}/vouchers/mine/")


def test_a_bureaus_english_bar_keeps_the_account_buttons_on_screen(live_server, page, shot):
    # given a city bureau (its bar carries the review and import menus) reading English at 1,360 px
    bureau = member(Role.REGION_BUREAU, region_id="330400", username="walk_jx_en")
    bureau.first_name = "嘉兴市科技局"
    bureau.save(update_fields=["first_name"])
    base = live_server.url
    login(page, base, "walk_jx_en", PASSWORD)
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    page.wait_for_load_state(
        "networkidle"
    )  # the to-do and notice counts load after the page and widen the bar
    # then the log-out button is inside the window, not cut off at its right edge
    logout = page.locator("nav form[action$='/logout/'] button").bounding_box()
    assert logout is not None and logout["x"] + logout["width"] <= 1360
    shot(page, "walk-english-bar")
