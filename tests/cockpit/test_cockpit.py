"""The zone cockpit: flows between the zone's cities equal the orders and contracts behind them; each flow
links to exactly those records; only the zone's office (and the platform) gets in."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.utils import timezone

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.vouchers import factories as vf
from xietong.cockpit import selectors
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.regions.models import Zone
from xietong.resources.enums import OrderStatus
from xietong.transfer.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    sh = OrganisationFactory(name="上海徐汇测试研究院", region_id="310104", kind=OrgKind.TESTING)
    jx = OrganisationFactory(name="嘉兴南湖测试企业", region_id="330402")
    hz = OrganisationFactory(name="杭州西湖测试企业", region_id="330106")
    bj = OrganisationFactory(name="北京海淀测试企业", region_id="110108")
    yrd = Zone.objects.get(code="yrd")
    now = timezone.now()

    def done(provider, customer, fen, days_ago=10, status=OrderStatus.COMPLETED):
        o = vf.order(provider=provider, customer=customer, quoted_fen=fen, status=status)
        o.actual_fen = fen
        o.completed_at = now - timedelta(days=days_ago) if status == OrderStatus.COMPLETED else None
        o.save(update_fields=["actual_fen", "completed_at"])
        return o

    orders = {
        "sh_jx_1": done(sh, jx, 100_000),
        "sh_jx_2": done(sh, jx, 50_000, days_ago=40),
        "sh_hz": done(sh, hz, 30_000),
        "sh_bj": done(sh, bj, 70_000),  # the customer is outside the zone: not a flow of the zone
        "jx_jx": done(jx, jx, 10_000),  # inside one city: counted in the totals, no line
        "old": done(sh, jx, 99_000, days_ago=500),  # outside the 12-month window
        "open": done(sh, hz, 20_000, status=OrderStatus.CONFIRMED),
    }
    Contract.objects.create(
        registration_no="C-1", title="电池热管理许可", kind="license", seller_name=hz.name, seller_org=hz,
        seller_region_id="330106", buyer_name=jx.name, buyer_org=jx, buyer_region_id="330402",
        amount_fen=5_000_000, tech_amount_fen=4_000_000, signed_on=timezone.localdate() - timedelta(days=5),
    )  # fmt: skip
    return {
        "orders": orders,
        "yrd": yrd,
        "office": member(Role.ZONE_OFFICE, zone=yrd),
        "jjj_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="jjj")),
        "bureau": member(Role.REGION_BUREAU, region_id="330400"),
    }


def test_flows_equal_the_records_behind_them(world):
    data = selectors.cockpit(actor=actor(world["office"]), zone=world["yrd"])
    orders = data["kinds"]["orders"]
    edges = {(e.src, e.dst): (e.count, e.fen) for e in orders["edges"]}
    # 上海 (a municipality member) → 嘉兴 and 杭州 (cities of the member 浙江省)
    assert edges == {("310000", "330400"): (2, 150_000), ("310000", "330100"): (1, 30_000)}
    assert orders["totals"] == {"count": 4, "fen": 190_000, "cross_count": 3, "cross_fen": 180_000}
    assert sum(orders["trend"]) == 4 and len(orders["trend"]) == 12
    contracts = {(e.src, e.dst): (e.count, e.fen) for e in data["kinds"]["contracts"]["edges"]}
    assert contracts == {("330100", "330400"): (1, 4_000_000)}
    by_city = {r["code"]: r for r in data["open_items"]}
    assert by_city["310000"]["orders"] == 1 and by_city["310000"]["name"] == "上海市"


def test_a_flow_line_links_to_exactly_its_orders(world):
    client = client_for(world["office"])
    page = client.get("/cockpit/yrd/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'href="/cockpit/yrd/orders/?src=310000&dst=330400"' in body
    listing = client.get("/cockpit/yrd/orders/", {"src": "310000", "dst": "330400"})
    text = listing.content.decode()
    o = world["orders"]
    assert o["sh_jx_1"].number in text and o["sh_jx_2"].number in text
    assert o["sh_hz"].number not in text and o["old"].number not in text
    assert 'data-testid="record-total">2<' in text
    export = client.get("/cockpit/yrd/orders.xlsx", {"src": "310000", "dst": "330400"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/cockpit/yrd/export.xlsx").status_code == 200
    opened = client.get("/cockpit/yrd/open-orders/", {"src": "310000"}).content.decode()
    assert o["open"].number in opened and o["sh_jx_1"].number not in opened


def test_bad_filters_are_a_400_in_chinese(world):
    client = client_for(world["office"])
    assert client.get("/cockpit/yrd/orders/", {"src": "110000"}).status_code == 400
    assert client.get("/cockpit/yrd/orders/", {"month": "2026-13"}).status_code == 400
    assert client.get("/cockpit/yrd/nothing/").status_code == 400


def test_only_the_zone_office_gets_in(world):
    assert client_for(world["jjj_office"]).get("/cockpit/yrd/").status_code == 404
    assert client_for(world["bureau"]).get("/cockpit/yrd/").status_code == 404
    assert client_for(world["bureau"]).get("/cockpit/yrd/orders/").status_code == 404
    assert client_for(None).get("/cockpit/yrd/").status_code == 302


def test_zone_office_lands_on_its_cockpit(world):
    client = client_for(world["office"])
    assert client.get("/me/start/")["Location"] == "/cockpit/"
    assert client.get("/cockpit/")["Location"] == "/cockpit/yrd/"
    assert client_for(world["bureau"]).get("/me/start/")["Location"] == "/me/todos/"


def test_month_window(world):
    w = selectors.Window.month("2026-02")
    assert (w.start, w.end) == (date(2026, 2, 1), date(2026, 3, 1))
    assert selectors.Window.month("2026-12").end == date(2027, 1, 1)


def test_the_cockpit_and_its_records_in_english(world, settings):
    client = client_for(world["office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/cockpit/yrd/").content.decode()
    assert '<html lang="en"' in body
    assert (
        "Instrument-sharing orders" in body
        and "Voucher redemptions" in body
        and "Technology contracts" in body
    )
    assert "Instrument-sharing orders: flows" in body and "(end excluded)" in body
    # the charts' JSON carries the same labels (plain strings, in the reader's language)
    assert '"label": "Instrument-sharing orders"' in body
    for chinese in ("仪器共享订单", "创新券兑付", "技术合同", "成员城市间流向", "不含", "流向"):
        assert chinese not in body, chinese
    listing = client.get("/cockpit/yrd/orders/", {"src": "310000", "dst": "330400"}).content.decode()
    assert (
        "Order no." in listing
        and "Instrument / service" in listing
        and "Instrument-sharing orders" in listing
    )
    assert "订单号" not in listing and "仪器/服务" not in listing and "仪器共享订单" not in listing
    # the Excel export stays in Chinese, as the records of record are
    export = client.get("/cockpit/yrd/orders.xlsx", {"src": "310000", "dst": "330400"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert (sheet.title, sheet.cell(1, 1).value) == ("仪器共享订单", "订单号")
