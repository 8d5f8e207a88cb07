"""Errors of the composite engine: one code, one Chinese message, and the row/column at fault.

The engine has no Django imports; the evaluation app maps :class:`CompositeError` to its own
``Invalid`` (HTTP 400) by reading :attr:`CompositeError.code`, :attr:`CompositeError.message` and
:attr:`CompositeError.detail`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One problem found in an input table.

    Parameters
    ----------
    message : str
        Chinese message, already naming the row and column.
    row : int or None
        Row number as a spreadsheet shows it (the header is row 1, the first data row is row 2).
    column : str or None
        Column name in the input table.
    code : str
        Machine-readable kind, e.g. ``"cycle"`` or ``"not_numeric"``.

    Examples
    --------
    >>> Issue("第 3 行 Weight 列：权重不能为负数（-1）", row=3, column="Weight", code="negative_weight").row
    3
    """

    message: str
    row: int | None = None
    column: str | None = None
    code: str = "invalid"

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "row": self.row, "column": self.column, "code": self.code}


class CompositeError(ValueError):
    """Base error of :mod:`xietong.composite`; ``str(error)`` is the Chinese message.

    Examples
    --------
    >>> err = CompositeError("权重之和为 0", code="zero_weights")
    >>> err.code, str(err)
    ('zero_weights', '权重之和为 0')
    """

    default_code = "invalid"

    def __init__(
        self, message: str, *, code: str | None = None, issues: tuple[Issue, ...] = (), **detail: Any
    ):
        self.message = message
        self.code = code or self.default_code
        self.issues = tuple(issues)
        self.detail = detail
        super().__init__(message)

    def as_dict(self) -> dict[str, Any]:
        detail = dict(self.detail)
        if self.issues:
            detail["issues"] = [issue.as_dict() for issue in self.issues]
        return {"code": self.code, "message": self.message, "detail": detail}


class FrameworkError(CompositeError):
    """The indicator framework (iMeta) is invalid: cycles, orphans, unknown parents, bad weights."""

    default_code = "invalid_framework"


class DataError(CompositeError):
    """The indicator data (iData) is invalid: non-numeric cells, unknown unit codes, duplicates."""

    default_code = "invalid_data"


class StepError(CompositeError):
    """A step cannot run on the data it was given (e.g. geometric mean of a negative value)."""

    default_code = "step_failed"


def raise_issues(issues: list[Issue], error: type[CompositeError], title: str) -> None:
    """Raise ``error`` listing every issue (first five in the message) if there are any."""
    if not issues:
        return
    shown = "；".join(issue.message for issue in issues[:5])
    more = f"；另有 {len(issues) - 5} 处问题" if len(issues) > 5 else ""
    raise error(f"{title}：{shown}{more}", issues=tuple(issues))
