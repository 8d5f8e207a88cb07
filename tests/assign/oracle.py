"""An independent check of the engine: the round's LP written from the rules alone, solved by HiGHS.

Nothing here uses the engine's internals: the constraints are read off the issue's rules (k per item,
cap per expert, conflicts, regional rules, fixed pairs, a probability cap q), so an engine that
breaks a rule or misses the optimum disagrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array


@dataclass
class Spec:
    items: list[str]
    experts: list[str]
    affinity: list[tuple[str, str, float]]
    k: int | dict[str, int]
    cap: int | dict[str, int]
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    region: dict[str, str] | None = None
    min_other_region: int = 0
    max_same_region: int | None = None
    fixed: list[tuple[str, str]] = field(default_factory=list)

    def k_of(self, item: str) -> int:
        return self.k[item] if isinstance(self.k, dict) else self.k

    def cap_of(self, expert: str) -> int:
        return self.cap[expert] if isinstance(self.cap, dict) else self.cap

    def eligible(self) -> dict[tuple[str, str], float]:
        banned = set(self.conflicts)
        return {(i, e): a for i, e, a in self.affinity if (i, e) not in banned}

    def kwargs(self) -> dict:
        regional = self.min_other_region > 0 or self.max_same_region is not None
        out = dict(
            items=self.items,
            experts=self.experts,
            affinity=self.affinity,
            k=self.k,
            cap=self.cap,
            conflicts=self.conflicts,
            min_other_region=self.min_other_region,
            max_same_region=self.max_same_region,
            fixed=self.fixed,
        )
        if regional:
            out["item_region"] = {i: self.region[i] for i in self.items}
            out["expert_region"] = {e: self.region[e] for e in self.experts}
        return out

    @property
    def regional(self) -> bool:
        return self.min_other_region > 0 or self.max_same_region is not None


def lp_optimum(spec: Spec, staffed: list[str], q: float | None = None) -> float | None:
    """Max total (expected) affinity over `staffed` items, every rule as a constraint; None if infeasible."""
    eligible = spec.eligible()
    fixed = set(spec.fixed)
    wanted = set(staffed)
    keys = [(i, e) for (i, e) in eligible if i in wanted]
    if not staffed:
        return 0.0
    n = len(keys)
    rows_eq, cols_eq, b_eq = [], [], []
    rows_ub, cols_ub, vals_ub, b_ub = [], [], [], []
    item_row = {i: r for r, i in enumerate(staffed)}
    for col, (i, _e) in enumerate(keys):
        rows_eq.append(item_row[i])
        cols_eq.append(col)
    b_eq = [spec.k_of(i) for i in staffed]
    expert_row = {e: r for r, e in enumerate(spec.experts)}
    for col, (_i, e) in enumerate(keys):
        rows_ub.append(expert_row[e])
        cols_ub.append(col)
        vals_ub.append(1.0)
    b_ub = [spec.cap_of(e) for e in spec.experts]
    row = len(spec.experts)
    if spec.regional:
        same_row, other_row = {}, {}
        for item in staffed:
            if spec.max_same_region is not None:
                same_row[item] = row
                b_ub.append(spec.max_same_region)
                row += 1
            if spec.min_other_region:
                other_row[item] = row
                b_ub.append(-spec.min_other_region)
                row += 1
        for col, (i, e) in enumerate(keys):
            if spec.region[e] == spec.region[i] and i in same_row:
                rows_ub.append(same_row[i])
                cols_ub.append(col)
                vals_ub.append(1.0)
            if spec.region[e] != spec.region[i] and i in other_row:
                rows_ub.append(other_row[i])
                cols_ub.append(col)
                vals_ub.append(-1.0)
    if n == 0:
        return None
    a_eq = coo_array((np.ones(len(rows_eq)), (rows_eq, cols_eq)), shape=(len(staffed), n))
    a_ub = coo_array((vals_ub, (rows_ub, cols_ub)), shape=(row, n))
    upper = 1.0 if q is None else q
    bounds = [(1.0, 1.0) if key in fixed else (0.0, upper) for key in keys]
    result = linprog(
        -np.array([eligible[key] for key in keys]),
        A_ub=a_ub.tocsr() if row else None,
        b_ub=b_ub if row else None,
        A_eq=a_eq.tocsr(),
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return -result.fun


def check_rules(spec: Spec, pairs: list[tuple[str, str, float]], infeasible: dict[str, str]) -> None:
    """Every rule of the round holds for an answer; raises AssertionError naming the broken one."""
    eligible = spec.eligible()
    by_item: dict[str, list[str]] = {}
    load: dict[str, int] = {}
    for item, expert, affinity in pairs:
        assert (item, expert) in eligible, f"pair {item}/{expert} is not eligible"
        assert affinity == eligible[(item, expert)]
        by_item.setdefault(item, []).append(expert)
        load[expert] = load.get(expert, 0) + 1
    assert set(by_item).isdisjoint(infeasible), "an item both staffed and reported"
    for item in spec.items:
        if item in infeasible:
            assert isinstance(infeasible[item], str) and infeasible[item].strip()
            continue
        chosen = by_item.get(item, [])
        assert len(chosen) == spec.k_of(item), f"{item} has {len(chosen)} experts, not {spec.k_of(item)}"
        assert len(set(chosen)) == len(chosen), f"{item} has an expert twice"
        if spec.regional:
            same = sum(spec.region[e] == spec.region[item] for e in chosen)
            assert len(chosen) - same >= spec.min_other_region, f"{item}: too few from other regions"
            if spec.max_same_region is not None:
                assert same <= spec.max_same_region, f"{item}: too many from its own region"
    for expert, count in load.items():
        assert count <= spec.cap_of(expert), f"{expert} over its cap"
    chosen_pairs = {(i, e) for i, e, _ in pairs}
    for item, expert in spec.fixed:
        if item not in infeasible:
            assert (item, expert) in chosen_pairs, f"fixed pair {item}/{expert} dropped"


def brute_force_fair(spec: Spec, staffed: list[str]) -> tuple[float, float] | None:
    """(weakest item's sum, total) of the lexicographically best assignment, by enumeration (tiny rounds)."""
    from itertools import combinations, product

    eligible = spec.eligible()
    fixed = set(spec.fixed)
    options = []
    for item in staffed:
        pool = [e for e in spec.experts if (item, e) in eligible]
        must = {e for e in pool if (item, e) in fixed}
        options.append([c for c in combinations(pool, spec.k_of(item)) if must <= set(c)])
    best = None
    for choice in product(*options):
        pairs = [(i, e, eligible[(i, e)]) for i, chosen in zip(staffed, choice, strict=True) for e in chosen]
        try:
            check_rules(spec, pairs, {i: "-" for i in spec.items if i not in staffed})
        except AssertionError:
            continue
        sums = [sum(eligible[(i, e)] for e in chosen) for i, chosen in zip(staffed, choice, strict=True)]
        key = (min(sums) if sums else 0.0, sum(sums))
        if best is None or key[0] > best[0] + 1e-9 or (abs(key[0] - best[0]) <= 1e-9 and key[1] > best[1]):
            best = key
    return best
