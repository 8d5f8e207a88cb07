"""Uncertainty/sensitivity analysis and remove-one-component on the ASEM example."""

from __future__ import annotations

import numpy as np
import pytest

from xietong.composite import UncertainInput, preset_pipeline, remove_one, sensitivity_analysis


def _inputs(framework):
    return [
        UncertainInput("Winmax", alternatives=(1, 2, 3, 4, 5), step="Treated", parameter="winmax"),
        UncertainInput(
            "Normalisation",
            step="Normalised",
            alternatives=(
                {"method": "minmax", "lower": 1.0, "upper": 100.0},
                {"method": "zscore", "lower": 10.0, "upper": 2.0},
            ),
        ),
        UncertainInput.noisy_weights(framework, noise=0.25, level=2, n=50, seed=1),
        UncertainInput(
            "Aggregation", alternatives=("arithmetic", "geometric"), step="Aggregated", parameter="method"
        ),
    ]


@pytest.fixture(scope="module")
def sa(asem_data, asem_framework):
    return sensitivity_analysis(
        asem_data, asem_framework, preset_pipeline("coinr"), _inputs(asem_framework), n=20, seed=3
    )


def test_sa_runs_the_saltelli_design(sa):
    assert len(sa.parameters) == 120  # n·(d + 2) with d = 4, n = 20
    assert sa.ranks.shape == (120, 51)
    assert set(sa.parameters["Winmax"]) <= {1, 2, 3, 4, 5}
    assert list(sa.sobol["input"]) == ["Winmax", "Normalisation", "Weights", "Aggregation"]
    assert np.isfinite(sa.sobol[["S1", "ST"]].to_numpy()).all()


def test_every_replication_is_reproducible_from_its_parameters(sa, asem_data, asem_framework):
    # given: replication 7's recorded choices
    row = sa.parameters.iloc[7]
    pipeline = preset_pipeline(
        "coinr",
        Treated={"winmax": int(row["Winmax"])},
        Normalised=eval(row["Normalisation"]),
        Aggregated={"method": row["Aggregation"]},
    )
    framework = asem_framework.with_weights(eval(row["Weights"]))
    # when: run directly, without the shared cache
    ranks = pipeline.run(asem_data, framework).scores()["Rank"].to_numpy()
    # then
    np.testing.assert_array_equal(sa.ranks.iloc[7].to_numpy(), ranks)


def test_rank_statistics(sa):
    stats = sa.rank_statistics.set_index("uCode")
    ranks = sa.ranks
    assert stats.loc["AUT", "median"] == np.median(ranks["AUT"])
    assert (stats["q05"] <= stats["median"]).all() and (stats["median"] <= stats["q95"]).all()
    assert sa.output == pytest.approx(np.abs(ranks.to_numpy() - sa.nominal_ranks.to_numpy()).mean(axis=1))


def test_uncertainty_analysis_only(asem_data, asem_framework):
    ua = sensitivity_analysis(
        asem_data, asem_framework, preset_pipeline("coinr"), _inputs(asem_framework)[:1], n=10, kind="UA"
    )
    assert len(ua.parameters) == 10 and ua.sobol is None


def test_remove_one_pillar(asem_data, asem_framework):
    table = remove_one(asem_data, asem_framework, preset_pipeline("coinr"), level=2)
    assert len(table) == 8  # the eight pillars
    assert (table["mean_abs_rank_change"] > 0).all()


def test_remove_one_keeps_learned_weights_fixed(asem_data, asem_framework):
    # entropy weights are learned from the data; relearning them would hand the removed pillar its weight back
    table = remove_one(asem_data, asem_framework, preset_pipeline("cn-entropy"), level=2)
    assert len(table) == 8
    assert (table["mean_abs_rank_change"] > 0).all()
