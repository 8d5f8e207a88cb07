"""Import templates and readers for resources and price lists, and the orders export."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from xietong.core.excel import Column, read_rows, template_workbook, write_workbook
from xietong.core.money import fen_to_yuan
from xietong.resources.enums import CustomerClass, OpenStatus, PriceUnit, ResourceKind, Rounding
from xietong.resources.models import ServiceOrder

RESOURCE_COLUMNS = [
    Column(
        "owner",
        "所属机构信用代码",
        required=True,
        help="18 位统一社会信用代码；您须为该机构的管理员",
        width=24,
    ),
    Column("name", "名称", required=True, width=30),
    Column("kind", "类型", required=True, help="可选：" + "、".join(ResourceKind.labels), width=16),
    Column("category", "类别", required=True, help="类别代码（如 0101）或名称（如 质谱仪器）", width=16),
    Column("region", "所在地区", help="6 位区划代码或名称；空白取机构所在地区", width=12),
    Column("model_number", "规格型号"),
    Column("manufacturer", "生产厂商"),
    Column("original_value", "原值（元）", help="如 1250000.00"),
    Column("asset_code", "资产编号"),
    Column("address", "存放地点", width=30),
    Column("open_status", "开放状态", help="可选：" + "、".join(OpenStatus.labels) + "；空白为开放共享"),
    Column("is_cma", "CMA", help="是 / 否", width=8),
    Column("is_cnas", "CNAS", help="是 / 否", width=8),
    Column("recognised_zones", "互认协同区", help="协同区代码或简称，多个用顿号分隔；须具备 CMA 或 CNAS"),
    Column("capacity", "容量", help="仪器：并行机位数；服务项目：在检样品上限；空白为 1", width=8),
    Column("advance_days", "最长提前预约天数", help="1–365，空白为 30"),
    Column("requires_approval", "预约需确认", help="是 / 否，空白为是"),
    Column("specs", "主要技术指标", width=40),
    Column("description", "服务内容与简介", width=40),
]
RESOURCE_EXAMPLE = [
    "12330400MB0000001X", "场发射扫描电子显微镜（示例）", "大型科研仪器", "0104", "", "SU8010", "日立", "2800000.00",
    "ZC-2020-001", "实验楼 A201", "开放共享", "是", "否", "长三角", "1", "30", "是", "分辨率 1.0 nm", "示例行，导入前请删除",
]  # fmt: skip

PRICE_COLUMNS = [
    Column(
        "resource_id",
        "资源ID",
        required=True,
        help="资源页面地址中的数字；同一资源的多行组成一份价目表",
        width=10,
    ),
    Column("unit", "计价方式", required=True, help="可选：" + "、".join(PriceUnit.labels)),
    Column("customer_class", "客户类别", required=True, help="可选：" + "、".join(CustomerClass.labels)),
    Column("weekdays", "适用星期", help="1–7 的组合，如 12345；空白为全周", width=10),
    Column("start", "开始时刻", help="HH:MM，空白为 00:00", width=10),
    Column("end", "结束时刻", help="HH:MM，空白为 24:00", width=10),
    Column("unit_price", "单价（元）", required=True, help="每小时或每个样品"),
    Column("minimum_charge", "最低收费（元）", help="取该资源第一行"),
    Column("rounding", "金额取整", help="可选：" + "、".join(Rounding.labels) + "；取该资源第一行"),
    Column("increment_minutes", "计时单位（分钟）", help="按机时计价时向上取整的分钟数，空白为 30"),
    Column("valid_from", "生效日期", help="YYYY-MM-DD，空白为今天"),
]
PRICE_EXAMPLE = [
    "1",
    "按机时",
    "其他",
    "1234567",
    "00:00",
    "24:00",
    "600.00",
    "300.00",
    "四舍五入到元",
    "30",
    "",
]


def resource_template() -> bytes:
    return template_workbook(title="资源导入", columns=RESOURCE_COLUMNS, examples=[RESOURCE_EXAMPLE])


def price_template() -> bytes:
    return template_workbook(title="价目表导入", columns=PRICE_COLUMNS, examples=[PRICE_EXAMPLE])


def read_resources(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=RESOURCE_COLUMNS)


def read_prices(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=PRICE_COLUMNS)


ORDER_COLUMNS = [
    Column("number", "订单号", width=22), Column("kind", "类型", width=10), Column("status", "状态", width=8),
    Column("resource", "资源", width=30), Column("provider", "服务方", width=30), Column("customer", "客户", width=30),
    Column("class", "客户类别", width=12), Column("starts_at", "开始时间", width=17), Column("ends_at", "结束时间", width=17),
    Column("samples", "样品数", width=8), Column("quoted", "报价（元）", width=12), Column("actual", "实际费用（元）", width=14),
    Column("fee", "取消/爽约费（元）", width=16), Column("created_at", "下单时间", width=17), Column("completed_at", "完成时间", width=17),
]  # fmt: skip


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_orders(orders: Iterable[ServiceOrder]) -> bytes:
    rows = (
        (
            o.number, o.get_kind_display(), o.get_status_display(), o.resource.name, o.provider.name, o.customer.name,
            o.get_customer_class_display(), _when(o.starts_at), _when(o.ends_at), o.sample_count or "",
            float(fen_to_yuan(o.quoted_fen)), "" if o.actual_fen is None else float(fen_to_yuan(o.actual_fen)),
            float(fen_to_yuan(o.cancellation_fee_fen)), _when(o.created_at), _when(o.completed_at),
        )
        for o in orders
    )  # fmt: skip
    return write_workbook(title="服务订单", columns=ORDER_COLUMNS, rows=rows)
