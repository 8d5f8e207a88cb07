"""Pages in Chinese: catalogue + map, resource page with calendar and price, orders, provider console."""

import io

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory
from tests.resources.factories import ResourceFactory, at, next_weekday, with_prices
from xietong.resources import services
from xietong.resources.enums import OrderStatus
from xietong.resources.models import ServiceOrder

pytestmark = pytest.mark.django_db


def test_catalogue_lists_and_maps_open_resources(instrument):
    ResourceFactory(name="不开放的质谱仪", open_status="closed")
    html = client_for().get("/resources/").content.decode()
    assert "场发射扫描电子显微镜" in html and "不开放的质谱仪" not in html
    assert "共 1 项资源" in html and 'id="resource-map"' in html and '"count": 1' in html


def test_catalogue_filters_by_zone_category_and_price(instrument):
    chengdu = ResourceFactory(
        owner=OrganisationFactory(region_id="510107", kind="institute"), name="成都质谱仪"
    )
    with_prices(chengdu, tiers=[("other", 20000)])
    client = client_for()
    assert "共 1 项资源" in client.get("/resources/", {"zone": "chengyu"}).content.decode()
    assert "成都质谱仪" in client.get("/resources/", {"price_max": "300"}).content.decode()
    assert "共 0 项资源" in client.get("/resources/", {"category": "0101"}).content.decode()
    assert "共 2 项资源" in client.get("/resources/", {"category": "01"}).content.decode()


def test_catalogue_bad_filter_is_a_chinese_400(instrument):
    response = client_for().get("/resources/", {"region": "火星"})
    assert response.status_code == 400 and "找不到地区“火星”" in response.content.decode()
    response = client_for().get("/resources/", {"region": "999999"})
    assert response.status_code == 400 and "地区代码 999999 不存在" in response.content.decode()
    response = client_for().get("/resources/", {"category": "zz"})
    assert response.status_code == 400 and "类别“zz”不存在" in response.content.decode()


def test_catalogue_query_count_is_constant(instrument, django_assert_num_queries):
    for i in range(25):
        ResourceFactory(owner=instrument.owner, name=f"仪器{i}")
    # count + page (owner, region, category joined): no per-row queries
    with django_assert_num_queries(2):
        client_for().get("/resources/", HTTP_HX_REQUEST="true")
    with django_assert_num_queries(2):
        client_for().get("/api/v1/resources", {"page_size": 30})


def test_resource_page_shows_my_class_price_and_calendar(customer, instrument):
    day = next_weekday(1)
    services.order_book(
        actor=__import__("tests.factories", fromlist=["actor"]).actor(customer["admin"]),
        resource_id=instrument.pk, starts_at=at(day, "10:00"), ends_at=at(day, "12:00"),
    )  # fmt: skip
    html = (
        client_for(customer["admin"])
        .get(f"/resources/{instrument.pk}/", {"start": day.strftime("%Y-%m-%d")})
        .content.decode()
    )
    assert "适用“同协同区”价格" in html and "480.00 元" in html
    assert "10:00–12:00" in html and "嘉兴示例智能装备有限公司" in html  # the customer sees its own booking
    anonymous = (
        client_for().get(f"/resources/{instrument.pk}/", {"start": day.strftime("%Y-%m-%d")}).content.decode()
    )
    assert "10:00–12:00" in anonymous and "嘉兴示例智能装备有限公司" not in anonymous


def test_booking_by_page_and_errors_in_the_form(customer, instrument):
    client = client_for(customer["admin"])
    day = next_weekday(1).date().isoformat()
    response = client.post(
        f"/resources/{instrument.pk}/book/", {"day": day, "start": "10:00", "end": "12:00"}
    )
    order = ServiceOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/resources/orders/{order.pk}/"
    again = client.post(f"/resources/{instrument.pk}/book/", {"day": day, "start": "11:00", "end": "12:00"})
    assert again.status_code == 409 and "该时段已被预约" in again.content.decode()
    bad = client.post(f"/resources/{instrument.pk}/book/", {"day": "明天", "start": "10:00", "end": "12:00"})
    assert bad.status_code == 400
    assert ServiceOrder.objects.count() == 1


def test_provider_confirms_from_the_console(provider, customer, instrument):
    day = next_weekday(1).date().isoformat()
    client_for(customer["admin"]).post(
        f"/resources/{instrument.pk}/book/", {"day": day, "start": "10:00", "end": "12:00"}
    )
    order = ServiceOrder.objects.get()
    console = client_for(provider["staff"])
    assert order.number in console.get("/resources/console/").content.decode()
    response = console.post(f"/resources/orders/{order.pk}/confirm/", {"next": "/resources/console/"})
    assert response.status_code == 302 and response["Location"] == "/resources/console/"
    assert ServiceOrder.objects.get().status == OrderStatus.CONFIRMED
    # an outside redirect target is ignored
    response = client_for(customer["admin"]).post(
        f"/resources/orders/{order.pk}/cancel/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/resources/orders/{order.pk}/"


def test_console_tabs_render(provider, customer, instrument):
    client = client_for(provider["admin"])
    for url in (
        "/resources/console/",
        "/resources/console/calendar/",
        "/resources/console/usage/",
        "/resources/console/reports/",
        "/resources/import/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "服务方工作台" in response.content.decode() or "批量导入" in response.content.decode()


def test_console_is_for_organisation_members(db):
    from tests.factories import member
    from xietong.core.roles import Role

    bureau = member(Role.REGION_BUREAU, region_id="330400")
    assert client_for(bureau).get("/resources/console/").status_code == 403
    assert client_for().get("/resources/console/").status_code == 302


def test_my_orders_and_export(customer, instrument):
    day = next_weekday(1).date().isoformat()
    client = client_for(customer["admin"])
    client.post(f"/resources/{instrument.pk}/book/", {"day": day, "start": "10:00", "end": "12:00"})
    assert "共 1 单" in client.get("/resources/orders/").content.decode()
    response = client.get("/resources/orders/export.xlsx", {"side": "customer"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "订单号" and rows[1][3] == "场发射扫描电子显微镜" and rows[1][10] == 960.0


def test_my_orders_query_count_is_constant(customer, instrument, django_assert_num_queries):
    from tests.factories import actor

    firm = actor(customer["admin"])
    day = next_weekday(1)
    for hour in range(8, 18):
        services.order_book(
            actor=firm,
            resource_id=instrument.pk,
            starts_at=at(day, f"{hour:02d}:00"),
            ends_at=at(day, f"{hour:02d}:30"),
        )
    client = client_for(customer["admin"])
    client.get("/resources/orders/")  # warm the session and the actor caches
    # session + user + memberships (actor) + count + page
    with django_assert_num_queries(5):
        client.get("/resources/orders/")
    with django_assert_num_queries(5):
        client.get("/api/v1/resources/orders", {"side": "customer"})


def test_owner_manages_hours_maintenance_and_status_by_page(provider, customer, instrument):
    from xietong.resources.models import MaintenanceBlock, OpeningHours, Resource

    admin, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/manage/"
    assert client_for(provider["staff"]).get(url).status_code == 403
    assert client_for(customer["admin"]).get(url).status_code == 403
    assert admin.get(url).status_code == 200
    # opening hours, with a bad line first
    bad = admin.post(url, {"action": "hours", "hours": "1 08:30 17:30\n周二 9点"})
    assert bad.status_code == 400 and "第 2 行" in bad.content.decode() and not OpeningHours.objects.exists()
    admin.post(url, {"action": "hours", "hours": "1 08:30 17:30\n2 08:30 17:30"})
    assert OpeningHours.objects.filter(resource=instrument).count() == 2
    # maintenance, then removing it
    day = next_weekday(1).date().isoformat()
    response = admin.post(
        url,
        {"action": "maintenance", "starts_at": f"{day}T08:30", "ends_at": f"{day}T12:00", "reason": "校准"},
    )
    assert response.status_code == 302
    block = MaintenanceBlock.objects.get(resource=instrument)
    assert block.reason == "校准"
    admin.post(url, {"action": "remove-maintenance", "block": str(block.pk)})
    assert not MaintenanceBlock.objects.exists()
    # status
    admin.post(url, {"action": "status", "open_status": "paused"})
    assert Resource.objects.get(pk=instrument.pk).open_status == "paused"
    assert admin.post(url, {"action": "status", "open_status": "gone"}).status_code == 400
