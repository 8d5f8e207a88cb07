"""The round as a flow network, and the two questions asked of it: can it be staffed, and at what best cost.

Nodes: one per item, one per expert, a sink, and (only when a regional rule is set) one "same-region"
sub-node per item. Arcs: item -> expert for an eligible pair of different regions (or any pair when no
regional rule applies), item -> same-region sub-node -> expert for a pair of the same region, expert ->
sink. Capacities are counted in units of 1/`unit` seat: `unit` = 1 for an assignment, larger for the
randomized LP, whose pair arcs carry a fractional probability.

Both regional rules are upper bounds on the one arc item -> same-region sub-node: an item takes exactly
k experts, so "at least r from other regions" is "at most k - r from its own", and "at most m from its
own" caps the same arc. Nothing needs a lower bound, and the problem stays a min-cost flow, whose
optimal solutions are integral (a flow network's constraint matrix is totally unimodular).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

__all__ = ["Network", "Problem"]


@dataclass(frozen=True)
class Problem:
    """What is left to decide once fixed pairs are placed: demand per item, capacity per expert."""

    n_items: int
    n_experts: int
    pair_item: np.ndarray  # the pairs still open (not fixed; expert with capacity left)
    pair_expert: np.ndarray
    pair_same: np.ndarray  # pair within the item's own region (meaningful only when regional)
    demand: np.ndarray  # per item, seats still to fill (0 for an item left out)
    capacity: np.ndarray  # per expert, seats still free
    same_budget: np.ndarray | None  # per item, own-region seats still allowed; None: no regional rule
    pair_cap: int  # units per pair arc (unit for an assignment, floor(q * unit) for randomized)
    unit: int


class Network:
    """One flow network for a `Problem`, built once with vectorised arc insertion."""

    def __init__(self, problem: Problem):
        self.problem = p = problem
        self.sink = p.n_items + p.n_experts
        self.regional = p.same_budget is not None
        n_sub = p.n_items if self.regional else 0
        self.source = self.sink + 1 + n_sub  # only the max-flow network uses it
        expert_node = p.n_items + p.pair_expert
        if self.regional:
            sub_node = self.sink + 1 + p.pair_item
            pair_tail = np.where(p.pair_same, sub_node, p.pair_item)
        else:
            pair_tail = p.pair_item
        n_pairs = len(p.pair_item)
        tails = [pair_tail, p.n_items + np.arange(p.n_experts)]
        heads = [expert_node, np.full(p.n_experts, self.sink)]
        caps = [np.full(n_pairs, p.pair_cap), p.capacity * p.unit]
        if self.regional:
            tails.append(np.arange(p.n_items))
            heads.append(self.sink + 1 + np.arange(p.n_items))
            caps.append(np.minimum(p.same_budget, p.demand) * p.unit)
        self.tails = np.concatenate(tails).astype(np.int32)
        self.heads = np.concatenate(heads).astype(np.int32)
        self.caps = np.concatenate(caps).astype(np.int64)
        self.n_pair_arcs = n_pairs

    def min_cost(self, pair_cost: np.ndarray) -> np.ndarray | None:
        """Arc flows (in units; pair arcs first) of a cheapest flow filling every demand; None if none does."""
        p = self.problem
        solver = min_cost_flow.SimpleMinCostFlow()
        costs = np.zeros(len(self.tails), dtype=np.int64)
        costs[: self.n_pair_arcs] = pair_cost
        arcs = solver.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.caps, costs)
        supply = p.demand * p.unit
        nodes = np.arange(p.n_items, dtype=np.int32)
        solver.set_nodes_supplies(np.append(nodes, np.int32(self.sink)), np.append(supply, -supply.sum()))
        status = solver.solve()
        if status == solver.INFEASIBLE:
            return None
        if status != solver.OPTIMAL:  # pragma: no cover - ranges are checked before
            raise RuntimeError(f"min-cost flow failed with status {status}")
        return solver.flows(arcs)

    def blocked_items(self) -> tuple[np.ndarray, int, int, int]:
        """Items of the smallest minimum cut when demands cannot all be met: items, experts, demand, flow.

        The nodes reachable from the source in the residual network of a maximum flow are the same for
        every maximum flow (the minimal min cut), so the report does not depend on the solver's choices.
        Items outside it are fully served by experts outside it, so the round without them is feasible.
        """
        p = self.problem
        solver = max_flow.SimpleMaxFlow()
        solver.add_arcs_with_capacity(self.tails, self.heads, self.caps)
        items = np.arange(p.n_items, dtype=np.int32)
        supply_arcs = solver.add_arcs_with_capacity(
            np.full(p.n_items, self.source, dtype=np.int32), items, (p.demand * p.unit).astype(np.int64)
        )
        status = solver.solve(self.source, self.sink)
        if status != solver.OPTIMAL:  # pragma: no cover
            raise RuntimeError(f"max flow failed with status {status}")
        reachable = np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)
        blocked = reachable[reachable < p.n_items]
        blocked = blocked[p.demand[blocked] > 0]
        served = solver.flows(supply_arcs)[blocked]
        experts = int(((reachable >= p.n_items) & (reachable < self.sink)).sum())
        return np.sort(blocked), experts, int(p.demand[blocked].sum()), int(served.sum()) // p.unit
