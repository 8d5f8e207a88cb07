"""The organisation import template, reading an upload, and the directory export."""

from __future__ import annotations

from collections.abc import Iterable

from xietong.core.excel import Column, read_rows, template_workbook, write_workbook
from xietong.orgs import credit_code
from xietong.orgs.enums import Industry, OrgKind
from xietong.orgs.models import Organisation

IMPORT_COLUMNS = [
    Column("name", "机构名称", required=True, help="营业执照上的全称", width=30),
    Column("credit_code", "统一社会信用代码", required=True, help="18 位，按 GB 32100 校验", width=24),
    Column("kind", "机构类型", required=True, help="可选：" + "、".join(OrgKind.labels)),
    Column(
        "region", "所在地区", required=True, help="6 位行政区划代码（GB/T 2260），或完整地区名称", width=14
    ),
    Column("industry", "所属行业", help="可选：" + "、".join(Industry.labels)),
    Column("is_high_tech", "高新技术企业", help="是 / 否，空白视为否", width=12),
    Column("is_tech_sme", "科技型中小企业", help="是 / 否（仅企业）", width=14),
    Column("is_little_giant", "专精特新小巨人", help="是 / 否", width=14),
    Column("address", "地址", width=30),
    Column("website", "网址", help="以 http:// 或 https:// 开头"),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话", help="手机 11 位或 区号-号码"),
    Column("contact_email", "电子邮箱", width=24),
    Column("description", "简介", width=40),
]
EXAMPLE_ROW = [
    "嘉兴示例智能装备有限公司", credit_code.make(region_code="330402", serial="MA2B3C4D"), "企业", "330402", "装备制造", "是", "是", "否",
    "浙江省嘉兴市南湖区示例路 1 号", "https://example.com", "张三", "13800000000", "contact@example.com", "示例行，导入前请删除",
]  # fmt: skip

# People read names: the region by its name, its code in a column of its own; no database ids
_EXPORTED = [
    c
    for c in IMPORT_COLUMNS
    if c.key not in {"contact_name", "contact_phone", "contact_email", "description"}
]
EXPORT_COLUMNS = [
    *[
        Column(c.key, c.header, width=c.width)
        if c.key != "region"
        else Column("region", "所在地区", width=22)
        for c in _EXPORTED
    ],
    Column("status", "状态", width=10),
]
EXPORT_COLUMNS.insert(
    [c.key for c in EXPORT_COLUMNS].index("region") + 1, Column("region_code", "地区代码", width=10)
)


def import_template() -> bytes:
    return template_workbook(title="机构导入", columns=IMPORT_COLUMNS, examples=[EXAMPLE_ROW])


def read_import(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=IMPORT_COLUMNS)


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _region_name(region) -> str:
    parent = region.parent
    return f"{parent.name}{region.name}" if parent is not None and parent.name != region.name else region.name


def export_directory(orgs: Iterable[Organisation]) -> bytes:
    """The directory as the viewer sees it (no personal contact data in exports)."""
    rows = (
        (
            o.name, o.credit_code, o.get_kind_display(), _region_name(o.region), o.region_id, o.get_industry_display(),
            _yes(o.is_high_tech), _yes(o.is_tech_sme), _yes(o.is_little_giant), o.address, o.website,
            o.get_status_display(),
        )
        for o in orgs
    )  # fmt: skip
    return write_workbook(title="机构名录", columns=EXPORT_COLUMNS, rows=rows)
