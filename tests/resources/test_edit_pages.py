"""Provider pages: register a resource, edit it, its photos and its price list; bad input; tenancy."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.resources.factories import ResourceFactory
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.resources.models import PriceList, PriceTier, Resource, ResourcePhoto

pytestmark = pytest.mark.django_db


def png_bytes(width: int = 8, height: int = 6, rgb: tuple[int, int, int] = (31, 111, 235)) -> bytes:
    """A real (tiny, one-colour) PNG, so that browsers can show it too."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _png(name: str = "sem.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or png_bytes(), content_type="image/png")


def _new_resource_post(owner: int, **changes) -> dict:
    data = {
        "owner_id": str(owner), "kind": "instrument", "name": "激光共聚焦显微镜", "category": "0104",
        "region": "", "model_number": "LSM 980", "manufacturer": "蔡司", "original_value": "3250000.50",
        "specs": "分辨率 120 nm", "description": "活细胞成像", "address": "徐汇校区实验楼 201", "asset_code": "ZJ-001",
        "lng": "121.43", "lat": "31.19", "open_status": "open", "is_cma": "on", "recognised_zones": ["yrd"],
        "capacity": "2", "advance_days": "45", "min_notice_hours": "4", "max_booking_hours": "8",
        "free_cancel_hours": "48", "late_cancel_percent": "20", "no_show_percent": "50",
        # requires_approval left unticked: the page sends nothing, which means "no"
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _price_post(**changes) -> dict:
    data = {
        "unit": "hour", "rounding": "yuan", "increment_minutes": "60", "minimum_charge": "100",
        "valid_from": timezone.localdate().isoformat(),
        "price_own_org": "200", "price_same_region": "", "price_same_zone": "480", "price_other": "650",
        "w0_class": "other", "w0_weekdays": "67", "w0_start": "", "w0_end": "", "w0_price": "800",
        "w1_class": "other", "w1_weekdays": "", "w1_start": "", "w1_end": "", "w1_price": "",
    }  # fmt: skip
    data.update(changes)
    return data


def _counts() -> tuple[int, ...]:
    return (
        Resource.objects.count(),
        ResourcePhoto.objects.count(),
        PriceList.objects.count(),
        PriceTier.objects.count(),
        AuditEvent.objects.count(),
    )


# ---------------------------------------------------------------- 登记资源


def test_admin_registers_a_resource_by_page(provider):
    # given the provider's admin on the new-resource page
    client = client_for(provider["admin"])
    page = client.get("/resources/new/")
    html = page.content.decode()
    assert page.status_code == 200 and "登记资源" in html and "上海示例大学" in html
    assert 'name="requires_approval" checked' in html  # the defaults of the API schema
    # when the form is posted
    response = client.post("/resources/new/", _new_resource_post(provider["org"].pk))
    # then the resource exists with every field, and the page goes to its manage page
    resource = Resource.objects.get(name="激光共聚焦显微镜")
    assert response.status_code == 302 and response["Location"] == f"/resources/{resource.pk}/manage/"
    assert (resource.owner_id, resource.kind, resource.category.code, resource.region_id) == (
        provider["org"].pk, "instrument", "0104", "310104",
    )  # fmt: skip
    assert (resource.model_number, resource.manufacturer, resource.original_value_fen) == (
        "LSM 980",
        "蔡司",
        325000050,
    )
    assert (resource.specs, resource.description, resource.address, resource.asset_code) == (
        "分辨率 120 nm", "活细胞成像", "徐汇校区实验楼 201", "ZJ-001",
    )  # fmt: skip
    assert (resource.lng, resource.lat, resource.open_status) == (121.43, 31.19, "open")
    assert (resource.is_cma, resource.is_cnas, resource.requires_approval) == (True, False, False)
    assert [z.code for z in resource.recognised_zones.all()] == ["yrd"]
    assert (
        resource.capacity,
        resource.advance_days,
        resource.min_notice_hours,
        resource.max_booking_hours,
    ) == (2, 45, 4, 8)
    assert (resource.free_cancel_hours, resource.late_cancel_percent, resource.no_show_percent) == (
        48,
        20,
        50,
    )
    assert AuditEvent.objects.get(verb="resource.created").target_id == str(resource.pk)
    manage = client.get(response["Location"]).content.decode()
    assert "已登记资源：激光共聚焦显微镜" in manage and 'id="manage-tabs"' in manage


def test_a_service_item_in_another_region(provider):
    response = client_for(provider["admin"]).post(
        "/resources/new/",
        _new_resource_post(provider["org"].pk, kind="service", name="金属材料拉伸检测", category="0801",
                           region="310115", recognised_zones=None, is_cma=None, lng="", lat=""),
    )  # fmt: skip
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert (resource.kind, resource.region_id, resource.lng, resource.lat) == (
        "service",
        "310115",
        None,
        None,
    )
    assert not resource.recognised_zones.exists() and not resource.is_cma


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "名称为必填项"),
        ({"name": "   "}, "名称为必填项"),
        ({"lng": "200"}, "经度应为 73.0–136.0 之间的数字"),
        ({"lat": "北纬31度"}, "纬度应为 3.0–54.0 之间的数字"),
        ({"lng": "nan"}, "经度应为 73.0–136.0 之间的数字"),
        ({"category": "zz"}, "类别“zz”不存在"),
        ({"category": ""}, "类别为必填项"),
        ({"kind": "robot"}, "类型“robot”无效"),
        ({"open_status": "maybe"}, "开放状态“maybe”无效"),
        ({"region": "999999"}, "地区代码“999999”不在 GB/T 2260 行政区划中"),
        ({"capacity": "0"}, "容量应在 1–1000 之间"),
        ({"advance_days": "abc"}, "最长提前预约天数应为整数"),
        ({"late_cancel_percent": "150"}, "迟取消费比例应在 0–100 之间"),
        ({"original_value": "-5"}, "原值不能为负数"),
        ({"original_value": "12万"}, "原值（元）："),
        ({"original_value": "1" * 20}, "原值（元）："),
        ({"is_cma": None}, "只有具备 CMA 或 CNAS 资质的资源才能登记报告互认"),
        ({"recognised_zones": ["nowhere"]}, "协同区“nowhere”不存在"),
        ({"name": "仪" * 121}, "名称："),
        ({"owner_id": None}, "请选择所属机构"),
        ({"owner_id": "abc"}, "所属机构："),
    ],
)
def test_bad_input_on_the_new_page_is_a_chinese_400_and_writes_nothing(provider, changes, message):
    # given
    before = _counts()
    # when
    response = client_for(provider["admin"]).post(
        "/resources/new/", _new_resource_post(provider["org"].pk, **changes)
    )
    # then
    html = response.content.decode()
    assert response.status_code == 400, html
    assert 'id="form-error"' in html and message in html
    assert _counts() == before
    assert "LSM 980" in html  # what was typed is shown again


def test_a_nul_in_the_new_resource_form_is_refused_before_the_form(provider):
    # the NUL guard answers multipart posts too (the test client posts multipart), before any view runs
    before = _counts()
    response = client_for(provider["admin"]).post(
        "/resources/new/", _new_resource_post(provider["org"].pk, name="显微镜\x00")
    )
    assert response.status_code == 400
    assert response.content.decode() == "输入中含有不可见字符（NUL），请删除后重试"
    assert _counts() == before


def test_new_page_is_for_organisation_admins(provider, customer):
    before = _counts()
    # a member who is not an admin, and a bureau user
    assert client_for(provider["staff"]).get("/resources/new/").status_code == 403
    response = client_for(provider["staff"]).post("/resources/new/", _new_resource_post(provider["org"].pk))
    assert response.status_code == 403 and "只有机构管理员可以登记本机构的资源" in response.content.decode()
    bureau = member(Role.REGION_BUREAU, region_id="310000")
    assert client_for(bureau).get("/resources/new/").status_code == 403
    # another organisation's admin cannot list a resource for the provider
    response = client_for(customer["admin"]).post("/resources/new/", _new_resource_post(provider["org"].pk))
    assert response.status_code == 403 and "只有本机构管理员可以登记本机构的资源" in response.content.decode()
    # an unknown organisation is the same answer as one not visible
    assert client_for(customer["admin"]).post("/resources/new/", _new_resource_post(2**40)).status_code == 404
    # anonymous: to the login page
    anonymous = client_for().post("/resources/new/", _new_resource_post(provider["org"].pk))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client_for().get("/resources/new/").status_code == 302
    assert _counts() == before


def test_new_page_offers_only_my_admin_organisations(provider, customer):
    other = OrganisationFactory(name="另一家示例研究院", region_id="310104")
    member(Role.ORG_MEMBER, organisation=other, username="also_member")
    html = client_for(provider["admin"]).get("/resources/new/").content.decode()
    assert (
        "上海示例大学" in html and "嘉兴示例智能装备有限公司" not in html and "另一家示例研究院" not in html
    )


# ---------------------------------------------------------------- 编辑资料


def test_owner_edits_the_resource_by_page(provider, instrument):
    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/edit/"
    # the form is prefilled
    html = client.get(url).content.decode()
    assert 'value="场发射扫描电子显微镜"' in html and 'value="SU8010"' in html and 'id="kind-fixed"' in html
    assert 'option value="0104" selected' in html and 'id="manage-tabs"' in html
    # saving changes
    response = client.post(url, {
        "name": "场发射扫描电镜（升级版）", "category": "0104", "region": "310104", "model_number": "SU8230",
        "manufacturer": "日立", "original_value": "", "specs": "1.0 nm", "description": "", "address": "", "asset_code": "",
        "lng": "121.5", "lat": "31.2", "open_status": "paused", "is_cnas": "on", "recognised_zones": ["yrd", "g60"],
        "requires_approval": "on", "capacity": "1", "advance_days": "60", "min_notice_hours": "0",
        "max_booking_hours": "12", "free_cancel_hours": "24", "late_cancel_percent": "30", "no_show_percent": "100",
        "kind": "service",  # ignored: the kind stays as registered
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url
    resource = Resource.objects.get(pk=instrument.pk)
    assert (resource.name, resource.model_number, resource.open_status, resource.kind) == (
        "场发射扫描电镜（升级版）", "SU8230", "paused", "instrument",
    )  # fmt: skip
    assert (resource.is_cnas, resource.lng, resource.lat) == (True, 121.5, 31.2)
    assert sorted(z.code for z in resource.recognised_zones.all()) == ["g60", "yrd"]
    event = AuditEvent.objects.get(verb="resource.updated")
    assert set(event.data["fields"]) >= {"name", "model_number", "open_status", "is_cnas", "recognised_zones"}
    assert "已保存资料" in client.get(url).content.decode()


def test_edit_with_bad_input_writes_nothing(provider, instrument):
    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/edit/"
    before = _counts()
    for post, message in (
        ({"name": "", "category": "0104"}, "名称为必填项"),
        ({"name": "新名称", "category": "0104", "lat": "91"}, "纬度应为 3.0–54.0 之间的数字"),
        (
            {"name": "新名称", "category": "0104", "max_booking_hours": "25"},
            "单次预约最长小时数应在 1–24 之间",
        ),
    ):
        response = client.post(url, post)
        assert response.status_code == 400 and message in response.content.decode()
    assert _counts() == before
    assert Resource.objects.get(pk=instrument.pk).name == "场发射扫描电子显微镜"


# ---------------------------------------------------------------- 图片


def test_owner_uploads_and_removes_photos(provider, instrument, django_capture_on_commit_callbacks):
    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/photos/"
    assert "尚未上传图片" in client.get(url).content.decode()
    # upload
    response = client.post(url, {"action": "upload", "file": _png(), "caption": "主机外观"})
    assert response.status_code == 302 and response["Location"] == url
    photo = ResourcePhoto.objects.get(resource=instrument)
    assert photo.caption == "主机外观" and default_storage.exists(photo.file.name)
    assert AuditEvent.objects.filter(verb="resource.photo_added").count() == 1
    html = client.get(url).content.decode()
    assert "已上传图片" in html and f'src="{photo.file.url}"' in html
    assert (
        photo.file.url in client_for().get(f"/resources/{instrument.pk}/").content.decode()
    )  # the public page
    # remove: the row, then the file once the transaction has committed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "remove", "photo": str(photo.pk)})
    assert response.status_code == 302 and not ResourcePhoto.objects.exists()
    assert not default_storage.exists(photo.file.name)
    event = AuditEvent.objects.get(verb="resource.photo_removed")
    assert event.target_id == str(instrument.pk) and event.data == {"photo": photo.pk}


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (
            {"file": SimpleUploadedFile("report.png", b"%PDF-1.7 not an image", "image/png")},
            "图片类型不正确，仅支持 JPG、PNG",
        ),
        (
            {"file": SimpleUploadedFile("notes.jpg", "纯文本".encode(), "image/jpeg")},
            "图片类型不正确，仅支持 JPG、PNG",
        ),
        (
            {"file": SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024))},
            "图片过大（上限 5 MB）",
        ),
        ({"file": SimpleUploadedFile("empty.png", b"")}, "图片："),
        ({}, "图片：请选择文件"),
        ({"file": "not-a-file"}, "图片：请选择文件"),
        ({"caption": "长" * 81}, "说明："),
    ],
)
def test_bad_photos_are_a_chinese_400(provider, instrument, post, message):
    before = _counts()
    if "caption" in post:
        post = {**post, "file": _png()}
    response = client_for(provider["admin"]).post(
        f"/resources/{instrument.pk}/photos/", {"action": "upload", **post}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _counts() == before


def test_photo_limit_and_unknown_photo(provider, instrument):
    from xietong.resources.services.catalogue import MAX_PHOTOS

    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/photos/"
    for _ in range(MAX_PHOTOS):
        assert client.post(url, {"action": "upload", "file": _png()}).status_code == 302
    response = client.post(url, {"action": "upload", "file": _png()})
    assert response.status_code == 409 and f"每个资源最多 {MAX_PHOTOS} 张图片" in response.content.decode()
    # a photo of another resource, a bad id, an unknown action
    other = ResourceFactory(owner=provider["org"])
    foreign = client.post(f"/resources/{other.pk}/photos/", {"action": "upload", "file": _png()})
    assert foreign.status_code == 302
    foreign_photo = ResourcePhoto.objects.get(resource=other)
    before = _counts()
    for photo in (str(foreign_photo.pk), "abc", "-1", "9" * 30, ""):
        response = client.post(url, {"action": "remove", "photo": photo})
        assert response.status_code == 400 and "图片不存在" in response.content.decode()
    assert client.post(url, {"action": "rotate"}).status_code == 400
    assert _counts() == before


# ---------------------------------------------------------------- 价目表


def test_owner_publishes_a_price_list_by_page(provider, customer, instrument):
    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/prices/"
    # the form starts from the list in force
    html = client.get(url).content.decode()
    assert 'id="current-prices"' in html and 'name="price_other" inputmode="decimal" value="600.00"' in html
    # publish a new version
    response = client.post(url, _price_post())
    assert response.status_code == 302 and response["Location"] == url
    price_list = PriceList.objects.filter(resource=instrument).order_by("-id").first()
    assert (price_list.unit, price_list.rounding, price_list.increment_minutes, price_list.minimum_charge_fen) == (
        "hour", "yuan", 60, 10000,
    )  # fmt: skip
    tiers = sorted(
        (t.customer_class, t.weekdays, t.start_minute, t.end_minute, t.unit_price_fen)
        for t in price_list.tiers.all()
    )
    assert tiers == [
        ("other", "1234567", 0, 1440, 65000),
        ("other", "67", 0, 1440, 80000),
        ("own_org", "1234567", 0, 1440, 20000),
        ("same_zone", "1234567", 0, 1440, 48000),
    ]
    assert Resource.objects.get(pk=instrument.pk).list_price_fen == 65000
    assert AuditEvent.objects.get(verb="resource.price_list_set").data["tiers"] == 4
    html = client.get(url).content.decode()
    assert "已发布新价目表" in html and "650.00 元" in html and "800.00 元" in html and "生效中" in html
    # the public page shows the new prices, and the 嘉兴 firm its class price
    public = client_for(customer["admin"]).get(f"/resources/{instrument.pk}/").content.decode()
    assert "650.00 元" in public and "480.00 元" in public and "周六、周日" in public


def test_a_price_list_from_a_later_date_waits(provider, instrument):
    client, url = client_for(provider["admin"]), f"/resources/{instrument.pk}/prices/"
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert client.post(url, _price_post(valid_from=later)).status_code == 302
    assert Resource.objects.get(pk=instrument.pk).list_price_fen == 60000  # the list in force is unchanged
    assert "待生效" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_other": "-10"}, "单价应为不小于 0 的金额"),
        ({"price_same_zone": "abc"}, "金额“abc”不是有效数字"),
        ({"price_other": "1.234"}, "最多保留两位小数"),
        ({"price_other": "", "w0_weekdays": "", "w0_price": ""}, "价目表须包含“其他”类别的价格"),
        ({"price_other": ""}, "以下客户类别缺少“全周全天”基础价：其他"),
        (
            {
                "price_other": "",
                "price_own_org": "",
                "price_same_zone": "",
                "w0_price": "",
                "w0_weekdays": "",
            },
            "价目表至少需要一档价格",
        ),
        ({"w0_class": "own_org", "price_own_org": ""}, "以下客户类别缺少“全周全天”基础价：本单位"),
        ({"w0_weekdays": "89"}, "适用星期“89”应为 1–7 的数字组合"),
        ({"w0_start": "25:00"}, "开始时刻“25:00”格式应为 HH:MM"),
        ({"w0_start": "20:00", "w0_end": "08:00"}, "价格时段的结束时刻应晚于开始时刻"),
        ({"w0_class": "vip"}, "客户类别“vip”无效"),
        ({"w1_weekdays": "12345"}, "单价为必填项"),
        ({"minimum_charge": "-1"}, "最低收费应为不小于 0 的金额"),
        ({"increment_minutes": "0"}, "计时单位（分钟）应在 1–240 之间"),
        ({"unit": "sample"}, "仪器与设施应按机时计价"),
        ({"unit": "day"}, "计价方式“day”无效"),
        ({"rounding": "wan"}, "金额取整“wan”无效"),
        ({"valid_from": "2026-13-01"}, "生效日期："),
        ({"price_other": "1" * 25}, "其他："),
    ],
)
def test_bad_price_lists_are_a_chinese_400_and_write_nothing(provider, instrument, changes, message):
    before = _counts()
    response = client_for(provider["admin"]).post(
        f"/resources/{instrument.pk}/prices/", _price_post(**changes)
    )
    html = response.content.decode()
    assert response.status_code == 400, html
    assert 'id="form-error"' in html and message in html
    assert _counts() == before
    assert Resource.objects.get(pk=instrument.pk).list_price_fen == 60000


def test_a_service_item_is_priced_per_sample(provider):
    service = ResourceFactory(owner=provider["org"], kind="service", name="金属拉伸检测")
    client, url = client_for(provider["admin"]), f"/resources/{service.pk}/prices/"
    assert 'option value="sample" selected' in client.get(url).content.decode()
    response = client.post(url, _price_post(unit="hour"))
    assert response.status_code == 400 and "检验检测服务项目应按样品计价" in response.content.decode()
    response = client.post(url, _price_post(unit="sample", w0_price="", w0_weekdays=""))
    assert response.status_code == 302
    assert Resource.objects.get(pk=service.pk).price_unit == "sample"


# ---------------------------------------------------------------- tenancy and links


def _edit_urls(resource_id: int) -> list[str]:
    return [f"/resources/{resource_id}/{page}/" for page in ("edit", "photos", "prices")]


def _posts(photo_id: int) -> list[dict]:
    return [
        {"name": "被改的名称", "category": "0104"},
        {"action": "remove", "photo": str(photo_id)},
        _price_post(),
    ]


def test_non_owners_get_the_manage_page_denial_and_nothing_is_written(provider, customer, instrument):
    # given a photo on the instrument and someone else's admin, the provider's plain member, a bureau
    photo = ResourcePhoto.objects.create(resource=instrument, file=_png_saved(), caption="原图")
    bureau = member(Role.REGION_BUREAU, region_id="310000")
    before = _counts()
    for user in (customer["admin"], provider["staff"], bureau):
        client = client_for(user)
        assert client.get(f"/resources/{instrument.pk}/manage/").status_code == 403
        for url, post in zip(_edit_urls(instrument.pk), _posts(photo.pk), strict=True):
            assert client.get(url).status_code == 403, url
            response = client.post(url, post)
            assert response.status_code == 403 and "您无权管理该资源" in response.content.decode()
        upload = client.post(f"/resources/{instrument.pk}/photos/", {"action": "upload", "file": _png()})
        assert upload.status_code == 403
    # then: no row, no audit event, the photo and its file are still there
    assert _counts() == before
    assert ResourcePhoto.objects.get().file.name == photo.file.name and default_storage.exists(
        photo.file.name
    )
    assert Resource.objects.get(pk=instrument.pk).name == "场发射扫描电子显微镜"


def test_a_closed_resource_is_not_found_for_others_and_anonymous_must_log_in(provider, customer, instrument):
    Resource.objects.filter(pk=instrument.pk).update(open_status="closed")
    photo = ResourcePhoto.objects.create(resource=instrument, file=_png_saved())
    before = _counts()
    for url, post in zip(_edit_urls(instrument.pk), _posts(photo.pk), strict=True):
        assert client_for(customer["admin"]).get(url).status_code == 404
        assert client_for(customer["admin"]).post(url, post).status_code == 404
        for response in (client_for().get(url), client_for().post(url, post)):
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(provider["admin"]).get(_edit_urls(instrument.pk)[0]).status_code == 200
    assert _counts() == before


def _png_saved() -> str:
    return default_storage.save("resources/photos/test/original.png", _png())


def test_links_to_the_new_pages(provider, customer, instrument):
    console = client_for(provider["admin"]).get("/resources/console/").content.decode()
    assert 'href="/resources/new/"' in console and f'href="/resources/{instrument.pk}/edit/"' in console
    staff_console = client_for(provider["staff"]).get("/resources/console/").content.decode()
    assert 'href="/resources/new/"' not in staff_console
    detail = client_for(provider["admin"]).get(f"/resources/{instrument.pk}/").content.decode()
    for page in ("edit", "photos", "prices", "manage"):
        assert f'href="/resources/{instrument.pk}/{page}/"' in detail
    outsider = client_for(customer["admin"]).get(f"/resources/{instrument.pk}/").content.decode()
    assert f"/resources/{instrument.pk}/edit/" not in outsider
    manage = client_for(provider["admin"]).get(f"/resources/{instrument.pk}/manage/").content.decode()
    assert f'href="/resources/{instrument.pk}/prices/"' in manage and 'id="manage-tabs"' in manage


def test_the_new_pages_in_english(provider, instrument):
    client = client_for(provider["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Register a resource" in client.get("/resources/new/").content.decode()
    assert "Publish a new price list" in client.get(f"/resources/{instrument.pk}/prices/").content.decode()
    assert "Upload a photo" in client.get(f"/resources/{instrument.pk}/photos/").content.decode()
