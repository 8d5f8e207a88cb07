"""Matching speed: our MatchIndex beside tantivy and bm25s, on real titles and a synthetic 1M scale-out.

Run: PYTHONPATH=src .venv/bin/python bench/matching_speed.py [--scales real,1000000] [--engines xietong,tantivy,bm25s]
     [--runs 3] [--queries 1000] [--time-limit 1800] [--json out.json]

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

Shared index (``--readers 4``, our engine only): after the build, that many fresh processes open the
index from disk (``reopen`` = time to open it: memory-mapped files, nothing recomputed) and run the
same queries at the same time, as four web workers would. While they are alive the parent reads
``/proc/<pid>/smaps_rollup``: the server's memory is every reader's unique resident memory (USS =
private clean + dirty) plus the shared resident pages counted once (the largest Shared_* of the
readers: they map the same files); the sum of PSS is printed beside it.
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

    def add(self, docs: list[dict]) -> None:
        """One ``add`` (one commit), as the product's bulk load does (``transfer.search.rebuild``)."""
        from xietong.matching import Document

        self.index.add(
            Document(id=d["id"], title=d["title"], keywords=tuple(d["keywords"]), body=d["body"])
            for d in docs
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


def smaps(pid: int) -> dict[str, float]:
    """Resident memory of a process in MB from /proc/<pid>/smaps_rollup (USS, shared, PSS, RSS)."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            values[key] = int(rest.split()[0])
    mb = 1024
    return {
        "uss_mb": (values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)) / mb,
        "shared_mb": (values.get("Shared_Clean", 0) + values.get("Shared_Dirty", 0)) / mb,
        "pss_mb": values.get("Pss", 0) / mb,
        "rss_mb": values.get("Rss", 0) / mb,
    }


def reader(path: str, n_queries: int) -> None:
    """One web worker: open the shared index, query, report, then wait (the parent measures memory)."""
    from xietong.matching import MatchIndex

    queries = query_texts(n_queries)
    started, cpu = time.perf_counter(), time.process_time()
    index = MatchIndex(path)
    reopen, reopen_cpu = time.perf_counter() - started, time.process_time() - cpu
    latencies, cpu_ms = [], []
    for text in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        [h.id for h in index.search(text, k=10)]
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
    print(
        json.dumps(
            {
                "reopen_s": reopen,
                "reopen_cpu_s": reopen_cpu,  # CPU time: what the wall time would be on an idle core
                "p50_ms": float(np.percentile(latencies, 50)),
                "p95_ms": float(np.percentile(latencies, 95)),
                "cpu_p50_ms": float(np.percentile(cpu_ms, 50)),
                "cpu_p95_ms": float(np.percentile(cpu_ms, 95)),
            }
        ),
        flush=True,
    )
    sys.stdin.readline()


def shared_readers(path: Path, n: int, n_queries: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, __file__, "--reader", str(path), "--queries", str(n_queries)]
    children = [
        subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(n)
    ]
    reports = [json.loads(child.stdout.readline()) for child in children]
    memory = [smaps(child.pid) for child in children]
    for child in children:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait()
    uss = sum(m["uss_mb"] for m in memory)
    shared = max(m["shared_mb"] for m in memory)
    return {
        "readers": n,
        "reopen_s": max(r["reopen_s"] for r in reports),
        "reopen_cpu_s": max(r["reopen_cpu_s"] for r in reports),
        "readers_cpu_p50_ms": statistics.median(r["cpu_p50_ms"] for r in reports),
        "readers_cpu_p95_ms": statistics.median(r["cpu_p95_ms"] for r in reports),
        "readers_p50_ms": statistics.median(r["p50_ms"] for r in reports),
        "readers_p95_ms": statistics.median(r["p95_ms"] for r in reports),
        "server_mb": uss + shared,
        "uss_sum_mb": uss,
        "shared_once_mb": shared,
        "pss_sum_mb": sum(m["pss_mb"] for m in memory),
        "per_reader": memory,
        "load": os.getloadavg(),
    }


def worker(engine_name: str, scale: str, runs: int, n_queries: int, readers: int = 0) -> dict:
    docs = corpus(scale)
    extra = synthetic(real_titles(), INCREMENT, seed=99, prefix="inc")
    queries = query_texts(n_queries)
    before = rss_mb()
    with tempfile.TemporaryDirectory(prefix=f"bench-{engine_name}-") as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        engine = ENGINES[engine_name](Path(tmp))
        engine.add(docs)
        engine.finish()
        build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        engine.add(extra)
        engine.finish() if engine_name != "xietong" else None
        increment = time.perf_counter() - started
        if engine_name == "xietong":
            engine.search("预热")
        memory = rss_mb() - before
        p50s, p95s, cpu50s, cpu95s = [], [], [], []
        for _ in range(runs):
            latencies, cpu_ms = [], []
            for text in queries:
                t0, c0 = time.perf_counter(), time.process_time()
                engine.search(text)
                latencies.append((time.perf_counter() - t0) * 1000)
                cpu_ms.append((time.process_time() - c0) * 1000)
            p50s.append(float(np.percentile(latencies, 50)))
            p95s.append(float(np.percentile(latencies, 95)))
            cpu50s.append(float(np.percentile(cpu_ms, 50)))
            cpu95s.append(float(np.percentile(cpu_ms, 95)))
        load = os.getloadavg()
        shared = {}
        if readers and engine_name == "xietong":
            engine.index.close()
            shared = shared_readers(Path(tmp), readers, n_queries)
            shared["disk_mb"] = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file()) / 2**20
    return {
        **shared,
        "load_during_queries": load,
        "engine": engine_name,
        "scale": scale,
        "documents": len(docs),
        "build_s": build,
        "build_cpu_s": build_cpu,  # this process's CPU time (tantivy's writer threads count too)
        "add_1000_s": increment,
        "memory_mb": memory,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "p50_ms": statistics.median(p50s),
        "p95_ms": statistics.median(p95s),
        "cpu_p50_ms": statistics.median(cpu50s),  # CPU time: what the query costs whatever the load
        "cpu_p95_ms": statistics.median(cpu95s),
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
    parser.add_argument("--readers", type=int, default=4, help="processes sharing our index (0 = none)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=1800,
        help="seconds per engine and corpus (build + queries); one that runs longer is reported, not waited for",
    )
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SCALE"), help=argparse.SUPPRESS)
    parser.add_argument("--reader", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader(args.reader, args.queries)
        return
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.runs, args.queries, args.readers)))
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
            command += [
                "--runs",
                str(args.runs),
                "--queries",
                str(args.queries),
                "--readers",
                str(args.readers),
            ]
            try:
                done = subprocess.run(
                    command, env=env, capture_output=True, text=True, timeout=args.time_limit
                )
            except subprocess.TimeoutExpired:
                print(
                    f"{scale:>10} {engine:8} did not finish within {args.time_limit:.0f} s (stopped)",
                    flush=True,
                )
                rows.append({"engine": engine, "scale": scale, "timed_out_s": args.time_limit})
                continue
            if done.returncode:
                print(f"{scale:>10} {engine:8} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            label = "real" if scale == "real" else f"synth {int(scale):,}"
            print(
                f"{label:>10} {engine:8} {row['documents']:>9,} {row['build_s']:8.1f} {row['add_1000_s']:8.2f} "
                f"{row['memory_mb']:8.0f} {row['p50_ms']:7.2f} {row['p95_ms']:7.2f}"
                f"  (CPU: build {row['build_cpu_s']:.1f} s, p50 {row['cpu_p50_ms']:.2f}, p95 {row['cpu_p95_ms']:.2f})"
                f"  load {row['load_during_queries'][0]:.1f}",
                flush=True,
            )
            if "server_mb" in row:
                print(
                    f"{'':>10} {row['readers']} processes sharing the index: reopen {row['reopen_s']:.2f} s "
                    f"(CPU {row['reopen_cpu_s']:.2f} s), "
                    f"p50 {row['readers_p50_ms']:.2f} ms, p95 {row['readers_p95_ms']:.2f} ms (concurrent; CPU "
                    f"p50 {row['readers_cpu_p50_ms']:.2f}, p95 {row['readers_cpu_p95_ms']:.2f}); "
                    f"memory {row['server_mb']:.0f} MB = USS {row['uss_sum_mb']:.0f} + shared "
                    f"{row['shared_once_mb']:.0f} (PSS sum {row['pss_sum_mb']:.0f}); disk {row['disk_mb']:.0f} MB; "
                    f"load {row['load'][0]:.1f}",
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
