"""What waits in the transfer app: intents received that the organisation has not answered
(registered with core.todos in TransferConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xietong.core import todos
from xietong.core.actor import Actor
from xietong.transfer import selectors
from xietong.transfer.enums import IntentStatus


def _pending(actor: Actor):
    qs = selectors.intent_list(actor=actor, box="received").filter(status=IntentStatus.PENDING)
    return qs if actor.organisation_ids else qs.none()


def _items(actor: Actor, limit: int) -> list[todos.TodoItem]:
    out = []
    for intent in _pending(actor).order_by("created_at", "id")[:limit]:
        listing = intent.achievement or intent.demand
        out.append(
            todos.TodoItem(
                title=f"{intent.from_org.name} → {listing.title if listing else ''}",
                url=reverse("transfer:intents") + f"?box=received#intent-{intent.pk}",
                detail=(intent.message or "")[:80],
            )
        )
    return out


def install() -> None:
    todos.register(
        todos.TodoSource(
            key="transfer.intents",
            label=_("待答复的合作意向"),
            count=lambda actor: _pending(actor).count(),
            items=_items,
            order=40,
        )
    )
