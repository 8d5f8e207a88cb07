"""Normalise indicators onto a common scale, after turning every indicator "higher is better"."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data import Dataset
from ..errors import CompositeWarning, StepError, require_number, unknown_option, warn
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
    "ratio_target",
    "scaled",
    "goalposts",
)
RANK_METHODS = ("rank", "percentile", "borda")
TIES = ("min", "average", "max", "dense")


class Normaliser(Step):
    """Bring indicators to one scale; values are first multiplied by their ``Direction`` (as COINr).

    Parameters
    ----------
    method : str
        ``minmax``: ``l + (x − min)/(max − min)·(u − l)``. ``zscore``: ``mean + sd·(x − x̄)/s`` with
        ``lower`` as the mean and ``upper`` as the sd (default 0, 1 → set ``lower=0, upper=1``).
        ``rank``: rank of the unit (COINr ``n_rank``; higher value, higher rank). ``percentile``:
        ``(rank − 1)/(n − 1) × upper`` (COINr ``n_prank``). ``borda``: ``rank − 1`` (COINr ``n_borda``).
        ``fraction_max``: ``x / max × upper``. ``distance_reference``: ``x / x_ref × upper`` with the
        reference unit ``reference``. ``distance_target``: ``(x − min)/(target − min) × upper``, COINr's
        ``n_dist2targ`` (capped at 1 with ``cap_max``) using the framework's ``Target``.
        ``ratio_target``: ``min(x / target, 1) × upper`` (this engine's earlier "distance to target").
        ``scaled``: ``(x − a)/(b − a) × upper`` with ``(a, b) = bounds`` (COINr ``n_scaled``, whose
        scale is 100). ``goalposts``: ``(x − lo)/(hi − lo)`` clipped to [0, 1] × ``upper``, goalposts per
        indicator in ``goalposts``.
    lower, upper : float
        Target range for ``minmax`` (COINr default [0, 100]); mean and sd for ``zscore``; scale for
        the ratio methods.
    pooled : bool
        Learn the scale from all years together (COINr's ``global = TRUE`` for panels, needed for
        comparisons over time); otherwise year by year.
    shift : float
        Added after scaling (Chinese practice shifts min-max by e.g. 0.0001 before entropy weighting).
    ties : {"min", "average", "max", "dense"}
        Rank given to tied values by the rank-based methods; ``min`` is COINr's (R ``rank``
        ``ties.method = "min"``), so ``[1, 1, 2]`` ranks ``[1, 1, 3]``.
    cap_max : bool
        ``distance_target`` only: values beyond the target score 1 (COINr's ``cap_max``).
    bounds : (float, float)
        ``scaled`` only: the values mapped to 0 and ``upper``.

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
        ties: str = "min",
        cap_max: bool = False,
        bounds: tuple[float, float] = (0.0, 100.0),
    ):
        self.method = method
        self.lower = lower
        self.upper = upper
        self.pooled = pooled
        self.shift = shift
        self.reference = reference
        self.goalposts = goalposts
        self.ties = ties
        self.cap_max = cap_max
        self.bounds = bounds

    def fit(self, data: Dataset, framework: Framework | None) -> Normaliser:
        if self.method not in METHODS:
            raise unknown_option("method", self.method, METHODS)
        if self.ties not in TIES:
            raise unknown_option("ties", self.ties, TIES)
        for option in ("lower", "upper", "shift"):
            require_number(option, getattr(self, option))
        if self.method == "scaled":
            bounds = tuple(self.bounds) if isinstance(self.bounds, list | tuple) else ()
            if len(bounds) != 2:
                raise StepError(
                    "bounds must be two numbers (got '{value}')",
                    code="bad_option",
                    option="bounds",
                    value=str(self.bounds),
                )
            for value in bounds:
                require_number("bounds", value)
            if bounds[0] == bounds[1]:
                raise StepError(
                    "bounds must be two different numbers (got '{value}')",
                    code="bad_option",
                    option="bounds",
                    value=str(self.bounds),
                )
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
            self.min_ = (
                np.nanmin(x, axis=axis, keepdims=True)
                if self.method in ("minmax", "distance_target")
                else None
            )
            self.max_ = (
                np.nanmax(x, axis=axis, keepdims=True) if self.method in ("minmax", "fraction_max") else None
            )
            self.mean_ = np.nanmean(x, axis=axis, keepdims=True) if self.method == "zscore" else None
            self.sd_ = np.nanstd(x, axis=axis, keepdims=True, ddof=1) if self.method == "zscore" else None
        if self.method in ("distance_target", "ratio_target"):
            targets = [
                framework.by_code[c].target if framework and c in framework.by_code else None
                for c in data.columns
            ]
            missing = [c for c, t in zip(data.columns, targets, strict=True) if t is None]
            if missing:
                raise StepError(
                    "these indicators have no Target: {codes}", code="missing_target", codes=missing
                )
            self.target_ = np.array(targets, float) * self.direction_
        if self.method == "distance_reference":
            if self.reference not in data.units:
                raise StepError(
                    "the reference unit '{unit}' is not in the data",
                    code="unknown_reference",
                    unit=str(self.reference),
                )
            self.reference_ = x[:, data.units.index(self.reference), :][:, None, :]
            if self.pooled:
                self.reference_ = self.reference_[-1:]
        if self.method == "goalposts":
            posts = self.goalposts or {}
            missing = [c for c in data.columns if c not in posts]
            if missing:
                raise StepError(
                    "these indicators have no goalposts: {codes}", code="missing_goalposts", codes=missing
                )
            lo_hi = np.array([posts[c] for c in data.columns], float) * self.direction_[:, None]
            self.goal_lo_, self.goal_hi_ = (
                np.minimum(lo_hi[:, 0], lo_hi[:, 1]),
                np.maximum(lo_hi[:, 0], lo_hi[:, 1]),
            )
        if self.pooled and self.method in RANK_METHODS:
            self.pooled_values_ = x  # ranks pooled over years compare with every unit-year
        self._warn_constant(data)
        return self

    def _warn_constant(self, data: Dataset) -> None:
        """Min-max and z-scores of a column without spread are 0/0: say which indicators are left missing."""
        if self.method == "minmax":
            flat = (self.max_ == self.min_) & np.isfinite(self.min_)
        elif self.method == "zscore":
            flat = (self.sd_ == 0) | (np.isnan(self.sd_) & np.isfinite(self.mean_))
        else:
            return
        codes = [c for j, c in enumerate(data.columns) if flat[..., j].any()]
        if codes:
            warn(
                CompositeWarning(
                    "indicators {codes} do not vary (in a year): their {method} values are left missing",
                    code="constant_not_normalised",
                    params={"codes": codes, "method": self.method},
                )
            )

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
            elif self.method in RANK_METHODS:
                out = _rank_based(x, self.method, pooled=self.pooled, ties=self.ties) * (
                    up if self.method == "percentile" else 1
                )
            elif self.method == "fraction_max":
                out = x / self.max_ * up
            elif self.method == "distance_reference":
                out = x / self.reference_ * up
            elif self.method == "distance_target":
                out = (x - self.min_) / (self.target_ - self.min_)
                out = (np.minimum(out, 1.0) if self.cap_max else out) * up
            elif self.method == "ratio_target":
                out = np.minimum(x / self.target_, 1.0) * up
            elif self.method == "scaled":
                low, high = self.bounds
                out = (x - low) / (high - low) * up
            else:
                out = np.clip((x - self.goal_lo_) / (self.goal_hi_ - self.goal_lo_), 0.0, 1.0) * up
        if self.shift:
            out = out + self.shift
        out[np.isinf(out)] = np.nan
        return data.with_values(out)


def _rank_based(x: np.ndarray, method: str, *, pooled: bool, ties: str) -> np.ndarray:
    """Ranks (1 = lowest, ties as ``ties``) per year, or pooled over years; NaN stays NaN.

    ``percentile`` is COINr's ``n_prank``: ``(rank − 1)/(n − 1)`` over the ``n`` values present.
    """
    from scipy.stats import rankdata

    t, n, m = x.shape
    flat = x.reshape(t * n, m) if pooled else x.transpose(1, 0, 2).reshape(n, t * m)
    ranks = rankdata(flat, axis=0, method=ties, nan_policy="omit")
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
