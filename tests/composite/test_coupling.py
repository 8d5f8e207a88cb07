"""Coupling coordination: hand-computed cases (n = 2, 3, 5, both C forms), band edges, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from xietong.composite import band_of, coupling_coordination, coupling_degree


@pytest.mark.parametrize(
    ("u", "normative", "modified"),
    [
        # n = 2: C = 2√(U1U2)/(U1+U2); modified √((1 − |U1−U2|)·U_min/U_max)
        ((0.2, 0.8), 2 * math.sqrt(0.16) / 1.0, math.sqrt((1 - 0.6) * 0.25)),
        ((0.3, 0.6), 2 * math.sqrt(0.18) / 0.9, math.sqrt((1 - 0.3) * 0.5)),
        # n = 3: C = 3·(ΠU)^(1/3)/ΣU; modified √((1 − Σ|Ui−Uj|/3)·(Π Ui/max)^(1/2))
        (
            (0.2, 0.4, 0.8),
            3 * 0.064 ** (1 / 3) / 1.4,
            math.sqrt((1 - (0.2 + 0.6 + 0.4) / 3) * (0.25 * 0.5) ** 0.5),
        ),
        # n = 5: the pairwise sum has 10 pairs, Σ m (m = 1..4) = 10
        (
            (0.5, 0.5, 0.5, 0.5, 0.25),
            5 * (0.5**4 * 0.25) ** 0.2 / 2.25,
            math.sqrt((1 - 4 * 0.25 / 10) * 0.5**0.25),
        ),
    ],
)
def test_hand_computed_cases(u, normative, modified):
    assert coupling_degree([u])[0] == pytest.approx(normative, abs=1e-12)
    assert coupling_degree([u], form="modified")[0] == pytest.approx(modified, abs=1e-12)


def test_d_t_and_weights_hand_computed():
    # given: U = (0.2, 0.8), α = (0.4, 0.6) → T = 0.56, C = 0.8, D = √0.448
    result = coupling_coordination([[0.2, 0.8]], weights=[0.4, 0.6])
    assert result.T[0] == pytest.approx(0.56)
    assert result.D[0] == pytest.approx(math.sqrt(0.8 * 0.56))
    assert result.band[0] == "初级协调"  # 0.669 in [0.6, 0.7)


@pytest.mark.parametrize(
    ("d", "label"),
    [
        (0.0, "极度失调"),
        (0.0999999, "极度失调"),
        (0.1, "严重失调"),
        (0.4999999, "濒临失调"),
        (0.5, "勉强协调"),
        (0.8999999, "良好协调"),
        (0.9, "优质协调"),
        (1.0, "优质协调"),
    ],
)
def test_default_band_edges(d, label):
    assert band_of([d])[0] == label


def test_custom_bands():
    bands = [(0.0, "低"), (0.5, "高")]
    assert band_of([0.49, 0.5], bands).tolist() == ["低", "高"]


def test_bad_inputs_are_refused_in_chinese():
    with pytest.raises(ValueError, match="at least 2 subsystems"):
        coupling_degree([[0.5]])
    with pytest.raises(ValueError, match="sum to 1"):
        coupling_coordination([[0.5, 0.5]], weights=[0.5, 0.6])


systems = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=2, max_size=6)


@example([0.0, 5e-324])  # a subnormal value once underflowed to 0/0
@given(systems)
def test_c_in_unit_interval_both_forms(u):
    for form in ("normative", "modified"):
        c = coupling_degree([u], form=form)[0]
        assert 0.0 <= c <= 1.0


@given(st.floats(min_value=1e-6, max_value=1.0), st.integers(min_value=2, max_value=6))
def test_c_is_one_when_all_equal(value, n):
    for form in ("normative", "modified"):
        assert coupling_degree([[value] * n], form=form)[0] == pytest.approx(1.0, abs=1e-12)


positive = st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=2, max_size=6)
scale = st.floats(min_value=0.01, max_value=1.0)


@given(positive, scale, scale)
def test_d_monotone_in_t_for_fixed_c(base, a, b):
    # given: scaling every U keeps the normative C (degree-0 homogeneous) and scales T
    u = np.array([base]) / max(base)
    low, high = coupling_coordination(u * min(a, b)), coupling_coordination(u * max(a, b))
    # then
    assert low.C[0] == pytest.approx(high.C[0], abs=1e-9)
    assert low.T[0] <= high.T[0] + 1e-15
    assert low.D[0] <= high.D[0] + 1e-12
