"""Runs the mixed validation set against the engine, TF-IDF (char 1–2-grams) and BM25 (bm25s over rjieba).

Every task is reported separately: MRR@10 of the wanted document for known-item and demand tasks, P@10
of same-label documents (own one left out) for topical tasks, each with a paired randomisation test of
the engine against each baseline. Called by ``bench/matching_quality.py --mixed small|large``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from matching_quality import paired_p
from matching_validation import Doc, Query, build

ROOT = Path(__file__).resolve().parents[1]
DEPTH = 11
JUDGED_DEPTH = 60  # topical tasks also get a figure over judged documents only: rank deeper to fill ten


def tfidf_rankings(docs: list[Doc], queries: list[Query], depth: int = DEPTH) -> dict[str, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    matrix = vectorizer.fit_transform([d.text for d in docs]).T.tocsr()
    ids = np.array([d.id for d in docs])
    q = vectorizer.transform([x.text for x in queries])
    out = {}
    for start in range(0, q.shape[0], 200):
        scores = (q[start : start + 200] @ matrix).toarray()
        top = np.argpartition(-scores, depth, axis=1)[:, :depth]
        for row, query in enumerate(queries[start : start + 200]):
            cand = top[row][np.argsort(-scores[row, top[row]], kind="stable")]
            out[query.id] = ids[cand].tolist()
    return out


def bm25_rankings(docs: list[Doc], queries: list[Query], depth: int = DEPTH) -> dict[str, list[str]]:
    import bm25s
    import rjieba

    def tokens(text: str) -> list[str]:
        return [t for t in rjieba.cut(text) if t.strip()]

    retriever = bm25s.BM25()
    vocab: dict[str, int] = {}
    ids_list = []
    for d in docs:
        ids_list.append([vocab.setdefault(t, len(vocab)) for t in tokens(d.text)])
    corpus_tokens = bm25s.tokenization.Tokenized(ids=ids_list, vocab=vocab)
    retriever.index(corpus_tokens, show_progress=False)
    ids = np.array([d.id for d in docs])
    out = {}
    for query in queries:
        q = [vocab[t] for t in tokens(query.text) if t in vocab]
        if not q:
            out[query.id] = []
            continue
        scores = retriever.get_scores(q)
        top = np.argpartition(-scores, depth)[:depth]
        top = top[np.argsort(-scores[top], kind="stable")]
        out[query.id] = [i for i, s in zip(ids[top].tolist(), scores[top], strict=True) if s > 0]
    return out


# keys that shape the index itself; every other key is read at query time, so configs that differ only
# in those share one build (the large scale takes minutes to build)
BUILD_KEYS = (
    "char_ngrams",
    "search_mode",
    "user_dictionaries",
    "stop_words",
    "semantic_dim",
    "semantic_fit_docs",
    "semantic_min_df",
    "seed",
)
_BUILT: dict[str, tuple] = {}


def engine_rankings(docs: list[Doc], queries: list[Query], config: dict, depth: int = DEPTH):
    sys.path.insert(0, str(ROOT / "src"))
    from xietong.matching import Document, MatchConfig, MatchIndex

    build_config = {k: v for k, v in config.items() if k in BUILD_KEYS}
    key = json.dumps(build_config, sort_keys=True)
    if key not in _BUILT:
        _BUILT.clear()
        started = time.perf_counter()
        index = MatchIndex(config=build_config)
        index.add(Document(id=d.id, title=d.title, body=d.body) for d in docs)
        _BUILT[key] = (index, time.perf_counter() - started)
    index, build_s = _BUILT[key]
    index.config = MatchConfig.from_dict(config)
    out, lat = {}, []
    for query in queries:
        t0 = time.perf_counter()
        out[query.id] = [h.id for h in index.search(query.text, k=depth, explain=False)]
        lat.append(time.perf_counter() - t0)
    lat_ms = np.array(lat) * 1000
    return out, {
        "build_s": build_s,
        "p50_ms": float(np.percentile(lat_ms, 50)),
        "p95_ms": float(np.percentile(lat_ms, 95)),
    }


def per_query(
    queries: list[Query], ranking: dict[str, list[str]], labels: dict[str, str], *, judged: bool = False
) -> np.ndarray:
    """MRR@10 (known-item, demand) or P@10 (topical) per query.

    ``judged``: topical P@10 over the documents of the query's own source only (project titles for a
    project title; the rest, CSL and patent abstracts, carry no discipline label and count as misses in
    the standard figure even when on topic), like the CSL benchmark's condensed list.
    """
    values = []
    for q in queries:
        ranked = ranking.get(q.id, [])
        if judged and not q.target:
            source = q.own.split("-", 1)[0] + "-"
            ranked = [d for d in ranked if d.startswith(source)]
        if q.target:
            values.append(next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d == q.target), 0.0))
        else:
            others = [d for d in ranked if d != q.own][:10]
            values.append(sum(1 for d in others if labels.get(d) == q.label) / 10)
    return np.array(values)


def run_mixed(scale: str, split: str, config, json_out: str | None) -> list[dict]:
    t0 = time.perf_counter()
    docs, queries = build(scale)
    if split != "all":
        queries = [q for q in queries if q.split == split]
    labels = {d.id: d.label for d in docs if d.label}
    print(f"mixed validation set, scale {scale}: {len(docs):,} documents, {len(queries)} {split} queries")
    tfidf = tfidf_rankings(docs, queries, JUDGED_DEPTH)
    bm25 = bm25_rankings(docs, queries, JUDGED_DEPTH)
    print(f"baselines ready in {time.perf_counter() - t0:.0f} s")
    configs = config if isinstance(config, list) else [config]
    by_task: dict[str, list[Query]] = defaultdict(list)
    for q in queries:
        by_task[q.task].append(q)
        if split == "all":  # each split reported on its own too: dev chose the defaults, heldout checks
            by_task[f"{q.task}/{q.split}"].append(q)
    results = []
    for cfg in configs:
        engine, timing = engine_rankings(docs, queries, cfg, JUDGED_DEPTH)
        print(
            f"\nconfig {json.dumps(cfg, ensure_ascii=False)}  build {timing['build_s']:.1f} s, "
            f"query p50 {timing['p50_ms']:.2f} ms p95 {timing['p95_ms']:.2f} ms"
        )
        print(
            f"{'task':31} {'n':>4} {'metric':7} {'tfidf':>7} {'bm25':>7} {'engine':>7} {'p(tfidf)':>9} {'p(bm25)':>8}"
        )
        rows = []
        tasks = sorted(by_task.items())
        tasks += [(f"{t}[judged]", qs) for t, qs in tasks if t.startswith("topical")]
        for task, qs in tasks:
            judged = task.endswith("[judged]")
            e, t, b = (per_query(qs, r, labels, judged=judged) for r in (engine, tfidf, bm25))
            if judged:  # topical_nsfc[judged]/dev
                base, sep, part = task.removesuffix("[judged]").partition("/")
                task = f"{base}[judged]{sep}{part}"
            row = {
                "task": task,
                "n": len(qs),
                "metric": "P@10" if task.startswith("topical") else "MRR@10",
                "split": task.partition("/")[2] or split,
                "judged": judged,
                "tfidf": float(t.mean()),
                "bm25": float(b.mean()),
                "engine": float(e.mean()),
                "p_tfidf": paired_p(e, t),
                "p_bm25": paired_p(e, b),
            }
            rows.append(row)
            print(
                f"{task:31} {row['n']:4d} {row['metric']:7} {row['tfidf']:7.3f} {row['bm25']:7.3f} "
                f"{row['engine']:7.3f} {row['p_tfidf']:9.4f} {row['p_bm25']:8.4f}"
            )
        sys.stdout.flush()
        results.append({"config": cfg, "scale": scale, "split": split, "timing": timing, "rows": rows})
    if json_out:
        Path(json_out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return results
