"""Coupling coordination (耦合协调度) among n subsystems, with configurable grading bands.

Two coupling forms are offered: the normative ``C = n·(ΠU)^(1/n) / ΣU`` (the ratio of geometric to
arithmetic mean, in [0, 1]), and the modified form of 王淑佳、孔伟、任亮、等 (2021)《国内耦合协调度
模型的误区及修正》, 自然资源学报 36(3): 793–810, which spreads C over [0, 1] more usefully:
``C = sqrt( [1 − Σ_{i<j} |U_i − U_j| / Σ_{m=1}^{n−1} m] · Π_i (U_i / max U)^(1/(n−1)) )``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import StepError, unknown_option

# Uniform 10 bands over [0, 1]: lower edge inclusive, the last band also includes 1.
DEFAULT_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "极度失调"),
    (0.1, "严重失调"),
    (0.2, "中度失调"),
    (0.3, "轻度失调"),
    (0.4, "濒临失调"),
    (0.5, "勉强协调"),
    (0.6, "初级协调"),
    (0.7, "中级协调"),
    (0.8, "良好协调"),
    (0.9, "优质协调"),
)


@dataclass(frozen=True, eq=False)
class CouplingResult:
    """Per observation: coupling ``C``, development ``T``, coordination ``D`` and its band label."""

    C: np.ndarray
    T: np.ndarray
    D: np.ndarray
    band: np.ndarray


def coupling_degree(u, *, form: str = "normative") -> np.ndarray:
    """Coupling degree C of each row of ``u`` (rows = observations, columns = the n subsystems in [0, 1]).

    Examples
    --------
    >>> coupling_degree([[0.5, 0.5], [0.2, 0.8]]).round(6).tolist()
    [1.0, 0.8]
    >>> coupling_degree([[0.2, 0.8]], form="modified").round(6).tolist()
    [0.316228]
    """
    u = np.atleast_2d(np.asarray(u, dtype=float))
    n = u.shape[1]
    if n < 2:
        raise StepError("coupling needs at least 2 subsystems", code="too_few_subsystems")
    if np.any(u < 0):
        raise StepError("subsystem scores must not be negative", code="negative_values")
    with np.errstate(divide="ignore", invalid="ignore"):
        if form == "normative":
            # C is scale-free, so divide by each row's maximum first: tiny (subnormal) values would
            # otherwise underflow in the mean and give 0/0.
            scaled = u / u.max(axis=1, keepdims=True)
            geometric = np.exp(np.log(scaled).mean(axis=1))
            c = geometric / scaled.mean(axis=1)  # n·(ΠU)^(1/n)/ΣU
        elif form == "modified":
            i, j = np.triu_indices(n, k=1)
            spread = np.abs(u[:, i] - u[:, j]).sum(axis=1) / (n * (n - 1) / 2)
            ratio = np.prod(u / u.max(axis=1, keepdims=True), axis=1) ** (1.0 / (n - 1))
            c = np.sqrt(np.clip(1.0 - spread, 0.0, None) * ratio)
        else:
            raise unknown_option("form", form, ["normative", "modified"])
    c = np.where(u.max(axis=1) == 0, 0.0, c)  # all subsystems at zero: no coupling
    return np.clip(c, 0.0, 1.0)


def band_of(d, bands: Sequence[tuple[float, str]] = DEFAULT_BANDS) -> np.ndarray:
    """Band label of each D: the band whose lower edge is the largest one ≤ D.

    Examples
    --------
    >>> band_of([0.0, 0.1, 0.0999, 0.95, 1.0]).tolist()
    ['极度失调', '严重失调', '极度失调', '优质协调', '优质协调']
    """
    edges = np.array([edge for edge, _ in bands], float)
    labels = np.array([label for _, label in bands], dtype=object)
    d = np.asarray(d, float)
    position = np.searchsorted(edges, d, side="right") - 1
    out = labels[np.clip(position, 0, len(labels) - 1)]
    return np.where(np.isnan(d) | (position < 0), None, out)


def coupling_coordination(
    u,
    *,
    weights: Sequence[float] | None = None,
    form: str = "normative",
    bands: Sequence[tuple[float, str]] = DEFAULT_BANDS,
) -> CouplingResult:
    """Coupling coordination: ``T = Σ α_i U_i`` (α sums to 1, equal by default), ``D = √(C·T)``.

    Examples
    --------
    >>> r = coupling_coordination([[0.5, 0.5]])
    >>> float(r.C[0]), float(r.T[0]), round(float(r.D[0]), 6), r.band[0]
    (1.0, 0.5, 0.707107, '中级协调')
    """
    u = np.atleast_2d(np.asarray(u, dtype=float))
    n = u.shape[1]
    alpha = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, float)
    if alpha.shape != (n,) or np.any(alpha < 0) or not np.isclose(alpha.sum(), 1.0):
        raise StepError(
            "subsystem weights must be non-negative, sum to 1 and be as many as the subsystems",
            code="bad_subsystem_weights",
        )
    c = coupling_degree(u, form=form)
    t = u @ alpha
    d = np.sqrt(c * t)
    return CouplingResult(C=c, T=t, D=d, band=band_of(d, bands))
