"""`solve`: one entry point for the four modes, and the infeasibility report they share.

Semantics of infeasibility (never silently under-staffed):

1. An item that cannot get its k experts even if it were alone in the round (too few eligible experts
   once conflicts, full caps and the regional rules are applied; in randomized mode also the cap q on a
   pair's probability, which needs at least k/q eligible experts) is reported with the rule that blocks
   it and left out.
2. If the remaining items cannot all be staffed together (the experts' caps or the regional budgets are
   shared), a maximum flow finds the smallest group of items that compete for too few seats (the
   minimal minimum cut, the same whatever flow the solver finds); each is reported with the group's
   size, demand and the seats its experts can give, and left out. The items outside it are always
   jointly feasible, so the rest of the round is then solved.

Items in `Result.infeasible` get no expert at all (not even their fixed pairs), so an answer is either
complete for an item or absent; every other item gets exactly k experts.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field

import numpy as np

from xietong.assign.errors import InvalidInstance
from xietong.assign.instance import Instance
from xietong.assign.network import Network, Problem

__all__ = ["MODES", "Result", "solve"]

MODES = ("optimal", "fair", "random", "randomized")
_COST_SCALE = 2**30  # affinities are scaled to integers of this magnitude for the flow solver
_MAX_DENOMINATOR = 1000  # q is taken exactly if it is a fraction with this denominator or less


@dataclass(frozen=True)
class Result:
    """The assignment of one round in one mode; ids are the caller's, never indices."""

    mode: str
    pairs: list[tuple[str, str, float]]
    objective: float
    infeasible: dict[str, str]
    seed: int | None = None
    probabilities: dict[tuple[str, str], float] | None = None
    expected_objective: float | None = None  # randomized: the LP optimum, E[objective]
    min_item_affinity: float | None = None  # the weakest staffed item's total affinity
    max_prob: float | None = None  # randomized: the q actually applied (see `solve`)
    # Per reported item, which rule blocks it, for callers that label or translate it themselves:
    # "eligible" (too few eligible experts with seats left: affinity list, conflicts, caps), "region"
    # (the regional rules), "probability" (randomized: fewer than k/q eligible), "capacity" (caps shared
    # with other items; the group is the minimal minimum cut).
    infeasible_rule: dict[str, str] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.infeasible


def solve(
    inst: Instance,
    mode: str = "optimal",
    seed: int | None = None,
    max_prob: float | None = None,
    *,
    time_limit: float | None = None,
) -> Result:
    """Assign experts to the round's items under every rule of `inst`.

    - optimal: maximum total affinity, by OR-Tools' min-cost flow (exact; affinities are scaled to
      integers of 2**30 for the solver, the reported objective sums the given floats).
    - fair: maximise the weakest item's total affinity, then the total among the assignments that keep
      it: two mixed-integer programs solved by HiGHS (scipy.optimize.milp), exact but exponential in the
      worst case; `time_limit` (seconds per stage) bounds it, and a stage that runs out raises
      `TimeoutError` rather than return an unproven answer.
    - random: iid uniform random weights per eligible pair (numpy PCG64 from `seed`), then the min-cost
      flow on those weights. When no cap or regional rule binds, each item's experts are a uniformly
      random k-subset of its eligible pool (the k largest of iid weights); when one binds, the flow moves
      seats as little as the weights allow. Every rule holds and the same seed gives the same draw.
    - randomized: Jecmen et al. (2020): the LP maximising expected affinity with every pair's
      probability <= `max_prob` (q), solved exactly as a min-cost flow in units of 1/D where q = n/D
      with D <= 1000 (a q that is no such fraction is rounded down to a multiple of 1/1000; the q used is
      `Result.max_prob`), then one assignment sampled with exactly those marginals (`rounding`), seeded.
    """
    if mode not in MODES:
        raise InvalidInstance(f"未知的分配方式“{mode}”，可选：{'、'.join(MODES)}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InvalidInstance("随机种子必须是不小于 0 的整数")
    unit, pair_cap, q = 1, 1, None
    if mode == "randomized":
        unit, pair_cap, q = _probability_units(max_prob)
    elif max_prob is not None:
        raise InvalidInstance("单对概率上限 max_prob 只用于随机化优化（randomized）方式")
    if mode in ("random", "randomized") and seed is None:
        seed = secrets.randbelow(2**31)
    seed = int(seed) if mode in ("random", "randomized") else None  # recorded only where it draws

    rng = np.random.Generator(np.random.PCG64(seed)) if seed is not None else None
    if mode == "random":
        costs = _scaled_costs(rng.random(len(inst.pair_item)))
    else:  # fair starts from the optimum and raises its weakest item
        costs = _scaled_costs(inst.pair_affinity)

    # Items are left out for good once reported; their fixed pairs then free their experts' seats, which
    # only helps the others, so the loop ends (each turn reports at least one more item or stops).
    reasons: dict[str, tuple[str, str]] = {}  # item -> (rule, Chinese reason)
    left_out = np.zeros(len(inst.items), dtype=bool)
    while True:
        problem, open_index, alone = _residual(inst, unit, pair_cap, q, left_out)
        if alone:
            reasons.update(alone)
            left_out = _items_mask(inst, reasons)
            continue
        network = Network(problem)
        flows = network.min_cost(costs[open_index])
        if flows is not None:
            break
        blocked, experts, needed, served = network.blocked_items()
        if not len(blocked):
            break
        _report_group(inst, blocked, experts, needed, served, reasons)
        left_out = _items_mask(inst, reasons)

    if mode == "fair":
        from xietong.assign.fair import fair_pairs

        optimum = flows[: len(open_index)]
        chosen = fair_pairs(inst, problem, open_index, left_out, optimum, time_limit=time_limit)
        return _result(inst, mode, chosen, reasons, seed=seed)
    pair_flows = flows[: len(open_index)]
    if mode != "randomized":
        return _result(inst, mode, open_index[pair_flows > 0], reasons, seed=seed)

    from xietong.assign.rounding import round_flow

    rounded = round_flow(network.tails, network.heads, flows, unit, rng)
    chosen = open_index[rounded[: len(open_index)] == unit]
    marginal = pair_flows / unit
    probabilities = _probabilities(inst, reasons, open_index, marginal)
    expected = float(inst.pair_affinity[open_index] @ marginal) + _fixed_total(inst, reasons)
    return _result(
        inst,
        mode,
        chosen,
        reasons,
        seed=seed,
        probabilities=probabilities,
        expected_objective=expected,
        max_prob=pair_cap / unit,
    )


def _probability_units(max_prob: float | None) -> tuple[int, int, float]:
    if max_prob is None:
        raise InvalidInstance("随机化优化方式需要给出单对概率上限 max_prob（0 到 1 之间）")
    try:
        q = float(max_prob)
    except (TypeError, ValueError):
        raise InvalidInstance(f"单对概率上限必须是数字，收到“{max_prob}”") from None
    if not (0 < q <= 1):
        raise InvalidInstance(f"单对概率上限必须大于 0 且不大于 1，收到“{max_prob}”")
    for denominator in range(1, _MAX_DENOMINATOR + 1):
        if abs(q * denominator - round(q * denominator)) < 1e-9:
            return denominator, round(q * denominator), q
    cap = math.floor(q * _MAX_DENOMINATOR)
    if cap == 0:
        raise InvalidInstance(f"单对概率上限过小（至少 1/{_MAX_DENOMINATOR}），收到“{max_prob}”")
    return _MAX_DENOMINATOR, cap, q


def _residual(inst: Instance, unit: int, pair_cap: int, q: float | None, left_out: np.ndarray):
    """The problem without the left-out items, fixed pairs placed, and the items it cannot staff alone.

    Returns the problem, the positions of its open pairs in the instance's eligible pairs, and a reason
    for each item (not yet left out) that cannot get its k experts even alone.
    """
    n_items, n_experts = len(inst.items), len(inst.experts)
    in_play = ~left_out[inst.pair_item]
    fixed = inst.pair_fixed & in_play
    demand = inst.k_of - np.bincount(inst.pair_item[fixed], minlength=n_items)
    demand[left_out] = 0
    capacity = inst.cap_of - np.bincount(inst.pair_expert[fixed], minlength=n_experts)
    same_budget = None
    if inst.regional:
        same_budget = inst.same_budget - np.bincount(
            inst.pair_item[fixed & inst.pair_same], minlength=n_items
        )
    open_ = in_play & ~inst.pair_fixed & (capacity[inst.pair_expert] > 0)
    pair_item = inst.pair_item[open_]
    pool = np.bincount(pair_item, minlength=n_items)
    same = np.bincount(pair_item[inst.pair_same[open_]], minlength=n_items)
    if inst.regional:
        reach = (pool - same) * pair_cap + np.minimum(same * pair_cap, same_budget * unit)
    else:
        reach = pool * pair_cap
    alone = {
        inst.items[item]: _alone_reason(
            inst, item, int(demand[item]), int(pool[item]), int(same[item]), unit, pair_cap, q, same_budget
        )
        for item in np.flatnonzero(reach < demand * unit).tolist()
    }
    problem = Problem(
        n_items=n_items,
        n_experts=n_experts,
        pair_item=pair_item,
        pair_expert=inst.pair_expert[open_],
        pair_same=inst.pair_same[open_],
        demand=demand,
        capacity=capacity,
        same_budget=same_budget,
        pair_cap=pair_cap,
        unit=unit,
    )
    return problem, np.flatnonzero(open_), alone


def _alone_reason(inst, item, need, pool, same, unit, pair_cap, q, same_budget) -> tuple[str, str]:
    """Why `item` cannot get its `need` remaining experts even alone, with the numbers of the rule."""
    k = int(inst.k_of[item])
    excluded = int(inst.conflict_count[item])
    note = f"（另有 {excluded} 位因回避排除）" if excluded else ""
    wanted = f"每项所需 {k} 位" if need == k else f"尚缺的 {need} 位（已固定 {k - need} 位）"
    if pool * pair_cap < need * unit:
        if q is not None:
            at_least = math.ceil(need * unit / pair_cap)
            return "probability", (
                f"单对概率上限为 {pair_cap / unit:g} 时，{wanted}至少需要 {at_least} 位符合回避规则的专家，"
                f"只有 {pool} 位{note}"
            )
        return "eligible", f"符合回避规则且尚有评审名额的专家只有 {pool} 位{note}，少于{wanted}"
    region = inst.item_region[inst.items[item]]
    rules = []
    if inst.min_other_region:
        rules.append(f"至少 {inst.min_other_region} 位来自{region}以外")
    if inst.max_same_region is not None:
        rules.append(f"{region}本地专家至多 {inst.max_same_region} 位")
    other, usable = pool - same, min(same, int(same_budget[item]))
    counts = f"{region}以外 {other} 位，{region}本地最多计入 {usable} 位"
    if q is not None:
        return (
            "region",
            f"单对概率上限为 {pair_cap / unit:g} 时，地域规则（{'，'.join(rules)}）下可用的专家（{counts}）不足以配齐{wanted}",
        )
    return (
        "region",
        f"地域规则（{'，'.join(rules)}）下可用的专家只有 {other + usable} 位（{counts}），少于{wanted}",
    )


def _scaled_costs(values: np.ndarray) -> np.ndarray:
    """Integer costs for the flow solver, one per eligible pair: the values negated and scaled to 2**30."""
    peak = float(np.abs(values).max()) if len(values) else 0.0
    scale = _COST_SCALE / peak if peak > 0 else 1.0
    return -np.rint(values * scale).astype(np.int64)


def _report_group(inst, blocked, experts, needed, served, reasons) -> None:
    others = len(blocked) - 1
    with_others = f"与另外 {others} 项" if others else ""
    rule = "、地域规则" if inst.regional else ""
    for item in blocked.tolist():
        reasons[inst.items[item]] = (
            "capacity",
            (
                f"专家评审上限{rule}不足：本项{with_others}只能从同一批专家（{experts} 位）中抽取，"
                f"合计还需 {needed} 人次，这些专家只能再承担 {served} 人次"
            ),
        )


def _fixed_total(inst: Instance, reasons: dict) -> float:
    fixed = inst.pair_fixed & ~_items_mask(inst, reasons)[inst.pair_item]
    return float(inst.pair_affinity[fixed].sum())


def _items_mask(inst: Instance, reasons: dict) -> np.ndarray:
    mask = np.zeros(len(inst.items), dtype=bool)
    if reasons:
        mask[inst.item_index.get_indexer(list(reasons))] = True
    return mask


def _probabilities(inst, reasons, open_index, marginal) -> dict[tuple[str, str], float]:
    left_out = _items_mask(inst, reasons)
    out: dict[tuple[str, str], float] = {}
    for pair in np.flatnonzero(inst.pair_fixed & ~left_out[inst.pair_item]).tolist():
        out[(inst.items[inst.pair_item[pair]], inst.experts[inst.pair_expert[pair]])] = 1.0
    positive = marginal > 0
    for pair, p in zip(open_index[positive].tolist(), marginal[positive].tolist(), strict=True):
        out[(inst.items[inst.pair_item[pair]], inst.experts[inst.pair_expert[pair]])] = p
    return out


def _result(inst: Instance, mode: str, chosen: np.ndarray, reasons: dict, **extra) -> Result:
    left_out = _items_mask(inst, reasons)
    fixed = np.flatnonzero(inst.pair_fixed & ~left_out[inst.pair_item])
    pairs = np.concatenate([fixed, np.asarray(chosen, dtype=np.int64)])
    item, expert, affinity = inst.pair_item[pairs], inst.pair_expert[pairs], inst.pair_affinity[pairs]
    order = np.lexsort((expert, -affinity, item))
    item, expert, affinity = item[order], expert[order], affinity[order]
    totals = np.bincount(item, weights=affinity, minlength=len(inst.items)).astype(np.float64)
    staffed = ~left_out
    items, experts = inst.items, inst.experts
    return Result(
        mode=mode,
        pairs=[
            (items[i], experts[e], a)
            for i, e, a in zip(item.tolist(), expert.tolist(), affinity.tolist(), strict=True)
        ],
        objective=float(affinity.sum()),
        infeasible={name: reasons[name][1] for name in items if name in reasons},
        infeasible_rule={name: reasons[name][0] for name in items if name in reasons},
        min_item_affinity=float(totals[staffed].min()) if staffed.any() else None,
        **extra,
    )
