import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.core.actor import SYSTEM, actor_for
from xietong.core.errors import Forbidden
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs import credit_code, excel, services
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in excel.IMPORT_COLUMNS]


def _row(i: int, region: str = "330402") -> list:
    code = credit_code.make(region_code=region, serial=f"{i:08d}")
    return [
        f"导入测试{i}号科技有限公司",
        code,
        "企业",
        region,
        "装备制造",
        "是",
        "否",
        "",
        "嘉兴",
        "",
        "李四",
        "13800001111",
        "",
        "",
    ]


def _workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _thousand_with_three_bad() -> bytes:
    rows = [_row(i) for i in range(1, 1001)]
    rows[99][1] = rows[99][1][:17] + ("0" if rows[99][1][17] != "0" else "1")  # excel row 101: bad check char
    rows[499][3] = "999999"  # excel row 501: region not in GB/T 2260
    rows[899][2] = "个体户"  # excel row 901: unknown kind
    return _workbook(rows)


def test_thousand_rows_with_three_bad_writes_nothing_and_reports_exactly_those():
    # when
    report = services.organisations_import(
        actor=SYSTEM, rows=excel.read_import(io.BytesIO(_thousand_with_three_bad()))
    )
    # then
    assert report.total_rows == 1000
    assert report.bad_rows == [101, 501, 901]
    assert [e.column for e in report.errors] == ["统一社会信用代码", "所在地区", "机构类型"]
    assert "第 18 位校验码" in report.errors[0].message
    assert report.errors[1].message == "地区代码“999999”不在 GB/T 2260 行政区划中"
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_clean_workbook_writes_every_row_with_audit():
    report = services.organisations_import(
        actor=SYSTEM, rows=excel.read_import(io.BytesIO(_workbook([_row(i) for i in range(1, 51)])))
    )
    assert report.ok and report.created == 50
    assert Organisation.objects.count() == 50
    assert AuditEvent.objects.filter(verb="org.imported").count() == 50


def test_duplicates_in_file_and_in_database_are_reported():
    existing = OrganisationFactory(credit_code=_row(7)[1])
    rows = [_row(1), _row(2), _row(1), _row(7)]
    report = services.organisations_import(actor=SYSTEM, rows=excel.read_import(io.BytesIO(_workbook(rows))))
    assert report.bad_rows == [4, 5]
    assert "与第 2 行重复" in report.errors[0].message
    assert f"{existing.credit_code} 已在平台登记" in report.errors[1].message
    assert Organisation.objects.count() == 1


def test_bureau_may_import_only_its_own_region():
    bureau = actor_for(member(Role.REGION_BUREAU, region_id="330400"))
    rows = [_row(1), _row(2, region="510107")]
    report = services.organisations_import(actor=bureau, rows=excel.read_import(io.BytesIO(_workbook(rows))))
    assert report.bad_rows == [3]
    assert "仅限本辖区" in report.errors[0].message
    assert Organisation.objects.count() == 0


def test_organisation_user_may_not_import():
    admin = actor_for(member(Role.ORG_ADMIN, organisation=OrganisationFactory()))
    with pytest.raises(Forbidden):
        services.organisations_import(actor=admin, rows=excel.read_import(io.BytesIO(_workbook([_row(1)]))))


def test_not_a_workbook_is_a_clear_400_by_api_and_page():
    client = client_for(member(Role.REGION_BUREAU, region_id="330400"))
    response = client.post("/api/v1/orgs/import", {"file": _upload(b"not excel", "x.xlsx")})
    assert response.status_code == 400
    assert response.json()["message"] == "无法读取文件：请上传 .xlsx 格式的 Excel 工作簿"
    page = client.post("/orgs/import/", {"file": _upload(b"not excel", "x.xlsx")})
    assert page.status_code == 400
    assert "无法读取文件" in page.content.decode()


def test_bad_rows_by_api_answer_400_with_the_report():
    client = client_for(member(Role.REGION_BUREAU, region_id="330400"))
    rows = [_row(1), _row(2)]
    rows[1][0] = ""
    response = client.post("/api/v1/orgs/import", {"file": _upload(_workbook(rows), "orgs.xlsx")})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["detail"]["bad_rows"] == [3]
    assert body["detail"]["errors"][0]["message"] == "机构名称为必填项"
    assert Organisation.objects.count() == 0


def test_page_upload_imports_and_reports(client):
    client.force_login(member(Role.REGION_BUREAU, region_id="330400"))
    response = client.post("/orgs/import/", {"file": _upload(_workbook([_row(1), _row(2)]), "orgs.xlsx")})
    assert response.status_code == 200
    assert "导入成功：共写入 2 家机构" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_cli_import_and_template(tmp_path):
    template = tmp_path / "t.xlsx"
    call_command("org_template", out=str(template))
    sheet = load_workbook(template).active
    assert [c.value for c in sheet[1]][:4] == ["机构名称*", "统一社会信用代码*", "机构类型*", "所在地区*"]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_thousand_with_three_bad())
    with pytest.raises(CommandError, match="共 1000 行，其中 3 行有误，未写入任何数据"):
        call_command("import_orgs", str(bad))
    assert Organisation.objects.count() == 0
    good = tmp_path / "good.xlsx"
    good.write_bytes(_workbook([_row(1), _row(2)]))
    call_command("import_orgs", str(good))
    assert Organisation.objects.count() == 2


def test_template_example_row_is_itself_importable():
    sheet = load_workbook(io.BytesIO(excel.import_template())).active
    example = [c.value for c in sheet[2]]
    report = services.organisations_import(
        actor=SYSTEM, rows=excel.read_import(io.BytesIO(_workbook([example])))
    )
    assert report.ok, report.errors


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
