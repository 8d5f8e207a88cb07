"""The JSON API under /api/v1/resources: catalogue, quote, calendar, booking workflow, bad input → 4xx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor
from tests.files import png_bytes
from tests.resources.factories import ResourceFactory, at, next_weekday, open_weekdays, with_prices
from xietong.core.models import AuditEvent
from xietong.regions.models import Zone
from xietong.resources import services
from xietong.resources.models import Resource, ServiceOrder

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


def test_catalogue_search_recognised_in_my_region(customer, instrument):
    # given a CMA testing service recognised in 长三角 and one recognised only in 京津冀
    yrd_lab = ResourceFactory(
        name="长三角互认检测", is_cma=True, owner=OrganisationFactory(region_id="320505", kind="testing")
    )
    yrd_lab.recognised_zones.set([Zone.objects.get(code="yrd")])
    jjj_lab = ResourceFactory(
        name="京津冀互认检测", is_cnas=True, owner=OrganisationFactory(region_id="110108", kind="testing")
    )
    jjj_lab.recognised_zones.set([Zone.objects.get(code="jjj")])
    client = client_for(customer["admin"])
    # when the 嘉兴 firm asks for resources recognised in its region
    names = {r["name"] for r in client.get("/api/v1/resources", {"recognised": True}).json()["items"]}
    # then
    assert names == {"长三角互认检测"}
    assert (
        client_for().get("/api/v1/resources", {"recognised": True}).status_code == 400
    )  # needs an organisation
    assert {
        r["name"] for r in client.get("/api/v1/resources", {"zone": "yrd", "q": "扫描电子"}).json()["items"]
    } == {"场发射扫描电子显微镜"}


def test_map_and_categories(instrument):
    points = client_for().get("/api/v1/resources/map").json()
    assert [(p["code"], p["count"]) for p in points] == [("310104", 1)]
    tree = client_for().get("/api/v1/resources/categories").json()
    assert tree[0]["code"] == "01" and tree[0]["children"][0]["code"] == "0101"


def test_quote_for_my_class(customer, instrument):
    day = next_weekday(1)
    response = client_for(customer["admin"]).get(
        f"/api/v1/resources/{instrument.pk}/quote",
        {"starts_at": at(day, "10:00").isoformat(), "ends_at": at(day, "11:30").isoformat()},
    )
    assert response.status_code == 200
    assert response.json() | {"customer_id": 0} == {
        "customer_id": 0, "customer_class": "same_zone", "amount_fen": 72000, "unit": "hour",
        "unit_price_fen": 48000, "minutes": 90, "samples": None,
    }  # fmt: skip


def test_book_confirm_usage_report_deliver_complete_by_api(provider, customer, instrument):
    firm, staff = client_for(customer["admin"]), client_for(provider["staff"])
    day = next_weekday(1)
    created = _post(firm, f"/api/v1/resources/{instrument.pk}/bookings",
                    {"starts_at": at(day, "10:00").isoformat(), "ends_at": at(day, "12:00").isoformat()})  # fmt: skip
    assert created.status_code == 201, created.json()
    order = created.json()
    assert (order["status"], order["quoted_fen"], order["payable_fen"]) == ("submitted", 96000, 96000)
    base = f"/api/v1/resources/orders/{order['id']}"
    assert _post(staff, f"{base}/confirm").json()["status"] == "confirmed"
    assert _post(staff, f"{base}/start").status_code == 409  # the slot has not begun: a reason is needed
    started = _post(staff, f"{base}/start", {"early_reason": "客户提前到场"}).json()
    assert (started["status"], started["early_reason"]) == ("in_progress", "客户提前到场")
    assert _post(staff, f"{base}/usage", {"minutes": 60}).json()["actual_fen"] == 48000
    upload = staff.post(
        f"{base}/report", {"file": SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")}
    )
    assert upload.status_code == 200 and upload.json()["has_report"] is True
    assert _post(staff, f"{base}/deliver").json()["status"] == "delivered"
    done = _post(firm, f"{base}/complete").json()
    assert (done["status"], done["payable_fen"]) == ("completed", 48000)
    report = firm.get(f"{base}/report")
    assert report.status_code == 200 and b"".join(report.streaming_content) == PDF


def test_double_booking_by_api_is_a_chinese_409(customer, instrument):
    firm = client_for(customer["admin"])
    day = next_weekday(1)
    body = {"starts_at": at(day, "10:00").isoformat(), "ends_at": at(day, "12:00").isoformat()}
    assert _post(firm, f"/api/v1/resources/{instrument.pk}/bookings", body).status_code == 201
    again = _post(firm, f"/api/v1/resources/{instrument.pk}/bookings", body)
    assert again.status_code == 409
    assert again.json() == {"code": "slot_taken", "message": "该时段已被预约，请选择其他时段", "detail": {}}


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"starts_at": "明天", "ends_at": "后天"}, 422, "日期时间格式不正确"),
        (
            {"starts_at": "2026-01-01T10:00:00+08:00", "ends_at": "2026-01-01T09:00:00+08:00"},
            400,
            "结束时间应晚于开始时间",
        ),
        ({"starts_at": "9999-12-31T23:00:00+00:00", "ends_at": "9999-12-31T23:59:00+00:00"}, 400, "一年之内"),
        ({"customer_id": 99999999999}, 403, "所属的机构"),
        ({"note": "x" * 501}, 422, "内容过长"),
    ],
)
def test_bad_booking_input_is_a_4xx_and_writes_nothing(customer, instrument, body, status, fragment):
    day = next_weekday(1)
    payload = {"starts_at": at(day, "10:00").isoformat(), "ends_at": at(day, "12:00").isoformat(), **body}
    events = AuditEvent.objects.count()
    response = _post(client_for(customer["admin"]), f"/api/v1/resources/{instrument.pk}/bookings", payload)
    assert response.status_code == status
    assert fragment in response.json()["message"]
    assert not ServiceOrder.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "path", ["/api/v1/resources/9223372036854775808", "/api/v1/resources/orders/99999999999999999999"]
)
def test_huge_ids_are_404_not_500(customer, path):
    assert client_for(customer["admin"]).get(path).status_code == 404


def test_calendar_shows_hours_and_busy_slots(customer, instrument):
    open_weekdays(instrument)
    day = next_weekday(1)
    services.order_book(
        actor=actor(customer["admin"]),
        resource_id=instrument.pk,
        starts_at=at(day, "10:00"),
        ends_at=at(day, "12:00"),
    )
    days = (
        client_for()
        .get(f"/api/v1/resources/{instrument.pk}/calendar", {"start": day.date().isoformat(), "days": 2})
        .json()
    )
    assert days[0]["opening"] == [["08:00", "18:00"]]
    assert [(b["status"], b["customer"], b["order_id"]) for b in days[0]["bookings"]] == [
        ("submitted", "", None)
    ]
    assert (
        client_for().get(f"/api/v1/resources/{instrument.pk}/calendar", {"start": "1900-01-01"}).status_code
        == 400
    )


def test_owner_admin_creates_a_resource_with_prices_hours_and_maintenance(provider):
    admin = client_for(provider["admin"])
    created = _post(admin, "/api/v1/resources", {
        "owner_id": provider["org"].pk, "name": "超高分辨质谱仪", "kind": "大型科研仪器", "category": "质谱仪器",
        "original_value": "3500000", "is_cnas": True, "recognised_zones": ["yrd", "g60"],
    })  # fmt: skip
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    resource = Resource.objects.get(pk=rid)
    assert sorted(resource.recognised_zones.values_list("code", flat=True)) == ["g60", "yrd"]
    assert (resource.region_id, resource.category.code, resource.original_value_fen) == (
        "310104",
        "0101",
        350000000,
    )
    prices = admin.put(f"/api/v1/resources/{rid}/price-list", {
        "unit": "hour", "minimum_charge_fen": 30000, "rounding": "yuan", "tiers": [
            {"customer_class": "other", "unit_price_fen": 80000},
            {"customer_class": "other", "weekdays": "67", "unit_price_fen": 120000},
            {"customer_class": "own_org", "unit_price_fen": 20000}]}, content_type="application/json")  # fmt: skip
    assert prices.status_code == 201 and len(prices.json()) == 3
    assert Resource.objects.get(pk=rid).list_price_fen == 80000
    hours = admin.put(f"/api/v1/resources/{rid}/opening-hours", [{"weekday": 1, "start": "08:00", "end": "12:00"},
                      {"weekday": 1, "start": "11:00", "end": "17:00"}], content_type="application/json")  # fmt: skip
    assert hours.status_code == 400 and "重叠" in hours.json()["message"]
    day = next_weekday(1)
    block = _post(admin, f"/api/v1/resources/{rid}/maintenance",
                  {"starts_at": at(day, "08:00").isoformat(), "ends_at": at(day, "10:00").isoformat(), "reason": "保养"})  # fmt: skip
    assert block.status_code == 201


@pytest.mark.parametrize(
    ("tiers", "fragment"),
    [
        ([{"customer_class": "own_org", "unit_price_fen": 1}], "“其他”类别"),
        ([{"customer_class": "other", "weekdays": "12345", "unit_price_fen": 1}], "缺少“全周全天”基础价"),
        ([{"customer_class": "other", "start": "25:00", "unit_price_fen": 1}], "HH:MM"),
        ([{"customer_class": "vip", "unit_price_fen": 1}], "客户类别“vip”无效"),
        ([], "至少需要一档"),
    ],
)
def test_bad_price_lists_are_refused(provider, instrument, tiers, fragment):
    response = client_for(provider["admin"]).put(
        f"/api/v1/resources/{instrument.pk}/price-list",
        {"unit": "hour", "tiers": tiers},
        content_type="application/json",
    )
    assert response.status_code == 400 and fragment in response.json()["message"]
    assert instrument.price_lists.count() == 1


def test_sample_service_by_api(provider, customer):
    service = ResourceFactory(owner=provider["org"], kind="service", name="EMC 检测", capacity=10)
    with_prices(service, unit="sample", tiers=[("other", 150000)])
    response = _post(
        client_for(customer["admin"]), f"/api/v1/resources/{service.pk}/sample-orders", {"samples": 2}
    )
    assert response.status_code == 201 and response.json()["quoted_fen"] == 300000
    bad = _post(
        client_for(customer["admin"]), f"/api/v1/resources/{service.pk}/sample-orders", {"samples": 0}
    )
    assert bad.status_code == 422


def test_photo_upload_checks_the_bytes(provider, instrument):
    admin = client_for(provider["admin"])
    fake = admin.post(
        f"/api/v1/resources/{instrument.pk}/photos", {"file": SimpleUploadedFile("a.png", b"GIF89a....")}
    )
    assert fake.status_code == 400 and "仅支持 JPG、PNG" in fake.json()["message"]
    png = png_bytes()
    ok = admin.post(
        f"/api/v1/resources/{instrument.pk}/photos",
        {"file": SimpleUploadedFile("a.png", png), "caption": "外观"},
    )
    assert ok.status_code == 201 and instrument.photos.count() == 1


def test_patch_a_resource_is_audited_and_validated(provider, instrument):
    admin = client_for(provider["admin"])
    response = admin.patch(
        f"/api/v1/resources/{instrument.pk}",
        {"open_status": "暂停开放", "capacity": 3, "is_cma": True, "recognised_zones": ["yrd"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    resource = Resource.objects.get(pk=instrument.pk)
    assert (resource.open_status, resource.capacity, resource.is_cma) == ("paused", 3, True)
    assert list(resource.recognised_zones.values_list("code", flat=True)) == ["yrd"]
    event = AuditEvent.objects.get(verb="resource.updated")
    assert event.data["fields"] == ["capacity", "is_cma", "open_status", "recognised_zones"]
    bad = admin.patch(
        f"/api/v1/resources/{instrument.pk}", {"category": "无此类别"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "类别“无此类别”不存在" in bad.json()["message"]
    assert Resource.objects.get(pk=instrument.pk).category.code == "0104"


def test_a_photo_is_removed_by_its_owner_only(provider, instrument):
    from tests.factories import member
    from xietong.core.roles import Role

    admin = client_for(provider["admin"])
    png = png_bytes()
    photo_id = admin.post(
        f"/api/v1/resources/{instrument.pk}/photos", {"file": SimpleUploadedFile("a.png", png)}
    ).json()["id"]
    url = f"/api/v1/resources/{instrument.pk}/photos/{photo_id}"
    other_admin = member(Role.ORG_ADMIN, organisation=OrganisationFactory(), username="other_org_admin")
    assert client_for().delete(url).status_code == 401
    assert client_for(other_admin).delete(url).status_code == 403
    assert admin.delete(f"/api/v1/resources/{instrument.pk}/photos/{10**9}").status_code == 400
    assert instrument.photos.count() == 1 and not AuditEvent.objects.filter(verb="resource.photo_removed")
    assert admin.delete(url).status_code == 204
    assert instrument.photos.count() == 0
    assert AuditEvent.objects.filter(verb="resource.photo_removed").count() == 1
