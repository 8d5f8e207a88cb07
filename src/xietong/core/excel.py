"""Excel in and out for every app: read a sheet by its Chinese headers, report row errors, write workbooks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from xietong.core.errors import Invalid


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    width: int = 18


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "total_rows": self.total_rows,
            "created": self.created,
            "bad_rows": self.bad_rows,
            "errors": [e.as_dict() for e in self.errors],
        }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(
    source: str | BinaryIO | bytes, *, columns: Sequence[Column]
) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (Excel row number, {key: text}); headers are matched by their Chinese text.

    Raises Invalid for a file that is not a workbook, a missing required header, or too many rows.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise Invalid("无法读取文件：请上传 .xlsx 格式的 Excel 工作簿") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise Invalid("工作簿为空：第 1 行应为表头")
        positions = _header_positions(header, columns)
        limit = settings.XIETONG_MAX_IMPORT_ROWS
        out: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(rows, start=2):
            record = {key: _cell_text(values[i]) if i < len(values) else "" for key, i in positions.items()}
            if not any(record.values()):
                continue
            out.append((number, record))
            if len(out) > limit:
                raise Invalid(f"行数超过上限 {limit} 行，请拆分后分批导入")
        return out
    finally:
        workbook.close()


def _header_positions(header: Sequence[Any], columns: Sequence[Column]) -> dict[str, int]:
    names = [_cell_text(h).rstrip("*＊").strip() for h in header]
    positions: dict[str, int] = {}
    missing = []
    for column in columns:
        if column.header in names:
            positions[column.key] = names.index(column.header)
        elif column.required:
            missing.append(column.header)
    if missing:
        raise Invalid(
            "表头缺少必填列：" + "、".join(missing) + "（请使用平台提供的导入模板）", missing=missing
        )
    return positions


def write_workbook(
    *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], mark_required: bool = False
) -> bytes:
    """A one-sheet workbook with a bold header row; `rows` may be a generator (streamed in write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    header = []
    for column in columns:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=column.header + ("*" if mark_required and column.required else ""))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F6FEB")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(
    *, title: str, columns: Sequence[Column], examples: Sequence[Sequence[Any]] = ()
) -> bytes:
    """An import template: required headers marked with *, an example row, and a 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([c.header + ("*" if c.required else "") for c in columns])
    for index, column in enumerate(columns):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F6FEB" if column.required else "6E7781")
        sheet.column_dimensions[_letter(index)].width = column.width
    for example in examples:
        sheet.append(list(example))
    notes = workbook.create_sheet("说明")
    notes.append(["列名", "是否必填", "填写说明"])
    for column in columns:
        notes.append([column.header, "必填" if column.required else "选填", column.help])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_workbook(errors: Sequence[RowError]) -> bytes:
    columns = [
        Column("row", "行号", width=8),
        Column("column", "列", width=20),
        Column("message", "问题", width=80),
    ]
    return write_workbook(
        title="错误报告", columns=columns, rows=((e.row, e.column, e.message) for e in errors)
    )


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def parse_bool(text: str) -> bool | None:
    """是/否 style cell → bool; blank → None; anything else raises ValueError."""
    value = text.strip().lower()
    if value == "":
        return None
    if value in {"是", "y", "yes", "true", "1", "√", "✓"}:
        return True
    if value in {"否", "n", "no", "false", "0", "×"}:
        return False
    raise ValueError(text)
