"""The cockpit in Excel: every figure of the page, and the records behind a figure."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from xietong.cockpit import selectors
from xietong.core.excel import Sheet, write_sheets
from xietong.core.money import fen_to_yuan


def cockpit_workbook(data: dict) -> bytes:
    names = {m.code: m.name for m in data["members"]}
    sheets = []
    summary = []
    for kind in selectors.KINDS:
        block = data["kinds"][kind]
        t = block["totals"]
        summary.append(
            [block["label"], t["count"], fen_to_yuan(t["fen"]), t["cross_count"], fen_to_yuan(t["cross_fen"])]
        )
    sheets.append(
        Sheet(
            title="合计",
            header=["类型", "笔数", "金额（元）", "成员间笔数", "成员间金额（元）"],
            rows=summary,
            widths=[16, 10, 16, 12, 16],
        )
    )
    for kind in selectors.KINDS:
        block = data["kinds"][kind]
        sheets.append(
            Sheet(
                title=f"{block['label']}流向",
                header=["输出方", "需求方", "笔数", "金额（元）"],
                rows=[
                    [names.get(e.src, e.src), names.get(e.dst, e.dst), e.count, fen_to_yuan(e.fen)]
                    for e in block["edges"]
                ],
                widths=[16, 16, 10, 16],
            )
        )
    sheets.append(
        Sheet(
            title="月度趋势",
            header=["月份", *(data["kinds"][k]["label"] for k in selectors.KINDS)],
            rows=[
                [m, *(data["kinds"][k]["trend"][i] for k in selectors.KINDS)]
                for i, m in enumerate(data["months"])
            ],
            widths=[10, 14, 14, 14],
        )
    )
    sheets.append(
        Sheet(
            title="成员待办",
            header=["成员", "进行中的订单", "待审核申领", "待审核兑付"],
            rows=[[r["name"], r["orders"], r["applications"], r["claims"]] for r in data["open_items"]],
            widths=[16, 14, 12, 12],
        )
    )
    return write_sheets(sheets)


# Chinese source headers (the Excel exports use them as they are); the records page shows them through gettext.
RECORD_HEADERS = {
    "orders": [_("订单号"), _("仪器/服务"), _("服务机构"), _("客户"), _("完成时间"), _("金额（元）")],
    "vouchers": [_("方案"), _("企业"), _("服务机构"), _("审核时间"), _("状态"), _("抵扣金额（元）")],
    "contracts": [_("登记编号"), _("合同名称"), _("卖方"), _("买方"), _("签订日期"), _("技术交易额（元）")],
    "open-orders": [_("订单号"), _("仪器/服务"), _("服务机构"), _("客户"), _("下单时间"), _("报价（元）")],
}


def record_row(kind: str, r) -> list:
    if kind in ("orders", "open-orders"):
        return [r.number, r.resource.name, r.provider.name, r.customer.name, r.day, fen_to_yuan(r.fen)]
    if kind == "vouchers":
        return [
            r.programme.name,
            r.enterprise.name,
            r.provider.name,
            r.reviewed_at,
            r.get_status_display(),
            fen_to_yuan(r.fen),
        ]
    return [r.registration_no, r.title, r.seller_name, r.buyer_name, r.signed_on, fen_to_yuan(r.fen)]


def records_workbook(kind: str, qs) -> bytes:
    def rows():
        for r in qs.iterator(chunk_size=2000):
            row = record_row(kind, r)
            yield [v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v for v in row]

    return write_sheets(
        [Sheet(title=selectors.RECORD_KINDS[kind], header=RECORD_HEADERS[kind], rows=rows(), widths=[20] * 6)]
    )
