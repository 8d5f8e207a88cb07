"""Shared invariants of every registered step (STYLE §7): parameters, shape, no NaN leak, determinism,
fit/transform consistency, function twins, no mutation of the input."""

from __future__ import annotations

import numpy as np
import pytest

from xietong.composite import (
    STEP_TYPES,
    Dataset,
    Framework,
    Node,
    StepError,
    aggregate,
    denominate,
    entropy_weights,
    impute,
    normalise,
    screen,
    treat,
)

TWINS = {
    "denominate": denominate,
    "impute": impute,
    "screen": screen,
    "treat": treat,
    "normalise": normalise,
    "aggregate": aggregate,
}
PARAMS = {"weight": {"method": "entropy"}, "impute": {"method": "group_mean", "group": "g"}}


@pytest.fixture(scope="module")
def framework() -> Framework:
    nodes = [Node("pop", kind="Denominator", level=None), Node("g", kind="Group", level=None)]
    for i in range(6):
        nodes.append(
            Node(
                f"i{i}",
                parent="P" if i < 3 else "Q",
                direction=-1 if i == 4 else 1,
                denominator="pop" if i == 0 else None,
                weight=1 + i % 2,
            )
        )
    nodes += [
        Node("P", kind="Aggregate", level=2, parent="I"),
        Node("Q", kind="Aggregate", level=2, parent="I"),
        Node("I", kind="Aggregate", level=3),
    ]
    return Framework.from_nodes(nodes)


@pytest.fixture(scope="module")
def data() -> Dataset:
    rng = np.random.default_rng(42)
    values = np.exp(rng.normal(size=(3, 30, 6)) * np.array([0.3, 0.5, 2.0, 0.4, 1.5, 0.2]))  # some skewed
    values[0, 3, 1] = values[2, 7, 5] = values[1, 11, 2] = np.nan
    present = np.ones((3, 30), bool)
    present[2, 29] = False
    values[2, 29] = np.nan
    groups = {"g": np.tile(np.array(["A", "B", "C"] * 10, dtype=object), (3, 1))}
    extra = {"pop": rng.uniform(1, 10, size=(3, 30))}
    return Dataset(
        values=values,
        present=present,
        units=tuple(f"u{i:02d}" for i in range(30)),
        times=(2020, 2021, 2022),
        columns=tuple(f"i{i}" for i in range(6)),
        groups=groups,
        extra=extra,
    )


def _make(kind):
    return STEP_TYPES[kind](**PARAMS.get(kind, {}))


KINDS = sorted(STEP_TYPES)


def test_every_step_kind_is_covered():
    assert set(KINDS) == {"aggregate", "denominate", "impute", "normalise", "screen", "treat", "weight"}


@pytest.mark.parametrize("kind", KINDS)
def test_init_only_stores_parameters(kind):
    step = _make(kind)
    assert [a for a in vars(step) if a.endswith("_")] == []
    clone = type(step)(**step.get_params())
    assert clone.get_params() == step.get_params()


@pytest.mark.parametrize("kind", KINDS)
def test_transform_before_fit_raises(kind, data):
    with pytest.raises(RuntimeError, match="not fitted"):
        _make(kind).transform(data)


@pytest.mark.parametrize("kind", KINDS)
def test_shape_presence_and_no_nan_leak(kind, data, framework):
    out = _make(kind).fit_transform(data, framework)
    assert out.values.shape[:2] == data.values.shape[:2]
    assert out.columns[: len(data.columns)] == data.columns
    assert not (out.present & ~data.present).any()
    kept = out.present[:, :, None]
    was_there = ~np.isnan(data.values) & kept
    assert not np.isnan(out.values[:, :, : len(data.columns)][was_there]).any()
    if kind == "impute":
        assert not np.isnan(out.values[kept.repeat(6, axis=2)]).any()
    if kind == "aggregate":
        assert not np.isnan(out.values[:, :, 6:][out.present]).any()
    assert np.isnan(out.values[~out.present]).all()


@pytest.mark.parametrize("kind", KINDS)
def test_deterministic_and_fit_transform_consistent(kind, data, framework):
    first = _make(kind).fit_transform(data, framework)
    step = _make(kind).fit(data, framework)
    second = step.transform(data)
    np.testing.assert_array_equal(first.values, second.values)
    np.testing.assert_array_equal(step.transform(data).values, second.values)


@pytest.mark.parametrize("kind", KINDS)
def test_input_not_mutated(kind, data, framework):
    before = data.values.copy()
    _make(kind).fit_transform(data, framework)
    np.testing.assert_array_equal(data.values, before)


@pytest.mark.parametrize("kind", sorted(TWINS))
def test_function_twin_matches_class(kind, data, framework):
    by_class = _make(kind).fit_transform(data, framework)
    by_function = TWINS[kind](data, framework, **PARAMS.get(kind, {}))
    np.testing.assert_array_equal(by_class.values, by_function.values)


def test_weight_step_twin_is_the_weight_function(data, framework):
    step = _make("weight").fit(data, framework)
    rows = data.values[data.present]
    blocks = [rows[:, :3], rows[:, 3:]]  # each parent's indicators, each on the values it has
    expected = np.concatenate([entropy_weights(b) for b in blocks])
    np.testing.assert_allclose([step.weights_[f"i{i}"] for i in range(6)], expected, atol=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_with_params_is_an_unfitted_copy(kind, data, framework):
    step = _make(kind).fit(data, framework)
    copy = step.with_params()
    assert [a for a in vars(copy) if a.endswith("_")] == []
    assert copy.get_params() == step.get_params()
    with pytest.raises(StepError, match="has no parameter 'no_such_parameter'"):
        step.with_params(no_such_parameter=1)
