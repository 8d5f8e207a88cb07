"""Issue 13, build time: one ``add`` of many documents is a bulk load (one commit, derived matrices and
the semantic fit computed once from the final statistics) and ranks exactly as a single segment would."""

from __future__ import annotations

import numpy as np
import pytest

from xietong.matching import Document, MatchConfig, MatchIndex
from xietong.matching.segment import Segment

CONFIG = MatchConfig(semantic_dim=8)  # semantic layer, feedback and smoothing on
QUERIES = ("电池正极材料", "小麦抗旱育种", "液冷热管理", "分子标记 产量", "新能源汽车电池", "板芯温控")


def _corpus(n: int = 120) -> list[Document]:
    topics = [
        ("动力电池热管理", ("热管理", "液冷"), "液冷板 电芯 温差 新能源汽车 电池包"),
        ("锂电池正极材料", ("正极材料", "锂离子电池"), "高镍 三元 能量密度 循环寿命 电池"),
        ("小麦抗旱品种", ("小麦", "抗旱"), "分子标记 育种 产量 华北 品种"),
        ("工业机器人视觉", ("机器视觉", "焊接"), "焊接 定位 相机 标定 机器人"),
    ]
    docs = []
    for i in range(n):
        title, keywords, body = topics[i % len(topics)]
        late = ("板芯温控",) if i >= 90 else ()  # a keyword only the last documents give
        docs.append(
            Document(
                id=f"d{i}",
                title=f"{title}{i % 7}号方案",
                keywords=(*keywords, f"型号{i % 5}", *late),
                body=" ".join([body] * (1 + i % 3)) + f" 批次{i % 11} 液冷板芯温控",
            )
        )
    return docs


def _rankings(index: MatchIndex) -> list[list[tuple[str, float]]]:
    return [[(h.id, h.score) for h in index.search(q, k=10)] for q in QUERIES]


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_bulk_add_cut_into_segments_ranks_exactly_as_one_segment(tmp_path, on_disk):
    # given: the same documents in one add, as one segment and as segments of 25 documents
    one = MatchIndex(tmp_path / "one" if on_disk else None, config=CONFIG)
    one.add(_corpus())
    cut = MatchIndex(tmp_path / "cut" if on_disk else None, config=CONFIG.replace(segment_docs=25))
    cut.add(_corpus())
    # then: five segments, the same vocabulary, the same ranking to the last digit
    assert (one.stats()["segments"], cut.stats()["segments"]) == (1, 5)
    assert cut._terms == one._terms
    assert _rankings(cut) == _rankings(one)
    if on_disk:  # and a reader of each sees what its writer saw
        assert _rankings(MatchIndex(tmp_path / "cut")) == _rankings(one)


def test_a_bulk_add_commits_once_and_derives_each_segment_once(tmp_path, monkeypatch):
    # given: an on-disk index and a counter of impact computations
    computed = []
    original = Segment.compute_impact

    def counting(self, **kwargs):
        if self.impact is None or self.impact_key != kwargs["key"]:
            computed.append(self.name)
        return original(self, **kwargs)

    monkeypatch.setattr(Segment, "compute_impact", counting)
    index = MatchIndex(tmp_path / "idx", config=CONFIG.replace(segment_docs=30))
    # when: 120 documents arrive in one add
    index.add(_corpus())
    # then: one commit, four segments, each weighted once and the semantic layer fitted once
    assert index.generation == 1
    assert sorted(computed) == sorted(s.name for s in index._segments) and len(computed) == 4
    assert index._semantic_version == 1 and index._semantic_fit_size == 120


def test_an_incremental_build_once_rebuilt_ranks_exactly_as_a_bulk_load(tmp_path):
    # given: the corpus added in four calls (four commits, keywords learned batch by batch) and in one
    docs = _corpus()
    incremental = MatchIndex(tmp_path / "inc", config=CONFIG)
    for start in range(0, len(docs), 30):
        incremental.add(docs[start : start + 30])
    bulk = MatchIndex(tmp_path / "bulk", config=CONFIG)
    bulk.add(docs)
    # (they differ: the first batches were cut before the last one's keyword was learned)
    assert _rankings(incremental) != _rankings(bulk)
    # when: the incremental one is rebuilt (every document re-analysed, the semantic layer refitted)
    incremental.rebuild()
    # then: the two rank the same
    assert _rankings(incremental) == _rankings(bulk)


def test_term_ids_are_given_in_order_of_first_appearance():
    # given: an empty index
    index = MatchIndex()
    # when: a batch of terms with repeats, then one with known and new terms
    first = index._term_ids(["电池", "#电池", "电池", "热管理"])
    second = index._term_ids(["热管理", "液冷", "电池", "液冷"])
    # then: one id a term, numbered as they first appear, repeats resolved to the same id
    assert first.tolist() == [0, 1, 0, 2] and second.tolist() == [2, 3, 0, 3]
    assert index._terms == ["电池", "#电池", "热管理", "液冷"]
    assert first.dtype == np.int32


def test_a_segment_from_flat_term_ids_counts_each_field_apart():
    # given: two documents' term ids laid end to end, title / keywords / body
    term_ids = np.array([0, 1, 0, 2, 1, 1, 3], dtype=np.int32)
    counts = np.array([[2, 1, 0], [0, 1, 3]])
    # when
    segment = Segment.from_term_ids(name="s", doc_ids=[5, 6], term_ids=term_ids, counts=counts, width=4)
    # then: term frequencies and lengths per field and document
    assert segment.tf["title"].toarray().tolist() == [[1, 1, 0, 0], [0, 0, 0, 0]]
    assert segment.tf["keywords"].toarray().tolist() == [[1, 0, 0, 0], [0, 0, 1, 0]]
    assert segment.tf["body"].toarray().tolist() == [[0, 0, 0, 0], [0, 2, 0, 1]]
    assert segment.lengths["body"].tolist() == [0.0, 3.0]
