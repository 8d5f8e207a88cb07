"""The safe workbook reader (core.workbooks): real workbooks read as openpyxl reads them, hostile ones refused."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.core import workbook_attacks as attacks
from xietong.core.errors import Invalid
from xietong.core.excel import Column, read_rows
from xietong.core.workbooks import Limits, open_workbook
from xietong.orgs import excel as orgs_excel


def _rows(data, limits: Limits | None = None, sheet=0) -> list:
    with open_workbook(data, limits=limits) as book:
        return list(book.rows(sheet))


def _refused(data, limits: Limits | None = None) -> Invalid:
    with pytest.raises(Invalid) as caught:
        _rows(data, limits)
    return caught.value


# ---------------------------------------------------------------------- real workbooks
def test_reads_values_as_openpyxl_does_without_padding_gaps():
    # given a workbook with numbers, a date, a boolean, blank rows and a far row
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "数量", "日期", "是否"])
    sheet.append(["甲", 2.5, dt.date(2024, 5, 20), True])
    sheet.append([None, None, None, None])
    sheet.append(["  ", 7, None, False])
    sheet["B900000"] = "远处"
    buffer = io.BytesIO()
    book.save(buffer)
    # when / then: blank rows are not yielded, row numbers are Excel's, cells are sparse
    assert _rows(buffer.getvalue()) == [
        (1, {1: "名称", 2: "数量", 3: "日期", 4: "是否"}),
        (2, {1: "甲", 2: 2.5, 3: dt.datetime(2024, 5, 20), 4: True}),
        (4, {2: 7, 4: False}),
        (900000, {2: "远处"}),
    ]


def test_reads_shared_strings_rich_text_runs_without_phonetic_guides():
    # given a shared-strings part with a plain string, a two-run rich string and a phonetic guide
    strings = (
        f'<sst xmlns="{attacks.MAIN}"><si><t>嘉兴</t></si>'
        "<si><r><t>南湖</t></r><r><t>区</t></r><rPh><t>なんこ</t></rPh></si></sst>"
    ).encode()
    data = attacks.with_shared_strings(attacks.plain_workbook(), strings)
    data = attacks.with_part(data, attacks.SHEET, lambda x: x.replace(b'<c r="B2" t="n"><v>1</v>', b'<c r="B2" t="s"><v>1</v>'))  # fmt: skip
    # then
    assert _rows(data)[1] == (2, {1: "嘉兴", 2: "南湖区"})


def test_every_sheet_by_name_and_the_first_by_default():
    data = orgs_excel.import_template()
    with open_workbook(data) as book:
        assert book.sheet_names == ["机构导入", "说明"]
        notes = list(book.rows("说明"))
    assert notes[0] == (1, {1: "列名", 2: "是否必填", 3: "填写说明"})
    assert _rows(data)[0][1][1] == "机构名称*"
    with pytest.raises(Invalid, match="没有名为“数据”的工作表"), open_workbook(data) as book:
        book.rows("数据")


def test_read_rows_keeps_row_numbers_and_matches_headers():
    book = Workbook()
    book.active.append(["数量", "名称*"])
    book.active.append([3, "甲"])
    book.active["B5"] = "乙"
    buffer = io.BytesIO()
    book.save(buffer)
    columns = [Column("name", "名称", required=True), Column("count", "数量")]
    assert read_rows(buffer.getvalue(), columns=columns) == [
        (2, {"name": "甲", "count": "3"}),
        (5, {"name": "乙", "count": ""}),
    ]


def test_openpyxl_reads_xml_through_defusedxml():
    # openpyxl parses the parts we do not (when other code uses it) with defusedxml once it is installed
    assert openpyxl.DEFUSEDXML is True


# ---------------------------------------------------------------------- hostile workbooks
@pytest.mark.parametrize(
    "attack, code, words",
    [
        ("huge_row_number", "bad_file", "行号“99999999999”无效"),
        ("zip_bomb", "too_large", "压缩比异常"),
        ("billion_laughs", "bad_file", "DTD 或实体声明"),
        ("billion_laughs_in_sheet", "bad_file", "DTD 或实体声明"),
        ("external_entity", "bad_file", "DTD 或实体声明"),
        ("bad_shared_string_index", "bad_file", "共享字符串编号 99999 超出范围"),
        ("truncated_part", "bad_file", "XML 格式错误"),
        ("empty_rows", "too_large", "压缩比异常"),
        ("numbered_empty_rows", "too_many_empty_rows", "空行过多"),
    ],
)
def test_each_attack_is_a_chinese_invalid(attack, code, words):
    error = _refused(attacks.ATTACKS[attack](attacks.plain_workbook()))
    assert (error.status, error.code) == (400, code)
    assert words in error.message


def test_a_workbook_without_shared_strings_cannot_point_at_one():
    strings = f'<sst xmlns="{attacks.MAIN}"><si><t>甲</t></si></sst>'.encode()
    data = attacks.with_shared_strings(attacks.plain_workbook(), strings)
    negative = attacks.with_part(data, attacks.SHEET, lambda x: x.replace(b'<c r="A2" t="s"><v>0</v>', b'<c r="A2" t="s"><v>-1</v>'))  # fmt: skip
    assert "共享字符串编号“-1”无效" in _refused(negative).message


@pytest.mark.parametrize(
    "fragment, words",
    [
        ('<row r="3"><c r="A3"><v>1</v></c></row>', "行号“3”无效"),  # not increasing (row 3 exists)
        ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "行号“1048577”无效"),
        ('<row r="x"/>', "行号“x”无效"),
        ('<row r="9"><c r="A-9"><v>1</v></c></row>', "单元格引用“A-9”无效"),
        ('<row r="9"><c r="ZZZ9"><v>1</v></c></row>', "超出 Excel 的列数"),
        ('<row r="9"><c r="A9"><v>12abc</v></c></row>', "数值“12abc”无效"),
        ('<row r="9"><row r="10"/></row>', "行中嵌套了行"),
    ],
)
def test_row_and_cell_references_are_checked(fragment, words):
    data = attacks.with_part(
        attacks.plain_workbook(), attacks.SHEET, lambda x: x.replace(b"</sheetData>", fragment.encode() + b"</sheetData>")
    )  # fmt: skip
    assert words in _refused(data).message


def test_budgets_on_rows_cells_columns_and_text():
    book = Workbook()
    for n in range(6):
        book.active.append([f"行{n}", n])
    book.active["AB2"] = "远列"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert _refused(data, Limits(rows=4)).code == "too_many_rows"
    assert _refused(data, Limits(cells=5)).code == "too_many_cells"
    assert _refused(data, Limits(columns=20)).code == "too_many_columns"
    assert _refused(data, Limits(elements=20)).code == "too_large"
    assert len(_rows(data)) == 6
    long_text = attacks.with_part(data, attacks.SHEET, lambda x: x.replace("行1".encode(), b"x" * 40_000))
    assert "超过 32767 个字符" in _refused(long_text).message


def test_deep_nesting_is_refused():
    deep = "<a>" * 100 + "</a>" * 100
    data = attacks.with_part(attacks.plain_workbook(), attacks.SHEET, lambda x: x.replace(b"<sheetData>", deep.encode() + b"<sheetData>"))  # fmt: skip
    assert "XML 嵌套过深" in _refused(data).message


def test_zip_directory_limits_come_before_any_xml():
    base = attacks.plain_workbook()
    members = attacks.parts(base)
    many = attacks.rezip({**members, **{f"extra/{n}.bin": b"" for n in range(300)}})
    assert "上限 256 个" in _refused(many).message
    big = attacks.rezip(
        {**members, "extra/big.bin": bytes(range(256)) * 40_000}
    )  # ~10 MB, incompressible-ish
    assert _refused(big, Limits(member_bytes=5 * 1024 * 1024)).code == "too_large"
    assert _refused(base, Limits(total_bytes=1_000)).code == "too_large"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"not excel", "请上传 .xlsx 格式的 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "旧版 .xls 或设置了密码"),
        (b"PK\x03\x04 broken", "请上传 .xlsx 格式的 Excel 工作簿"),
        (b"", "请上传 .xlsx 格式的 Excel 工作簿"),
    ],
)
def test_not_a_workbook(data, words):
    assert words in _refused(data).message


def test_package_relationships_may_be_left_out():
    members = attacks.parts(attacks.plain_workbook())
    assert len(_rows(attacks.rezip({k: v for k, v in members.items() if k != "_rels/.rels"}))) == 3


def test_missing_parts_and_sheets():
    members = attacks.parts(attacks.plain_workbook())
    no_sheet = attacks.rezip({k: v for k, v in members.items() if k != attacks.SHEET})
    assert "缺少工作表" in _refused(no_sheet).message
    no_book = attacks.rezip({k: v for k, v in members.items() if k != "xl/workbook.xml"})
    assert "缺少部件 xl/workbook.xml" in _refused(no_book).message


def test_upload_size_and_name_are_checked_before_reading(settings):
    settings.XIETONG_MAX_IMPORT_BYTES = 1_000
    error = _refused(attacks.plain_workbook())
    assert (error.code, error.message) == ("too_large", "文件过大（上限 0 MB）")
    settings.XIETONG_MAX_IMPORT_BYTES = 10 * 1024 * 1024
    upload = SimpleUploadedFile("data.csv", attacks.plain_workbook())
    assert _refused(upload).message == "请上传 .xlsx 格式的 Excel 工作簿"
    assert len(_rows(SimpleUploadedFile("数据.XLSX", attacks.plain_workbook()))) == 3


def test_an_encrypted_zip_member_is_refused():
    data = bytearray(attacks.plain_workbook())
    start = data.find(b"PK\x01\x02")  # the first central directory entry
    data[start + 8] |= 0x1  # its general-purpose flags: "encrypted"
    assert "设置了密码" in _refused(bytes(data)).message
