"""Panel measures: hand-computed cases and a plain per-unit loop on the ASEM panel's index scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from xietong.composite import cagr, fixed_base_index, prc_change, preset_pipeline, year_on_year

NAN = np.nan


def test_fixed_base_and_year_on_year():
    values = pd.DataFrame({"长三角": [80.0, 100.0, 197.688]}, index=[2011, 2012, 2013])
    fixed = fixed_base_index(values, values.index, base=2011)
    assert fixed["长三角"].tolist() == pytest.approx([100.0, 125.0, 247.11])
    assert year_on_year(values)["长三角"].tolist()[1:] == pytest.approx([25.0, 97.688])
    with pytest.raises(ValueError, match="base year 2000 is not among the years"):
        fixed_base_index(values, values.index, base=2000)


def test_cagr_hand_cases():
    times = [2018, 2019, 2020, 2021, 2022]
    y = np.array(
        [
            [100.0, 5.0, NAN, 3.0, 0.0],
            [NAN, 5.0, NAN, NAN, 0.0],
            [110.0, 5.0, NAN, NAN, 0.0],
            [NAN, 5.0, 7.0, NAN, 0.0],
            [146.41, 5.0, NAN, 6.0, 0.0],
        ]
    )
    out = cagr(y, times)
    assert out[0] == pytest.approx(0.1)  # first/last observed: (146.41/100)^(1/4) − 1
    assert out[1] == 0.0  # equal ends
    assert np.isnan(out[2])  # one observation
    assert out[3] == pytest.approx(2 ** (1 / 4) - 1)
    assert out[4] == 0.0  # 0 → 0 gives 0, not NaN


def test_prc_change_hand_cases():
    times = [2000, 2001, 2002, 2003]
    y = np.array([[2.0, NAN, NAN, 6.0], [1.0, 3.0, 3.0, 1.0], [4.0, 4.0, NAN, 4.0], [4.0, NAN, 4.0, 3.0]])
    out = prc_change(y.T, times, per=10)  # rows above are units; the function takes years × units
    # two points: (6 − 2)·100/2 · 10/3
    assert out[0] == pytest.approx(4 * 100 / 2 * 10 / 3)
    # regression on (2000,1),(2001,3),(2002,3),(2003,1): slope 0 → 0
    assert out[1] == pytest.approx(0.0)
    assert out[2] == 0.0  # all equal
    # regression through (2000,4),(2002,4),(2003,3): computed by hand with the normal equations
    t = np.array([2000.0, 2002.0, 2003.0])
    v = np.array([4.0, 4.0, 3.0])
    b = ((t - t.mean()) * (v - v.mean())).sum() / ((t - t.mean()) ** 2).sum()
    a = v.mean() - b * t.mean()
    assert out[3] == pytest.approx(b * 10 / (a + b * 2000) * 100)


def _plain_cagr(ys, ts):
    pts = [(t, y) for t, y in zip(ts, ys, strict=True) if not math.isnan(y)]
    if len(pts) < 2:
        return math.nan
    (t0, y0), (t1, y1) = pts[0], pts[-1]
    return 0.0 if y0 == y1 else (y1 / y0) ** (1 / (t1 - t0)) - 1


def _plain_prc(ys, ts, per=1.0):
    pts = [(t, y) for t, y in zip(ts, ys, strict=True) if not math.isnan(y)]
    if len(pts) < 2:
        return math.nan
    if len({y for _, y in pts}) == 1:
        return 0.0
    if len(pts) < 3:
        (t0, y0), (t1, y1) = pts[0], pts[-1]
        return (y1 - y0) * 100 / y0 * (per / (t1 - t0))
    slope, intercept = np.polyfit([t for t, _ in pts], [y for _, y in pts], 1)
    return slope * per / (intercept + slope * pts[0][0]) * 100


def test_cagr_and_prc_change_on_the_asem_purse(asem_panel, asem_framework):
    # given: index scores per year (units screened out in a year are missing there)
    result = preset_pipeline("coinr-panel").run(asem_panel, asem_framework)
    index = result.data.column("Index")  # years × units
    times = list(result.data.times)
    # when
    growth, change = cagr(index, times), prc_change(index, times, per=10)
    # then
    for u in range(index.shape[1]):
        expected = _plain_cagr(index[:, u].tolist(), times)
        assert growth[u] == pytest.approx(expected, abs=1e-12, nan_ok=True)
        expected = _plain_prc(index[:, u].tolist(), times, per=10)
        assert change[u] == pytest.approx(expected, rel=1e-9, abs=1e-9, nan_ok=True)
