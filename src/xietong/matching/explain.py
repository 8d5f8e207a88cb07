"""Matched terms per field: the words a query and a hit really share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .analysis import Analyzer, normalize_text
from .types import FIELDS, Document, FieldMatch

MAX_TERMS_PER_FIELD = 8


def _readable(term: str) -> bool:
    return len(term) >= 2


@dataclass(frozen=True)
class QueryWords:
    """A query's side of the explanations, analysed once per search (not once per hit).

    ``text`` is the normalised query text; ``words`` its readable words (boilerplate left out, the
    author's keywords whole) that occur in that text.
    """

    text: str
    words: tuple[str, ...]


def query_words(analyzer: Analyzer, query: Document) -> QueryWords:
    """The words of ``query`` that an explanation may show (see :func:`matched_terms`)."""
    query_text = normalize_text(query.text)
    content, _ = analyzer.split_boilerplate(query.text)  # 征集 / 合作开发 never show as a match
    found = set(analyzer.words(content))
    found.update(normalize_text(k).strip() for k in query.keywords)
    return QueryWords(query_text, tuple(sorted(t for t in found if t and _readable(t) and t in query_text)))


def matched_terms(
    analyzer: Analyzer,
    query: Document,
    document: Document,
    rarity: Callable[[str], float],
    *,
    words: QueryWords | None = None,
) -> tuple[FieldMatch, ...]:
    """Shared words per field of ``document``, rarest first, without words inside longer matched ones.

    Every returned term occurs (after NFKC and lower-casing) in the query's text and in that field's
    text: the words come from both texts' own segmentation and are checked as substrings. ``words``
    is the query's side (:func:`query_words`), computed once when a search explains many hits; a field
    that contains none of them as a substring is not segmented at all.

    Examples
    --------
    >>> a = Analyzer(char_ngrams=())
    >>> q = Document(id="q", body="电池热管理")
    >>> d = Document(id="d", title="动力电池热管理系统")
    >>> matched_terms(a, q, d, lambda t: 0.0)
    (FieldMatch(field='title', terms=('热管理', '电池')),)
    """
    words = words if words is not None else query_words(analyzer, query)
    out = []
    for field in FIELDS:
        field_text = normalize_text(document.field_text(field))
        present = [t for t in words.words if t in field_text]
        if not present or not field_text.strip():
            continue
        field_words = set(analyzer.words(field_text))
        if field == "keywords":
            field_words.update(normalize_text(k).strip() for k in document.keywords)
        shared = [t for t in present if t in field_words]
        shared = [t for t in shared if not any(t != o and t in o for o in shared)]
        shared.sort(key=lambda t: (-rarity(t), -len(t), t))
        if shared:
            out.append(FieldMatch(field=field, terms=tuple(shared[:MAX_TERMS_PER_FIELD])))
    return tuple(out)
