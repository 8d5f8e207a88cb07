"""Where a query's CPU time goes at scale: stage by stage, over the bench's CSL title queries.

``PYTHONPATH=src .venv/bin/python bench/matching_query_profile.py <index dir> [n_queries]`` opens an
existing index read-only (``MatchIndex(path)`` + ``search``), runs the queries once to make the pages
resident, then again with each stage's CPU time (``time.process_time``) recorded, and prints the mean
and p50/p95 per query of every stage and of the whole search. Stages are timed by wrapping the
index's methods, so the figures include the wrappers' own cost (~1 µs a call).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import matching_speed as ms
from xietong.matching import index as index_module
from xietong.matching import query as query_module
from xietong.matching import store as store_module
from xietong.matching.index import MatchIndex

STAGES = [
    ("analysis + plan", index_module.MatchIndex, "_query_terms"),
    ("lexical candidates (total)", index_module.MatchIndex, "_lexical_candidates"),
    ("  QueryPlan.scores", query_module.QueryPlan, "scores"),
    ("  QueryPlan.upper_bounds", query_module.QueryPlan, "upper_bounds"),
    ("  QueryPlan._exact_at", query_module.QueryPlan, "_exact_at"),
    ("semantic", index_module.MatchIndex, "_semantic_scores"),
    ("smoothing", index_module.MatchIndex, "_smooth"),
    ("doc store fetch", store_module.DocStore, "get"),
]


def instrument(spent: dict[str, float]) -> None:
    """Wrap each stage so that its CPU time adds to ``spent[name]`` (per query, reset by the caller)."""
    for name, owner, attribute in STAGES:
        original = getattr(owner, attribute, None)
        if original is None:  # an older engine without this stage
            continue

        def wrapper(*args, __original=original, __name=name, **kwargs):
            start = time.process_time()
            try:
                return __original(*args, **kwargs)
            finally:
                spent[__name] += time.process_time() - start

        setattr(owner, attribute, wrapper)
    explain = index_module.matched_terms

    def matched_terms(*args, **kwargs):
        start = time.process_time()
        try:
            return explain(*args, **kwargs)
        finally:
            spent["explanations (matched_terms)"] += time.process_time() - start

    index_module.matched_terms = matched_terms


def main() -> None:
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    queries = ms.query_texts(n)
    index = MatchIndex(path)
    for text in queries:  # warm: the pages the queries touch become resident
        index.search(text, k=10)
    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    per_query: dict[str, list[float]] = defaultdict(list)
    for text in queries:
        spent.clear()
        start = time.process_time()
        index.search(text, k=10)
        per_query["search (total)"].append(time.process_time() - start)
        for name, value in spent.items():
            per_query[name].append(value)
    total = np.array(per_query["search (total)"]) * 1000
    print(f"{n} queries, index {path}")
    print(f"{'stage':32} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'share':>6}")
    names = [s[0] for s in STAGES] + ["explanations (matched_terms)", "search (total)"]
    for name in names:
        values = np.array(per_query.get(name, [0.0]) + [0.0] * (n - len(per_query.get(name, [0.0])))) * 1000
        print(
            f"{name:32} {values.mean():8.2f} {np.percentile(values, 50):8.2f} "
            f"{np.percentile(values, 95):8.2f} {values.mean() / total.mean():6.0%}"
        )


if __name__ == "__main__":
    main()
