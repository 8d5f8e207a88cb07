"""The mixed validation set: topical, known-item and demand-style tasks over real Chinese text.

Built from four sources in ``../shared/reference/`` so that no single one decides the defaults:

- kppatent-zh: 3,720 invention-patent abstracts ("本发明公开了一种…") with keyphrases;
- cn-research-project-titles: 17,926 NSFC management-science titles (label = 学部 + 学科 digits of
  the 批准号) and 62,580 National Social Science Fund titles (label = 学科分类) plus their 成果名称;
- csl-sci-lit: the 14,932 abstracts (only as documents at the large scale: CSL keeps its own bench).

Tasks (each query has one wanted document, or a label for topical precision):

- ``known_patent``: the invention's name (the "一种X" of the abstract's first sentence) → that patent;
- ``demand_patent``: an enterprise demand written from the patent's keyphrases in one of several
  phrasings ("征集A、B等技术的合作开发", "寻求A相关技术，用于B", …) → that patent;
- ``demand_project``: a demand written from a project title's core, a third of its words dropped
  ("寻求…相关技术") → that project;
- ``topical_nsfc`` / ``topical_social``: a title → P@10 of other titles with the same label.

Scales: ``small`` = the patents plus 4,000 NSFC titles (7.7k documents); ``large`` = every document
of the four sources (≈ 123k). Splits: each query is ``dev`` or ``heldout`` by a hash of its id (30 %
held out); tune on dev only and report held-out figures as the check. Generation is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

REF = Path(__file__).resolve().parents[2] / "shared" / "reference"
QUERIES_PER_TASK = 300
HELDOUT_SHARE = 3  # of 10

DEMAND_TEMPLATES_2 = (
    "征集{a}、{b}等技术的合作开发",
    "寻求{a}和{b}相关技术",
    "我公司需要{a}方面的技术，涉及{b}，欢迎合作",
    "求购{a}技术，用于{b}",
    "征集{a}相关技术解决方案，要求具备{b}能力",
)
DEMAND_TEMPLATES_1 = (
    "寻求{a}相关技术",
    "征集{a}等技术的合作开发",
    "企业需要{a}方面的技术支持",
    "求{a}技术合作",
)
NAME = re.compile(r"(?:公开|提供|涉及|公布)了?(?:一种|一类)?(.{4,40}?)(?:[，,。；;：:]|$)")
TITLE_TAIL = re.compile(r"(的|及其)?(应用|机制|对策|模式|路径)?(研究|探索|分析)$")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str = ""
    body: str = ""
    label: str = ""

    @property
    def text(self) -> str:
        return f"{self.title} {self.body}".strip()


@dataclass(frozen=True)
class Query:
    id: str
    task: str
    text: str
    target: str = ""  # wanted document (known-item, demand)
    label: str = ""  # wanted label (topical); the query's own document is left out
    own: str = ""

    @property
    def split(self) -> str:
        return "heldout" if zlib.crc32(self.id.encode()) % 10 < HELDOUT_SHARE else "dev"


def _csv_rows(name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(REF / "cn-research-project-titles" / f"{name}-2017-09-26.csv.zip") as zf:
        inner = zf.namelist()[0]
        return list(csv.DictReader(io.TextIOWrapper(zf.open(inner), encoding="utf-8")))


def patents() -> list[tuple[Doc, list[str]]]:
    out, seen = [], set()
    for fname in ("data_A.json", "test_data_A.json"):
        for i, rec in enumerate(json.loads((REF / "kppatent-zh" / fname).read_text(encoding="utf-8"))):
            abstract = rec["input"].removeprefix("摘要：").strip()
            if abstract in seen:
                continue
            seen.add(abstract)
            phrases = [p.strip() for p in (rec.get("output") or "").split(",") if p.strip()]
            out.append((Doc(id=f"pat-{fname[:4]}-{i}", body=abstract), phrases))
    return out


def nsfc() -> list[Doc]:
    docs, seen = [], set()
    for row in _csv_rows("natural"):
        title, code = row["项目名称"].strip(), row["项目批准号"].strip()
        if not title or title in seen or len(code) < 5:
            continue
        seen.add(title)
        docs.append(Doc(id=f"nsfc-{code}", title=title, label=code[0] + code[3:5]))
    return docs


def social() -> tuple[list[Doc], list[Doc]]:
    docs, results, seen = [], [], set()
    for i, row in enumerate(_csv_rows("social")):
        title = row["项目名称"].strip()
        label = row["学科分类"].replace("·", "").strip()
        if title and title not in seen:
            seen.add(title)
            docs.append(Doc(id=f"soc-{i}", title=title, label=label))
        result = row["成果名称"].strip()
        if result and result not in seen:
            seen.add(result)
            results.append(Doc(id=f"socr-{i}", title=result))
    return docs, results


def csl() -> list[Doc]:
    path = REF / "csl-sci-lit" / "csl_merged.jsonl"
    docs = []
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        if rec.get("abstract"):
            docs.append(Doc(id=f"csl-{rec['id']}", body=rec["abstract"]))
    return docs


def patent_name(abstract: str) -> str | None:
    """The invention's name as its abstract states it ("本发明公开了一种X，…" → X)."""
    m = NAME.search(abstract[:120])
    if not m:
        return None
    name = re.sub(r"^(的?是?关于|的是)", "", m.group(1).strip())
    return name if 4 <= len(name) <= 40 else None


def _specific(phrases: list[str], name: str) -> list[str]:
    """Keyphrases worth naming in a demand: 2+ characters, not already the whole name, longest first."""
    picked = [p for p in dict.fromkeys(phrases) if len(p) >= 2 and p != name]
    return sorted(picked, key=len, reverse=True)


def project_core(title: str, rng: random.Random) -> str:
    """What a demand keeps of a project title: its words minus the tail and about a third of the rest."""
    import rjieba

    core = TITLE_TAIL.sub("", title.strip('“”"')).strip()
    core = core.removeprefix("基于") if len(core) >= 6 else title
    words = [w for w in rjieba.cut(core) if w.strip()]
    if len(words) <= 3:
        return core
    drop = set(rng.sample(range(len(words)), len(words) // 3))
    return "".join(w for i, w in enumerate(words) if i not in drop)


def build(scale: str = "small", *, per_task: int = QUERIES_PER_TASK, seed: int = 13):
    """Documents and queries of one scale; the same seed always gives the same set."""
    if scale not in ("small", "large"):
        raise ValueError("scale is small or large")
    rng = random.Random(seed)
    pats = patents()
    ns = nsfc()
    ns_small = rng.sample(ns, 4000)
    docs: list[Doc] = [d for d, _ in pats]
    if scale == "small":
        docs += ns_small
        soc_docs: list[Doc] = []
    else:
        soc_docs, soc_results = social()
        docs += ns + soc_docs + soc_results + csl()
    queries: list[Query] = []

    named = [(d, p, patent_name(d.body)) for d, p in pats]
    named = [(d, p, n) for d, p, n in named if n]
    for d, _, n in rng.sample(named, min(per_task, len(named))):
        queries.append(Query(id=f"known:{d.id}", task="known_patent", text=n, target=d.id))
    for d, phrases, n in rng.sample(named, min(per_task, len(named))):
        spec = _specific(phrases, n)
        if len(spec) >= 2:
            a, b = rng.sample(spec[:4], 2)
            text = rng.choice(DEMAND_TEMPLATES_2).format(a=a, b=b)
        elif spec:
            text = rng.choice(DEMAND_TEMPLATES_1).format(a=spec[0])
        else:
            continue
        queries.append(Query(id=f"dpat:{d.id}", task="demand_patent", text=text, target=d.id))
    for d in rng.sample(ns_small, per_task):
        text = rng.choice(DEMAND_TEMPLATES_1).format(a=project_core(d.title, rng))
        queries.append(Query(id=f"dproj:{d.id}", task="demand_project", text=text, target=d.id))
    pool = ns_small if scale == "small" else ns
    for d in rng.sample(pool, per_task):
        queries.append(Query(id=f"tnsfc:{d.id}", task="topical_nsfc", text=d.title, label=d.label, own=d.id))
    if soc_docs:
        labelled = [d for d in soc_docs if d.label]
        for d in rng.sample(labelled, per_task):
            queries.append(
                Query(id=f"tsoc:{d.id}", task="topical_social", text=d.title, label=d.label, own=d.id)
            )
    return docs, queries
