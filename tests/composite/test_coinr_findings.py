"""Issue 14's findings against COINr 1.1.14, each pinned by its minimal input and COINr's answer.

COINr's answers are those of its functions' definitions (R, ``na.last = "keep"``):
``n_rank(x) = rank(x, ties.method = "min")``, ``n_prank(x) = (n_rank(x) − 1)/(n − 1)``,
``n_borda(x) = n_rank(x) − 1``, ``n_dist2targ(x, targ) = (x − min x)/(targ − min x)``,
``n_scaled(x, npara) = (x − npara[1])/(npara[2] − npara[1]) × 100``, the screen's non-zero share
``Σ(x ≠ 0)/Σ(!is.na(x))``, and ``get_eff_weights`` (every level).
"""

from __future__ import annotations

import numpy as np
import pytest

from xietong.composite import (
    Aggregator,
    Dataset,
    Framework,
    Node,
    Normaliser,
    Screener,
    normalise,
    weighted_mean,
)

NAN = np.nan


def _column(values, **params) -> list[float]:
    data = Dataset.from_arrays(
        np.asarray(values, float)[:, None], units=[f"u{i}" for i in range(len(values))], columns=["x"]
    )
    return normalise(data, **params).values[0, :, 0].tolist()


# ------------------------------------------------------------------ ties: COINr gives ties the minimum rank
@pytest.mark.parametrize(
    ("params", "coinr"),
    [
        ({"method": "rank"}, [1.0, 1.0, 3.0]),  # n_rank(c(1, 1, 2))
        ({"method": "percentile", "upper": 1}, [0.0, 0.0, 1.0]),  # n_prank(c(1, 1, 2))
        ({"method": "borda"}, [0.0, 0.0, 2.0]),  # n_borda(c(1, 1, 2))
    ],
)
def test_rank_based_normalisers_give_ties_the_minimum_rank(params, coinr):
    assert _column([1.0, 1.0, 2.0], **params) == coinr


def test_percentile_is_coinr_n_prank_with_missing_values():
    # n_prank(c(3, NA, 1, 3, 2)) = (c(3, NA, 1, 3, 2) − 1)/(4 − 1)
    assert _column([3.0, NAN, 1.0, 3.0, 2.0], method="percentile", upper=1) == pytest.approx(
        [2 / 3, NAN, 0.0, 2 / 3, 1 / 3], nan_ok=True
    )


def test_average_ties_remain_available_as_an_option():
    assert _column([1.0, 1.0, 2.0], method="rank", ties="average") == [1.5, 1.5, 3.0]


# ------------------------------------------------------------------ zero share over the available values
def test_zero_share_counts_only_available_values():
    # given [0, NA, 1, 1]: COINr's non-zero share is 2/3 (zero share 1/3), not 3/4 (zero share 1/4)
    data = Dataset.from_arrays([[0.0, NAN, 1.0, 1.0]], units=["u"], columns=["a", "b", "c", "d"])
    step = Screener(min_availability=0.0, max_zero_share=0.3).fit(data, None)
    assert step.zero_share_.tolist() == [[pytest.approx(1 / 3)]]
    assert step.kept_.tolist() == [[False]]  # 1/3 > 0.3: screened out (the old 1/4 kept it)


# ------------------------------------------------------------------ distance to target
def _framework(target: float, direction: int = 1) -> Framework:
    return Framework.from_nodes(
        [Node("x", parent="I", target=target, direction=direction), Node("I", kind="Aggregate", level=2)]
    )


def test_distance_target_is_coinr_n_dist2targ():
    data = Dataset.from_arrays([[1.0], [2.0], [5.0]], units="abc", columns=["x"])
    # n_dist2targ(c(1, 2, 5), targ = 4) = (x − 1)/(4 − 1): 0, 1/3, 4/3 (no cap by default)
    out = Normaliser(method="distance_target", upper=1).fit_transform(data, _framework(4.0))
    assert out.values[0, :, 0].tolist() == pytest.approx([0.0, 1 / 3, 4 / 3])
    capped = Normaliser(method="distance_target", upper=1, cap_max=True).fit_transform(data, _framework(4.0))
    assert capped.values[0, :, 0].tolist() == pytest.approx([0.0, 1 / 3, 1.0])


def test_distance_target_negative_direction_is_coinr_formula():
    data = Dataset.from_arrays([[1.0], [2.0], [5.0]], units="abc", columns=["x"])
    # direction −1: COINr (max − x)/(max − targ) = (5 − x)/(5 − 2)
    out = Normaliser(method="distance_target", upper=1).fit_transform(data, _framework(2.0, -1))
    assert out.values[0, :, 0].tolist() == pytest.approx([4 / 3, 1.0, 0.0])


def test_old_ratio_formula_lives_on_as_ratio_target():
    data = Dataset.from_arrays([[1.0], [2.0], [5.0]], units="abc", columns=["x"])
    out = Normaliser(method="ratio_target").fit_transform(data, _framework(4.0))
    assert out.values[0, :, 0].tolist() == [25.0, 50.0, 100.0]


# ------------------------------------------------------------------ n_scaled
def test_scaled_is_coinr_n_scaled():
    # n_scaled(c(1, 2, 5), npara = c(1, 5)) = (x − 1)/(5 − 1) × 100
    assert _column([1.0, 2.0, 5.0], method="scaled", bounds=(1.0, 5.0)) == [0.0, 25.0, 100.0]


# ------------------------------------------------------------------ effective weights at every level
def test_effective_weights_of_every_level_as_coinr_get_eff_weights():
    fw = Framework.from_nodes(
        [
            Node("a", parent="P", weight=1),
            Node("b", parent="P", weight=3),
            Node("c", parent="Q"),
            Node("P", kind="Aggregate", level=2, parent="I", weight=1),
            Node("Q", kind="Aggregate", level=2, parent="I", weight=3),
            Node("I", kind="Aggregate", level=3),
        ]
    )
    weights = fw.effective_weights(every_level=True).to_dict()
    assert weights == pytest.approx({"a": 1 / 16, "b": 3 / 16, "c": 3 / 4, "P": 1 / 4, "Q": 3 / 4, "I": 1.0})


# ------------------------------------------------------------------ unweighted sum
def test_sum_aggregation_ignores_weights_and_drops_missing():
    w = np.array([[1.0], [2.0], [0.0]])
    x = np.array([[1.0, 2.0, 4.0], [1.0, NAN, 4.0]])
    assert weighted_mean(x, w, method="sum").ravel().tolist() == [3.0, 1.0]


def test_sum_aggregator_through_the_tree():
    fw = Framework.from_nodes(
        [Node("a", parent="I"), Node("b", parent="I", weight=3), Node("I", kind="Aggregate", level=2)]
    )
    data = Dataset.from_arrays([[10.0, 20.0], [1.0, NAN]], units="xy", columns=["a", "b"])
    assert Aggregator(method="sum").fit_transform(data, fw).column("I").tolist() == [[30.0, 1.0]]


def test_rank_on_the_asem_treated_set_is_coinr_n_rank(asem_data, asem_framework):
    # given: the treated ASEM data, whose ties after Winsorisation made 529 cells differ from COINr under
    # average ranks; COINr's rank = 1 + number of values below
    from xietong.composite import preset_pipeline

    treated = preset_pipeline("coinr").run(asem_data, asem_framework).datasets["Treated"]
    directions = asem_framework.directions()
    # when
    ranks = Normaliser(method="rank").fit_transform(treated, asem_framework).values[0]
    # then: every cell, with a plain loop as the reference
    x = treated.values[0] * directions
    expected = [
        [NAN if np.isnan(v) else 1 + sum(1 for w in x[:, j] if w < v) for v in x[:, j]]
        for j in range(x.shape[1])
    ]
    np.testing.assert_array_equal(ranks, np.array(expected).T)
