"""Browser: a provider registers an instrument, uploads a photo, publishes a price list; the public page shows both."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.resources.conftest import ensure_categories
from tests.resources.test_edit_pages import png_bytes
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources.models import PriceList, Resource, ResourcePhoto

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_admin():
    ensure_categories()
    university = OrganisationFactory(name="上海示范理工大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    return member(Role.ORG_ADMIN, organisation=university, username="e2e_sh_admin")


def _serve_media(route) -> None:
    """The live server does not serve uploads (DEBUG is off in tests): answer /media/ from MEDIA_ROOT."""
    name = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
    path = Path(settings.MEDIA_ROOT) / name
    if path.is_file():
        route.fulfill(status=200, body=path.read_bytes(), content_type=mimetypes.guess_type(path.name)[0])
    else:
        route.fulfill(status=404, body=b"")


def test_provider_registers_an_instrument_with_photo_and_prices(
    live_server, page, shot, provider_admin, tmp_path
):
    base = live_server.url
    page.route("**/media/**", _serve_media)
    login(page, base, "e2e_sh_admin", PASSWORD)
    # 登记资源 from the provider console
    page.goto(f"{base}/resources/console/")
    page.click("#new-resource")
    page.wait_for_selector("#resource-form")
    page.fill("#id_name", "激光共聚焦显微镜")
    page.select_option("#id_category", "0104")
    page.fill("#id_model_number", "LSM 980")
    page.fill("#id_manufacturer", "蔡司")
    page.fill("#id_specs", "横向分辨率 120 nm；四路激光 405/488/561/639 nm")
    page.fill("#id_address", "徐汇校区实验楼 201")
    page.fill("#id_lng", "121.43")
    page.fill("#id_lat", "31.19")
    page.check("#id_is_cma")
    page.check("#id_zone_yrd")
    page.fill("#id_max_booking_hours", "8")
    shot(page, "resources-register-form")
    page.click("#resource-submit")
    page.wait_for_url("**/manage/")
    assert "已登记资源：激光共聚焦显微镜" in page.inner_text("main")
    resource = Resource.objects.get(name="激光共聚焦显微镜")
    assert (resource.max_booking_hours, resource.is_cma, resource.lng) == (8, True, 121.43)
    # a photo
    page.click("#tab-photos")
    image = tmp_path / "confocal.png"
    image.write_bytes(png_bytes(480, 320, (46, 125, 200)))
    page.set_input_files("#id_file", str(image))
    page.fill("#id_caption", "主机外观")
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("#photos img")
    assert ResourcePhoto.objects.get(resource=resource).caption == "主机外观"
    shot(page, "resources-register-photos")
    # a price list: base prices per class and a weekend price
    page.click("#tab-prices")
    page.fill("#id_price_own_org", "200")
    page.fill("#id_price_same_zone", "480")
    page.fill("#id_price_other", "650")
    page.select_option("select[name=w0_class]", "other")
    page.fill("input[name=w0_weekdays]", "67")
    page.fill("input[name=w0_price]", "800")
    page.fill("#id_minimum_charge", "100")
    page.click("#price-submit")
    page.wait_for_selector("text=已发布新价目表")
    assert "650.00 元" in page.inner_text("#current-prices")
    assert PriceList.objects.get(resource=resource).tiers.count() == 4
    shot(page, "resources-register-prices")
    # the public page, for anyone: the photo (really loaded) and the prices
    page.context.clear_cookies()
    page.goto(f"{base}/resources/{resource.pk}/")
    photo = page.locator("img[alt='主机外观']").first  # no string predicates: the CSP forbids eval
    page.wait_for_load_state("load")
    assert photo.evaluate("i => i.complete && i.naturalWidth > 0")
    prices = page.inner_text("#prices")
    assert "650.00 元" in prices and "800.00 元" in prices and "周六、周日" in prices
    shot(page, "resources-register-public-page")
