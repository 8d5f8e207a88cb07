"""The one error of the engine: the input is wrong (not merely impossible), said in Chinese for operators."""

from __future__ import annotations

__all__ = ["InvalidInstance"]


class InvalidInstance(ValueError):
    """An unknown id, a non-positive k or cap, a broken fixed pair: nothing can be solved from this input."""
