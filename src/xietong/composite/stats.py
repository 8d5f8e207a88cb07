"""Column statistics that skip missing values, vectorised over every column at once.

The outlier rules of COINr (and Excel) use the bias-adjusted sample skewness and excess kurtosis
(e1071 "type 2"); numpy/scipy default to the biased versions, so they live here.
"""

from __future__ import annotations

import numpy as np

BLOCK = 64  # columns per block: keeps the temporaries of one block in the CPU cache


def _moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(n, Σd², Σd³, Σd⁴) per column with d = (x − mean)/max|x − mean|; missing values contribute nothing.

    The common scale cancels in skew (Σd³/Σd²^1.5) and kurtosis (Σd⁴/Σd²²), the only users.
    """
    k = x.shape[1]
    n, m2, m3, m4 = (np.empty(k) for _ in range(4))
    for start in range(0, k, BLOCK):  # blocks of columns, never single units or cells
        block = x[:, start : start + BLOCK]
        missing = np.isnan(block)
        count = block.shape[0] - missing.sum(axis=0)
        d = np.where(missing, 0.0, block)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = d.sum(axis=0) / count
        d -= mean
        np.copyto(d, 0.0, where=missing)
        # skew and kurtosis do not depend on scale: dividing by the largest deviation keeps d⁴ finite
        # for values near 1e80 (whose fourth powers overflow) and changes nothing else
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.abs(d).max(axis=0)
        d /= np.where(scale > 0, scale, 1.0)
        d2 = d * d
        cols = slice(start, start + block.shape[1])
        n[cols], m2[cols] = count, d2.sum(axis=0)
        m4[cols] = np.einsum("ij,ij->j", d2, d2)
        d2 *= d
        m3[cols] = d2.sum(axis=0)
    return n, m2, m3, m4


def skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skewness and excess kurtosis (both type 2) of each column in one pass over the data."""
    x = np.asarray(x, dtype=float)
    n, m2, m3, m4 = _moments(x.reshape(x.shape[0], -1))
    shape = x.shape[1:]
    n, m2, m3, m4 = (a.reshape(shape) for a in (n, m2, m3, m4))
    with np.errstate(invalid="ignore", divide="ignore"):
        skew = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / (m2 * m2)
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where(n >= 3, skew, np.nan), np.where(n >= 4, kurt, np.nan)


def nan_skew(x: np.ndarray) -> np.ndarray:
    """Sample skewness of each column (type 2), NaN where fewer than 3 values are present.

    Examples
    --------
    >>> round(float(nan_skew(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    1.763633
    """
    return skew_kurt(x)[0]


def nan_kurt(x: np.ndarray) -> np.ndarray:
    """Sample excess kurtosis of each column (type 2), NaN where fewer than 4 values are present.

    Examples
    --------
    >>> round(float(nan_kurt(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    3.228
    """
    return skew_kurt(x)[1]


def rank_min_descending(x: np.ndarray) -> np.ndarray:
    """Rank each column high-to-low with ties sharing the smallest rank; NaN stays NaN.

    Examples
    --------
    >>> rank_min_descending(np.array([3.0, 5.0, 5.0, np.nan, 1.0])).tolist()
    [3.0, 1.0, 1.0, nan, 4.0]
    """
    x = np.asarray(x, dtype=float)
    flat = x.reshape(x.shape[0], -1)
    # rank of v = 1 + number of present values strictly greater than v
    order = np.sort(np.where(np.isnan(flat), -np.inf, flat), axis=0)
    present = np.sum(~np.isnan(flat), axis=0)
    out = np.empty_like(flat)
    for j in range(flat.shape[1]):  # columns only (few); units are vectorised by searchsorted
        col = order[:, j][flat.shape[0] - present[j] :]
        out[:, j] = present[j] - np.searchsorted(col, flat[:, j], side="right") + 1
    out[np.isnan(flat)] = np.nan
    return out.reshape(x.shape)
