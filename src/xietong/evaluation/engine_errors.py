"""The engine's English errors become the user's Chinese `Invalid` here, at the app's boundary.

Its own module so that `compute` and `sensitivity` (which `compute` imports) can both use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xietong import composite as engine
from xietong.core.errors import Invalid
from xietong.evaluation.engine_messages import error_zh, issue_zh, warning_zh


def remap_error(
    error: engine.CompositeError,
    *,
    rows: Sequence[int] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Invalid:
    """The engine's error as Invalid in Chinese, rows and columns renamed to what the user's spreadsheet shows."""
    issues = []
    for issue in error.issues:
        row, column = issue.row, issue.column
        if row is not None and rows is not None and 0 <= row - 2 < len(rows):
            row = int(rows[row - 2])
        if column is not None and headers:
            column = headers.get(column, column)
        message = issue_zh(issue, row=row, column=column)
        issues.append({"row": row, "column": column, "code": issue.code, "message": message})
    if issues:
        return Invalid(error_zh(error, [i["message"] for i in issues]), code=error.code, issues=issues)
    column = error.detail.get("column")
    detail = {k: v for k, v in error.detail.items() if k != "column"}
    if column and headers:
        detail["column"] = headers.get(column, column)
    elif column:
        detail["column"] = column
    return Invalid(error_zh(error), code=error.code, **detail)


def warnings_zh(result: engine.Result) -> list[dict[str, str]]:
    """The run's engine warnings, for the report page and the audit trail (Chinese text + code)."""
    return [{"code": w.code, "message": warning_zh(w)} for w in result.warnings]
