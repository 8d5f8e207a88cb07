"""Query plans: one query word is one term, the pieces inside it only a backoff.

A query text is cut into words (rjieba's precise cut, see :meth:`Analyzer.query_groups`). Each word
becomes a *group*: its head is the whole word, its pieces are the shorter words inside it and its
character n-grams. A document scores a group by its head when it contains the whole word; only when
it does not are the pieces counted, at ``backoff_weight`` of the head's weight in total, shared among
the pieces by their idf. So 传感器 is one vote, not five (传感, 感器, 传感器, #传感, #感器), and a
document with only 传感 still earns part of that one vote.

When no document has the whole word (a word the corpus spells differently), the pieces carry the
group's whole weight: the rarest piece's idf stands in for the head's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .analysis import NGRAM_PREFIX
from .store import Packed

# a query term this much lighter than the heaviest one changes no ranking: its postings are not read
NEGLIGIBLE = 1e-3
# QueryPlan.top corrects about this many times ``wanted`` rows first (at a million listings the
# wanted-th best exact score beat the next row's bound within 5 to 8 times ``wanted`` rows)
FIRST_PASS = 8


@dataclass(frozen=True)
class QueryGroup:
    head: str
    pieces: tuple[str, ...]
    qtf: float  # the word's weighted count in the query (title counts its field weight, boilerplate less)


@dataclass(frozen=True)
class QueryPlan:
    """Terms of a query and how a document's per-term impacts add up to its lexical score.

    ``term_ids`` / ``weights``: every term used (heads and pieces) with its weight if all roles were
    counted (the semantic layer reads these); ``heads`` are the columns (into ``term_ids``) of the groups
    whose whole word is indexed and has pieces, ``backoff`` (terms × such groups) the pieces' weights,
    which :meth:`scores` takes back from a document that has the head.
    """

    term_ids: np.ndarray
    weights: np.ndarray
    heads: np.ndarray
    backoff: sp.spmatrix  # terms × groups

    @classmethod
    def empty(cls) -> QueryPlan:
        return cls(
            np.zeros(0, dtype=np.int64),
            np.zeros(0),
            np.zeros(0, dtype=np.int64),
            sp.csr_matrix((0, 0), dtype=np.float32),
        )

    def __len__(self) -> int:
        return len(self.term_ids)

    def scores(self, impact: Packed) -> np.ndarray:
        """Lexical score of every row of a segment's impact matrix (term-major, ``width`` columns).

        Reads only the postings of the query's terms (``impact.column``), never the whole memory-mapped
        matrix. The columns' rows are ascending (the impact is built by ``tocsc`` and saved as built); its
        float16 values are multiplied by float32 weights, so the sums are float32. A term whose weight
        is under ``NEGLIGIBLE`` of the heaviest one is skipped: at a million documents 研究 (df 999k,
        idf 0.001) would cost a quarter of the postings read for nothing. This is the exact score of
        every row; a search needs only the best rows and asks :meth:`top`, which gives the same scores.
        """
        n, impact = impact.shape[0], _Decoded.of(impact)
        scores, pairs = self.upper_bounds(impact), self._backoff_pairs(impact)
        mask = None
        for head, pieces in pairs:
            head_rows, _ = impact.column(head)
            marked = False
            for piece, share in pieces:
                rows, values = impact.column(piece)
                # take back what the piece gave the rows that have the whole word: a rare word's rows
                # are searched in the piece's; otherwise the word's rows are marked once and looked up
                if 16 * len(head_rows) < len(rows):
                    at = np.minimum(np.searchsorted(rows, head_rows), len(rows) - 1)
                    hit = rows[at] == head_rows
                    scores[head_rows[hit]] -= np.float32(share) * values[at[hit]]
                    continue
                if mask is None:
                    mask = np.zeros(n, dtype=bool)
                if not marked:
                    mask[head_rows] = marked = True
                hit = mask[rows]
                scores[rows[hit]] -= np.float32(share) * values[hit]
            if marked:
                mask[head_rows] = False
        return scores

    def upper_bounds(self, impact: Packed) -> np.ndarray:
        """Every row's score before the backoff is taken back: the terms' weighted impacts summed.

        Never below the row's exact score (the backoff only subtracts, and float32 rounding is
        monotone), and equal to it for a row that has none of the query's backed-off words.
        """
        n, width = impact.shape
        scores = np.zeros(n, dtype=np.float32)
        if not len(self.term_ids):
            return scores
        floor = NEGLIGIBLE * float(np.max(self.weights))
        for term, weight in zip(self.term_ids.tolist(), self.weights.tolist(), strict=True):
            if term < width and weight > floor:
                rows, values = impact.column(term)
                if len(rows):
                    # np.add.at with intp rows: half the time of ``scores[rows] += …`` on the stored
                    # int32 rows, and the same float32 sums (each row appears once per column)
                    np.add.at(scores, rows.astype(np.intp), _weighted(values, weight))
        return scores

    def top(
        self, impact: Packed, wanted: int, *, excluded: np.ndarray | None = None, floor: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows whose exact score is positive, at least the ``wanted``-th best and at least
        ``floor``, and their scores.

        Rows tied with the ``wanted``-th best are all returned (the caller breaks ties by document
        id), so the answer is exactly ``scores()``'s best rows, to the last bit, whatever order a
        partition leaves them in. ``excluded`` rows (deleted documents) score 0. ``floor`` is the
        ``wanted``-th best score of the segments already searched: a row under it cannot be among
        the best of all, so it is neither corrected nor returned.

        The backoff (taking back a piece's share from a row that has the whole word) costs two thirds
        of the scoring when done for every row; here it is done only for the rows that can make the
        cut: their upper bound (:meth:`upper_bounds`) is among the ``m`` highest. Once the
        ``wanted``-th best exact score among them is above every other row's bound, no other row can
        enter; otherwise ``m`` grows (at most to every row with a positive bound).
        """
        impact = _Decoded.of(impact)
        bounds = self.upper_bounds(impact)
        if excluded is not None and len(excluded):
            bounds[excluded] = 0.0
        # rows under the floor are never taken: their exact score is at most their bound
        lowest = float(np.nextafter(np.float32(floor), np.float32(-np.inf))) if floor > 0 else 0.0
        pairs = self._backoff_pairs(impact)
        if not pairs:
            positive = np.flatnonzero(bounds > lowest)
            return _best(positive, bounds[positive], wanted)
        m = FIRST_PASS * wanted
        while True:
            # the rows whose bound is above ``beyond``, about ``m`` of them (a threshold from a sample
            # of the bounds: a partition of every positive row cost more than the correction)
            beyond = max(_threshold(bounds, m), lowest)
            rows = np.flatnonzero(bounds > beyond)
            exact = self._exact_at(impact, rows, bounds[rows], pairs)
            kept = exact >= floor if floor > 0 else exact > 0
            rows, exact = _best(rows[kept], exact[kept], wanted)
            if beyond <= lowest or (len(rows) >= wanted and float(exact.min()) > beyond):
                return rows, exact
            m *= 4

    def _exact_at(self, impact: Packed, rows: np.ndarray, bounds: np.ndarray, pairs: list) -> np.ndarray:
        """Exact scores of ascending ``rows`` from their upper bounds: each backed-off piece's share
        taken back from the rows that have its whole word, in the order :meth:`scores` does it (so the
        float32 results are the same bits). Binary searches over the few rows, not passes over postings."""
        out = bounds.copy()
        for head, pieces in pairs:
            head_rows, _ = impact.column(head)
            if len(head_rows) < len(rows):  # which of the rows have the whole word
                at = np.minimum(np.searchsorted(rows, head_rows), len(rows) - 1)
                where = at[rows[at] == head_rows]
            else:
                at = np.minimum(np.searchsorted(head_rows, rows), len(head_rows) - 1)
                where = np.flatnonzero(head_rows[at] == rows)
            if not len(where):
                continue
            having = rows[where]
            for piece, share in pieces:
                piece_rows, values = impact.column(piece)
                at = np.minimum(np.searchsorted(piece_rows, having), len(piece_rows) - 1)
                hit = piece_rows[at] == having
                out[where[hit]] -= np.float32(share) * values[at[hit]]
        return out

    def _backoff_pairs(self, impact: Packed) -> list[tuple[int, list[tuple[int, float]]]]:
        """The (head, [(piece, share)]) groups whose backoff applies in this segment: the head has
        postings here, and so has at least one piece that is read (not negligible, inside ``width``)."""
        if not self.backoff.nnz:
            return []
        width = impact.shape[1]
        floor = NEGLIGIBLE * float(np.max(self.weights))
        read = {t for t, w in zip(self.term_ids.tolist(), self.weights.tolist(), strict=True) if w > floor}
        out = []
        for head, pieces in self._pairs():
            if head >= width or impact.indptr[head] == impact.indptr[head + 1]:
                continue
            live = [
                (p, share)
                for p, share in pieces
                if p < width and p in read and impact.indptr[p] != impact.indptr[p + 1]
            ]
            if live:
                out.append((head, live))
        return out

    def _pairs(self) -> list[tuple[int, list[tuple[int, float]]]]:
        """(head term id, [(piece term id, weight)]) of each group that has both, computed once."""
        cached = self.__dict__.get("_pairs_cache")
        if cached is None:
            backoff = sp.csc_matrix(self.backoff)
            cached = [
                (
                    int(self.term_ids[head_col]),
                    [
                        (int(self.term_ids[backoff.indices[k]]), float(backoff.data[k]))
                        for k in range(backoff.indptr[g], backoff.indptr[g + 1])
                    ],
                )
                for g, head_col in enumerate(self.heads.tolist())
            ]
            object.__setattr__(self, "_pairs_cache", cached)
        return cached


class _Decoded:
    """A segment's postings as one query reads them: each column decoded once.

    The stored row numbers are uint16 inside blocks of 65,536 (``Packed``), so every ``column`` call
    rebuilds the int32 rows; the backoff reads a head's and its pieces' postings again after
    :meth:`QueryPlan.upper_bounds` has read them."""

    def __init__(self, impact: Packed) -> None:
        self.impact, self.shape, self.indptr = impact, impact.shape, impact.indptr
        self._columns: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def of(cls, impact: Packed | _Decoded) -> _Decoded:
        return impact if isinstance(impact, _Decoded) else cls(impact)

    def column(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        got = self._columns.get(j)
        if got is None:
            got = self._columns[j] = self.impact.column(j)
        return got


# every float16 bit pattern's float32 value: a table look-up converts twice as fast as numpy's cast
_FLOAT16 = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)


def _weighted(values: np.ndarray, weight: float) -> np.ndarray:
    """``np.float32(weight) * values`` as float32, to the same bits (a float16 converts exactly)."""
    if values.dtype != np.float16:
        return np.float32(weight) * values
    out = _FLOAT16.take(values.view(np.uint16))
    out *= np.float32(weight)
    return out


def _threshold(bounds: np.ndarray, m: int, sample: int = 4096) -> float:
    """A value that about ``m`` of ``bounds`` exceed, estimated from an evenly spaced sample (0.0 when
    fewer than ``m`` are positive: then every positive row is taken). Only the speed depends on it:
    :meth:`QueryPlan.top` checks its answer against whatever threshold it used."""
    n = len(bounds)
    if m >= n:
        return 0.0
    picked = bounds[:: max(1, n // sample)]
    at = int(len(picked) * (1.0 - m / n))
    if at <= 0:
        return 0.0
    # a sort, not np.partition: the sample is mostly zeros, on which introselect is 30 times slower
    return max(float(np.sort(picked)[at]), 0.0)


def _best(rows: np.ndarray, scores: np.ndarray, wanted: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows scoring at least the ``wanted``-th best score (all of them when there are fewer)."""
    if len(rows) <= wanted:
        return rows, scores
    kth = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
    keep = scores >= kth
    return rows[keep], scores[keep]


def merge_groups(fields: Sequence[tuple[Sequence[tuple[str, list[str]]], float]]) -> list[QueryGroup]:
    """One group per distinct word over the query's fields: ``[(groups, weight of that field)]``."""
    qtf: dict[str, float] = {}
    pieces: dict[str, dict[str, None]] = {}
    for groups, weight in fields:
        for head, parts in groups:
            qtf[head] = qtf.get(head, 0.0) + weight
            pieces.setdefault(head, {}).update(dict.fromkeys(parts))
    return [QueryGroup(h, tuple(p for p in pieces[h] if p != h), qtf[h]) for h in qtf]


def build_plan(
    groups: Sequence[QueryGroup],
    *,
    vocab: Mapping[str, int],
    df: np.ndarray,
    idf: Callable[[np.ndarray], np.ndarray],
    backoff_weight: float,
    ngram_weight: float = 1.0,
    query_k3: float = 8.0,
    max_groups: int = 64,
) -> QueryPlan:
    """The plan of a query's groups against an index (its vocabulary, document frequencies and idf).

    Examples
    --------
    >>> vocab = {"传感器": 0, "传感": 1, "#传感": 2}
    >>> df = np.array([2, 5, 5])
    >>> plan = build_plan([QueryGroup("传感器", ("传感", "#传感"), 1.0)], vocab=vocab, df=df,
    ...                   idf=lambda t: np.array([3.0, 1.0, 1.0])[t], backoff_weight=0.5)
    >>> plan.term_ids.tolist(), [round(w, 3) for w in plan.weights.tolist()]
    ([0, 1, 2], [3.0, 0.75, 0.75])
    """

    resolved: dict[str, int | None] = {}  # a piece often recurs in several groups

    def known(term: str) -> int | None:
        if term not in resolved:
            tid = vocab.get(term)
            resolved[term] = tid if tid is not None and tid < len(df) and df[tid] > 0 else None
        return resolved[term]

    saturation = lambda q: (query_k3 + 1) * q / (query_k3 + q)  # noqa: E731
    found_of = []
    for group in groups:
        head = known(group.head)
        found = {known(t): t for t in group.pieces}
        found.pop(None, None)
        found.pop(head, None)
        found_of.append((group, head, found))
    ids = sorted({tid for tid in resolved.values() if tid is not None})
    idf_of = dict(
        zip(ids, idf(np.asarray(ids, dtype=np.int64)).tolist(), strict=True)
    )  # one call, not two a group
    planned = []  # (group weight, head id or None, [(piece id, share)])
    for group, head, found in found_of:
        piece_ids = list(found)
        piece_idf = np.array([idf_of[p] for p in piece_ids], dtype=np.float64)
        if ngram_weight != 1.0 and piece_ids:
            piece_idf = piece_idf * np.array(
                [ngram_weight if found[p].startswith(NGRAM_PREFIX) else 1.0 for p in piece_ids]
            )
        if head is not None:
            weight, share = idf_of[head], backoff_weight
        elif piece_ids:
            weight, share = float(piece_idf.max()), 1.0
        else:
            continue
        weight *= saturation(group.qtf)
        if weight <= 0:
            continue
        total = float(piece_idf.sum())
        parts = [(p, share * weight * float(i) / total) for p, i in zip(piece_ids, piece_idf, strict=True)]
        planned.append((weight, head, [(p, w) for p, w in parts if w > 0]))
    if not planned:
        return QueryPlan.empty()
    planned.sort(key=lambda g: -g[0])
    planned = planned[:max_groups]
    column: dict[int, int] = {}
    flat: list[float] = []

    def col(term: int) -> int:
        if term not in column:
            column[term] = len(flat)
            flat.append(0.0)
        return column[term]

    heads, backed = [], []
    for weight, head, parts in planned:
        if head is not None:
            flat[col(head)] += weight
        for piece, w in parts:
            flat[col(piece)] += w
        if head is not None and parts:
            heads.append(column[head])
            # a group's pieces by column: the order QueryPlan.scores takes their shares back in
            backed.append(sorted((column[piece], np.float32(w)) for piece, w in parts))
    term_ids = np.fromiter(column, dtype=np.int64, count=len(column))
    # built column by column (one column a group), not from coordinates: scipy's sorting constructor
    # cost a tenth of a millisecond a query
    indptr = np.zeros(len(backed) + 1, dtype=np.int32)
    np.cumsum([len(pieces) for pieces in backed], out=indptr[1:])
    backoff = sp.csc_matrix(
        (
            np.array([w for pieces in backed for _, w in pieces], dtype=np.float32),
            np.array([c for pieces in backed for c, _ in pieces], dtype=np.int32),
            indptr,
        ),
        shape=(len(term_ids), len(heads)),
    )
    plan = QueryPlan(term_ids, np.asarray(flat), np.asarray(heads, dtype=np.int64), backoff)
    pairs = [
        (int(term_ids[h]), [(int(term_ids[c]), float(w)) for c, w in pieces])
        for h, pieces in zip(heads, backed, strict=True)
    ]
    object.__setattr__(plan, "_pairs_cache", pairs)
    return plan


def learn_boilerplate(
    words_of: Callable[[str], list[str]],
    requests: Sequence[tuple[str, Sequence[str]]],
    *,
    reference_df: Callable[[str], int],
    reference_size: int,
    content_words: Set[str] = frozenset(),
    min_share: float = 0.05,
    min_count: int = 3,
    min_ratio: float = 4.0,
    min_fields: int = 3,
) -> list[str]:
    """Request phrasing learned from the platform's own listings (征集, 相关技术, 合作开发 …).

    ``requests`` are ``(text, fields)`` of the listings written as requests (demands, when the index
    holds achievements). A word, or two adjacent words as one phrase, is boilerplate when

    - at least ``min_share`` of the requests (and ``min_count`` of them) use it,
    - it is ``min_ratio`` times as common in them as in the indexed documents (``reference_df`` /
      ``reference_size``; for a phrase not indexed as a term, its rarer word's count, an upper bound),
    - it is spread over the fields: requests of at least ``min_fields`` industries use it (when the
      requests name their fields), so a topic many demands share (电池) is not taken for phrasing,
    - no listing gives it as a keyword (``content_words``): keywords are content by definition.

    Examples
    --------
    >>> asks = [(f"征集 {x} 相关 技术", [f]) for x, f in zip("甲乙丙丁", ("能源", "材料", "农业", "医药"))]
    >>> learn_boilerplate(str.split, asks, reference_df=lambda w: 0, reference_size=100)
    ['征集', '技术', '相关', '相关技术']
    >>> learn_boilerplate(str.split, asks, reference_df=lambda w: 0, reference_size=100,
    ...                   content_words={"技术"}, min_fields=5)
    []
    """
    n = len(requests)
    if n < min_count:
        return []
    df: dict[str, int] = {}
    fields_of: dict[str, set[str]] = {}
    parts: dict[str, tuple[str, str]] = {}
    for text, fields in requests:
        words = words_of(text)
        pairs = {a + b: (a, b) for a, b in itertools.pairwise(words)}
        for a_b, pair in pairs.items():
            parts.setdefault(a_b, pair)
        for term in set(words) | set(pairs):
            df[term] = df.get(term, 0) + 1
            if fields:
                fields_of.setdefault(term, set()).update(fields)
    labelled = any(fields for _, fields in requests)
    learned = []
    for term, count in df.items():
        if count < max(min_count, min_share * n) or term in content_words:
            continue
        if labelled and len(fields_of.get(term, ())) < min_fields:
            continue
        ref = reference_df(term)
        if ref == 0 and term in parts:
            ref = min(reference_df(w) for w in parts[term])
        if (count / n) / ((ref + 1) / (reference_size + 1)) >= min_ratio:
            learned.append(term)
    return sorted(learned, key=lambda t: (-df[t], t))
