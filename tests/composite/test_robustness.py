"""Issue 14's "silently wrong" and "raw traceback" findings, each with its minimal input, and the
acceptance property: on random data with constant, all-NaN, inf and tied columns every engine call
returns finite results or raises the engine's own error type."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.composite import (
    STEP_TYPES,
    CompositeError,
    CompositeWarning,
    DataError,
    Dataset,
    Framework,
    FrameworkError,
    Node,
    Normaliser,
    Pipeline,
    StepError,
    Weighter,
    critic_weights,
    dataset_from_table,
    entropy_weights,
    pca_weights,
    preset_pipeline,
    read_table,
)

NAN = np.nan


def _caught(function, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CompositeWarning)
        out = function(*args, **kwargs)
    return out, [
        (w.message.code, w.message.params) for w in caught if isinstance(w.message, CompositeWarning)
    ]


# ------------------------------------------------------------------ objective weights per indicator
def test_entropy_constant_column_gets_zero_and_a_warning():
    # given: b is constant; a varies, with one missing value that must not drop the row for b
    x = [[1.0, 5.0], [2.0, 5.0], [NAN, 5.0], [4.0, 5.0]]
    weights, caught = _caught(entropy_weights, x, codes=["a", "b"])
    assert weights.tolist() == [1.0, 0.0]
    assert caught == [("constant_indicator", {"code": "b"})]


def test_entropy_all_zero_column_is_not_the_heaviest():
    # was: an all-zero column had entropy 0 and so the largest weight (0.92)
    weights, caught = _caught(
        entropy_weights, [[0.0, 1.0, 2.0], [0.0, 2.0, 1.0], [0.0, 4.0, 4.0]], codes=list("abc")
    )
    assert weights[0] == 0.0
    assert weights[1:].sum() == pytest.approx(1.0)
    assert caught == [("constant_indicator", {"code": "a"})]


def test_entropy_all_nan_column_is_excluded_and_the_rest_keep_their_rows():
    x = np.array([[1.0, NAN, 3.0], [2.0, NAN, 1.0], [4.0, NAN, 2.0]])
    weights, caught = _caught(entropy_weights, x, codes=list("abc"))
    assert weights[1] == 0.0
    np.testing.assert_allclose(weights[[0, 2]], entropy_weights(x[:, [0, 2]]), atol=1e-15)
    assert caught == [("excluded_indicator", {"code": "b"})]


def test_entropy_each_column_uses_the_values_it_has():
    # a has 4 values, b 3: b's entropy is over its own 3 values (ln 3), not the 3 complete rows of both
    x = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, NAN]])
    e_a = -sum(p * np.log(p) for p in np.array([1, 2, 3, 4]) / 10) / np.log(4)
    e_b = -sum(p * np.log(p) for p in np.array([1, 2, 3]) / 6) / np.log(3)
    assert entropy_weights(x).tolist() == pytest.approx(
        [(1 - e_a) / (2 - e_a - e_b), (1 - e_b) / (2 - e_a - e_b)]
    )


@pytest.mark.parametrize("function", [critic_weights, pca_weights])
def test_critic_and_pca_with_constant_and_all_nan_columns(function):
    x = np.array([[1.0, 7.0, NAN, 2.0], [2.0, 7.0, NAN, 1.0], [4.0, 7.0, NAN, 3.0], [3.0, 7.0, NAN, 5.0]])
    weights, caught = _caught(function, x, codes=list("abcd"))
    assert np.isfinite(weights).all()
    assert weights[1] == weights[2] == 0.0
    assert weights.sum() == pytest.approx(1.0)
    assert sorted(code for code, _ in caught) == ["constant_indicator", "excluded_indicator"]


def test_nothing_varies_is_an_engine_error():
    with pytest.raises(StepError, match="no indicator among a, b varies"):
        _caught(entropy_weights, [[1.0, 2.0], [1.0, 2.0]], codes=["a", "b"])


def test_cn_entropy_with_one_constant_indicator_keeps_learned_weights(asem_data, asem_framework):
    # was: one constant indicator dropped every row, so all 49 weights became 1/49
    values = asem_data.values.copy()
    values[:, :, asem_data.columns.index("LPI")] = 3.0
    data = asem_data.with_values(values)
    result = preset_pipeline("cn-entropy").run(data, asem_framework)
    weights = {c: result.framework.by_code[c].weight for c in asem_framework.indicators}
    assert weights["LPI"] == 0.0
    assert len({round(w, 12) for w in weights.values()}) > 10
    # min-max leaves the constant column missing (0/0, as COINr's n_minmax), so weighting excludes it
    assert [(w.code, w.params) for w in result.warnings] == [
        ("constant_not_normalised", {"codes": ["LPI"], "method": "minmax"}),
        ("excluded_indicator", {"code": "LPI"}),
    ]


# ------------------------------------------------------------------ inf, overflow, duplicates
def test_inf_in_arrays_becomes_missing_with_a_warning():
    fw = Framework.from_nodes(
        [Node("a", parent="I"), Node("b", parent="I"), Node("I", kind="Aggregate", level=2)]
    )
    data = Dataset.from_arrays([[1.0, np.inf], [2.0, 3.0], [3.0, 1.0]], units="xyz", columns=["a", "b"])
    result = preset_pipeline("coinr").run(data, fw)
    assert np.isfinite(result.data.column("I")).all()
    assert result.datasets["Raw"].values[0, 0, 1] != result.datasets["Raw"].values[0, 0, 1]  # NaN
    assert [(w.code, w.params) for w in result.warnings] == [
        ("infinite_values", {"count": 1, "codes": ["b"]})
    ]


def test_inf_cell_in_a_table_is_refused():
    fw = Framework.from_nodes([Node("a", parent="I"), Node("I", kind="Aggregate", level=2)])
    with pytest.raises(DataError) as info:
        dataset_from_table(pd.DataFrame({"uCode": ["x", "y"], "a": ["1", "-inf"]}), fw)
    assert [(i.row, i.column, i.code) for i in info.value.issues] == [(3, "a", "not_finite")]


def test_values_near_1e80_are_still_winsorised():
    # was: the fourth powers overflowed, kurtosis became NaN and the column "passed" untreated
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0] * 1e80
    data = Dataset.from_arrays(x[:, None], units=[f"u{i}" for i in range(12)], columns=["x"])
    step = STEP_TYPES["treat"]().fit(data, None)
    assert step.upper_[0, 0] == pytest.approx(30e80)
    assert int(step.n_winsorised_[0, 0]) == 1


def test_framework_from_nodes_refuses_duplicate_codes():
    with pytest.raises(FrameworkError, match="row 3, column 'iCode': code a repeats row 2"):
        Framework.from_nodes(
            [Node("a", parent="I"), Node("a", parent="I"), Node("I", kind="Aggregate", level=2)]
        )


def test_duplicate_csv_column_is_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("uCode,x,x\na,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"columns appear more than once in d\.csv: x"):
        read_table(path)


@pytest.mark.parametrize(("content", "code"), [("", "empty_file"), ("\n\n", "empty_file")])
def test_empty_file_is_a_data_error(tmp_path, content, code):
    path = tmp_path / "e.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path)
    assert info.value.code == code


def test_header_only_table_and_empty_dataset_are_engine_errors(tmp_path):
    fw = Framework.from_nodes([Node("a", parent="I"), Node("I", kind="Aggregate", level=2)])
    path = tmp_path / "h.csv"
    path.write_text("uCode,a\n", encoding="utf-8")
    with pytest.raises(DataError, match="the data table has no rows"):
        dataset_from_table(read_table(path), fw)
    empty = Dataset.from_arrays(np.empty((0, 1)), units=[], columns=["a"])
    with pytest.raises(StepError, match="no units"):
        preset_pipeline("coinr").run(empty, fw)


# ------------------------------------------------------------------ options
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lower": "abc"}, "lower must be a finite number \\(got 'abc'\\)"),
        ({"upper": float("inf")}, "upper must be a finite number"),
        ({"ties": "random"}, "unknown value 'random' of ties"),
        ({"method": "scaled", "bounds": (1.0, 1.0)}, "bounds must be two different numbers"),
    ],
)
def test_bad_normaliser_options_are_engine_errors(params, message):
    data = Dataset.from_arrays([[1.0], [2.0]], units="ab", columns=["x"])
    with pytest.raises(StepError, match=message):
        Normaliser(**params).fit(data, None)


def test_unknown_step_parameter_is_an_engine_error_not_a_type_error():
    with pytest.raises(StepError, match="step 1 \\(normalise\\): unknown parameter 'lowr'") as info:
        Pipeline.from_specs([{"kind": "normalise", "lowr": 1}])
    assert info.value.code == "unknown_parameter"


# ------------------------------------------------------------------ the acceptance property
KINDS = ("random", "constant", "nan", "inf", "tied", "zero", "huge")


def _column(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    x = rng.lognormal(0.0, 1.5, size=n)
    if kind == "constant":
        x = np.full(n, 4.2)
    elif kind == "nan":
        x = np.full(n, np.nan)
    elif kind == "inf":
        x[rng.integers(n)] = np.inf
    elif kind == "tied":
        x = rng.integers(0, 3, size=n).astype(float)
    elif kind == "zero":
        x = np.zeros(n)
    elif kind == "huge":
        x = x * 1e80
    holes = rng.random(n) < 0.15
    return np.where(holes, np.nan, x)


PIPELINES = [
    *[
        {"kind": "normalise", "method": m}
        for m in ("minmax", "zscore", "rank", "percentile", "borda", "fraction_max")
    ],
    {"kind": "normalise", "method": "scaled", "bounds": (0.0, 10.0)},
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=2, max_size=6),
    n=st.integers(min_value=2, max_value=12),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    weighting=st.sampled_from(["given", "entropy", "critic", "pca", "pca-cn", "equal"]),
    normalise=st.sampled_from(PIPELINES),
    preset=st.sampled_from(["coinr", "cn-entropy", "coinr-panel"]),
)
def test_every_engine_call_is_finite_or_an_engine_error(kinds, n, seed, weighting, normalise, preset):
    rng = np.random.default_rng(seed)
    codes = [f"i{j}" for j in range(len(kinds))]
    values = np.column_stack([_column(k, n, rng) for k in kinds])
    nodes = [Node(c, parent="P" if j % 2 else "Q") for j, c in enumerate(codes)]
    nodes += [
        Node("P", kind="Aggregate", level=2, parent="I"),
        Node("Q", kind="Aggregate", level=2, parent="I"),
    ]
    nodes += [Node("I", kind="Aggregate", level=3)]
    nodes = [
        node
        for node in nodes
        if node.kind == "Indicator" or node.code == "I" or any(m.parent == node.code for m in nodes)
    ]
    data = Dataset.from_arrays(values, units=[f"u{i}" for i in range(n)], columns=codes)
    calls = [
        lambda: preset_pipeline(preset).run(data, Framework.from_nodes(nodes)).data.values,
        lambda: (
            Pipeline.from_specs([normalise, {"kind": "weight", "method": weighting}, {"kind": "aggregate"}])
            .run(data, Framework.from_nodes(nodes))
            .data.values
        ),
        lambda: np.array(
            list(Weighter(method=weighting).fit(data, Framework.from_nodes(nodes)).weights_.values())
        ),
        lambda: entropy_weights(np.abs(np.where(np.isinf(values), np.nan, values))),
        lambda: critic_weights(np.where(np.isinf(values), np.nan, values)),
        lambda: pca_weights(np.where(np.isinf(values), np.nan, values)),
    ]
    for call in calls:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CompositeWarning)
                warnings.simplefilter(
                    "error", RuntimeWarning
                )  # numpy's overflow/invalid: a silent wrong answer
                out = np.asarray(call(), dtype=float)
        except CompositeError:
            continue
        assert not np.isinf(out).any()
        if out.ndim == 1:  # weights: every one a finite number
            assert np.isfinite(out).all()


def test_scope_all_parent_whose_only_child_is_constant_weighs_zero():
    # given: Q's only indicator is constant, so entropy gives it 0 — and Q's children would sum to 0
    fw = Framework.from_nodes(
        [
            Node("a", parent="P"),
            Node("b", parent="P"),
            Node("c", parent="Q"),
            Node("P", kind="Aggregate", level=2, parent="I"),
            Node("Q", kind="Aggregate", level=2, parent="I"),
            Node("I", kind="Aggregate", level=3),
        ]
    )
    data = Dataset.from_arrays(
        [[1.0, 2.0, 5.0], [2.0, 1.0, 5.0], [4.0, 3.0, 5.0]], units="xyz", columns=list("abc")
    )
    step, _ = _caught(Weighter(method="entropy", scope="all").fit, data, fw)
    # then: Q weighs 0 and the framework stays valid (c keeps its given weight, which no longer matters)
    assert step.weights_["Q"] == 0.0 and step.weights_["c"] == 1.0
    assert step.update_framework(fw).effective_weights(every_level=True)["c"] == 0.0


def test_screener_thresholds_must_be_numbers():
    data = Dataset.from_arrays([[1.0], [2.0]], units="ab", columns=["x"])
    with pytest.raises(StepError, match="min_availability must be a finite number \\(got 'abc'\\)"):
        STEP_TYPES["screen"](min_availability="abc").fit(data, None)


def test_runs_in_parallel_threads_keep_their_own_warnings():
    from concurrent.futures import ThreadPoolExecutor

    fw = Framework.from_nodes(
        [Node("a", parent="I"), Node("b", parent="I"), Node("I", kind="Aggregate", level=2)]
    )
    rows = np.random.default_rng(3).uniform(1, 9, size=(400, 2))
    clean = Dataset.from_arrays(rows, units=[f"u{i}" for i in range(400)], columns=["a", "b"])
    rows = rows.copy()
    rows[5, 1] = np.inf
    dirty = Dataset.from_arrays(rows, units=[f"u{i}" for i in range(400)], columns=["a", "b"])
    inputs = [clean, dirty] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda d: preset_pipeline("coinr").run(d, fw), inputs))
    assert [[w.code for w in r.warnings] for r in results] == [[], ["infinite_values"]] * 8
