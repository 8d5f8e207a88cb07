"""Technology contracts: Excel import all-or-nothing with a Chinese row report; flows exact to the 分."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.clients import client_for
from tests.factories import actor, member
from tests.transfer.factories import ContractFactory
from xietong.core.models import AuditEvent
from xietong.core.money import format_yuan
from xietong.core.roles import Role
from xietong.transfer import excel, selectors, services
from xietong.transfer.models import Contract

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in excel.CONTRACT_COLUMNS]


def _workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["BJ2024-001", "电池热管理许可", "技术许可", "北京测试大学", "110108", "", "河北某汽车公司", "130102", "", "1200000.50", "1000000", "2024-05-20"],
    ["BJ2024-002", "视觉检测开发", "技术开发", "北京测试大学", "海淀区", "", "天津某装备公司", "120116", "", "300000", "300000", "2025/1/8"],
]  # fmt: skip


@pytest.fixture
def bj_bureau():
    return member(Role.REGION_BUREAU, region_id="110000")


def test_good_workbook_registers_every_row(bj_bureau):
    rows = excel.read_contracts(_workbook(GOOD))
    report = services.contracts_import(actor=actor(bj_bureau), rows=rows)
    assert report.ok and report.created == 2
    first = Contract.objects.get(registration_no="BJ2024-001")
    assert (first.amount_fen, first.tech_amount_fen, first.kind) == (120_000_050, 100_000_000, "license")
    assert Contract.objects.get(registration_no="BJ2024-002").seller_region_id == "110108"
    assert AuditEvent.objects.filter(verb="contract.imported").count() == 2


def test_bad_rows_write_nothing_and_are_reported_in_chinese(bj_bureau):
    ContractFactory(registration_no="OLD-1")
    bad = [
        GOOD[0],
        [
            "BJ2024-001",
            "重复编号",
            "技术许可",
            "甲",
            "110108",
            "",
            "乙",
            "130102",
            "",
            "100",
            "100",
            "2024-01-01",
        ],
        ["OLD-1", "已登记", "技术服务", "甲", "110108", "", "乙", "130102", "", "100", "100", "2024-01-01"],
        ["BJ2024-004", "", "技术买卖", "甲", "火星", "", "乙", "130102", "", "-5", "1.234", "2024-13-01"],
        [
            "BJ2024-005",
            "超额",
            "技术咨询",
            "甲",
            "110108",
            "",
            "乙",
            "130102",
            "",
            "100",
            "200",
            "2024-02-02",
        ],
        [
            "SH2024-006",
            "外省卖方",
            "技术咨询",
            "甲",
            "310104",
            "",
            "乙",
            "130102",
            "",
            "100",
            "100",
            "2024-02-02",
        ],
    ]
    report = services.contracts_import(actor=actor(bj_bureau), rows=excel.read_contracts(_workbook(bad)))
    assert not report.ok and report.created == 0
    assert Contract.objects.count() == 1  # only the old one
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "登记编号")] == "与第 2 行重复：BJ2024-001"
    assert messages[(4, "登记编号")] == "OLD-1 已登记，不能重复导入"
    assert messages[(5, "合同名称")] == "请填写合同名称"
    assert messages[(5, "合同类型")].startswith("合同类型“技术买卖”应为")
    assert messages[(5, "卖方地区")] == "找不到地区“火星”，请填写 6 位区划代码或完整名称"
    assert messages[(5, "技术交易额（元）")] == "金额“1.234”最多保留两位小数（精确到分）"
    assert messages[(5, "签订日期")] == "签订日期“2024-13-01”不是有效日期"
    assert messages[(6, "技术交易额（元）")] == "技术交易额不能大于合同金额"
    assert messages[(7, "卖方地区")] == "技术合同由卖方所在地登记；该地区不在您的辖区内"
    assert report.bad_rows == [3, 4, 5, 6, 7]


def test_import_by_api_rejects_with_422_free_report(bj_bureau):
    client = client_for(bj_bureau)
    upload = io.BytesIO(
        _workbook(
            [GOOD[0], ["X", "", "技术许可", "甲", "110108", "", "乙", "130102", "", "1", "1", "2024-01-01"]]
        )
    )
    upload.name = "contracts.xlsx"
    response = client.post("/api/v1/transfer/contracts/import", {"file": upload})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and body["detail"]["bad_rows"] == [3]
    assert Contract.objects.count() == 0


def test_import_page_lists_bad_rows(bj_bureau):
    client = client_for(bj_bureau)
    upload = io.BytesIO(
        _workbook([["X", "合同", "技术许可", "甲", "110108", "", "乙", "130102", "", "0", "0", "2024-01-01"]])
    )
    upload.name = "c.xlsx"
    response = client.post("/transfer/contracts/import/", {"file": upload})
    assert response.status_code == 400
    assert "合同金额应大于 0" in response.content.decode()
    assert Contract.objects.count() == 0


def test_not_a_workbook_is_a_400(bj_bureau):
    client = client_for(bj_bureau)
    upload = io.BytesIO(b"not excel")
    upload.name = "c.xlsx"
    response = client.post("/api/v1/transfer/contracts/import", {"file": upload})
    assert response.status_code == 400 and "Excel" in response.json()["message"]


# flows: hand-checked sums
DATA = [  # seller, buyer, amount 分, tech 分, date
    ("110108", "130102", 123_456_789, 100_000_000, "2023-03-01"),
    ("110105", "130602", 1, 1, "2024-06-30"),
    ("110108", "120116", 50_000_001, 50_000_000, "2024-12-31"),
    ("120116", "130102", 7_777, 7_000, "2025-01-01"),
    ("310104", "330402", 999_999, 999_999, "2025-05-05"),
    ("130102", "130602", 10_000, 10_000, "2025-07-07"),
]


@pytest.fixture
def flows_data():
    import datetime as dt

    for seller, buyer, amount, tech, date in DATA:
        ContractFactory(
            seller_region_id=seller, buyer_region_id=buyer, amount_fen=amount, tech_amount_fen=tech,
            signed_on=dt.date.fromisoformat(date),
        )  # fmt: skip


def test_flows_between_provinces_are_exact(flows_data):
    admin = member(Role.PLATFORM_ADMIN)
    flows = selectors.contract_flows(actor=actor(admin), filters=selectors.ContractFilters())
    edges = {(e.source, e.target): (e.contracts, e.amount_fen, e.tech_amount_fen) for e in flows.edges}
    assert edges == {
        ("110000", "130000"): (2, 123_456_790, 100_000_001),
        ("110000", "120000"): (1, 50_000_001, 50_000_000),
        ("120000", "130000"): (1, 7_777, 7_000),
        ("310000", "330000"): (1, 999_999, 999_999),
        ("130000", "130000"): (1, 10_000, 10_000),
    }
    assert flows.total_fen == sum(row[2] for row in DATA)
    assert flows.years == [2023, 2024, 2025]
    assert flows.series == {"地区内": [0, 0, 10_000], "跨地区": [123_456_789, 50_000_002, 1_007_776]}


def test_flows_for_a_region_split_output_and_absorption(flows_data):
    hb = member(Role.REGION_BUREAU, region_id="130000")
    flows = selectors.contract_flows(actor=actor(hb), filters=selectors.ContractFilters(region="130000"))
    # 河北 sells 10,000 分 (to itself) and buys 123,456,789 + 1 + 7,777 + 10,000 分
    assert flows.series == {"吸纳": [123_456_789, 1, 17_777], "输出": [0, 0, 10_000]}
    assert flows.total_fen == 123_456_789 + 1 + 7_777 + 10_000


def test_flows_by_zone(flows_data):
    admin = member(Role.PLATFORM_ADMIN)
    flows = selectors.contract_flows(actor=actor(admin), filters=selectors.ContractFilters(), level="zone")
    edges = {(e.source_name, e.target_name): e.amount_fen for e in flows.edges}
    assert edges[("京津冀", "京津冀")] == 123_456_790 + 50_000_001 + 7_777 + 10_000
    assert sum(edges.values()) == sum(row[2] for row in DATA)


def test_flows_page_shows_the_sums_to_the_fen(flows_data):
    client = client_for(member(Role.PLATFORM_ADMIN))
    html = client.get("/transfer/flows/?year_from=2024&year_to=2025").content.decode()
    expected = 1 + 50_000_001 + 7_777 + 999_999 + 10_000
    assert f'id="flow-total">{format_yuan(expected)}<' in html
    assert format_yuan(expected) == "510,177.78 元"
    assert f'<td class="text-end amount">{format_yuan(50_000_001)}</td>' in html


def test_flows_export_matches(flows_data):
    client = client_for(member(Role.PLATFORM_ADMIN))
    response = client.get("/transfer/flows/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("输出方", "吸纳方", "合同数", "合同金额（元）", "技术交易额（元）")
    assert rows[-1][0] == "合计" and rows[-1][2] == 6
    assert round(rows[-1][3] * 100) == sum(row[2] for row in DATA)


def test_contracts_export_and_template(flows_data):
    client = client_for(member(Role.PLATFORM_ADMIN))
    sheet = load_workbook(io.BytesIO(client.get("/transfer/contracts/export.xlsx").content)).active
    assert sheet.max_row == 1 + len(DATA)
    template = load_workbook(
        io.BytesIO(client.get("/api/v1/transfer/contracts/import-template.xlsx").content)
    )
    assert [c.value.rstrip("*") for c in template.active[1]] == HEADERS


def test_register_one_contract_by_api():
    client = client_for(member(Role.REGION_BUREAU, region_id="110000"))
    payload = {
        "registration_no": "API-1", "title": "技术服务合同", "kind": "service", "seller_name": "甲", "seller_region": "110108",
        "buyer_name": "乙", "buyer_region": "130102", "amount_fen": 12345, "tech_amount_fen": 12000, "signed_on": "2025-02-03",
    }  # fmt: skip
    response = client.post("/api/v1/transfer/contracts", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Contract.objects.get(registration_no="API-1").amount_fen == 12345
    again = client.post("/api/v1/transfer/contracts", payload, content_type="application/json")
    assert again.status_code == 400 and "已登记" in again.json()["message"]
