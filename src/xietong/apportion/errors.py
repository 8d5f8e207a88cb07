"""The engine's own error: an English message plus a code and parameters the apps translate into 中文."""

from __future__ import annotations

from typing import Any


class ApportionError(ValueError):
    """Raised for rules or records the engine refuses; `code` names the problem, `params` its particulars.

    Codes: ``unknown_method``, ``no_positive_weight``, ``negative_weight``, ``bad_weight``, ``unknown_party``,
    ``no_parties``, ``duplicate_party``, ``duplicate_rule``, ``no_rule``, ``missing_base_period``,
    ``bad_period``, ``bad_rules``, ``origin_conflict``, ``missing_relocation``, ``bad_amount``.
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
