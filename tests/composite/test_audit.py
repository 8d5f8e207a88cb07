"""Audit statistics against plain formulas."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from xietong.composite import (
    Dataset,
    cronbach_alpha,
    group_correlations,
    indicator_statistics,
    parent_correlations,
    preset_pipeline,
)

from . import reference


def test_indicator_statistics_match_plain_formulas(asem_data):
    table = indicator_statistics(asem_data).set_index("iCode")
    for j, code in enumerate(asem_data.columns):
        column = [v for v in asem_data.values[0, :, j].tolist() if v == v]
        row = table.loc[code]
        assert row["n"] == len(column)
        assert row["availability"] == pytest.approx(len(column) / 51)
        assert row["mean"] == pytest.approx(statistics.fmean(column))
        assert row["sd"] == pytest.approx(statistics.stdev(column))
        assert row["skew"] == pytest.approx(reference.skew(column), rel=1e-9, abs=1e-12)
        assert row["kurt"] == pytest.approx(reference.kurt(column), rel=1e-9, abs=1e-12)
        assert row["outlier"] == (not reference.passes(column))


def test_flags():
    data = Dataset.from_arrays(
        [[1.0, 5.0, np.nan], [2.0, 5.0, np.nan], [3.0, 5.0, 1.0]], units="abc", columns="xyz"
    )
    table = indicator_statistics(data).set_index("iCode")
    assert table["constant"].tolist() == [False, True, True]
    assert table["low_availability"].tolist() == [False, False, True]


def test_cronbach_alpha_plain():
    x = np.array([[2.0, 3.0, 4.0], [4.0, 4.0, 5.0], [3.0, 5.0, 5.0], [5.0, 5.0, 6.0]])
    k = 3
    item = sum(statistics.variance(col) for col in x.T.tolist())
    total = statistics.variance(x.sum(axis=1).tolist())
    assert cronbach_alpha(x) == pytest.approx(k / (k - 1) * (1 - item / total))


def test_correlations(asem_data, asem_framework):
    result = preset_pipeline("coinr").run(asem_data, asem_framework)
    table = parent_correlations(result.data, asem_framework)
    assert len(table) == 49 + 10  # every indicator and every aggregate except the index
    lpi = table.set_index("iCode").loc["LPI", "correlation"]
    a, b = result.data.column("LPI")[0], result.data.column("Physical")[0]
    assert lpi == pytest.approx(np.corrcoef(a, b)[0, 1])
    matrix = group_correlations(result.data, asem_framework, "Conn")
    assert list(matrix.columns) == ["Physical", "ConEcFin", "Political", "Instit", "P2P"]
