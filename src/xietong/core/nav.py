"""The top navigation, assembled from what each app registers in its AppConfig.ready().

Apps add their pages here instead of editing the base template, so an app carries its own menu
entries and the base template never needs to know which apps exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xietong.core.actor import Actor


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation of the Chinese label
    url_name: str
    order: int = 100
    is_visible: Callable[[Actor], bool] = lambda actor: True


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.url_name] = item


def items_for(actor: Actor | None) -> list[dict[str, str]]:
    out = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.url_name)):
        if actor is None or not item.is_visible(actor):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": str(item.label), "url": url, "url_name": item.url_name})
    return out
