"""Who may see and change evaluations.

- A zone office manages the frameworks, data and runs of its zone; a bureau those of its region
  (the governed region itself: 上海市科委 manages frameworks scoped to 310000).
- Published runs (their report, Excel and PDF) are public: the index is published statistics, and
  DOMAIN.md lets public visitors browse published statistics. Unpublished work is seen only by managers.
- The platform admin manages everything.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.evaluation.models import Framework, Run


def _manages(actor: Actor, framework: Framework) -> bool:
    if actor.is_platform_admin:
        return True
    if framework.zone_id is not None:
        return framework.zone_id in actor.zone_ids
    return framework.region_id in actor.bureau_region_codes


def manages_scope(actor: Actor, *, zone_id: int | None = None, region_code: str | None = None) -> bool:
    """May the actor create an evaluation in this zone / region?"""
    if actor.is_platform_admin:
        return True
    if zone_id is not None:
        return zone_id in actor.zone_ids
    return region_code is not None and region_code in actor.bureau_region_codes


def is_evaluator(actor: Actor) -> bool:
    """Anyone who can manage some evaluation (for menus and the create forms)."""
    return actor.is_platform_admin or bool(actor.zone_ids) or bool(actor.bureau_region_codes)


def _managed_q(actor: Actor, prefix: str = "") -> Q:
    if actor.is_platform_admin:
        return Q()
    q = Q(pk__in=[])
    if actor.zone_ids:
        q |= Q(**{f"{prefix}zone_id__in": actor.zone_ids})
    if actor.bureau_region_codes:
        q |= Q(**{f"{prefix}region_id__in": actor.bureau_region_codes})
    return q


class FrameworkPolicy(Policy):
    model = Framework
    denied_message = gettext_lazy("您无权管理该指数")
    rules = {
        "manage": _manages,  # import versions and data, start runs
        # obj None: a scope typed as a bare region code (not one of the actor's own scopes) is for operators
        "scope_any_region": lambda actor, obj=None: actor.is_platform_admin,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return _managed_q(actor)


class RunPolicy(Policy):
    model = Run
    denied_message = gettext_lazy("您无权处理该指数运行")
    rules = {
        "manage": lambda actor, run: _manages(actor, run.framework),  # re-run, publish, unpublish
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return Q(is_published=True) | _managed_q(actor, "framework__")
