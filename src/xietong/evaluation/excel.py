"""Framework and data workbooks: templates, reading uploads cell by cell, and the run report workbook."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from xietong.core.errors import Invalid

HEADER_FILL = PatternFill("solid", fgColor="1F6FEB")
# Framework sheet: the engine accepts these Chinese headers (composite.framework.COLUMN_ALIASES) + 来源.
FRAMEWORK_HEADERS = (
    ("Level", "层级"), ("iCode", "指标代码"), ("iName", "指标名称"), ("Direction", "方向"), ("Weight", "权重"),
    ("Unit", "单位"), ("Parent", "上级"), ("Type", "类型"), ("Source", "来源"),
)  # fmt: skip
# Data sheet: identifier columns by their Chinese headers; indicator columns by code or by name.
DATA_ID_HEADERS = {"地区代码": "uCode", "地区名称": "uName", "年份": "Time"}
DATA_ID_LABELS = {v: k for k, v in DATA_ID_HEADERS.items()}


def read_sheet(source) -> pd.DataFrame:
    """The first sheet as text-or-number cells (header on row 1); blank rows dropped, row numbers kept."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise Invalid("无法读取文件：请上传 .xlsx 格式的 Excel 工作簿", code="bad_file") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not any(h is not None for h in header):
            raise Invalid("工作簿为空：第 1 行应为表头", code="bad_file")
        names = [_header(h, i) for i, h in enumerate(header)]
        records, numbers = [], []
        limit = settings.XIETONG_MAX_IMPORT_ROWS
        for number, values in enumerate(rows, start=2):
            values = [_cell(v) for v in values[: len(names)]]
            if not any(v is not None for v in values):
                continue
            records.append(values + [None] * (len(names) - len(values)))
            numbers.append(number)
            if len(records) > limit:
                raise Invalid(f"行数超过上限 {limit} 行，请拆分后分批导入", code="too_many_rows")
    finally:
        workbook.close()
    frame = pd.DataFrame(records, columns=names, dtype=object)
    frame.index = pd.Index(numbers, name="row")
    return frame


def _header(value: Any, position: int) -> str:
    text = "" if value is None else str(value).strip().rstrip("*＊").strip()
    return text or f"第{position + 1}列"


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# ---------------------------------------------------------------------- frameworks
def framework_workbook(*, name: str, table: Sequence[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标框架"
    sheet.append([label for _, label in FRAMEWORK_HEADERS])
    for row in table:
        sheet.append([row.get(key) for key, _ in FRAMEWORK_HEADERS])
    _style_header(sheet, [8, 22, 40, 8, 8, 14, 12, 12, 34])
    notes = workbook.create_sheet("说明")
    for line in (
        ["列", "说明"],
        ["层级", "1 = 指标，2 = 二级，3 = 一级，最高层 = 总指数"],
        ["指标代码", "唯一代码（字母、数字、下划线）"],
        ["方向", "1 正向（越大越好），-1 逆向"],
        ["权重", "同一上级之下的相对权重，不能为负"],
        ["上级", "上级汇总项的代码；总指数留空"],
        ["类型", "Indicator（指标）或 Aggregate（汇总）"],
        ["来源", "留空 = 导入的统计数据；platform:<代码> = 由平台业务数据计算"],
        ["指数", name],
    ):
        notes.append(line)
    return _save(workbook)


def framework_frame(source) -> tuple[pd.DataFrame, dict[str, str]]:
    """The uploaded framework sheet for Framework.from_table (index = Excel row), and each node's 来源 by code."""
    frame = read_sheet(source)
    sources: dict[str, str] = {}
    code_col = next((c for c in ("指标代码", "代码", "iCode") if c in frame.columns), None)
    source_col = next((c for c in ("来源", "Source") if c in frame.columns), None)
    if code_col and source_col:
        for code, source in zip(frame[code_col], frame[source_col], strict=True):
            if code is not None and source is not None:
                sources[str(code).strip()] = str(source).strip()
        frame = frame.drop(columns=[source_col])
    return frame, sources


# ---------------------------------------------------------------------- data
def data_template(
    *, name: str, table: Sequence[dict], units: Sequence[tuple[str, str]], years: Sequence[int]
) -> bytes:
    """A data sheet: one row per region × year, one column per indicator (headed by its code)."""
    indicators = [r for r in table if r.get("Type") == "Indicator"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标数据"
    sheet.append(["地区代码", "地区名称", "年份", *[r["iCode"] for r in indicators]])
    for year in years:
        for code, label in units:
            sheet.append([code, label, year])
    _style_header(sheet, [10, 12, 8] + [14] * len(indicators))
    notes = workbook.create_sheet("指标说明")
    notes.append(["指标代码", "指标名称", "单位", "方向", "来源"])
    for r in indicators:
        source = r.get("Source") or ""
        notes.append([r["iCode"], r.get("iName"), r.get("Unit"), r.get("Direction"),
                      f"平台数据（{source}），留空则由平台计算" if source else "统计数据"])  # fmt: skip
    notes.append([])
    notes.append([f"{name}：每行一个地区一年；地区代码为 6 位 GB/T 2260 行政区划代码；空白单元格为缺失值。"])
    return _save(workbook)


def data_frame(source, *, table: Sequence[dict]) -> tuple[pd.DataFrame, dict[str, str]]:
    """The uploaded data sheet renamed to engine columns (index = Excel row), and engine column → header as written."""
    frame = read_sheet(source)
    by_name = {str(r.get("iName") or "").strip(): r["iCode"] for r in table if r.get("Type") == "Indicator"}
    codes = {r["iCode"] for r in table if r.get("Type") == "Indicator"}
    rename: dict[str, str] = {}
    for column in frame.columns:
        if column in DATA_ID_HEADERS:
            rename[column] = DATA_ID_HEADERS[column]
        elif column in ("uCode", "uName", "Time") or column in codes:
            rename[column] = column
        elif column in by_name:
            rename[column] = by_name[column]
    frame = frame.rename(columns=rename)
    written = {new: old for old, new in rename.items()}
    return frame, written


# ---------------------------------------------------------------------- report
def report_workbook(*, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """Several sheets of (title, headers, rows), header row styled."""
    workbook = Workbook(write_only=True)
    from openpyxl.cell import WriteOnlyCell

    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(list(row))
    return _save(workbook)


def _style_header(sheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index + 1)].width = (
            widths[index] if index < len(widths) else 14
        )


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def data_template_for(framework, *, actor) -> bytes:
    from xietong.evaluation import selectors

    version = selectors.framework_version_latest(actor=actor, framework=framework)
    units, years = selectors.template_rows(actor=actor, framework=framework)
    return data_template(name=framework.name, table=version.table, units=units, years=years)
