"""Matched terms per field: the words a query and a hit really share."""

from __future__ import annotations

from collections.abc import Callable

from .analysis import Analyzer, normalize_text
from .types import FIELDS, Document, FieldMatch

MAX_TERMS_PER_FIELD = 8


def _readable(term: str) -> bool:
    return len(term) >= 2


def matched_terms(
    analyzer: Analyzer, query: Document, document: Document, rarity: Callable[[str], float]
) -> tuple[FieldMatch, ...]:
    """Shared words per field of ``document``, rarest first, without words inside longer matched ones.

    Every returned term occurs (after NFKC and lower-casing) in the query's text and in that field's
    text: the words come from both texts' own segmentation and are checked as substrings.

    Examples
    --------
    >>> a = Analyzer(char_ngrams=())
    >>> q = Document(id="q", body="电池热管理")
    >>> d = Document(id="d", title="动力电池热管理系统")
    >>> matched_terms(a, q, d, lambda t: 0.0)
    (FieldMatch(field='title', terms=('热管理', '电池')),)
    """
    query_text = normalize_text(query.text)
    content, _ = analyzer.split_boilerplate(query.text)  # 征集 / 合作开发 never show as a match
    query_words = set(analyzer.words(content))
    query_words.update(normalize_text(k).strip() for k in query.keywords)
    out = []
    for field in FIELDS:
        field_text = normalize_text(document.field_text(field))
        if not field_text.strip():
            continue
        field_words = set(analyzer.words(field_text))
        if field == "keywords":
            field_words.update(normalize_text(k).strip() for k in document.keywords)
        shared = [
            t for t in query_words & field_words if t and _readable(t) and t in query_text and t in field_text
        ]
        shared = [t for t in shared if not any(t != o and t in o for o in shared)]
        shared.sort(key=lambda t: (-rarity(t), -len(t), t))
        if shared:
            out.append(FieldMatch(field=field, terms=tuple(shared[:MAX_TERMS_PER_FIELD])))
    return tuple(out)
