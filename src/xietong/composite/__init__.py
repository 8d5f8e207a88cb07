"""Xietong composite-indicator engine (no Django): COINr-compatible pipeline plus Chinese methods.

The flow mirrors COINr (Becker et al. 2022, JOSS 7(78):4567): a framework (iMeta) and data (iData)
go through steps — denominate, impute, screen, treat, normalise, weight, aggregate — each a class
with a function twin; presets are data; results keep every intermediate data set.

>>> from xietong.composite import Dataset, Framework, Node, preset_pipeline
>>> fw = Framework.from_nodes([Node("a", parent="I"), Node("b", parent="I", direction=-1),
...                            Node("I", kind="Aggregate", level=2)])
>>> data = Dataset.from_arrays([[1.0, 9.0], [2.0, 5.0], [3.0, 1.0]], units=["x", "y", "z"], columns=["a", "b"])
>>> preset_pipeline("coinr").run(data, fw).scores().values.tolist()
[['x', 3, 0.0], ['y', 2, 50.0], ['z', 1, 100.0]]
"""

from .audit import cronbach_alpha, group_correlations, indicator_statistics, parent_correlations
from .coupling import DEFAULT_BANDS, CouplingResult, band_of, coupling_coordination, coupling_degree
from .data import Dataset, dataset_from_table, gb2260_codes, read_table
from .errors import CompositeError, CompositeWarning, DataError, FrameworkError, Issue, StepError
from .framework import Framework, Node
from .panel import cagr, fixed_base_index, prc_change, year_on_year
from .pipeline import Pipeline, Result, rank_scores
from .presets import PRESETS, preset_pipeline
from .sensitivity import SensitivityResult, UncertainInput, remove_one, sensitivity_analysis
from .stats import nan_kurt, nan_skew
from .steps import (
    STEP_TYPES,
    Aggregator,
    Denominator,
    Imputer,
    Normaliser,
    OutlierTreater,
    Screener,
    Step,
    Weighter,
    aggregate,
    critic_weights,
    denominate,
    entropy_weights,
    impute,
    normalise,
    passes_skew_kurt,
    pca_weights,
    screen,
    treat,
    weighted_mean,
    winsorise_bounds,
)

__all__ = [
    "DEFAULT_BANDS",
    "PRESETS",
    "STEP_TYPES",
    "Aggregator",
    "CompositeError",
    "CompositeWarning",
    "CouplingResult",
    "DataError",
    "Dataset",
    "Denominator",
    "Framework",
    "FrameworkError",
    "Imputer",
    "Issue",
    "Node",
    "Normaliser",
    "OutlierTreater",
    "Pipeline",
    "Result",
    "Screener",
    "SensitivityResult",
    "Step",
    "StepError",
    "UncertainInput",
    "Weighter",
    "aggregate",
    "band_of",
    "cagr",
    "coupling_coordination",
    "coupling_degree",
    "critic_weights",
    "cronbach_alpha",
    "dataset_from_table",
    "denominate",
    "entropy_weights",
    "fixed_base_index",
    "gb2260_codes",
    "group_correlations",
    "impute",
    "indicator_statistics",
    "nan_kurt",
    "nan_skew",
    "normalise",
    "parent_correlations",
    "passes_skew_kurt",
    "pca_weights",
    "prc_change",
    "preset_pipeline",
    "rank_scores",
    "read_table",
    "remove_one",
    "screen",
    "sensitivity_analysis",
    "treat",
    "weighted_mean",
    "winsorise_bounds",
    "year_on_year",
]
