"""Revenue workbooks in (Excel through core's safe reader, or CSV), statements out (core's writer)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xietong.core.errors import Invalid
from xietong.core.excel import Column, Sheet, read_rows, template_workbook, write_sheets

REVENUE_COLUMNS = [
    Column("enterprise", "企业名称", required=True, help="须为协议园区范围内已登记的企业", width=30),
    Column(
        "revenue_type",
        "收入类型",
        required=True,
        help="增值税、企业所得税、个人所得税、营业税、土地出让收入、地区生产总值、工业总产值、共同出资 之一",
    ),
    Column("period", "期间", required=True, help="YYYY-MM，如 2025-03"),
    Column("amount", "金额（元）", required=True, help="最多两位小数；退税填负数", width=20),
]
EXAMPLE = ["遂宁某某电子科技有限公司", "增值税", "2025-03", "125000.00"]
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 100_000


def read_revenue(source: Any) -> list[tuple[int, dict[str, str]]]:
    """Rows of a revenue workbook or CSV file as (row number, {key: text}); a broken file is an Invalid."""
    head = _peek(source)
    if head.startswith(b"PK") or not head:
        return read_rows(source, columns=REVENUE_COLUMNS)
    return _read_csv(source)


def _peek(source: Any) -> bytes:
    if hasattr(source, "seek"):
        position = source.tell() if hasattr(source, "tell") else 0
        head = source.read(4)
        source.seek(position)
        return head if isinstance(head, bytes) else head.encode()
    return b""


def _read_csv(source: Any) -> list[tuple[int, dict[str, str]]]:
    data = source.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise Invalid(_("文件过大（CSV 不超过 20 MB）"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Invalid(_("无法识别文件编码：请使用 UTF-8 或 GBK 编码的 CSV，或 Excel 工作簿"))
    if "\x00" in text:
        raise Invalid(_("文件不是有效的 CSV 或 Excel 工作簿"))
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise Invalid(_("工作簿为空：第 1 行应为表头"))
    names = [h.strip().rstrip("*＊").strip() for h in header]
    missing = [c.header for c in REVENUE_COLUMNS if c.header not in names]
    if missing:
        raise Invalid(
            _("表头缺少必填列：%(missing)s（请使用平台提供的导入模板）") % {"missing": _("、").join(missing)},
            missing=missing,
        )
    positions = {c.key: names.index(c.header) for c in REVENUE_COLUMNS}
    out = []
    for number, cells in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            raise Invalid(_("行数过多（不超过 %(MAX_CSV_ROWS)s 行）") % {"MAX_CSV_ROWS": MAX_CSV_ROWS})
        record = {k: (cells[i].strip() if i < len(cells) else "") for k, i in positions.items()}
        if any(record.values()):
            out.append((number, record))
    return out


def revenue_template() -> bytes:
    return template_workbook(title="园区企业收入", columns=REVENUE_COLUMNS, examples=[EXAMPLE])


def run_header() -> list[str]:
    """The columns of a statement's settlement runs, the same in the workbook and the PDF (read per language)."""
    return [
        gettext("期间"),
        gettext("结算时间"),
        gettext("类型"),
        gettext("记账分录"),
        gettext("调整所对应的原结算"),
        gettext("本次记账（元）"),
    ]


def statement_workbook(statement) -> bytes:
    """A party's statement: summary by period and type, every run (adjustments named), per-enterprise detail."""
    summary = Sheet(
        title=gettext("结算汇总"),
        header=[
            gettext("期间"),
            gettext("收入类型"),
            gettext("部分"),
            gettext("本期应分（元）"),
            gettext("其中调整（元）"),
        ],
        widths=[12, 16, 12, 20, 18],
        rows=[[r["period"], r["type"], r["part"], r["amount"], r["adjusted"]] for r in statement.summary],
    )
    runs = Sheet(
        title=gettext("结算记录"),
        header=run_header(),
        widths=[12, 20, 10, 12, 18, 18],
        rows=[
            [r["period"], r["at"], r["kind"], r["entry"], r["adjusts"], r["posted"]] for r in statement.runs
        ],
    )
    detail = Sheet(
        title=gettext("企业明细"),
        header=[
            gettext("期间"),
            gettext("企业"),
            gettext("收入类型"),
            gettext("规则"),
            gettext("本年累计（元）"),
            gettext("基数（元）"),
            gettext("存量（元）"),
            gettext("增量/分成（元）"),
            gettext("舍入调整（分）"),
        ],
        widths=[12, 30, 14, 28, 18, 16, 16, 18, 14],
        rows=[
            [
                d["period"],
                d["enterprise"],
                d["type"],
                d["rule"],
                d["cumulative"],
                d["baseline"],
                d["stock"],
                d["share"],
                d["moved"],
            ]
            for d in statement.detail
        ],
    )
    sheets = [summary, runs] + ([detail] if statement.detail else [])
    return write_sheets(sheets)
