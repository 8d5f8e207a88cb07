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


# Entries of one app share a menu (a dropdown) under the app's name; an app with one entry gets a plain link.
# Keyed by the URL namespace of the entries; each app registers its own label in its AppConfig.ready().
_GROUP_LABELS: dict[str, str] = {}


def register_group(key: str, label: str) -> None:
    """Name the menu of the entries whose URL names start with `key:` (label: a lazy translation)."""
    _GROUP_LABELS[key] = label


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


def menus_for(actor: Actor | None) -> list[dict]:
    """The visible entries grouped by app, in the order of each group's first entry."""
    menus: dict[str, dict] = {}
    for entry in items_for(actor):
        key = entry["url_name"].split(":", 1)[0] if ":" in entry["url_name"] else entry["url_name"]
        menu = menus.setdefault(
            key, {"key": key, "label": str(_GROUP_LABELS.get(key, entry["label"])), "items": []}
        )
        menu["items"].append(entry)
    return list(menus.values())
