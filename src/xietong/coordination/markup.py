"""Markdown in, safe HTML out: minutes, decisions, agreements and reports are written in Markdown.

Input naming a script (``<script>``, an ``on…=`` handler, a ``javascript:`` link, an ``<iframe>``…) is refused
with a Chinese message, so what is stored is what people meant; rendering still passes every document through
the nh3 sanitiser (ammonia's allow-list), so nothing stored before, or slipped past the check, can run.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xietong.core.errors import Invalid

MAX_CHARS = 20_000
UNSAFE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|frame|frameset|meta|link|base|svg|math)\b"
    r"|\bon[a-z]+\s*=|(java|vb)script\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)
TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip


def check(text: str | None, *, label: str, required: bool = False) -> str:
    """The text to store, or Invalid: empty when required, too long, or carrying a script."""
    text = (text or "").strip()
    if required and not text:
        raise Invalid(_("请填写%(label)s") % {"label": label}, field=label)
    if len(text) > MAX_CHARS:
        raise Invalid(
            _("%(label)s过长（上限 %(MAX_CHARS)s 字）") % {"label": label, "MAX_CHARS": MAX_CHARS},
            field=label,
        )
    if UNSAFE.search(text):
        raise Invalid(
            _("%(label)s含有脚本或不安全的网页代码（如 <script>、onerror=、javascript:），请删除后再提交")
            % {"label": label},
            field=label,
        )
    return text


def render(text: str | None) -> SafeString:
    """Pure: the Markdown as sanitised HTML (links get rel="noopener noreferrer")."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return mark_safe(
        nh3.clean(
            html, tags=TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}
        )
    )
