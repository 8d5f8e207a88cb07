"""PDF documents with Chinese text: statements, evaluation reports, anything a bureau files or prints.

A PDF that names a Chinese font without embedding it shows boxes on machines that lack the font, and
official documents are opened everywhere; so the WenQuanYi Micro Hei font (Apache-2.0, vendored in
core/fonts/ with its licence) is embedded, subset to the glyphs used, in every document built here.

>>> doc = PdfDocument(title="结算单")
>>> doc.heading("2026 年 11 月")
>>> doc.table(["地区", "金额（元）"], [["上海市", "1,200.00"]])
>>> doc.render()[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_NAME = "WenQuanYiMicroHei"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
BRAND = colors.HexColor("#0d47a1")


def _register_font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME


def _styles() -> dict[str, ParagraphStyle]:
    font = _register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10, textColor=colors.grey, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle("heading", parent=base, fontSize=13, leading=20, textColor=BRAND),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey),
    }


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PdfDocument:
    """A flowing A4 document: headings, paragraphs, key–value blocks, tables and bar charts."""

    def __init__(self, *, title: str, subtitle: str = "", is_landscape: bool = False, footer: str = ""):
        self.title = title
        self.page_size = landscape(A4) if is_landscape else A4
        self.footer = footer or "协同 Xietong · 跨区域协同创新平台"
        self.styles = _styles()
        self.story: list = [Paragraph(_escape(title), self.styles["title"])]
        if subtitle:
            self.story.append(Paragraph(_escape(subtitle), self.styles["subtitle"]))
        self.story.append(Spacer(1, 6 * mm))

    @property
    def width(self) -> float:
        return self.page_size[0] - 30 * mm

    def heading(self, text: str) -> None:
        self.story += [Spacer(1, 3 * mm), Paragraph(_escape(text), self.styles["heading"])]

    def paragraph(self, text: str, *, small: bool = False) -> None:
        self.story.append(Paragraph(_escape(text), self.styles["small" if small else "body"]))

    def key_values(self, pairs: Sequence[tuple[str, object]]) -> None:
        rows = [[_escape(k), _escape(v)] for k, v in pairs]
        self.table(["项目", "内容"], rows, widths=(0.3, 0.7), header=False)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        header: bool = True,
        total_row: bool = False,
    ) -> None:
        """A table that repeats its header on every page; `total_row` sets the last row in bold tint."""
        cell = self.styles["cell"]
        data = [[Paragraph(_escape(h), cell) for h in headers]] if header else []
        data += [[Paragraph(_escape(v), cell) for v in row] for row in rows]
        col_widths = [self.width * w for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c5cae9")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eaf6")))
        if total_row and rows:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#fff8e1")))
        table.setStyle(TableStyle(style))
        self.story += [table, Spacer(1, 3 * mm)]

    def bar_chart(self, labels: Sequence[str], values: Sequence[float], *, caption: str = "") -> None:
        """A horizontal bar chart (longest bar on top), for ranked scores or amounts."""
        font = _register_font()
        height = max(60.0, 16.0 * len(labels) + 30)
        drawing = Drawing(self.width, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 90, 15
        chart.width, chart.height = self.width - 110, height - 25
        chart.data = [list(reversed([float(v) for v in values]))]
        chart.categoryAxis.categoryNames = list(reversed([str(label) for label in labels]))
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 8
        chart.valueAxis.labels.fontName = font
        chart.valueAxis.labels.fontSize = 8
        chart.valueAxis.valueMin = min(0.0, *chart.data[0]) if chart.data[0] else 0.0
        chart.bars[0].fillColor = BRAND
        drawing.add(chart)
        block = [drawing]
        if caption:
            block.append(Paragraph(_escape(caption), self.styles["small"]))
        self.story.append(KeepTogether(block))

    def _decorate(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, self.footer)
        canvas.drawRightString(self.page_size[0] - 15 * mm, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    def render(self) -> bytes:
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            title=self.title,
            author="协同 Xietong",
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
        )
        template.build(self.story, onFirstPage=self._decorate, onLaterPages=self._decorate)
        return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF download, sent alike by every page and API; the (often Chinese) name is encoded per RFC 6266."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
