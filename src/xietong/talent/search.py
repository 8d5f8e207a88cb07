"""The expert index: one `xietong.matching.MatchIndex` over the expert library, and affinities for review.

Unlike the marketplace's on-disk indexes (`transfer.search`), the expert library is small (thousands of
rows), so each process keeps the index in memory and rebuilds it when the library's fingerprint (row
count and latest change of experts and their profiles) moves. The documents are the profile's expertise,
keywords, fields and linked achievements.

The index runs lexical only (BM25 over words and character bigrams, plus the structured features): the
engine's semantic layer is fitted when documents are added, and on this machine that fit took 15 s for
the 300 demo experts against 0.3 s without it, too long for the request that rebuilds the index.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from xietong.matching import Document, Hit, MatchIndex
from xietong.regions import selectors as region_selectors
from xietong.talent.enums import TitleRank

log = logging.getLogger(__name__)
CONFIG = {"semantic_weight": 0.0}
TITLE_LABELS = dict(TitleRank.choices)
_lock = threading.Lock()
_cache: dict[str, object] = {"fingerprint": None, "index": None}


def expert_document(expert, zones: dict[str, list[str]] | None = None) -> Document:
    """Pure over loaded rows: the expert as a matching document (profile text, keywords, achievements)."""
    profile = expert.profile
    achievements = [a.title for a in profile.achievements.all()]
    code = profile.region_id
    if zones is None:
        zones = {}
    if code not in zones:
        zones[code] = [z.short_name for z in region_selectors.zones_for_region(code)]
    return Document(
        id=str(expert.pk),
        title="、".join([*expert.fields, profile.discipline]),
        body="\n".join(filter(None, (profile.expertise, *achievements))),
        keywords=tuple(profile.keywords),
        attrs={
            "kind": "expert",
            "fields": list(expert.fields),
            "zones": zones[code],
            "region": code,
            "province": code[:2] + "0000",
        },
    )


def item_document(*, item_id: str, title: str, text: str, region_code: str = "") -> Document:
    attrs = {"kind": "review_item"}
    if region_code:
        attrs["region"] = region_code
    return Document(id=f"item:{item_id}", title=title, body=text, attrs=attrs)


def index_for(fingerprint, load_experts) -> MatchIndex:
    """The cached index, rebuilt from `load_experts()` when `fingerprint` differs from the cached one."""
    with _lock:
        if _cache["fingerprint"] != fingerprint or _cache["index"] is None:
            index = MatchIndex(config=CONFIG)
            zones: dict[str, list[str]] = {}
            docs = [expert_document(e, zones) for e in load_experts()]
            if docs:
                index.add(docs)
            _cache["index"], _cache["fingerprint"] = index, fingerprint
        return _cache["index"]  # type: ignore[return-value]


def reset() -> None:
    with _lock:
        _cache["index"], _cache["fingerprint"] = None, None


def ranked(
    index: MatchIndex, query: str | Document, *, k: int, allowed: Iterable[int] | None = None
) -> list[Hit]:
    """Hits among `allowed` expert ids (all when None), best first."""
    allowed_ids = None if allowed is None else {str(i) for i in allowed}
    if allowed_ids is not None and not allowed_ids:
        return []
    try:
        hits = index.search(query, k=max(k, len(allowed_ids) if allowed_ids is not None else k))
    except Exception:
        log.exception("expert index search failed")
        return []
    if allowed_ids is not None:
        hits = [h for h in hits if h.id in allowed_ids]
    return hits[:k]
