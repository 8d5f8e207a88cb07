"""Matching speed: our MatchIndex beside tantivy and bm25s, on real titles and a synthetic 1M scale-out.

Run: PYTHONPATH=src .venv/bin/python bench/matching_speed.py [--scales real,1000000] [--engines xietong,tantivy,bm25s]
     [--runs 3] [--queries 1000] [--json out.json]

Corpora (both fed to every engine, in the same run):

* ``real``: every project / paper / patent title in ../shared/reference/ (NSFC management science,
  National Social Science Fund, CSL titles, KPPatent TAC titles) plus the 14,932 CSL abstracts.
* ``<n>`` (e.g. 1000000): SYNTHETIC listings, seeded, for latency only: each has a title of words
  drawn from two real titles, three keywords and a body of words drawn from four more real titles.
  Nothing about their relevance is measured.

Each (engine, corpus) runs in its own child process so that its memory (peak RSS) is its own. The
child builds the index once (build time includes tokenising), adds 1,000 more documents
incrementally, then times ``--queries`` top-10 queries (real CSL titles) ``--runs`` times; the table
shows the median over runs of each run's p50 and p95. tantivy and bm25s get rjieba word tokens (our
analyzer without char n-grams), tantivy through its whitespace tokenizer and a boolean OR of term
queries (BM25); our engine runs its full pipeline (words + char bigrams, BM25F, semantic layer,
neighbourhood smoothing, explanations). Not a test.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
INCREMENT = 1_000


def real_titles() -> list[str]:
    titles: list[str] = []
    folder = REFERENCE / "cn-research-project-titles"
    for name, column in (("natural-2017-09-26.csv", "项目名称"), ("social-2017-09-26.csv", "项目名称")):
        with zipfile.ZipFile(folder / f"{name}.zip") as archive:
            with archive.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                    if row.get(column):
                        titles.append(row[column].strip())
    for line in (REFERENCE / "csl-sci-lit" / "csl_merged.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record.get("title"):
            titles.append(record["title"].strip())
    tac = REFERENCE / "kppatent-zh" / "test_data_TAC.json"
    if tac.exists():
        for record in json.loads(tac.read_text(encoding="utf-8")):
            head = record["input"].split("\n", 1)[0]
            if head.startswith("标题："):
                titles.append(head.removeprefix("标题：").strip())
    return [t for t in titles if t]


def csl_abstracts() -> list[str]:
    out = []
    for line in (REFERENCE / "csl-sci-lit" / "csl_merged.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record.get("abstract"):
            out.append(record["abstract"])
    return out


def query_texts(n: int, seed: int = 7) -> list[str]:
    lines = (REFERENCE / "csl-sci-lit" / "eval" / "queries.tsv").read_text(encoding="utf-8").splitlines()
    titles = [line.split("\t", 1)[1].strip() for line in lines]
    rng = np.random.default_rng(seed)
    return [titles[i] for i in rng.choice(len(titles), size=min(n, len(titles)), replace=False)]


def corpus(scale: str) -> list[dict]:
    """Listings as dicts (id, title, keywords, body): the real corpus or a seeded synthetic one."""
    titles = real_titles()
    if scale == "real":
        docs = [{"id": f"t{i}", "title": t, "keywords": [], "body": ""} for i, t in enumerate(titles)]
        docs += [
            {"id": f"a{i}", "title": "", "keywords": [], "body": a} for i, a in enumerate(csl_abstracts())
        ]
        return docs
    return synthetic(titles, int(scale), seed=0)


def synthetic(titles: list[str], n: int, *, seed: int, prefix: str = "s") -> list[dict]:
    import rjieba

    pieces = [[w for w in rjieba.cut(t) if len(w) > 1] or [t] for t in titles]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(pieces), size=(n, 6))
    docs = []
    for i in range(n):
        a, b, *rest = (pieces[j] for j in picks[i])
        title = "".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
        body_words = [w for p in rest for w in p]
        keywords = [body_words[j] for j in rng.integers(0, len(body_words), size=3)] if body_words else []
        body = "，".join("".join(p) for p in rest)
        docs.append({"id": f"{prefix}{i}", "title": title, "keywords": keywords, "body": body})
    return docs


# ---------------------------------------------------------------------------- engines
class Xietong:
    name = "xietong"

    def __init__(self, path: Path) -> None:
        from xietong.matching import MatchIndex

        self.index = MatchIndex(path)

    def add(self, docs: list[dict], *, batch: int = 250_000) -> None:
        from xietong.matching import Document

        for start in range(0, len(docs), batch):
            self.index.add(
                Document(id=d["id"], title=d["title"], keywords=tuple(d["keywords"]), body=d["body"])
                for d in docs[start : start + batch]
            )

    def finish(self) -> None:
        self.index.search("预热", k=10)  # first query builds the scoring caches

    def search(self, text: str) -> list[str]:
        return [h.id for h in self.index.search(text, k=10)]


class Tantivy:
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        import tantivy

        from xietong.matching import Analyzer

        self.tantivy = tantivy
        self.analyzer = Analyzer(char_ngrams=())
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("text", stored=False, tokenizer_name="whitespace", index_option="freq")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(path))
        self.writer = self.index.writer(heap_size=1_000_000_000, num_threads=2)

    def add(self, docs: list[dict]) -> None:
        for d in docs:
            words = self.analyzer.words(f"{d['title']}\n{' '.join(d['keywords'])}\n{d['body']}")
            self.writer.add_document(self.tantivy.Document(id=d["id"], text=" ".join(words)))
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.writer = self.index.writer(heap_size=1_000_000_000, num_threads=2)
        self.index.reload()

    def finish(self) -> None:
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, text: str) -> list[str]:
        tantivy = self.tantivy
        words = dict.fromkeys(self.analyzer.words(text))
        if not words:
            return []
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", w)) for w in words]
        )
        result = self.searcher.search(query, 10)
        return [self.searcher.doc(address)["id"][0] for _, address in result.hits]


class BM25S:
    name = "bm25s"

    def __init__(self, path: Path) -> None:
        from xietong.matching import Analyzer

        self.analyzer = Analyzer(char_ngrams=())
        self.ids: list[str] = []
        self.tokens: list[list[str]] = []

    def add(self, docs: list[dict]) -> None:
        """bm25s has no incremental add: every add re-indexes everything (what an operator would do)."""
        import bm25s

        for d in docs:
            self.ids.append(d["id"])
            self.tokens.append(self.analyzer.words(f"{d['title']}\n{' '.join(d['keywords'])}\n{d['body']}"))
        self.model = bm25s.BM25()
        self.model.index(self.tokens, show_progress=False)
        self.vocab = self.model.vocab_dict

    def finish(self) -> None:
        pass

    def search(self, text: str) -> list[str]:
        words = [w for w in self.analyzer.words(text) if w in self.vocab]
        if not words:
            return []
        rows, _ = self.model.retrieve([words], k=10, show_progress=False, n_threads=1)
        return [self.ids[i] for i in rows[0]]


ENGINES = {"xietong": Xietong, "tantivy": Tantivy, "bm25s": BM25S}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(engine_name: str, scale: str, runs: int, n_queries: int) -> dict:
    docs = corpus(scale)
    extra = synthetic(real_titles(), INCREMENT, seed=99, prefix="inc")
    queries = query_texts(n_queries)
    before = rss_mb()
    with tempfile.TemporaryDirectory(prefix=f"bench-{engine_name}-") as tmp:
        started = time.perf_counter()
        engine = ENGINES[engine_name](Path(tmp))
        engine.add(docs)
        engine.finish()
        build = time.perf_counter() - started
        started = time.perf_counter()
        engine.add(extra)
        engine.finish() if engine_name != "xietong" else None
        increment = time.perf_counter() - started
        if engine_name == "xietong":
            engine.search("预热")
        memory = rss_mb() - before
        p50s, p95s = [], []
        for _ in range(runs):
            latencies = []
            for text in queries:
                t0 = time.perf_counter()
                engine.search(text)
                latencies.append((time.perf_counter() - t0) * 1000)
            p50s.append(float(np.percentile(latencies, 50)))
            p95s.append(float(np.percentile(latencies, 95)))
    return {
        "engine": engine_name,
        "scale": scale,
        "documents": len(docs),
        "build_s": build,
        "add_1000_s": increment,
        "memory_mb": memory,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "p50_ms": statistics.median(p50s),
        "p95_ms": statistics.median(p95s),
        "runs_p50_ms": p50s,
        "runs_p95_ms": p95s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="real,1000000")
    parser.add_argument("--engines", default="xietong,tantivy,bm25s")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--json")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.runs, args.queries)))
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    rows = []
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{'corpus':>10} {'engine':8} {'docs':>9} {'build s':>8} {'+1000 s':>8} {'mem MB':>8} {'p50 ms':>7} {'p95 ms':>7}"
    )
    for scale in args.scales.split(","):
        for engine in args.engines.split(","):
            command = [sys.executable, __file__, "--worker", engine, scale]
            command += ["--runs", str(args.runs), "--queries", str(args.queries)]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode:
                print(f"{scale:>10} {engine:8} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            label = "real" if scale == "real" else f"synth {int(scale):,}"
            print(
                f"{label:>10} {engine:8} {row['documents']:>9,} {row['build_s']:8.1f} {row['add_1000_s']:8.2f} "
                f"{row['memory_mb']:8.0f} {row['p50_ms']:7.2f} {row['p95_ms']:7.2f}",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
