"""Excel in and out for technology contracts and flows."""

from __future__ import annotations

from collections.abc import Iterable

from xietong.core.excel import Column, read_rows, template_workbook, write_workbook
from xietong.core.money import fen_to_yuan
from xietong.transfer.enums import ContractKind

CONTRACT_COLUMNS = [
    Column(
        "registration_no",
        "登记编号",
        required=True,
        help="技术合同登记机构编制的登记编号，平台内唯一",
        width=22,
    ),
    Column("title", "合同名称", required=True, width=36),
    Column("kind", "合同类型", required=True, help="技术开发、技术转让、技术许可、技术咨询、技术服务 之一"),
    Column("seller_name", "卖方", required=True, help="技术输出方名称", width=30),
    Column("seller_region", "卖方地区", required=True, help="6 位区划代码或完整名称，如 110108 或 海淀区"),
    Column("seller_credit_code", "卖方统一社会信用代码", help="选填；填写后与平台机构关联", width=22),
    Column("buyer_name", "买方", required=True, help="技术吸纳方名称", width=30),
    Column("buyer_region", "买方地区", required=True, help="6 位区划代码或完整名称"),
    Column("buyer_credit_code", "买方统一社会信用代码", help="选填", width=22),
    Column("amount", "合同金额（元）", required=True, help="大于 0，最多两位小数"),
    Column("tech_amount", "技术交易额（元）", required=True, help="不大于合同金额，最多两位小数"),
    Column("signed_on", "签订日期", required=True, help="YYYY-MM-DD"),
]
EXAMPLE = [
    "2024110108000123", "动力电池热管理技术许可合同", "技术许可", "北京某某大学", "110108", "",
    "河北某某汽车零部件有限公司", "130102", "", "1200000.00", "1150000.00", "2024-05-20",
]  # fmt: skip
KIND_LABELS = dict(ContractKind.choices)


def read_contracts(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=CONTRACT_COLUMNS)


def contract_template() -> bytes:
    return template_workbook(title="技术合同", columns=CONTRACT_COLUMNS, examples=[EXAMPLE])


def export_contracts(contracts: Iterable) -> bytes:
    columns = [
        *[c for c in CONTRACT_COLUMNS if c.key not in ("seller_credit_code", "buyer_credit_code")],
        Column("seller_region_name", "卖方地区名称"),
        Column("buyer_region_name", "买方地区名称"),
    ]
    rows = (
        (
            c.registration_no, c.title, KIND_LABELS.get(c.kind, c.kind), c.seller_name, c.seller_region_id,
            c.buyer_name, c.buyer_region_id, fen_to_yuan(c.amount_fen), fen_to_yuan(c.tech_amount_fen),
            c.signed_on.isoformat(), c.seller_region.name, c.buyer_region.name,
        )
        for c in contracts
    )  # fmt: skip
    return write_workbook(title="技术合同", columns=columns, rows=rows)


def export_flows(flows) -> bytes:
    columns = [
        Column("source", "输出方"),
        Column("target", "吸纳方"),
        Column("contracts", "合同数", width=10),
        Column("amount", "合同金额（元）", width=20),
        Column("tech", "技术交易额（元）", width=20),
    ]
    rows = [
        (e.source_name, e.target_name, e.contracts, fen_to_yuan(e.amount_fen), fen_to_yuan(e.tech_amount_fen))
        for e in flows.edges
    ]
    rows.append(
        ("合计", "", flows.contracts, fen_to_yuan(flows.total_fen), fen_to_yuan(flows.total_tech_fen))
    )
    return write_workbook(title="技术合同流向", columns=columns, rows=rows)
