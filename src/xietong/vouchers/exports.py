"""Exports: grants and statements to Excel (openpyxl), statements to PDF (core.pdf, Chinese font embedded)."""

from __future__ import annotations

from django.utils import timezone

from xietong.core.excel import Column, write_workbook
from xietong.core.money import fen_to_yuan, format_yuan
from xietong.core.money_words import capitals
from xietong.core.pdf import PdfDocument
from xietong.vouchers import selectors

GRANT_COLUMNS = [
    Column("code", "券码", width=30),
    Column("enterprise", "企业", width=32),
    Column("programme", "方案", width=28),
    Column("amount", "额度（元）", width=14),
    Column("available", "可用（元）", width=14),
    Column("reserved", "已预留（元）", width=14),
    Column("lapsed", "到期收回（元）", width=14),
    Column("use_deadline", "使用截止", width=12),
    Column("status", "状态", width=10),
]
LINE_COLUMNS = [
    Column("n", "序号", width=6),
    Column("order", "订单号", width=16),
    Column("provider", "服务机构", width=32),
    Column("enterprise", "用券企业", width=32),
    Column("programme", "方案", width=28),
    Column("posting", "记账摘要", width=40),
    Column("posted_at", "记账时间", width=17),
    Column("amount", "金额（元）", width=14),
]


def grants_xlsx(grants) -> bytes:
    grants = list(grants)
    from xietong.ledger.selectors import balances_of

    balances = balances_of([a for g in grants for a in (g.available_account_id, g.reserved_account_id)])
    rows = (
        (
            g.code,
            g.enterprise.name,
            g.programme.name,
            fen_to_yuan(g.amount_fen),
            fen_to_yuan(balances.get(g.available_account_id, 0)),
            fen_to_yuan(balances.get(g.reserved_account_id, 0)),
            fen_to_yuan(g.lapsed_fen),
            g.use_deadline.isoformat(),
            g.get_status_display(),
        )
        for g in grants
    )
    return write_workbook(title="创新券额度", columns=GRANT_COLUMNS, rows=rows)


def _line_rows(statement, actor):
    for n, line in enumerate(selectors.statement_lines(actor=actor, statement=statement), start=1):
        r = line.redemption
        yield (
            n,
            r.order.number,
            r.provider.name,
            r.enterprise.name,
            r.programme.name,
            line.posting.entry.memo,
            timezone.localtime(line.posting.entry.created_at).strftime("%Y-%m-%d %H:%M"),
            fen_to_yuan(line.amount_fen),
        )


def statement_xlsx(statement, *, actor) -> bytes:
    rows = list(_line_rows(statement, actor))
    rows.append(("", "", "", "", "合计", "", "", fen_to_yuan(statement.total_fen)))
    return write_workbook(title=f"结算单{statement.number}", columns=LINE_COLUMNS, rows=rows)


def statement_pdf(statement, *, actor) -> bytes:
    """A printable statement; core.pdf embeds the Chinese font, so it reads the same on any machine."""
    status = statement.get_status_display()
    paid = f"（支付凭证 {statement.paid_reference}）" if statement.paid_reference else ""
    doc = PdfDocument(
        title=f"科技创新券跨区结算单 {statement.number}",
        subtitle=f"{statement.issuer_name} → {statement.counterpart_region.name}",
        is_landscape=True,
    )
    doc.key_values(
        [
            ("发券方", statement.issuer_name),
            ("服务机构所在地区", statement.counterpart_region.name),
            ("结算期", f"{statement.period:%Y年%m月}"),
            ("明细条数", statement.line_count),
            ("合计", format_yuan(statement.total_fen)),
            ("合计（大写）", capitals(statement.total_fen)),
            *_payee_lines(statement, actor),
            ("状态", f"{status}{paid}"),
            ("生成时间", f"{timezone.localtime(statement.generated_at):%Y-%m-%d %H:%M}"),
        ]
    )
    rows = [[str(v) for v in row] for row in _line_rows(statement, actor)]
    rows.append(["", "", "", "", "合计", "", str(fen_to_yuan(statement.total_fen))])
    doc.table(
        [c.header for c in LINE_COLUMNS],
        rows,
        widths=(0.05, 0.12, 0.22, 0.22, 0.2, 0.07, 0.12),
        total_row=True,
    )
    _signature_block(doc)
    return doc.render()


def _payee_lines(statement, actor) -> list[tuple[str, str]]:
    payee = selectors.statement_payee(actor=actor, statement=statement)
    if payee is None:
        return [("收款账户", "收款地区尚未登记收款账户")]
    return [("收款单位", payee.account_name), ("开户银行", payee.bank_name), ("账号", payee.account_no)]


SIGNATURE_LINE = (
    "经办人：____________    复核人：____________    负责人：____________    日期：____年__月__日"
)


def _signature_block(doc: PdfDocument) -> None:
    """What a finance office signs and seals: both sides, each with handler, checker, head and seal."""
    doc.heading("签章")
    doc.paragraph(f"付款方（发券方）：{SIGNATURE_LINE}")
    doc.paragraph("付款方盖章：（公章）")
    doc.paragraph(f"收款方（服务机构所在地区）：{SIGNATURE_LINE}")
    doc.paragraph("收款方盖章：（公章）")
