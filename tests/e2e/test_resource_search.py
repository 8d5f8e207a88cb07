"""Browser: the catalogue finds 扫描电子显微镜 from "SEM", filters by a region's name and sorts by distance."""

import pytest

from tests.factories import OrganisationFactory
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data():
    ensure_categories()
    ResourceFactory(
        owner=OrganisationFactory(name="上海示范理工大学", region_id="310104"), name="场发射扫描电子显微镜"
    )
    ResourceFactory(
        owner=OrganisationFactory(name="苏州纳米示范所", region_id="320505"), name="钨灯丝扫描电镜"
    )
    ResourceFactory(
        owner=OrganisationFactory(name="成都示范测试中心", region_id="510107"), name="台式扫描电镜"
    )
    ResourceFactory(
        owner=OrganisationFactory(name="北京示范工研院", region_id="110108"), name="工业级增材制造设备"
    )


def names(page):
    return [t.strip() for t in page.locator("#catalogue-table tbody tr td:first-child").all_inner_texts()]


def test_abbreviation_region_name_and_distance(live_server, page, shot, data):
    base = live_server.url
    page.goto(f"{base}/resources/")
    page.fill("#id_q", "SEM")
    page.fill("#id_near", "成都")
    page.click("#catalogue-form button[type=submit]")
    page.wait_for_url("**near=**")
    found = names(page)
    assert len(found) == 3 and "台式扫描电镜" in found[0]
    assert "钨灯丝扫描电镜" in found[2] or "场发射扫描电子显微镜" in found[2]
    shot(page, "resources-search-sem-near")
    page.fill("#id_q", "3D打印")
    page.fill("#id_near", "")
    page.click("#catalogue-form button[type=submit]")
    page.wait_for_url("**q=3D**")
    assert len(names(page)) == 1 and "增材制造" in names(page)[0]
    page.fill("#id_q", "扫描电镜")
    page.fill("#id_region", "苏州")
    page.click("#catalogue-form button[type=submit]")
    page.wait_for_url("**region=**")
    assert len(names(page)) == 1 and "钨灯丝扫描电镜" in names(page)[0]
    shot(page, "resources-search-region-name")
