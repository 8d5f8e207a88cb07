"""Hostile workbooks, made by hand from a real one: each is one of the attacks the safe reader must refuse.

A workbook is a zip of XML parts; each attack rewrites one part of a small, valid workbook (or adds one),
so that everything else about the file stays realistic.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def plain_workbook(rows: list[list] | None = None) -> bytes:
    """A small workbook written by openpyxl (shared strings, one sheet) — the base of the attacks."""
    book = Workbook()
    sheet = book.active
    for row in rows or [["名称", "数量"], ["甲", 1], ["乙", 2]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(members: dict[str, bytes], *, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(base: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    members = parts(base)
    members[name] = change(members[name])
    return rezip(members)


def _before_sheet_data_end(fragment: str) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", fragment.encode() + b"</sheetData>")


def huge_row_number(base: bytes | None = None) -> bytes:
    """A row numbered 99,999,999,999: openpyxl's read-only sheet pads the gap with empty rows, forever."""
    row = '<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>'
    add_row = _before_sheet_data_end(row)
    # without a <dimension> (many writers leave it out) openpyxl has no max_row to stop at
    return with_part(
        base or plain_workbook(), SHEET, lambda xml: re.sub(rb"<dimension [^>]*/>", b"", add_row(xml))
    )


def _register_shared_strings(members: dict[str, bytes]) -> None:
    rel = (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
        b' Target="sharedStrings.xml" Id="rIdStrings" />'
    )
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", rel + b"</Relationships>")
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", override + b"</Types>"
    )


def with_shared_strings(base: bytes, strings_xml: bytes) -> bytes:
    """`base` with a shared-strings part; the sheet's cell A2 (甲) becomes a reference to string 0."""
    members = parts(base)
    _register_shared_strings(members)
    members[STRINGS] = strings_xml
    members[SHEET] = members[SHEET].replace(
        b'<c r="A2" t="inlineStr"><is><t>\xe7\x94\xb2</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>'
    )
    return rezip(members)


def zip_bomb(base: bytes | None = None, *, megabytes: int = 20) -> bytes:
    """Shared strings that inflate ~1,000-fold (the issue's one: 800 MB from 817 KB)."""
    members = parts(with_shared_strings(base or plain_workbook(), b""))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            if name != STRINGS:
                archive.writestr(name, content)
        info = zipfile.ZipInfo(STRINGS)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as target:
            target.write(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                target.write(chunk)
            target.write(b"</t></si></sst>")
    return buffer.getvalue()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs(base: bytes | None = None) -> bytes:
    """The classic entity expansion, declared in a shared-strings part and used by a string a cell shows."""
    strings = f'{LAUGHS}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    return with_shared_strings(base or plain_workbook(), strings.encode())


def billion_laughs_in_sheet(base: bytes | None = None) -> bytes:
    """The same expansion declared in the sheet itself."""

    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        return LAUGHS.encode() + body.replace(b"</sheetData>", row + b"</sheetData>")

    return with_part(base or plain_workbook(), SHEET, change)


def external_entity(base: bytes | None = None) -> bytes:
    """An external entity (XXE) that would read /etc/passwd into a cell."""

    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        head = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        return head + body.replace(b"</sheetData>", row + b"</sheetData>")

    return with_part(base or plain_workbook(), SHEET, change)


def bad_shared_string_index(base: bytes | None = None) -> bytes:
    """A cell pointing at shared string 99,999 of 4: openpyxl raises IndexError while rows are read."""
    row = '<row r="9"><c r="A9" t="s"><v>99999</v></c></row>'
    return with_part(base or plain_workbook(), SHEET, _before_sheet_data_end(row))


def truncated_part(base: bytes | None = None) -> bytes:
    """The sheet cut in the middle of its XML."""
    return with_part(base or plain_workbook(), SHEET, lambda xml: xml[: len(xml) * 2 // 3])


def empty_rows(base: bytes | None = None, *, count: int = 3_000_000) -> bytes:
    """Three million empty rows after the data (18 MB of XML in a few KB): the old reader spent 20 s on them."""
    return _with_rows(base, (b"<row/>" * 10_000 for _ in range(count // 10_000)))


def numbered_empty_rows(base: bytes | None = None, *, count: int = 300_000) -> bytes:
    """Empty rows that each carry their number, so the part compresses only ~7-fold (~700 KB zipped)."""
    chunks = range(10, 10 + count, 10_000)
    return _with_rows(
        base, ("".join(f'<row r="{n}"/>' for n in range(start, min(start + 10_000, 10 + count))).encode() for start in chunks)
    )  # fmt: skip


def _with_rows(base: bytes | None, rows: Iterable[bytes]) -> bytes:
    """`base` with `rows` appended to its sheet data, streamed into the zip (a big attack never sits in memory)."""
    members = parts(base or plain_workbook())
    head, tail = members.pop(SHEET).split(b"</sheetData>", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as target:
            target.write(head)
            for chunk in rows:
                target.write(chunk)
            target.write(b"</sheetData>" + tail)
    return buffer.getvalue()


ATTACKS: dict[str, Callable[[bytes], bytes]] = {
    "huge_row_number": huge_row_number,
    "zip_bomb": zip_bomb,
    "billion_laughs": billion_laughs,
    "billion_laughs_in_sheet": billion_laughs_in_sheet,
    "external_entity": external_entity,
    "bad_shared_string_index": bad_shared_string_index,
    "truncated_part": truncated_part,
    "empty_rows": empty_rows,
    "numbered_empty_rows": numbered_empty_rows,
}
