"""Fusion of the lexical and semantic scores, neighbourhood smoothing and the semantic refit policy."""

from __future__ import annotations

from xietong.matching import Document, MatchConfig, MatchIndex

BATTERY = "正极 负极 电解液 隔膜 电池 能量密度 循环寿命 锂离子"
WHEAT = "小麦 抗旱 品种 产量 分子标记 育种 田间 水稻"


def _tag(i: int) -> str:
    """A distinct two-character tag per document (its char bigram is a term of its own)."""
    return "甲乙丙丁戊己庚辛壬癸"[i // 10 % 10] + "子丑寅卯辰巳午未申酉"[i % 10]


def _corpus(n: int) -> list[Document]:
    return [
        Document(id=f"b{i}", body=f"{BATTERY} {_tag(i)}")
        if i % 2
        else Document(id=f"w{i}", body=f"{WHEAT} {_tag(i)}")
        for i in range(n)
    ]


def test_smoothing_lifts_a_document_whose_neighbours_match():
    # given: a and b match "温控" equally; a's nearest neighbour a2 matches it well, b's neighbour b2
    # (long, about farming) matches it weakly
    docs = [
        Document(id="a", body="温控 电池 液冷"),
        Document(id="b", body="温控 小麦 灌溉"),
        Document(id="a2", body="温控 电池 液冷 电芯"),
        Document(id="b2", body="温控 小麦 灌溉 田间 水分 土壤 施肥 品种 产量 气候 降水 农机"),
    ]
    plain = MatchIndex(config=MatchConfig(semantic_weight=0.0, smooth_weight=0.0))
    # neighbour weights normalised to sum 1 (smooth_floor 0): a's gain is its one neighbour's score × 0.6
    smooth = MatchIndex(
        config=MatchConfig(semantic_weight=0.0, smooth_weight=0.6, smooth_neighbors=1, smooth_floor=0.0)
    )
    plain.add(docs)
    smooth.add(docs)
    # when
    plain_hits = {h.id: h.score for h in plain.search("温控", k=4)}
    smooth_hits = {h.id: h.score for h in smooth.search("温控", k=4)}
    # then: a and b tie without smoothing; with it a gains 0.6 × a2's score, b only 0.6 × b2's
    assert plain_hits["a"] == plain_hits["b"] == 1.0
    assert smooth_hits["a"] == round(1.0 + 0.6 * plain_hits["a2"], 6)
    assert smooth_hits["b"] == round(1.0 + 0.6 * plain_hits["b2"], 6)
    assert smooth_hits["a"] > smooth_hits["b"]


def test_smoothing_off_gives_the_plain_lexical_order():
    docs = _corpus(10)
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0, smooth_weight=0.0, lexical_power=1.0))
    index.add(docs)
    hits = index.search(f"电池 {_tag(3)}", k=3)
    assert hits[0].id == "b3"
    assert hits[0].score == 1.0  # lexical score divided by the best one


def test_the_document_itself_stays_first_with_every_layer_on():
    # given: semantic layer, feedback and smoothing all on
    index = MatchIndex(config=MatchConfig(semantic_dim=8))
    index.add(_corpus(80))
    assert index.stats()["semantic"] is True
    # when: each document's own text is the query
    firsts = [index.search(f"{BATTERY} {_tag(i)}", k=1)[0].id for i in range(1, 80, 2)]
    # then
    assert firsts == [f"b{i}" for i in range(1, 80, 2)]


def test_semantic_refits_while_the_corpus_doubles_until_the_sample_is_full():
    index = MatchIndex(config=MatchConfig(semantic_dim=4, semantic_fit_docs=60))
    docs = _corpus(400)
    index.add(docs[:50])
    assert index._semantic_fit_size == 50  # first fit at 50 documents
    index.add(docs[50:100])
    assert index._semantic_fit_size == 100  # doubled, sample not yet full: refit
    index.add(docs[100:400])
    assert index._semantic_fit_size == 100  # sample full: waits for optimize()
    index.optimize()
    assert index._semantic_fit_size == 400


def test_a_tiny_corpus_can_be_optimised_and_rebuilt():
    from xietong.matching import Document, MatchIndex

    idx = MatchIndex()
    idx.add([Document(id="a", title="动力电池热管理", body="液冷板")])
    idx.optimize()
    idx.rebuild()
    assert [h.id for h in idx.search("电池", k=3)] == ["a"]


def test_runner_up_reference_keeps_the_other_candidates_lexical_evidence():
    # given: "own" holds every query word, the others one each, so "own" is far ahead
    docs = [
        Document(id="own", body="锂电池 隔膜 涂层 陶瓷 热稳定"),
        Document(id="near", body="锂电池 隔膜 材料"),
        Document(id="far", body="陶瓷 釉料 烧成"),
    ]
    # a small corpus has small idf: a low temperature makes its gaps as wide as a large corpus's
    lexical_only = {"semantic_weight": 0.0, "smooth_weight": 0.0, "fusion_temperature": 0.05}
    best = MatchIndex(config=MatchConfig.from_dict({**lexical_only, "fusion_reference": "best"}))
    runner_up = MatchIndex(config=MatchConfig.from_dict({**lexical_only, "fusion_reference": "runner_up"}))
    best.add(docs)
    runner_up.add(docs)
    query = "锂电池 隔膜 涂层 陶瓷 热稳定"
    # when
    from_best = {h.id: h for h in best.search(query, k=3)}
    from_second = {h.id: h for h in runner_up.search(query, k=3)}
    # then: gaps from the best leave "near" a small fraction; from the runner-up it is the reference (1.0)
    # and the leader keeps its lead below 2
    lexical = {i: h.explanation.lexical_score for i, h in from_best.items()}
    assert lexical["own"] > lexical["near"] > lexical["far"]
    lead = (lexical["own"] - lexical["near"]) / 0.05
    assert abs(from_best["near"].score - 2.718281828459045**-lead) < 1e-5
    assert from_best["near"].score < 0.5
    assert from_second["near"].score == 1.0
    assert 1.0 < from_second["own"].score < 2.0
    assert abs(from_second["own"].score - (2.0 - 2.718281828459045**-lead)) < 1e-5
    assert [h.id for h in runner_up.search(query, k=3)] == ["own", "near", "far"]


def test_auto_reference_measures_from_the_runner_up_only_when_the_leader_repeats_the_query():
    # given: the same three documents; "own" is titled exactly like the first query
    docs = [
        Document(id="own", title="锂电池隔膜陶瓷涂层", body="热稳定 锂电池 隔膜 涂层 陶瓷"),
        Document(id="near", body="锂电池 隔膜 材料"),
        Document(id="far", body="陶瓷 釉料 烧成"),
    ]
    lexical_only = {"semantic_weight": 0.0, "smooth_weight": 0.0, "fusion_temperature": 0.05}
    auto = MatchIndex(config=MatchConfig.from_dict(lexical_only))
    assert auto.config.fusion_reference == "auto"  # the default
    auto.add(docs)
    # when: the query is own's title (full-width spaces and punctuation aside), then a query that own
    # merely contains
    repeated = {h.id: h for h in auto.search("锂电池隔膜　陶瓷涂层。", k=3)}
    contained = {h.id: h for h in auto.search("锂电池 隔膜 涂层 热稳定 陶瓷 釉料", k=3)}
    # then: a repeated query keeps the others' lexical evidence (the runner-up is the reference, 1.0)
    assert repeated["near"].score == 1.0
    assert 1.0 < repeated["own"].score <= 2.0
    assert list(repeated) == ["own", "near", "far"]
    # a query the leader only contains is measured from the leader: "near" is far behind
    assert contained["own"].score == 1.0
    assert contained["near"].score < 0.5


def test_smooth_floor_gives_a_weakly_similar_candidate_only_part_of_the_boost():
    # given: as in the first test, b's only neighbour b2 resembles it weakly (cosine well under 1)
    docs = [
        Document(id="a", body="温控 电池 液冷"),
        Document(id="b", body="温控 小麦 灌溉"),
        Document(id="a2", body="温控 电池 液冷 电芯"),
        Document(id="b2", body="温控 小麦 灌溉 田间 水分 土壤 施肥 品种 产量 气候 降水 农机"),
    ]
    base = {"semantic_weight": 0.0, "smooth_weight": 0.6, "smooth_neighbors": 1}
    normalised = MatchIndex(config=MatchConfig.from_dict({**base, "smooth_floor": 0.0}))
    floored = MatchIndex(config=MatchConfig.from_dict({**base, "smooth_floor": 1.0}))
    normalised.add(docs)
    floored.add(docs)
    # when
    full = {h.id: h.score for h in normalised.search("温控", k=4)}
    part = {h.id: h.score for h in floored.search("温控", k=4)}
    # then: normalised to sum 1, b gains the neighbour's whole score × 0.6; with the floor only its
    # cosine's share of it, still something
    assert 1.0 < part["b"] < full["b"]
    assert part["a"] - 1.0 > part["b"] - 1.0


def test_an_unknown_fusion_reference_is_refused():
    import pytest

    with pytest.raises(ValueError, match="fusion_reference"):
        MatchConfig.from_dict({"fusion_reference": "second"})
    assert MatchConfig.from_dict({"fusion_reference": "best"}).fusion_reference == "best"
