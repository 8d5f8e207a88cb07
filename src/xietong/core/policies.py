"""Policy base: `can(actor, action, obj)` and `visible_qs(actor)` side by side; an undeclared action is denied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy

from xietong.core.acting import denial_message
from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, NotFound
from xietong.core.ids import is_valid_id


class Policy:
    model: ClassVar[type[models.Model]]
    rules: ClassVar[dict[str, Callable[[Actor, Any], bool]]] = {}
    denied_message: ClassVar[str] = gettext_lazy("您无权执行此操作")

    @classmethod
    def visible(cls, actor: Actor) -> models.Q:
        raise NotImplementedError

    @classmethod
    def visible_qs(cls, actor: Actor) -> models.QuerySet:
        return cls.model.objects.filter(cls.visible(actor))

    @classmethod
    def can(cls, actor: Actor, action: str, obj: Any = None) -> bool:
        rule = cls.rules.get(action)
        return bool(rule and rule(actor, obj))

    @classmethod
    def require(cls, actor: Actor, action: str, obj: Any = None) -> None:
        if not cls.can(actor, action, obj):
            raise Forbidden(denial_message(actor, cls.denied_message), action=action)


def get_visible(qs: models.QuerySet, message: str, **lookup: Any) -> models.Model:
    """The one object matching `lookup` inside an already actor-scoped queryset; missing and hidden look alike
    (NotFound with `message`), and so does a `pk` no row can have (not a positive 64-bit integer)."""
    pk = lookup.get("pk")
    if "pk" in lookup and not is_valid_id(pk):
        raise NotFound(message)
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise NotFound(message)
    return obj
