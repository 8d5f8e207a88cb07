"""Immutable index segments: per-field term frequencies of a batch of documents.

A segment stores, for its documents (global internal ids ``doc_ids``, ascending), one CSR matrix of
term frequencies per field and the field lengths. Scoring structures (the BM25F impact matrix,
term-major, and the semantic vectors) are derived from them and cached until the collection
statistics drift.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .store import (
    Packed,
    QuantizedRows,
    load_array,
    load_packed,
    load_quantized,
    load_sparse,
    save_array,
    save_packed,
    save_quantized,
    save_sparse,
)
from .types import FIELDS


class Segment:
    def __init__(
        self,
        *,
        name: str,
        doc_ids: np.ndarray,
        tf: Mapping[str, sp.csr_matrix],
        lengths: Mapping[str, np.ndarray],
    ) -> None:
        self.name = name
        self.doc_ids = doc_ids if isinstance(doc_ids, np.memmap) else np.asarray(doc_ids, dtype=np.int64)
        self.tf = dict(tf)
        self.lengths = {
            f: v if isinstance(v, np.memmap) else np.asarray(v, dtype=np.float32) for f, v in lengths.items()
        }
        self.deleted_rows = np.zeros(0, dtype=np.int64)
        self.impact: Packed | None = None
        self.impact_key: tuple | None = None
        self.embeddings: QuantizedRows | None = None
        self.embeddings_key: int | None = None
        self.unit_rows: Packed | None = None
        self.unit_rows_key: tuple | None = None

    @property
    def size(self) -> int:
        return len(self.doc_ids)

    @property
    def width(self) -> int:
        return self.tf[FIELDS[0]].shape[1]

    @classmethod
    def from_term_ids(
        cls, *, name: str, doc_ids: Sequence[int], term_ids: np.ndarray, counts: np.ndarray, width: int
    ):
        """Build from the documents' term ids laid end to end, document by document and field by field
        in ``FIELDS`` order, with ``counts[d, f]`` terms of document ``d`` in field ``f`` (repeats count
        as term frequency). One flat array rather than a list a field and document: the index cuts
        ~130 terms a listing, and a million small lists cost more than the analysis that fills them."""
        tf, lengths = {}, {}
        n = len(doc_ids)
        counts = np.asarray(counts, dtype=np.int64).reshape(n, len(FIELDS))
        term_ids = np.asarray(term_ids, dtype=np.int32)
        field_at = np.repeat(np.tile(np.arange(len(FIELDS), dtype=np.int8), n), counts.ravel())
        for k, field in enumerate(FIELDS):
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts[:, k], out=indptr[1:])
            indices = term_ids[field_at == k] if len(FIELDS) > 1 else term_ids
            data = np.ones(len(indices), dtype=np.float32)
            matrix = sp.csr_matrix((data, indices, indptr), shape=(n, width))
            matrix.sum_duplicates()  # repeats become term frequency
            tf[field] = matrix
            lengths[field] = counts[:, k].astype(np.float32)
        return cls(name=name, doc_ids=np.asarray(doc_ids, dtype=np.int64), tf=tf, lengths=lengths)

    def resized(self, width: int) -> dict[str, sp.csr_matrix]:
        return {
            f: sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))
            for f, m in self.tf.items()
        }

    def row_terms(self, rows: np.ndarray) -> np.ndarray:
        """Distinct term ids of some rows (one entry per row and term), for document frequencies."""
        parts = []
        for row in rows:
            terms = [m.indices[m.indptr[row] : m.indptr[row + 1]] for m in self.tf.values()]
            parts.append(np.unique(np.concatenate(terms)))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)

    def presence(self) -> np.ndarray:
        """Document frequency of each term id in this segment's live rows."""
        union = sum((m != 0).astype(np.int8) for m in self.tf.values())
        union = sp.csr_matrix(union)
        if len(self.deleted_rows):
            keep = np.ones(self.size, dtype=bool)
            keep[self.deleted_rows] = False
            union = union[keep]
        return np.bincount(union.indices, minlength=self.width)

    def compute_impact(
        self,
        *,
        avg_lengths: Mapping[str, float],
        field_weights: Mapping[str, float],
        field_b: Mapping[str, float],
        k1: float,
        key: tuple,
        doc_b: float = 0.0,
        body_term_factor: np.ndarray | None = None,
    ) -> Packed:
        """BM25F saturated term weights, one column per term (term-major for fast scoring).

        Each field's term frequency is normalised by its length against that field's average; ``doc_b``
        then adds BM25's normalisation over the whole document's length (all fields, against the average
        over all documents, key ``"document"`` of ``avg_lengths``): 0 = per field only.
        ``body_term_factor`` (one value per term id) scales the body's weight per term (idf floor).
        """
        if self.impact is not None and self.impact_key == key:
            return self.impact
        total = None
        doc_norm = np.ones(self.size, dtype=np.float64)
        if doc_b > 0:
            doc_len = sum(self.lengths[f].astype(np.float64) for f in self.tf)
            avg_doc = max(avg_lengths.get("document", 1.0), 1e-6)
            doc_norm = 1.0 - doc_b + doc_b * doc_len / avg_doc
        for field, matrix in self.tf.items():
            weight = field_weights.get(field, 0.0)
            if weight <= 0:
                continue
            b = field_b.get(field, 0.75)
            avg = max(avg_lengths.get(field, 1.0), 1e-6)
            norm = weight / ((1.0 - b + b * self.lengths[field] / avg) * doc_norm)
            part = sp.csr_matrix(matrix.multiply(norm[:, None].astype(np.float32)))
            if field == "body" and body_term_factor is not None:
                factor = body_term_factor[: part.shape[1]].astype(np.float32)
                part = sp.csr_matrix(part.multiply(factor[None, :]))
            total = part if total is None else total + part
        total = sp.csr_matrix(total, dtype=np.float32)
        total.data = total.data * (k1 + 1.0) / (total.data + k1)
        self.impact = Packed.of(total.tocsc(), "csc")  # float16 values: see Packed
        self.impact_key = key
        return self.impact

    # ------------------------------------------------------------------ persistence
    # A segment is a folder of .npy files written once and memory-mapped by every process of a server:
    # the term frequencies (``<field>.data/.indices/.indptr/.lengths``, ``doc_ids``) never change; the
    # deleted rows and the derived matrices (BM25F impact, unit rows, semantic vectors) are written
    # under a new name when they change, and ``meta.json`` says which files are current.
    def save(self, folder: Path) -> None:
        """Write the term frequencies (once: a segment's folder is immutable)."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        save_array(tmp / "doc_ids.npy", self.doc_ids)
        for field, matrix in self.tf.items():
            save_sparse(tmp, field, sp.csr_matrix(matrix, dtype=np.float32))
            save_array(tmp / f"{field}.lengths.npy", self.lengths[field])
        shutil.rmtree(folder, ignore_errors=True)
        tmp.replace(folder)

    def save_derived(self, folder: Path, tag: str, entry: dict) -> None:
        """Write what changed since ``entry`` (the segment's record in meta.json) and update ``entry``."""
        deleted = len(self.deleted_rows)
        if entry.get("deleted_count", 0) != deleted:
            name = f"deleted-{tag}" if deleted else None
            if name:
                save_array(folder / f"{name}.npy", self.deleted_rows.astype(np.int64))
            entry.update(deleted=name, deleted_count=deleted)
        key = _jsonable(self.impact_key)
        if self.impact is not None and entry.get("impact_key") != key:
            save_packed(folder, f"impact-{tag}", self.impact)
            entry.update(impact=f"impact-{tag}", impact_key=key)
        key = _jsonable(self.unit_rows_key)
        if self.unit_rows is not None and entry.get("unit_rows_key") != key:
            save_packed(folder, f"unit-{tag}", self.unit_rows)
            entry.update(unit_rows=f"unit-{tag}", unit_rows_key=key)
        if self.embeddings is not None and entry.get("embeddings_key") != self.embeddings_key:
            save_quantized(folder, f"emb-{tag}", self.embeddings)
            entry.update(embeddings=f"emb-{tag}", embeddings_key=self.embeddings_key)

    @classmethod
    def load(cls, folder: Path, entry: dict) -> Segment:
        """Open a segment's files as memory maps (nothing is read until a query touches it)."""
        doc_ids = load_array(folder / "doc_ids.npy")
        n, width = len(doc_ids), int(entry["width"])
        tf = {f: load_sparse(folder, f, (n, width), "csr") for f in FIELDS}
        lengths = {f: load_array(folder / f"{f}.lengths.npy") for f in FIELDS}
        segment = cls(name=entry["name"], doc_ids=doc_ids, tf=tf, lengths=lengths)
        if entry.get("deleted"):
            segment.deleted_rows = np.array(load_array(folder / f"{entry['deleted']}.npy"), dtype=np.int64)
        if entry.get("impact"):
            segment.impact = load_packed(folder, entry["impact"], (n, width), "csc")
            segment.impact_key = _tupled(entry["impact_key"])
        if entry.get("unit_rows"):
            segment.unit_rows = load_packed(folder, entry["unit_rows"], (n, width), "csr")
            segment.unit_rows_key = _tupled(entry["unit_rows_key"])
        if entry.get("embeddings"):
            segment.embeddings = load_quantized(folder, entry["embeddings"])
            segment.embeddings_key = entry["embeddings_key"]
        return segment


def _jsonable(value):
    return [_jsonable(v) for v in value] if isinstance(value, tuple | list) else value


def _tupled(value):
    """A cache key back from JSON (lists become the tuples the index compares with)."""
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value


def merge_segments(segments: Sequence[Segment], *, name: str, width: int) -> Segment:
    """One segment with the live rows of several, doc ids kept in ascending order."""
    parts_tf: dict[str, list] = {f: [] for f in FIELDS}
    parts_len: dict[str, list] = {f: [] for f in FIELDS}
    ids = []
    for segment in segments:
        keep = np.ones(segment.size, dtype=bool)
        keep[segment.deleted_rows] = False
        resized = segment.resized(width)
        for field in FIELDS:
            parts_tf[field].append(resized[field][keep])
            parts_len[field].append(segment.lengths[field][keep])
        ids.append(segment.doc_ids[keep])
    doc_ids = np.concatenate(ids)
    order = np.argsort(doc_ids, kind="stable")
    tf = {f: sp.csr_matrix(sp.vstack(parts_tf[f], format="csr")[order]) for f in FIELDS}
    lengths = {f: np.concatenate(parts_len[f])[order] for f in FIELDS}
    return Segment(name=name, doc_ids=doc_ids[order], tf=tf, lengths=lengths)
