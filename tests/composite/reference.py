"""A second, deliberately plain implementation of the COINr pipeline spec (README of coinr-asem).

Lists, dicts and loops only: no numpy, no pandas, nothing shared with the engine, so that agreement
between the two is evidence and not an echo.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def number(text: str) -> float | None:
    return None if text in ("", "NA") else float(text)


def skew(xs: list[float]) -> float:
    n = len(xs)
    m = sum(xs) / n
    d = [x - m for x in xs]
    m2 = sum(v * v for v in d)
    m3 = sum(v**3 for v in d)
    return math.sqrt(n) * m3 / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)


def kurt(xs: list[float]) -> float:
    n = len(xs)
    m = sum(xs) / n
    d = [x - m for x in xs]
    m2 = sum(v * v for v in d)
    r = n * sum(v**4 for v in d) / m2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def passes(xs: list[float]) -> bool:
    return abs(skew(xs)) < 2 or kurt(xs) < 3.5


def treat_column(col: list[float | None], winmax: int = 5) -> list[float | None]:
    """Winsorise one point (or tied points) at a time, COINr style; log_CT on the original if it fails."""
    present = [v for v in col if v is not None]
    if len(present) < 4 or passes(present):
        return list(col)
    x = list(col)
    imax: list[int] = []
    imin: list[int] = []
    passing = False
    while not passing and len(imax) + len(imin) < winmax:
        values = [v for v in x if v is not None]
        if skew(values) >= 0:
            top = max(values)
            imax = [i for i, v in enumerate(x) if v == top]
            nxt = max(v for i, v in enumerate(x) if v is not None and i not in imax)
            for i in imax:
                x[i] = nxt
        else:
            bottom = min(values)
            imin = [i for i, v in enumerate(x) if v == bottom]
            nxt = min(v for i, v in enumerate(x) if v is not None and i not in imin)
            for i in imin:
                x[i] = nxt
        passing = passes([v for v in x if v is not None])
    if passing:
        return x
    low, high = min(present), max(present)
    return [None if v is None else math.log(v - low + 0.01 * (high - low)) for v in col]


def load(data_path: Path, meta_path: Path):
    meta = read_csv(meta_path)
    rows = read_csv(data_path)
    indicators = [m["iCode"] for m in meta if m["Type"] == "Indicator"]
    return meta, rows, indicators


def denominate_and_impute(meta, rows, indicators, group="EurAsia_group"):
    denominator = {
        m["iCode"]: m["Denominator"] for m in meta if m["Type"] == "Indicator" and m["Denominator"]
    }
    table = []
    for row in rows:
        values = {}
        for code in indicators:
            v = number(row[code])
            if v is not None and code in denominator:
                d = number(row[denominator[code]])
                v = None if d is None else v / d  # R: x / NA is NA, then imputed
            values[code] = v
        table.append(values)
    groups = [row[group] for row in rows]
    for code in indicators:
        for i, values in enumerate(table):
            if values[code] is None:
                same = [
                    t[code]
                    for t, g in zip(table, groups, strict=True)
                    if g == groups[i] and t[code] is not None
                ]
                values[code] = sum(same) / len(same)
    return table


def normalise_and_aggregate(meta, table_by_year, indicators, pooled):
    """Min-max [0, 100] after direction (per year or pooled), then weighted means up the tree."""
    direction = {m["iCode"]: float(m["Direction"]) for m in meta if m["Type"] == "Indicator"}
    bounds = {}
    for code in indicators:
        for year, table in table_by_year.items():
            vals = [t[code] * direction[code] for t in table.values() if t[code] is not None]
            key = code if pooled else (code, year)
            lo, hi = bounds.get(key, (math.inf, -math.inf))
            bounds[key] = (min(lo, min(vals)), max(hi, max(vals)))
    out = {}
    for year, table in table_by_year.items():
        out[year] = {}
        for unit, values in table.items():
            scores = {}
            for code in indicators:
                lo, hi = bounds[code if pooled else (code, year)]
                v = values[code]
                scores[code] = None if v is None else (v * direction[code] - lo) / (hi - lo) * 100
            for level in sorted({int(m["Level"]) for m in meta if m["Type"] == "Aggregate"}):
                for m in meta:
                    if m["Type"] == "Aggregate" and int(m["Level"]) == level:
                        children = [c for c in meta if c["Parent"] == m["iCode"]]
                        pairs = [
                            (float(c["Weight"]), scores[c["iCode"]])
                            for c in children
                            if scores[c["iCode"]] is not None
                        ]
                        total = sum(w for w, _ in pairs)
                        scores[m["iCode"]] = sum(w * s for w, s in pairs) / total if pairs else None
            out[year][unit] = scores
    return out


def rank_min(scores: dict[str, float]) -> dict[str, int]:
    return {u: 1 + sum(1 for other in scores.values() if other > s) for u, s in scores.items()}


def coinr_example(data_path: Path, meta_path: Path):
    """build_example_coin(): denominate → group-mean impute → screen (none fail) → treat → min-max → mean."""
    meta, rows, indicators = load(data_path, meta_path)
    table = denominate_and_impute(meta, rows, indicators)
    units = [row["uCode"] for row in rows]
    for code in indicators:
        treated = treat_column([t[code] for t in table])
        for t, v in zip(table, treated, strict=True):
            t[code] = v
    scores = normalise_and_aggregate(
        meta, {0: dict(zip(units, table, strict=True))}, indicators, pooled=False
    )[0]
    return scores


def coinr_purse(data_path: Path, meta_path: Path):
    """build_example_purse(): per year screen (≥ 0.9) → treat → min-max pooled over years → mean."""
    meta, rows, indicators = load(data_path, meta_path)
    by_year: dict[int, dict[str, dict]] = {}
    for row in rows:
        values = {code: number(row[code]) for code in indicators}
        available = sum(v is not None for v in values.values()) / len(indicators)
        if available >= 0.9:
            by_year.setdefault(int(row["Time"]), {})[row["uCode"]] = values
    for table in by_year.values():
        units = list(table)
        for code in indicators:
            treated = treat_column([table[u][code] for u in units])
            for u, v in zip(units, treated, strict=True):
                table[u][code] = v
    return normalise_and_aggregate(meta, by_year, indicators, pooled=True)
