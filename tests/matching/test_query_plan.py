"""Issue 13, part A: one word is one query term (its pieces only a backoff), learned request
boilerplate, per-field length normalisation and the fusion rule that adapts to the query."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from xietong.matching import Document, MatchIndex
from xietong.matching.analysis import Analyzer
from xietong.matching.query import QueryGroup, build_plan
from xietong.matching.store import Packed

LEXICAL_ONLY = {"semantic_weight": 0.0, "smooth_weight": 0.0}


def _filler(n: int) -> list[Document]:
    """Unrelated documents, so that every query word is rare (similar idf)."""
    crops = ["小麦", "水稻", "玉米", "大豆", "棉花", "油菜", "甘蔗", "茶叶"]
    return [Document(id=f"f{i}", title=f"{crops[i % 8]}高产栽培技术{i}") for i in range(n)]


def test_query_word_is_one_group_with_its_pieces_as_backoff():
    groups = dict(Analyzer().query_groups("传感器焊接"))
    assert set(groups) == {"传感器", "焊接"}
    assert set(groups["传感器"]) == {"传感", "感器", "#传感", "#感器"}
    # n-grams never cross a word boundary (器焊 is not a piece of either word)
    assert "#器焊" not in {p for parts in groups.values() for p in parts}


def test_a_long_word_does_not_outvote_two_short_ones():
    docs = [
        *_filler(40),
        Document(id="long", title="温湿度传感器标定装置"),
        Document(id="two", title="虚拟现实辅助焊接培训"),
    ]
    grouped = MatchIndex(config=LEXICAL_ONLY)
    grouped.add(docs)
    # 传感器 would be five terms (传感器, 传感, 感器, #传感, #感器) against 虚拟 and 焊接's four
    assert [h.id for h in grouped.search("传感器 虚拟 焊接", k=2)] == ["two", "long"]
    flat = MatchIndex(config={**LEXICAL_ONLY, "grouped_query": False})
    flat.add(docs)
    assert flat.search("传感器 虚拟 焊接", k=1)[0].id == "long"


def test_pieces_count_only_when_the_whole_word_is_missing():
    # given: terms 0 = 传感器 (head), 1 = 传感 and 2 = #传感 (its pieces); rows: doc 0 has all three,
    # doc 1 has only the pieces
    idf = np.array([3.0, 1.0, 1.0])
    plan = build_plan(
        [QueryGroup("传感器", ("传感", "#传感"), 1.0)],
        vocab={"传感器": 0, "传感": 1, "#传感": 2},
        df=np.array([1, 2, 2]),
        idf=lambda t: idf[t],
        backoff_weight=0.5,
        query_k3=1e9,  # no query-side saturation: weights are the idf
    )
    impact = Packed.of(sp.csc_matrix(np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 1.0]], dtype=np.float32)), "csc")
    scores = plan.scores(impact)
    # then: the whole word scores its own weight only; the pieces give half of it, shared by idf
    assert scores[0] == pytest.approx(3.0)
    assert scores[1] == pytest.approx(0.5 * 3.0)


def test_a_document_with_only_a_sub_word_is_still_found_below_the_whole_word():
    idx = MatchIndex(config=LEXICAL_ONLY)
    idx.add(
        [*_filler(20), Document(id="whole", title="压力传感器"), Document(id="part", title="传感网络节点")]
    )
    assert [h.id for h in idx.search("传感器", k=3)] == ["whole", "part"]


def test_stop_words_and_bare_numbers_give_no_query_term():
    idx = MatchIndex(config=LEXICAL_ONLY)
    idx.add([Document(id="n", title="2024 年的 300 台设备"), Document(id="w", title="小麦高产栽培")])
    assert idx.search("的 2024 300", k=3) == []
    assert [h for h, _ in Analyzer().query_groups("的 2024 300 台")] == ["台"]


def test_boilerplate_learned_from_the_requests_is_weighted_down(tmp_path):
    # given: achievements, one of them about 揭榜 (a word the shipped list does not know)
    achievements = [
        *_filler(30),
        Document(id="jb", title="揭榜攻关机制研究"),
        Document(id="sep", title="锂电池隔膜涂覆工艺", body="陶瓷涂覆隔膜"),
    ]
    idx = MatchIndex(tmp_path / "a", config=LEXICAL_ONLY)
    idx.add(achievements)
    assert idx.search("揭榜攻关：隔膜", k=1)[0].id == "jb"
    # and demands of many fields phrased "揭榜攻关…"; 电池 is frequent too, but only in one field
    topics = [
        ("锂电池负极", "新能源"),
        ("锂电池回收", "新能源"),
        ("盐碱地改良", "农业"),
        ("芯片封装", "电子信息"),
        ("中药提取", "生物医药"),
        ("焊接机器人", "高端装备"),
    ]
    demands = [
        Document(id=f"d{i}", title=f"揭榜攻关：{t}", attrs={"fields": [f]}, keywords=(t,))
        for i, (t, f) in enumerate(topics)
    ]
    # when
    learned = idx.learn_boilerplate(demands)
    # then
    assert "揭榜" in learned and "攻关" in learned
    assert not {"锂电池", "电池", "锂电池负极"} & set(learned)
    assert idx.search("揭榜攻关：隔膜", k=1)[0].id == "sep"
    assert "揭榜" in MatchIndex(tmp_path / "a").analyzer.learned_boilerplate  # kept with the index


def test_keywords_are_never_learned_as_boilerplate():
    idx = MatchIndex(config=LEXICAL_ONLY)
    idx.add(_filler(30))
    fields = ["能源", "农业", "电子信息", "生物医药"]
    demands = [
        Document(id=f"d{i}", title=f"征集氢能储运方案{i}", keywords=("储运",), attrs={"fields": [f]})
        for i, f in enumerate(fields)
    ]
    learned = idx.learn_boilerplate(demands)
    assert "储运" not in learned
    assert "方案" in learned


def test_field_length_is_normalised_over_the_documents_that_have_the_field():
    idx = MatchIndex(config=LEXICAL_ONLY)
    idx.add([*_filler(30), Document(id="pat", body="一种焊接机器人的视觉定位装置，包括相机与标定板")])
    body_terms = len(idx._field_terms(idx.get("pat"))["body"])
    # the 30 title-only records do not make the one abstract look 31 times too long
    assert idx._avg_lengths()["body"] == pytest.approx(body_terms)


def test_a_short_title_does_not_win_by_brevity_alone():
    # given: many short title-only records; the patent names both query words, the short title one
    titles = [Document(id=f"t{i}", title=f"{w}研究") for i, w in enumerate(["小麦", "水稻", "玉米"] * 20)]
    idx = MatchIndex(config=LEXICAL_ONLY)
    idx.add(
        [
            *titles,
            Document(id="short", title="视觉定位研究"),
            Document(
                id="pat",
                body="本发明公开了一种焊接机器人的视觉定位装置，包括相机、标定板与控制器，"
                "相机安装于机械臂末端，控制器根据标定结果修正焊枪位置，提高焊接精度。",
            ),
        ]
    )
    assert idx.search("焊接机器人视觉定位", k=1)[0].id == "pat"


def test_fusion_follows_the_score_gap_not_the_ratio():
    idx = MatchIndex(config={"fusion_temperature": 4.0})
    # the same ratios (1 : 0.5), different gaps: 20 points behind is hopeless, 1 point is close
    specific = idx._lexical_part(np.array([40.0, 20.0]))
    generic = idx._lexical_part(np.array([2.0, 1.0]))
    assert specific[0] == generic[0] == 1.0
    assert specific[1] == pytest.approx(np.exp(-20 / 4))
    assert generic[1] == pytest.approx(np.exp(-1 / 4))
    assert generic[1] > 0.7 > 0.01 > specific[1]


def test_document_length_normalisation_weighs_long_abstracts_down():
    # given: short title-only records and one long abstract; both kinds name 设计 once
    docs = [
        *_filler(30),
        Document(id="title", title="包装设计"),
        Document(
            id="abstract",
            body="本发明公开了一种焊接机器人的视觉定位装置，包括相机、标定板与控制器，相机安装于机械臂末端，"
            "控制器根据标定结果修正焊枪位置，提高焊接精度，结构设计简单，适用于汽车车身与船舶分段的焊接。",
        ),
    ]

    def scores(doc_b: float) -> dict[str, float]:
        idx = MatchIndex(config={**LEXICAL_ONLY, "doc_b": doc_b})
        idx.add(docs)
        plan = idx._query_terms(Document(id="q", title="设计"))
        internal, lexical = idx._lexical_candidates(plan, 10)
        name = {idx._doc_of[d.id]: d.id for d in docs}
        return {name[int(d)]: float(s) for d, s in zip(internal, lexical, strict=True)}

    per_field, whole = scores(0.0), scores(0.5)
    assert set(per_field) == set(whole) == {"title", "abstract"}
    # when the whole document's length counts, the abstract loses ground against the short title
    assert whole["abstract"] / whole["title"] < 0.8 * per_field["abstract"] / per_field["title"]


def test_a_common_word_counts_less_in_the_body_than_a_rare_one():
    # given: 研究 is in every document (low idf), 焊接 in one; both abstracts name their word once
    docs = [Document(id=f"t{i}", title=f"作物研究{i}") for i in range(30)]
    docs += [
        Document(id="common", body="本文研究一种新的方法并给出实验结果与分析"),
        Document(id="rare", body="本文提出一种新的焊接方法并给出实验结果与分析"),
    ]

    def body_share(floor: float, query: str, doc_id: str) -> float:
        idx = MatchIndex(config={**LEXICAL_ONLY, "body_idf_floor": floor})
        idx.add(docs)
        internal, lexical = idx._lexical_candidates(idx._query_terms(Document(id="q", title=query)), 40)
        return dict(zip(internal.tolist(), lexical.tolist(), strict=True))[idx._doc_of[doc_id]]

    # the floor weighs the body mention of 研究 down; 焊接 (idf 3.1, above the floor) keeps its weight
    assert body_share(2.5, "研究", "common") < 0.5 * body_share(0.0, "研究", "common")
    assert body_share(2.5, "焊接", "rare") == pytest.approx(body_share(0.0, "焊接", "rare"))
