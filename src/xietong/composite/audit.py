"""Audit statistics: per-indicator distribution and availability with flags, correlations, Cronbach's alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import Dataset
from .framework import Framework
from .stats import nan_kurt, nan_skew
from .steps.base import ignore_nan_warnings


def indicator_statistics(
    data: Dataset,
    *,
    codes=None,
    time: int | None = None,
    min_availability: float = 0.66,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
) -> pd.DataFrame:
    """One row per indicator (per year): min, max, mean, sd, skew, kurtosis, availability, flags.

    Flags: ``low_availability`` (below ``min_availability``), ``outlier`` (|skew| ≥ threshold and
    kurtosis ≥ threshold, COINr's rule), ``constant`` (no spread).

    Examples
    --------
    >>> d = Dataset.from_arrays([[1.0, 5.0], [2.0, 5.0], [np.nan, 5.0]], units="abc", columns=["x", "y"])
    >>> indicator_statistics(d)[["iCode", "availability", "constant"]].values.tolist()
    [['x', 0.6666666666666666, False], ['y', 1.0, True]]
    """
    codes = list(codes or data.columns)
    rows = []
    for ti, year in enumerate(data.times):
        if time is not None and year != time:
            continue
        x = data.values[ti][data.present[ti]][:, [data.columns.index(c) for c in codes]]
        with ignore_nan_warnings():
            frame = pd.DataFrame(
                {
                    "iCode": codes,
                    "Time": year,
                    "n": np.sum(~np.isnan(x), axis=0),
                    "availability": np.mean(~np.isnan(x), axis=0),
                    "min": np.nanmin(x, axis=0),
                    "max": np.nanmax(x, axis=0),
                    "mean": np.nanmean(x, axis=0),
                    "median": np.nanmedian(x, axis=0),
                    "sd": np.nanstd(x, axis=0, ddof=1),
                    "skew": nan_skew(x),
                    "kurt": nan_kurt(x),
                    "zeros": np.sum(x == 0, axis=0),
                }
            )
        rows.append(frame)
    table = pd.concat(rows, ignore_index=True)
    table["low_availability"] = table["availability"] < min_availability
    table["outlier"] = (table["skew"].abs() >= skew_threshold) & (table["kurt"] >= kurt_threshold)
    table["constant"] = table["max"] == table["min"]
    if len(data.times) == 1:
        table = table.drop(columns="Time")
    return table


def parent_correlations(data: Dataset, framework: Framework, *, time_index: int = -1) -> pd.DataFrame:
    """Pearson correlation of every indicator/aggregate with its parent (needs an aggregated data set)."""
    x = pd.DataFrame(data.values[time_index][data.present[time_index]], columns=list(data.columns))
    rows = []
    for code in list(framework.indicators) + list(framework.aggregates):
        parent = framework.by_code[code].parent
        if parent is not None and code in x and parent in x:
            rows.append({"iCode": code, "Parent": parent, "correlation": x[code].corr(x[parent])})
    return pd.DataFrame(rows)


def group_correlations(
    data: Dataset, framework: Framework, parent: str, *, time_index: int = -1
) -> pd.DataFrame:
    """Correlation matrix of the children of ``parent``."""
    codes = [c for c in framework.children(parent) if c in data.columns]
    x = pd.DataFrame(data.values[time_index][data.present[time_index]], columns=list(data.columns))
    return x[codes].corr()


def cronbach_alpha(x) -> float:
    """Cronbach's alpha of the columns of ``x`` (complete rows only): ``k/(k−1)·(1 − Σ var_i / var(Σ))``.

    Examples
    --------
    >>> round(cronbach_alpha([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]]), 6)
    0.947368
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    item_variance = x.var(axis=0, ddof=1).sum()
    total_variance = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1.0 - item_variance / total_variance))
