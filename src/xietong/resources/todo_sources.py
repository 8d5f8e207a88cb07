"""What waits in the resources app: orders a provider must confirm, deliveries a customer must accept,
completed orders the customer has not yet rated (registered with core.todos in ResourcesConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xietong.core import todos
from xietong.core.actor import Actor
from xietong.resources import selectors
from xietong.resources.enums import OrderStatus


def _orders(actor: Actor, side: str, status: str):
    if not actor.organisation_ids:
        return selectors.order_list(
            actor=actor, filters=selectors.OrderFilters(side=side, status=status)
        ).none()
    return selectors.order_list(actor=actor, filters=selectors.OrderFilters(side=side, status=status))


def _items(qs, limit: int) -> list[todos.TodoItem]:
    return [
        todos.TodoItem(
            title=f"{o.number} {o.resource.name}",
            url=reverse("resources:order-detail", args=[o.pk]),
            due=o.starts_at.date() if o.starts_at else None,
            detail=f"{o.customer.name} → {o.provider.name}",
        )
        for o in qs[:limit]
    ]


def _source(key: str, label, side: str, status: str, order: int) -> todos.TodoSource:
    return todos.TodoSource(
        key=key,
        label=label,
        count=lambda actor: _orders(actor, side, status).count(),
        items=lambda actor, limit: _items(_orders(actor, side, status).order_by("created_at", "id"), limit),
        order=order,
    )


def _unrated(actor: Actor):
    return _orders(actor, "customer", OrderStatus.COMPLETED).filter(rating__isnull=True)


def install() -> None:
    todos.register(
        todos.TodoSource(
            key="resources.rate",
            label=_("待评价的已完成服务"),
            count=lambda actor: _unrated(actor).count(),
            items=lambda actor, limit: _items(_unrated(actor).order_by("completed_at", "id"), limit),
            order=24,
        )
    )
    todos.register(_source("resources.confirm", _("待确认的服务订单"), "provider", OrderStatus.SUBMITTED, 20))
    todos.register(_source("resources.accept", _("待验收的服务订单"), "customer", OrderStatus.DELIVERED, 22))
