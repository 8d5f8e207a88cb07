"""Fairness first: the weakest item's total affinity as high as it can be, then the total.

Max-min allocation with sums is NP-hard in general (it contains the Santa Claus problem), so there is no
flow formulation, and HiGHS on the max-min mixed-integer program itself spends most of its time looking
for good integer points (50 s on 200 items x 1,000 experts). This module is lexicographic optimisation
by bounds and probes, every step solved exactly by HiGHS (`scipy.optimize.linprog` / `milp`):

1. the LP relaxation of "maximise t with t <= every item's affinity sum" gives an upper bound U on the
   weakest item's sum;
2. a probe at t solves "maximise the total subject to every item's sum >= t" as a MIP (fast: the total
   is the natural objective of the flow polytope). A feasible probe's answer is the lexicographic
   optimum for every threshold up to its own weakest sum L;
3. the probe at U (less a tolerance) usually succeeds, and then the answer is exact; otherwise
   bisection between L and U, each feasible probe raising L to its weakest sum, until U - L is within
   the tolerance (1e-9 of the largest possible item sum).

So the weakest item's sum is optimal within that tolerance, and the total is the best among the
assignments reaching it. This is neither OpenReview's FairFlow nor FairSequence (both heuristics).
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array, hstack, vstack

from xietong.assign.instance import Instance
from xietong.assign.network import Problem

__all__ = ["fair_pairs"]

_TOLERANCE = 1e-9
_MAX_PROBES = 60


def fair_pairs(
    inst: Instance,
    problem: Problem,
    open_index: np.ndarray,
    left_out: np.ndarray,
    optimum: np.ndarray,
    *,
    time_limit: float | None,
) -> np.ndarray:
    """Positions (in `inst`'s eligible pairs) of the open pairs chosen; fixed pairs are added by the caller.

    Every item still in play counts for the weakest, including one whose seats are all fixed.
    `optimum` is the max-total assignment (flows of the open pairs) the search starts from.
    """
    n = len(open_index)
    if n == 0 or not (problem.demand > 0).any():
        return open_index[:0]
    deadline = None if time_limit is None else time.monotonic() + time_limit
    model = _Model(inst, problem, open_index, left_out)
    scale = max(1.0, float(np.abs(inst.pair_affinity).max(initial=0.0)) * float(inst.k_of.max()))
    tolerance = _TOLERANCE * scale
    best = np.asarray(optimum, dtype=np.int64)  # the plain optimum (min-cost flow): the best total of all
    lower = model.weakest(best)
    upper = model.alone_bound(inst, problem)
    if upper - lower > tolerance:
        upper = min(upper, model.relaxed_bound(deadline))
    probe_at = upper - tolerance
    for _ in range(_MAX_PROBES):
        if upper - lower <= tolerance or probe_at <= lower:
            break
        found = model.probe(probe_at, deadline)
        if found is None:
            upper = probe_at
        else:
            best, lower = found, model.weakest(found)
        probe_at = (lower + upper) / 2
    return open_index[best > 0]


class _Model:
    """The constraints shared by every step, built once as sparse matrices."""

    def __init__(self, inst: Instance, problem: Problem, open_index: np.ndarray, left_out: np.ndarray):
        n = len(open_index)
        self.n = n
        self.affinity = inst.pair_affinity[open_index]
        active = np.flatnonzero(~left_out)
        row_of = np.full(problem.n_items, -1)
        row_of[active] = np.arange(len(active))
        item_row = row_of[problem.pair_item]
        columns = np.arange(n)
        n_active = len(active)

        def matrix(rows, values, n_rows, mask=None):
            keep = slice(None) if mask is None else mask
            return csr_array((values[keep], (rows[keep], columns[keep])), shape=(n_rows, n))

        ones = np.ones(n)
        self.constraints = [
            LinearConstraint(
                matrix(item_row, ones, n_active), problem.demand[active], problem.demand[active]
            ),
            LinearConstraint(matrix(problem.pair_expert, ones, problem.n_experts), 0, problem.capacity),
        ]
        if problem.same_budget is not None:
            self.constraints.append(
                LinearConstraint(
                    matrix(item_row, ones, n_active, problem.pair_same), 0, problem.same_budget[active]
                )
            )
        self.sums = matrix(item_row, self.affinity, n_active)  # each item's affinity from open pairs
        fixed = inst.pair_fixed & ~left_out[inst.pair_item]
        # astype: bincount of an empty array is int64 even with float weights (and would truncate sums)
        fixed_sum = np.bincount(
            inst.pair_item[fixed], weights=inst.pair_affinity[fixed], minlength=problem.n_items
        ).astype(np.float64)
        self.fixed_sum = fixed_sum[active]
        self.item_row = item_row
        self.demand = problem.demand[active]
        regional = problem.same_budget is not None
        self.pair_same = problem.pair_same if regional else None
        self.same_budget = problem.same_budget[active] if regional else None

    def alone_bound(self, inst: Instance, problem: Problem) -> float:
        """The weakest of every item's best sum if it were alone: an upper bound, free to compute.

        Alone, an item takes its k_left best open pairs with at most `same_budget` from its own region
        (a partition-matroid constraint, so the greedy choice is optimal).
        """
        item, affinity = self.item_row, self.affinity
        usable = np.ones(len(item), dtype=bool)
        if self.pair_same is not None:  # only the `same_budget` best of the item's own region count
            same = self.pair_same
            order = np.lexsort((-affinity, same, item))
            rank = np.empty(len(item), dtype=np.int64)
            rank[order] = _rank_in_groups(item[order] * 2 + same[order])
            usable = ~same | (rank < self.same_budget[item])
        candidates = np.flatnonzero(usable)
        order = candidates[np.lexsort((-affinity[candidates], item[candidates]))]
        taken = order[_rank_in_groups(item[order]) < self.demand[item[order]]]
        best = self.fixed_sum + np.bincount(
            item[taken], weights=affinity[taken], minlength=len(self.fixed_sum)
        )
        return float(best.min())

    def relaxed_bound(self, deadline: float | None) -> float:
        """max t over the LP relaxation: an upper bound on the weakest item's sum."""
        n_rows = self.sums.shape[0]
        t_column = csr_array(np.ones((n_rows, 1)))
        a_ub = [hstack([-self.sums, t_column]).tocsr()]
        b_ub = [self.fixed_sum]
        a_eq, b_eq = [], []
        for constraint in self.constraints:
            a = hstack([constraint.A, csr_array((constraint.A.shape[0], 1))]).tocsr()
            lb, ub = np.broadcast_to(constraint.lb, a.shape[0]), np.broadcast_to(constraint.ub, a.shape[0])
            if np.array_equal(lb, ub):
                a_eq.append(a)
                b_eq.append(ub)
            else:
                a_ub.append(a)
                b_ub.append(ub)
        objective = np.zeros(self.n + 1)
        objective[-1] = -1.0
        bounds = [(0.0, 1.0)] * self.n + [(None, None)]

        result = linprog(
            objective,
            A_ub=vstack(a_ub).tocsr(),
            b_ub=np.concatenate(b_ub),
            A_eq=vstack(a_eq).tocsr() if a_eq else None,
            b_eq=np.concatenate(b_eq) if b_eq else None,
            bounds=bounds,
            method="highs",
            options={"time_limit": _time_left(deadline)} if deadline is not None else None,
        )
        if result.status == 1:
            raise TimeoutError("公平优先分配在时间上限内没有完成")
        if result.status != 0:  # pragma: no cover - feasibility is settled by the max flow before
            raise RuntimeError(f"公平优先的线性松弛求解失败：{result.message}")
        return float(result.x[-1])

    def probe(self, threshold: float, deadline: float | None) -> np.ndarray | None:
        """The best total with every item's sum >= threshold (0/1 per open pair), or None if none reaches it."""
        constraints = list(self.constraints)
        if np.isfinite(threshold):
            constraints.append(LinearConstraint(self.sums, threshold - self.fixed_sum, np.inf))
        options = {"mip_rel_gap": 1e-9}
        if deadline is not None:
            options["time_limit"] = _time_left(deadline)
        result = milp(
            -self.affinity,
            constraints=constraints,
            integrality=np.ones(self.n),
            bounds=Bounds(0, 1),
            options=options,
        )
        if result.status == 2:
            return None
        if result.status == 1:
            raise TimeoutError("公平优先分配在时间上限内没有完成")
        if result.status != 0:  # pragma: no cover
            raise RuntimeError(f"公平优先分配求解失败：{result.message}")
        return np.rint(result.x).astype(np.int64)

    def weakest(self, chosen: np.ndarray) -> float:
        return float((self.sums @ chosen + self.fixed_sum).min())


def _rank_in_groups(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, … within each run of equal values of a sorted array."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("公平优先分配在时间上限内没有完成")
    return left
