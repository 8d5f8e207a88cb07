"""Run steps in order, keeping every intermediate data set (COINr's ``.$Data``) and the final framework."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .data import Dataset
from .errors import CompositeWarning, StepError, collecting_warnings, warn
from .framework import Framework
from .stats import rank_min_descending
from .steps.base import STEP_TYPES, Step


def rank_scores(scores: np.ndarray) -> np.ndarray:
    """Rank units high-to-low within each year (rows = years, columns = units), ties get the min rank.

    Examples
    --------
    >>> rank_scores(np.array([[50.0, 70.0, 70.0, 10.0]])).tolist()
    [[3.0, 1.0, 1.0, 4.0]]
    """
    return rank_min_descending(np.asarray(scores, dtype=float).T).T


@dataclass(frozen=True, eq=False)
class Result:
    """What a pipeline run produced.

    Attributes
    ----------
    datasets : dict of str to Dataset
        ``Raw`` and one entry per step, in order (``Denominated``, ``Imputed``, …, ``Aggregated``).
    framework : Framework
        The framework after weighting steps (the weights actually used).
    steps : tuple of (name, fitted step)
    warnings : tuple of CompositeWarning
        What the steps handled but the user should know (constant indicators, infinite cells …).
    """

    datasets: dict[str, Dataset]
    framework: Framework
    steps: tuple[tuple[str, Step], ...]
    warnings: tuple[CompositeWarning, ...] = ()

    @property
    def data(self) -> Dataset:
        return next(reversed(self.datasets.values()))

    def ranks(self, code: str | None = None) -> np.ndarray:
        """Ranks of ``code`` (default the index) per year: shape (years, units), NaN when absent."""
        return rank_scores(self.data.column(code or self.framework.root))

    def scores(self, *, time: int | None = None) -> pd.DataFrame:
        """One row per unit (and year): ``uCode``, [``Time``], ``Rank``, then every aggregate, top level first."""
        data = self.data
        codes = [c for c in reversed(self.framework.aggregates) if c in data.columns]
        frame = data.to_frame(columns=codes)
        ranks = self.ranks()
        t_index, u_index = np.nonzero(data.present)
        frame.insert(2, "Rank", ranks[t_index, u_index])
        frame = frame[["uCode", "Time", "Rank", *codes]]
        if time is not None:
            frame = frame[frame["Time"] == time]
        if len(data.times) == 1 or time is not None:
            frame = frame.drop(columns="Time")
        frame["Rank"] = frame["Rank"].astype("Int64")
        return frame.reset_index(drop=True)

    def weights(self) -> pd.DataFrame:
        """Weights used, labelled by where they came from, with each indicator's effective share."""
        table = self.framework.to_table()[["iCode", "Level", "Parent", "Weight", "Type"]]
        table = table[table["Type"].isin(["Indicator", "Aggregate"])].copy()
        source = dict.fromkeys(table["iCode"], "given")
        for _, step in self.steps:
            learned = getattr(step, "weights_", None)
            if learned:
                label = "custom" if isinstance(step.method, Mapping) else f"{step.method} ({step.scope})"
                source.update(dict.fromkeys(learned, label))
        table["Source"] = table["iCode"].map(source)
        table["Effective"] = table["iCode"].map(self.framework.effective_weights(every_level=True))
        table["Level"] = table["Level"].astype("Int64")
        return table.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Pipeline:
    """An ordered list of named steps.

    Steps are copied before fitting, so a pipeline can be run many times (the sensitivity analysis
    does). ``cache`` lets repeated runs reuse the leading steps whose parameters did not change.

    Examples
    --------
    >>> from xietong.composite import Dataset, Framework, Node, Normaliser, Aggregator
    >>> fw = Framework.from_nodes([Node("a", parent="I"), Node("b", parent="I"), Node("I", kind="Aggregate", level=2)])
    >>> data = Dataset.from_arrays([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]], units="xyz", columns=["a", "b"])
    >>> result = Pipeline.of(Normaliser(), Aggregator()).run(data, fw)
    >>> result.scores()["Rank"].tolist()
    [2, 3, 1]
    """

    steps: tuple[tuple[str, Step], ...]

    @classmethod
    def of(cls, *steps: Step) -> Pipeline:
        named: list[tuple[str, Step]] = []
        for step in steps:
            named.append((_unique(step.stage or step.kind, [n for n, _ in named]), step))
        return cls(steps=tuple(named))

    @classmethod
    def from_specs(cls, specs: Sequence[Mapping[str, Any]]) -> Pipeline:
        """Build from plain data: ``[{"kind": "impute", "method": "group_mean", ...}, ...]``."""
        steps: list[tuple[str, Step]] = []
        for position, spec in enumerate(specs, start=1):
            spec = dict(spec)
            kind = spec.pop("kind", None)
            name = spec.pop("name", None)
            if kind not in STEP_TYPES:
                raise StepError(
                    "step {position}: unknown kind '{kind}'; choose one of {choices}",
                    code="unknown_step", position=position, kind=str(kind), choices=sorted(STEP_TYPES),
                )  # fmt: skip
            _require_parameters(STEP_TYPES[kind], spec, position)
            step = STEP_TYPES[kind](**spec)
            steps.append((_unique(name or step.stage or kind, [n for n, _ in steps]), step))
        return cls(steps=tuple(steps))

    def replace(self, name: str, **params: Any) -> Pipeline:
        """A pipeline with one step's parameters changed."""
        names = [n for n, _ in self.steps]
        if name not in names:
            raise StepError("the pipeline has no step '{name}'", code="unknown_step", name=name)
        return Pipeline(steps=tuple((n, s.with_params(**params) if n == name else s) for n, s in self.steps))

    def run(
        self,
        data: Dataset,
        framework: Framework,
        *,
        cache: MutableMapping | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> Result:
        """Run every step; ``progress(done, total, step name)`` is called before each step.

        :class:`~xietong.composite.CompositeWarning` raised by the steps are collected (once each)
        into :attr:`Result.warnings` rather than printed.
        """
        with collecting_warnings() as caught:
            result = self._run(data, framework, cache=cache, progress=progress)
        found: dict[str, CompositeWarning] = {}
        for warning in caught:  # once each: a sensitivity analysis repeats the same steps
            found.setdefault(str(warning), warning)
        return replace(result, warnings=tuple(found.values()))

    def _run(self, data: Dataset, framework: Framework, *, cache, progress) -> Result:
        if data.values.size == 0 or not data.present.any():
            raise StepError("the data set has no units or no indicators", code="no_rows")
        data = _finite_input(data)
        datasets = {"Raw": data}
        fitted: list[tuple[str, Step]] = []
        key: tuple = ()
        for done, (name, template) in enumerate(self.steps):
            if progress is not None:
                progress(done, len(self.steps), name)
            signature = tuple(sorted(framework.weights().items())) if template.uses_weights else None
            key = (*key, (name, type(template).__name__, repr(template.get_params()), signature))
            if cache is not None and key in cache:
                data, step = cache[key]
            else:
                step = template.with_params()
                data = step.fit_transform(data, framework)
                if cache is not None:
                    cache[key] = (data, step)
            framework = step.update_framework(framework)  # the run's own framework, never a cached one
            fitted.append((name, step))
            if step.stage:
                datasets[name] = data
        return Result(datasets=datasets, framework=framework, steps=tuple(fitted))


def _require_parameters(step_type: type[Step], spec: Mapping[str, Any], position: int) -> None:
    """An unknown key in a step's specification is the user's error, not a TypeError."""
    accepted = set(inspect.signature(step_type.__init__).parameters) - {"self"}
    unknown = sorted(set(spec) - accepted)
    if unknown:
        raise StepError(
            "step {position} ({kind}): unknown parameter '{parameter}'; its parameters are {choices}",
            code="unknown_parameter", position=position, kind=step_type.kind, parameter=unknown[0],
            choices=sorted(accepted),
        )  # fmt: skip


def _finite_input(data: Dataset) -> Dataset:
    """Infinite cells become missing, with a warning: ``inf`` is never used as a number."""
    infinite = np.isinf(data.values)
    extra_infinite = {k: np.isinf(v) for k, v in data.extra.items() if np.isinf(v).any()}
    if not infinite.any() and not extra_infinite:
        return data
    codes = [c for j, c in enumerate(data.columns) if infinite[:, :, j].any()] + sorted(extra_infinite)
    warn(
        CompositeWarning(
            "{count} infinite values in {codes} were treated as missing",
            code="infinite_values",
            params={
                "count": int(infinite.sum() + sum(m.sum() for m in extra_infinite.values())),
                "codes": codes,
            },
        )
    )
    extra = {k: np.where(np.isinf(v), np.nan, v) for k, v in data.extra.items()}
    return replace(data.with_values(np.where(infinite, np.nan, data.values)), extra=extra)


def _unique(name: str, taken: list[str]) -> str:
    if name not in taken:
        return name
    suffix = 2
    while f"{name}{suffix}" in taken:
        suffix += 1
    return f"{name}{suffix}"
