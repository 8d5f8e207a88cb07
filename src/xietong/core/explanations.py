"""The matching engine's `Explanation` in the reader's language, now or later.

The engine explains in Chinese (it has no catalogue, `render_zh`). A page rebuilds its line from the parts
instead (`text`), and a record that keeps why it was made (a chain attachment's suggestion, an expert's seat)
stores the parts (`parts`, plain JSON) so that its page can show them in the language of whoever reads it
(`text` takes either). The matched words are the records' own (data) and stay as they are; so do the
structured features' reasons, which carry data too. In Chinese the line reads exactly as `render_zh()`.

Duck-typed over the engine's dataclasses: the kernel imports no engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

FIELD_LABELS = {
    "title": gettext_noop("标题匹配"),
    "keywords": gettext_noop("关键词匹配"),
    "body": gettext_noop("内容匹配"),
}
SEMANTIC_SHOWN = 0.5  # the engine's own threshold for saying "similar in meaning" when no word matched


def parts(why: Any) -> dict[str, Any]:
    """An `Explanation` as plain JSON to store with a record: matched words per field, whether the meaning
    was close, and the features' reasons."""
    return {
        "matched": [[m.field, list(m.terms)] for m in why.matched if m.terms],
        "semantic": bool(why.semantic_score >= SEMANTIC_SHOWN),
        "features": [c.reason for c in why.features if c.reason and c.contribution != 0],
    }


def nothing() -> dict[str, Any]:
    """The stored `parts` of a record made without any matching evidence (not the same as none kept)."""
    return {"matched": [], "semantic": False, "features": []}


def text(why: Any, *, max_terms: int = 5) -> str:
    """One line in the reader's language from an `Explanation` or from its stored `parts`."""
    data: Mapping[str, Any] = why if isinstance(why, Mapping) else parts(why)
    shown = [
        gettext("%(label)s：%(terms)s")
        % {"label": gettext(FIELD_LABELS.get(field, field)), "terms": gettext("、").join(terms[:max_terms])}
        for field, terms in data.get("matched") or []
        if terms
    ]
    if data.get("semantic") and not shown:
        shown.append(gettext("内容语义相近"))
    shown += [str(r) for r in data.get("features") or [] if r]
    return gettext("；").join(shown)
