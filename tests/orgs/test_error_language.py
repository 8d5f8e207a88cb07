"""Domain errors speak the request's language: the same bad request in English and in Chinese, through a
page, through the API with a bearer token, and as the row report of an Excel import; so does the flash
message an action through a page leaves."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.core import tokens
from xietong.core.roles import Role
from xietong.orgs import credit_code, excel
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db

MISSING_EN = "The organisation does not exist or you may not see it"
MISSING_ZH = "机构不存在或您无权查看"


def _in(client: Client, language: str | None) -> Client:
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def bureau():
    return member(Role.REGION_BUREAU, region_id="330400")


@pytest.mark.parametrize(
    ("language", "expected"), [("en", MISSING_EN), ("zh-hans", MISSING_ZH), (None, MISSING_ZH)]
)
def test_a_page_shows_the_error_in_the_chosen_language(bureau, language, expected):
    response = _in(client_for(bureau), language).get("/orgs/999999999/")
    assert response.status_code == 404
    assert expected in response.content.decode()


@pytest.mark.parametrize(("language", "expected"), [("en", MISSING_EN), (None, MISSING_ZH)])
def test_the_api_with_a_bearer_token_answers_in_the_chosen_language(bureau, language, expected):
    _, secret = tokens.token_create(user=bureau, name="sync")
    client = _in(Client(), language)
    response = client.get("/api/v1/orgs/999999999", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404
    # the code and detail clients rely on do not change with the language
    assert response.json() == {"code": "not_found", "message": expected, "detail": {}}


@pytest.mark.parametrize(
    ("language", "decision", "expected", "status"),
    [
        ("en", "approve", "Approved: 嘉兴待审科技有限公司", OrgStatus.APPROVED),
        ("en", "reject", "Rejected: 嘉兴待审科技有限公司", OrgStatus.REJECTED),
        (None, "approve", "已通过：嘉兴待审科技有限公司", OrgStatus.APPROVED),
    ],
)
def test_a_review_through_the_page_flashes_in_the_chosen_language(
    bureau, language, decision, expected, status
):
    org = OrganisationFactory(region_id="330402", status=OrgStatus.PENDING, name="嘉兴待审科技有限公司")
    response = _in(client_for(bureau), language).post(
        f"/orgs/{org.pk}/review/", {"decision": decision, "note": "材料不全"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/orgs/review/"
    page = response.content.decode()
    assert expected in page
    assert ("：嘉兴待审科技有限公司" in page) is (language is None)  # the Chinese flash only in Chinese
    org.refresh_from_db()
    assert org.status == status


def _workbook_with_a_bad_check_character() -> SimpleUploadedFile:
    good = credit_code.make(region_code="330402", serial="00000001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in excel.IMPORT_COLUMNS])
    ws.append(["导入测试科技有限公司", bad, "企业", "330402", "装备制造", "是", "否", "", "嘉兴", "", "李四",
               "13800001111", "", ""])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("orgs.xlsx", buffer.getvalue()), bad, good[17]


def test_an_import_reports_its_bad_rows_in_english(bureau):
    upload, bad, expected = _workbook_with_a_bad_check_character()
    response = _in(client_for(bureau), "en").post("/api/v1/orgs/import", {"file": upload})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and body["detail"]["bad_rows"] == [2]
    assert body["detail"]["errors"][0]["message"] == (
        f"The check character 18 of the unified social credit code, “{bad[17]}”, is wrong: "
        f"the first 17 characters give “{expected}”"
    )
    assert Organisation.objects.count() == 0


def test_the_same_import_reports_in_chinese_by_default(bureau):
    upload, bad, expected = _workbook_with_a_bad_check_character()
    response = client_for(bureau).post("/api/v1/orgs/import", {"file": upload})
    assert response.status_code == 400
    assert response.json()["detail"]["errors"][0]["message"] == (
        f"统一社会信用代码第 18 位校验码“{bad[17]}”有误：按前 17 位计算应为“{expected}”"
    )


COLUMN_EN = "Unified social credit code (统一社会信用代码)"


def test_an_english_row_report_names_the_column_in_english_beside_its_chinese_header(bureau):
    # given a workbook (Chinese headers, as the template has them) with a bad credit code
    upload, _bad, _expected = _workbook_with_a_bad_check_character()
    # when it is uploaded through the API and through the page in English
    api = _in(client_for(bureau), "en").post("/api/v1/orgs/import", {"file": upload})
    upload.seek(0)
    page = _in(client_for(bureau), "en").post("/orgs/import/", {"file": upload}).content.decode()
    # then the column reads in English with the header the user finds in the file
    [error] = api.json()["detail"]["errors"]
    assert error["column"] == "统一社会信用代码" and error["column_label"] == COLUMN_EN
    assert f"<td>{COLUMN_EN}</td>" in page
    assert Organisation.objects.count() == 0


def test_a_chinese_row_report_names_the_column_by_its_header_alone(bureau):
    upload, _bad, _expected = _workbook_with_a_bad_check_character()
    [error] = client_for(bureau).post("/api/v1/orgs/import", {"file": upload}).json()["detail"]["errors"]
    assert error["column"] == error["column_label"] == "统一社会信用代码"
    upload.seek(0)
    page = client_for(bureau).post("/orgs/import/", {"file": upload}).content.decode()
    assert "<td>统一社会信用代码</td>" in page and "Unified" not in page


def _workbook_with_a_bad_kind_and_region() -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in excel.IMPORT_COLUMNS])
    ws.append(["导入测试科技有限公司", credit_code.make(region_code="330402", serial="00000001"), "公司", "999999",
               "装备制造", "是", "否", "", "嘉兴", "", "李四", "13800001111", "", ""])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("orgs.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("language", "kind", "region"),
    [
        (
            "en",
            "Type (机构类型) “公司” is invalid; write one of: 企业、高等院校",
            "The region code “999999” is not a GB/T 2260 division",
        ),
        (None, "机构类型“公司”无效，可选：企业、高等院校", "地区代码“999999”不在 GB/T 2260 行政区划中"),
    ],
)
def test_cell_value_errors_of_an_import_speak_the_request_language(bureau, language, kind, region):
    response = _in(client_for(bureau), language).post(
        "/api/v1/orgs/import", {"file": _workbook_with_a_bad_kind_and_region()}
    )
    messages = [e["message"] for e in response.json()["detail"]["errors"]]
    assert any(m.startswith(kind) for m in messages), messages
    assert region in messages
    assert Organisation.objects.count() == 0
