"""Issue 13, the engine at a million listings: the lexical score reads only the query's postings
(and gives what scipy's whole-matrix product gave), and smoothing over the semantic vectors stores no
sparse unit rows."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from xietong.matching import Document, MatchConfig, MatchIndex
from xietong.matching.query import NEGLIGIBLE, QueryPlan
from xietong.matching.store import Packed


def _reference(impact: Packed, plan: QueryPlan, skipped: set[int]) -> np.ndarray:
    """The score as a dense computation: every term's weight times its column, less each piece's share
    in the rows that have the whole word."""
    dense = impact.to_scipy().toarray().astype(np.float64)
    scores = np.zeros(dense.shape[0])
    for term, weight in zip(plan.term_ids.tolist(), plan.weights.tolist(), strict=True):
        if term not in skipped:
            scores += weight * dense[:, term]
    backoff = sp.csc_matrix(plan.backoff)
    for g, head_col in enumerate(plan.heads.tolist()):
        has_head = dense[:, plan.term_ids[head_col]] > 0
        for k in range(backoff.indptr[g], backoff.indptr[g + 1]):
            piece = int(plan.term_ids[backoff.indices[k]])
            if piece not in skipped:
                scores -= backoff.data[k] * dense[:, piece] * has_head
    return scores


@pytest.mark.parametrize("rare_head", [True, False])
def test_postings_score_equals_the_dense_computation(rare_head):
    # given: 2,000 rows, a head word in 5 rows (rare: searched in its pieces' postings) or in 1,500
    # (marked), two pieces in most rows, a plain term, and a term of negligible weight
    rng = np.random.default_rng(3)
    n = 2000
    columns = []
    for density in (0.0025 if rare_head else 0.75, 0.9, 0.8, 0.1, 0.99):
        col = np.where(rng.random(n) < density, rng.random(n).astype(np.float32) + 0.1, 0.0)
        columns.append(col)
    impact = Packed.of(sp.csc_matrix(np.stack(columns, axis=1).astype(np.float32)), "csc")
    term_ids = np.array([0, 1, 2, 3, 4], dtype=np.int64)
    weights = np.array([4.0, 1.2, 0.8, 2.5, 4.0 * NEGLIGIBLE / 2])
    backoff = sp.csr_matrix(
        (np.array([1.0, 0.6], dtype=np.float32), ([1, 2], [0, 0])), shape=(len(term_ids), 1)
    )
    plan = QueryPlan(term_ids, weights, np.array([0], dtype=np.int64), backoff)
    # when: the postings are read column by column
    got = plan.scores(impact)
    # then: the same scores as the dense computation without the negligible term
    np.testing.assert_allclose(got, _reference(impact, plan, {4}), rtol=1e-5, atol=1e-5)
    assert got.dtype == np.float32
    # and the negligible term would have changed the scores (it is really skipped, not absent)
    assert not np.allclose(_reference(impact, plan, set()), _reference(impact, plan, {4}), atol=1e-7)


def _corpus() -> list[Document]:
    batteries = [
        Document(
            id=f"b{i}", title=f"锂电池电解液配方{i}", body="锂电池 电解液 添加剂 循环寿命 " * (1 + i % 3)
        )
        for i in range(30)
    ]
    wheat = [
        Document(id=f"w{i}", title=f"小麦抗旱育种{i}", body="小麦 抗旱 品种 产量 分子标记 " * (1 + i % 3))
        for i in range(30)
    ]
    return batteries + wheat


def test_semantic_smoothing_stores_no_unit_rows_and_reopens_to_the_same_ranking(tmp_path):
    # given: an index whose smoothing compares the candidates' semantic vectors
    config = MatchConfig(semantic_dim=8, smooth_space="semantic")
    writer = MatchIndex(tmp_path / "idx", config=config)
    writer.add(_corpus())
    expected = [(h.id, h.score) for h in writer.search("电解液添加剂", k=10)]
    writer.close()
    # then: no unit-row files were written, the battery listings come first
    assert not list((tmp_path / "idx").rglob("unit-*"))
    assert [i for i, _ in expected[:5]] == [i for i, _ in expected if i.startswith("b")][:5]
    # and a reader (another process) ranks the same
    reader = MatchIndex(tmp_path / "idx")
    assert [(h.id, h.score) for h in reader.search("电解液添加剂", k=10)] == expected


def test_term_smoothing_still_writes_unit_rows(tmp_path):
    writer = MatchIndex(tmp_path / "idx", config=MatchConfig(semantic_dim=8))
    writer.add(_corpus())
    writer.close()
    assert list((tmp_path / "idx").rglob("unit-*"))
