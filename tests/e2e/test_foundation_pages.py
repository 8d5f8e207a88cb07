import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation
from xietong.regions.models import Zone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data():
    for i in range(12):
        OrganisationFactory(name=f"重庆渝中智能装备{i}有限公司", region_id="500103")
    OrganisationFactory(
        name="成都高新生物医药研究院", region_id="510107", kind=OrgKind.INSTITUTE, industry="biomedicine"
    )
    pending = OrganisationFactory(
        name="重庆待审核新材料有限公司", region_id="500103", status=OrgStatus.PENDING
    )
    return {
        "pending": pending,
        "cq_bureau": member(Role.REGION_BUREAU, region_id="500000", username="e2e_cq"),
        "sc_bureau": member(Role.REGION_BUREAU, region_id="510000", username="e2e_sc"),
        "office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu"), username="e2e_office"),
    }


def test_home_shows_the_zone_map_in_chinese(live_server, page, shot, data):
    page.goto(live_server.url + "/")
    page.wait_for_selector("#zone-map[data-ready='1'] canvas")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("[data-zone=chengyu]").inner_text().startswith("成渝地区双城经济圈")
    shot(page, "home")


def test_directory_search_and_organisation_page(live_server, page, shot, data):
    login(page, live_server.url, "e2e_office", PASSWORD)
    page.goto(live_server.url + "/orgs/")
    page.fill("#id_q", "智能装备")
    page.select_option("#id_kind", "enterprise")
    page.click("#directory-form button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text("12")  # no string predicates: the CSP forbids eval
    shot(page, "directory")
    page.click("text=重庆渝中智能装备0有限公司")
    page.wait_for_selector("#contact")
    assert "13812345678" in page.inner_text(
        "#contact"
    )  # the zone office may see member organisations' contacts
    shot(page, "organisation")


def test_bureau_approves_a_registration_and_another_province_cannot_see_it(live_server, page, shot, data):
    pending = data["pending"]
    login(page, live_server.url, "e2e_sc", PASSWORD)
    response = page.goto(f"{live_server.url}/orgs/{pending.pk}/")
    assert response.status == 404
    page.context.clear_cookies()
    login(page, live_server.url, "e2e_cq", PASSWORD)
    page.goto(live_server.url + "/orgs/review/")
    assert page.inner_text("#queue-count") == "1"
    shot(page, "review-queue")
    page.click("#review-table button[value=approve]")
    page.wait_for_selector("text=已通过：重庆待审核新材料有限公司")
    assert Organisation.objects.get(pk=pending.pk).status == OrgStatus.APPROVED


def test_english_interface(live_server, page, data):
    page.goto(live_server.url + "/")
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    assert "Organisation directory" in page.inner_text("nav")
