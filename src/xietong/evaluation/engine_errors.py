"""The engine's English errors become the user's `Invalid` here, at the app's boundary, in the reader's language.

Its own module so that `compute` and `sensitivity` (which `compute` imports) can both use it. The engine's
templates are looked up in `engine_messages` (Chinese, the msgids) and then through gettext (English).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext

from xietong import composite as engine
from xietong.core.errors import Invalid
from xietong.core.excel import column_label
from xietong.evaluation.engine_messages import ZH, error_zh, issue_zh, warning_zh, zh


def remap_error(
    error: engine.CompositeError,
    *,
    rows: Sequence[int] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Invalid:
    """The engine's error as Invalid in the reader's language, rows and columns renamed to what the user's
    spreadsheet shows (a column as `core.excel.column_label` names it)."""
    issues = []
    for issue in error.issues:
        row, column = issue.row, issue.column
        if row is not None and rows is not None and 0 <= row - 2 < len(rows):
            row = int(rows[row - 2])
        if column is not None and headers:
            column = headers.get(column, column)
        shown = column_label(column) if column is not None else None
        message = issue_zh(issue, row=row, column=shown, translate=gettext)
        issues.append(
            {"row": row, "column": column, "column_label": shown, "code": issue.code, "message": message}
        )
    if issues:
        return Invalid(
            error_zh(error, [i["message"] for i in issues], translate=gettext), code=error.code, issues=issues
        )
    column = error.detail.get("column")
    detail = {k: v for k, v in error.detail.items() if k != "column"}
    if column and headers:
        detail["column"] = headers.get(column, column)
    elif column:
        detail["column"] = column
    return Invalid(error_zh(error, translate=gettext), code=error.code, **detail)


def warnings_zh(result: engine.Result) -> list[dict[str, Any]]:
    """The run's engine warnings as stored with its results: the Chinese text (for the audit trail and the
    report workbook) and the engine's template and parameters, so a page can show them in its reader's
    language later (`warnings_shown`)."""
    return [
        {
            "code": w.code,
            "message": warning_zh(w),
            "template": w.template,
            "params": json.loads(json.dumps(dict(w.params), default=str)),
        }
        for w in result.warnings
    ]


def warnings_shown(stored: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored warnings in the language of the request (a run stored before templates were kept: as stored)."""
    return [
        {**w, "message": zh(w["template"], w.get("params") or {}, translate=gettext)}
        if w.get("template") in ZH
        else dict(w)
        for w in stored
    ]
