"""From stored framework versions and data sets to the engine (xietong.composite) and back to plain results.

No database writes here: services call these functions and store what they return. Engine errors are
turned into ``Invalid`` with every issue listed, each naming the spreadsheet row and column as written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext

from xietong import composite as engine
from xietong.core.errors import Invalid
from xietong.core.excel import column_label
from xietong.evaluation import sensitivity
from xietong.evaluation.engine_errors import remap_error, warnings_zh

MAX_SENSITIVITY_RUNS = 200
AGGREGATIONS = ("arithmetic", "geometric")
WEIGHTINGS = ("given", "equal", "entropy", "critic")
COUPLING_FORMS = ("normative", "modified")
SENSITIVITY_METHODS = ("ua", "sobol")
YEARS = range(1900, 2201)  # data years and base years a user may enter (the table stores them as small ints)


# ---------------------------------------------------------------------- frameworks
def framework_from_table(table: Sequence[dict]) -> engine.Framework:
    frame = pd.DataFrame(
        list(table), columns=["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Parent", "Type"]
    )
    try:
        return engine.Framework.from_table(frame)
    except engine.CompositeError as error:
        raise remap_error(error) from error


def framework_validate_upload(
    frame: pd.DataFrame, sources: Mapping[str, str], *, rows: Sequence[int]
) -> list[dict]:
    """Validate an uploaded framework sheet; return its rows (iMeta + Source) for storage."""
    try:
        framework = engine.Framework.from_table(frame.reset_index(drop=True))
    except engine.CompositeError as error:
        raise remap_error(error, rows=rows) from error
    table = framework.to_table()
    out = []
    for record in table.to_dict("records"):
        if record["Type"] not in ("Indicator", "Aggregate"):
            continue
        out.append(
            {
                "Level": int(record["Level"]),
                "iCode": record["iCode"],
                "iName": _str(record["iName"]),
                "Direction": int(record["Direction"]),
                "Weight": float(record["Weight"]),
                "Unit": _str(record["Unit"]),
                "Parent": _str(record["Parent"]) or None,
                "Type": record["Type"],
                "Source": sources.get(record["iCode"], "") if record["Type"] == "Indicator" else "",
            }
        )
    unknown = [
        (code, source)
        for code, source in sources.items()
        if source and not source.startswith("platform:") and code in {r["iCode"] for r in out}
    ]
    if unknown:
        code, source = unknown[0]
        raise Invalid(
            gettext("指标「%(code)s」的来源“%(source)s”无效：应留空或写 platform:<平台指标代码>")
            % {"code": code, "source": source},
            code="bad_source",
        )
    return out


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# ---------------------------------------------------------------------- data
@dataclass(frozen=True)
class CleanData:
    columns: list[str]
    rows: list[list[Any]]
    sources: dict[str, dict[str, int]]
    units: list[str]
    years: list[int]
    platform_cells: dict[str, list[list[Any]]] = field(default_factory=dict)


def dataset_validate(
    frame: pd.DataFrame,
    *,
    table: Sequence[dict],
    allowed_units: frozenset[str],
    scope_name: str,
    headers: Mapping[str, str] | None = None,
    platform: Callable[[str, Sequence[str], Sequence[int]], dict[int, dict[str, float]]] | None = None,
) -> CleanData:
    """Check every cell (the engine's checks plus: units inside the scope, a year column); fill platform cells."""
    headers = dict(headers or {})
    rows = list(frame.index) if frame.index.name == "row" else [i + 2 for i in range(len(frame))]
    frame = frame.reset_index(drop=True)
    framework = framework_from_table(table)
    if "Time" not in frame.columns:
        raise Invalid(gettext("数据表缺少「年份」列"), code="missing_column", column="年份")
    for column in framework.indicators:  # a platform indicator's column may be left out of the sheet
        if column not in frame.columns:
            source = source_of(table, column)
            if not source:
                missing = [
                    c for c in framework.indicators if c not in frame.columns and not source_of(table, c)
                ]
                raise Invalid(
                    gettext("数据表缺少以下指标列：%(missing)s") % {"missing": gettext("、").join(missing)},
                    code="missing_column",
                    columns=missing,
                )
            frame[column] = None
    try:
        data = engine.dataset_from_table(frame, framework, region_codes=engine.gb2260_codes())
    except engine.CompositeError as error:
        raise remap_error(error, rows=rows, headers={**_id_headers(), **headers}) from error
    _check_years(frame["Time"], rows=rows, header=headers.get("Time", "年份"))
    code_header = headers.get("uCode", "地区代码")
    outside = [
        {"row": int(rows[i]), "column": code_header, "column_label": column_label(code_header), "code": "outside_scope",
         "message": gettext("第 %(row)s 行「%(header)s」列：地区代码“%(code)s”不属于%(scope)s")
         % {"row": rows[i], "header": column_label(code_header), "code": code, "scope": scope_name}}
        for i, code in enumerate(frame["uCode"].map(lambda v: str(v).strip()))
        if code not in allowed_units
    ]  # fmt: skip
    if outside:
        shown = gettext("；").join(i["message"] for i in outside[:5])
        raise Invalid(
            gettext("指标数据有误：%(shown)s") % {"shown": shown}, code="invalid_data", issues=outside
        )
    values = data.values.copy()
    sources = {
        c: {"import": int(np.sum(~np.isnan(values[:, :, j]) & data.present))}
        for j, c in enumerate(data.columns)
    }
    platform_cells: dict[str, list[list[Any]]] = {}
    if platform is not None:
        for j, code in enumerate(data.columns):
            key = source_of(table, code)
            if not key:
                continue
            filled = _fill_platform(values, data, j, platform(key, data.units, data.times))
            if filled:
                sources[code][f"platform:{key}"] = len(filled)
                platform_cells[code] = filled
    t_index, u_index = np.nonzero(data.present)
    out_rows = [
        [data.units[u], int(data.times[t]), *[json_number(v) for v in values[t, u]]]
        for t, u in zip(t_index, u_index, strict=True)
    ]
    return CleanData(
        columns=["uCode", "Time", *data.columns],
        rows=out_rows,
        sources=sources,
        units=list(data.units),
        years=[int(y) for y in data.times],
        platform_cells=platform_cells,
    )


def _check_years(years: pd.Series, *, rows: Sequence[int], header: str) -> None:
    """The engine accepts any whole number as a year; -5 or 99999 would only fail at the database (a 500)."""
    numbers = pd.to_numeric(years, errors="coerce")
    bad = ~numbers.between(YEARS.start, YEARS.stop - 1)
    issues = [
        {"row": int(rows[i]), "column": header, "column_label": column_label(header), "code": "bad_year",
         "message": gettext("第 %(row)s 行「%(header)s」列：年份应在 %(first)s–%(last)s 之间（实为“%(value)s”）")
         % {"row": rows[i], "header": column_label(header), "first": YEARS.start, "last": YEARS.stop - 1, "value": years.iloc[i]}}
        for i in np.flatnonzero(bad.to_numpy())
    ]  # fmt: skip
    if issues:
        shown = gettext("；").join(i["message"] for i in issues[:5])
        more = gettext("；另有 %(n)s 处问题") % {"n": len(issues) - 5} if len(issues) > 5 else ""
        raise Invalid(
            gettext("指标数据有误：%(shown)s%(more)s") % {"shown": shown, "more": more},
            code="invalid_data",
            issues=issues,
        )


def _id_headers() -> dict[str, str]:
    return {"uCode": "地区代码", "uName": "地区名称", "Time": "年份"}


def source_of(table: Sequence[dict], code: str) -> str:
    for row in table:
        if row["iCode"] == code:
            source = row.get("Source") or ""
            return source.removeprefix("platform:") if source.startswith("platform:") else ""
    return ""


def _fill_platform(
    values: np.ndarray, data: engine.Dataset, j: int, computed: dict[int, dict[str, float]]
) -> list[list[Any]]:
    """Fill the blank cells of column j that the platform has a value for; return them as [unit, year]."""
    filled = []
    for t, year in enumerate(data.times):
        row = computed.get(int(year), {})
        for u, unit in enumerate(data.units):
            if data.present[t, u] and np.isnan(values[t, u, j]) and unit in row:
                values[t, u, j] = row[unit]
                filled.append([unit, int(year)])
    return filled


def json_number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def dataset_from_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], framework: engine.Framework
) -> engine.Dataset:
    frame = pd.DataFrame([list(r) for r in rows], columns=list(columns))
    missing = [c for c in framework.indicators if c not in frame.columns]
    if missing:
        raise Invalid(
            gettext("数据版本缺少框架中的指标：%(missing)s；请按当前框架重新导入数据")
            % {"missing": gettext("、").join(missing)},
            code="incompatible_data",
        )
    try:
        return engine.dataset_from_table(frame, framework)
    except engine.CompositeError as error:
        raise remap_error(error) from error


# ---------------------------------------------------------------------- options
DEFAULT_OPTIONS = {
    "preset": "cn-entropy",
    "weighting": "",
    "aggregation": "",
    "base_year": None,
    "coupling_form": "normative",
    "sensitivity_runs": 64,
    "sensitivity_method": "ua",
}


def options_clean(raw: Mapping[str, Any], *, years: Sequence[int] | None = None) -> dict[str, Any]:
    """Validate run options; unknown keys and bad values are a clear 400."""
    unknown = set(raw) - set(DEFAULT_OPTIONS)
    if unknown:
        raise Invalid(
            gettext("未知的计算选项：%(unknown)s") % {"unknown": gettext("、").join(sorted(unknown))},
            code="bad_option",
        )
    options = {**DEFAULT_OPTIONS, **{k: v for k, v in raw.items() if v is not None and v != ""}}
    if options["preset"] not in engine.PRESETS:
        raise Invalid(
            gettext("未知的计算流程“%(preset)s”，可选：%(PRESETS)s")
            % {"preset": options["preset"], "PRESETS": gettext("、").join(engine.PRESETS)},
            code="bad_option",
            field="preset",
        )
    if options["weighting"] and options["weighting"] not in WEIGHTINGS:
        raise Invalid(
            gettext("未知的赋权方法“%(weighting)s”，可选：%(WEIGHTINGS)s")
            % {"weighting": options["weighting"], "WEIGHTINGS": gettext("、").join(WEIGHTINGS)},
            code="bad_option",
            field="weighting",
        )
    if options["aggregation"] and options["aggregation"] not in AGGREGATIONS:
        raise Invalid(
            gettext("未知的加总方法“%(aggregation)s”，可选：%(AGGREGATIONS)s")
            % {"aggregation": options["aggregation"], "AGGREGATIONS": gettext("、").join(AGGREGATIONS)},
            code="bad_option",
            field="aggregation",
        )
    if options["coupling_form"] not in COUPLING_FORMS:
        raise Invalid(
            gettext("耦合度形式应为 normative 或 modified"), code="bad_option", field="coupling_form"
        )
    try:
        runs = int(options["sensitivity_runs"])
    except (TypeError, ValueError):
        raise Invalid(
            gettext("敏感性分析次数应为整数"), code="bad_option", field="sensitivity_runs"
        ) from None
    if not 0 <= runs <= MAX_SENSITIVITY_RUNS:
        raise Invalid(
            gettext("敏感性分析次数应在 0 到 %(MAX_SENSITIVITY_RUNS)s 之间")
            % {"MAX_SENSITIVITY_RUNS": MAX_SENSITIVITY_RUNS},
            code="bad_option",
            field="sensitivity_runs",
        )
    options["sensitivity_runs"] = runs
    if options["sensitivity_method"] not in SENSITIVITY_METHODS:
        raise Invalid(
            gettext("敏感性分析方法应为 ua（排名区间）或 sobol（另算 Sobol' 指数）"),
            code="bad_option",
            field="sensitivity_method",
        )
    if options["base_year"] is not None:
        try:
            options["base_year"] = int(options["base_year"])
        except (TypeError, ValueError):
            raise Invalid(gettext("基期应为年份（整数）"), code="bad_option", field="base_year") from None
        if years is not None and options["base_year"] not in years:
            raise Invalid(
                gettext("基期 %(base_year)s 年不在数据年份（%(years)s–%(years2)s）中")
                % {"base_year": options["base_year"], "years": min(years), "years2": max(years)},
                code="bad_option",
                field="base_year",
            )
    return options


def pipeline_for(options: Mapping[str, Any]) -> engine.Pipeline:
    pipeline = engine.preset_pipeline(options["preset"])
    names = [n for n, _ in pipeline.steps]
    weighting = options.get("weighting")
    if weighting and "weight" in names:
        pipeline = pipeline.replace("weight", method=weighting)
    elif weighting and weighting != "given":
        specs = [{"kind": s.kind, "name": n, **s.get_params()} for n, s in pipeline.steps]
        at = next(i for i, s in enumerate(specs) if s["kind"] == "aggregate")
        specs.insert(
            at, {"kind": "weight", "name": "weight", "method": weighting, "scope": "node", "pooled": True}
        )
        pipeline = engine.Pipeline.from_specs(specs)
    if options.get("aggregation"):
        pipeline = pipeline.replace("Aggregated", method=options["aggregation"])
    return pipeline


# ---------------------------------------------------------------------- the run
Progress = Callable[[int, str], None]


def run_index(
    *, table: Sequence[dict], columns: Sequence[str], rows: Sequence[Sequence[Any]], options: Mapping[str, Any],
    names: Mapping[str, str], progress: Progress = lambda p, m: None,
    platform_cells: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Everything the report shows, as JSON-ready data.

    ``platform_cells`` (indicator → [unit, year] cells the platform computed) tells where an indicator's
    source changes between years, so the 定基指数 can keep to the indicators measured alike in every year.
    """
    framework = framework_from_table(table)
    data = dataset_from_rows(columns, rows, framework)
    progress(20, "数据已载入，正在计算指数")
    pipeline = pipeline_for(options)
    try:
        result = pipeline.run(data, framework)
    except engine.CompositeError as error:
        raise remap_error(error) from error
    fw = result.framework
    progress(50, "正在计算定基指数与耦合协调度")
    years = [int(y) for y in data.times]
    units = list(data.units)
    root = fw.root
    level1 = list(fw.children(root))
    level2 = [c for p in level1 for c in fw.children(p) if c in fw.aggregates]
    out_data = result.data
    scores = {code: _matrix(out_data.column(code)) for code in [root, *level1, *level2]}
    ranks = _matrix(result.ranks())
    base_year = options.get("base_year") or years[0]
    if base_year not in years:
        raise Invalid(
            gettext("基期 %(base_year)s 年不在数据年份中") % {"base_year": base_year},
            code="bad_option",
            field="base_year",
        )
    results: dict[str, Any] = {
        "units": units,
        "names": {u: names.get(u, u) for u in units},
        "years": years,
        "latest": years[-1],
        "root": root,
        "level1": level1,
        "level2": level2,
        "labels": {c: fw.by_code[c].name or c for c in fw.by_code},
        "parents": {c: fw.by_code[c].parent for c in fw.by_code},
        "scores": scores,
        "ranks": ranks,
        "base_year": base_year,
        "fixed_base": _comparable_fixed_base(
            table,
            columns,
            rows,
            data,
            result,
            pipeline,
            [root, *level1],
            years,
            base_year,
            platform_cells or {},
        ),
        "weights": _weights(result),
        "warnings": warnings_zh(result),
    }
    results["coupling"] = _coupling(out_data, level1, result, options.get("coupling_form", "normative"))
    results["strengths"] = _strengths(result, fw, units)
    progress(60, "正在进行逐项剔除分析")
    results["remove_one"] = sensitivity.remove_one(data, result, pipeline, level1, level2)
    progress(70, "正在进行敏感性分析")
    results["sensitivity"] = sensitivity.rank_uncertainty(data, framework, pipeline, options, level1)
    progress(95, "正在保存结果")
    return json_ready(results)


def json_ready(value: Any) -> Any:
    """Replace NaN/inf by None and numpy scalars by Python ones, all the way down (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


def _matrix(array: np.ndarray) -> list[list[float | None]]:
    return [[json_number(v) for v in row] for row in np.asarray(array, dtype=float)]


def _fixed_base(
    data: engine.Dataset, codes: Sequence[str], years: Sequence[int], base: int
) -> dict[str, Any]:
    """定基指数 (base year = 100): of the zone as a whole (mean over units) and of each unit."""
    zone, per_unit = {}, {}
    for code in codes:
        values = np.where(data.present, data.column(code), np.nan)
        with np.errstate(all="ignore"):
            mean = np.nanmean(values, axis=1)
        zone[code] = [json_number(v) for v in np.ravel(engine.fixed_base_index(mean, years, base=base))]
        per_unit[code] = _matrix(engine.fixed_base_index(values, years, base=base))
    growth = {}
    for code in codes:
        series = np.array([np.nan if v is None else v for v in zone[code]])
        yoy = np.ravel(engine.year_on_year(series))
        growth[code] = {
            "yoy": json_number(yoy[-1]),
            "cagr": json_number(float(engine.cagr(series, years)[0]) * 100),
        }
    return {"zone": zone, "units": per_unit, "growth": growth}


def indicator_sources_by_year(
    data: engine.Dataset, indicators: Sequence[str], platform_cells: Mapping[str, Sequence[Sequence[Any]]]
) -> dict[str, list[str]]:
    """Per indicator, where each year's values come from: "platform" (any cell computed from the platform's
    records), "blank" (no unit has a value, the imputation made them all up) or "import" (statistics)."""
    out = {}
    for code in indicators:
        platform_years = {int(y) for _, y in platform_cells.get(code, [])}
        observed = ~np.isnan(np.where(data.present, data.column(code), np.nan))
        kinds = []
        for t, year in enumerate(data.times):
            if int(year) in platform_years:
                kinds.append("platform")
            elif not observed[t].any():
                kinds.append("blank")
            else:
                kinds.append("import")
        out[code] = kinds
    return out


def comparable_indicators(sources: Mapping[str, Sequence[str]]) -> list[str]:
    """Indicators measured the same way in every year (one source throughout, never all blank): only
    they can carry a 定基指数 across years without a cliff where the measurement changed."""
    return [code for code, kinds in sources.items() if len(set(kinds)) == 1 and kinds[0] != "blank"]


def _subset_table(table: Sequence[dict], keep: set[str]) -> list[dict]:
    """The framework rows with only ``keep`` as indicators; aggregates left without children are dropped."""
    rows = [r for r in table if r.get("Type") != "Indicator" or r["iCode"] in keep]
    while True:
        parents = {r.get("Parent") for r in rows}
        pruned = [r for r in rows if r.get("Type") == "Indicator" or r["iCode"] in parents]
        if len(pruned) == len(rows):
            return pruned
        rows = pruned


def _comparable_fixed_base(
    table: Sequence[dict], columns: Sequence[str], rows: Sequence[Sequence[Any]], data: engine.Dataset,
    result: engine.Result, pipeline: engine.Pipeline, codes: Sequence[str], years: Sequence[int], base: int,
    platform_cells: Mapping[str, Sequence[Sequence[Any]]],
) -> dict[str, Any]:  # fmt: skip
    """定基指数 over the indicators measured alike in every year (like with like).

    When an indicator's source changes (statistics before the platform existed, the platform's records
    after) or it is blank in some years, its values in different years are not the same measurement, and a
    fixed-base ratio across the change would be a cliff made by the data, not by the region. The index
    and sub-indices are then recomputed, with the same pipeline, on the indicators that are comparable in
    every year; a sub-index none of whose indicators are comparable has no 定基指数 (None).
    """
    indicators = list(result.framework.indicators)
    sources = indicator_sources_by_year(data, indicators, platform_cells)
    keep = comparable_indicators(sources)
    changed = []
    for code, kinds in sources.items():
        if code in keep or len(set(kinds)) == 1:
            continue
        t = next(t for t in range(1, len(kinds)) if kinds[t] != kinds[t - 1])
        changed.append({"code": code, "year": int(years[t]), "from": kinds[t - 1], "to": kinds[t]})
    info = {"comparable": len(keep), "total": len(indicators), "excluded": [c for c in indicators if c not in keep],
            "changed": changed}  # fmt: skip
    if len(keep) == len(indicators):
        return {**_fixed_base(result.data, codes, years, base), "indicators": info}
    sub_table = _subset_table(table, set(keep))
    present = [c for c in codes if any(r["iCode"] == c for r in sub_table)]
    if not keep or not present:
        empty = [None] * len(years)
        blank = [[None] * len(data.units) for _ in years]
        return {"zone": {c: list(empty) for c in codes}, "units": {c: blank for c in codes},
                "growth": {c: {"yoy": None, "cagr": None} for c in codes}, "indicators": info}  # fmt: skip
    sub_framework = framework_from_table(sub_table)
    dropped = set(indicators) - set(keep)
    sub_columns = [c for c in columns if c not in dropped]
    sub_rows = [[v for c, v in zip(columns, row, strict=True) if c not in dropped] for row in rows]
    try:
        sub_result = pipeline.run(dataset_from_rows(sub_columns, sub_rows, sub_framework), sub_framework)
    except engine.CompositeError as error:
        raise remap_error(error) from error
    out = _fixed_base(sub_result.data, present, years, base)
    blank = [[None] * len(data.units) for _ in years]
    for code in codes:
        if code not in present:
            out["zone"][code] = [None] * len(years)
            out["units"][code] = blank
            out["growth"][code] = {"yoy": None, "cagr": None}
    return {**out, "indicators": info}


def _upper(result: engine.Result) -> float:
    for _, step in result.steps:
        if step.kind == "normalise":
            params = step.get_params()
            return float(params.get("upper") or 1.0) + float(params.get("shift") or 0.0)
    return 1.0


def _coupling(
    data: engine.Dataset, level1: Sequence[str], result: engine.Result, form: str
) -> dict[str, Any]:
    """Coupling coordination among the 一级 subsystems of each unit and year (U = score / scale)."""
    if len(level1) < 2:
        return {}
    scale = _upper(result)
    u = np.stack([data.column(c) for c in level1], axis=-1) / scale  # years × units × n
    flat = np.clip(u.reshape(-1, len(level1)), 0.0, 1.0)
    ok = ~np.isnan(flat).any(axis=1)
    d = np.full(len(flat), np.nan)
    c = np.full(len(flat), np.nan)
    band = np.full(len(flat), None, dtype=object)
    if ok.any():
        cc = engine.coupling_coordination(flat[ok], form=form)
        d[ok], c[ok], band[ok] = cc.D, cc.C, cc.band
    shape = u.shape[:2]
    return {
        "form": form,
        "D": _matrix(d.reshape(shape)),
        "C": _matrix(c.reshape(shape)),
        "band": [[b for b in row] for row in band.reshape(shape).tolist()],
        "bands": [[edge, label] for edge, label in engine.DEFAULT_BANDS],
    }


def _strengths(
    result: engine.Result, fw: engine.Framework, units: Sequence[str], n: int = 3
) -> dict[str, Any]:
    """Per unit, latest year: its 优势 and 短板 indicators (COINr's get_str_weak on normalised data), with
    the rules that keep them meaningful (see ``strengths_weaknesses``)."""
    normalised = result.datasets.get("Normalised") or result.data
    latest = normalised.values[-1][:, [normalised.columns.index(c) for c in fw.indicators]]
    present = normalised.present[-1]
    picked = strengths_weaknesses(np.where(present[:, None], latest, np.nan), n=n)
    return {
        unit: {
            "strengths": [[fw.indicators[i], rank] for i, rank in picked[u][0]],
            "weaknesses": [[fw.indicators[i], rank] for i, rank in picked[u][1]],
        }
        for u, unit in enumerate(units)
        if present[u]
    }


def strengths_weaknesses(values: np.ndarray, *, n: int = 3) -> list[tuple[list, list]]:
    """The 优势 and 短板 of each unit (rows of ``values``, units × indicators, higher is better).

    Rules (the report states them): an indicator on which the units do not differ (fewer than two distinct
    values, e.g. all zero) says nothing about anyone and is skipped; a place the unit shares with another
    unit (a tie, e.g. several units at 0 sharing "第 1 名") is not a 优势 or 短板 of that unit; a 优势 must be
    in the better half of the ranking and a 短板 in the worse half, so a first place is never a 短板 and a
    last place never a 优势. Of what remains, the ``n`` best ranks are the 优势 and the ``n`` worst the 短板.
    Returns, per unit, ``([(indicator index, rank), …], […])``, best first and worst first.
    """
    values = np.asarray(values, dtype=float)
    ranks = engine.rank_scores(values.T).T  # units × indicators, ties share the best (min) rank
    out: list[tuple[list, list]] = [([], []) for _ in range(values.shape[0])]
    eligible: list[list[tuple[int, int]]] = [[] for _ in range(values.shape[0])]
    for i in range(values.shape[1]):
        column = values[:, i]
        observed = ~np.isnan(column)
        count = int(observed.sum())
        distinct = np.unique(np.round(column[observed], 12))
        if count < 2 or len(distinct) < 2:
            continue
        for u in np.flatnonzero(observed):
            if np.isclose(column[observed], column[u], rtol=1e-9, atol=1e-12).sum() > 1:
                continue  # a shared place
            eligible[u].append((i, int(ranks[u, i])))
    counts = (~np.isnan(values)).sum(axis=0)
    for u, items in enumerate(eligible):
        ordered = sorted(items, key=lambda item: (item[1] / counts[item[0]], item[0]))
        good = [(i, r) for i, r in ordered if r <= counts[i] / 2][:n]
        bad = [(i, r) for i, r in reversed(ordered) if r > (counts[i] + 1) / 2][:n]
        out[u] = (good, bad)
    return out


def _weights(result: engine.Result) -> list[dict[str, Any]]:
    table = result.weights()
    return [
        {"iCode": r["iCode"], "Level": int(r["Level"]), "Parent": r["Parent"], "Weight": json_number(r["Weight"]),
         "Source": r["Source"], "Effective": json_number(r["Effective"])}
        for r in table.to_dict("records")
    ]  # fmt: skip


# ---------------------------------------------------------------------- comparison
def compare(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """Index score and rank of every common unit in each run's latest common year, with the change."""
    years = sorted(set(first.get("years", [])) & set(second.get("years", [])))
    if not years:
        raise Invalid(gettext("两次运行没有共同的年份，无法比较"), code="not_comparable")
    year = years[-1]
    rows = []
    a_units, b_units = first["units"], second["units"]
    ta, tb = first["years"].index(year), second["years"].index(year)
    for unit in [u for u in a_units if u in set(b_units)]:
        ia, ib = a_units.index(unit), b_units.index(unit)
        sa, sb = first["scores"][first["root"]][ta][ia], second["scores"][second["root"]][tb][ib]
        ra, rb = first["ranks"][ta][ia], second["ranks"][tb][ib]
        rows.append(
            {"uCode": unit, "name": first["names"].get(unit, unit), "score_a": sa, "score_b": sb,
             "rank_a": ra, "rank_b": rb, "rank_change": None if ra is None or rb is None else int(ra - rb)}
        )  # fmt: skip
    if not rows:
        raise Invalid(gettext("两次运行没有共同的地区，无法比较"), code="not_comparable")
    rows.sort(key=lambda r: (r["rank_b"] is None, r["rank_b"] or 0))
    changed = [r for r in rows if r["rank_change"]]
    return {"year": year, "rows": rows, "changed": len(changed),
            "mean_abs_rank_change": sum(abs(r["rank_change"] or 0) for r in rows) / len(rows)}  # fmt: skip
