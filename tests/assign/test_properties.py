"""Property tests over random rounds: every rule holds, and optimal / randomized reach the LP optimum.

The LP is written independently in `oracle.py` from the rules; HiGHS solves it. An item is either
staffed with exactly k experts or reported with a reason, and the reported items really cannot be
added: the LP over the staffed items plus the reported ones is infeasible.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assign.oracle import Spec, brute_force_fair, check_rules, lp_optimum
from xietong.assign import Instance, solve

REGIONS = ("川", "渝", "京")
TOLERANCE = 1e-6


@st.composite
def specs(draw, max_items: int = 7, max_experts: int = 10) -> Spec:
    n_items = draw(st.integers(1, max_items))
    n_experts = draw(st.integers(1, max_experts))
    items = [f"项目{i}" for i in range(n_items)]
    experts = [f"专家{e}" for e in range(n_experts)]
    density = draw(st.sampled_from([0.3, 0.6, 0.9, 1.0]))
    affinity = []
    for item in items:
        for expert in experts:
            if draw(st.floats(0, 1)) < density:
                value = draw(st.floats(-1, 1, allow_nan=False, allow_infinity=False, width=32))
                affinity.append((item, expert, float(value)))
    max_k = min(3, n_experts)
    if draw(st.booleans()):
        k: int | dict[str, int] = draw(st.integers(1, max_k))
    else:
        k = {item: draw(st.integers(1, max_k)) for item in items}
    if draw(st.booleans()):
        cap: int | dict[str, int] = draw(st.integers(1, 4))
    else:
        cap = {expert: draw(st.integers(1, 4)) for expert in experts}
    conflicts = [(i, e) for i, e, _ in affinity if draw(st.floats(0, 1)) < 0.15]
    region = {x: draw(st.sampled_from(REGIONS)) for x in items + experts}
    min_k = min(k.values()) if isinstance(k, dict) else k
    min_other = draw(st.integers(0, min(min_k, 2)))
    max_same = draw(st.one_of(st.none(), st.integers(0, 2)))
    spec = Spec(items, experts, affinity, k, cap, conflicts, region, min_other, max_same)
    spec.fixed = _some_fixed(spec, draw)
    return spec


def _some_fixed(spec: Spec, draw) -> list[tuple[str, str]]:
    """A few eligible pairs that keep every rule on their own (as the seats of a round being re-drawn)."""
    fixed, per_item, per_expert, same = [], {}, {}, {}
    for item, expert in spec.eligible():
        if draw(st.floats(0, 1)) >= 0.1:
            continue
        is_same = spec.region[item] == spec.region[expert]
        budget = spec.k_of(item) - spec.min_other_region
        if spec.max_same_region is not None:
            budget = min(budget, spec.max_same_region)
        if (
            per_item.get(item, 0) < spec.k_of(item)
            and per_expert.get(expert, 0) < spec.cap_of(expert)
            and (not spec.regional or not is_same or same.get(item, 0) < budget)
        ):
            fixed.append((item, expert))
            per_item[item] = per_item.get(item, 0) + 1
            per_expert[expert] = per_expert.get(expert, 0) + 1
            same[item] = same.get(item, 0) + is_same
    return fixed


def _staffed(spec: Spec, infeasible: dict[str, str]) -> list[str]:
    return [i for i in spec.items if i not in infeasible]


def _check_report(spec: Spec, result, q: float | None = None) -> None:
    """The reported items cannot be added back: with them the LP has no solution."""
    if result.infeasible:
        assert lp_optimum(spec, spec.items, q) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_optimal_keeps_every_rule_and_reaches_the_lp_optimum(spec):
    result = solve(Instance(**spec.kwargs()), "optimal")
    check_rules(spec, result.pairs, result.infeasible)
    _check_report(spec, result)
    optimum = lp_optimum(spec, _staffed(spec, result.infeasible))
    assert optimum is not None
    assert result.objective == pytest.approx(optimum, abs=TOLERANCE)
    assert result.objective == pytest.approx(sum(a for _, _, a in result.pairs))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), st.randoms(use_true_random=False))
def test_the_report_and_the_optimum_do_not_depend_on_the_order_of_the_input(spec, rnd):
    """The reported items are the minimal minimum cut, unique whatever flow the solver finds."""
    result = solve(Instance(**spec.kwargs()), "optimal")
    shuffled = spec.kwargs()
    for key in ("items", "experts", "affinity", "conflicts", "fixed"):
        shuffled[key] = rnd.sample(list(shuffled[key]), len(shuffled[key]))
    again = solve(Instance(**shuffled), "optimal")
    assert again.infeasible == result.infeasible
    assert again.objective == pytest.approx(result.objective, abs=TOLERANCE)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), st.integers(0, 2**31 - 1))
def test_random_keeps_every_rule_and_repeats_with_its_seed(spec, seed):
    inst = Instance(**spec.kwargs())
    first = solve(inst, "random", seed=seed)
    check_rules(spec, first.pairs, first.infeasible)
    assert first.seed == seed
    assert solve(Instance(**spec.kwargs()), "random", seed=seed).pairs == first.pairs
    # Random mode staffs exactly the items optimal mode staffs: feasibility does not depend on weights.
    assert first.infeasible.keys() == solve(inst, "optimal").infeasible.keys()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), st.sampled_from([0.25, 0.4, 0.5, 0.75, 1.0]), st.integers(0, 2**31 - 1))
def test_randomized_caps_probabilities_and_reaches_the_lp_optimum(spec, q, seed):
    result = solve(Instance(**spec.kwargs()), "randomized", seed=seed, max_prob=q)
    check_rules(spec, result.pairs, result.infeasible)
    _check_report(spec, result, q)
    assert result.max_prob == q
    fixed = set(spec.fixed)
    for pair, p in result.probabilities.items():
        assert 0 < p <= (1.0 if pair in fixed else q + 1e-12)
    for item in _staffed(spec, result.infeasible):
        total = sum(p for (i, _), p in result.probabilities.items() if i == item)
        assert total == pytest.approx(spec.k_of(item))
    optimum = lp_optimum(spec, _staffed(spec, result.infeasible), q)
    assert optimum is not None
    assert result.expected_objective == pytest.approx(optimum, abs=TOLERANCE)
    # The sampled assignment only uses pairs the LP gave a positive probability.
    assert {(i, e) for i, e, _ in result.pairs} <= set(result.probabilities)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(max_items=5, max_experts=8))
def test_fair_keeps_every_rule_and_is_no_worse_for_the_weakest_item(spec):
    inst = Instance(**spec.kwargs())
    fair = solve(inst, "fair")
    optimal = solve(inst, "optimal")
    check_rules(spec, fair.pairs, fair.infeasible)
    assert fair.infeasible.keys() == optimal.infeasible.keys()
    if optimal.min_item_affinity is not None:
        assert fair.min_item_affinity >= optimal.min_item_affinity - TOLERANCE
        # Among the assignments as fair as it, the total is the best; optimal's total bounds it.
        assert fair.objective <= optimal.objective + TOLERANCE


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(max_items=3, max_experts=5))
def test_fair_is_the_lexicographic_optimum_found_by_enumeration(spec):
    """Weakest item first, then the total: the same pair of numbers as trying every assignment."""
    fair = solve(Instance(**spec.kwargs()), "fair")
    staffed = _staffed(spec, fair.infeasible)
    best = brute_force_fair(spec, staffed)
    assert best is not None
    if staffed:
        assert fair.min_item_affinity == pytest.approx(best[0], abs=TOLERANCE)
        assert fair.objective == pytest.approx(best[1], abs=TOLERANCE)


def _big_spec(n_items: int, n_experts: int, seed: int, *, regional: bool, per_item: int = 40) -> Spec:
    rng = np.random.default_rng(seed)
    items = [f"i{i}" for i in range(n_items)]
    experts = [f"e{e}" for e in range(n_experts)]
    affinity, conflicts = [], []
    for item in items:
        pool = rng.choice(n_experts, size=per_item, replace=False)
        for e, value in zip(pool, rng.random(per_item), strict=True):
            affinity.append((item, experts[e], float(value)))
            if rng.random() < 0.02:
                conflicts.append((item, experts[e]))
    region = {x: REGIONS[int(rng.integers(3))] for x in items + experts}
    return Spec(
        items,
        experts,
        affinity,
        k=3,
        cap=2,
        conflicts=conflicts,
        region=region,
        min_other_region=1 if regional else 0,
        max_same_region=1 if regional else None,
    )


@pytest.mark.parametrize(
    ("n_items", "n_experts", "seed", "regional"),
    [(200, 500, 1, False), (200, 500, 2, True), (200, 300, 3, True), (150, 250, 4, False)],
)
def test_optimal_equals_the_lp_on_big_rounds(n_items, n_experts, seed, regional):
    spec = _big_spec(n_items, n_experts, seed, regional=regional)
    result = solve(Instance(**spec.kwargs()), "optimal")
    check_rules(spec, result.pairs, result.infeasible)
    _check_report(spec, result)
    optimum = lp_optimum(spec, _staffed(spec, result.infeasible))
    assert result.objective == pytest.approx(optimum, rel=1e-9, abs=TOLERANCE)
    if n_experts == 500:
        assert not result.infeasible  # 1,000 seats for 600 reviews: everyone is staffed


@pytest.mark.parametrize(("q", "seed"), [(0.5, 11), (0.25, 12)])
def test_randomized_equals_the_lp_on_a_big_round(q, seed):
    spec = _big_spec(200, 500, seed, regional=True)
    result = solve(Instance(**spec.kwargs()), "randomized", seed=seed, max_prob=q)
    check_rules(spec, result.pairs, result.infeasible)
    optimum = lp_optimum(spec, _staffed(spec, result.infeasible), q)
    assert result.expected_objective == pytest.approx(optimum, rel=1e-9, abs=TOLERANCE)
    assert max(result.probabilities.values()) <= q


def test_randomized_marginals_are_the_sampling_frequencies():
    """Dependent rounding keeps every pair's probability: 2,000 draws agree with the LP's marginals."""
    spec = _big_spec(6, 12, 5, regional=True, per_item=9)
    inst = Instance(**spec.kwargs())
    draws = 2000
    counts: dict[tuple[str, str], int] = {}
    marginals = None
    for seed in range(draws):
        result = solve(inst, "randomized", seed=seed, max_prob=0.5)
        marginals = result.probabilities
        for i, e, _ in result.pairs:
            counts[(i, e)] = counts.get((i, e), 0) + 1
    assert marginals
    for pair, p in marginals.items():
        # within 4.5 standard deviations of a binomial with `draws` trials
        assert abs(counts.get(pair, 0) / draws - p) <= 4.5 * math.sqrt(p * (1 - p) / draws) + 1e-9
    assert set(counts) <= set(marginals)
