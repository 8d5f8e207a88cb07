"""Which segments an organisation's business scope fits: an in-memory `xietong.matching.MatchIndex` of every
segment (name, keywords, description, technology fields), queried with the organisation's name,
description and industry.

Segments are few (hundreds), so the index lives in memory and is rebuilt whenever the chains' structure
changes (the sum of chain versions and the segment count form its stamp), in every process alike.
"""

from __future__ import annotations

import threading

from xietong.chains import selectors
from xietong.matching import Document, Hit, MatchIndex
from xietong.orgs.enums import Industry

INDUSTRY_LABELS = dict(Industry.choices)
_lock = threading.Lock()
_state: dict = {"stamp": None, "index": None}


def _index() -> MatchIndex:
    stamp = selectors.structure_stamp()
    with _lock:
        if _state["stamp"] != stamp:
            index = MatchIndex()
            index.add(
                Document(
                    id=str(s.pk), title=s.name, keywords=tuple(s.keywords),
                    body="\n".join(filter(None, (s.description, "、".join(s.tech_fields), s.chain.name))),
                )
                for s in selectors.segments_for_index()
            )  # fmt: skip
            _state.update(stamp=stamp, index=index)
        return _state["index"]


def organisation_document(org) -> Document:
    industry = INDUSTRY_LABELS.get(org.industry, "") if org.industry and org.industry != "other" else ""
    return Document(
        id=f"org:{org.pk}", title=org.name, body="\n".join(filter(None, (org.description, industry)))
    )


def suggest_segments(org, *, k: int = 3, min_score: float = 0.35, relative: float = 0.5) -> list[Hit]:
    """The best-fitting segments for an organisation, with the matching engine's explanation: at most `k`,
    each scoring at least `min_score` and at least `relative` of the best hit's score (a clear runner-up,
    not the long tail of single shared words)."""
    hits = _index().search(organisation_document(org), k=k * 3)
    if not hits:
        return []
    floor = max(min_score, relative * hits[0].score)
    return [h for h in hits if h.score >= floor][:k]
