"""The `coinr` presets reproduce COINr 1.1.14's example coin and purse (checked against reference.py)."""

from __future__ import annotations

import math

import pytest

from xietong.composite import preset_pipeline

from . import reference
from .conftest import ASEM


@pytest.fixture(scope="module")
def expected_coin():
    return reference.coinr_example(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")


@pytest.fixture(scope="module")
def expected_purse():
    return reference.coinr_purse(ASEM / "ASEM_iData_p.csv", ASEM / "ASEM_iMeta.csv")


def test_example_coin_scores_match_within_1e9(asem_data, asem_framework, expected_coin):
    # when
    scores = preset_pipeline("coinr").run(asem_data, asem_framework).scores().set_index("uCode")
    # then: every aggregate of every unit
    assert len(scores) == 51
    assert list(scores.columns[1:]) == [
        "Index",
        "Sust",
        "Conn",
        "SusEcFin",
        "Social",
        "Environ",
        "P2P",
        "Instit",
        "Political",
        "ConEcFin",
        "Physical",
    ]
    worst = max(abs(scores.loc[u, c] - expected_coin[u][c]) for u in scores.index for c in scores.columns[1:])
    assert worst < 1e-9


def test_example_coin_ranks_identical_ties_min(asem_data, asem_framework, expected_coin):
    scores = preset_pipeline("coinr").run(asem_data, asem_framework).scores().set_index("uCode")
    expected = reference.rank_min({u: s["Index"] for u, s in expected_coin.items()})
    assert scores["Rank"].to_dict() == expected


def test_example_coin_normalised_indicators_match(asem_data, asem_framework, expected_coin):
    result = preset_pipeline("coinr").run(asem_data, asem_framework)
    normalised = result.datasets["Normalised"]
    worst = max(
        abs(normalised.values[0, u, j] - expected_coin[unit][code])
        for u, unit in enumerate(normalised.units)
        for j, code in enumerate(normalised.columns)
    )
    assert worst < 1e-9


def test_example_coin_treats_the_expected_indicators(asem_data, asem_framework):
    # given: the plain rule applied to the imputed columns
    result = preset_pipeline("coinr").run(asem_data, asem_framework)
    imputed = result.datasets["Imputed"]
    expected_changed = set()
    for j, code in enumerate(imputed.columns):
        column = imputed.values[0, :, j].tolist()
        if reference.treat_column(column) != column:
            expected_changed.add(code)
    # then
    treated = result.datasets["Treated"]
    changed = {
        c for j, c in enumerate(treated.columns) if (treated.values[0, :, j] != imputed.values[0, :, j]).any()
    }
    assert changed == expected_changed
    assert len(changed) == 15


def test_example_purse_pooled_minmax_matches(asem_panel, asem_framework, expected_purse):
    # when
    scores = preset_pipeline("coinr-panel").run(asem_panel, asem_framework).scores()
    # then
    assert sorted(scores["Time"].unique()) == [2018, 2019, 2020, 2021, 2022]
    assert len(scores) == sum(len(v) for v in expected_purse.values())
    worst = 0.0
    for row in scores.itertuples(index=False):
        expected = expected_purse[row.Time][row.uCode]
        for code in ("Index", "Conn", "Sust", "Physical", "Environ"):
            worst = max(worst, abs(getattr(row, code) - expected[code]))
    assert worst < 1e-9
    for year, table in expected_purse.items():
        ranks = reference.rank_min({u: s["Index"] for u, s in table.items()})
        got = scores[scores["Time"] == year].set_index("uCode")["Rank"].to_dict()
        assert got == ranks


def test_example_purse_is_pooled_not_per_year(asem_panel, asem_framework):
    # pooled min-max: 0 and 100 are reached once over all years, not in every year
    normalised = preset_pipeline("coinr-panel").run(asem_panel, asem_framework).datasets["Normalised"]
    lowest_per_year = [
        math.isclose(float(min(v for v in normalised.values[t, :, 0] if v == v)), 0.0) for t in range(5)
    ]
    assert sum(lowest_per_year) < 5
