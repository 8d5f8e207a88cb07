"""Sampling an integral flow whose every arc has the fractional flow's value as its expectation.

This is the sampling step of Jecmen et al. (2020), "Mitigating manipulation in peer review via
randomized reviewer assignments": the LP gives marginals x_ij <= q, and a deterministic assignment is
drawn so that P(pair ij) = x_ij exactly, every integral bound (k, caps, regional budgets) still holds.
The method is dependent rounding on cycles (Gandhi et al. 2006, generalised from bipartite graphs to
flow networks): the arcs with a fractional flow form a graph where every node has 0 or >= 2 of them
(each node's balance is integral), so it has a cycle; pushing flow around the cycle one way or the
other, with the probabilities that keep the expectation, makes at least one more arc integral and
keeps every arc between the floor and the ceiling of its value. Flows are integers in units of
1/`unit` throughout, so there is no floating-point drift.
"""

from __future__ import annotations

import numpy as np

__all__ = ["round_flow"]


def round_flow(tails: np.ndarray, heads: np.ndarray, flow: np.ndarray, unit: int, rng: np.random.Generator):
    """Multiples of `unit` with E[result] = flow, node balances unchanged; `flow` is in units."""
    flow = [int(f) for f in flow]
    tails_ = tails.tolist()
    heads_ = heads.tolist()
    fractional = [f % unit != 0 for f in flow]
    adjacency: dict[int, list[int]] = {}
    for arc in np.flatnonzero(np.asarray(flow, dtype=np.int64) % unit).tolist():
        adjacency.setdefault(tails_[arc], []).append(arc)
        adjacency.setdefault(heads_[arc], []).append(arc)
    starts = list(adjacency)
    path_nodes: list[int] = []
    path_arcs: list[int] = []
    position: dict[int, int] = {}

    def next_arc(node: int, came_by: int) -> int | None:
        arcs = adjacency[node]
        while arcs and not fractional[arcs[-1]]:
            arcs.pop()
        for i in range(len(arcs) - 1, -1, -1):
            arc = arcs[i]
            if fractional[arc] and arc != came_by:
                return arc
        return None

    while True:
        if not path_nodes:
            while starts and next_arc(starts[-1], -1) is None:
                starts.pop()
            if not starts:
                break
            path_nodes.append(starts[-1])
            position[starts[-1]] = 0
        node = path_nodes[-1]
        arc = next_arc(node, path_arcs[-1] if path_arcs else -1)
        if arc is None:  # only at a start whose arcs were all rounded away
            del position[path_nodes.pop()]
            continue
        other = heads_[arc] if tails_[arc] == node else tails_[arc]
        if other not in position:
            position[other] = len(path_nodes)
            path_nodes.append(other)
            path_arcs.append(arc)
            continue
        start = position[other]
        cycle_arcs = [*path_arcs[start:], arc]
        cycle_from = [*path_nodes[start:]]
        up = down = None  # how far flow can go forward / backward around the cycle
        for cycle_arc, from_node in zip(cycle_arcs, cycle_from, strict=True):
            frac = flow[cycle_arc] % unit
            forward = tails_[cycle_arc] == from_node
            room_up, room_down = (unit - frac, frac) if forward else (frac, unit - frac)
            up = room_up if up is None else min(up, room_up)
            down = room_down if down is None else min(down, room_down)
        delta = up if rng.random() * (up + down) < down else -down
        for cycle_arc, from_node in zip(cycle_arcs, cycle_from, strict=True):
            flow[cycle_arc] += delta if tails_[cycle_arc] == from_node else -delta
            fractional[cycle_arc] = flow[cycle_arc] % unit != 0
        for dropped in path_nodes[start + 1 :]:
            del position[dropped]
        del path_nodes[start + 1 :]
        del path_arcs[start:]
    return np.asarray(flow, dtype=np.int64)
