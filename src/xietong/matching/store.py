"""Persistence helpers of the index: the document store (SQLite), and the compact read-side structures
that let every worker process share one on-disk index.

* :class:`DocStore`: the indexed documents' fields and attributes, in SQLite (a file or memory).
* :class:`IdMap`: listing id → internal doc number, answered by the store (no per-process dict of a
  million ids); the live count comes from ``meta.json``.
* :class:`Locator`: internal doc number → (segment, row), two numpy arrays instead of a dict of tuples.
* :class:`FrozenVocab` / :class:`FrozenTerms`: the vocabulary of a reader, over the memory-mapped
  ``vocab-*.txt`` (line offsets and sorted hashes, ~20 bytes a term) instead of a dict of strings.
* :func:`save_array` / :func:`load_array`: ``.npy`` files written once (to a temporary name, then renamed)
  and opened with ``mmap_mode="r"``, so that the processes of a server share their pages.
"""

from __future__ import annotations

import json
import mmap
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .types import Document


class DocStore:
    """Rows ``(doc, id, live, data)``: ``doc`` is the internal integer id used by the segments."""

    def __init__(self, path: Path | None) -> None:
        self.connection = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=WAL") if path else None
        self.connection.execute("PRAGMA synchronous=NORMAL")
        tables = {r[0] for r in self.connection.execute("SELECT name FROM sqlite_master")}
        if "docs_id" not in tables:  # readers never write: create only what is missing
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS docs (doc INTEGER PRIMARY KEY, id TEXT NOT NULL, live INTEGER NOT NULL, data TEXT NOT NULL)"
            )
            self.connection.execute("CREATE INDEX IF NOT EXISTS docs_id ON docs (id, live)")
            self.connection.commit()

    def lookup(self, doc_id: str, below: int) -> int | None:
        """The live internal number of a listing id (rows at or above ``below`` are not committed yet)."""
        row = self.connection.execute(
            "SELECT doc FROM docs WHERE id = ? AND live = 1 AND doc < ? ORDER BY doc DESC LIMIT 1",
            (doc_id, below),
        ).fetchone()
        return row[0] if row else None

    def lookup_many(self, ids: Sequence[str], below: int) -> dict[str, int]:
        out: dict[str, int] = {}
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for doc_id, doc in self.connection.execute(
                f"SELECT id, doc FROM docs WHERE live = 1 AND doc < ? AND id IN ({marks})", (below, *chunk)
            ):
                out[doc_id] = doc
        return out

    def dead_docs(self, below: int) -> np.ndarray:
        rows = self.connection.execute("SELECT doc FROM docs WHERE live = 0 AND doc < ?", (below,))
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def count_live(self, below: int) -> int:
        return self.connection.execute(
            "SELECT count(*) FROM docs WHERE live = 1 AND doc < ?", (below,)
        ).fetchone()[0]

    def live_ids(self) -> Iterator[tuple[str, int]]:
        yield from self.connection.execute("SELECT id, doc FROM docs WHERE live = 1")

    def insert(self, rows: Iterable[tuple[int, Document]]) -> None:
        self.connection.executemany(
            "INSERT INTO docs (doc, id, live, data) VALUES (?, ?, 1, ?)",
            ((doc, d.id, json.dumps(d.to_dict(), ensure_ascii=False)) for doc, d in rows),
        )

    def mark_deleted(self, docs: Sequence[int]) -> None:
        self.connection.executemany("UPDATE docs SET live = 0 WHERE doc = ?", ((int(d),) for d in docs))

    def purge(self, *, below: int | None = None, at_or_above: int | None = None) -> None:
        """Drop deleted rows (after a merge) or rows written after the last committed meta."""
        if at_or_above is not None:
            self.connection.execute("DELETE FROM docs WHERE doc >= ?", (at_or_above,))
        if below is not None:
            self.connection.execute("DELETE FROM docs WHERE live = 0 AND doc < ?", (below,))

    def get(self, docs: Sequence[int]) -> dict[int, Document]:
        out: dict[int, Document] = {}
        docs = [int(d) for d in docs]
        for start in range(0, len(docs), 500):
            chunk = docs[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for doc, doc_id, data in self.connection.execute(
                f"SELECT doc, id, data FROM docs WHERE doc IN ({marks})", chunk
            ):
                out[doc] = Document.from_dict(doc_id, json.loads(data))
        return out

    def iter_live(self, batch: int = 10_000) -> Iterator[list[tuple[int, Document]]]:
        last = -1
        while True:
            rows = self.connection.execute(
                "SELECT doc, id, data FROM docs WHERE live = 1 AND doc > ? ORDER BY doc LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield [(doc, Document.from_dict(doc_id, json.loads(data))) for doc, doc_id, data in rows]
            last = rows[-1][0]

    def commit(self) -> None:
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()


class IdMap:
    """Listing id → internal doc number of the live documents, looked up in the store.

    ``count`` is the number of live documents (kept by the index, stored in ``meta.json``); ``bound``
    returns the index's next internal number, so rows of an uncommitted add are never seen.
    ``__setitem__`` only counts: the index inserts the row into the store itself.
    """

    def __init__(self, store: DocStore, count: int, bound) -> None:
        self.store, self.count, self.bound = store, count, bound

    def __len__(self) -> int:
        return self.count

    def get(self, doc_id: str, default=None):
        found = self.store.lookup(doc_id, self.bound())
        return default if found is None else found

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def __getitem__(self, doc_id: str) -> int:
        found = self.get(doc_id)
        if found is None:
            raise KeyError(doc_id)
        return found

    def __setitem__(self, doc_id: str, doc: int) -> None:
        self.count += 1

    def pop(self, doc_id: str) -> int:
        doc = self[doc_id]
        self.count -= 1
        return doc

    def known(self, ids: Iterable[str]) -> list[str]:
        """The ids among ``ids`` that are live (one query per 500 ids)."""
        ids = list(ids)
        found = self.store.lookup_many(ids, self.bound())
        return [i for i in ids if i in found]


class Locator:
    """Internal doc number → (segment, row): ``slot[doc]`` indexes ``segments``, ``row[doc]`` the row."""

    def __init__(self) -> None:
        self.segments: list = []
        self.slot = np.full(0, -1, dtype=np.int32)
        self.row = np.zeros(0, dtype=np.int32)

    def place(self, segment) -> None:
        """Every row of ``segment`` now lives there (after an add, a load or a merge)."""
        doc_ids = np.asarray(segment.doc_ids)
        if not len(doc_ids):
            return
        top = int(doc_ids.max()) + 1
        if top > len(self.slot):
            size = max(top, 2 * len(self.slot))
            slot = np.full(size, -1, dtype=np.int32)
            slot[: len(self.slot)] = self.slot
            row = np.zeros(size, dtype=np.int32)
            row[: len(self.row)] = self.row
            self.slot, self.row = slot, row
        self.segments.append(segment)
        self.slot[doc_ids] = len(self.segments) - 1
        self.row[doc_ids] = np.arange(len(doc_ids), dtype=np.int32)

    def retire(self, segments) -> None:
        """Forget segments replaced by a merge (their rows were placed in the merged one)."""
        gone = {id(s) for s in segments}
        self.segments = [None if id(s) in gone else s for s in self.segments]

    def locate(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slot, row) arrays of many docs at once."""
        docs = np.asarray(docs, dtype=np.int64)
        return self.slot[docs], self.row[docs]

    def __getitem__(self, doc: int):
        slot = int(self.slot[doc]) if 0 <= doc < len(self.slot) else -1
        if slot < 0:
            raise KeyError(doc)
        return self.segments[slot], int(self.row[doc])

    def pop(self, doc: int):
        found = self[doc]
        self.slot[doc] = -1
        return found


class FrozenTerms(Sequence):
    """Term of a term id, read from the memory-mapped vocabulary file (one term a line)."""

    def __init__(self, raw, offsets: np.ndarray) -> None:
        self.raw, self.offsets = raw, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        return self.raw[int(self.offsets[i]) : int(self.offsets[i + 1]) - 1].decode("utf-8")


class FrozenVocab:
    """Term → term id over :class:`FrozenTerms`: sorted per-process string hashes, checked against the term."""

    def __init__(self, terms: FrozenTerms, hashes: np.ndarray) -> None:
        self.terms = terms
        self.order = np.argsort(hashes, kind="stable").astype(np.int32)
        self.hashes = hashes[self.order]

    def __len__(self) -> int:
        return len(self.hashes)

    def get(self, term: str, default=None):
        h = hash(term)
        i = int(np.searchsorted(self.hashes, h))
        while i < len(self.hashes) and self.hashes[i] == h:
            tid = int(self.order[i])
            if self.terms[tid] == term:
                return tid
            i += 1
        return default

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __getitem__(self, term: str) -> int:
        tid = self.get(term)
        if tid is None:
            raise KeyError(term)
        return tid


def open_vocab(path: Path, size: int, nbytes: int) -> tuple[FrozenTerms, FrozenVocab]:
    """The first ``size`` terms (``nbytes`` bytes) of a vocabulary file, memory-mapped (shared by the
    processes). Bytes past ``nbytes`` belong to a commit that never happened and are never read."""
    if size == 0:
        empty = FrozenTerms(b"", np.zeros(1, dtype=np.int64))
        return empty, FrozenVocab(empty, np.zeros(0, dtype=np.int64))
    with open(path, "rb") as handle:
        raw = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8, count=nbytes) == 10)
    if len(ends) != size:
        raise ValueError(f"{path.name} holds {len(ends)} terms in {nbytes} bytes, meta.json says {size}")
    offsets = np.zeros(size + 1, dtype=np.int64)
    offsets[1:] = ends + 1
    # hashed 16,384 terms at a time: decoding all of them at once left ~11 MB of freed strings' memory
    # in every process at a million listings (the allocator keeps the pages)
    hashes = np.empty(size, dtype=np.int64)
    for start in range(0, size, 16_384):
        stop = min(start + 16_384, size)
        texts = raw[int(offsets[start]) : int(offsets[stop]) - 1].decode("utf-8").split("\n")
        hashes[start:stop] = np.fromiter(map(hash, texts), dtype=np.int64, count=stop - start)
    terms = FrozenTerms(raw, offsets)
    return terms, FrozenVocab(terms, hashes)


def save_array(path: Path, array: np.ndarray) -> None:
    """Write an ``.npy`` once: to a temporary name, then renamed (a reader never sees half a file)."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as out:
        np.save(out, np.ascontiguousarray(array), allow_pickle=False)
    tmp.replace(path)


def load_array(path: Path) -> np.ndarray:
    """A read-only memory map of an ``.npy`` file (an empty file is read, not mapped).

    Returned as a plain ndarray view (its ``base`` is the ``np.memmap``): indexing a memmap scalar goes
    through Python and is ten times slower. ``MADV_RANDOM`` was measured and left out: on the index's
    large page-cache folios it made queries slower and kept as much resident
    (docs/performance/matching.md).
    """
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


BLOCK_BITS = 16  # minor indices are stored as uint16 offsets inside blocks of 65,536


class Packed:
    """A sparse matrix as the index stores it: ``indptr``, **uint16** ``indices`` inside blocks of
    65,536, and **float16** (or per-line scaled **uint8**) ``data``.

    ``kind`` is ``"csc"`` (the term-major impact: a line is a term, its minor indices are rows) or
    ``"csr"`` (unit rows: a line is a document, its minor indices are term ids). At a million documents
    int32 row numbers were 440 MB of the impact's 661 MB resident; a line's entries are ascending, so
    ``indices`` keeps only the low 16 bits and ``counts[line, block]`` says how many of the line's
    entries fall in each block of 65,536 (``blocks = ceil(minor size / 65,536)`` columns, the smallest
    unsigned type that holds them): the high bits are ``np.repeat(block << 16, counts[line])``.
    ``scale`` (csr only, optional): values are uint8 codes, ``value = code * scale[line]``.

    scipy has no float16 sparse matrices: queries read the arrays directly through :meth:`column`
    (postings of a term) and :meth:`rows` (candidates' rows); the writer's few whole-matrix products go
    through :meth:`to_scipy`. The writer packs what it computes as well, so that its scores are the
    readers' to the last bit.
    """

    def __init__(self, indptr, indices, data, counts, shape: tuple[int, int], kind: str, scale=None) -> None:
        self.indptr, self.indices, self.data, self.counts = indptr, indices, data, counts
        self.shape, self.kind, self.scale = (int(shape[0]), int(shape[1])), kind, scale
        self._bases = np.arange(self.counts.shape[1], dtype=np.int32) << BLOCK_BITS

    @classmethod
    def of(cls, matrix: sp.spmatrix, kind: str, *, codes: bool = False) -> Packed:
        """Pack a scipy matrix; ``codes``: uint8 values with a float32 scale per line (csr only)."""
        matrix = sp.csc_matrix(matrix) if kind == "csc" else sp.csr_matrix(matrix)
        matrix.sort_indices()
        minor_size = matrix.shape[0] if kind == "csc" else matrix.shape[1]
        counts = _block_counts(matrix.indptr, matrix.indices, max(1, -(-minor_size >> BLOCK_BITS)))
        low = (matrix.indices & 0xFFFF).astype(np.uint16)
        scale = None
        if codes:
            scale, data = _line_codes(matrix.indptr, matrix.data.astype(np.float32))
        else:
            data = matrix.data.astype(np.float16)
        return cls(matrix.indptr, low, data, counts, matrix.shape, kind, scale)

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows (ascending int32) and float16 values of column ``j`` of a ``csc`` matrix."""
        s, e = int(self.indptr[j]), int(self.indptr[j + 1])
        return self._minor(self.counts[j], s, e), self.data[s:e]

    def _minor(self, counts: np.ndarray, s: int, e: int) -> np.ndarray:
        low = self.indices[s:e]
        if len(self._bases) == 1:
            return low.astype(np.int32)
        return np.repeat(self._bases, counts) + low

    def to_scipy(self) -> sp.spmatrix:
        """A float32 scipy copy (writer only: it copies every value)."""
        cls = sp.csc_matrix if self.kind == "csc" else sp.csr_matrix
        per_line = np.diff(self.indptr)
        values = self.data.astype(np.float32)
        if self.scale is not None:
            values *= np.repeat(self.scale, per_line)
        lines = len(per_line)
        if len(self._bases) == 1:
            minor = self.indices.astype(np.int32)
        else:
            minor = np.repeat(np.tile(self._bases, lines), np.asarray(self.counts).ravel()) + self.indices
        return cls((values, minor, self.indptr), shape=self.shape)

    def gather(self, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(values, full minor indices) of some lines' entries, line after line."""
        starts = self.indptr[lines].astype(np.int64)
        per_line = self.indptr[lines + 1].astype(np.int64) - starts
        offsets = np.zeros(len(lines), dtype=np.int64)
        offsets[1:] = np.cumsum(per_line)[:-1]
        at = np.repeat(starts - offsets, per_line) + np.arange(int(per_line.sum()))
        values = self.data[at].astype(np.float32)
        if self.scale is not None:
            values *= np.repeat(self.scale[lines], per_line)
        counts = np.asarray(self.counts[lines]).ravel()
        high = np.repeat(np.tile(self._bases, len(lines)), counts)
        return values, high + self.indices[at]

    def rows(self, rows: Sequence[int] | np.ndarray) -> sp.csr_matrix:
        """Some rows of a ``csr`` matrix as float32 scipy rows (reads only those rows)."""
        rows = np.asarray(rows, dtype=np.int64)
        per_line = self.indptr[rows + 1].astype(np.int64) - self.indptr[rows].astype(np.int64)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(per_line, out=indptr[1:])
        values, columns = self.gather(rows)
        return sp.csr_matrix((values, columns, indptr), shape=(len(rows), self.shape[1]))


def _block_counts(indptr: np.ndarray, indices: np.ndarray, blocks: int, chunk: int = 1 << 23) -> np.ndarray:
    """``counts[line, block]``: how many of each line's entries fall in each block of 65,536 minor
    indices, in the smallest unsigned type that holds them (a few lines at a time: little memory)."""
    lines = len(indptr) - 1
    counts = np.zeros((lines, blocks), dtype=np.int64)
    if blocks > 1:
        start = 0
        while start < lines:  # lines whose entries add up to about ``chunk``
            stop = int(np.searchsorted(indptr, int(indptr[start]) + chunk, side="right"))
            stop = min(max(stop - 1, start + 1), lines)
            lo, hi = int(indptr[start]), int(indptr[stop])
            line_of = np.repeat(np.arange(stop - start), np.diff(indptr[start : stop + 1]))
            flat = line_of * blocks + (indices[lo:hi] >> BLOCK_BITS)
            counts[start:stop] = np.bincount(flat, minlength=(stop - start) * blocks).reshape(-1, blocks)
            start = stop
    else:
        counts[:, 0] = np.diff(indptr)
    top = int(counts.max(initial=0))
    dtype = np.uint8 if top <= 0xFF else np.uint16 if top <= 0xFFFF else np.uint32
    return counts.astype(dtype)


def _line_codes(indptr: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 codes and one float32 scale per line (``max / 255``): a unit row's largest weight is kept
    to 1/510 of itself, its smallest kept ones to a few percent."""
    per_line = np.diff(indptr)
    top = np.zeros(len(per_line), dtype=np.float32)
    nonempty = per_line > 0
    if values.size:
        top[nonempty] = np.maximum.reduceat(np.abs(values), indptr[:-1][nonempty])
    scale = (top / 255.0).astype(np.float32)
    line_scale = np.repeat(np.maximum(scale, 1e-30), per_line)
    codes = np.rint(values / line_scale).clip(0, 255).astype(np.uint8)
    return scale, codes


class QuantizedRows:
    """Dense unit vectors as int8 codes with one float32 scale a row: a quarter of float32.

    ``rows[i] ≈ codes[i] * scale[i]`` with ``scale = max|row| / 127``: the error of a cosine between
    two rows is about 1/254 of the largest coordinate, well under what reorders 200 candidates.
    """

    def __init__(self, codes: np.ndarray, scale: np.ndarray) -> None:
        self.codes, self.scale = codes, scale

    @classmethod
    def of(cls, vectors: np.ndarray) -> QuantizedRows:
        vectors = np.asarray(vectors, dtype=np.float32)
        scale = (np.abs(vectors).max(axis=1) / 127.0 if len(vectors) else np.zeros(0)).astype(np.float32)
        codes = np.rint(vectors / np.maximum(scale, 1e-30)[:, None]).clip(-127, 127).astype(np.int8)
        return cls(codes, scale)

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows) -> np.ndarray:
        return self.codes[rows].astype(np.float32) * self.scale[rows][..., None]


def save_packed(folder: Path, prefix: str, matrix: Packed) -> None:
    for part in ("data", "indices", "indptr", "counts"):
        save_array(folder / f"{prefix}.{part}.npy", getattr(matrix, part))
    if matrix.scale is not None:
        save_array(folder / f"{prefix}.scale.npy", matrix.scale)


def load_packed(folder: Path, prefix: str, shape: tuple[int, int], kind: str) -> Packed:
    parts = [load_array(folder / f"{prefix}.{p}.npy") for p in ("indptr", "indices", "data", "counts")]
    scale = folder / f"{prefix}.scale.npy"
    return Packed(*parts, shape=shape, kind=kind, scale=load_array(scale) if scale.exists() else None)


def save_quantized(folder: Path, prefix: str, rows: QuantizedRows) -> None:
    save_array(folder / f"{prefix}.codes.npy", rows.codes)
    save_array(folder / f"{prefix}.scale.npy", rows.scale)


def load_quantized(folder: Path, prefix: str) -> QuantizedRows:
    return QuantizedRows(
        load_array(folder / f"{prefix}.codes.npy"), load_array(folder / f"{prefix}.scale.npy")
    )


def save_sparse(folder: Path, prefix: str, matrix: sp.spmatrix) -> None:
    for part in ("data", "indices", "indptr"):
        save_array(folder / f"{prefix}.{part}.npy", getattr(matrix, part))


def load_sparse(folder: Path, prefix: str, shape: tuple[int, int], kind: str):
    parts = [load_array(folder / f"{prefix}.{p}.npy") for p in ("data", "indices", "indptr")]
    cls = sp.csc_matrix if kind == "csc" else sp.csr_matrix
    return cls(tuple(parts), shape=shape)
