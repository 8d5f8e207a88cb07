"""Acceptance of issue 12: for every demo account and an anonymous visitor, every link on every page they reach
answers 2xx or 3xx: a link that would fail for a role is not shown to it. The walk is made in English, so the
same pass also finds every page that still shows a Chinese UI string untranslated (`tests/web/ui_text.py`).

Django's test client over the loaded demo data (no browser). Bounded so it fits in `make test`: pages are
deduplicated by URL pattern (the route plus the names of the query parameters) with a cap per pattern, and a
cap per role. One test item that walks every role, so the demo is loaded once and no xdist worker repeats it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.clients import client_for
from tests.web.ui_text import untranslated
from xietong.chains.models import Chain, Segment
from xietong.core.demos import demo_modules
from xietong.evaluation.models import FrameworkVersion
from xietong.regions.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

PER_PATTERN = 2  # pages fetched per URL pattern and role
PER_ROLE = 260  # pages fetched per role at most
LINK = re.compile(r"""<a\b[^>]*?\shref="([^"#][^"]*)"|\shx-get="([^"]+)\"""", re.IGNORECASE)
# not pages: the browser's own, the static files (checked by the static tests), and the admin's own site
SKIPPED_PREFIXES = ("/static/", "/admin/", "/api/v1/docs", "/api/v1/openapi.json")


def _accounts() -> list[str]:
    from xietong.orgs.demo import DEMO_ACCOUNTS

    names = [a.username for a in DEMO_ACCOUNTS]
    for module in demo_modules():
        names += [row[0] for row in getattr(module, "EXTRA_ACCOUNTS", [])]
    return list(dict.fromkeys(names))


def _pattern(path: str, query: str) -> str | None:
    """The route a URL resolves to plus its query's parameter names; None for what is no page of the site."""
    try:
        match = resolve(path)
    except Resolver404:
        return f"unresolved:{path}"
    keys = ",".join(sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)} - {"page"}))
    return f"{match.route}?{keys}"


def _links(html: str, here: str) -> list[str]:
    out = []
    for a, hx in LINK.findall(html):
        href = unescape(a or hx).strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "http:", "https:", "//")):
            continue
        if href.startswith("?"):
            href = urlsplit(here).path + href
        if not href.startswith("/") or href.startswith(SKIPPED_PREFIXES):
            continue
        out.append(href.split("#", 1)[0])
    return out


def _crawl(
    client, role: str, chinese_left: dict[str, set[str]], names: frozenset[str]
) -> tuple[list[str], int]:
    """Breadth-first from the home page; returns the failures and the number of pages fetched, and adds to
    `chinese_left` (route → untranslated UI strings) what each HTML page still shows in Chinese."""
    seen_urls: set[str] = set()
    per_pattern: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    failures, fetched = [], 0
    while queue and fetched < PER_ROLE:
        url, source = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        parts = urlsplit(url)
        pattern = _pattern(parts.path, parts.query)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = client.get(url)
        fetched += 1
        if not 200 <= response.status_code < 400:
            failures.append(f"{role}: {url} → {response.status_code} (linked from {source})")
            continue
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            if left := untranslated(html, names=names):
                chinese_left.setdefault(pattern, set()).update(left)
            for link in _links(html, url):
                if link not in seen_urls:
                    queue.append((link, url))
    return failures, fetched


def test_every_link_a_role_is_shown_answers_2xx_or_3xx(settings, tmp_path):
    # given the demo, as a newcomer finds it
    settings.MEDIA_ROOT, settings.XIETONG_PRIVATE_ROOT = tmp_path / "media", tmp_path / "private"
    call_command("load_demo", stdout=open("/dev/null", "w"))
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_accounts())}
    roles = ["anonymous", *sorted(users)]
    assert len(users) == len(_accounts())  # every demo account exists
    # when each role walks every link it is shown
    # people's and places' names are data, even when one equals a label (the account called 平台管理员)
    names = frozenset(u.get_full_name() for u in users.values()) | frozenset(
        n for z in Zone.objects.all() for n in (z.name, z.short_name)
    )
    # ... and so are an index framework's indicator names (its authors' own words, e.g. 技术交易)
    names |= frozenset(row.get("iName", "") for v in FrameworkVersion.objects.all() for row in v.table)
    # ... and so are the names of industry chains and their segments (an operator imports them as they are)
    names |= frozenset(Chain.objects.values_list("name", flat=True)) | frozenset(
        Segment.objects.values_list("name", flat=True)
    )
    failures, total, chinese_left = [], 0, {}
    for role in roles:
        client = client_for(users.get(role))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        found, fetched = _crawl(client, role, chinese_left, names)
        failures += found
        total += fetched
    # then none of them fails, and the English pages show no Chinese UI text
    assert failures == []
    # every page, the apps added since included, is in English apart from data (names, imported texts)
    left = {route: sorted(words) for route, words in sorted(chinese_left.items())}
    assert left == {}
    assert total > 40 * len(roles)  # the walk really went through the site, not just the home page
