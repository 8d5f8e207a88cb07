"""Each step on small hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.composite import (
    Aggregator,
    Dataset,
    Framework,
    Imputer,
    Node,
    Normaliser,
    OutlierTreater,
    Screener,
    StepError,
    impute,
    normalise,
    rank_scores,
    screen,
    treat,
    weighted_mean,
    winsorise_bounds,
)

from . import reference

NAN = np.nan


def _data(rows, columns=("x",), groups=None, times=(0,)):
    rows = np.asarray(rows, float)
    units = [f"u{i}" for i in range(rows.shape[-2])]
    return Dataset.from_arrays(rows, units=units, columns=columns, times=times, groups=groups)


# ------------------------------------------------------------------ impute
def test_group_mean_uses_only_the_same_group():
    data = _data(
        [[1.0], [NAN], [3.0], [10.0], [NAN]], groups={"g": np.array([["A", "A", "A", "B", "B"]], object)}
    )
    out = impute(data, method="group_mean", group="g")
    assert out.values[0, :, 0].tolist() == [1.0, 2.0, 3.0, 10.0, 10.0]


def test_group_median_and_fallback_when_group_all_missing():
    data = _data(
        [[1.0], [2.0], [9.0], [NAN], [NAN]], groups={"g": np.array([["A", "A", "A", "B", "B"]], object)}
    )
    out = impute(data, method="group_median", group="g", fallback="mean")
    assert out.values[0, :, 0].tolist() == [1.0, 2.0, 9.0, 4.0, 4.0]  # B has no data: overall mean


def test_column_median_per_year():
    cube = np.array([[[1.0], [5.0], [NAN]], [[2.0], [NAN], [10.0]]])
    out = impute(Dataset.from_arrays(cube, units="abc", columns=["x"], times=(1, 2)), method="median")
    assert out.values[:, :, 0].tolist() == [[1.0, 5.0, 3.0], [2.0, 6.0, 10.0]]


def test_panel_locf_and_linear():
    # years × one unit: NaN, 2, NaN, NaN, 8, NaN
    cube = np.array([NAN, 2.0, NAN, NAN, 8.0, NAN])[:, None, None]
    data = Dataset.from_arrays(cube, units=["a"], columns=["x"], times=range(2000, 2006))
    assert impute(data, method="locf").values[:, 0, 0].tolist() == [2.0, 2.0, 2.0, 2.0, 8.0, 8.0]
    assert impute(data, method="linear").values[:, 0, 0].tolist() == [2.0, 2.0, 4.0, 6.0, 8.0, 8.0]


def test_unknown_option_is_refused_in_english():
    with pytest.raises(StepError, match="unknown value 'magic' of method"):
        Imputer(method="magic").fit(_data([[1.0]]), None)


# ------------------------------------------------------------------ screen
def test_screen_availability_zeros_and_forcing():
    data = _data([[1.0, 2.0], [NAN, 2.0], [0.0, 0.0], [NAN, NAN]], columns=("x", "y"))
    kept = Screener(min_availability=0.5, max_zero_share=0.5, force_in=["u3"]).fit(data, None).kept_
    assert kept.tolist() == [[True, True, False, True]]
    out = screen(data, min_availability=1.0, force_out=["u0"])
    assert out.present.tolist() == [[False, False, True, False]]
    assert np.isnan(out.values[0, 0]).all()


# ------------------------------------------------------------------ treat
def test_winsorise_matches_plain_loop_on_several_shapes():
    rng = np.random.default_rng(7)
    columns = [
        np.r_[np.arange(1.0, 11.0), 30.0, 100.0],
        -np.exp(rng.normal(size=40) * 2),  # low outliers
        np.r_[np.ones(20), 50.0, 50.0, 50.0, 200.0],  # ties at the top
        np.exp(rng.normal(size=60) * 3),
    ]
    for column in columns:
        expected = reference.treat_column(column.tolist())
        got = treat(_data(column[:, None])).values[0, :, 0]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_winsorise_bounds_counts_and_log_fallback():
    lower, upper, n, passing = winsorise_bounds(np.r_[np.arange(1.0, 11.0), 30.0, 100.0][:, None], winmax=5)
    assert (lower[0], upper[0], n[0], passing[0]) == (-np.inf, 30.0, 1, True)
    # a column that Winsorising 1 point cannot fix is log-transformed instead (from the original values)
    x = np.r_[np.ones(30), 1000.0, 2000.0, 5000.0]
    step = OutlierTreater(winmax=1).fit(_data(x[:, None]), None)
    assert step.log_[0, 0]
    low, high = 1.0, 5000.0
    expected = np.log(x - low + 0.01 * (high - low))
    np.testing.assert_allclose(step.transform(_data(x[:, None])).values[0, :, 0], expected)


def test_pooled_treatment_uses_all_years():
    cube = np.concatenate([np.r_[np.arange(1.0, 11.0), 30.0, 100.0][None, :, None]] * 2)
    step = OutlierTreater(pooled=True).fit(
        Dataset.from_arrays(cube, units=list("abcdefghijkl"), columns=["x"], times=(1, 2)), None
    )
    assert step.upper_.shape == (2, 1)
    assert step.upper_[0, 0] == step.upper_[1, 0]


# ------------------------------------------------------------------ normalise
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"method": "minmax"}, [0.0, 25.0, 100.0]),
        ({"method": "minmax", "lower": 1, "upper": 10}, [1.0, 3.25, 10.0]),
        ({"method": "zscore", "lower": 0, "upper": 1}, None),  # computed in the test body
        ({"method": "rank"}, [1.0, 2.0, 3.0]),
        ({"method": "percentile"}, [0.0, 50.0, 100.0]),
        ({"method": "borda"}, [0.0, 1.0, 2.0]),
        ({"method": "fraction_max"}, [20.0, 40.0, 100.0]),
        ({"method": "distance_reference", "reference": "u1", "upper": 1}, [0.5, 1.0, 2.5]),
        ({"method": "goalposts", "goalposts": {"x": (2.0, 4.0)}, "upper": 1}, [0.0, 0.0, 1.0]),
        ({"method": "minmax", "lower": 0, "upper": 1, "shift": 0.0001}, [0.0001, 0.2501, 1.0001]),
    ],
)
def test_normalise_methods(params, expected):
    out = normalise(_data([[1.0], [2.0], [5.0]]), **params).values[0, :, 0]
    if params["method"] == "zscore":
        mean, sd = 8 / 3, math.sqrt(((1 - 8 / 3) ** 2 + (2 - 8 / 3) ** 2 + (5 - 8 / 3) ** 2) / 2)
        expected = [(v - mean) / sd for v in (1.0, 2.0, 5.0)]
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_normalise_applies_direction_and_target():
    fw = Framework.from_nodes(
        [Node("x", parent="I", direction=-1, target=-2.0), Node("I", kind="Aggregate", level=2)]
    )
    data = _data([[1.0], [2.0], [5.0]])
    assert Normaliser().fit_transform(data, fw).values[0, :, 0].tolist() == [100.0, 75.0, 0.0]
    # direction −1, target 2 (written −2 after direction): min(−x / −2, 1) × 100
    fw_target = Framework.from_nodes(
        [Node("x", parent="I", target=4.0), Node("I", kind="Aggregate", level=2)]
    )
    assert Normaliser(method="ratio_target").fit_transform(data, fw_target).values[0, :, 0].tolist() == [
        25.0,
        50.0,
        100.0,
    ]


def test_normalise_pooled_over_years():
    cube = np.array([[[0.0], [10.0]], [[5.0], [20.0]]])
    data = Dataset.from_arrays(cube, units="ab", columns=["x"], times=(1, 2))
    assert normalise(data, pooled=True).values[:, :, 0].tolist() == [[0.0, 50.0], [25.0, 100.0]]
    assert normalise(data).values[:, :, 0].tolist() == [[0.0, 100.0], [0.0, 100.0]]


# ------------------------------------------------------------------ aggregate
def test_weighted_means_hand_computed():
    x = np.array([[1.0, 4.0, 16.0]])
    w = np.array([[1.0], [1.0], [2.0]])
    assert weighted_mean(x, w)[0, 0] == pytest.approx((1 + 4 + 32) / 4)
    assert weighted_mean(x, w, method="geometric")[0, 0] == pytest.approx((1 * 4 * 16**2) ** 0.25)
    assert weighted_mean(x, w, method="harmonic")[0, 0] == pytest.approx(4 / (1 + 1 / 4 + 2 / 16))
    assert weighted_mean(x, w, method="generalised", power=2)[0, 0] == pytest.approx(
        ((1 + 16 + 2 * 256) / 4) ** 0.5
    )


def test_missing_handling_drop_propagate_and_min_share():
    x = np.array([[NAN, 4.0, 16.0]])
    w = np.array([[2.0], [1.0], [1.0]])
    assert weighted_mean(x, w)[0, 0] == 10.0
    assert np.isnan(weighted_mean(x, w, missing="propagate")[0, 0])
    assert np.isnan(weighted_mean(x, w, min_share=0.6)[0, 0])
    assert weighted_mean(x, w, min_share=0.5)[0, 0] == 10.0


def _tree():
    return Framework.from_nodes(
        [
            Node("a", parent="P"),
            Node("b", parent="P", weight=3),
            Node("c", parent="Q"),
            Node("P", kind="Aggregate", level=2, parent="I", weight=1),
            Node("Q", kind="Aggregate", level=2, parent="I", weight=1),
            Node("I", kind="Aggregate", level=3),
        ]
    )


def test_aggregate_per_level_and_per_node():
    data = _data([[10.0, 40.0, 90.0]], columns=("a", "b", "c"))
    out = Aggregator().fit_transform(data, _tree())
    assert out.columns == ("a", "b", "c", "P", "Q", "I")
    assert out.values[0, 0, 3:].tolist() == [32.5, 90.0, 61.25]
    mixed = Aggregator(method={3: "geometric", "P": "harmonic"}).fit_transform(data, _tree())
    p = 4 / (1 / 10 + 3 / 40)
    assert mixed.values[0, 0, 3:].tolist() == pytest.approx([p, 90.0, math.sqrt(p * 90.0)])


def test_geometric_of_zero_names_unit_and_column():
    data = _data([[10.0, 0.0, 90.0]], columns=("a", "b", "c"))
    with pytest.raises(StepError, match="unit 'u0' has 0 in b; the geometric mean needs positive values"):
        Aggregator(method="geometric").fit_transform(data, _tree())


def test_rank_ties_get_the_minimum():
    assert rank_scores(np.array([[5.0, 9.0, 9.0, 1.0, NAN, 5.0]])).tolist()[0][:4] == [3.0, 1.0, 1.0, 5.0]


# ------------------------------------------------------------------ invariants


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.floats(0, 100), min_size=3, max_size=3), min_size=4, max_size=8),
    st.integers(0, 2),
    st.floats(0.0, 50.0),
)
def test_index_monotone_in_a_positive_indicator(rows, column, increase):
    # given: scales learned once, then one unit improves one positive indicator
    fw = _tree()
    data = _data(rows, columns=("a", "b", "c"))
    scaler = Normaliser(lower=0, upper=100).fit(data, fw)
    better = data.values.copy()
    better[0, 0, column] += increase
    aggregator = Aggregator().fit(data, fw)
    # when
    before = aggregator.transform(scaler.transform(data)).column("I")[0, 0]
    after = aggregator.transform(scaler.transform(data.with_values(better))).column("I")[0, 0]
    # then
    if not np.isnan(before):
        assert after >= before - 1e-9
