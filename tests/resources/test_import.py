"""Excel import of resources and price lists: all or nothing with a row report; templates; the CLI."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.resources.factories import ResourceFactory
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.resources import excel, services
from xietong.resources.models import PriceList, Resource

pytestmark = pytest.mark.django_db


def _book(columns, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _resource_row(code, name="原子力显微镜", **over):
    row = {"owner": code, "name": name, "kind": "大型科研仪器", "category": "0202", "is_cma": "否"}
    row.update(over)
    return [row.get(c.key, "") for c in excel.RESOURCE_COLUMNS]


def test_resources_import_all_or_nothing_with_a_row_report(provider):
    code = provider["org"].credit_code
    foreign = OrganisationFactory(region_id="510107", kind="institute")
    content = _book(excel.RESOURCE_COLUMNS, [
        _resource_row(code),
        _resource_row(code, name="", category="不存在的类别"),
        _resource_row(foreign.credit_code, name="别人的仪器"),
        _resource_row(code, name="互认但无资质", recognised_zones="长三角"),
    ])  # fmt: skip
    report = services.resources_import(actor=actor(provider["admin"]), rows=excel.read_resources(content))
    assert not report.ok and report.bad_rows == [3, 4, 5]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "名称")] == "名称为必填项"
    assert "类别“不存在的类别”不存在" in messages[(3, "类别")]
    assert "不是“" in messages[(4, "所属机构信用代码")]
    assert "CMA 或 CNAS" in messages[(5, "互认协同区")]
    assert not Resource.objects.exists() and not AuditEvent.objects.exists()


def test_resources_import_writes_every_row(provider):
    code = provider["org"].credit_code
    content = _book(excel.RESOURCE_COLUMNS, [_resource_row(code), _resource_row(code, name="CNAS 检测", kind="检验检测服务项目",
                    category="材料成分与性能检测", is_cnas="是", recognised_zones="yrd、jjj")])  # fmt: skip
    report = services.resources_import(actor=actor(provider["admin"]), rows=excel.read_resources(content))
    assert report.ok and report.created == 2
    lab = Resource.objects.get(name="CNAS 检测")
    assert lab.owner == provider["org"] and lab.region_id == "310104" and lab.kind == "service"
    assert sorted(lab.recognised_zones.values_list("code", flat=True)) == ["jjj", "yrd"]
    assert AuditEvent.objects.filter(verb="resource.imported").count() == 2


def test_price_import_groups_rows_by_resource(provider):
    instrument = ResourceFactory(owner=provider["org"])
    lab = ResourceFactory(owner=provider["org"], kind="service")
    rows = [
        [instrument.pk, "按机时", "其他", "", "", "", "600", "300", "四舍五入到元", "30", ""],
        [instrument.pk, "按机时", "本单位", "", "", "", "200", "", "", "", ""],
        [instrument.pk, "按机时", "其他", "67", "", "", "900", "", "", "", ""],
        [lab.pk, "按样品", "其他", "", "", "", "150.5", "", "", "", ""],
    ]
    report = services.price_lists_import(
        actor=actor(provider["admin"]), rows=excel.read_prices(_book(excel.PRICE_COLUMNS, rows))
    )
    assert report.ok and report.created == 2
    price_list = PriceList.objects.get(resource=instrument)
    assert (price_list.minimum_charge_fen, price_list.rounding, price_list.tiers.count()) == (
        30000,
        "yuan",
        3,
    )
    assert Resource.objects.get(pk=lab.pk).list_price_fen == 15050


def test_price_import_refuses_everything_when_one_resource_is_wrong(provider):
    mine = ResourceFactory(owner=provider["org"])
    theirs = ResourceFactory()
    rows = [
        [mine.pk, "按机时", "其他", "", "", "", "600", "", "", "", ""],
        [theirs.pk, "按机时", "其他", "", "", "", "600", "", "", "", ""],
        ["abc", "按机时", "其他", "", "", "", "600", "", "", "", ""],
        [mine.pk + 10**6, "按样品", "其他", "", "", "", "1", "", "", "", ""],
    ]
    report = services.price_lists_import(
        actor=actor(provider["admin"]), rows=excel.read_prices(_book(excel.PRICE_COLUMNS, rows))
    )
    assert report.bad_rows == [3, 4, 5]
    assert not PriceList.objects.exists()


def test_import_page_and_api(provider):
    code = provider["org"].credit_code
    content = _book(excel.RESOURCE_COLUMNS, [_resource_row(code), _resource_row(code, kind="不知道")])
    client = client_for(provider["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        "/resources/import/", {"kind": "resources", "file": SimpleUploadedFile("r.xlsx", content)}
    )
    assert page.status_code == 400 and "共 2 行，其中 1 行有误，未写入任何数据" in page.content.decode()
    errors = client.get("/resources/import/template.xlsx", {"kind": "errors"})
    assert load_workbook(io.BytesIO(errors.content)).active.cell(row=2, column=1).value == 3
    api = client.post("/api/v1/resources/import", {"file": SimpleUploadedFile("r.xlsx", content)})
    assert (
        api.status_code == 400
        and api.json()["code"] == "import_rejected"
        and api.json()["detail"]["bad_rows"] == [3]
    )
    ok = client.post(
        "/api/v1/resources/import",
        {"file": SimpleUploadedFile("r.xlsx", _book(excel.RESOURCE_COLUMNS, [_resource_row(code)]))},
    )
    assert ok.status_code == 201 and ok.json()["created"] == 1
    not_excel = client.post("/api/v1/resources/import", {"file": SimpleUploadedFile("r.xlsx", b"hello")})
    assert not_excel.status_code == 400 and "无法读取文件" in not_excel.json()["message"]


def test_import_page_is_for_organisation_admins(provider):
    client = client_for(provider["staff"])
    assert client.get("/resources/import/").status_code == 403
    client.force_login(member(Role.REGION_BUREAU, region_id="310000"))
    assert client.get("/resources/import/").status_code == 403


def test_templates_and_cli(provider, tmp_path):
    from xietong.cli import app

    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["template", "resources", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = [c.value for c in load_workbook(out).active[1]]
    assert header[:3] == ["所属机构信用代码*", "名称*", "类型*"]
    data = tmp_path / "r.xlsx"
    data.write_bytes(_book(excel.RESOURCE_COLUMNS, [_resource_row(provider["org"].credit_code)]))
    call_command("import_resources", str(data), username="sh_uni_admin")
    assert Resource.objects.get().name == "原子力显微镜"
    orders = tmp_path / "o.xlsx"
    call_command("export_orders", out=str(orders))
    assert load_workbook(orders).active.cell(row=1, column=1).value == "订单号"
