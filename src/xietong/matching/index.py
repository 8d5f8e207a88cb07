"""MatchIndex: a fielded BM25F index with a semantic layer, structured features and explanations.

Layout on disk (``path``), shared by every process of a server::

    meta.json           the commit: config, segments and their current files, vocabulary file and size,
                        live count, next internal id, log checkpoint (written last, atomically)
    vocab-NNNN.txt      one term a line; line number = term id (append-only; a rebuild starts a new file)
    docs.sqlite3        the documents (fields + attrs) and which are live
    seg-NNNNNN/         immutable segment: per-field term frequencies (.npy), plus its deleted rows,
                        BM25F impact, unit rows and semantic vectors under names that change when they do
    df-NNNNNN.npy       document frequency of each term
    semantic-NNNNNN.*   the semantic layer's term vectors, int8 codes and a scale a term (refit by ``rebuild``)

Every array is a ``.npy`` written once and opened with ``np.load(mmap_mode="r")``: four worker
processes share one copy in the page cache, and opening computes nothing (the writer derives the
impact matrices and vectors before it commits). A writer (one per server: the caller holds a file
lock) first catches up with the latest ``meta.json``; readers call :meth:`MatchIndex.refresh`.

``add`` writes a new segment (an update is a delete plus an add), ``delete`` marks rows deleted,
small segments are merged when there are more than ``max_segments``; ``rebuild`` re-analyses every
live document (new dictionary, new analysis settings) and refits the semantic layer.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .analysis import Analyzer, normalize_text
from .config import MatchConfig
from .explain import matched_terms, query_words
from .features import feature_contributions
from .query import QueryGroup, QueryPlan, build_plan, learn_boilerplate, merge_groups
from .segment import Segment, merge_segments
from .semantic import SemanticModel, l2_normalize_rows
from .store import (
    DocStore,
    IdMap,
    Locator,
    Packed,
    QuantizedRows,
    load_array,
    open_vocab,
    save_array,
    save_quantized,
)
from .types import FIELDS, Document, Explanation, Hit

# 3: impact and unit rows with float16 values, unit rows cut to their heaviest terms, int8 document
# vectors with a scale a row, float16 term vectors (issue 13: the index's memory at a million listings)
# 4: row / term numbers of the impact and the unit rows as uint16 inside blocks of 65,536 with a count
# table a line, unit rows of shared (df ≥ 2) terms only with uint8 values and a scale a row, semantic
# term vectors as int8 codes with a scale a term
FORMAT_VERSION = 4


class MatchIndex:
    """A searchable collection of :class:`Document` (in memory, or on disk under ``path``).

    Parameters
    ----------
    path : str or Path or None
        Directory of an on-disk index (created if missing, opened if present); None keeps it in memory.
    config : MatchConfig or mapping or None
        Scoring and analysis parameters; for an existing index the stored config is used unless given.

    Examples
    --------
    >>> idx = MatchIndex()
    >>> idx.add([Document(id="a1", title="动力电池热管理系统", keywords=("热管理",)),
    ...          Document(id="a2", title="小麦抗旱品种选育")])
    >>> [h.id for h in idx.search("电池热管理", k=5)]
    ['a1']
    >>> idx.search("电池热管理")[0].explanation.render_zh()
    '标题匹配：热管理、电池；关键词匹配：热管理'
    """

    def __init__(
        self, path: str | Path | None = None, *, config: MatchConfig | Mapping | None = None
    ) -> None:
        self.path = Path(path) if path is not None else None
        stored = None
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            stored = self._read_meta()
            _check_format(stored)  # before its config is read: an old one may hold keys no longer known
        if isinstance(config, MatchConfig):
            self.config = config
        elif config is not None:
            self.config = MatchConfig.from_dict(config)
        else:
            self.config = MatchConfig.from_dict(stored["config"]) if stored else MatchConfig()
        self._config_given = config is not None
        self._store = DocStore(self.path / "docs.sqlite3" if self.path else None)
        self._reset_state()
        if stored:
            self._load_retrying(stored)

    def _reset_state(self) -> None:
        self.analyzer = self._make_analyzer()
        self._terms: list[str] = []
        self._vocab: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)
        self._segments: list[Segment] = []
        self._doc_of = IdMap(self._store, 0, lambda: self._next_doc)
        self._where = Locator()
        self._next_doc = 0
        self._next_segment = 0
        self._semantic: SemanticModel | None = None
        self._semantic_version = 0
        self._semantic_saved = 0
        self._vocab_written = 0
        self._vocab_file = "vocab-0000.txt"
        self._vocab_bytes = 0
        self._semantic_fit_size = 0
        self._pending_unlink: list[str] = []
        self._generation = 0
        self._uid: str | None = None  # names this index (a directory swapped in by a rebuild has another)
        self._entries: dict[str, dict] = {}
        self._files: dict[str, str] = {}
        self._writable = self.path is None
        self.checkpoint: int | None = None
        self._last_vectors: tuple | None = None
        self._scratch = threading.local()  # _compact_columns' array, one per thread that searches

    # ------------------------------------------------------------------ public API
    def __len__(self) -> int:
        return len(self._doc_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._doc_of

    def add(self, documents: Iterable[Document]) -> None:
        """Add documents; a document whose id is already indexed replaces the old one.

        One call is one commit, however many documents it brings: a bulk load (a rebuild from the
        database, the 1M bench) passes them all at once. They are cut into segments of at most
        ``segment_docs``, and the derived matrices (BM25F impact, unit rows, semantic vectors) and the
        semantic fit are computed once, at the end, from the final collection statistics; so the
        index ranks exactly as one built from a single segment would. Several smaller calls instead
        commit (and derive) each time.
        """
        batch: dict[str, Document] = {}
        for document in documents:
            if not isinstance(document, Document):
                raise TypeError("MatchIndex.add takes Document objects")
            batch[document.id] = document
        if not batch:
            return
        self._ensure_writable()
        self._add(batch)
        self._commit()

    def _add(self, batch: dict[str, Document]) -> None:
        self._delete_ids(self._doc_of.known(batch))
        docs = list(batch.values())
        # every keyword of the batch feeds the segmenter before any document is cut
        self.analyzer.learn_words(k for d in docs for k in d.keywords)
        size = max(1, self.config.segment_docs)
        for start in range(0, len(docs), size):  # bounded memory: one segment's term lists at a time
            chunk = docs[start : start + size]
            internal = list(range(self._next_doc, self._next_doc + len(chunk)))
            segment = self._build_segment(chunk, internal)
            self._next_doc += len(chunk)
            self._attach(segment)
            self._store.insert(zip(internal, chunk, strict=True))
            for doc, document in zip(internal, chunk, strict=True):
                self._doc_of[document.id] = doc
        self._maybe_merge()
        if self._semantic_due():
            self._fit_semantic()

    def delete(self, ids: Iterable[str]) -> int:
        """Delete documents by id; unknown ids are ignored. Returns how many were deleted."""
        self._ensure_writable()
        known = self._doc_of.known(dict.fromkeys(ids))
        self._delete_ids(known)
        self._commit()
        return len(known)

    def apply(
        self, *, add: Iterable[Document] = (), delete: Iterable[str] = (), checkpoint: int | None = None
    ) -> None:
        """Deletes, then adds, and a caller's position (e.g. in a change log) in ONE commit: after a
        crash either all of it is in ``meta.json`` or none, so replaying from ``checkpoint`` is exact."""
        self._ensure_writable()
        self._delete_ids(self._doc_of.known(dict.fromkeys(delete)))
        batch: dict[str, Document] = {}
        for document in add:
            if not isinstance(document, Document):
                raise TypeError("MatchIndex.apply takes Document objects")
            batch[document.id] = document
        if batch:
            self._add(batch)
        if checkpoint is not None:
            self.checkpoint = checkpoint
        self._commit()

    def _semantic_due(self) -> bool:
        """Fit once there are 50 documents; refit each time the corpus has doubled, until the fit
        sample is full. Past that a refit costs much and changes little, so it waits for
        :meth:`optimize` or :meth:`rebuild`, which operators run off-peak."""
        c = self.config
        if c.semantic_weight <= 0 or len(self) < max(50, 2 * self._semantic_fit_size):
            return False
        return self._semantic is None or self._semantic_fit_size < c.semantic_fit_docs

    def get(self, doc_id: str) -> Document | None:
        doc = self._doc_of.get(doc_id)
        return self._store.get([doc])[doc] if doc is not None else None

    def search(
        self,
        query: str | Document,
        k: int = 10,
        *,
        where: Mapping[str, Any] | None = None,
        exclude: Iterable[str] = (),
        explain: bool = True,
    ) -> list[Hit]:
        """The ``k`` best documents for a query text or a query document (two-way matching).

        ``where`` keeps documents whose attrs equal (or contain) the given values, e.g.
        ``{"kind": "achievement"}`` or ``{"kind": ["expert", "lab"]}``; ``exclude`` drops ids (the
        query document itself is always dropped).
        """
        if k <= 0 or not self._doc_of:
            return []
        query_doc = query if isinstance(query, Document) else Document(id="\x00query", body=str(query))
        excluded = {self._doc_of[i] for i in (*exclude, query_doc.id) if i in self._doc_of}
        plan = self._query_terms(query_doc)
        self._last_vectors = None  # the candidates' vectors are kept for one search only
        term_ids, weights = plan.term_ids, plan.weights
        wanted = max(self.config.candidates, k)
        while True:
            docs, lexical = self._lexical_candidates(plan, wanted + len(excluded))
            if excluded:
                keep = ~np.isin(docs, np.fromiter(excluded, dtype=np.int64))
                docs, lexical = docs[keep], lexical[keep]
            own = self._repeats_query(query_doc, docs)
            hits = self._rank(query_doc, term_ids, weights, docs, lexical, k, where, explain, own=own)
            if len(hits) >= k or len(docs) < wanted or wanted >= len(self):
                return hits
            wanted *= 4  # a strict filter ate the candidates: widen

    def learn_boilerplate(self, requests: Iterable[Document], **thresholds: Any) -> list[str]:
        """Learn request phrasing from the listings that query this index (demands, for an index of
        achievements): words and two-word phrases common across the requests, spread over their
        ``fields`` and much rarer in this index, never a listing's keyword. They are weighted like the
        shipped boilerplate (``boilerplate_weight``) from the next query on, and kept with the index.
        Thresholds: see :func:`xietong.matching.query.learn_boilerplate`. Returns the learned phrases.
        """
        self._ensure_writable()
        requests = list(requests)
        analyzer = self.analyzer
        content = set(analyzer.learned_words)
        content.update(normalize_text(k).strip() for d in requests for k in d.keywords)
        texts = [(d.title + "\n" + d.body, _as_strings(d.attrs.get("fields"))) for d in requests]
        n = len(self)

        def reference_df(term: str) -> int:
            tid = self._vocab.get(term)
            return int(self._df[tid]) if tid is not None and tid < len(self._df) else 0

        learned = learn_boilerplate(
            analyzer.cut,
            texts,
            reference_df=reference_df,
            reference_size=n,
            content_words=content,
            **thresholds,
        )
        analyzer.set_learned_boilerplate(learned)
        self._commit()
        return learned

    def rebuild(self) -> None:
        """Re-analyse every live document into one segment and refit the semantic layer."""
        self._ensure_writable()
        learned = self.analyzer.learned_boilerplate
        self.analyzer = self._make_analyzer()
        self.analyzer.set_learned_boilerplate(learned)
        for batch in self._store.iter_live(batch=50_000):  # the listings' keywords feed the segmenter
            self.analyzer.learn_words(k for _, d in batch for k in d.keywords)
        old = self._segments
        self._terms, self._vocab, self._df = [], {}, np.zeros(0, dtype=np.int64)
        self._vocab_written = 0
        self._vocab_file = f"vocab-{int(self._vocab_file[6:10]) + 1:04d}.txt"  # readers keep the old one
        self._vocab_bytes = 0
        self._segments, self._where = [], Locator()
        for batch in self._store.iter_live(batch=50_000):
            internal = [doc for doc, _ in batch]
            self._attach(self._build_segment([d for _, d in batch], internal))
        self._merge(list(self._segments)) if len(self._segments) > 1 else None
        self._pending_unlink.extend(s.name for s in old)
        self._store.purge(below=self._next_doc)
        self._fit_semantic() if self.config.semantic_weight > 0 and len(self) else None
        self._commit(all_segments=True)

    def optimize(self) -> None:
        """Merge all segments into one (drops deleted rows) and refit the semantic layer."""
        self._ensure_writable()
        if len(self._segments) > 1 or any(len(s.deleted_rows) for s in self._segments):
            self._merge(list(self._segments))
        self._fit_semantic() if self.config.semantic_weight > 0 and len(self) else None
        self._commit(all_segments=True)

    def stats(self) -> dict[str, Any]:
        return {
            "documents": len(self),
            "segments": len(self._segments),
            "terms": len(self._terms),
            "semantic": self._semantic is not None,
            "deleted_rows": int(sum(len(s.deleted_rows) for s in self._segments)),
        }

    def close(self) -> None:
        self._segments, self._where, self._semantic = [], Locator(), None  # drop the memory maps
        self._store.close()

    def refresh(self) -> bool:
        """Follow another process's commits: reopen when ``meta.json`` changed since this object read
        it (a reader calls this before searching; a writer does it before writing). Opening maps the
        files and computes nothing, so this stays fast at a million documents."""
        if self.path is None:
            return False
        meta = self._read_meta()
        if meta is None or (meta.get("uid"), meta.get("generation")) == (self._uid, self._generation):
            return False
        if meta.get("uid") != self._uid and self._uid is not None:  # another index now lives here
            self._store.close()
            self._store = DocStore(self.path / "docs.sqlite3")
        self._reset_state()
        self._load_retrying(meta)
        return True

    @property
    def generation(self) -> int:
        """Number of the last commit this object has read or written (0 before the first)."""
        return self._generation

    def _read_meta(self) -> dict | None:
        try:
            return json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def _load_retrying(self, meta: dict) -> None:
        """Load a commit; if a writer replaced it meanwhile (its old files are removed once the new
        meta.json is in place), read the new one."""
        for attempt in range(5):
            try:
                self._load(meta)
                return
            except FileNotFoundError:
                if attempt == 4:
                    raise
                self._reset_state()
                meta = self._read_meta() or meta

    def _ensure_writable(self) -> None:
        """Before the first write: catch up with the latest commit, drop what an interrupted writer
        left (rows above the committed numbering), apply deletes it marked in the store but never
        committed (the store wins, as it did before), and turn the shared read-only structures into
        this process's own."""
        if self.path is not None:
            self.refresh()  # another process may have committed since: never write over its commit
        if self._writable:
            return
        self._store.purge(at_or_above=self._next_doc)
        self._store.commit()
        dead = self._store.dead_docs(below=self._next_doc)
        if len(dead):
            slots, _ = self._where.locate(dead[dead < len(self._where.slot)])
            stale = dead[dead < len(self._where.slot)][slots >= 0]
            by_segment: dict[int, tuple[Segment, list[int]]] = {}
            for doc in stale.tolist():
                segment, row = self._where.pop(doc)
                by_segment.setdefault(id(segment), (segment, []))[1].append(row)
            self._df = np.array(self._df, dtype=np.int64)
            for segment, rows in by_segment.values():
                rows_array = np.asarray(rows, dtype=np.int64)
                np.subtract.at(self._df, segment.row_terms(rows_array), 1)
                segment.deleted_rows = np.union1d(segment.deleted_rows, rows_array)
            self._doc_of.count -= len(stale)
        if not isinstance(self._vocab, dict):
            self._terms = list(self._terms[:])
            self._vocab = {t: i for i, t in enumerate(self._terms)}
        self._df = np.array(self._df, dtype=np.int64)
        self._writable = True

    # ------------------------------------------------------------------ analysis and segments
    def _make_analyzer(self) -> Analyzer:
        c = self.config
        return Analyzer(
            user_dictionaries=c.user_dictionaries,
            stop_words=c.stop_words,
            char_ngrams=c.char_ngrams,
            search_mode=c.search_mode,
            boilerplate=c.boilerplate_files,
        )

    def _term_ids(self, terms: list[str]) -> np.ndarray:
        """Term ids of many terms; a new term gets the next id in order of first appearance."""
        ids: list[int] = []
        self._extend_term_ids(ids, terms)
        return np.asarray(ids, dtype=np.int32)

    def _extend_term_ids(self, ids: list[int], terms: list[str]) -> None:
        """Append the ids of ``terms`` to ``ids``, numbering new terms as they first appear. The common
        case, every term known, stays in C (one ``map``), while the terms are still in the cache."""
        vocab = self._vocab
        mark = len(ids)
        try:
            ids += map(vocab.__getitem__, terms)
        except KeyError:
            del ids[mark:]
            new = self._terms
            for term in terms:
                if term not in vocab:
                    vocab[term] = len(new)
                    new.append(term)
            ids += map(vocab.__getitem__, terms)

    def _field_terms(self, document: Document) -> dict[str, list[str]]:
        analyzer = self.analyzer
        return {
            "title": analyzer.analyze(document.title),
            "keywords": analyzer.analyze_keywords(document.keywords),
            "body": analyzer.analyze(document.body),
        }

    def _query_field_terms(self, document: Document) -> dict[str, list[tuple[str, float]]]:
        """A query's terms per field with a factor: request boilerplate counts ``boilerplate_weight``."""
        analyzer, factor = self.analyzer, self.config.boilerplate_weight
        out: dict[str, list[tuple[str, float]]] = {
            "keywords": [(t, 1.0) for t in analyzer.analyze_keywords(document.keywords)]
        }
        for field in ("title", "body"):
            content, boilerplate = analyzer.split_boilerplate(document.field_text(field))
            terms = [(t, 1.0) for t in analyzer.analyze(content)]
            terms += [(t, factor) for t in analyzer.analyze(boilerplate)]
            out[field] = terms
        return out

    def _query_groups(self, document: Document) -> list[QueryGroup]:
        """A query's words with their backoff pieces, per field weight; boilerplate counts less."""
        c, analyzer = self.config, self.analyzer
        if not c.grouped_query:  # every term its own group: the sum of all terms, as before issue 13
            fields = []
            for field, terms in self._query_field_terms(document).items():
                weight = c.field_weights.get(field, 1.0) if field != "body" else 1.0
                fields += [([(t, [])], weight * f) for t, f in terms]
            return merge_groups(fields)
        fields = []
        title_weight = c.field_weights.get("title", 1.0)
        keyword_weight = c.field_weights.get("keywords", 1.0)
        for keyword in document.keywords:
            whole = normalize_text(keyword).strip()
            words = analyzer.query_groups(whole)
            if whole and (len(words) != 1 or words[0][0] != whole):
                words = [(whole, []), *words]  # the author's keyword whole, and each of its words
            fields.append((words, keyword_weight))
        for field, weight in (("title", title_weight), ("body", 1.0)):
            content, boilerplate = analyzer.split_boilerplate(document.field_text(field))
            fields.append((analyzer.query_groups(content), weight))
            if c.boundary_weight > 0:
                fields.append(
                    ([(g, []) for g in analyzer.boundary_ngrams(content)], weight * c.boundary_weight)
                )
            fields.append((analyzer.query_groups(boilerplate), weight * c.boilerplate_weight))
        return merge_groups(fields)

    def _build_segment(self, documents: list[Document], internal: list[int]) -> Segment:
        """Analyse documents into a new segment: each document's terms are looked up at once, and the ids
        of a few thousand documents become one int32 array (not a list per document and field)."""
        field_terms = self._field_terms
        counts = np.zeros((len(documents), len(FIELDS)), dtype=np.int64)
        parts = []
        step = 4096
        extend = self._extend_term_ids
        for start in range(0, len(documents), step):
            ids: list[int] = []
            sizes: list[int] = []
            for document in documents[start : start + step]:
                terms = field_terms(document)
                flat: list[str] = []
                for field in FIELDS:
                    sizes.append(len(terms[field]))
                    flat += terms[field]
                extend(ids, flat)  # looked up at once: the fresh strings are still in the cache
            counts[start : start + step] = np.asarray(sizes, dtype=np.int64).reshape(-1, len(FIELDS))
            parts.append(np.asarray(ids, dtype=np.int32))
        name = f"seg-{self._next_segment:06d}"
        self._next_segment += 1
        term_ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        return Segment.from_term_ids(
            name=name, doc_ids=internal, term_ids=term_ids, counts=counts, width=len(self._terms)
        )

    def _attach(self, segment: Segment, *, counted: bool = False) -> None:
        """Make a segment searchable; ``counted``: its document frequencies are already in ``_df``
        (a segment loaded from disk: df comes from its own file)."""
        self._segments.append(segment)
        self._where.place(segment)
        if not counted:
            self._grow_df()
            self._df[: segment.width] += segment.presence()
        # the derived matrices wait for the commit (or, in memory, the first query): a bulk load
        # attaches several segments and derives them once, from the final statistics

    def _grow_df(self) -> None:
        if len(self._df) < len(self._terms):
            grown = np.zeros(max(len(self._terms), 2 * len(self._df)), dtype=np.int64)
            grown[: len(self._df)] = self._df
            self._df = grown

    def _delete_ids(self, ids: list[str]) -> None:
        docs = [self._doc_of.pop(i) for i in ids]
        by_segment: dict[int, tuple[Segment, list[int]]] = {}
        for doc in docs:
            segment, row = self._where.pop(doc)
            by_segment.setdefault(id(segment), (segment, []))[1].append(row)
        for segment, rows in by_segment.values():
            rows_array = np.asarray(rows, dtype=np.int64)
            np.subtract.at(self._df, segment.row_terms(rows_array), 1)
            segment.deleted_rows = np.union1d(segment.deleted_rows, rows_array)
        if docs:
            self._store.mark_deleted(docs)

    def _maybe_merge(self) -> None:
        limit = self.config.max_segments
        if len(self._segments) <= limit:
            return
        smallest = sorted(self._segments, key=lambda s: s.size - len(s.deleted_rows))
        self._merge(smallest[: len(self._segments) - limit + 2])

    def _merge(self, segments: list[Segment]) -> None:
        name = f"seg-{self._next_segment:06d}"
        self._next_segment += 1
        merged = merge_segments(segments, name=name, width=len(self._terms))
        gone = {id(s) for s in segments}
        self._segments = [s for s in self._segments if id(s) not in gone]
        # df is unchanged by a merge (deleted rows were already subtracted): attach without counting
        self._segments.append(merged)
        self._where.place(merged)
        self._where.retire(segments)
        self._pending_unlink.extend(segment.name for segment in segments)

    # ------------------------------------------------------------------ scoring
    def _compute_avg_lengths(self) -> dict[str, float]:
        # per field, over the documents that have it: 80k title-only records must not make every
        # abstract look five times too long (and a short title look normal)
        # plus the whole document's length over all documents, for the document-level ``doc_b``
        sums = {f: 0.0 for f in FIELDS}
        counts = {f: 0 for f in FIELDS}
        live = 0
        for segment in self._segments:
            keep = np.ones(segment.size, dtype=bool)
            keep[segment.deleted_rows] = False
            live += int(keep.sum())
            for f in FIELDS:
                lengths = segment.lengths[f][keep]
                sums[f] += float(lengths.sum())
                counts[f] += int(np.count_nonzero(lengths))
        out = {f: sums[f] / max(counts[f], 1) for f in FIELDS}
        out["document"] = sum(sums.values()) / max(live, 1)
        return out

    def _impacts(self) -> list[Packed]:
        c = self.config
        avg = self._avg_lengths()
        factor = None
        out = []
        for segment in self._segments:
            key = (
                tuple(round(math.log(max(avg[f], 1e-6)), 1) for f in FIELDS),  # refresh after ~10% drift
                tuple(sorted(c.field_weights.items())),
                tuple(sorted(c.field_b.items())),
                c.k1,
                c.doc_b,
                c.body_idf_floor,
                round(math.log(max(len(self), 1)), 1) if c.body_idf_floor > 0 else 0,  # idf drift
            )
            if segment.impact is None or segment.impact_key != key:
                if factor is None and c.body_idf_floor > 0:
                    # a body mention of a common word is weak evidence of the topic
                    factor = np.minimum(self._idf(np.arange(len(self._terms))) / c.body_idf_floor, 1.0)
                segment.compute_impact(
                    avg_lengths=avg,
                    field_weights=c.field_weights,
                    field_b=c.field_b,
                    k1=c.k1,
                    key=key,
                    doc_b=c.doc_b,
                    body_term_factor=factor,
                )
            out.append(segment.impact)
        return out

    def _avg_lengths(self) -> dict[str, float]:
        if getattr(self, "_avg_cache_key", None) != (len(self), len(self._segments), self._next_doc):
            self._avg_cache = self._compute_avg_lengths()
            self._avg_cache_key = (len(self), len(self._segments), self._next_doc)
        return self._avg_cache

    def _idf(self, term_ids: np.ndarray) -> np.ndarray:
        n = max(len(self), 1)
        df = self._df[term_ids].astype(np.float64)
        return np.log1p((n - df + 0.5) / (df + 0.5))

    def _query_terms(self, document: Document) -> QueryPlan:
        c = self.config
        return build_plan(
            self._query_groups(document),
            vocab=self._vocab,
            df=self._df,
            idf=self._idf,
            backoff_weight=c.backoff_weight if c.grouped_query else 0.0,
            ngram_weight=c.ngram_weight,
            query_k3=c.query_k3,
            max_groups=c.max_query_terms,
        )

    def _lexical_candidates(self, plan: QueryPlan, wanted: int):
        all_docs, all_scores = [], []
        if len(plan):
            floor = 0.0
            for segment, impact in zip(self._segments, self._impacts(), strict=True):
                # each segment's best rows with their exact scores (ties at the cut included: the doc
                # id breaks them below), the backoff computed only for rows that can make the cut;
                # a row under the wanted-th best score found so far in other segments cannot
                rows, scores = plan.top(impact, wanted, excluded=segment.deleted_rows, floor=floor)
                all_docs.append(segment.doc_ids[rows])
                all_scores.append(scores)
                found = np.concatenate(all_scores)
                if len(found) >= wanted:
                    floor = float(np.partition(found, len(found) - wanted)[len(found) - wanted])
        if not all_docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        docs, scores = np.concatenate(all_docs), np.concatenate(all_scores)
        order = np.lexsort((docs, -scores))[:wanted]
        return docs[order], scores[order]

    def _semantic_scores(self, term_ids, weights, docs) -> np.ndarray:
        c = self.config
        vectors = self._doc_vectors(docs)
        query = self._semantic.transform_terms(term_ids, weights)
        if c.semantic_prf_docs > 0 and len(docs):
            centroid = vectors[: c.semantic_prf_docs].mean(axis=0)
            query = query + c.semantic_prf_weight * centroid / max(float(np.linalg.norm(centroid)), 1e-9)
            query = query / max(float(np.linalg.norm(query)), 1e-9)
        return np.clip(vectors @ query.astype(np.float32), 0.0, 1.0)

    def _smooth(self, docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Score regularisation over the candidates (cluster hypothesis).

        A document whose closest fellow candidates (cosine of their idf-weighted term vectors) score
        well is more likely on topic than an isolated one with the same score: it gains
        ``smooth_weight`` times the similarity-weighted mean of its ``smooth_neighbors`` neighbours'
        scores; near-duplicates (cosine ≥ ``smooth_duplicate_cosine``) are collapsed, not counted. Only the candidates take part, so the cost does not grow with the collection.
        """
        c = self.config
        k = min(c.smooth_neighbors, len(docs) - 1)
        if c.smooth_weight <= 0 or k <= 0:
            return scores
        similarity = _cosines(self._candidate_rows(docs))
        np.fill_diagonal(similarity, -1.0)
        # near-duplicates (the same patent filed twice, a listing posted again) are one document, not
        # independent evidence: they never lift each other
        similarity[similarity >= c.smooth_duplicate_cosine] = -1.0
        neighbours = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        weight = np.take_along_axis(similarity, neighbours, axis=1).clip(0.0)
        weight /= np.maximum(weight.sum(axis=1, keepdims=True), max(c.smooth_floor, 1e-9))
        return scores + c.smooth_weight * (weight * scores[neighbours]).sum(axis=1)

    def _candidate_rows(self, docs: np.ndarray) -> sp.csr_matrix:
        """The candidates' unit rows, in their order, with the columns renumbered to the few in use
        (scipy's sparse product allocates per column of its operands). Copied with a few vectorised
        gathers per segment rather than a Python step per candidate."""
        slots, rows = self._where.locate(docs)
        counts = np.zeros(len(docs), dtype=np.int64)
        parts = []
        for slot in np.unique(slots).tolist():
            at = np.flatnonzero(slots == slot)
            unit = self._unit_rows(self._where.segments[slot])
            lines = rows[at].astype(np.int64)
            counts[at] = unit.indptr[lines + 1].astype(np.int64) - unit.indptr[lines].astype(np.int64)
            parts.append((at, unit, lines))
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.empty(int(indptr[-1]), dtype=np.int64)
        data = np.empty(int(indptr[-1]), dtype=np.float32)
        for at, unit, lines in parts:
            values, columns = unit.gather(lines)  # the lines' entries one line after another
            n = counts[at]
            target = np.repeat(indptr[at], n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
            indices[target] = columns
            data[target] = values
        compact, width = self._compact_columns(indices)
        return sp.csr_matrix((data, compact, indptr), shape=(len(docs), width))

    def _compact_columns(self, indices: np.ndarray) -> tuple[np.ndarray, int]:
        """Number the distinct term ids among ``indices`` 0, 1, … (in no particular order) in a few
        linear passes: a sort (``np.unique``) cost more than the product it prepares. A product's
        values do not depend on how columns are numbered, only on each row's order, which is kept.
        Uses a scratch array of one int32 per term, left all -1 after each call (one per thread: two
        threads searching one index at once must not share it)."""
        top = int(indices.max(initial=-1)) + 1
        slot = getattr(self._scratch, "column_slot", np.zeros(0, dtype=np.int32))
        if len(slot) < top:
            slot = self._scratch.column_slot = np.full(max(top, 2 * len(slot)), -1, dtype=np.int32)
        positions = np.arange(len(indices), dtype=np.int32)
        slot[indices] = positions  # one position per distinct column wins
        owner = slot[indices]
        first = owner == positions
        number = np.cumsum(first, dtype=np.int32) - 1
        slot[indices] = -1
        return number[owner], int(np.count_nonzero(first))

    def _unit_rows(self, segment: Segment) -> Packed:
        """Unit-length idf-weighted term rows of a segment, for candidate-to-candidate cosines.

        Each row keeps its ``unit_row_terms`` heaviest terms among those another document also has
        (df ≥ 2), divided by the whole row's norm. A term of one document adds nothing to its cosine
        with any other, so dropping those is exact and leaves the places to shared terms; the pruned
        cosine is a lower bound of the full one, so ``smooth_duplicate_cosine`` keeps its meaning.
        Values are uint8 codes with a scale a row (:class:`Packed`). At a million documents all terms in
        float32 were 880 MB of mostly-resident pages; ranking by weight beat ranking by weight × √df on
        CSL (docs/performance/matching.md)."""
        self._impacts()
        c = self.config
        key = (segment.impact_key, round(math.log(max(len(self), 1)), 1), c.unit_row_terms, "shared")
        if segment.unit_rows is None or segment.unit_rows_key != key:
            rows = self._semantic_input(segment.impact)
            norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
            rows = _shared_terms(rows, self._df[: rows.shape[1]] >= 2)
            rows = _heaviest_terms(rows, c.unit_row_terms)  # divided by the whole row's norm, below
            rows = sp.csr_matrix(rows.multiply(1.0 / np.maximum(norms, 1e-9)[:, None]), dtype=np.float32)
            segment.unit_rows, segment.unit_rows_key = Packed.of(rows, "csr", codes=True), key
        return segment.unit_rows

    def _doc_vectors(self, docs: np.ndarray) -> np.ndarray:
        """Unit semantic vectors of the candidates (the last set is kept: smoothing reads it again)."""
        key = docs.tobytes()
        last = self._last_vectors
        if last is not None and last[0] == key and last[1] == self._semantic_version:
            return last[2]
        out = np.zeros((len(docs), self._semantic.term_vectors_.shape[1]), dtype=np.float32)
        slots, rows = self._where.locate(docs)
        for slot in np.unique(slots).tolist():
            at = np.flatnonzero(slots == slot)
            order = np.argsort(rows[at], kind="stable")  # ascending rows: one pass over the mapped file
            out[at[order]] = self._embeddings(self._where.segments[slot])[rows[at][order]]
        self._last_vectors = (key, self._semantic_version, out)
        return out

    def _embeddings(self, segment: Segment) -> QuantizedRows:
        if segment.embeddings is None or segment.embeddings_key != self._semantic_version:
            self._impacts()
            # int8 codes a quarter of float32 (256 MB at a million documents); scoring decodes the
            # few candidates
            vectors = self._semantic.transform(self._semantic_input(segment.impact))
            segment.embeddings = QuantizedRows.of(vectors)
            segment.embeddings_key = self._semantic_version
        return segment.embeddings

    def _semantic_input(self, impact: Packed | sp.spmatrix) -> sp.csr_matrix:
        width = impact.shape[1]
        impact = impact.to_scipy() if isinstance(impact, Packed) else impact
        idf = self._idf(np.arange(width)).astype(np.float32)
        return sp.csr_matrix(impact.multiply(idf[None, :]))

    def _fit_semantic(self) -> None:
        c = self.config
        impacts = self._impacts()
        width = len(self._terms)
        rows = []
        for segment, impact in zip(self._segments, impacts, strict=True):
            keep = np.ones(segment.size, dtype=bool)
            keep[segment.deleted_rows] = False
            matrix = sp.csr_matrix(impact.to_scipy())[keep]
            rows.append(
                sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))
            )
        weights = self._semantic_input(sp.vstack(rows, format="csr"))
        self._semantic = SemanticModel(
            dim=c.semantic_dim, min_df=c.semantic_min_df, max_docs=c.semantic_fit_docs, seed=c.seed
        ).fit(weights)
        # stored as int8 codes with a scale a term (a quarter of float32's page cache); the writer keeps
        # the same values as its readers
        self._semantic.term_vectors_ = QuantizedRows.of(self._semantic.term_vectors_)
        self._semantic_version += 1
        self._semantic_fit_size = len(self)

    def _repeats_query(self, query_doc: Document, docs: np.ndarray) -> bool:
        """Whether the lexical leader is the query's own record: its title, or its whole text, is the
        query's text (punctuation, spaces, width and case aside). Someone who pastes a project's name to
        find similar projects gets that project first, far ahead of everything else; it is the query
        repeated, not the measure of how well the others match."""
        if self.config.fusion_reference != "auto" or not len(docs):
            return False
        query = _plain(query_doc.text)
        if not query:
            return False
        leader = self._store.get([int(docs[0])]).get(int(docs[0]))
        return leader is not None and query in (_plain(leader.title), _plain(leader.text))

    def _rank(
        self, query_doc, term_ids, weights, docs, lexical, k, where, explain, *, own=False
    ) -> list[Hit]:
        c = self.config
        if not len(docs):
            return []
        lexical_part = self._lexical_part(lexical, runner_up=own or c.fusion_reference == "runner_up")
        semantic = np.zeros(len(docs), dtype=np.float32)
        if self._semantic is not None and c.semantic_weight > 0:
            semantic = self._semantic_scores(term_ids, weights, docs)
            text = (1 - c.semantic_weight) * lexical_part + c.semantic_weight * semantic
        else:
            text = lexical_part
        text = self._smooth(docs, text)
        needs_docs = bool(query_doc.attrs) or bool(where)  # features apply to queries that carry attrs
        order = np.lexsort((docs, -text))
        if not needs_docs:
            order = order[:k]
        stored = self._store.get(docs[order].tolist())
        scored = []
        for i in order.tolist():
            document = stored[int(docs[i])]
            if where and not _matches(document.attrs, where):
                continue
            contributions = (
                feature_contributions(query_doc.attrs, document.attrs, c.feature_weights, c)
                if query_doc.attrs
                else ()
            )
            total = c.text_weight * float(text[i]) + sum(x.contribution for x in contributions)
            scored.append((total, int(docs[i]), i, document, contributions))
        scored.sort(key=lambda s: (-s[0], s[1]))
        hits = []
        words = query_words(self.analyzer, query_doc) if explain and scored else None
        rarity = functools.cache(self._term_rarity)  # the same words recur across the hits
        for total, _, i, document, contributions in scored[:k]:
            matched = (
                matched_terms(self.analyzer, query_doc, document, rarity, words=words) if explain else ()
            )
            explanation = Explanation(
                text_score=float(text[i]),
                lexical_score=float(lexical[i]),
                semantic_score=float(semantic[i]),
                matched=matched,
                features=contributions,
            )
            hits.append(Hit(id=document.id, score=round(total, 6), explanation=explanation))
        return hits

    def _lexical_part(self, lexical: np.ndarray, *, runner_up: bool = False) -> np.ndarray:
        """The lexical evidence on the fusion scale, 1.0 for the reference candidate: the best, or the
        runner-up when the best is the query's own record (``fusion_reference``).

        BM25F scores add idf, a log-odds: a candidate ``T`` points behind the best is ``exp(-gap / T)``
        as likely. A query whose rare words only the best candidates contain opens wide gaps, so the
        lexical order decides; generic wording gives small gaps, and the semantic layer reorders them.
        """
        c = self.config
        best = float(lexical.max())
        if c.fusion_temperature > 0:
            return _gap_part(lexical, c.fusion_temperature, runner_up=runner_up)
        return (lexical / max(best, 1e-9)) ** c.lexical_power

    def _term_rarity(self, term: str) -> float:
        tid = self._vocab.get(term)
        return -float(self._df[tid]) if tid is not None else 0.0

    # ------------------------------------------------------------------ persistence
    def _commit(self, *, all_segments: bool = False) -> None:
        """Write what changed, then swap ``meta.json`` (the commit point), then remove what no commit
        refers to any more. Before writing, the derived matrices (BM25F impact, unit rows, semantic
        vectors) are brought up to date, so that no reader ever computes them."""
        if self.path is None:
            self._store.commit()
            self._pending_unlink = []
            return
        self._generation += 1
        self._uid = self._uid or uuid.uuid4().hex
        tag = f"{self._generation:06d}"
        if self._segments:
            self._impacts()
            for segment in self._segments:
                if self._semantic is not None:
                    self._embeddings(segment)
                if self.config.smooth_weight > 0:
                    self._unit_rows(segment)
        entries = {}
        for segment in self._segments:
            folder = self.path / segment.name
            entry = self._entries.get(segment.name)
            if entry is None or (all_segments and not folder.exists()):
                segment.save(folder)
                entry = {"name": segment.name, "size": segment.size, "width": segment.width}
            entry = dict(entry)
            segment.save_derived(folder, tag, entry)
            entries[segment.name] = entry
        with open(self.path / self._vocab_file, "ab") as out:
            out.truncate(self._vocab_bytes)  # drop terms an interrupted commit appended
            out.write("".join(t + "\n" for t in self._terms[self._vocab_written :]).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
            self._vocab_bytes = out.tell()
        self._vocab_written = len(self._terms)
        files = {"df": f"df-{tag}.npy"}
        save_array(self.path / files["df"], np.asarray(self._df[: len(self._terms)], dtype=np.int32))
        if self._semantic is not None:
            if self._semantic_saved != self._semantic_version or "semantic" not in self._files:
                save_quantized(self.path, f"semantic-{tag}", self._semantic.term_vectors_)
                self._files["semantic"] = f"semantic-{tag}.codes.npy"
                self._files["semantic_scale"] = f"semantic-{tag}.scale.npy"
                self._semantic_saved = self._semantic_version
            files["semantic"] = self._files["semantic"]
            files["semantic_scale"] = self._files["semantic_scale"]
        self._store.commit()
        meta = {
            "format": FORMAT_VERSION,
            "uid": self._uid,
            "generation": self._generation,
            "config": self.config.to_dict(),
            "segments": list(entries.values()),
            "vocab": self._vocab_file,
            "vocab_size": len(self._terms),
            "vocab_bytes": self._vocab_bytes,
            "documents": len(self),
            "next_doc": self._next_doc,
            "next_segment": self._next_segment,
            "files": files,
            "semantic": self._semantic is not None,
            "semantic_version": self._semantic_version,
            "semantic_fit_size": self._semantic_fit_size,
            "learned_words": self.analyzer.learned_words,
            "checkpoint": self.checkpoint,
            "learned_boilerplate": self.analyzer.learned_boilerplate,
        }
        tmp = self.path / f"meta.json.tmp{os.getpid()}"
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path / "meta.json")
        self._entries, self._files = entries, files
        self._remove_unreferenced(meta)
        self._pending_unlink = []

    def _remove_unreferenced(self, meta: Mapping[str, Any]) -> None:
        """Files of older commits go once the new meta.json is in place. A process that still maps
        them keeps reading them (an unlinked file lives until it is unmapped); one that read the old
        meta.json but had not opened them yet retries with the new one (:meth:`_load_retrying`)."""
        keep_dirs = {e["name"] for e in meta["segments"]}
        keep_files = {meta["vocab"], "docs.sqlite3", "docs.sqlite3-wal", "docs.sqlite3-shm", "meta.json"}
        keep_files |= set(meta["files"].values())
        for entry in meta["segments"]:
            folder = self.path / entry["name"]
            current = {entry.get(k) for k in ("deleted", "impact", "unit_rows", "embeddings")} - {None}
            for file in folder.iterdir() if folder.exists() else ():
                stem = file.name.split(".", 1)[0]
                derived = stem.startswith(("deleted-", "impact-", "unit-", "emb-"))
                if derived and stem not in current:
                    file.unlink(missing_ok=True)
        for item in self.path.iterdir():
            if item.is_dir():
                if item.name.startswith("seg-") and item.name not in keep_dirs:
                    shutil.rmtree(item, ignore_errors=True)
            elif item.name not in keep_files and not item.name.startswith("meta.json.tmp"):
                item.unlink(missing_ok=True)

    def _load(self, meta: Mapping[str, Any]) -> None:
        _check_format(meta)
        if not self._config_given:
            self.config = MatchConfig.from_dict(meta["config"])
            self.analyzer = self._make_analyzer()
        self.analyzer.learn_words(meta.get("learned_words", ()))
        self._generation = meta["generation"]
        self._uid = meta.get("uid")
        self._vocab_file = meta["vocab"]
        self._vocab_bytes = meta["vocab_bytes"]
        self._terms, self._vocab = open_vocab(
            self.path / self._vocab_file, meta["vocab_size"], self._vocab_bytes
        )
        self._vocab_written = meta["vocab_size"]
        self.analyzer.set_learned_boilerplate(meta.get("learned_boilerplate", ()))
        self._next_doc = meta["next_doc"]
        self._next_segment = meta["next_segment"]
        self._doc_of = IdMap(self._store, meta["documents"], lambda: self._next_doc)
        self._files = dict(meta["files"])
        self._df = load_array(self.path / self._files["df"])
        self.checkpoint = meta.get("checkpoint")
        for entry in meta["segments"]:
            segment = Segment.load(self.path / entry["name"], entry)
            self._attach(segment, counted=True)
            self._entries[entry["name"]] = dict(entry)
        if meta.get("semantic") and "semantic" in self._files:
            model = SemanticModel(dim=self.config.semantic_dim)
            model.term_vectors_ = QuantizedRows(
                load_array(self.path / self._files["semantic"]),
                load_array(self.path / self._files["semantic_scale"]),
            )
            model.n_terms_ = model.term_vectors_.shape[0]
            self._semantic = model
            self._semantic_version = meta["semantic_version"]
            self._semantic_saved = self._semantic_version
            self._semantic_fit_size = meta.get("semantic_fit_size", len(self))
        self._pending_unlink = []


def _check_format(meta: Mapping[str, Any] | None) -> None:
    if meta is not None and meta.get("format") != FORMAT_VERSION:
        raise ValueError(f"matching index format {meta.get('format')} is not {FORMAT_VERSION}: rebuild it")


def _shared_terms(rows: sp.csr_matrix, shared: np.ndarray) -> sp.csr_matrix:
    """The entries of ``rows`` whose column is marked in ``shared`` (one value per column)."""
    rows = sp.csr_matrix(rows, copy=True)
    rows.data[~shared[rows.indices]] = 0
    rows.eliminate_zeros()
    return rows


_NOT_WORD = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    """Text for comparing two wordings: NFKC, lower case, no spaces or punctuation."""
    return _NOT_WORD.sub("", normalize_text(text))


def _gap_part(lexical: np.ndarray, temperature: float, *, runner_up: bool) -> np.ndarray:
    """``exp(-gap / T)`` of each candidate's lexical gap to the reference score.

    The reference is the best candidate, or with ``runner_up`` the second best: a query whose own record
    is indexed (a project title searching for similar projects) puts that record tens of points ahead,
    and gaps measured from it leave every other candidate's lexical evidence at about 0. The leader then
    keeps its lead as ``1 + (1 - exp(-lead / T))``, below 2 so smoothing cannot spread an outlier.
    """
    scores = lexical.astype(np.float64)
    if runner_up and len(scores) > 1:
        reference = float(np.partition(scores, -2)[-2])
    else:
        reference = float(scores.max())
    gap = (scores - reference) / temperature
    return np.where(gap > 0, 2.0 - np.exp(-np.maximum(gap, 0.0)), np.exp(np.minimum(gap, 0.0)))


def _heaviest_terms(rows: sp.csr_matrix, limit: int, chunk: int = 100_000) -> sp.csr_matrix:
    """Each row's ``limit`` largest values (0: all), columns kept in their order; rows are taken
    ``chunk`` at a time so that sorting a million documents' terms needs little memory."""
    rows = sp.csr_matrix(rows)
    counts = np.diff(rows.indptr)
    if limit <= 0 or counts.max(initial=0) <= limit:
        return rows
    keep_parts = []
    for start in range(0, rows.shape[0], chunk):
        stop = min(start + chunk, rows.shape[0])
        lo, hi = int(rows.indptr[start]), int(rows.indptr[stop])
        n = counts[start:stop]
        row_of = np.repeat(np.arange(stop - start), n)
        order = np.lexsort((-rows.data[lo:hi], row_of))  # by row, heaviest first
        rank = np.arange(hi - lo) - np.repeat(rows.indptr[start:stop] - lo, n)
        keep = order[rank < limit]
        keep.sort()
        keep_parts.append(keep + lo)
    keep = np.concatenate(keep_parts)
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(np.minimum(counts, limit), out=indptr[1:])
    return sp.csr_matrix((rows.data[keep], rows.indices[keep], indptr), shape=rows.shape)


def _cosines(rows: sp.csr_matrix) -> np.ndarray:
    """``(rows @ rows.T).toarray()``, to the same bits, in one pass of scipy's product kernel.

    scipy first runs the kernel's counting pass to size the result; the product of ``n`` rows has at
    most ``n²`` entries, so the result is allocated at that size and the counting skipped (a fifth of
    smoothing at a million listings). Falls back to the public product if the kernel moves.
    """
    try:
        from scipy.sparse._sparsetools import csr_matmat
    except ImportError:  # pragma: no cover - a scipy that reorganised its private modules
        return (rows @ rows.T).toarray()
    n = rows.shape[0]
    other = rows.T.tocsr()  # what scipy's product converts the transpose to
    indptr = np.empty(n + 1, dtype=np.int32)
    indices = np.empty(n * n, dtype=np.int32)
    data = np.empty(n * n, dtype=np.float32)
    as32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
    csr_matmat(
        n, n, as32(rows.indptr), as32(rows.indices), np.asarray(rows.data, dtype=np.float32),
        as32(other.indptr), as32(other.indices), np.asarray(other.data, dtype=np.float32),
        indptr, indices, data,
    )  # fmt: skip
    dense = np.zeros((n, n), dtype=np.float32)
    count = int(indptr[-1])
    dense[np.repeat(np.arange(n), np.diff(indptr)), indices[:count]] = data[:count]
    return dense


def _as_strings(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _matches(attrs: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    for key, wanted in where.items():
        value = attrs.get(key)
        allowed = set(wanted) if isinstance(wanted, list | tuple | set | frozenset) else {wanted}
        values = set(value) if isinstance(value, list | tuple | set | frozenset) else {value}
        if not allowed & values:
            return False
    return True


__all__ = ["MatchIndex", "l2_normalize_rows"]
