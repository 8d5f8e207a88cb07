"""Who may see and change zones. Regions and zones are public reference data; only platform admins edit zones."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.regions.models import Zone


def _platform_admin(actor: Actor, zone: Zone | None = None) -> bool:
    return actor.is_platform_admin


class ZonePolicy(Policy):
    model = Zone
    denied_message = gettext_lazy("只有平台管理员可以创建或修改协同区")
    rules = {
        "read": lambda actor, zone=None: True,
        "create": _platform_admin,
        "update": _platform_admin,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Every zone is public."""
        return Q()
