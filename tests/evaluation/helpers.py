"""Workbooks for upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("upload.xlsx", buffer.getvalue())


FRAMEWORK_HEADER = ["层级", "指标代码", "指标名称", "方向", "权重", "单位", "上级", "类型", "来源"]
GOOD_FRAMEWORK = [
    FRAMEWORK_HEADER,
    [1, "a", "指标甲", 1, 1, "个", "P", "Indicator", ""],
    [1, "b", "指标乙", -1, 2, "%", "P", "Indicator", ""],
    [1, "c", "平台高企数", 1, 1, "家", "Q", "Indicator", "platform:orgs.high_tech"],
    [1, "d", "指标丁", 1, 1, "个", "Q", "Indicator", ""],
    [2, "P", "维度一", 1, 1, "", "I", "Aggregate", ""],
    [2, "Q", "维度二", 1, 1, "", "I", "Aggregate", ""],
    [3, "I", "测试指数", 1, 1, "", None, "Aggregate", ""],
]


def data_rows(
    units=("310000", "320100", "320500", "330100", "340100"), years=(2021, 2022, 2023)
) -> list[list]:
    rows = [["地区代码", "地区名称", "年份", "a", "b", "c", "d"]]
    for y, year in enumerate(years):
        for u, unit in enumerate(units):
            rows.append(
                [unit, "", year, 10 + u * 3 + y, 5 + (u * 7) % 5, 100 + u * 20 + y * 5, 2 + u + y * 0.5]
            )
    return rows
