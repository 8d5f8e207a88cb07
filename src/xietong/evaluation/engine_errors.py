"""The engine's English errors become the user's Chinese `Invalid` here, at the app's boundary.

Its own module so that `compute` and `sensitivity` (which `compute` imports) can both use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xietong import composite as engine
from xietong.core.errors import Invalid


def remap_error(
    error: engine.CompositeError,
    *,
    rows: Sequence[int] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Invalid:
    """The engine's error as Invalid, rows and columns renamed to what the user's spreadsheet shows."""
    issues = []
    for issue in error.issues:
        row, column, message = issue.row, issue.column, issue.message
        if row is not None and rows is not None and 0 <= row - 2 < len(rows):
            row = int(rows[row - 2])
        if column is not None and headers:
            column = headers.get(column, column)
        if issue.row is not None and "列：" in message:
            message = f"第 {row} 行「{column}」列：{message.split('列：', 1)[1]}"
        issues.append({"row": row, "column": column, "code": issue.code, "message": message})
    if issues:
        shown = "；".join(i["message"] for i in issues[:5])
        more = f"；另有 {len(issues) - 5} 处问题" if len(issues) > 5 else ""
        title = error.message.split("：", 1)[0]
        return Invalid(f"{title}：{shown}{more}", code=error.code, issues=issues)
    column = error.detail.get("column")
    detail = {k: v for k, v in error.detail.items() if k != "column"}
    if column and headers:
        detail["column"] = headers.get(column, column)
    return Invalid(error.message, code=error.code, **detail)
