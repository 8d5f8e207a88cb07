"""Query analysis: request boilerplate is weighted down, bare numbers never match."""

import pytest

from xietong.matching import Document, MatchIndex
from xietong.matching.analysis import Analyzer


def test_boilerplate_does_not_outrank_content():
    idx = MatchIndex()
    idx.add(
        [
            Document(id="arctic", title="中俄北极合作开发研究"),
            Document(id="gas", title="乙烷甲烷混合气分离提纯工艺", body="一种从天然气中分离乙烷和甲烷的方法"),
            Document(id="other", title="小麦抗旱品种选育"),
        ]
    )
    hits = idx.search("征集乙烷、甲烷等技术的合作开发", k=3)
    assert hits[0].id == "gas"


def test_boilerplate_alone_still_finds_something():
    idx = MatchIndex()
    idx.add([Document(id="arctic", title="中俄北极合作开发研究"), Document(id="x", title="小麦抗旱品种选育")])
    assert [h.id for h in idx.search("合作开发", k=2)] == ["arctic"]


def test_operator_boilerplate_list_extends_the_shipped_one(tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text("# ours\n揭榜挂帅\n", encoding="utf-8")
    content, boilerplate = Analyzer(boilerplate=[extra]).split_boilerplate("揭榜挂帅：固态电池电解质")
    assert "揭榜挂帅" in boilerplate and "揭榜挂帅" not in content
    assert Analyzer().split_boilerplate("揭榜挂帅：固态电池电解质")[1] == ""


def test_bare_numbers_are_not_terms():
    words = Analyzer(char_ngrams=()).words("2024年 300 台 3.5 kW 5G 基站")
    assert "300" not in words and "3.5" not in words and "2024" not in words
    assert "5g" in words and "基站" in words


def test_explanation_leaves_out_boilerplate_and_numbers():
    idx = MatchIndex()
    idx.add(
        [Document(id="a", title="液冷热管理系统合作开发 2024", body="用于数据中心", keywords=("液冷热管理",))]
    )
    hit = idx.search("征集液冷热管理相关技术的合作开发，2024年", k=1)[0]
    terms = {t for m in hit.explanation.matched for t in m.terms}
    assert "液冷热管理" in terms
    assert not terms & {"合作开发", "征集", "2024", "相关技术"}


def test_listing_keywords_feed_the_segmenter(tmp_path):
    idx = MatchIndex(tmp_path / "idx")
    idx.add(
        [
            Document(id="lc", title="数据中心液冷热管理系统", keywords=("液冷热管理",)),
            Document(id="hx", title="冷热交替试验箱管理软件"),
        ]
    )
    assert "液冷热管理" in idx.analyzer.words("征集液冷热管理技术")
    hit = idx.search("征集液冷热管理技术", k=1)[0]
    assert hit.id == "lc"
    assert "液冷热管理" in {t for m in hit.explanation.matched for t in m.terms}
    reopened = MatchIndex(tmp_path / "idx")
    assert "液冷热管理" in reopened.analyzer.words("液冷热管理")
    # another index in the same process does not inherit the vocabulary
    assert "液冷热管理" not in MatchIndex().analyzer.words("液冷热管理")


def test_near_duplicates_do_not_lift_each_other_in_smoothing():
    import numpy as np

    # neighbour weights normalised to sum 1 (smooth_floor 0), so the gain is plain arithmetic
    idx = MatchIndex(config={"semantic_weight": 0, "smooth_floor": 0})
    same = dict(title="聚四氟乙烯绝缘电缆", body="聚四氟乙烯电缆护套，耐高温")
    idx.add([Document(id=f"c{i}", **same) for i in range(3)])
    idx.add([Document(id="v", title="聚四氟乙烯过滤阀门", body="聚四氟乙烯衬里阀门")])
    docs = np.array([idx._doc_of[i] for i in ("c0", "c1", "c2", "v")])
    scores = np.array([1.0, 1.0, 1.0, 0.2], dtype=np.float32)
    smoothed = idx._smooth(docs, scores)
    # a copy's gain comes from the distinct neighbour only: 0.6 × 0.2
    assert smoothed[0] == pytest.approx(1.0 + 0.6 * 0.2, abs=1e-5)
    idx.config = idx.config.replace(smooth_duplicate_cosine=1.01)
    assert idx._smooth(docs, scores)[0] > 1.4  # counted as neighbours, the copies would lift each other


def test_generic_word_standing_alone_is_boilerplate():
    """电池包快充散热技术需求: 技术 alone says nothing; with three listings its idf cannot tell, and as a
    title match it put the phase-change listing before the liquid-cooling one the demand's body asks for."""
    idx = MatchIndex()
    idx.add(
        [
            Document(
                id="liquid",
                title="动力电池液冷热管理系统",
                keywords=("热管理", "动力电池", "液冷"),
                body="面向新能源汽车动力电池包的液冷热管理系统，微通道冷板使电芯温差小于 3℃。",
            ),
            Document(
                id="pcm",
                title="电池包相变材料被动散热技术",
                keywords=("热管理", "相变材料", "电池包"),
                body="以复合相变材料吸收电池快充产生的热量，降低电池包峰值温度。",
            ),
            Document(
                id="ab",
                title="抗体药物连续流纯化工艺",
                keywords=("抗体", "纯化"),
                body="连续流层析纯化抗体药物。",
            ),
        ]
    )
    demand = Document(
        id="d",
        title="电池包快充散热技术需求",
        keywords=("热管理", "动力电池"),
        body="我司动力电池包快充时电芯温差过大，需要液冷热管理方案。",
    )
    hits = idx.search(demand, k=2)
    assert [h.id for h in hits] == ["liquid", "pcm"]
    assert "技术" not in {t for m in hits[1].explanation.matched for t in m.terms}


def test_generic_word_inside_a_longer_word_stays_content(tmp_path):
    analyzer = Analyzer()
    content, boilerplate = analyzer.split_boilerplate("激光焊接技术方案")
    assert boilerplate.split() == ["技术", "方案"] and "焊接" in content
    content, boilerplate = analyzer.split_boilerplate("技术创新管理研究")
    assert "技术创新" in content and boilerplate == ""
    extra = tmp_path / "extra.txt"
    extra.write_text("=工艺\n", encoding="utf-8")
    assert Analyzer(boilerplate=[extra]).split_boilerplate("纯化工艺")[1] == "工艺"
