"""Plain result types of the matching engine: documents in, hits with explanations out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FIELDS: tuple[str, ...] = ("title", "keywords", "body")
FIELD_LABELS_ZH: dict[str, str] = {"title": "标题匹配", "keywords": "关键词匹配", "body": "内容匹配"}


@dataclass(frozen=True)
class Document:
    """One listing (achievement, demand, expert, lab, …) to index or to use as a query.

    Parameters
    ----------
    id : str
        Caller's identifier, unique in an index; adding an existing id replaces the document.
    title, body : str
        Free text in Chinese (or mixed).
    keywords : tuple of str
        Author or operator keywords; each is also indexed as one exact term.
    attrs : mapping
        Structured attributes used by the features (see ``xietong.matching.features``), e.g.
        ``{"kind": "achievement", "fields": ["新能源"], "zones": ["长三角"], "trl": 7}``.

    Examples
    --------
    >>> Document(id="a1", title="动力电池热管理", keywords=("热管理",)).text
    '动力电池热管理\\n热管理\\n'
    """

    id: str
    title: str = ""
    body: str = ""
    keywords: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError("Document.id must be a non-empty string")
        if isinstance(self.keywords, str):
            object.__setattr__(self, "keywords", (self.keywords,))
        else:
            object.__setattr__(self, "keywords", tuple(self.keywords))

    @property
    def text(self) -> str:
        """All text fields joined by newlines (title, keywords, body)."""
        return "\n".join((self.title, " ".join(self.keywords), self.body))

    def field_text(self, name: str) -> str:
        if name == "keywords":
            return " ".join(self.keywords)
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "keywords": list(self.keywords),
            "attrs": dict(self.attrs),
        }

    @classmethod
    def from_dict(cls, doc_id: str, data: Mapping[str, Any]) -> Document:
        return cls(
            id=doc_id,
            title=data.get("title", ""),
            body=data.get("body", ""),
            keywords=tuple(data.get("keywords", ())),
            attrs=dict(data.get("attrs", {})),
        )


@dataclass(frozen=True)
class FieldMatch:
    """Terms of the query that occur in one field of the hit (most specific first)."""

    field: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Contribution:
    """One structured feature's part of the score: ``contribution = weight * value``."""

    name: str
    value: float
    weight: float
    contribution: float
    reason: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why a document matched: the text part, the matched terms per field, each feature's part."""

    text_score: float
    lexical_score: float
    semantic_score: float
    matched: tuple[FieldMatch, ...] = ()
    features: tuple[Contribution, ...] = ()

    def terms(self, field_name: str | None = None) -> tuple[str, ...]:
        """Matched terms of one field, or of all fields without repeats."""
        seen: dict[str, None] = {}
        for match in self.matched:
            if field_name is None or match.field == field_name:
                seen.update(dict.fromkeys(match.terms))
        return tuple(seen)

    def render_zh(self, *, max_terms: int = 5) -> str:
        """One line of Chinese for a page, e.g. ``关键词匹配：热管理、动力电池；同属长三角``."""
        parts = [
            f"{FIELD_LABELS_ZH.get(m.field, m.field)}：{'、'.join(m.terms[:max_terms])}"
            for m in self.matched
            if m.terms
        ]
        if self.semantic_score >= 0.5 and not parts:
            parts.append("内容语义相近")
        parts += [c.reason for c in self.features if c.reason and c.contribution != 0]
        return "；".join(parts)

    def __str__(self) -> str:
        return self.render_zh()


@dataclass(frozen=True)
class Hit:
    """One search result: the document id, its combined score and why it matched."""

    id: str
    score: float
    explanation: Explanation
