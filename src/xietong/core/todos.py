"""The to-do registry: each app says what waits for an actor; the to-do centre lists it on one page.

Why a registry: the kernel must not import apps, yet one page shows applications to review, orders to
confirm, redemptions to approve and intents to answer. Each app registers a `TodoSource` in its
`AppConfig.ready()`; `count` and `items` take the actor and read through the app's own selectors, so a
to-do never shows what the actor may not see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xietong.core.actor import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    due: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class TodoSource:
    key: str
    label: str  # a lazy translation of the Chinese label
    count: Callable[[Actor], int]
    items: Callable[[Actor, int], list[TodoItem]]
    order: int = field(default=100)


_SOURCES: dict[str, TodoSource] = {}


def register(source: TodoSource) -> None:
    _SOURCES[source.key] = source


def sources() -> list[TodoSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def counts(actor: Actor | None) -> list[tuple[TodoSource, int]]:
    """The sources with something waiting for the actor, with how many (anonymous: nothing)."""
    if actor is None or not actor.is_authenticated:
        return []
    out = []
    for source in sources():
        n = source.count(actor)
        if n:
            out.append((source, n))
    return out


def total(actor: Actor | None) -> int:
    return sum(n for _, n in counts(actor))


def sections(actor: Actor | None, limit: int = 20) -> list[dict]:
    """What the to-do centre shows: each non-empty source with its count and its first `limit` items."""
    return [
        {"key": s.key, "label": str(s.label), "count": n, "items": s.items(actor, limit)}
        for s, n in counts(actor)
    ]


# -- where a user lands after login --------------------------------------------------------------------

_LANDINGS: list[tuple[int, Callable[[Actor], bool], str]] = []


def register_landing(url_name: str, applies: Callable[[Actor], bool], order: int = 100) -> None:
    """A page that replaces the to-do centre as the landing page for actors `applies` holds for
    (the zone office's cockpit); the first registered by order wins."""
    _LANDINGS.append((order, applies, url_name))
    _LANDINGS.sort(key=lambda t: t[0])


def landing_url_name(actor: Actor) -> str:
    for _order, applies, url_name in _LANDINGS:
        if applies(actor):
            return url_name
    return "core:todos"
