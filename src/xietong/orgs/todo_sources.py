"""What waits in the orgs app: registrations and renames for the bureau to review
(registered with core.todos in OrgsConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xietong.core import todos
from xietong.core.actor import Actor
from xietong.orgs import selectors
from xietong.orgs.policies import OrganisationPolicy


def _reviewer(actor: Actor) -> bool:
    return OrganisationPolicy.can(actor, "review_queue")


def _items(qs, limit: int, what: str) -> list[todos.TodoItem]:
    return [
        todos.TodoItem(
            title=f"{o.pending_name or o.name}" if what == "rename" else o.name,
            url=reverse("org-detail", args=[o.pk]),
            detail=f"{o.region} · {o.name} → {o.pending_name}" if what == "rename" else str(o.region),
        )
        for o in qs[:limit]
    ]


def install() -> None:
    todos.register(
        todos.TodoSource(
            key="orgs.registrations",
            label=_("待审核的机构注册"),
            count=lambda a: selectors.review_queue(actor=a).count() if _reviewer(a) else 0,
            items=lambda a, limit: _items(selectors.review_queue(actor=a), limit, "register"),
            order=10,
        )
    )
    todos.register(
        todos.TodoSource(
            key="orgs.renames",
            label=_("待审核的机构更名"),
            count=lambda a: selectors.rename_queue(actor=a).count() if _reviewer(a) else 0,
            items=lambda a, limit: _items(selectors.rename_queue(actor=a), limit, "rename"),
            order=11,
        )
    )
