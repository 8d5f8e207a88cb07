"""Reviewer assignment (评审专家抽取与分配): a pure engine, no Django and nothing else of xietong.

    from xietong.assign import Instance, solve, Result, InvalidInstance

    inst = Instance(items, experts, affinity=[(item, expert, score), ...], k=3, cap=6,
                    conflicts=[(item, expert), ...], item_region=..., expert_region=...,
                    min_other_region=1, max_same_region=None, fixed=[(item, expert), ...])
    res = solve(inst, mode="optimal" | "fair" | "random" | "randomized", seed=None, max_prob=None)

The modes, the infeasibility report and the solvers are described in `solve.solve`; docs/assign.md is
the guide for operators (中文). The talent app builds instances from its review rounds and stores results.
"""

from xietong.assign.errors import InvalidInstance
from xietong.assign.instance import Instance
from xietong.assign.solve import MODES, Result, solve

__all__ = ["MODES", "Instance", "InvalidInstance", "Result", "solve"]
