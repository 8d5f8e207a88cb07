"""How the XML parts of an .xlsx are read for core.workbooks: expat with DTDs and entities refused, budgets.

Every part is streamed through expat (no tree is built, so memory stays flat whatever the part holds);
a DOCTYPE, an entity declaration or an external reference raises defusedxml's error before anything is
expanded; a depth and an element budget bound the work; the sheet reader yields rows as they end, never
pads a gap between row numbers, and checks row numbers, cells, columns, blank rows and data rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol
from xml.parsers import expat

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

from xietong.core.errors import Invalid


class _Book(Protocol):
    """What a sheet reader needs of the workbook (`workbooks.SafeWorkbook`), named here so this module does not
    import the one that imports it."""

    limits: Limits

    @property
    def shared_strings(self) -> list[str]: ...


MiB = 1024 * 1024
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
EXCEL_MAX_TEXT = 32_767
CHUNK = 64 * 1024
NOT_A_WORKBOOK = gettext_lazy("无法读取文件：请上传 .xlsx 格式的 Excel 工作簿")
CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")

Cells = dict[int, Any]  # column number (1 = A) → a non-blank value
Row = tuple[int, Cells]  # (Excel row number, cells)


@dataclass(frozen=True)
class Limits:
    """What one upload may cost; the defaults fit the largest real import (50,000 rows) with room to spare."""

    upload_bytes: int = 10 * MiB
    rows: int = 50_000  # non-blank data rows of a sheet (the header row comes on top)
    members: int = 256  # files inside the zip
    member_bytes: int = 64 * MiB  # one part, uncompressed
    total_bytes: int = 160 * MiB  # all parts, uncompressed
    ratio: int = 100  # uncompressed ÷ compressed, checked for parts over `ratio_floor`
    ratio_floor: int = 1 * MiB
    cells: int = 2_000_000  # <c> elements of a sheet, blank ones included
    columns: int = 1_024  # a value further right than this is refused
    empty_rows: int = 10_000  # <row> elements without a value
    elements: int = 12_000_000  # XML elements over all parts read
    depth: int = 64  # XML nesting

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(upload_bytes=settings.XIETONG_MAX_IMPORT_BYTES, rows=settings.XIETONG_MAX_IMPORT_ROWS)


def broken(reason: str) -> Invalid:
    return Invalid(
        gettext("无法读取文件：工作簿内容已损坏（%(reason)s），请在 Excel 中打开并另存为 .xlsx 后重试")
        % {"reason": reason},
        code="bad_file",
    )


# ---------------------------------------------------------------------- guarded XML parsing
class Part:
    """Handlers for one XML part; `parse` feeds it and enforces the depth and element budgets."""

    def start(self, name: str, attrs: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None: ...


def local_name(name: str) -> str:
    return name.rpartition("}")[2]


def _refuse_dtd(name, sysid, pubid, has_internal_subset):
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(name, is_parameter, value, base, sysid, pubid, notation):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed(name, base, sysid, pubid, notation):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.elements = 0


def parse(stream: IO[bytes], part: Part, budget: Budget) -> Iterator[None]:
    """Stream `stream` through expat into `part`, pausing after each chunk; DTDs and entities raise."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed
    parser.ExternalEntityRefHandler = _refuse_external
    depth = 0
    limits = budget.limits

    def start(name, attrs):
        nonlocal depth
        depth += 1
        budget.elements += 1
        if depth > limits.depth:
            raise broken("XML 嵌套过深")
        if budget.elements > limits.elements:
            raise Invalid(
                gettext("工作簿过于复杂（XML 元素超过 %(elements)s 个），请拆分后分批导入")
                % {"elements": limits.elements},
                code="too_large",
            )
        part.start(local_name(name), attrs)

    def end(name):
        nonlocal depth
        depth -= 1
        part.end(local_name(name))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = part.text
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def parse_all(stream: IO[bytes], part: Part, budget: Budget) -> None:
    for _ in parse(stream, part, budget):
        pass


# ---------------------------------------------------------------------- package parts
class Relationships(Part):
    def __init__(self) -> None:
        self.targets: dict[str, tuple[str, str]] = {}  # Id → (type, target)

    def start(self, name, attrs):
        if name == "Relationship" and attrs.get("Id") and attrs.get("Target"):
            self.targets[attrs["Id"]] = (attrs.get("Type", ""), attrs["Target"])

    def of_type(self, suffix: str) -> str | None:
        return next((target for kind, target in self.targets.values() if kind.endswith(suffix)), None)


class WorkbookPart(Part):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.date1904 = False

    def start(self, name, attrs):
        if name == "sheet":
            rel = next((v for k, v in attrs.items() if local_name(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), rel))
        elif name == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")


class Styles(Part):
    """Which cell styles format a number as a date or a duration (as openpyxl decides it)."""

    def __init__(self) -> None:
        self.formats: dict[int, str] = {}
        self.xf_formats: list[int] = []
        self.in_cell_xfs = False

    def start(self, name, attrs):
        if name == "numFmt":
            self.formats[_int(attrs.get("numFmtId"), "样式编号")] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            self.xf_formats.append(_int(attrs.get("numFmtId", "0"), "样式编号"))

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_xfs = False

    def kinds(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for style_id, format_id in enumerate(self.xf_formats):
            code = self.formats.get(format_id) or BUILTIN_FORMATS.get(format_id, "General")
            if is_date_format(code):
                dates.add(style_id)
                if is_timedelta_format(code):
                    durations.add(style_id)
        return dates, durations


class SharedStrings(Part):
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.strings: list[str] = []
        self.text_of = _Text()

    def start(self, name, attrs):
        if name == "si":
            if len(self.strings) >= self.limits.cells:
                raise Invalid(
                    gettext("共享字符串超过 %(cells)s 个，请拆分后分批导入") % {"cells": self.limits.cells},
                    code="too_large",
                )
            self.text_of.begin()
        else:
            self.text_of.start(name)

    def end(self, name):
        if name == "si":
            self.strings.append(self.text_of.finish() or "")
        else:
            self.text_of.end(name)

    def text(self, data):
        self.text_of.add(data)


class _Text:
    """The text of a string item (<si> or <is>): its <t> runs without the phonetic (<rPh>) ones, or a <v>."""

    def __init__(self) -> None:
        self.parts: list[str] | None = None
        self.length = 0
        self.collecting = False
        self.seen = False
        self.phonetic = 0

    def begin(self) -> None:
        self.parts, self.length, self.collecting, self.seen, self.phonetic = [], 0, False, False, 0

    def start(self, name: str) -> None:
        if name == "rPh":
            self.phonetic += 1
        elif name in ("t", "v") and self.parts is not None and not self.phonetic:
            self.collecting = self.seen = True

    def end(self, name: str) -> None:
        if name == "rPh":
            self.phonetic -= 1
        elif name in ("t", "v"):
            self.collecting = False

    def add(self, data: str) -> None:
        if self.collecting:
            self.length += len(data)
            if self.length > EXCEL_MAX_TEXT:
                raise broken(f"单元格文本超过 {EXCEL_MAX_TEXT} 个字符")
            self.parts.append(data)

    def finish(self) -> str | None:
        parts, self.parts, self.collecting = self.parts, None, False
        return "".join(parts) if parts is not None and self.seen else None


def _int(text: str | None, what: str) -> int:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise broken(f"{what}“{(text or '')[:20]}”无效")
    return int(text)


# ---------------------------------------------------------------------- sheets
class SheetReader(Part):
    """Streams rows as they end; blank rows are counted, never padded, never yielded."""

    def __init__(self, book: _Book) -> None:
        self.book = book
        self.limits = book.limits
        self.ready: list[Row] = []
        self.row_number = 0
        self.cells: Cells | None = None
        self.column = 0
        self.cell_count = 0
        self.empty_rows = 0
        self.data_rows = 0
        self.cell_type = "n"
        self.style = 0
        self.in_cell = False
        self.value = _Text()

    def start(self, name, attrs):
        if name == "row":
            self._start_row(attrs.get("r"))
        elif name == "c":
            self._start_cell(attrs)
        elif self.in_cell and name != "f":
            self.value.start(name)

    def end(self, name):
        if name == "c" and self.in_cell:
            self._end_cell()
        elif name == "row" and self.cells is not None:
            self._end_row()
        elif self.in_cell:
            self.value.end(name)

    def text(self, data):
        self.value.add(data)

    def _start_row(self, number: str | None) -> None:
        if self.cells is not None:
            raise broken("行中嵌套了行")
        row = self.row_number + 1 if number is None else _int(number, "行号")
        if not self.row_number < row <= EXCEL_MAX_ROW:
            raise broken(f"行号“{row}”无效（应递增且不超过 {EXCEL_MAX_ROW}）")
        self.row_number, self.cells, self.column = row, {}, 0

    def _start_cell(self, attrs: dict[str, str]) -> None:
        if self.cells is None or self.in_cell:
            raise broken("单元格不在任何行中")
        self.cell_count += 1
        if self.cell_count > self.limits.cells:
            raise Invalid(
                gettext("单元格数超过上限 %(cells)s 个，请拆分后分批导入") % {"cells": self.limits.cells},
                code="too_many_cells",
            )
        reference = attrs.get("r")
        if reference is None:
            self.column += 1
        else:
            match = CELL_REF.fullmatch(reference)
            if match is None:
                raise broken(f"单元格引用“{reference[:20]}”无效")
            self.column = column_index_from_string(match.group(1))
        if self.column > EXCEL_MAX_COLUMN:
            raise broken(f"单元格 {reference} 超出 Excel 的列数")
        self.cell_type = attrs.get("t", "n")
        self.style = _int(attrs["s"], "样式编号") if attrs.get("s") else 0
        self.in_cell = True
        self.value.begin()

    def _end_cell(self) -> None:
        self.in_cell = False
        raw = self.value.finish()
        value = None if raw is None else self._convert(raw)
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        if self.column > self.limits.columns:
            raise Invalid(gettext("第 %(row_number)s 行的数据超出第 %(columns)s 列，请删除多余的列") % {"row_number": self.row_number, "columns": self.limits.columns}, code="too_many_columns")  # fmt: skip
        self.cells[self.column] = value

    def _convert(self, raw: str) -> Any:
        kind = self.cell_type
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "s":
            index = _int(raw.strip(), "共享字符串编号")
            if index >= len(self.book.shared_strings):
                raise broken(f"共享字符串编号 {index} 超出范围")
            return self.book.shared_strings[index]
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return from_ISO8601(raw.strip())
        if kind != "n":
            return raw
        number = _number(raw.strip(), self.row_number)
        if number is not None and self.style in self.book.date_styles:
            try:
                return from_excel(number, self.book.epoch, timedelta=self.style in self.book.duration_styles)
            except (OverflowError, ValueError):
                return number
        return number

    def _end_row(self) -> None:
        cells, self.cells = self.cells, None
        if not cells:
            self.empty_rows += 1
            if self.empty_rows > self.limits.empty_rows:
                raise Invalid(gettext("工作表中的空行过多（超过 %(empty_rows)s 行），请删除多余的空行后重试") % {"empty_rows": self.limits.empty_rows}, code="too_many_empty_rows")  # fmt: skip
            return
        self.data_rows += 1
        if self.data_rows > self.limits.rows + 1:  # + the header row
            raise Invalid(
                gettext("行数超过上限 %(rows)s 行，请拆分后分批导入") % {"rows": self.limits.rows},
                code="too_many_rows",
            )
        self.ready.append((self.row_number, cells))


def _number(text: str, row: int) -> int | float | None:
    if not text:
        return None
    try:
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)
    except ValueError:
        raise broken(f"第 {row} 行的数值“{text[:20]}”无效") from None
