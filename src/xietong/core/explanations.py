"""The matching engine's `Explanation` in the reader's language, now or later.

The engine explains in Chinese (it has no catalogue, `render_zh`). A page rebuilds its line from the parts
instead (`text`), and a record that keeps why it was made (a chain attachment's suggestion, an expert's seat)
stores the parts (`parts`, plain JSON) so that its page can show them in the language of whoever reads it
(`text` takes either). The matched words are the records' own (data) and stay as they are; a structured
feature's reason is worded from the template and parameters the engine gives with it
(`matching.features.Reason`). In Chinese the line reads exactly as `render_zh()`.

Duck-typed over the engine's dataclasses: the kernel imports no engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

from xietong.core import money

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
        "features": [_feature(c.reason) for c in why.features if c.reason and c.contribution != 0],
    }


def _feature(reason: Any) -> Any:
    """A feature's reason as stored: its template and parameters when the engine gave them, else its text."""
    template = getattr(reason, "template", None)
    if template is None:
        return str(reason)
    return {"template": template, "params": json.loads(json.dumps(dict(reason.params), default=str))}


def _feature_text(reason: Any) -> str:
    """A stored feature reason in the reader's language: its Chinese template looked up (English in the
    catalogue), names and labels in lists looked up one by one (a label like 装备制造 has English, a name
    stays), amounts formatted for the reader."""
    if not isinstance(reason, Mapping):
        return str(reason)
    params = dict(reason.get("params") or {})
    template = str(reason.get("template", ""))
    translated = gettext(template)
    for key in ("price", "budget"):  # the engine's own 万元 / 元 wording stays in Chinese
        if translated != template and isinstance(params.get(f"{key}_fen"), int):
            params[key] = money.format_yuan(params[f"{key}_fen"])
    shown = {
        k: gettext("、").join(gettext(str(v)) for v in value) if isinstance(value, list) else value
        for k, value in params.items()
    }
    if isinstance(shown.get("kind"), str):
        shown["kind"] = gettext(shown["kind"])
    try:
        return translated.format(**shown)
    except (KeyError, IndexError, ValueError):  # a catalogue entry that does not fit: the Chinese template
        return template.format(**shown)


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
    shown += [_feature_text(r) for r in data.get("features") or [] if r]
    return gettext("；").join(shown)
