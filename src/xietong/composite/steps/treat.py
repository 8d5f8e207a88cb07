"""Outlier treatment: skew/kurtosis test, Winsorisation up to ``winmax`` points, log fallback.

Winsorising the top point(s) to the next value, repeatedly, is the same as clipping the column at a
learned bound; so ``fit`` learns per-column clip bounds (and log parameters) by iterating the COINr
rule on all failing columns at once, and ``transform`` is one ``clip``/``log`` over the cube.
"""

from __future__ import annotations

import numpy as np

from ..data import Dataset
from ..errors import require_number, unknown_option
from ..framework import Framework
from ..stats import nan_skew, skew_kurt
from .base import Step, check_fitted, ignore_nan_warnings


def passes_skew_kurt(x: np.ndarray, skew_threshold: float = 2.0, kurt_threshold: float = 3.5) -> np.ndarray:
    """COINr's ``check_SkewKurt`` per column: |skew| < threshold OR kurtosis < threshold.

    Columns too short to measure (fewer than 4 values) pass: there is nothing to treat.
    """
    skew, kurt = skew_kurt(x)
    return (np.abs(skew) < skew_threshold) | (kurt < kurt_threshold) | np.isnan(skew) | np.isnan(kurt)


def winsorise_bounds(
    x: np.ndarray, *, winmax: int | None = 5, skew_threshold: float = 2.0, kurt_threshold: float = 3.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run COINr's Winsorisation loop on every column of ``x`` (units × columns) at once.

    Returns ``(lower, upper, n_winsorised, passing)``; ``lower``/``upper`` are ±inf where that end was
    not treated. As in COINr, ``n_winsorised`` counts the points tied at the bound after the latest
    step at each end, and the loop stops when the column passes or that count reaches ``winmax``.
    """
    x = np.array(x, dtype=float, copy=True)
    k = x.shape[1]
    n_hi, n_lo = np.zeros(k, dtype=int), np.zeros(k, dtype=int)
    hi_done, lo_done = np.zeros(k, bool), np.zeros(k, bool)
    passing = passes_skew_kurt(x, skew_threshold, kurt_threshold)
    limit = np.inf if winmax is None else winmax
    active = ~passing & (limit > 0)
    while active.any():
        cols = np.flatnonzero(active)
        xs = x[:, cols]
        high = nan_skew(xs) >= 0
        with np.errstate(invalid="ignore"):
            extreme = np.where(high, np.nanmax(xs, axis=0), np.nanmin(xs, axis=0))
            at_extreme = xs == extreme
            rest = np.where(at_extreme, np.nan, xs)
            with ignore_nan_warnings():
                nxt = np.where(high, np.nanmax(rest, axis=0), np.nanmin(rest, axis=0))
        stuck = np.isnan(nxt)  # every value tied: nothing left to pull in
        xs = np.where(at_extreme & ~stuck, nxt, xs)
        x[:, cols] = xs
        count = at_extreme.sum(axis=0)
        n_hi[cols] = np.where(high & ~stuck, count, n_hi[cols])
        n_lo[cols] = np.where(~high & ~stuck, count, n_lo[cols])
        hi_done[cols] |= high & ~stuck
        lo_done[cols] |= ~high & ~stuck
        passing[cols] = passes_skew_kurt(xs, skew_threshold, kurt_threshold)
        active[cols] = ~passing[cols] & ((n_hi[cols] + n_lo[cols]) < limit) & ~stuck
    with ignore_nan_warnings():
        upper = np.where(hi_done, np.nanmax(x, axis=0), np.inf)
        lower = np.where(lo_done, np.nanmin(x, axis=0), -np.inf)
    return lower, upper, n_hi + n_lo, passing


class OutlierTreater(Step):
    """Treat outliers column by column, as COINr's ``Treat`` default.

    Parameters
    ----------
    method : {"winsorise", "log", "none"}
        ``winsorise``: test, Winsorise up to ``winmax`` points, and if the column still fails apply
        ``fallback`` to the *untreated* column (unless ``combine``). ``log``: log-transform every failing
        column. ``none``: pass through.
    winmax : int or None
        Maximum number of Winsorised points (None = no limit).
    skew_threshold, kurt_threshold : float
        A column passes if |skew| < ``skew_threshold`` or excess kurtosis < ``kurt_threshold``.
    fallback : {"log", None}
        ``log`` is COINr's ``log_CT``: ``log(x − min + 0.01·(max − min))``.
    combine : bool
        Apply the fallback to the Winsorised column instead of the original one.
    pooled : bool
        Test and treat each indicator over all years together instead of year by year.

    Examples
    --------
    >>> from xietong.composite import Dataset
    >>> x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0][:, None]
    >>> t = OutlierTreater(winmax=2).fit(Dataset.from_arrays(x, units=[str(i) for i in range(12)], columns=["x"]), None)
    >>> float(t.upper_[0, 0]), int(t.n_winsorised_[0, 0])
    (30.0, 1)
    """

    kind = "treat"
    stage = "Treated"

    def __init__(
        self,
        *,
        method: str = "winsorise",
        winmax: int | None = 5,
        skew_threshold: float = 2.0,
        kurt_threshold: float = 3.5,
        fallback: str | None = "log",
        combine: bool = False,
        pooled: bool = False,
    ):
        self.method = method
        self.winmax = winmax
        self.skew_threshold = skew_threshold
        self.kurt_threshold = kurt_threshold
        self.fallback = fallback
        self.combine = combine
        self.pooled = pooled

    def _columns(self, values: np.ndarray) -> np.ndarray:
        t, n, m = values.shape
        if self.pooled:
            return values.reshape(t * n, m)
        return values.transpose(1, 0, 2).reshape(n, t * m)  # one column per (year, indicator)

    def _shape_back(self, vector: np.ndarray, t: int, m: int) -> np.ndarray:
        return np.broadcast_to(vector, (t, m)).copy() if self.pooled else vector.reshape(t, m)

    def fit(self, data: Dataset, framework: Framework | None) -> OutlierTreater:
        if self.method not in ("winsorise", "log", "none"):
            raise unknown_option("method", self.method, ["winsorise", "log", "none"])
        if self.fallback not in ("log", None):
            raise unknown_option("fallback", self.fallback, ["log", None])
        require_number("skew_threshold", self.skew_threshold)
        require_number("kurt_threshold", self.kurt_threshold)
        require_number("winmax", self.winmax, optional=True)
        t, _, m = data.values.shape
        columns = self._columns(np.where(data.present[:, :, None], data.values, np.nan))
        k = columns.shape[1]
        lower, upper = np.full(k, -np.inf), np.full(k, np.inf)
        n_win = np.zeros(k, dtype=int)
        if self.method == "none":
            passing = np.ones(k, dtype=bool)
        else:
            passing = passes_skew_kurt(columns, self.skew_threshold, self.kurt_threshold)
        failing = ~passing
        if self.method == "winsorise" and failing.any():
            sub_lower, sub_upper, sub_n, sub_passing = winsorise_bounds(
                columns[:, failing],
                winmax=self.winmax,
                skew_threshold=self.skew_threshold,
                kurt_threshold=self.kurt_threshold,
            )
            lower[failing], upper[failing], n_win[failing], passing[failing] = (
                sub_lower,
                sub_upper,
                sub_n,
                sub_passing,
            )
        use_log = ~passing if self.method == "winsorise" and self.fallback == "log" else np.zeros(k, bool)
        if self.method == "log":
            use_log = failing
        if not self.combine:
            lower, upper = np.where(use_log, -np.inf, lower), np.where(use_log, np.inf, upper)
        low, high = np.full(k, np.nan), np.full(k, np.nan)
        if use_log.any():  # log parameters only where the log is used
            base = (
                np.clip(columns[:, use_log], lower[use_log], upper[use_log])
                if self.combine
                else columns[:, use_log]
            )
            with ignore_nan_warnings():
                low[use_log], high[use_log] = np.nanmin(base, axis=0), np.nanmax(base, axis=0)
        self.lower_, self.upper_ = self._shape_back(lower, t, m), self._shape_back(upper, t, m)
        self.n_winsorised_ = self._shape_back(np.where(use_log & ~self.combine, 0, n_win), t, m)
        self.log_ = self._shape_back(use_log, t, m)
        self.log_min_ = self._shape_back(low, t, m)
        self.log_shift_ = self._shape_back(0.01 * (high - low), t, m)
        self.failing_before_ = self._shape_back(failing, t, m)
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "lower_")
        if self.method == "none":
            return data
        values = np.clip(data.values, self.lower_[:, None, :], self.upper_[:, None, :])
        if self.log_.any():
            with np.errstate(invalid="ignore", divide="ignore"):
                logged = np.log(values - self.log_min_[:, None, :] + self.log_shift_[:, None, :])
            values = np.where(self.log_[:, None, :], logged, values)
        return data.with_values(values)

    def details(self, data: Dataset) -> list[dict]:
        """One row per (year, indicator) that was treated: what was done, for the audit table."""
        rows = []
        for ti, tj in zip(*np.nonzero(self.failing_before_), strict=True):
            rows.append(
                {
                    "Time": data.times[ti],
                    "iCode": data.columns[tj],
                    "winsorised": int(self.n_winsorised_[ti, tj]),
                    "log": bool(self.log_[ti, tj]),
                }
            )
        return rows


def treat(data: Dataset, framework: Framework | None = None, **params) -> Dataset:
    """Function twin of :class:`OutlierTreater`."""
    return OutlierTreater(**params).fit_transform(data, framework)
