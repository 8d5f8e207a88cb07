"""The run's sensitivity analyses: remove-one (每次剔除一项) and rank uncertainty with optional Sobol' indices."""

from __future__ import annotations

import math
from typing import Any

from xietong import composite as engine
from xietong.evaluation.engine_errors import remap_error


def json_number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def remove_one(
    data: engine.Dataset, result: engine.Result, pipeline: engine.Pipeline, level1, level2
) -> dict[str, list[dict[str, Any]]]:
    """Rank changes of the index when each 一级 (and 二级) component is removed in turn (weight 0).

    The engine freezes weights learned from the data (entropy, CRITIC …), so a removal is not undone.
    """
    framework = result.framework
    out: dict[str, list[dict[str, Any]]] = {}
    for key, codes in (("level1", level1), ("level2", level2)):
        if not codes:
            continue
        try:
            table = engine.remove_one(data, framework, pipeline, level=framework.by_code[codes[0]].level)
        except engine.CompositeError as error:
            raise remap_error(error) from error
        out[key] = [
            {"iCode": r["iCode"], "mean_abs_rank_change": float(r["mean_abs_rank_change"]),
             "max_abs_rank_change": int(r["max_abs_rank_change"])}
            for r in table.to_dict("records")
        ]  # fmt: skip
    return out


def rank_uncertainty(data, framework, pipeline, options, level1) -> dict[str, Any] | None:
    """Rank intervals under uncertain weighting and aggregation (COINr-style uncertainty analysis).

    ``sensitivity_method = "sobol"``: a Saltelli design of about the same number of runs (base sample
    ``runs / (d + 2)``, at least 2) and the first-order and total Sobol' indices of the mean absolute
    rank change.
    """
    n = int(options.get("sensitivity_runs") or 0)
    if n == 0:
        return None
    is_sobol = options.get("sensitivity_method") == "sobol"
    names = [name for name, _ in pipeline.steps]
    inputs = []
    if "weight" in names:
        inputs.append(
            engine.UncertainInput(
                "赋权方法", ("entropy", "critic", "equal"), step="weight", parameter="method"
            )
        )
    else:
        inputs.append(
            engine.UncertainInput.noisy_weights(
                framework, name="权重扰动 ±25%", level=framework.by_code[level1[0]].level, n=64
            )
        )
    inputs.append(
        engine.UncertainInput(
            "加总方法", ({"method": "arithmetic"}, {"method": "generalised", "power": 0.5}), step="Aggregated"
        )
    )
    base = max(2, n // (len(inputs) + 2)) if is_sobol else n
    try:
        analysis = engine.sensitivity_analysis(
            data, framework, pipeline, inputs, n=base, kind="SA" if is_sobol else "UA", seed=0
        )
    except engine.CompositeError as error:
        raise remap_error(error) from error
    stats = analysis.rank_statistics
    sobol = None
    if analysis.sobol is not None:
        sobol = [
            {"input": r["input"], "S1": json_number(r["S1"]), "ST": json_number(r["ST"]),
             "S1_conf": json_number(r["S1_conf"]), "ST_conf": json_number(r["ST_conf"])}
            for r in analysis.sobol.to_dict("records")
        ]  # fmt: skip
    return {
        "method": "sobol" if is_sobol else "ua",
        "runs": len(analysis.parameters),
        "sobol": sobol,
        "inputs": [i.name for i in inputs],
        "rows": [
            {"uCode": r["uCode"], "nominal": int(r["nominal"]), "median": float(r["median"]), "q05": float(r["q05"]),
             "q95": float(r["q95"]), "mean_abs_change": float(r["mean_abs_change"])}
            for r in stats.to_dict("records")
        ],
    }  # fmt: skip
