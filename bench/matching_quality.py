"""Matching quality on csl-sci-lit (real abstracts nobody here wrote): T1, T2, T3, plain and condensed.

Run: PYTHONPATH=src .venv/bin/python bench/matching_quality.py [--config '{"semantic_weight": 0}'] [--json out.json]
Mixed validation set (topical, known-item, demand-style; see bench/matching_validation.py):
     PYTHONPATH=src .venv/bin/python bench/matching_quality.py --mixed small|large [--split dev|heldout|all]

Follows ../shared/reference/csl-sci-lit/README.md: corpus = the 14,932 abstracts (abstract only),
queries = the 4,758 titles of eval/queries.tsv. T1 = MRR@10 of the title's own abstract; T2 = nDCG@10
(gain 2^g-1; g = 2 shared non-generic author keyword and same discipline or none, 1 shared keyword or
same discipline) and topic-Recall@10 over the 2,484 queries with a gain-2 document, own abstract
removed; T3 = P@10 of same-discipline documents, own abstract removed. "Condensed": documents with
neither a discipline nor author keywords are dropped from each ranking before scoring. Each figure is
compared with the README's char uni+bigram TF-IDF baseline (recomputed here) by a paired
randomisation test (10,000 sign flips, two-sided). Not a test; the labels never reach the engine.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT.parent / "shared" / "reference" / "csl-sci-lit"
DEPTH = 60  # ranking depth fetched per query (the condensed list drops ~25% of documents)


def load(csl: Path = CSL):
    records = [json.loads(line) for line in (csl / "csl_merged.jsonl").open(encoding="utf-8")]
    corpus = [r for r in records if r.get("abstract")]
    queries = [
        line.split("\t", 1)
        for line in (csl / "eval" / "queries.tsv").read_text(encoding="utf-8").splitlines()
    ]
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (csl / "eval" / "t2_keyword.qrels").read_text().splitlines():
        qid, _, did, gain = line.split()
        qrels[qid][did] = int(gain)
    return corpus, [(q, t.strip()) for q, t in queries], qrels


class Judge:
    """Gains and metrics from the README's definitions."""

    def __init__(self, corpus, queries, qrels):
        self.disc = {r["id"]: r.get("discipline") for r in corpus}
        self.labelled = {r["id"] for r in corpus if r.get("discipline") or r.get("keywords")}
        self.qrels = qrels
        self.queries = queries
        by_disc: dict[str, int] = defaultdict(int)
        for r in corpus:
            if r.get("discipline"):
                by_disc[r["discipline"]] += 1
        self.ideal: dict[str, float] = {}
        self.n_gain2: dict[str, int] = {}
        for qid, _ in queries:
            d = self.disc.get(qid)
            judged = {did: g for did, g in qrels.get(qid, {}).items() if did != qid}
            n2 = sum(1 for g in judged.values() if g == 2)
            same_disc_extra = by_disc.get(d, 0) - 1 - sum(1 for did in judged if self.disc.get(did) == d)
            gains = [2] * n2 + [1] * (len(judged) - n2 + max(0, same_disc_extra))
            self.n_gain2[qid] = n2
            self.ideal[qid] = _dcg(gains[:10])

    def gain(self, qid, did):
        g = self.qrels.get(qid, {}).get(did, 0)
        if g == 0 and self.disc.get(did) and self.disc.get(did) == self.disc.get(qid):
            g = 1
        return g

    def per_query(self, rankings: dict[str, list[str]], *, condensed: bool):
        """Per-query arrays: t1 (all), t2 ndcg and recall (gain-2 queries), t3 (all)."""
        t1, t2, r2, t3 = [], [], [], []
        for qid, _ in self.queries:
            ranking = rankings[qid]
            if condensed:
                ranking = [d for d in ranking if d in self.labelled]
            top = ranking[:10]
            t1.append(next((1 / (i + 1) for i, d in enumerate(top) if d == qid), 0.0))
            others = [d for d in ranking if d != qid][:10]
            t3.append(sum(1 for d in others if self.disc.get(d) == self.disc.get(qid)) / 10)
            if self.n_gain2[qid]:
                gains = [self.gain(qid, d) for d in others]
                t2.append(_dcg(gains) / self.ideal[qid])
                r2.append(sum(1 for g in gains if g == 2) / self.n_gain2[qid])
        return {
            k: np.array(v)
            for k, v in {"T1 MRR@10": t1, "T2 nDCG@10": t2, "T2 topic-R@10": r2, "T3 P@10": t3}.items()
        }


def _dcg(gains):
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def paired_p(a: np.ndarray, b: np.ndarray, *, rounds: int = 10_000, seed: int = 0) -> float:
    diff = a - b
    observed = abs(diff.mean())
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(rounds, len(diff)))
    permuted = np.abs((signs * diff).mean(axis=1))
    return float((np.sum(permuted >= observed - 1e-12) + 1) / (rounds + 1))


def baseline_rankings(corpus, queries, depth=DEPTH):
    """README baseline: char uni+bigram TF-IDF, sublinear tf, cosine, brute force."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    docs = vectorizer.fit_transform([r["abstract"] for r in corpus])
    ids = np.array([r["id"] for r in corpus])
    q = vectorizer.transform([t for _, t in queries])
    out = {}
    for start in range(0, q.shape[0], 500):
        scores = (q[start : start + 500] @ docs.T).toarray()
        top = np.argpartition(-scores, depth, axis=1)[:, :depth]
        for row, (qid, _) in enumerate(queries[start : start + 500]):
            cand = top[row][np.argsort(-scores[row, top[row]], kind="stable")]
            out[qid] = ids[cand].tolist()
    return out


_BUILT: dict[str, tuple] = {}


def engine_rankings(corpus, queries, config: dict, depth=DEPTH):
    sys.path.insert(0, str(ROOT / "src"))
    from matching_mixed import BUILD_KEYS
    from xietong.matching import Document, MatchConfig, MatchIndex

    build_config = {k: v for k, v in config.items() if k in BUILD_KEYS}
    key = json.dumps(build_config, sort_keys=True)
    if key not in _BUILT:  # configs that differ only in query-time keys share one build
        _BUILT.clear()
        started = time.perf_counter()
        index = MatchIndex(config=build_config)
        index.add(Document(id=r["id"], body=r["abstract"]) for r in corpus)
        _BUILT[key] = (index, time.perf_counter() - started)
    index, build = _BUILT[key]
    index.config = MatchConfig.from_dict(config)
    out, latencies = {}, []
    for qid, title in queries:
        t0 = time.perf_counter()
        out[qid] = [h.id for h in index.search(title, k=depth, explain=False)]
        latencies.append(time.perf_counter() - t0)
    lat = np.array(latencies) * 1000
    return out, {
        "build_s": build,
        "p50_ms": float(np.percentile(lat, 50)),
        "p95_ms": float(np.percentile(lat, 95)),
    }


def report(judge, engine, baseline, *, label="engine"):
    rows = []
    for condensed in (False, True):
        mine = judge.per_query(engine, condensed=condensed)
        base = judge.per_query(baseline, condensed=condensed)
        for metric in mine:
            rows.append(
                {
                    "list": "condensed" if condensed else "plain",
                    "metric": metric,
                    "baseline": float(base[metric].mean()),
                    label: float(mine[metric].mean()),
                    "p": paired_p(mine[metric], base[metric]),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config", default="{}", help="MatchConfig overrides as JSON (a list of them to compare)"
    )
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument(
        "--mixed",
        choices=("small", "large"),
        help="run the mixed validation set (bench/matching_validation.py) at this scale instead of CSL",
    )
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    args = parser.parse_args()
    if args.mixed:
        from matching_mixed import run_mixed

        run_mixed(args.mixed, args.split, json.loads(args.config), args.json)
        return
    if not (CSL / "csl_merged.jsonl").exists():
        sys.exit(f"csl-sci-lit not found at {CSL}")
    corpus, queries, qrels = load()
    judge = Judge(corpus, queries, qrels)
    baseline = baseline_rankings(corpus, queries)
    configs = json.loads(args.config)
    configs = configs if isinstance(configs, list) else [configs]
    all_rows = []
    for config in configs:
        rankings, timing = engine_rankings(corpus, queries, config)
        rows = report(judge, rankings, baseline)
        print(
            f"\nconfig {json.dumps(config, ensure_ascii=False)}  build {timing['build_s']:.1f} s, "
            f"query p50 {timing['p50_ms']:.2f} ms p95 {timing['p95_ms']:.2f} ms (k={DEPTH})"
        )
        print(f"{'list':10} {'metric':15} {'baseline':>9} {'engine':>9} {'p':>8}")
        for row in rows:
            print(
                f"{row['list']:10} {row['metric']:15} {row['baseline']:9.3f} {row['engine']:9.3f} {row['p']:8.4f}"
            )
        all_rows.append({"config": config, "timing": timing, "rows": rows})
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(all_rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
