"""Objective weights (entropy, CRITIC, PCA) and the step that writes them into the framework.

The textbook formulas are used unchanged (no added epsilon, ``0·ln 0 = 0`` only for that term) so that
published worked examples are reproduced exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..data import Dataset
from ..errors import CompositeWarning, StepError, unknown_option, warn
from ..framework import Framework
from .base import Step, check_fitted, ignore_nan_warnings


def _matrix(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        raise StepError("objective weights need at least 2 rows of data", code="too_few_rows")
    if np.isinf(x).any():
        raise StepError("objective weights need finite data (an infinite value was found)", code="not_finite")
    return x


def _usable(x: np.ndarray, codes) -> np.ndarray:
    """Columns with at least two values that differ; warn about the others (they get weight 0).

    COINr warns where it drops constant indicators; here an indicator with fewer than two values
    is *excluded* (nothing to learn from), a constant one *has weight 0* (it tells no unit apart).
    """
    codes = list(codes) if codes is not None else [f"column {j + 1}" for j in range(x.shape[1])]
    count = np.sum(~np.isnan(x), axis=0)
    with ignore_nan_warnings():
        spread = np.where(count > 0, np.nanmax(x, axis=0) - np.nanmin(x, axis=0), 0.0)
    usable = (count >= 2) & (spread > 0)
    for j in np.flatnonzero(~usable):
        if count[j] < 2:
            warn(
                CompositeWarning(
                    "indicator {code} has fewer than 2 values: excluded from the objective weights (weight 0)",
                    code="excluded_indicator",
                    params={"code": codes[j]},
                )
            )
        else:
            warn(
                CompositeWarning(
                    "indicator {code} is constant: weight 0",
                    code="constant_indicator",
                    params={"code": codes[j]},
                )
            )
    if not usable.any():
        raise StepError(
            "no indicator among {codes} varies: weights cannot be learned from these data",
            code="nothing_varies",
            codes=codes,
        )
    return usable


def _names(codes, usable: np.ndarray) -> list[str]:
    codes = list(codes) if codes is not None else [f"column {j + 1}" for j in range(usable.shape[0])]
    return [c for c, keep in zip(codes, usable, strict=True) if keep]


def _spread(weights: np.ndarray, usable: np.ndarray) -> np.ndarray:
    out = np.zeros(usable.shape[0])
    out[usable] = weights
    return out


def entropy_weights(x, *, codes=None) -> np.ndarray:
    """Entropy weights of the columns of ``x`` (rows = units, non-negative values, used as given).

    ``p_ij = x_ij / Σ_i x_ij``, ``e_j = −Σ_i p_ij ln p_ij / ln n_j``, ``w_j = (1 − e_j) / Σ (1 − e_k)``,
    each column over the ``n_j`` values it has (a missing cell does not drop the whole row). A
    constant column (all zeros included) gets weight 0, one with fewer than two values is excluded;
    both with a :class:`~xietong.composite.CompositeWarning` naming the indicator (``codes``).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     entropy_weights([[1.0, 2.0], [1.0, 4.0], [1.0, 6.0]]).round(6).tolist()
    [0.0, 1.0]
    """
    x = _matrix(x)
    if (x < 0).any():
        raise StepError(
            "entropy weighting needs non-negative data: normalise first (a shift may be added)",
            code="negative_values",
        )
    usable = _usable(x, codes)
    x = x[:, usable]
    n = np.sum(~np.isnan(x), axis=0)
    p = x / np.nansum(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(n)
    diversity = 1.0 - entropy
    return _spread(diversity / diversity.sum(), usable)


def critic_weights(x, *, directions=None, codes=None) -> np.ndarray:
    """CRITIC weights: contrast (standard deviation) × conflict (Σ 1 − r) after min-max to [0, 1].

    ``directions`` (1 benefit, −1 cost) decides the min-max orientation; all benefit by default.
    Each column is scaled and measured on the values it has; correlations use the rows two columns
    share (pairwise). Constant and near-empty columns get weight 0 with a warning, as in
    :func:`entropy_weights`.

    Examples
    --------
    >>> critic_weights([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]).round(6).tolist()
    [0.5, 0.5]
    """
    x = _matrix(x)
    d = np.ones(x.shape[1]) if directions is None else np.asarray(directions, float)
    usable = _usable(x, codes)
    x = (x * d)[:, usable]
    with ignore_nan_warnings():
        low, high = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        scaled = (x - low) / (high - low)
        sd = np.nanstd(scaled, axis=0, ddof=1)
    r = pd.DataFrame(scaled).corr(min_periods=2).to_numpy()
    r = np.where(np.isnan(r), 0.0, r)  # two columns with under 2 shared rows: no measured conflict
    information = sd * (1.0 - r).sum(axis=0)
    if information.size == 1:
        return _spread(np.ones(1), usable)  # the one indicator that varies carries all the information
    if not information.sum() > 0:
        raise StepError(
            "the indicators {codes} are perfectly correlated: CRITIC weights are undefined",
            code="weights_undefined", codes=_names(codes, usable),
        )  # fmt: skip
    return _spread(information / information.sum(), usable)


def pca_weights(x, *, style: str = "coinr", variance_share: float = 0.85, codes=None) -> np.ndarray:
    """PCA weights, in one of two labelled conventions.

    ``style="coinr"``: the loadings of the first principal component of the correlation matrix
    (sign chosen so they sum positive), rescaled to sum to 1 — what COINr's ``get_PCA`` offers.
    ``style="cn"``: common Chinese practice — keep components up to ``variance_share`` cumulative
    variance, score coefficient ``Σ_k λ_k·a_jk / Σ_k λ_k`` (``a`` the unit eigenvectors), absolute values
    rescaled to sum to 1. Constant and near-empty columns get weight 0 with a warning; the others
    use the rows complete in all of them (a correlation matrix needs them).

    Examples
    --------
    >>> pca_weights([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9]]).round(3).tolist()
    [0.5, 0.5]
    """
    if style not in ("coinr", "cn"):
        raise unknown_option("style", style, ["coinr", "cn"])
    x = _matrix(x)
    usable = _usable(x, codes)
    x = x[:, usable]
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[1] == 1:
        return _spread(np.ones(1), usable)
    if x.shape[0] < 3 or np.any(x.std(axis=0) == 0):
        raise StepError(
            "PCA weighting needs at least 3 units with complete data that vary in every indicator",
            code="too_few_rows",
        )
    corr = np.corrcoef(x, rowvar=False)
    eigenvalues, vectors = np.linalg.eigh(corr)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    vectors = vectors * np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)
    if style == "coinr":
        loadings = vectors[:, 0]
        if not abs(loadings.sum()) > 1e-12:
            raise StepError(
                "the first principal component's loadings of {codes} sum to 0: PCA weights are undefined",
                code="weights_undefined", codes=_names(codes, usable),
            )  # fmt: skip
        return _spread(loadings / loadings.sum(), usable)
    share = np.cumsum(eigenvalues) / eigenvalues.sum()
    keep = int(np.searchsorted(share, variance_share) + 1)
    coefficient = np.abs((vectors[:, :keep] * eigenvalues[:keep]).sum(axis=1) / eigenvalues[:keep].sum())
    return _spread(coefficient / coefficient.sum(), usable)


WEIGHT_FUNCTIONS = {
    "entropy": entropy_weights,
    "critic": critic_weights,
    "pca": pca_weights,
    "pca-cn": lambda x, codes=None: pca_weights(x, style="cn", codes=codes),
    "equal": lambda x, codes=None: np.full(np.asarray(x).shape[1], 1.0 / np.asarray(x).shape[1]),
}


class Weighter(Step):
    """Learn indicator weights from the data and write them into the framework.

    Parameters
    ----------
    method : {"given", "equal", "entropy", "critic", "pca", "pca-cn"}, or a mapping of code → weight
        ``given`` keeps the framework's weights; a mapping replaces them.
    scope : {"node", "all"}
        ``node``: weigh the indicators of each parent among themselves (COINr style; higher levels keep
        their weights). ``all``: weigh all indicators together, and give every aggregate the sum of its
        indicators' weights, so that the index is ``Σ w_j·x_j`` (common Chinese practice).
    pooled : bool
        For panels, compute weights from all unit-years together (panel entropy); otherwise from
        the latest year.

    Examples
    --------
    >>> from xietong.composite import Dataset, Framework, Node
    >>> fw = Framework.from_nodes([Node("a", parent="I"), Node("b", parent="I"), Node("I", kind="Aggregate", level=2)])
    >>> data = Dataset.from_arrays([[1.0, 1.0], [2.0, 1.0], [3.0, 5.0]], units="xyz", columns=["a", "b"])
    >>> {k: round(v, 3) for k, v in Weighter(method="entropy").fit(data, fw).weights_.items()}
    {'a': 0.224, 'b': 0.776}
    """

    kind = "weight"
    uses_weights = True
    stage = ""

    def __init__(
        self, *, method: str | Mapping[str, float] = "given", scope: str = "node", pooled: bool = True
    ):
        self.method = method
        self.scope = scope
        self.pooled = pooled

    def fit(self, data: Dataset, framework: Framework) -> Weighter:
        if isinstance(self.method, Mapping):
            self.weights_ = {k: float(v) for k, v in self.method.items()}
            return self
        if self.method == "given":
            self.weights_ = {}
            return self
        if self.method not in WEIGHT_FUNCTIONS:
            raise unknown_option("method", self.method, ["given", *WEIGHT_FUNCTIONS])
        function = WEIGHT_FUNCTIONS[self.method]
        rows = data.values[data.present] if self.pooled else data.values[-1][data.present[-1]]
        index = {c: i for i, c in enumerate(data.columns)}
        weights: dict[str, float] = {}
        if self.scope == "all":
            codes = list(framework.indicators)
            learned = function(rows[:, [index[c] for c in codes]], codes=codes)
            weights.update(zip(codes, learned.tolist(), strict=True))
            for code in framework.aggregates:  # lower levels first, so children are known
                children = framework.children(code)
                weights[code] = sum(weights[c] for c in children)
                if weights[code] == 0:  # nothing below varies: the parent weighs 0, so its children's
                    weights.update({c: framework.by_code[c].weight for c in children})  # weights are moot
        elif self.scope == "node":
            parents = dict.fromkeys(framework.by_code[c].parent for c in framework.indicators)
            for parent in parents:
                codes = list(framework.children(parent))
                block = rows[:, [index[c] for c in codes]]
                w = function(block, codes=codes) if len(codes) > 1 else np.ones(1)
                weights.update(zip(codes, w.tolist(), strict=True))
        else:
            raise unknown_option("scope", self.scope, ["node", "all"])
        self.weights_ = weights
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "weights_")
        return data

    def update_framework(self, framework: Framework) -> Framework:
        check_fitted(self, "weights_")
        return framework.with_weights(self.weights_) if self.weights_ else framework
