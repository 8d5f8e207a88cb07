"""Aggregate level by level up the tree with weighted means; each level is one matrix product."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data import Dataset
from ..errors import StepError, require_number, unknown_option
from ..framework import Framework
from .base import Step, check_fitted

METHODS = ("arithmetic", "geometric", "harmonic", "generalised", "sum")
NOT_POSITIVE = {  # one template per mean, so an app's catalogue can name each in its language
    "geometric": "unit '{unit}' has {value} in {column}; the geometric mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)",
    "harmonic": "unit '{unit}' has {value} in {column}; the harmonic mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)",
    "generalised": "unit '{unit}' has {value} in {column}; the generalised mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)",
}


def weighted_mean(
    x: np.ndarray,
    weights: np.ndarray,
    *,
    method: str = "arithmetic",
    power: float = 2.0,
    missing: str = "drop",
    min_share: float | None = None,
) -> np.ndarray:
    """Weighted means of groups of columns: ``x`` rows × children, ``weights`` children × parents.

    ``missing="drop"`` leaves missing children out and re-normalises the remaining weights (COINr);
    ``"propagate"`` makes the parent missing. ``min_share`` makes it missing when the available
    children hold less than that share of the weight. ``method="sum"`` adds the available children
    up, ignoring the weights (a weight of 0 still leaves a child out).

    Examples
    --------
    >>> w = np.array([[1.0], [1.0], [2.0]])
    >>> weighted_mean(np.array([[1.0, 2.0, 4.0], [1.0, np.nan, 4.0]]), w).ravel().tolist()
    [2.75, 3.0]
    """
    if method == "arithmetic" and missing == "drop" and not np.isnan(x).any():
        return x @ (weights / weights.sum(axis=0))  # complete data: one product
    present = ~np.isnan(x)
    filled = np.where(present, x, 0.0)
    available = present.astype(float) @ weights
    total = weights.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = (filled @ weights) / available
        elif method == "geometric":
            out = np.exp((np.where(present, np.log(np.where(present, x, 1.0)), 0.0) @ weights) / available)
        elif method == "harmonic":
            out = available / (np.where(present, 1.0 / np.where(present, x, 1.0), 0.0) @ weights)
        elif method == "sum":
            out = filled @ (weights > 0).astype(float)
        elif method == "generalised":
            if power == 0:
                return weighted_mean(x, weights, method="geometric", missing=missing, min_share=min_share)
            out = ((np.where(present, x, 0.0) ** power @ weights) / available) ** (1.0 / power)
        else:
            raise unknown_option("method", method, METHODS)
    out = np.where(available > 0, out, np.nan)
    if missing == "propagate":
        out = np.where(np.isclose(available, total), out, np.nan)
    if min_share is not None:
        out = np.where(available >= min_share * total, out, np.nan)
    return out


class Aggregator(Step):
    """Compute every aggregate (二级, 一级, index) from the normalised indicators.

    Parameters
    ----------
    method : str or mapping
        One of ``arithmetic`` (COINr ``a_amean``), ``geometric``, ``harmonic``, ``generalised`` (power
        mean with ``power``), ``sum`` (unweighted sum of the children); or a mapping from a level (int) or an aggregate code to a method, for
        per-level or per-node choices (unlisted ones use ``default``).
    power : float
        Exponent of the generalised mean.
    missing : {"drop", "propagate"}
        How a missing child is handled (see :func:`weighted_mean`).
    min_share : float, optional
        Minimum share of weight that must be available.
    default : str
        Method for levels/nodes not in a mapping ``method``.

    Examples
    --------
    >>> from xietong.composite import Dataset, Framework, Node
    >>> fw = Framework.from_nodes([Node("a", parent="I"), Node("b", parent="I", weight=3), Node("I", kind="Aggregate", level=2)])
    >>> data = Dataset.from_arrays([[0.0, 100.0]], units="x", columns=["a", "b"])
    >>> Aggregator().fit_transform(data, fw).column("I").tolist()
    [[75.0]]
    """

    kind = "aggregate"
    uses_weights = True
    stage = "Aggregated"

    def __init__(
        self,
        *,
        method: str | Mapping = "arithmetic",
        power: float = 2.0,
        missing: str = "drop",
        min_share: float | None = None,
        default: str = "arithmetic",
    ):
        self.method = method
        self.power = power
        self.missing = missing
        self.min_share = min_share
        self.default = default

    def _method_of(self, code: str, level: int) -> str:
        if isinstance(self.method, str):
            return self.method
        return self.method.get(code, self.method.get(level, self.default))

    def fit(self, data: Dataset, framework: Framework) -> Aggregator:
        missing = [c for c in framework.indicators if c not in data.columns]
        if missing:
            raise StepError(
                "the data lack these indicators: {codes}", code="missing_indicator", codes=missing
            )
        require_number("power", self.power)
        require_number("min_share", self.min_share, optional=True)
        if self.missing not in ("drop", "propagate"):
            raise unknown_option("missing", self.missing, ["drop", "propagate"])
        plan = []
        for level in framework.levels:
            children, parents, matrix = framework.level_matrix(level)
            methods = [self._method_of(p, level) for p in parents]
            unknown = sorted(set(methods) - set(METHODS))
            if unknown:
                raise unknown_option("method", unknown[0], METHODS)
            plan.append((children, parents, matrix, methods))
        self.plan_ = plan
        self.framework_ = framework
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "plan_")
        t, n, m = data.values.shape
        total = m + sum(len(parents) for _, parents, _, _ in self.plan_)
        out = np.empty((t * n, total))  # one buffer: indicators, then each level's aggregates
        out[:, :m] = data.values.reshape(t * n, m)
        position = {c: i for i, c in enumerate(data.columns)}
        columns, filled = list(data.columns), m
        for children, parents, matrix, methods in self.plan_:
            weights = np.zeros((filled, len(parents)))  # weights over every column so far: no reordering copy
            weights[[position[c] for c in children]] = matrix
            x = out[:, :filled]
            for method in set(methods):  # a handful of methods per level, never per unit
                cols = [j for j, name in enumerate(methods) if name == method]
                w = weights[:, cols]
                if method not in (
                    "arithmetic",
                    "sum",
                ):  # only the children: logs and reciprocals of others are irrelevant
                    used = w.sum(axis=1) > 0
                    codes = [columns[i] for i in np.flatnonzero(used)]
                    _require_positive(x[:, used], codes, data, method)
                    x_used, w = x[:, used], w[used]
                else:
                    x_used = x
                out[:, [filled + j for j in cols]] = weighted_mean(
                    x_used, w, method=method, power=self.power, missing=self.missing, min_share=self.min_share
                )
            for j, code in enumerate(parents):
                position[code] = filled + j
            columns.extend(parents)
            filled += len(parents)
        values = out.reshape(t, n, total)
        if not data.present.all():
            values = np.where(data.present[:, :, None], values, np.nan)
        return data.with_values(values, columns=tuple(columns))


def _require_positive(x: np.ndarray, codes: list[str], data: Dataset, method: str) -> None:
    bad = (x <= 0) & ~np.isnan(x)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        unit = data.units[row % len(data.units)]
        raise StepError(
            NOT_POSITIVE[method],
            code="not_positive",
            unit=unit,
            column=str(codes[col]),
            value=f"{x[row, col]:g}",
        )


def aggregate(data: Dataset, framework: Framework, **params) -> Dataset:
    """Function twin of :class:`Aggregator`."""
    return Aggregator(**params).fit_transform(data, framework)
