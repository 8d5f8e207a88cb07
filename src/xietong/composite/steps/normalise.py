"""Normalise indicators onto a common scale, after turning every indicator "higher is better"."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data import Dataset
from ..errors import StepError
from ..framework import Framework
from .base import Step, check_fitted, ignore_nan_warnings

METHODS = (
    "minmax",
    "zscore",
    "rank",
    "percentile",
    "borda",
    "fraction_max",
    "distance_reference",
    "distance_target",
    "goalposts",
)


class Normaliser(Step):
    """Bring indicators to one scale; values are first multiplied by their ``Direction`` (as COINr).

    Parameters
    ----------
    method : str
        ``minmax``: ``l + (x − min)/(max − min)·(u − l)``. ``zscore``: ``mean + sd·(x − x̄)/s`` with
        ``lower`` as the mean and ``upper`` as the sd (default 0, 1 → set ``lower=0, upper=1``).
        ``rank``: rank of the unit, ties averaged (higher value, higher rank). ``percentile``: share of
        other units below (COINr ``n_prank``, ties averaged) × ``upper``. ``borda``: number of units below.
        ``fraction_max``: ``x / max × upper``. ``distance_reference``: ``x / x_ref × upper`` with the
        reference unit ``reference``. ``distance_target``: ``min(x / target, 1) × upper`` (COINr's
        ``n_dist2targ`` with cap) using the framework's ``Target``. ``goalposts``: ``(x − lo)/(hi − lo)``
        clipped to [0, 1] × ``upper``, goalposts per indicator in ``goalposts``.
    lower, upper : float
        Target range for ``minmax`` (COINr default [0, 100]); mean and sd for ``zscore``; scale for
        the ratio methods.
    pooled : bool
        Learn the scale from all years together (COINr's ``global = TRUE`` for panels, needed for
        comparisons over time); otherwise year by year.
    shift : float
        Added after scaling (Chinese practice shifts min-max by e.g. 0.0001 before entropy weighting).

    Examples
    --------
    >>> from xietong.composite import Dataset
    >>> data = Dataset.from_arrays([[1.0], [2.0], [5.0]], units="abc", columns=["x"])
    >>> Normaliser().fit_transform(data, None).values[0, :, 0].tolist()
    [0.0, 25.0, 100.0]
    """

    kind = "normalise"
    stage = "Normalised"

    def __init__(
        self,
        *,
        method: str = "minmax",
        lower: float = 0.0,
        upper: float = 100.0,
        pooled: bool = False,
        shift: float = 0.0,
        reference: str | None = None,
        goalposts: Mapping[str, tuple[float, float]] | None = None,
    ):
        self.method = method
        self.lower = lower
        self.upper = upper
        self.pooled = pooled
        self.shift = shift
        self.reference = reference
        self.goalposts = goalposts

    def fit(self, data: Dataset, framework: Framework | None) -> Normaliser:
        if self.method not in METHODS:
            raise StepError(f"未知的标准化方法“{self.method}”", code="bad_option", option="method")
        m = len(data.columns)
        if framework is not None:
            self.direction_ = np.array(
                [framework.by_code[c].direction if c in framework.by_code else 1 for c in data.columns], float
            )
        else:
            self.direction_ = np.ones(m)
        x = self._directed(data)
        axis = (0, 1) if self.pooled else 1
        with np.errstate(invalid="ignore"), ignore_nan_warnings():  # only what the method needs
            self.min_ = np.nanmin(x, axis=axis, keepdims=True) if self.method == "minmax" else None
            self.max_ = (
                np.nanmax(x, axis=axis, keepdims=True) if self.method in ("minmax", "fraction_max") else None
            )
            self.mean_ = np.nanmean(x, axis=axis, keepdims=True) if self.method == "zscore" else None
            self.sd_ = np.nanstd(x, axis=axis, keepdims=True, ddof=1) if self.method == "zscore" else None
        if self.method == "distance_target":
            targets = [
                framework.by_code[c].target if framework and c in framework.by_code else None
                for c in data.columns
            ]
            missing = [c for c, t in zip(data.columns, targets, strict=True) if t is None]
            if missing:
                raise StepError(f"以下指标缺少目标值（Target）：{'、'.join(missing)}", code="missing_target")
            self.target_ = np.array(targets, float) * self.direction_
        if self.method == "distance_reference":
            if self.reference not in data.units:
                raise StepError(f"参照单位“{self.reference}”不在数据中", code="unknown_reference")
            self.reference_ = x[:, data.units.index(self.reference), :][:, None, :]
            if self.pooled:
                self.reference_ = self.reference_[-1:]
        if self.method == "goalposts":
            posts = self.goalposts or {}
            missing = [c for c in data.columns if c not in posts]
            if missing:
                raise StepError(
                    f"以下指标缺少门槛值（goalposts）：{'、'.join(missing)}", code="missing_goalposts"
                )
            lo_hi = np.array([posts[c] for c in data.columns], float) * self.direction_[:, None]
            self.goal_lo_, self.goal_hi_ = (
                np.minimum(lo_hi[:, 0], lo_hi[:, 1]),
                np.maximum(lo_hi[:, 0], lo_hi[:, 1]),
            )
        if self.pooled and self.method in ("rank", "percentile", "borda"):
            self.pooled_values_ = x  # ranks pooled over years compare with every unit-year
        return self

    def _directed(self, data: Dataset) -> np.ndarray:
        values = (
            data.values if data.present.all() else np.where(data.present[:, :, None], data.values, np.nan)
        )
        return values * self.direction_

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "direction_")
        x = self._directed(data)
        lo, up = self.lower, self.upper
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.method == "minmax":
                out = lo + (x - self.min_) / (self.max_ - self.min_) * (up - lo)
            elif self.method == "zscore":
                out = lo + up * (x - self.mean_) / self.sd_
            elif self.method in ("rank", "percentile", "borda"):
                out = _rank_based(x, self.method, pooled=self.pooled) * (
                    up if self.method == "percentile" else 1
                )
            elif self.method == "fraction_max":
                out = x / self.max_ * up
            elif self.method == "distance_reference":
                out = x / self.reference_ * up
            elif self.method == "distance_target":
                out = np.minimum(x / self.target_, 1.0) * up
            else:
                out = np.clip((x - self.goal_lo_) / (self.goal_hi_ - self.goal_lo_), 0.0, 1.0) * up
        if self.shift:
            out = out + self.shift
        out[np.isinf(out)] = np.nan
        return data.with_values(out)


def _rank_based(x: np.ndarray, method: str, *, pooled: bool) -> np.ndarray:
    """Average ranks (1 = lowest) per year, or pooled over years; NaN stays NaN."""
    from scipy.stats import rankdata

    t, n, m = x.shape
    flat = x.reshape(t * n, m) if pooled else x.transpose(1, 0, 2).reshape(n, t * m)
    ranks = rankdata(flat, axis=0, method="average", nan_policy="omit")
    count = np.sum(~np.isnan(flat), axis=0)
    if method == "borda":
        out = ranks - 1
    elif method == "percentile":
        out = (ranks - 1) / np.maximum(count - 1, 1)
    else:
        out = ranks
    out = np.where(np.isnan(flat), np.nan, out)
    return out.reshape(t, n, m) if pooled else out.reshape(n, t, m).transpose(1, 0, 2)


def normalise(data: Dataset, framework: Framework | None = None, **params) -> Dataset:
    """Function twin of :class:`Normaliser`."""
    return Normaliser(**params).fit_transform(data, framework)
