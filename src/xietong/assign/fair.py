"""Fairness first: the weakest item's total affinity as high as it can be, then the total.

Max-min allocation with sums is NP-hard in general (it contains the Santa Claus problem), so there is no
flow formulation; this is the lexicographic mixed-integer program solved exactly by HiGHS through
`scipy.optimize.milp`, in two stages on the same constraints as the flow (k, caps, regional budgets):
stage 1 maximises t with t <= every staffed item's affinity sum, stage 2 maximises the total subject to
every item's sum >= t* (less a tolerance of 1e-9 of the affinities' scale). The feasibility of the
constraints is settled by a maximum flow before (`solve`), so a stage fails only by running out of time.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from xietong.assign.instance import Instance
from xietong.assign.network import Problem

__all__ = ["fair_pairs"]

_GAP = 1e-9


def fair_pairs(
    inst: Instance,
    problem: Problem,
    open_index: np.ndarray,
    left_out: np.ndarray,
    *,
    time_limit: float | None,
) -> np.ndarray:
    """Positions (in `inst`'s eligible pairs) of the open pairs chosen; fixed pairs are added by the caller.

    Every item still in play counts for the weakest, including one whose seats are all fixed.
    """
    staffed = ~left_out
    n = len(open_index)
    if n == 0 or not (problem.demand > 0).any():
        return open_index[:0]
    items = problem.pair_item
    affinity = inst.pair_affinity[open_index]
    columns = np.arange(n)
    fixed = inst.pair_fixed
    fixed_sum = np.bincount(
        inst.pair_item[fixed], weights=inst.pair_affinity[fixed], minlength=problem.n_items
    )
    active = np.flatnonzero(staffed)
    row_of = np.full(problem.n_items, -1)
    row_of[active] = np.arange(len(active))

    def rows(mask: np.ndarray, row: np.ndarray, n_rows: int, values: np.ndarray) -> csr_array:
        return csr_array((values[mask], (row[mask], columns[mask])), shape=(n_rows, n + 1))

    every = np.ones(n, dtype=bool)
    ones = np.ones(n)
    constraints = [
        LinearConstraint(
            rows(every, row_of[items], len(active), ones), problem.demand[active], problem.demand[active]
        ),
        LinearConstraint(rows(every, problem.pair_expert, problem.n_experts, ones), 0, problem.capacity),
    ]
    if problem.same_budget is not None:
        constraints.append(
            LinearConstraint(
                rows(problem.pair_same, row_of[items], len(active), ones), 0, problem.same_budget[active]
            )
        )
    # Stage 1: t - sum_j a_ij x_ij <= fixed_i for every staffed item (t is the last column).
    sums = rows(every, row_of[items], len(active), -affinity)
    t_column = csr_array(
        (np.ones(len(active)), (np.arange(len(active)), np.full(len(active), n))), shape=(len(active), n + 1)
    )
    fairness = vstack([sums + t_column]).tocsr()
    bounds = Bounds(np.append(np.zeros(n), -np.inf), np.append(np.ones(n), np.inf))
    integrality = np.append(np.ones(n), 0)
    options = {"mip_rel_gap": _GAP, **({"time_limit": time_limit} if time_limit else {})}
    objective = np.zeros(n + 1)
    objective[n] = -1.0
    first = milp(
        objective,
        constraints=[*constraints, LinearConstraint(fairness, -np.inf, fixed_sum[active])],
        integrality=integrality,
        bounds=bounds,
        options=options,
    )
    _check(first, "公平优先（第一阶段：最弱一项）")
    weakest = float(first.x[n])
    tolerance = _GAP * max(
        1.0, float(np.abs(inst.pair_affinity).max(initial=0.0)) * float(problem.demand.max())
    )
    second_bounds = Bounds(np.append(np.zeros(n), weakest - tolerance), np.append(np.ones(n), np.inf))
    objective = np.append(-affinity, 0.0)
    second = milp(
        objective,
        constraints=[*constraints, LinearConstraint(fairness, -np.inf, fixed_sum[active])],
        integrality=integrality,
        bounds=second_bounds,
        options=options,
    )
    _check(second, "公平优先（第二阶段：总匹配度）")
    return open_index[np.rint(second.x[:n]) > 0]


def _check(result, stage: str) -> None:
    if result.status == 1:
        raise TimeoutError(f"{stage}在时间上限内没有求得最优解")
    if result.status != 0 or result.x is None:  # pragma: no cover - feasibility is checked before
        raise RuntimeError(f"{stage}求解失败：{result.message}")
