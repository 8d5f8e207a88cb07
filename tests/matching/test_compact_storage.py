"""The index's compact storage (formats 3 and 4, issue 13): float16 values, uint16 row and term numbers in
blocks, pruned uint8 unit rows of shared terms, int8 vectors."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from xietong.matching import Document, MatchConfig, MatchIndex
from xietong.matching.index import FORMAT_VERSION, _heaviest_terms
from xietong.matching.store import Packed, QuantizedRows


def _corpus(n: int = 80) -> list[Document]:
    words = (
        "正极 负极 电解液 隔膜 电池 能量密度 小麦 抗旱 品种 产量 分子标记 育种 传感器 芯片 算法 图像".split()
    )
    rng = np.random.default_rng(0)
    return [
        Document(id=f"d{i}", title=f"材料{i}", body=" ".join(rng.choice(words, size=12 + i % 9).tolist()))
        for i in range(n)
    ]


def test_heaviest_terms_keeps_each_rows_largest_values_in_column_order():
    rows = sp.random(50, 40, density=0.4, random_state=3, format="csr", dtype=np.float32)
    pruned = _heaviest_terms(rows, 5, chunk=7)  # several chunks
    dense, kept = rows.toarray(), pruned.toarray()
    for i in range(50):
        expected = np.zeros(40, dtype=np.float32)
        top = np.argsort(-dense[i], kind="stable")[: min(5, np.count_nonzero(dense[i]))]
        expected[top] = dense[i, top]
        assert np.array_equal(kept[i], expected)
        assert np.all(np.diff(pruned.indices[pruned.indptr[i] : pruned.indptr[i + 1]]) > 0)


def test_packed_rows_are_the_scipy_rows_in_float16():
    matrix = sp.random(30, 20, density=0.3, random_state=1, format="csr", dtype=np.float32)
    packed = Packed.of(matrix, "csr")
    wanted = [7, 0, 29, 7]
    got = packed.rows(wanted).toarray()
    assert got.dtype == np.float32
    assert np.array_equal(got, matrix[wanted].toarray().astype(np.float16).astype(np.float32))
    assert np.array_equal(packed.to_scipy().toarray(), packed.rows(np.arange(30)).toarray())


def test_packed_stores_uint16_numbers_in_blocks_and_gives_back_the_full_ones():
    # given: 200,000 rows (four blocks of 65,536) and 150,000 columns (three blocks)
    rng = np.random.default_rng(4)
    rows, columns = rng.integers(0, 200_000, 60_000), rng.integers(0, 150_000, 60_000)
    rows = np.r_[rows, 0, 65_535, 65_536, 199_999, np.full(70_000, 3)]  # row 3: 70,000 entries
    columns = np.r_[columns, 0, 65_536, 149_999, 7, np.arange(70_000)]
    values = rng.random(len(rows)).astype(np.float32) + 0.1
    matrix = sp.csr_matrix((values, (rows, columns)), shape=(200_000, 150_000))
    matrix.sum_duplicates()
    csc, csr = Packed.of(matrix, "csc"), Packed.of(matrix, "csr")
    # then: the numbers are uint16, a count table says how many of a line's entries each block holds
    assert csc.indices.dtype == csr.indices.dtype == np.uint16
    assert csc.counts.shape == (150_000, 4) and csr.counts.shape == (200_000, 3)
    assert csc.counts.sum() == csr.counts.sum() == matrix.nnz
    # and every column's rows and every row's columns come back whole, ascending
    expected = sp.csc_matrix(matrix)
    for j in (0, 7, 65_536, 149_999, *range(1000, 1100)):
        rows, values = csc.column(j)
        assert np.array_equal(rows, expected.indices[expected.indptr[j] : expected.indptr[j + 1]])
        assert np.array_equal(
            values, expected.data[expected.indptr[j] : expected.indptr[j + 1]].astype(np.float16)
        )
    wanted = [199_999, 0, 65_536, 65_535]
    halved = sp.csr_matrix(
        (matrix.data.astype(np.float16).astype(np.float32), matrix.indices, matrix.indptr), shape=matrix.shape
    )
    assert np.array_equal(csr.rows(wanted).toarray(), halved[wanted].toarray())
    assert (csc.to_scipy() != halved.tocsc()).nnz == 0 and (csr.to_scipy() != halved).nnz == 0


def test_packed_codes_keep_each_rows_values_within_a_510th_of_its_largest():
    matrix = sp.random(40, 70_000, density=1e-3, random_state=5, format="csr", dtype=np.float32)
    packed = Packed.of(matrix, "csr", codes=True)
    assert packed.data.dtype == np.uint8 and packed.scale.dtype == np.float32
    error = np.abs(packed.to_scipy().toarray() - matrix.toarray()).max(axis=1)
    largest = np.asarray(matrix.max(axis=1).todense()).ravel()
    assert np.all(error <= largest / 510 + 1e-7)
    assert np.array_equal(packed.rows([3, 1]).toarray(), packed.to_scipy().toarray()[[3, 1]])


def test_quantized_rows_keep_cosines_within_a_hundredth():
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(40, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = QuantizedRows.of(vectors)
    assert rows.codes.dtype == np.int8 and rows.scale.dtype == np.float32
    decoded = rows[np.arange(40)]
    assert np.abs(decoded @ decoded.T - vectors @ vectors.T).max() < 0.01
    assert np.array_equal(rows[[3]], decoded[[3]])


def test_the_stored_arrays_are_compact_and_unit_rows_keep_at_most_the_configured_shared_terms(tmp_path):
    config = MatchConfig(semantic_dim=8, unit_row_terms=4)
    MatchIndex(tmp_path / "idx", config=config).add([*_corpus(), Document(id="short", title="电池")])
    reader = MatchIndex(tmp_path / "idx")
    segment = reader._segments[0]
    assert segment.impact.data.dtype == np.float16 and segment.impact.indices.dtype == np.uint16
    assert segment.unit_rows.data.dtype == np.uint8 and segment.unit_rows.indices.dtype == np.uint16
    assert segment.embeddings.codes.dtype == np.int8
    assert reader._semantic.term_vectors_.codes.dtype == np.int8
    counts = np.diff(segment.unit_rows.indptr)
    assert counts.max() == 4 and np.diff(segment.impact.indptr).sum() > 4 * segment.size
    # a term of one document (材料7 is in one title) is in no cosine between two: never kept
    unit = segment.unit_rows.to_scipy()
    assert np.all(reader._df[unit.indices] >= 2)
    # divided by the whole row's norm: a row that lost terms is shorter than 1, one that kept all is 1
    norms = np.sqrt(np.asarray(unit.multiply(unit).sum(axis=1)).ravel())
    full = np.diff(segment.impact.to_scipy().tocsr().indptr) <= 4
    assert full.any() and (~full).any()
    assert np.allclose(norms[full], 1.0, atol=5e-3) and np.all(norms[~full] < 0.99)


def test_an_index_of_the_previous_format_asks_to_be_rebuilt(tmp_path):
    MatchIndex(tmp_path / "idx", config=MatchConfig(semantic_weight=0)).add(_corpus(10))
    meta_path = tmp_path / "idx" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["format"] == FORMAT_VERSION == 4
    meta["format"] = FORMAT_VERSION - 1
    meta["config"]["smooth_space"] = "terms"  # format 3 stored a setting format 4 no longer has
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="format 3 is not 4: rebuild it"):
        MatchIndex(tmp_path / "idx")
