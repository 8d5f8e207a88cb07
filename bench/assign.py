"""Benchmark of the reviewer-assignment engine (`xietong.assign`) at the sizes of issue 15.

Usage: ``.venv/bin/python bench/assign.py [--repeat 3] [--sizes a,b,b-rules] [--modes optimal,fair,...]``.

Sizes:
- ``a``: 2,000 items x 10,000 experts, top-200 affinities per item, k = 5, cap = 6, 2 % of the pairs
  conflicts, 8 regions and "at least one expert from another region" (target <= 10 s);
- ``b``: 20,000 x 20,000, top-100 affinities, k = 3, cap = 6, no other rule (the conference round the
  issue compares with a plain min-cost flow, 5.6 s; target <= 60 s);
- ``b-rules``: ``b`` with the 2 % conflicts and the regional rule of ``a``.

Affinities are cosine similarities of random 24-dimensional profiles (so experts close to many items
are wanted by many, and the caps bind), each item keeping its top-N experts, as a matching engine
would hand them over. Every (size, mode) runs in a fresh process, so the peak RSS (``ru_maxrss``) is
that run's; it includes the generated data (the RSS before the solve is printed beside it). Times are
the median of ``--repeat`` runs: building the `Instance` from columns, and `solve`. Prints a Markdown
table for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SIZES = {
    "a": dict(n_items=2000, n_experts=10000, top=200, k=5, cap=6, rules=True),
    "b": dict(n_items=20000, n_experts=20000, top=100, k=3, cap=6, rules=False),
    "b-rules": dict(n_items=20000, n_experts=20000, top=100, k=3, cap=6, rules=True),
}
MODES = ("optimal", "fair", "random", "randomized")
MAX_PROB = 0.5
FAIR_TIME_LIMIT = 120.0
REGIONS = np.array(["北京", "天津", "河北", "成都", "重庆", "上海", "江苏", "浙江"], dtype=object)


def generate(n_items: int, n_experts: int, top: int, rules: bool, seed: int = 2026):
    """Columns of the round: ids, the top-`top` pairs per item with their affinity, conflicts, regions."""
    rng = np.random.default_rng(seed)
    profile_items = rng.standard_normal((n_items, 24)).astype(np.float32)
    profile_experts = rng.standard_normal((n_experts, 24)).astype(np.float32)
    profile_items /= np.linalg.norm(profile_items, axis=1, keepdims=True)
    profile_experts /= np.linalg.norm(profile_experts, axis=1, keepdims=True)
    chosen = np.empty((n_items, top), dtype=np.int64)
    scores = np.empty((n_items, top), dtype=np.float64)
    for start in range(0, n_items, 1000):  # 1,000 x n_experts at a time
        block = profile_items[start : start + 1000] @ profile_experts.T
        best = np.argpartition(-block, top - 1, axis=1)[:, :top]
        chosen[start : start + 1000] = best
        scores[start : start + 1000] = np.take_along_axis(block, best, axis=1)
    items = np.array([f"P{i:05d}" for i in range(n_items)], dtype=object)
    experts = np.array([f"E{e:05d}" for e in range(n_experts)], dtype=object)
    pair_item = np.repeat(np.arange(n_items), top)
    pair_expert = chosen.reshape(-1)
    affinity = np.round((scores.reshape(-1) + 1) / 2, 6)  # cosine to [0, 1], six decimals as a CSV would
    rules_kw: dict = {}
    if rules:
        conflict = rng.random(len(pair_item)) < 0.02
        rules_kw["conflicts"] = list(
            zip(items[pair_item[conflict]], experts[pair_expert[conflict]], strict=True)
        )
        rules_kw["item_region"] = dict(
            zip(items, REGIONS[rng.integers(0, len(REGIONS), n_items)], strict=True)
        )
        rules_kw["expert_region"] = dict(
            zip(experts, REGIONS[rng.integers(0, len(REGIONS), n_experts)], strict=True)
        )
        rules_kw["min_other_region"] = 1
    return items, experts, items[pair_item], experts[pair_expert], affinity, rules_kw


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def one_run(size: str, mode: str, repeat: int) -> dict:
    """Inside the child process: generate once, then build and solve `repeat` times."""
    from xietong.assign import Instance, solve

    spec = SIZES[size]
    items, experts, pair_items, pair_experts, affinity, rules = generate(
        spec["n_items"], spec["n_experts"], spec["top"], spec["rules"]
    )
    rss_before = _rss_mb()
    build, solve_times, result = [], [], None
    for run in range(repeat):
        started = time.perf_counter()
        inst = Instance.from_arrays(
            items, experts, pair_items, pair_experts, affinity, k=spec["k"], cap=spec["cap"], **rules
        )
        built = time.perf_counter()
        options = {"seed": run} if mode in ("random", "randomized") else {}
        if mode == "randomized":
            options["max_prob"] = MAX_PROB
        if mode == "fair":
            options["time_limit"] = FAIR_TIME_LIMIT
        try:
            result = solve(inst, mode, **options)
        except TimeoutError:
            return {"size": size, "mode": mode, "timeout": FAIR_TIME_LIMIT}
        build.append(built - started)
        solve_times.append(time.perf_counter() - built)
        del inst
    staffed = len({item for item, _, _ in result.pairs})
    return {
        "size": size,
        "mode": mode,
        "pairs": len(affinity),
        "build_s": statistics.median(build),
        "solve_s": statistics.median(solve_times),
        "solve_runs": [round(t, 2) for t in solve_times],
        "objective": result.objective,
        "expected": result.expected_objective,
        "weakest": result.min_item_affinity,
        "staffed": staffed,
        "infeasible": len(result.infeasible),
        "rss_before_mb": rss_before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="a,b,b-rules")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "MODE"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(*args.child, args.repeat)))
        return
    load = os.getloadavg()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load {load[0]:.1f}"
    )
    print(
        "| size | mode | pairs | build Instance | solve (median) | solve runs | objective | weakest item | "
        "staffed / infeasible | RSS before solve | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        for mode in args.modes.split(","):
            repeat = args.repeat if mode != "fair" else 1
            done = subprocess.run(
                [sys.executable, __file__, "--child", size, mode, "--repeat", str(repeat)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"| {size} | {mode} | failed: {done.stderr.strip().splitlines()[-1]} |")
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            if "timeout" in row:
                print(f"| {size} | {mode} | — | — | > {row['timeout']:.0f} s (time limit) | | | | | | |")
                continue
            objective = f"{row['objective']:.1f}"
            if row["expected"] is not None:
                objective += f" (expected {row['expected']:.1f}, q = {MAX_PROB})"
            print(
                f"| {size} | {mode} | {row['pairs']:,} | {row['build_s']:.2f} s | **{row['solve_s']:.2f} s** | "
                f"{', '.join(map(str, row['solve_runs']))} | {objective} | {row['weakest']:.3f} | "
                f"{row['staffed']:,} / {row['infeasible']} | {row['rss_before_mb']:.0f} MB | "
                f"{row['peak_rss_mb']:.0f} MB |",
                flush=True,
            )
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
