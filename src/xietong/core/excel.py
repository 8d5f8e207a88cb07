"""Excel in and out for every app: read a sheet by its Chinese headers (through the safe reader in
core.workbooks), report row errors, write workbooks through one writer that neutralises formulas."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from xietong.core.errors import Invalid
from xietong.core.workbooks import open_workbook


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    width: int = 18


HAN = re.compile(r"[\u4e00-\u9fff]")
# English: "Unified social credit code (统一社会信用代码)"
COLUMN_LABEL = gettext_lazy("%(label)s（%(header)s）")


def column_label(header: str) -> str:
    """A workbook column named for the reader, in the language of the request.

    Workbooks keep their Chinese headers in every language (they are matched by that text), so an English
    reader gets the header's translation followed by the Chinese header, to find the column in the file:
    "Unified social credit code (统一社会信用代码)". In Chinese, and for a header with no translation (a
    user's own indicator code, a field key), the header alone.
    """
    if not header or not HAN.search(header):
        return header
    translated = gettext(header)
    if translated == header:
        return header
    return str(COLUMN_LABEL) % {"label": translated, "header": header}


@dataclass(frozen=True)
class RowError:
    """One problem of one row; `column` is the workbook's (Chinese) header, `column_label` what a reader sees."""

    row: int
    column: str
    message: str

    @property
    def column_label(self) -> str:
        return column_label(self.column)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "column_label": self.column_label,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        """Back from `as_dict` (a report kept in the session for its error workbook)."""
        return cls(row=data["row"], column=data["column"], message=data["message"])


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


def read_rows(source: Any, *, columns: Sequence[Column]) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (Excel row number, {key: text}); headers are matched by their Chinese text.

    Reads through the safe reader (core.workbooks), so an unreadable, oversized or hostile file, a missing
    required header or too many rows is an Invalid, raised before the caller writes anything.
    """
    with open_workbook(source) as workbook:
        rows = workbook.rows(0)
        first = next(rows, None)
        if first is None:
            raise Invalid(_("工作簿为空：第 1 行应为表头"))
        number, header = first
        positions = _header_positions(_as_list(header if number == 1 else {}), columns)
        out: list[tuple[int, dict[str, str]]] = []
        if number != 1:
            out.extend(_records([first], positions))
        out.extend(_records(rows, positions))
        return out


def _records(rows, positions: dict[str, int]):
    for number, cells in rows:
        record = {key: _cell_text(cells.get(i + 1)) for key, i in positions.items()}
        if any(record.values()):
            yield number, record


def _as_list(cells: dict[int, Any]) -> list[Any]:
    """Cells of a row as a list from column A to the last filled one."""
    return [cells.get(column) for column in range(1, max(cells, default=0) + 1)]


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
            _("表头缺少必填列：%(missing)s（请使用平台提供的导入模板）") % {"missing": _("、").join(missing)},
            missing=missing,
        )
    return positions


# ---------------------------------------------------------------------- writing
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_BLUE = "1F6FEB"
HEADER_GREY = "6E7781"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: an optional styled header row (one fill colour per column), then plain rows."""

    title: str
    rows: Iterable[Sequence[Any]]
    header: Sequence[str] = ()
    widths: Sequence[int] = ()
    fills: Sequence[str] = ()

    @classmethod
    def of_columns(
        cls,
        *,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        mark_required: bool = False,
    ) -> Sheet:
        """A sheet whose header and widths come from `columns`, for exports of several sheets (`write_sheets`)."""
        header = [c.header + ("*" if mark_required and c.required else "") for c in columns]
        return cls(title=title, rows=rows, header=header, widths=[c.width for c in columns])


def safe_value(value: Any) -> Any:
    """A cell value that a spreadsheet shows and never runs.

    Text beginning with =, +, -, @, tab or CR is a formula (or a DDE call) to Excel and LibreOffice, so it gets
    a leading apostrophe (OWASP's rule for CSV injection); characters that XML cannot carry are dropped;
    numbers, dates and booleans pass unchanged.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def write_sheets(sheets: Sequence[Sheet]) -> bytes:
    """The one workbook writer: every export and template goes through it, every value through safe_value."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        if spec.header:
            sheet.append([_header_cell(sheet, text, spec.fills, i) for i, text in enumerate(spec.header)])
        for row in spec.rows:
            sheet.append([_text_cell(sheet, safe_value(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, text: str, fills: Sequence[str], index: int) -> WriteOnlyCell:
    cell = _text_cell(sheet, safe_value(text))
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=fills[index] if index < len(fills) else HEADER_BLUE)
    return cell


def _text_cell(sheet, value: Any) -> Any:
    """Strings are written as text explicitly, so openpyxl never turns one into a formula."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_workbook(
    *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], mark_required: bool = False
) -> bytes:
    """A one-sheet workbook with a bold header row; `rows` may be a generator (streamed in write-only mode)."""
    return write_sheets(
        [Sheet.of_columns(title=title, columns=columns, rows=rows, mark_required=mark_required)]
    )


def template_workbook(
    *, title: str, columns: Sequence[Column], examples: Sequence[Sequence[Any]] = ()
) -> bytes:
    """An import template: required headers marked with * (blue; optional ones grey), examples, a 说明 sheet."""
    data = Sheet(
        title=title,
        rows=examples,
        header=[c.header + ("*" if c.required else "") for c in columns],
        widths=[c.width for c in columns],
        fills=[HEADER_BLUE if c.required else HEADER_GREY for c in columns],
    )
    notes = Sheet(
        title="说明",
        rows=[["列名", "是否必填", "填写说明"], *[[c.header, "必填" if c.required else "选填", c.help] for c in columns]],
        widths=[20, 10, 80],
    )  # fmt: skip
    return write_sheets([data, notes])


def error_workbook(errors: Sequence[RowError]) -> bytes:
    columns = [
        Column("row", "行号", width=8),
        Column("column", "列", width=20),
        Column("message", "问题", width=80),
    ]
    return write_workbook(
        title="错误报告", columns=columns, rows=((e.row, e.column_label, e.message) for e in errors)
    )


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook download; the (often Chinese) file name is encoded as RFC 6266 / RFC 5987 ask."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


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
