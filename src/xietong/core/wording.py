"""Text kept as its template and parameters, so that a stored message is shown in its reader's language.

A notification is written once (often by a periodic job, in Chinese) and read later by whoever it went to,
in their language. The caller gives a `Wording`: a Chinese msgid with named ``%(…)s`` placeholders (marked
with ``gettext_noop`` so the catalogue has its English) and its parameters. It is a `str` holding the text in
the active language, so code that wants text gets text; `zh` is the Chinese record (e-mails, audit, old
readers) and `as_json` the plain form a model stores next to it; `render` words a stored form again when a
page shows it.

Parameters are data (names, titles, numbers, dates), shown as they are, except:
- ``<name>_fen`` (an int): an amount, also given to the template as ``<name>`` in the reader's money format;
- a nested `Wording` or a lazy translation (a label such as a to-do section's), looked up in the reader's
  language; stored as ``{"template": …, "params": …}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from xietong.core import money

RECORD_LANGUAGE = "zh-hans"


class Wording(str):
    """A template and its parameters; as a `str`, the text in the language active when it was made."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: Mapping[str, Any] | None = None) -> Wording:
        values = dict(params or {})
        made = super().__new__(cls, render(template, values))
        made.template, made.params = template, values
        return made

    def zh(self) -> str:
        """The Chinese record of this text."""
        with translation.override(RECORD_LANGUAGE):
            return render(self.template, self.params)

    def as_json(self) -> dict[str, Any]:
        return {"template": self.template, "params": {k: _plain(v) for k, v in self.params.items()}}


def zh(value: Any) -> str:
    """The Chinese record of a text given as a `Wording`, a lazy label or plain text (audit data, exports)."""
    if isinstance(value, Wording):
        return value.zh()
    with translation.override(RECORD_LANGUAGE):
        return str(value)


def _msgid(label: Promise) -> str:
    with translation.override(None):  # no catalogue: a lazy translation gives its msgid
        return str(label)


def _plain(value: Any) -> Any:
    if isinstance(value, Wording):
        return value.as_json()
    if isinstance(value, Promise):
        return {"template": _msgid(value), "params": {}}
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return json.loads(json.dumps(value, default=str)) if isinstance(value, list | dict) else str(value)


def _shown(value: Any) -> Any:
    if isinstance(value, Wording):
        return render(value.template, value.params)
    if isinstance(value, Mapping) and "template" in value:
        return render(str(value["template"]), value.get("params") or {})
    if isinstance(value, Promise):
        return str(value)
    return value


def render(template: str, params: Mapping[str, Any]) -> str:
    """The template in the active language, filled: amounts formatted, nested labels looked up. A catalogue
    entry that does not fit its parameters falls back to the Chinese template."""
    if not template:
        return ""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        shown[key] = _shown(value)
        if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            shown[key[: -len("_fen")]] = money.format_yuan(value)
    for candidate in (gettext(template), template):
        try:
            return candidate % shown
        except (KeyError, ValueError, TypeError):
            continue
    return template


def stored(form: Mapping[str, Any] | None, fallback: str) -> str:
    """A stored ``{"template", "params"}`` in the active language; without one, the text as stored."""
    if not form or not form.get("template"):
        return fallback
    return render(str(form["template"]), form.get("params") or {})
