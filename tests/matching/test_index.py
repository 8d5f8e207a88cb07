from __future__ import annotations

import json

import pytest

from xietong.matching import Document, MatchConfig, MatchIndex


def _ids(hits):
    return [h.id for h in hits]


def test_search_ranks_the_topical_document_first(index):
    hits = index.search("动力电池热管理", k=3)
    assert hits[0].id == "a1"
    assert hits[0].score >= hits[-1].score


def test_hits_are_sorted_and_scores_finite(index):
    hits = index.search("电池", k=10)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert set(_ids(hits)) == {"a1", "a3", "e1", "d1"}


def test_unknown_query_and_empty_index_return_nothing(index, lexical_config):
    assert index.search("量子引力", k=5) == []
    assert index.search("", k=5) == []
    assert MatchIndex(config=lexical_config).search("电池") == []
    assert index.search("电池", k=0) == []


def test_delete_removes_from_results(index):
    # when
    deleted = index.delete(["a1", "missing"])
    # then
    assert deleted == 1
    assert "a1" not in _ids(index.search("动力电池热管理", k=10))
    assert len(index) == 4


def test_add_with_existing_id_replaces(index):
    # when
    index.add([Document(id="a2", title="氢燃料电池电堆")])
    # then
    assert _ids(index.search("小麦抗旱", k=10)) == []
    assert _ids(index.search("氢燃料电池", k=1)) == ["a2"]
    assert len(index) == 5


def test_where_filters_by_attrs(index):
    assert set(_ids(index.search("电池", k=10, where={"kind": "achievement"}))) == {"a1", "a3"}
    assert _ids(index.search("电池", k=10, where={"kind": ["expert"]})) == ["e1"]


def test_query_document_is_excluded_and_two_way(index, listings):
    demand = next(d for d in listings if d.id == "d1")
    # demand → achievements
    hits = index.search(demand, k=3, where={"kind": "achievement"})
    assert hits[0].id == "a1" and "d1" not in _ids(hits)
    # achievement → demands, demand → experts
    achievement = next(d for d in listings if d.id == "a1")
    assert _ids(index.search(achievement, k=1, where={"kind": "demand"})) == ["d1"]
    assert _ids(index.search(demand, k=1, where={"kind": "expert"})) == ["e1"]


def test_structured_features_move_hits_and_are_explained(index, listings):
    # given: a demand in 长三角 that needs TRL 6 and has 80万元
    demand = next(d for d in listings if d.id == "d1")
    # when
    hit = index.search(demand, k=1, where={"kind": "achievement"})[0]
    # then
    names = {c.name: c.contribution for c in hit.explanation.features}
    assert names["same_zone"] == pytest.approx(0.2)
    assert names["maturity"] == pytest.approx(0.15)
    assert names["budget"] == pytest.approx(0.15)
    text = hit.explanation.render_zh()
    assert "同属长三角" in text and "成熟度 TRL 7 满足需求" in text and "报价 50万元 在预算 80万元 内" in text
    assert hit.score == pytest.approx(hit.explanation.text_score + sum(names.values()))


def test_feature_weights_are_data(listings):
    # given: zone weight raised so that zone beats text
    config = MatchConfig(semantic_weight=0.0, feature_weights={"same_zone": 5.0})
    idx = MatchIndex(config=config)
    idx.add(listings)
    query = Document(id="q", body="电池", attrs={"zones": ["京津冀"]})
    # then
    assert _ids(idx.search(query, k=1)) == ["a3"]


def test_explanation_lists_terms_per_field(index):
    hit = index.search("动力电池热管理", k=1)[0]
    assert hit.explanation.terms("title") == ("动力电池", "热管理")
    assert "动力电池" in hit.explanation.terms("keywords")
    assert hit.explanation.render_zh().startswith("标题匹配：动力电池、热管理；关键词匹配：")


def test_on_disk_index_survives_reopen(tmp_path, listings, lexical_config):
    # given
    path = tmp_path / "idx"
    idx = MatchIndex(path, config=lexical_config)
    idx.add(listings)
    idx.delete(["a3"])
    before = [(h.id, h.score) for h in idx.search("电池", k=10)]
    idx.close()
    # when
    reopened = MatchIndex(path)
    # then
    assert [(h.id, h.score) for h in reopened.search("电池", k=10)] == before
    assert len(reopened) == 4 and "a3" not in reopened
    assert reopened.get("a1").attrs["trl"] == 7
    assert json.loads((path / "meta.json").read_text())["config"]["semantic_weight"] == 0.0


def test_incremental_adds_merge_segments_and_match_a_fresh_build(tmp_path, listings, lexical_config):
    # given: one document per add call, more calls than max_segments
    config = lexical_config.replace(max_segments=2)
    incremental = MatchIndex(tmp_path / "inc", config=config)
    for document in listings:
        incremental.add([document])
    incremental.delete(["a2"])
    fresh = MatchIndex(config=config)
    fresh.add([d for d in listings if d.id != "a2"])
    # then: same ranking and scores
    assert incremental.stats()["segments"] <= 2
    query = "电池热管理技术"
    assert [(h.id, h.score) for h in incremental.search(query, k=10)] == [
        (h.id, h.score) for h in fresh.search(query, k=10)
    ]
    reopened = MatchIndex(tmp_path / "inc")
    assert [h.id for h in reopened.search(query, k=10)] == [h.id for h in fresh.search(query, k=10)]
    segment_files = sorted(p.name for p in (tmp_path / "inc").glob("seg-*") if p.is_dir())
    assert len(segment_files) == reopened.stats()["segments"]


def test_rebuild_picks_up_a_new_user_dictionary(tmp_path, listings):
    # given: a term the default dictionary splits
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("", encoding="utf-8")
    config = MatchConfig(
        semantic_weight=0.0, char_ngrams=(), search_mode=False, user_dictionaries=(str(dictionary),)
    )
    idx = MatchIndex(tmp_path / "idx", config=config)
    idx.add([Document(id="x", title="钠离子储能柜设计")])
    assert "钠离子储能柜" not in idx._vocab
    # when: the operator extends the dictionary and rebuilds
    dictionary.write_text("钠离子储能柜 10 n\n", encoding="utf-8")
    from xietong.matching.analysis import _jieba

    _jieba.cache_clear()
    idx.rebuild()
    # then
    assert "钠离子储能柜" in idx._vocab
    assert _ids(idx.search("钠离子储能柜", k=1)) == ["x"]
    assert _ids(MatchIndex(tmp_path / "idx").search("钠离子储能柜", k=1)) == ["x"]


def test_semantic_layer_fits_and_survives_reopen(tmp_path):
    # given: enough documents for the semantic layer
    docs = [
        Document(
            id=f"b{i}",
            title=f"电池材料{i}",
            body="正极 负极 电解液 隔膜 电池 能量密度 循环寿命" * (1 + i % 3),
        )
        for i in range(40)
    ] + [
        Document(
            id=f"w{i}", title=f"小麦育种{i}", body="小麦 抗旱 品种 产量 分子标记 育种 田间" * (1 + i % 3)
        )
        for i in range(40)
    ]
    idx = MatchIndex(tmp_path / "sem", config=MatchConfig(semantic_dim=8))
    idx.add(docs)
    assert idx.stats()["semantic"] is True
    hits = idx.search("电解液", k=5)
    assert all(h.id.startswith("b") for h in hits)
    assert all(0.0 <= h.explanation.semantic_score <= 1.0 for h in hits)
    reopened = MatchIndex(tmp_path / "sem")
    assert [h.id for h in reopened.search("电解液", k=5)] == [h.id for h in hits]


def test_optimize_drops_deleted_rows(index):
    index.delete(["a1", "a2"])
    index.optimize()
    assert index.stats() | {"terms": 0} == {
        "documents": 3,
        "segments": 1,
        "terms": 0,
        "semantic": False,
        "deleted_rows": 0,
    }
    assert _ids(index.search("正极材料", k=1)) == ["a3"]


def test_add_rejects_non_documents(index):
    with pytest.raises(TypeError):
        index.add([{"id": "x"}])
    with pytest.raises(ValueError):
        Document(id="")


def test_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown matching config keys"):
        MatchConfig.from_dict({"field_weight": {}})
