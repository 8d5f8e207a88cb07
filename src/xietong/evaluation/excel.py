"""Framework and data workbooks: templates, reading uploads cell by cell, and the run report workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.utils.translation import gettext

from xietong.core.errors import Invalid
from xietong.core.excel import Sheet, write_sheets
from xietong.core.workbooks import open_workbook

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
    with open_workbook(source) as workbook:
        rows = workbook.rows(0)
        number, header = next(rows, (0, {}))
        if number != 1:
            raise Invalid(gettext("工作簿为空：第 1 行应为表头"), code="bad_file")
        width = max(header)
        names = [_header(header.get(column), column - 1) for column in range(1, width + 1)]
        records, numbers = [], []
        for number, cells in rows:
            values = [_cell(cells.get(column)) for column in range(1, width + 1)]
            if any(v is not None for v in values):
                records.append(values)
                numbers.append(number)
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
    rows = [[row.get(key) for key, _ in FRAMEWORK_HEADERS] for row in table]
    notes = [
        ["列", "说明"],
        ["层级", "1 = 指标，2 = 二级，3 = 一级，最高层 = 总指数"],
        ["指标代码", "唯一代码（字母、数字、下划线）"],
        ["方向", "1 正向（越大越好），-1 逆向"],
        ["权重", "同一上级之下的相对权重，不能为负"],
        ["上级", "上级汇总项的代码；总指数留空"],
        ["类型", "Indicator（指标）或 Aggregate（汇总）"],
        ["来源", "留空 = 导入的统计数据；platform:<代码> = 由平台业务数据计算"],
        ["指数", name],
    ]
    return write_sheets(
        [
            Sheet(title="指标框架", rows=rows, header=[label for _, label in FRAMEWORK_HEADERS],
                  widths=[8, 22, 40, 8, 8, 14, 12, 12, 34]),
            Sheet(title="说明", rows=notes),
        ]
    )  # fmt: skip


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
    rows = [[code, label, year] for year in years for code, label in units]
    notes: list[list] = [
        [r["iCode"], r.get("iName"), r.get("Unit"), r.get("Direction"),
         f"平台数据（{r['Source']}），留空则由平台计算" if r.get("Source") else "统计数据"]
        for r in indicators
    ]  # fmt: skip
    notes += [[], [f"{name}：每行一个地区一年；地区代码为 6 位 GB/T 2260 行政区划代码；空白单元格为缺失值。"]]
    return write_sheets(
        [
            Sheet(title="指标数据", rows=rows, header=["地区代码", "地区名称", "年份", *[r["iCode"] for r in indicators]],
                  widths=[10, 12, 8] + [14] * len(indicators)),
            Sheet(title="指标说明", rows=[["指标代码", "指标名称", "单位", "方向", "来源"], *notes]),
        ]
    )  # fmt: skip


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
    return write_sheets([Sheet(title=title, rows=rows, header=headers) for title, headers, rows in sheets])


def data_template_for(framework, *, actor) -> bytes:
    from xietong.evaluation import selectors

    version = selectors.framework_version_latest(actor=actor, framework=framework)
    units, years = selectors.template_rows(actor=actor, framework=framework)
    return data_template(name=framework.name, table=version.table, units=units, years=years)
