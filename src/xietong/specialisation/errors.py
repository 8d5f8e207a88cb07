"""The one error of the specialisation engine, in Chinese, with the place at fault.

Unlike the composite engine (English templates translated by the evaluation app), this engine's users are
operators running `xietong chains specialise` and the chains app showing a region's map: both speak
Chinese, and the messages name regions and segments the user typed, so the engine writes them directly.
It subclasses ``ValueError`` so that callers that only know "bad input" still catch it.
"""

from __future__ import annotations


class SpecialisationError(ValueError):
    """Bad input to the engine: a clear Chinese ``message``; ``line`` and ``column`` when a file row is at fault.

    Examples
    --------
    >>> error = SpecialisationError("数值不是数字", line=5, column="value")
    >>> str(error), error.line, error.column
    ('第 5 行“value”列：数值不是数字', 5, 'value')
    """

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        if self.line is not None and self.column is not None:
            return f"第 {self.line} 行“{self.column}”列：{self.message}"
        if self.line is not None:
            return f"第 {self.line} 行：{self.message}"
        return self.message
