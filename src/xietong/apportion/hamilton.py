"""Largest-remainder (Hamilton) splitting of whole 分: the parts always add up to the whole.

Each party gets the floor of its exact share ``amount × w / Σw``; the 分 left over (fewer than the number of
parties) go one at a time to the largest fractional remainders, ties to the party listed first. A negative
amount (a refund, 退税) is split as its absolute value and negated, so a refund mirrors the payment it undoes.
Every part therefore differs from its exact share by less than one 分, and a party with weight 0 never gets a 分.

>>> split(10000, (40, 35, 25))
[4000, 3500, 2500]
>>> split(1, (1, 1, 1))
[1, 0, 0]
>>> split(-5, (1, 1))
[-3, -2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Above this, |amount| × weight may overflow int64, and the split runs on Python integers (exact, slower).
_INT64_SAFE = 2**62


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """One amount split by non-negative integer weights (at least one positive), in the weights' order."""
    return [int(v) for v in split_array(np.array([amount], dtype=np.int64), weights)[0]]


def split_array(amounts: np.ndarray, weights: Sequence[int]) -> np.ndarray:
    """Every amount of `amounts` split by `weights`: an (n, k) int64 array whose rows sum to the amounts.

    Worked through in blocks of `_BLOCK` rows: the (rows × parties) temporaries stay small and are reused
    instead of being faulted in afresh for millions of rows."""
    w = np.asarray(weights, dtype=np.int64)
    k, total = len(w), int(w.sum())
    amounts = np.asarray(amounts, dtype=np.int64)
    n = len(amounts)
    if n <= _BLOCK:
        return _split_block(amounts, w, k, total)
    out = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, _BLOCK):
        out[start : start + _BLOCK] = _split_block(amounts[start : start + _BLOCK], w, k, total)
    return out


_BLOCK = 1 << 16


def _split_block(amounts: np.ndarray, w: np.ndarray, k: int, total: int) -> np.ndarray:
    n = len(amounts)
    if n == 0:
        return np.zeros((0, k), dtype=np.int64)
    magnitude = np.abs(amounts)
    if int(magnitude.max()) * int(w.max()) >= _INT64_SAFE or total * k >= _INT64_SAFE:
        return _split_exact(amounts, [int(x) for x in w])
    product = magnitude[:, None] * w[None, :]
    floors = product // total
    remainders = product - floors * total
    left = magnitude - floors.sum(axis=1)
    # Rank the parties of each row by remainder (largest first), ties to the first-listed party.
    key = remainders * k + (k - 1 - np.arange(k, dtype=np.int64))[None, :]
    # A party's rank is the number of parties ahead of it (keys are distinct); k is small, so k comparisons of
    # whole columns beat sorting every row.
    rank = np.zeros((n, k), dtype=np.int64)
    for j in range(k):
        rank += key[:, j : j + 1] > key
    floors += rank < left[:, None]
    floors *= np.sign(amounts)[:, None]
    return floors


def _split_exact(amounts: np.ndarray, weights: list[int]) -> np.ndarray:
    """The same rule on Python integers, for amounts too large for int64 products."""
    total, k = sum(weights), len(weights)
    out = np.zeros((len(amounts), k), dtype=np.int64)
    for row, amount in enumerate(amounts.tolist()):
        magnitude = abs(amount)
        floors = [magnitude * w // total for w in weights]
        remainders = [magnitude * w % total for w in weights]
        left = magnitude - sum(floors)
        for index in sorted(range(k), key=lambda j: (-remainders[j], j))[:left]:
            floors[index] += 1
        sign = -1 if amount < 0 else 1
        out[row] = [sign * f for f in floors]
    return out


def rounding_moves(amount: int, weights: Sequence[int]) -> list[int]:
    """Per party, the 分 rounding added on top of the floor of its exact share (0 or 1, negated for refunds):
    what a statement shows as "the 分 that rounding moved"."""
    total = sum(weights)
    magnitude = abs(amount)
    floors = [magnitude * w // total for w in weights]
    parts = split(amount, weights)
    sign = -1 if amount < 0 else 1
    return [part - sign * floor for part, floor in zip(parts, floors, strict=True)]
