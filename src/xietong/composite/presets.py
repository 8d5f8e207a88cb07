"""Presets are data: lists of step specifications, turned into pipelines by :func:`preset_pipeline`."""

from __future__ import annotations

import copy
from typing import Any

from .errors import StepError
from .pipeline import Pipeline

PRESETS: dict[str, dict[str, Any]] = {
    "coinr": {
        "label": "COINr 1.1.14 build_example_coin() 默认流程",
        "steps": [
            {"kind": "denominate"},
            {"kind": "impute", "method": "group_mean", "group": "EurAsia_group", "fallback": "mean"},
            {"kind": "screen", "min_availability": 0.9},
            {
                "kind": "treat",
                "method": "winsorise",
                "winmax": 5,
                "skew_threshold": 2.0,
                "kurt_threshold": 3.5,
                "fallback": "log",
            },
            {"kind": "normalise", "method": "minmax", "lower": 0.0, "upper": 100.0},
            {"kind": "aggregate", "method": "arithmetic"},
        ],
    },
    "coinr-panel": {
        "label": "COINr 1.1.14 build_example_purse()：逐年筛选与处理，跨年统一 min-max",
        "steps": [
            {"kind": "screen", "min_availability": 0.9},
            {
                "kind": "treat",
                "method": "winsorise",
                "winmax": 5,
                "skew_threshold": 2.0,
                "kurt_threshold": 3.5,
                "fallback": "log",
            },
            {"kind": "normalise", "method": "minmax", "lower": 0.0, "upper": 100.0, "pooled": True},
            {"kind": "aggregate", "method": "arithmetic"},
        ],
    },
    "cn-entropy": {
        "label": "熵权法（国内常用）：跨年统一极差标准化并平移 0.0001，面板熵权，加权求和",
        "steps": [
            {"kind": "denominate"},
            {"kind": "impute", "method": "linear"},
            {"kind": "impute", "method": "mean", "name": "Imputed2"},
            {
                "kind": "normalise",
                "method": "minmax",
                "lower": 0.0,
                "upper": 1.0,
                "pooled": True,
                "shift": 0.0001,
            },
            {"kind": "weight", "method": "entropy", "scope": "all", "pooled": True},
            {"kind": "aggregate", "method": "arithmetic"},
        ],
    },
}


def preset_pipeline(name: str, **overrides: dict[str, Any]) -> Pipeline:
    """Pipeline of a preset; ``overrides`` maps a step name (``"Treated"``) to changed parameters.

    Examples
    --------
    >>> [n for n, _ in preset_pipeline("coinr").steps]
    ['Denominated', 'Imputed', 'Screened', 'Treated', 'Normalised', 'Aggregated']
    """
    if name not in PRESETS:
        raise StepError(
            "unknown preset '{name}'; choose one of {choices}",
            code="unknown_preset",
            name=name,
            choices=list(PRESETS),
        )
    pipeline = Pipeline.from_specs(copy.deepcopy(PRESETS[name]["steps"]))
    for step_name, params in overrides.items():
        pipeline = pipeline.replace(step_name, **params)
    return pipeline
