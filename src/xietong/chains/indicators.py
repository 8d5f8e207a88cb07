"""Platform indicators for the collaborative-innovation index (registered in ChainsConfig.ready()).

- ``chains.completeness`` 产业链环节覆盖率 (%): the share of all chain segments in which the unit has at
  least one active link of an approved organisation (links counted by the year they were made,
  cumulatively).
- ``chains.complementarity`` 产业链跨成员互补度 (%): among the unit's segments without advantage
  (RCA < 1, computed among the framework's units), the share in which another unit is specialised
  (RCA ≥ 1): how much of what it lacks its partners can supply.

Aggregates only; no record leaves this module. No data before the first link.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xietong import specialisation as engine
from xietong.chains import selectors
from xietong.evaluation.platform_indicators import register, unit_of_region


def _matrices(units, years) -> dict[int, pd.DataFrame]:
    rows, first = selectors.link_rows_by_year()
    if first is None:
        return {}
    unit_of = unit_of_region(units)
    segments = [s for s, _, _ in selectors.all_segments()]
    col = {s: j for j, s in enumerate(segments)}
    units = list(units)
    row = {u: i for i, u in enumerate(units)}
    out = {}
    for year in years:
        if year < first:
            continue
        values = np.zeros((len(units), len(segments)))
        for region, segment, year_made, weight in rows:
            unit = unit_of.get(region)
            if unit is not None and year_made <= year and segment in col:
                values[row[unit], col[segment]] += weight
        out[year] = pd.DataFrame(values, index=units, columns=segments)
    return out


@register("chains.completeness", name="产业链环节覆盖率", unit="%", app_label="chains")
def completeness(units, years):
    out = {}
    for year, frame in _matrices(units, years).items():
        n = frame.shape[1] or 1
        out[year] = {u: float((frame.loc[u] > 0).sum()) * 100.0 / n for u in frame.index}
    return out


@register("chains.complementarity", name="产业链跨成员互补度", unit="%", app_label="chains")
def complementarity(units, years):
    out = {}
    for year, frame in _matrices(units, years).items():
        if frame.to_numpy().sum() == 0:
            out[year] = dict.fromkeys(frame.index, 0.0)
            continue
        m = engine.presence(engine.rca(frame)).to_numpy()
        values = {}
        for i, unit in enumerate(frame.index):
            lacking = m[i] == 0
            others = np.delete(m, i, axis=0).max(axis=0) if len(frame.index) > 1 else np.zeros_like(m[i])
            values[unit] = (
                float((others[lacking] == 1).sum()) * 100.0 / lacking.sum() if lacking.any() else 100.0
            )
        out[year] = values
    return out
