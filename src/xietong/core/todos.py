"""The to-do registry: each app says what waits for an actor; the to-do centre lists it on one page.

Why a registry: the kernel must not import apps, yet one page shows applications to review, orders to
confirm, redemptions to approve and intents to answer. Each app registers a `TodoSource` in its
`AppConfig.ready()`; `count` and `items` take the actor and read through the app's own selectors, so a
to-do never shows what the actor may not see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from xietong.core import notifications
from xietong.core.actor import Actor, actor_for
from xietong.core.wording import Wording

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting; `title` and `detail` are data or a `core.wording.Wording`, so that the notice
    announcing the item is shown in its reader's language too."""

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
    """Add a source (call in AppConfig.ready()); its items can also be sent as notifications, event
    `todo.<key>`, which the preferences page lists under the source's label."""
    _SOURCES[source.key] = source
    notifications.register_event(f"todo.{source.key}", source.label)


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


def notify_waiting(users: Iterable, limit: int = 50) -> int:
    """Tell each user about every to-do waiting for them, once per item (the item's URL is the key): the
    periodic job in core.tasks runs this as often as it likes and each item is announced once."""
    sent = 0
    for user in users:
        actor = actor_for(user)
        for source, _n in counts(actor):
            for item in source.items(actor, limit):
                sent += notifications.notify(
                    [user],
                    event=f"todo.{source.key}",
                    key=item.url,
                    subject=Wording(
                        gettext_noop("%(label)s：%(title)s"), {"label": source.label, "title": item.title}
                    ),
                    body=item.detail,
                    url=item.url,
                )
    return sent


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
