"""Errors and warnings of the composite engine: English text from a template, a code, the row/column at fault.

The engine speaks English only. Each message is a ``str.format`` template plus its parameters, kept
apart, so that an app can show the same message in its users' language by looking the template up in
its own catalogue (the evaluation app does, in Chinese) without parsing English text. Lists among the
parameters are joined by the renderer (", " here; an app joins them its own way).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

MAX_SHOWN = 5  # issues quoted in an error's message; all of them are in ``issues``


def render(template: str, params: Mapping[str, Any], *, joiner: str = ", ") -> str:
    """Fill ``template`` with ``params``; sequences become one joined string.

    Examples
    --------
    >>> render("missing columns: {codes}", {"codes": ["a", "b"]})
    'missing columns: a, b'
    """
    values = {k: joiner.join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in params.items()}
    return template.format(**values)


@dataclass(frozen=True)
class Issue:
    """One problem found in an input table.

    Parameters
    ----------
    template : str
        English message template, filled with ``params``.
    row : int or None
        Row number as a spreadsheet shows it (the header is row 1, the first data row is row 2).
    column : str or None
        Column name in the input table.
    code : str
        Machine-readable kind, e.g. ``"cycle"`` or ``"not_numeric"``.
    params : mapping
        Values named in ``template``.

    Examples
    --------
    >>> issue = Issue("weight must not be negative ({value})", row=3, column="Weight", code="negative_weight",
    ...               params={"value": "-1"})
    >>> issue.message
    "row 3, column 'Weight': weight must not be negative (-1)"
    """

    template: str
    row: int | None = None
    column: str | None = None
    code: str = "invalid"
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message without the row/column prefix."""
        return render(self.template, self.params)

    @property
    def message(self) -> str:
        if self.row is None:
            return self.text
        return f"row {self.row}, column '{self.column}': {self.text}"

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "row": self.row, "column": self.column, "code": self.code}


class CompositeError(ValueError):
    """Base error of :mod:`xietong.composite`; ``str(error)`` is the English message.

    ``template`` and ``detail`` (its parameters) let an app translate the message; ``issues`` lists
    every bad cell when the error is about an input table.

    Examples
    --------
    >>> err = CompositeError("the weights of {parent} sum to 0", code="zero_weights", parent="P")
    >>> err.code, str(err)
    ('zero_weights', 'the weights of P sum to 0')
    """

    default_code = "invalid"

    def __init__(
        self, template: str, *, code: str | None = None, issues: tuple[Issue, ...] = (), **detail: Any
    ):
        self.template = template
        self.code = code or self.default_code
        self.issues = tuple(issues)
        self.detail = detail
        self.message = render(template, detail)
        if self.issues:
            shown = "; ".join(issue.message for issue in self.issues[:MAX_SHOWN])
            more = f"; and {len(self.issues) - MAX_SHOWN} more" if len(self.issues) > MAX_SHOWN else ""
            self.message = f"{self.message}: {shown}{more}"
        super().__init__(self.message)

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
    """A step cannot run on the data or options it was given (e.g. geometric mean of a negative value)."""

    default_code = "step_failed"


class CompositeWarning(UserWarning):
    """Something the engine handled but the user should know (COINr warns in the same places).

    Raised through :func:`warnings.warn`; :meth:`xietong.composite.Pipeline.run` collects them into
    :attr:`Result.warnings`. Like errors, a template plus parameters, so an app can translate it.

    Examples
    --------
    >>> w = CompositeWarning("indicator {code} is constant: weight 0", code="constant_indicator", params={"code": "x"})
    >>> str(w), w.code
    ('indicator x is constant: weight 0', 'constant_indicator')
    """

    def __init__(self, template: str, *, code: str, params: Mapping[str, Any] | None = None):
        self.template = template
        self.code = code
        self.params = dict(params or {})
        super().__init__(render(template, self.params))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "template": self.template, "params": self.params}


_SINK: ContextVar[list[CompositeWarning] | None] = ContextVar("composite_warnings", default=None)


def warn(warning: CompositeWarning) -> None:
    """Hand a warning to the pipeline run collecting them, or to :mod:`warnings` outside a run.

    A context variable, not :func:`warnings.catch_warnings` (process-global state), so that runs in
    parallel threads (a task queue's workers) each keep their own warnings.
    """
    sink = _SINK.get()
    if sink is None:
        warnings.warn(warning, stacklevel=3)
    else:
        sink.append(warning)


@contextmanager
def collecting_warnings() -> Iterator[list[CompositeWarning]]:
    """Collect the warnings raised by engine code run inside the block (this thread/context only)."""
    sink: list[CompositeWarning] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def raise_issues(issues: list[Issue], error: type[CompositeError], title: str) -> None:
    """Raise ``error`` listing every issue (first five in the message) if there are any."""
    if issues:
        raise error(title, issues=tuple(issues))


UNKNOWN_OPTION = "unknown value '{value}' of {option}; choose one of {choices}"
BAD_NUMBER_OPTION = "{option} must be a finite number (got '{value}')"


def unknown_option(option: str, value: Any, choices) -> StepError:
    """The error for a parameter outside its choices (one template for every step)."""
    return StepError(
        UNKNOWN_OPTION, code="bad_option", option=option, value=str(value), choices=list(choices)
    )


def require_number(option: str, value: Any, *, optional: bool = False) -> None:
    """Refuse a parameter that is not a finite real number (``"abc"``, ``inf``, ``True``)."""
    if optional and value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != value
        or abs(value) == float("inf")
    ):
        raise StepError(BAD_NUMBER_OPTION, code="bad_option", option=option, value=str(value))
