"""PDFs must show Chinese on any machine: the font is embedded, and the text can be extracted again."""

import re
import shutil
import subprocess

import pytest

from xietong.core.pdf import FONT_NAME, PdfDocument, pdf_response


def _document() -> bytes:
    doc = PdfDocument(title="跨区域结算单", subtitle="2026 年 11 月 · 嘉兴市科技局 → 上海市")
    doc.heading("明细")
    doc.key_values([("结算期间", "2026-11"), ("合计", "12,345.67 元")])
    doc.table(
        ["服务机构", "金额（元）"], [["上海某检测中心", "1,000.00"], ["合计", "1,000.00"]], total_row=True
    )
    doc.bar_chart(["上海", "嘉兴"], [80.5, 60.25], caption="得分")
    return doc.render()


def test_the_chinese_font_is_embedded_not_just_named():
    pdf = _document()
    assert pdf.startswith(b"%PDF-")
    assert FONT_NAME.encode() in pdf
    assert b"/FontFile2" in pdf  # an embedded TrueType program, subset to the glyphs used


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_text_reads_back_as_chinese(tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(_document())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "跨区域结算单" in text
    assert re.search(r"上海某检测中心\s+1,000\.00", text)


def test_a_pdf_download_names_its_chinese_file_by_rfc_6266():
    # when a document is sent with a Chinese name
    response = pdf_response(b"%PDF-1.4", "长三角指数报告.pdf")
    # then it is an attachment of type PDF whose name survives any browser
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%95%BF%E4%B8%89%E8%A7%92%E6%8C%87%E6%95%B0%E6%8A%A5%E5%91%8A.pdf"
    )
