"""Complexity on degenerate matrices and, by hypothesis, on random ones: defined results, never NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xietong.specialisation import SpecialisationError, complexity, density, proximity, specialise


def _matrix(rows) -> pd.DataFrame:
    rows = np.asarray(rows, dtype=np.float64)
    return pd.DataFrame(
        rows, index=[f"r{i}" for i in range(rows.shape[0])], columns=[f"s{j}" for j in range(rows.shape[1])]
    )


def _finite(result) -> bool:
    table = result.table()
    numbers = table.drop(columns=["region", "segment", "lq_class", "lq_class_label"]).to_numpy(np.float64)
    return bool(np.isfinite(numbers).all())


def test_proximity_takes_the_smaller_conditional_probability_and_zeroes_the_diagonal():
    m = _matrix([[1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 0, 0]]).astype(int)
    phi = proximity(m)
    # a in 4 regions, b in 2, both in 2: min(2/4, 2/2) = 0.5; b and c together in 1: 1 / max(2, 2)
    assert phi.loc["s0", "s1"] == 0.5
    assert phi.loc["s1", "s2"] == 0.5
    assert np.diag(phi.to_numpy()).tolist() == [0.0, 0.0, 0.0]
    assert (phi.to_numpy() == phi.to_numpy().T).all()


def test_density_is_the_share_of_a_segments_neighbours_the_region_has():
    m = _matrix([[1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 0, 0]]).astype(int)
    # r3 has only s0; s1's neighbours: φ(s0,s1) = 0.5, φ(s2,s1) = 0.5 -> 0.5 / 1.0
    assert density(m).loc["r3", "s1"] == 0.5


def test_density_takes_a_given_proximity_of_the_same_segments_only():
    m = _matrix([[1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 0, 0]]).astype(int)
    assert density(m, proximity(m)).equals(density(m))
    with pytest.raises(SpecialisationError, match="邻近度矩阵的行与列须与存在矩阵的环节一致"):
        density(m, proximity(m).iloc[:2, :2])


def test_presence_must_be_binary():
    with pytest.raises(SpecialisationError, match="只能取 0 或 1"):
        complexity(_matrix([[1, 2], [0, 1]]))


def test_a_region_with_nothing_keeps_everyone_else_defined():
    x = _matrix([[6, 5, 0], [1, 5, 3], [0, 0, 0], [2, 2, 6]])
    result = specialise(x)
    assert result.m.to_numpy().tolist() == [[1, 1, 0], [0, 1, 1], [0, 0, 0], [0, 0, 1]]
    c = result.complexity
    assert c.eci_defined.tolist() == [True, True, False, True]
    assert c.eci["r2"] == 0.0
    assert c.density.loc["r2"].tolist() == [0.0, 0.0, 0.0]
    assert result.rca.loc["r2"].tolist() == [0.0, 0.0, 0.0]
    assert _finite(result)


def test_a_segment_nobody_has_gets_pci_zero_and_no_presence():
    x = _matrix([[6, 5, 0, 0], [1, 5, 0, 3], [2, 2, 0, 6]])
    result = specialise(x)
    assert result.m.to_numpy().tolist() == [[1, 1, 0, 0], [0, 1, 0, 1], [0, 0, 0, 1]]
    assert result.complexity.ubiquity["s2"] == 0
    assert result.complexity.pci_defined.tolist() == [True, True, False, True]
    assert result.pci["s2"] == 0.0
    assert result.density["s2"].tolist() == [0.0, 0.0, 0.0]
    assert _finite(result)


def test_a_group_sharing_no_segment_with_the_rest_is_left_out_of_complexity():
    # r0–r2 share s0–s2; r3 alone has s3: the graph has two parts, ECI is computed on the larger one
    x = _matrix([[6, 5, 0, 0], [1, 5, 3, 0], [2, 2, 6, 0], [0, 0, 0, 4]])
    result = specialise(x)
    assert result.m.to_numpy()[:, 3].tolist() == [0, 0, 0, 1]
    c = result.complexity
    assert c.eci_defined.tolist() == [True, True, True, False]
    assert c.pci_defined.tolist() == [True, True, True, False]
    assert c.eci["r3"] == 0.0
    assert result.eci[["r0", "r1", "r2"]].abs().min() > 0
    assert _finite(result)


def test_one_region_only_is_defined_without_complexity():
    result = specialise(_matrix([[3, 1, 0]]))
    assert result.rca.to_numpy().tolist() == [[1.0, 1.0, 0.0]]
    assert result.m.to_numpy().tolist() == [[1, 1, 0]]
    assert not result.complexity.defined
    assert result.eci.tolist() == [0.0]
    assert result.pci.tolist() == [0.0, 0.0, 0.0]
    assert result.complexity.coi.tolist() == [0.0]
    assert (result.complexity.cog.to_numpy() == 0).all()
    assert _finite(result)


def test_all_zeros_are_defined_and_all_zero():
    result = specialise(_matrix(np.zeros((3, 4))))
    assert not result.complexity.defined
    table = result.table()
    assert (table[["rca", "m", "density", "cog", "eci", "pci", "coi", "hachman"]].to_numpy() == 0).all()
    assert set(table["lq_class"]) == {"absent"}


def test_identical_regions_have_no_spread_so_no_complexity():
    result = specialise(_matrix([[1, 2, 3], [1, 2, 3], [2, 4, 6]]))
    assert not result.complexity.defined
    assert _finite(result)


@given(st.integers(1, 4).flatmap(lambda k: st.just(k)))
def test_negative_values_are_refused(k):
    with pytest.raises(SpecialisationError, match="数值不能为负"):
        specialise(_matrix([[1.0, -k], [2.0, 3.0]]))


values = st.sampled_from([0.0, 0.0, 1.0, 2.0, 3.0, 7.5, 100.0, 1e6])


@settings(max_examples=150, deadline=None)
@given(
    st.tuples(st.integers(1, 9), st.integers(1, 9)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=values)
    )
)
def test_random_matrices_give_finite_results(x):
    result = specialise(_matrix(x))
    assert _finite(result)
    table = result.table()
    assert set(table["m"].unique()) <= {0, 1}
    assert ((table["density"] >= 0) & (table["density"] <= 1 + 1e-12)).all()
    assert (table["cog"][table["m"] == 1] == 0).all()
    c = result.complexity
    if c.defined:
        eci = c.eci[c.eci_defined].to_numpy()
        n_segments = int(c.pci_defined.sum())
        assert abs(eci.mean()) < 1e-9
        # unit sample sd over the region × segment panel (Stata's convention)
        assert np.sqrt((eci**2).sum() * n_segments / (len(eci) * n_segments - 1)) == pytest.approx(
            1.0, abs=1e-9
        )


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.integers(2, 7), st.integers(2, 7)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=values)
    ),
    st.sampled_from([0.5, 2.0, 1024.0]),
)
def test_scaling_every_value_changes_nothing(x, factor):
    before, after = specialise(_matrix(x)).table(), specialise(_matrix(x * factor)).table()
    columns = ["rca", "m", "density", "cog", "eci", "pci", "coi", "hachman"]
    assert np.abs(before[columns].to_numpy(float) - after[columns].to_numpy(float)).max() < 1e-9
    assert before["lq_class"].tolist() == after["lq_class"].tolist()
