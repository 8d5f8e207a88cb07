"""The UI's Chinese source strings (msgids), read from the code as it is now, and a finder of those that an
English page still shows untranslated. Used by the crawl test.

Strict where it matters and blind to user data: a page is flagged only for text that the code itself declares
as UI text (a `{% translate %}`, a `gettext`/`_()` call, a choice label), found as a whole text node or as
a placeholder/title/aria-label (a piece of a longer text may be data that quotes a label, so it is not judged). Names, titles and descriptions that people
typed are not msgids, so they never flag; a new untranslated msgid does, the day it is added.

A sentence built from a template with placeholders (a chain gap's reason, an expert's seat) is never a whole
msgid, so it is caught by the template's fixed wording instead: a text node containing a long fixed part of
such a template (`fragments`) was filled in Chinese, not in the reader's language.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from html import unescape
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "xietong"
CJK = re.compile(r"[\u3400-\u9fff]")
_TEMPLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
_TEMPLATE_ARG = re.compile(r"""\b_\(\"([^\"]+)\"\)""")  # {% include … with title=_("本机构的挂链") %}
_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b[^%]*%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_PYTHON = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|gettext_noop|pgettext|pgettext_lazy)\(\s*(["'])(.+?)\1\s*[,)]"""
)
_CHOICE = re.compile(
    r"""^\s+[A-Z_0-9]+\s*=\s*[^\n]*?,\s*(["'])([^"'\n]*[\u3400-\u9fff][^"'\n]*)\1\s*$""", re.M
)
_TEXT = re.compile(r">([^<>]+)<")
_ATTR = re.compile(r"""\s(?:placeholder|title|aria-label)="([^"]*)\"""")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


@lru_cache(maxsize=1)
def msgids() -> frozenset[str]:
    """Every Chinese msgid the code declares, without placeholders (blocktranslate bodies with variables are
    split at them, so their fixed parts still count)."""
    found: set[str] = set()
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m[1] for m in _TEMPLATE.findall(text)}
        found |= set(_TEMPLATE_ARG.findall(text))
        for body in _BLOCK.findall(text):
            found |= {part.strip() for part in re.split(r"\{\{.*?\}\}", body)}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found |= {m[1] for m in _PYTHON.findall(text)}
        if path.name == "enums.py" or path.name == "roles.py":
            found |= {m[1] for m in _CHOICE.findall(text)}
    return frozenset(s for s in found if CJK.search(s) and len(s) >= 2)


_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext", "pgettext_lazy"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}")
_EDGE = "，。；：、（）()“”‘’《》·…—-–<>≥≤ \n\t"
FRAGMENT_MIN_CJK = 6  # a fixed part this long is wording, not a word that data could happen to contain


@lru_cache(maxsize=1)
def fragments() -> frozenset[str]:
    """The fixed Chinese parts of the code's msgids that have placeholders ("%(name)s在该环节区位熵 %(rca)s…" →
    "在该环节区位熵"), at least `FRAGMENT_MIN_CJK` characters long. A page showing one has filled the Chinese
    template instead of the reader's (an f-string, or text stored in Chinese and shown as stored)."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in _CALLS:
                continue
            for arg in node.args[:2]:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and _PLACEHOLDER.search(arg.value)
                ):
                    found |= {p.strip(_EDGE) for p in _PLACEHOLDER.split(arg.value)}
    for path in SRC.rglob("*.html"):
        for body in _BLOCK.findall(path.read_text(encoding="utf-8")):
            found |= {p.strip(_EDGE) for p in re.split(r"\{\{.*?\}\}", body)}
    return frozenset(f for f in found if len(CJK.findall(f)) >= FRAGMENT_MIN_CJK)


# Shown in Chinese on purpose: the brand beside its "Xietong", and a language's own name in the switcher
ALLOWED = frozenset({"协同", "简体中文"})


def untranslated(html: str, *, names: frozenset[str] = frozenset()) -> set[str]:
    """The declared Chinese UI strings an (English) page shows as they are; `names` are data that may equal
    a msgid by chance (a demo account called 平台管理员, a zone called 长三角) and are not flagged."""
    known = msgids() - ALLOWED - names
    wording = fragments()
    html = _SCRIPT.sub("", html)
    out: set[str] = set()
    for chunk in [*_TEXT.findall(html), *_ATTR.findall(html)]:
        text = unescape(chunk).strip()
        if not text or not CJK.search(text):
            continue
        if text in known:
            out.add(text)
        elif text not in names and (inside := [f for f in wording if f in text]):
            out.add(f"{text} [{inside[0]}]")
    return out
