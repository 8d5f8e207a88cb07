"""Issue 13, query latency: a segment's best rows come from upper bounds corrected only where they can
make the cut, and they are exactly the best rows of the full scorer (same rows, same float32 bits)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.matching import Document, MatchConfig, MatchIndex
from xietong.matching.index import _cosines
from xietong.matching.query import FIRST_PASS, NEGLIGIBLE, QueryPlan
from xietong.matching.store import Packed


def _best_of_full(plan: QueryPlan, impact: Packed, wanted: int, excluded: np.ndarray, floor: float = 0.0):
    """The reference: every row's exact score (``QueryPlan.scores``), excluded rows zeroed, the rows
    scoring at least ``floor`` and the ``wanted``-th best positive score."""
    scores = plan.scores(impact)
    scores[excluded] = 0.0
    rows = np.flatnonzero((scores > 0) & (scores >= floor))
    if len(rows) > wanted:
        kth = np.sort(scores[rows])[::-1][wanted - 1]
        rows = rows[scores[rows] >= kth]
    return rows, scores[rows]


def _random_case(seed: int, n: int, width: int, n_terms: int, n_groups: int):
    """A random segment (float16 impacts, coarse values so that ties happen) and a random plan: heads
    with pieces (a piece may serve several groups, a head may be another group's piece), terms beyond
    the segment's width, and terms light enough to be skipped."""
    rng = np.random.default_rng(seed)
    density = rng.uniform(0.01, 0.9, size=width)
    present = rng.random((n, width)) < density
    values = rng.integers(1, 12, size=(n, width)).astype(np.float32) / 4  # coarse: ties are common
    impact = Packed.of(sp.csc_matrix(np.where(present, values, 0.0).astype(np.float32)), "csc")
    term_ids = rng.choice(width + 3, size=min(n_terms, width + 3), replace=False).astype(np.int64)
    weights = rng.uniform(0.1, 5.0, size=len(term_ids))
    weights[rng.random(len(term_ids)) < 0.15] = NEGLIGIBLE * weights.max() / 2
    heads, rows, cols, data = [], [], [], []
    for g in range(min(n_groups, len(term_ids))):
        head = int(rng.integers(len(term_ids)))
        pieces = [
            p
            for p in rng.choice(len(term_ids), size=min(3, len(term_ids)), replace=False).tolist()
            if p != head
        ]
        heads.append(head)
        for p in pieces:
            rows.append(p)
            cols.append(g)
            data.append(float(weights[p]) * rng.uniform(0.2, 1.0))
    backoff = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), (rows, cols)), shape=(len(term_ids), len(heads))
    )
    plan = QueryPlan(term_ids, weights, np.asarray(heads, dtype=np.int64), backoff)
    excluded = np.flatnonzero(rng.random(n) < 0.05)
    return plan, impact, excluded


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 3000),
    width=st.integers(1, 12),
    n_terms=st.integers(1, 14),
    n_groups=st.integers(0, 6),
    wanted=st.integers(1, 400),
    floor_rank=st.sampled_from([None, 1, 10, 100]),
)
def test_top_rows_are_exactly_the_full_scorers_best(seed, n, width, n_terms, n_groups, wanted, floor_rank):
    # given: a random segment and plan, and a floor (other segments' best) at a rank of its scores
    plan, impact, excluded = _random_case(seed, n, width, n_terms, n_groups)
    full = np.sort(plan.scores(impact))[::-1]
    floor = float(full[min(floor_rank, n) - 1]) if floor_rank else 0.0
    # when: the best rows are taken from the corrected upper bounds
    rows, scores = plan.top(impact, wanted, excluded=excluded, floor=floor)
    # then: the same rows (ties at the cut included) with the same float32 scores as the full scorer
    expected_rows, expected_scores = _best_of_full(plan, impact, wanted, excluded, floor)
    order = np.argsort(rows)
    np.testing.assert_array_equal(rows[order], expected_rows)
    np.testing.assert_array_equal(scores[order], expected_scores)
    assert scores.dtype == np.float32


def test_upper_bounds_never_fall_below_the_exact_scores():
    # given: a plan whose head word is in most rows, so the backoff takes back from many of them
    plan, impact, _ = _random_case(11, 2000, 8, 10, 4)
    # when / then: the bound is the exact score where no backoff applies, above it elsewhere
    bounds, exact = plan.upper_bounds(impact), plan.scores(impact)
    assert np.all(bounds >= exact)
    assert np.count_nonzero(bounds > exact) > 100


def test_top_corrects_only_a_few_rows_when_the_bound_is_tight(monkeypatch):
    # given: 20,000 rows; 200 have the head word (and its piece), the others only the piece
    n = 20_000
    head = np.zeros(n, dtype=np.float32)
    head[:200] = np.arange(1, 201) * 0.25  # exact in float16: no ties
    piece = np.full(n, 0.5, dtype=np.float32)
    impact = Packed.of(sp.csc_matrix(np.stack([head, piece], axis=1)), "csc")
    backoff = sp.csr_matrix((np.array([0.25], dtype=np.float32), ([1], [0])), shape=(2, 1))
    plan = QueryPlan(np.array([0, 1]), np.array([3.0, 0.25]), np.array([0]), backoff)
    corrected = []
    original = QueryPlan._exact_at

    def counting(self, impact, rows, *args):
        corrected.append(len(rows))
        return original(self, impact, rows, *args)

    monkeypatch.setattr(QueryPlan, "_exact_at", counting)
    # when
    rows, scores = plan.top(impact, 10)
    # then: the ten best head rows, found after correcting one pass of about FIRST_PASS × 10 rows
    # (a threshold from a sample of the bounds), not all 20,000
    np.testing.assert_array_equal(np.sort(rows), np.arange(190, 200))
    np.testing.assert_array_equal(np.sort(scores), np.float32(3.0) * np.arange(191, 201) * np.float32(0.25))
    assert len(corrected) == 1 and 10 <= corrected[0] <= 2 * FIRST_PASS * 10


def test_search_ranks_the_same_with_deleted_documents_in_segments(tmp_path):
    # given: three segments (one with deletions) of documents sharing a long word and its pieces
    words = ["传感器", "传感网络", "感器件", "温度传感", "压力传感器", "焊接机器人", "机器视觉"]
    docs = [
        Document(id=f"d{i}", title=words[i % 7] + words[(i * 3) % 7], body=words[(i * 5) % 7] * (1 + i % 3))
        for i in range(300)
    ]
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0, smooth_weight=0.0, candidates=20))
    for start in range(0, 300, 100):
        index.add(docs[start : start + 100])
    index.delete([f"d{i}" for i in range(0, 300, 7)])
    plan = index._query_terms(Document(id="q", body="压力传感器 机器视觉"))
    # when
    docs_found, scores = index._lexical_candidates(plan, 20)
    # then: the 20 best live documents by the full scorer, ties broken by internal number
    everything = []
    for segment, impact in zip(index._segments, index._impacts(), strict=True):
        full = plan.scores(impact)
        full[segment.deleted_rows] = 0.0
        live = np.flatnonzero(full > 0)
        everything += list(zip((-full[live]).tolist(), segment.doc_ids[live].tolist(), strict=True))
    everything.sort()
    assert [d for _, d in everything[:20]] == docs_found.tolist()
    assert [-s for s, _ in everything[:20]] == scores.tolist()


def _candidate_rows_by_segment(index: MatchIndex, docs: np.ndarray) -> sp.csr_matrix:
    """The candidates' unit rows as gathered before: per segment with ``Packed.rows``, stacked, put
    back in the candidates' order, columns renumbered by a sort."""
    parts, order = [], []
    for segment in index._segments:
        positions = [i for i, d in enumerate(docs.tolist()) if index._where[d][0] is segment]
        if positions:
            rows = [index._where[int(docs[i])][1] for i in positions]
            parts.append(index._unit_rows(segment).rows(rows))
            order += positions
    width = max(p.shape[1] for p in parts)
    stacked = sp.vstack([sp.csr_matrix(p, shape=(p.shape[0], width)) for p in parts], format="csr")
    stacked = stacked[np.argsort(np.asarray(order))]
    columns, compact = np.unique(stacked.indices, return_inverse=True)
    return sp.csr_matrix((stacked.data, compact.ravel(), stacked.indptr), shape=(len(docs), len(columns)))


def test_smoothing_rows_give_the_same_similarities_as_per_segment_gathering():
    # given: candidates spread over three segments
    words = ["传感器", "传感网络", "温度传感", "焊接机器人", "机器视觉", "激光焊接", "视觉定位"]
    docs = [
        Document(id=f"d{i}", title=words[i % 7] + words[(i * 3) % 7], body=words[(i * 5) % 7] + words[i % 4])
        for i in range(240)
    ]
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0))
    for start in range(0, 240, 80):
        index.add(docs[start : start + 80])
    plan = index._query_terms(Document(id="q", body="激光焊接机器人的视觉定位"))
    candidates, _ = index._lexical_candidates(plan, 60)
    assert len({id(index._where[int(d)][0]) for d in candidates}) == 3
    # when
    rows = index._candidate_rows(candidates)
    # then: the same cosines to the last bit, and the scratch array is left clean
    expected = _candidate_rows_by_segment(index, candidates)
    np.testing.assert_array_equal((rows @ rows.T).toarray(), (expected @ expected.T).toarray())
    assert rows.shape == expected.shape
    assert np.all(index._scratch.column_slot == -1)


def test_threads_searching_one_index_get_the_sequential_answers():
    # given: one index, and the answers of queries run one after another
    words = [
        "传感器",
        "传感网络",
        "温度传感",
        "焊接机器人",
        "机器视觉",
        "激光焊接",
        "视觉定位",
        "电池",
        "热管理",
    ]
    docs = [
        Document(id=f"d{i}", title=words[i % 9] + words[(i * 4) % 9], body=words[(i * 7) % 9])
        for i in range(300)
    ]
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0))
    index.add(docs)
    queries = ["激光焊接机器人", "温度传感器网络", "电池热管理", "机器视觉定位"] * 5
    expected = [[(h.id, h.score) for h in index.search(q, k=10)] for q in queries]
    # when: four threads run them at once (smoothing's scratch array is per thread)
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: [(h.id, h.score) for h in index.search(q, k=10)], queries))
    # then
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 200), width=st.integers(1, 3000))
def test_cosines_are_scipys_product_to_the_bit(seed, n, width):
    # given: random float32 rows (some empty), columns in no particular order within a row
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((n, width)) < min(1.0, 30 / width), rng.random((n, width)), 0.0)
    rows = sp.csr_matrix(dense.astype(np.float32))
    order = rng.permutation(rows.shape[1])  # renumber columns: rows' entries no longer sorted
    rows = sp.csr_matrix((rows.data, order[rows.indices], rows.indptr), shape=rows.shape)
    # when / then
    np.testing.assert_array_equal(_cosines(rows), (rows @ rows.T).toarray())
