"""Pure: turn a round's eligibility and affinities into the solver's instance, and its result back.

The solver (`xietong.assign`) knows ids, pairs, caps and regional rules; this module knows why a pair is
missing (the 回避 rule); an unstaffable item's reason (the rule that blocks it) is worded by
`eligibility.blocking_facts` / `blocking_text`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xietong.assign import Instance, InvalidInstance, solve
from xietong.talent.eligibility import (
    Eligibility,
    ExpertFacts,
    ItemFacts,
    blocking_facts,
    blocking_reason,
    blocking_text,
)

FAIR_TIME_LIMIT = (
    30.0  # seconds per stage of the fair mode's two mixed-integer programs (TimeoutError past it)
)


@dataclass(frozen=True)
class Drawn:
    pairs: list[tuple[int, int, float]]  # item, expert, affinity (fixed pairs included)
    probabilities: dict[tuple[int, int], float]
    objective: float
    seed: int | None
    blocked: dict[int, str]  # item -> Chinese reason


def draw(
    *,
    items: list[ItemFacts],
    experts: Mapping[int, ExpertFacts],
    eligibility: Eligibility,
    affinity: Mapping[tuple[int, int], float],
    k: int,
    mode: str,
    seed: int | None,
    max_prob: float,
    min_other_region: int = 0,
    max_same_region: int | None = None,
    fixed: list[tuple[int, int]] = (),
) -> Drawn:
    """Solve the round; InvalidInstance (bad input) propagates, an unstaffable item comes back in `blocked`."""
    used = sorted({e for ids in eligibility.eligible.values() for e in ids} | {e for _, e in fixed})
    pairs = [
        (str(i), str(e), float(affinity.get((i, e), 0.0)))
        for i, ids in eligibility.eligible.items()
        for e in ids
    ]
    regional = min_other_region > 0 or max_same_region is not None
    inst = Instance(
        items=[str(i.id) for i in items],
        experts=[str(e) for e in used],
        affinity=pairs,
        k=k,
        cap={str(e): experts[e].capacity for e in used},
        item_region={str(i.id): i.region_code for i in items} if regional else None,
        expert_region={str(e): experts[e].region_code for e in used} if regional else None,
        min_other_region=min_other_region,
        max_same_region=max_same_region,
        fixed=[(str(i), str(e)) for i, e in fixed],
    )
    limit = FAIR_TIME_LIMIT if mode == "fair" else None
    result = solve(
        inst, mode=mode, seed=seed, max_prob=max_prob if mode == "randomized" else None, time_limit=limit
    )
    probabilities = {(int(i), int(e)): p for (i, e), p in (result.probabilities or {}).items()}
    return Drawn(
        pairs=[(int(i), int(e), a) for i, e, a in result.pairs],
        probabilities=probabilities,
        objective=result.objective,
        seed=result.seed,
        blocked={int(i): reason for i, reason in result.infeasible.items()},
    )


__all__ = ["Drawn", "InvalidInstance", "blocking_facts", "blocking_reason", "blocking_text", "draw"]
