"""The one safe workbook reader: every import reads its upload through `open_workbook`.

An .xlsx file is a zip of XML parts, and both layers can be turned against a server: a 1.8 KB sheet whose
row is numbered 99,999,999,999 makes openpyxl's read-only sheet pad the gap with empty rows forever, a zip
member of 817 KB can inflate to 800 MB of shared strings, an XML part can declare a billion-laughs entity
or an external one, and a bad shared-string index raises while rows are iterated. So nothing here trusts
the file: the upload size, the zip directory (member count, each member's size and compression ratio, the
total) are checked before any XML is read; every part is parsed by expat with DTDs and entities refused
(defusedxml's errors), a depth and an element budget; rows are streamed without padding, with the row
numbers, a row budget, a cell budget and an empty-row budget checked as they arrive. Any failure, whenever
it happens (opening or iterating), is an `Invalid` (400) with a Chinese message, so an import never
writes anything from a file it could not read to the end.
"""

from __future__ import annotations

import io
import logging
import os
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

from defusedxml.common import DefusedXmlException
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

from xietong.core.errors import DomainError, Invalid
from xietong.core.workbook_parts import (
    NOT_A_WORKBOOK,
    Budget,
    Cells,
    Limits,
    MiB,
    Part,
    Relationships,
    Row,
    SharedStrings,
    SheetReader,
    Styles,
    WorkbookPart,
    broken,
    parse,
    parse_all,
)

__all__ = ["Cells", "Limits", "Row", "SafeWorkbook", "broken", "open_workbook"]
log = logging.getLogger(__name__)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


# ---------------------------------------------------------------------- the workbook
class SafeWorkbook:
    """An opened, checked workbook; read sheets with `rows`. Use as a context manager (or call `close`)."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.budget = Budget(limits)
        self.shared_strings: list[str] = []
        self.date_styles: set[int] = set()
        self.duration_styles: set[int] = set()
        self.epoch = WINDOWS_EPOCH
        self.sheet_paths: dict[str, str] = {}

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheet_paths)

    def _load(self) -> None:
        has_package_rels = "_rels/.rels" in self.archive.NameToInfo  # some writers leave it out
        package = self._part("_rels/.rels", Relationships()) if has_package_rels else Relationships()
        workbook_path = _resolve("", package.of_type("/officeDocument") or "xl/workbook.xml")
        workbook = self._part(workbook_path, WorkbookPart())
        rels_path = posixpath.join(posixpath.dirname(workbook_path), "_rels", posixpath.basename(workbook_path) + ".rels")  # fmt: skip
        rels = self._part(rels_path, Relationships())
        base = posixpath.dirname(workbook_path)
        if workbook.date1904:
            self.epoch = CALENDAR_MAC_1904
        if styles := rels.of_type("/styles"):
            self.date_styles, self.duration_styles = self._part(_resolve(base, styles), Styles()).kinds()
        if strings := rels.of_type("/sharedStrings"):
            self.shared_strings = self._part(_resolve(base, strings), SharedStrings(self.limits)).strings
        for name, rel in workbook.sheets:
            kind, target = rels.targets.get(rel, ("", ""))
            if kind.endswith("/worksheet"):
                self.sheet_paths[name] = _resolve(base, target)
        if not self.sheet_paths:
            raise broken("没有工作表")

    def _part(self, path: str, part: Part):
        try:
            stream = self.archive.open(path)
        except KeyError:
            raise broken(f"缺少部件 {path[:60]}") from None
        with stream:
            parse_all(stream, part, self.budget)
        return part

    def rows(self, sheet: str | int = 0) -> Iterator[Row]:
        """Non-blank rows of a sheet (by name or position) as (row number, {column: value}), in order."""
        names = self.sheet_names
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise Invalid(
                    gettext("工作簿中没有第 %(sheet)s 个工作表") % {"sheet": sheet + 1}, code="bad_file"
                )
            sheet = names[sheet]
        if sheet not in self.sheet_paths:
            raise Invalid(gettext("工作簿中没有名为“%(sheet)s”的工作表") % {"sheet": sheet}, code="bad_file")
        return _guarded(self._rows(self.sheet_paths[sheet]))

    def _rows(self, path: str) -> Iterator[Row]:
        reader = SheetReader(self)
        try:
            stream = self.archive.open(path)
        except KeyError:
            raise broken(f"缺少工作表 {path[:60]}") from None
        with stream:
            for _ in parse(stream, reader, self.budget):
                ready, reader.ready = reader.ready, []
                yield from ready

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> SafeWorkbook:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _resolve(base: str, target: str) -> str:
    path = target[1:] if target.startswith("/") else posixpath.join(base, target)
    return posixpath.normpath(path)


def _guarded(rows: Iterator[Row]) -> Iterator[Row]:
    """Errors raised while rows are read are the file's fault: each one is an Invalid, never a 500."""
    try:
        yield from rows
    except DomainError:
        raise
    except Exception as exc:  # an untrusted file may break the parser in any way
        raise _as_invalid(exc) from exc


def _as_invalid(exc: Exception) -> Invalid:
    log.info("unreadable workbook: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, DefusedXmlException):
        return broken("包含 DTD 或实体声明，出于安全原因不予读取")
    if isinstance(exc, expat.ExpatError):
        return broken(f"XML 格式错误：{expat.ErrorString(exc.code)}")
    if isinstance(exc, zipfile.BadZipFile | EOFError | zipfile.LargeZipFile):
        return broken("压缩包已损坏")
    return broken("无法解析")


# ---------------------------------------------------------------------- opening
def open_workbook(source: Any, *, limits: Limits | None = None) -> SafeWorkbook:
    """Check and open an upload (bytes, a path, a file object or a Django UploadedFile); Invalid if unsafe."""
    limits = limits or Limits.from_settings()
    stream = _stream(source, limits)
    try:
        archive = _checked_archive(stream, limits)
        book = SafeWorkbook(archive, limits)
        try:
            book._load()
        except BaseException:
            archive.close()
            raise
        return book
    except DomainError:
        raise
    except Exception as exc:  # see _guarded
        raise _as_invalid(exc) from exc


def _stream(source: Any, limits: Limits) -> IO[bytes]:
    if isinstance(source, UploadedFile) and not (source.name or "").lower().endswith((".xlsx", ".xlsm")):
        raise Invalid(gettext("请上传 .xlsx 格式的 Excel 工作簿"), code="bad_file")
    if isinstance(source, bytes | bytearray):
        stream: IO[bytes] = io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        if os.path.getsize(source) > limits.upload_bytes:
            raise Invalid(
                gettext("文件过大（上限 %(upload_bytes)s MB）")
                % {"upload_bytes": limits.upload_bytes // MiB},
                code="too_large",
            )
        with open(source, "rb") as handle:
            stream = io.BytesIO(handle.read())
    elif hasattr(source, "read") and hasattr(source, "seek"):
        stream = source
    else:
        raise Invalid(NOT_A_WORKBOOK, code="bad_file")
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > limits.upload_bytes:
        raise Invalid(
            gettext("文件过大（上限 %(upload_bytes)s MB）") % {"upload_bytes": limits.upload_bytes // MiB},
            code="too_large",
        )
    head = stream.read(4)
    stream.seek(0)
    if head == OLE_MAGIC:
        raise Invalid(
            gettext("这是旧版 .xls 或设置了密码的工作簿：请在 Excel 中另存为不加密的 .xlsx 后重试"),
            code="bad_file",
        )
    if head != b"PK\x03\x04":
        raise Invalid(NOT_A_WORKBOOK, code="bad_file")
    return stream


def _checked_archive(stream: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Invalid(NOT_A_WORKBOOK, code="bad_file") from None
    try:
        _check_members(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.members:
        raise broken(f"压缩包内有 {len(members)} 个文件，上限 {limits.members} 个")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise Invalid(gettext("工作簿设置了密码：请取消加密后重试"), code="bad_file")
        if info.file_size > limits.member_bytes:
            raise Invalid(gettext("工作簿解压后过大（%(filename)s 超过 %(member_bytes)s MB），请拆分后分批导入") % {"filename": info.filename[:60], "member_bytes": limits.member_bytes // MiB}, code="too_large")  # fmt: skip
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise Invalid(gettext("工作簿的压缩比异常（疑似“压缩炸弹”），已拒绝读取"), code="too_large")
        total += info.file_size
    if total > limits.total_bytes:
        raise Invalid(
            gettext("工作簿解压后过大（超过 %(total_bytes)s MB），请拆分后分批导入")
            % {"total_bytes": limits.total_bytes // MiB},
            code="too_large",
        )
