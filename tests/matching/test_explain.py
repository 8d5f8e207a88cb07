"""Explanations name only terms that really occur in both texts (property test)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xietong.matching import Analyzer, Document, MatchConfig, MatchIndex, normalize_text
from xietong.matching.explain import MAX_TERMS_PER_FIELD, matched_terms, query_words
from xietong.matching.types import FIELDS, FieldMatch

VOCABULARY = [
    "动力电池",
    "热管理",
    "新能源汽车",
    "储能",
    "锂离子电池",
    "正极材料",
    "小麦",
    "抗旱",
    "育种",
    "传感器",
    "芯片",
    "封装",
    "测试",
    "机器人",
    "控制",
    "算法",
    "系统",
    "材料",
    "制备",
    "方法",
    "的",
    "了",
    "和",
    "Li-ion",
    "5G",
    "ＡＩ",
    "，",
    "。",
    "（",
    "）",
    " ",
    "\n",
    "电",
    "池",
    "热",
    "管",
]
texts = st.lists(st.sampled_from(VOCABULARY), max_size=12).map("".join)
free_texts = st.text(
    alphabet=st.characters(codec="utf-8", categories=("Lo", "Nd", "Lu", "Ll", "Po", "Zs")), max_size=30
)
any_text = st.one_of(texts, free_texts)
documents = st.builds(
    Document,
    id=st.uuids().map(str),
    title=any_text,
    body=any_text,
    keywords=st.lists(any_text, max_size=3).map(tuple),
)
ANALYZER = Analyzer()


@settings(max_examples=150, deadline=None)
@given(query=documents, document=documents)
def test_matched_terms_occur_in_query_and_field(query, document):
    for match in matched_terms(ANALYZER, query, document, lambda t: 0.0):
        field_text = normalize_text(document.field_text(match.field))
        for term in match.terms:
            assert term in normalize_text(query.text)
            assert term in field_text


def _matched_terms_per_hit(analyzer, query, document, rarity):
    """The explanation as it was computed before issue 13's latency work: the query re-analysed for
    every hit and every field segmented (the reference the faster version must equal)."""
    query_text = normalize_text(query.text)
    content, _ = analyzer.split_boilerplate(query.text)
    words = set(analyzer.words(content))
    words.update(normalize_text(k).strip() for k in query.keywords)
    out = []
    for field in FIELDS:
        field_text = normalize_text(document.field_text(field))
        if not field_text.strip():
            continue
        field_words = set(analyzer.words(field_text))
        if field == "keywords":
            field_words.update(normalize_text(k).strip() for k in document.keywords)
        shared = [t for t in words & field_words if t and len(t) >= 2 and t in query_text and t in field_text]
        shared = [t for t in shared if not any(t != o and t in o for o in shared)]
        shared.sort(key=lambda t: (-rarity(t), -len(t), t))
        if shared:
            out.append(FieldMatch(field=field, terms=tuple(shared[:MAX_TERMS_PER_FIELD])))
    return tuple(out)


@settings(max_examples=200, deadline=None)
@given(query=documents, hits=st.lists(documents, min_size=1, max_size=4))
def test_query_analysed_once_explains_as_per_hit_analysis(query, hits):
    # given: the query's side analysed once for the whole search
    words = query_words(ANALYZER, query)
    rarity = lambda t: float(len(t) % 3)  # noqa: E731  (any rarity: ties broken by length and text)
    # when / then: each hit's explanation is the one the per-hit analysis gives
    for document in hits:
        assert matched_terms(ANALYZER, query, document, rarity, words=words) == _matched_terms_per_hit(
            ANALYZER, query, document, rarity
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus=st.lists(documents, min_size=1, max_size=6, unique_by=lambda d: d.id), query=any_text)
def test_hits_explain_only_shared_terms(corpus, query):
    # given
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0))
    index.add(corpus)
    by_id = {d.id: d for d in corpus}
    # when
    hits = index.search(query, k=10)
    # then: every named term is in the query and in that field of the hit
    for hit in hits:
        document = by_id[hit.id]
        for match in hit.explanation.matched:
            for term in match.terms:
                assert term in normalize_text(query)
                assert term in normalize_text(document.field_text(match.field))
        rendered = hit.explanation.render_zh()
        assert "\n" not in rendered or any("\n" in t for m in hit.explanation.matched for t in m.terms)


@settings(max_examples=30, deadline=None)
@given(corpus=st.lists(documents, min_size=2, max_size=8, unique_by=lambda d: d.id), data=st.data())
def test_delete_then_search_never_returns_deleted(corpus, data):
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0, max_segments=2))
    for document in corpus:
        index.add([document])
    gone = data.draw(st.sets(st.sampled_from([d.id for d in corpus])))
    index.delete(gone)
    query = data.draw(any_text)
    assert not {h.id for h in index.search(query, k=20)} & gone
    assert len(index) == len(corpus) - len(gone)


def test_render_zh_example():
    index = MatchIndex(config=MatchConfig(semantic_weight=0.0))
    index.add(
        [
            Document(
                id="a1",
                keywords=("热管理", "动力电池"),
                attrs={"zones": ["长三角"], "trl": 7},
            )
        ]
    )
    query = Document(id="d", body="动力电池热管理", attrs={"zones": ["长三角"], "trl_min": 6})
    text = index.search(query, k=1)[0].explanation.render_zh()
    assert text == "关键词匹配：动力电池、热管理；同属长三角；成熟度 TRL 7 满足需求"
