"""Objective weights (entropy, CRITIC, PCA) and the step that writes them into the framework.

The textbook formulas are used unchanged (no added epsilon, ``0·ln 0 = 0`` only for that term) so that
published worked examples are reproduced exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data import Dataset
from ..errors import StepError
from ..framework import Framework
from .base import Step, check_fitted


def _matrix(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        raise StepError("计算客观权重至少需要 2 个样本", code="too_few_rows")
    return x[~np.isnan(x).any(axis=1)]


def entropy_weights(x) -> np.ndarray:
    """Entropy weights of the columns of ``x`` (rows = units, non-negative values, used as given).

    ``p_ij = x_ij / Σ_i x_ij``, ``e_j = −Σ_i p_ij ln p_ij / ln n``, ``w_j = (1 − e_j) / Σ (1 − e_k)``.
    Rows with a missing value are left out (the formula needs complete rows).

    Examples
    --------
    >>> entropy_weights([[1.0, 2.0], [1.0, 4.0], [1.0, 6.0]]).round(6).tolist()
    [0.0, 1.0]
    """
    x = _matrix(x)
    if (x < 0).any():
        raise StepError("熵权法要求数据非负，请先标准化（可加平移量）", code="negative_values")
    n = x.shape[0]
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(n)
    diversity = 1.0 - entropy
    return diversity / diversity.sum()


def critic_weights(x, *, directions=None) -> np.ndarray:
    """CRITIC weights: contrast (standard deviation) × conflict (Σ 1 − r) after min-max to [0, 1].

    ``directions`` (1 benefit, −1 cost) decides the min-max orientation; all benefit by default.

    Examples
    --------
    >>> critic_weights([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]).round(6).tolist()
    [0.5, 0.5]
    """
    x = _matrix(x)
    d = np.ones(x.shape[1]) if directions is None else np.asarray(directions, float)
    x = x * d
    scaled = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    sd = scaled.std(axis=0, ddof=1)
    r = np.corrcoef(scaled, rowvar=False)
    information = sd * (1.0 - r).sum(axis=0)
    return information / information.sum()


def pca_weights(x, *, style: str = "coinr", variance_share: float = 0.85) -> np.ndarray:
    """PCA weights, in one of two labelled conventions.

    ``style="coinr"``: the loadings of the first principal component of the correlation matrix
    (sign chosen so they sum positive), rescaled to sum to 1 — what COINr's ``get_PCA`` offers.
    ``style="cn"``: common Chinese practice — keep components up to ``variance_share`` cumulative
    variance, score coefficient ``Σ_k λ_k·a_jk / Σ_k λ_k`` (``a`` the unit eigenvectors), absolute values
    rescaled to sum to 1.

    Examples
    --------
    >>> pca_weights([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9]]).round(3).tolist()
    [0.5, 0.5]
    """
    x = _matrix(x)
    corr = np.corrcoef(x, rowvar=False)
    eigenvalues, vectors = np.linalg.eigh(corr)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    vectors = vectors * np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)
    if style == "coinr":
        loadings = vectors[:, 0]
        return loadings / loadings.sum()
    if style != "cn":
        raise StepError(f"未知的主成分赋权方式“{style}”", code="bad_option", option="style")
    share = np.cumsum(eigenvalues) / eigenvalues.sum()
    keep = int(np.searchsorted(share, variance_share) + 1)
    coefficient = np.abs((vectors[:, :keep] * eigenvalues[:keep]).sum(axis=1) / eigenvalues[:keep].sum())
    return coefficient / coefficient.sum()


WEIGHT_FUNCTIONS = {
    "entropy": entropy_weights,
    "critic": critic_weights,
    "pca": pca_weights,
    "pca-cn": lambda x: pca_weights(x, style="cn"),
    "equal": lambda x: np.full(np.asarray(x).shape[1], 1.0 / np.asarray(x).shape[1]),
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
            raise StepError(f"未知的赋权方法“{self.method}”", code="bad_option", option="method")
        function = WEIGHT_FUNCTIONS[self.method]
        rows = data.values[data.present] if self.pooled else data.values[-1][data.present[-1]]
        index = {c: i for i, c in enumerate(data.columns)}
        weights: dict[str, float] = {}
        if self.scope == "all":
            codes = list(framework.indicators)
            weights.update(zip(codes, function(rows[:, [index[c] for c in codes]]).tolist(), strict=True))
            for code in framework.aggregates:  # lower levels first, so children are known
                weights[code] = sum(weights[c] for c in framework.children(code))
        elif self.scope == "node":
            parents = dict.fromkeys(framework.by_code[c].parent for c in framework.indicators)
            for parent in parents:
                codes = list(framework.children(parent))
                block = rows[:, [index[c] for c in codes]]
                w = function(block) if len(codes) > 1 else np.ones(1)
                weights.update(zip(codes, w.tolist(), strict=True))
        else:
            raise StepError(f"未知的赋权范围“{self.scope}”", code="bad_option", option="scope")
        self.weights_ = weights
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "weights_")
        return data

    def update_framework(self, framework: Framework) -> Framework:
        check_fitted(self, "weights_")
        return framework.with_weights(self.weights_) if self.weights_ else framework
