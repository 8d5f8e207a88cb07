"""Panel measures: fixed-base index (定基), year-on-year change, CAGR and COINr's ``prc_change``.

All functions take a (years × units) array (or a DataFrame with years as rows) and work on every
unit at once; a unit's missing years are skipped the way COINr skips them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import StepError


def _as_array(values) -> tuple[np.ndarray, pd.Index | None, pd.Index | None]:
    if isinstance(values, pd.DataFrame):
        return values.to_numpy(dtype=float), values.index, values.columns
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=float)[:, None], values.index, pd.Index([values.name])
    array = np.asarray(values, dtype=float)
    return (array[:, None] if array.ndim == 1 else array), None, None


def fixed_base_index(values, times, *, base) -> np.ndarray | pd.DataFrame:
    """定基指数: each year's value over the base year's value × 100 (base year = 100).

    Examples
    --------
    >>> fixed_base_index(np.array([[2.0], [3.0], [5.0]]), [2011, 2012, 2013], base=2011).ravel().tolist()
    [100.0, 150.0, 250.0]
    """
    array, index, columns = _as_array(values)
    times = list(times)
    if base not in times:
        raise StepError(
            "base year {base} is not among the years of the data", code="bad_base_year", base=base
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        out = array / array[times.index(base)] * 100.0
    out[~np.isfinite(out)] = np.nan
    return pd.DataFrame(out, index=index, columns=columns) if index is not None else out


def year_on_year(values) -> np.ndarray | pd.DataFrame:
    """同比: ``(x_t / x_{t−1} − 1) × 100``; the first year is NaN.

    Examples
    --------
    >>> year_on_year(np.array([[2.0], [3.0]])).ravel().tolist()
    [nan, 50.0]
    """
    array, index, columns = _as_array(values)
    out = np.full(array.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[1:] = (array[1:] / array[:-1] - 1.0) * 100.0
    out[~np.isfinite(out)] = np.nan
    return pd.DataFrame(out, index=index, columns=columns) if index is not None else out


def _first_last(array: np.ndarray, times: np.ndarray):
    observed = ~np.isnan(array)
    count = observed.sum(axis=0)
    first = np.argmax(observed, axis=0)
    last = array.shape[0] - 1 - np.argmax(observed[::-1], axis=0)
    cols = np.arange(array.shape[1])
    return count, array[first, cols], array[last, cols], times[first], times[last]


def cagr(values, times) -> np.ndarray:
    """Compound annual growth rate from the first to the latest observed value (COINr ``CAGR``).

    ``(y_last / y_first)^(1 / (t_last − t_first)) − 1``; 0 if both values are equal; NaN with fewer
    than two observations.

    Examples
    --------
    >>> cagr(np.array([[100.0], [np.nan], [121.0]]), [2020, 2021, 2022]).round(6).tolist()
    [0.1]
    """
    array, _, _ = _as_array(values)
    times = np.asarray(times, dtype=float)
    order = np.argsort(times)
    array, times = array[order], times[order]
    count, y0, y1, t0, t1 = _first_last(array, times)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (y1 / y0) ** (1.0 / (t1 - t0)) - 1.0
    out = np.where(y1 == y0, 0.0, out)
    return np.where(count >= 2, out, np.nan)


def prc_change(values, times, *, per: float = 1.0) -> np.ndarray:
    """COINr's ``prc_change``: percentage change per ``per`` time units.

    Two observations: ``(y_last − y_first)·100 / y_first · per / (t_last − t_first)``. Three or more:
    least-squares line ``y = a + b·t`` over the observed points, ``b·per / (a + b·t_first) · 100``.
    All values equal: 0. Fewer than two: NaN.

    Examples
    --------
    >>> prc_change(np.array([[1.0], [2.0], [3.0]]), [2000, 2001, 2002]).round(6).tolist()
    [100.0]
    """
    array, _, _ = _as_array(values)
    times = np.asarray(times, dtype=float)
    order = np.argsort(times)
    array, times = array[order], times[order]
    observed = ~np.isnan(array)
    count, y0, y1, t0, t1 = _first_last(array, times)
    with np.errstate(divide="ignore", invalid="ignore"):
        two_point = (y1 - y0) * 100.0 / y0 * (per / (t1 - t0))
        tt = np.where(observed, times[:, None], 0.0)
        yy = np.where(observed, array, 0.0)
        t_mean, y_mean = tt.sum(0) / count, yy.sum(0) / count
        dt = np.where(observed, times[:, None] - t_mean, 0.0)
        dy = np.where(observed, array - y_mean, 0.0)
        slope = (dt * dy).sum(0) / (dt * dt).sum(0)
        intercept = y_mean - slope * t_mean
        regression = slope * per / (intercept + slope * t0) * 100.0
    out = np.where(count >= 3, regression, two_point)
    constant = np.nanmax(array, axis=0, initial=-np.inf, where=observed) == np.nanmin(
        array, axis=0, initial=np.inf, where=observed
    )
    out = np.where(constant, 0.0, out)
    return np.where(count >= 2, out, np.nan)
