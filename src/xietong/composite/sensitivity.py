"""Uncertainty and sensitivity analysis of the ranks (COINr's ``get_sensitivity`` and ``remove_elements``).

Every uncertain input is a list of discrete alternatives (a step option, or a set of weights); a
design point in [0, 1) picks one. Runs share a cache, so steps before the first changed one are
computed once, which is what makes 120 runs take well under a second.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .data import Dataset
from .errors import StepError, unknown_option
from .framework import Framework
from .pipeline import Pipeline


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain choice.

    Parameters
    ----------
    name : str
        Label in the results.
    alternatives : sequence
        For a step option: the values of ``parameter`` of step ``step``; a value may also be a dict of
        several parameters. For weights (``step=None``): mappings iCode → weight.
    step, parameter : str, optional
        Pipeline step name (e.g. ``"Treated"``) and parameter (e.g. ``"winmax"``).
    """

    name: str
    alternatives: tuple
    step: str | None = None
    parameter: str | None = None

    def pick(self, u: float) -> Any:
        return self.alternatives[min(int(u * len(self.alternatives)), len(self.alternatives) - 1)]

    @classmethod
    def noisy_weights(
        cls,
        framework: Framework,
        *,
        name: str = "Weights",
        noise: float = 0.25,
        level: int | None = None,
        n: int = 100,
        seed: int = 0,
    ) -> UncertainInput:
        """Weight sets drawn by multiplying each weight by ``1 + U(−noise, noise)`` (COINr ``get_noisy_weights``)."""
        rng = np.random.default_rng(seed)
        codes = [
            c for c, w in framework.weights().items() if level is None or framework.by_code[c].level == level
        ]
        base = np.array([framework.by_code[c].weight for c in codes])
        draws = base * (1.0 + rng.uniform(-noise, noise, size=(n, len(codes))))
        return cls(
            name=name, alternatives=tuple(dict(zip(codes, row.tolist(), strict=True)) for row in draws)
        )


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Replications and summaries.

    Attributes
    ----------
    parameters : DataFrame
        One row per run: the design point and the alternative picked for every input.
    ranks, scores : DataFrame
        Runs × units ranks and index scores.
    nominal_ranks : Series
    rank_statistics : DataFrame
        Per unit: nominal, median, 5 % and 95 % rank, mean absolute rank change.
    sobol : DataFrame or None
        First-order ``S1`` and total ``ST`` Sobol' indices of the mean absolute rank change (SA only).
    """

    parameters: pd.DataFrame
    ranks: pd.DataFrame
    scores: pd.DataFrame
    nominal_ranks: pd.Series
    rank_statistics: pd.DataFrame
    output: np.ndarray
    sobol: pd.DataFrame | None = None
    extra: dict = field(default_factory=dict)


def _run_one(pipeline: Pipeline, data: Dataset, framework: Framework, inputs, row, cache):
    changes: dict[str, dict[str, Any]] = {}
    picked = {}
    for spec, u in zip(inputs, row, strict=True):
        value = spec.pick(u)
        picked[spec.name] = value
        if spec.step is None:
            framework = framework.with_weights(value)
        elif isinstance(value, Mapping) and spec.parameter is None:
            changes.setdefault(spec.step, {}).update(value)
        else:
            changes.setdefault(spec.step, {})[spec.parameter] = value
    for step, params in changes.items():
        pipeline = pipeline.replace(step, **params)
    result = pipeline.run(data, framework, cache=cache)
    return result, picked


def sensitivity_analysis(
    data: Dataset,
    framework: Framework,
    pipeline: Pipeline,
    inputs: Sequence[UncertainInput],
    *,
    n: int = 20,
    kind: str = "SA",
    seed: int = 0,
    time_index: int = -1,
) -> SensitivityResult:
    """Run the pipeline over a design of the uncertain inputs and summarise the index ranks.

    ``kind="SA"``: Saltelli design for first-order and total Sobol' indices, ``n·(d + 2)`` runs
    (d inputs; e.g. 4 inputs, n = 20 → 120 runs). ``kind="UA"``: ``n`` random runs, no indices.
    The output analysed is each run's mean absolute rank change against the nominal ranks.

    Examples
    --------
    >>> # see tests/composite/test_sensitivity.py for a full example on the ASEM data
    """
    if not inputs:
        raise StepError("give at least one uncertain input", code="no_inputs")
    d = len(inputs)
    problem = {"num_vars": d, "names": [i.name for i in inputs], "bounds": [[0.0, 1.0]] * d}
    if kind == "SA":
        from SALib.sample import sobol as sobol_sample

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2
            design = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    elif kind == "UA":
        design = np.random.default_rng(seed).uniform(size=(n, d))
    else:
        raise unknown_option("kind", kind, ["SA", "UA"])
    cache: dict = {}
    nominal = pipeline.run(data, framework, cache=cache)
    present = nominal.data.present[time_index]
    units = np.asarray(nominal.data.units)[present]
    nominal_ranks = nominal.ranks()[time_index][present]
    ranks = np.empty((len(design), len(units)))
    scores = np.empty_like(ranks)
    picked_rows = []
    for r, row in enumerate(design):  # runs are sequential by nature; each run is vectorised
        result, picked = _run_one(pipeline, data, framework, inputs, row, cache)
        ranks[r] = result.ranks()[time_index][present]
        scores[r] = result.data.column(framework.root)[time_index][present]
        picked_rows.append(
            {
                **{f"u_{k}": v for k, v in zip(problem["names"], row, strict=True)},
                **{k: repr(v) if isinstance(v, Mapping) else v for k, v in picked.items()},
            }
        )
    output = np.abs(ranks - nominal_ranks).mean(axis=1)
    stats = pd.DataFrame(
        {
            "uCode": units,
            "nominal": nominal_ranks,
            "median": np.median(ranks, axis=0),
            "q05": np.quantile(ranks, 0.05, axis=0),
            "q95": np.quantile(ranks, 0.95, axis=0),
            "mean_abs_change": np.abs(ranks - nominal_ranks).mean(axis=0),
        }
    )
    sobol = None
    if kind == "SA":
        from SALib.analyze import sobol as sobol_analyze

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2
            indices = sobol_analyze.analyze(problem, output, calc_second_order=False, seed=seed)
        sobol = pd.DataFrame(
            {
                "input": problem["names"],
                "S1": indices["S1"],
                "ST": indices["ST"],
                "S1_conf": indices["S1_conf"],
                "ST_conf": indices["ST_conf"],
            }
        )
    return SensitivityResult(
        parameters=pd.DataFrame(picked_rows),
        ranks=pd.DataFrame(ranks, columns=units),
        scores=pd.DataFrame(scores, columns=units),
        nominal_ranks=pd.Series(nominal_ranks, index=units),
        rank_statistics=stats,
        output=output,
        sobol=sobol,
    )


def remove_one(
    data: Dataset,
    framework: Framework,
    pipeline: Pipeline,
    *,
    level: int = 1,
    time_index: int = -1,
) -> pd.DataFrame:
    """Remove each component of ``level`` in turn (weight 0) and measure the rank changes of the index.

    Components that are the only child of their parent cannot be removed and are skipped. Weights that
    the pipeline learns from the data (entropy, CRITIC, PCA) are frozen as learned in the nominal run;
    otherwise learning them again would give the removed component its weight back.
    """
    cache: dict = {}
    nominal = pipeline.run(data, framework, cache=cache)
    if "weight" in [name for name, _ in pipeline.steps]:
        framework = nominal.framework
        pipeline = pipeline.replace("weight", method="given")
        cache = {}
        nominal = pipeline.run(data, framework, cache=cache)
    present = nominal.data.present[time_index]
    base = nominal.ranks()[time_index][present]
    rows = []
    codes = framework.indicators if level == 1 else framework.aggregates_at(level)
    for code in codes:
        parent = framework.by_code[code].parent
        if parent is None or len(framework.children(parent)) < 2:
            continue
        result = pipeline.run(data, framework.with_weights({code: 0.0}), cache=cache)
        ranks = result.ranks()[time_index][present]
        rows.append(
            {
                "iCode": code,
                "mean_abs_rank_change": float(np.abs(ranks - base).mean()),
                "max_abs_rank_change": float(np.abs(ranks - base).max()),
            }
        )
    return pd.DataFrame(rows)
