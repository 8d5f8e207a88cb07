"""Row reports name a workbook column so the reader can find it: in English, the column's English label with the
workbook's Chinese header after it; in Chinese, the header alone. Every header an import can name has English."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from xietong.coordination.services import COLUMN_LABELS
from xietong.core.excel import HAN, RowError, column_label
from xietong.evaluation.excel import DATA_ID_HEADERS, FRAMEWORK_HEADERS
from xietong.orgs.validation import FIELD_LABELS
from xietong.resources.validation import RESOURCE_LABELS

SRC = Path(__file__).resolve().parents[2] / "src" / "xietong"


@pytest.mark.parametrize(
    ("language", "header", "shown"),
    [
        ("en", "统一社会信用代码", "Unified social credit code (统一社会信用代码)"),
        ("zh-hans", "统一社会信用代码", "统一社会信用代码"),
        ("en", "GDP_per_capita", "GDP_per_capita"),  # a user's own indicator code: no translation
        ("en", "", ""),  # a report-level error names no column
    ],
)
def test_column_label_follows_the_language(language, header, shown):
    with translation.override(language):
        assert column_label(header) == shown
        assert RowError(3, header, "x").as_dict()["column_label"] == shown


def test_a_row_error_kept_in_the_session_comes_back_unchanged():
    error = RowError(7, "机构名称", "必填")
    with translation.override("en"):
        assert RowError.from_dict(error.as_dict()) == error


def _headers_in_source() -> dict[str, str]:
    """Chinese headers written as `Column(key, header, …)` or `RowError(row, column, …)` anywhere in the apps."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "id", getattr(node.func, "attr", "")) not in {"Column", "RowError"}:
                continue
            values = [*node.args[1:2], *(k.value for k in node.keywords if k.arg in {"header", "column"})]
            for value in values:
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and HAN.search(value.value)
                ):
                    found.setdefault(value.value, str(path.relative_to(SRC)))
    return found


def test_every_header_an_import_can_name_has_english():
    headers = _headers_in_source()
    for table in (FIELD_LABELS, RESOURCE_LABELS, COLUMN_LABELS):
        headers.update({str(v): "label table" for v in table.values() if HAN.search(str(v))})
    headers.update({h: "evaluation/excel.py" for _, h in FRAMEWORK_HEADERS})
    headers.update({h: "evaluation/excel.py" for h in DATA_ID_HEADERS})
    assert len(headers) > 150
    with translation.override("en"):
        missing = sorted(f"{where}: {h}" for h, where in headers.items() if column_label(h) == h)
    assert missing == [], "headers without English (add them to tools/i18n/ui.json):\n" + "\n".join(missing)
