"""Who reads a zone's cockpit: its zone office and the platform; nobody else (the figures aggregate every
member's orders, vouchers and contracts)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.regions.models import Zone


class CockpitPolicy(Policy):
    model = Zone
    denied_message = gettext_lazy("驾驶舱仅对本协同区办公室开放")
    rules = {
        "open": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
        "read": lambda actor, zone: actor.is_platform_admin or zone.pk in actor.zone_ids,
        # A zone office starts its day on the cockpit (core.todos landing).
        "land": lambda actor, obj=None: actor.is_zone_office and bool(actor.zone_ids),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return Q(pk__in=sorted(actor.zone_ids))
