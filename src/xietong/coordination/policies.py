"""Who may see and do what in coordination.

- The zone office (and the platform) manages its zone's bodies: meetings, decisions, tasks, acceptance,
  agreements and the 重大事项清单.
- A unit is acted for by the bureau users of its region (and of the regions above it), the office users of its
  zone, or the members of its organisation; a unit sees the tasks it leads or helps with and reports on them.
- Bodies, meetings, agreements and public decisions are public; internal decisions and minutes are read by the
  office and the body's member units; major items by the office and their co-sponsoring units.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from xietong.coordination.enums import OPEN_STATUSES, ReportStatus, UnitKind
from xietong.coordination.models import (
    Agreement,
    Body,
    Decision,
    Evidence,
    MajorItem,
    Meeting,
    ProgressReport,
    Task,
    Unit,
)
from xietong.core.acting import acts_for
from xietong.core.actor import Actor
from xietong.core.policies import Policy


def units_q(actor: Actor, *, acting: bool = True) -> Q:
    """The units the actor speaks for (`acting=False` also counts unverified organisations, for reading)."""
    if not actor.is_authenticated:
        return Q(pk__in=[])
    org_ids = actor.acting_organisation_ids if acting else actor.organisation_ids
    return (
        Q(kind=UnitKind.BUREAU, region_id__in=actor.bureau_region_codes)
        | Q(kind=UnitKind.OFFICE, zone_id__in=actor.zone_ids)
        | Q(kind=UnitKind.ORGANISATION, organisation_id__in=org_ids)
    )


def acts_for_unit(actor: Actor, unit: Unit | None) -> bool:
    if unit is None or not actor.is_authenticated:
        return False
    if unit.kind == UnitKind.BUREAU:
        return unit.region_id in actor.bureau_region_codes
    if unit.kind == UnitKind.OFFICE:
        return unit.zone_id in actor.zone_ids
    return acts_for(actor, unit.organisation_id)


def has_units(actor: Actor) -> bool:
    """The menu question "may this actor have tasks of its own" (no query: the actor's scopes only)."""
    return bool(actor.bureau_region_codes or actor.zone_ids or actor.organisation_ids)


def manages_zone(actor: Actor, zone_id: int | None) -> bool:
    return actor.is_platform_admin or (zone_id is not None and zone_id in actor.zone_ids)


def _my_units(actor: Actor) -> QuerySet:
    return Unit.objects.filter(units_q(actor, acting=False)).values("pk")


def _zones_q(actor: Actor, field: str) -> Q:
    return Q(**{f"{field}__in": actor.zone_ids})


def _member_of_body(actor: Actor, body: Body) -> bool:
    return any(acts_for_unit(actor, unit) for unit in body.members.all())


def _involved_in(actor: Actor, task: Task) -> bool:
    return acts_for_unit(actor, task.lead_unit) or any(acts_for_unit(actor, u) for u in task.co_units.all())


def _oversees_unit(actor: Actor, unit: Unit) -> bool:
    """A zone office oversees the units that sit on its bodies or lead or help with its bodies' tasks."""
    if not actor.zone_ids:
        return False
    if Body.objects.filter(zone_id__in=actor.zone_ids, members=unit).exists():
        return True
    tasks = Task.objects.filter(
        body__zone_id__in=actor.zone_ids
    )  # tenancy-ok: an existence test for the rule
    co = Task.co_units.through.objects.filter(unit=unit, task__in=tasks.values("pk"))
    return tasks.filter(lead_unit=unit).exists() or co.exists()


class UnitPolicy(Policy):
    model = Unit
    denied_message = gettext_lazy("只有该单位和督办它的协同区办公室可以查看单位督办情况")
    rules = {
        "act": acts_for_unit,
        "view_page": lambda actor, unit: (
            actor.is_platform_admin or acts_for_unit(actor, unit) or _oversees_unit(actor, unit)
        ),
        "view_feed": lambda actor, unit: actor.is_platform_admin or acts_for_unit(actor, unit),
        "create": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # the names of responsible units are public


class BodyPolicy(Policy):
    model = Body
    denied_message = gettext_lazy("只有本协同区办公室可以管理该议事机构")
    rules = {
        "manage": lambda actor, body: manages_zone(actor, body.zone_id),
        "view_internal": lambda actor, body: (
            manages_zone(actor, body.zone_id) or _member_of_body(actor, body)
        ),
        "dashboard": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # bodies and their members are public

    @classmethod
    def managed_q(cls, actor: Actor) -> Q:
        return Q() if actor.is_platform_admin else _zones_q(actor, "zone_id")


class MeetingPolicy(Policy):
    model = Meeting
    rules = {
        "manage": lambda actor, meeting: manages_zone(actor, meeting.body.zone_id),
        "view_minutes": lambda actor, meeting: BodyPolicy.can(actor, "view_internal", meeting.body),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # that a meeting was held, and its public decisions, are public


class DecisionPolicy(Policy):
    model = Decision
    denied_message = gettext_lazy("只有本协同区办公室可以将议定事项转为督办事项")
    rules = {
        "make_task": lambda actor, decision: manages_zone(actor, decision.meeting.body.zone_id),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return (
            Q(is_public=True)
            | _zones_q(actor, "meeting__body__zone_id")
            | Q(meeting__body__members__in=_my_units(actor))
        )

    @classmethod
    def visible_qs(cls, actor: Actor) -> QuerySet:
        # A unit belonging to a body through two memberships would repeat the row without distinct().
        return Decision.objects.filter(pk__in=Decision.objects.filter(cls.visible(actor)).values("pk"))


class AgreementPolicy(Policy):
    model = Agreement
    denied_message = gettext_lazy("只有本协同区办公室可以管理该协议")
    rules = {
        "manage": lambda actor, agreement: manages_zone(actor, agreement.zone_id),
        "create": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
        "download": lambda actor, agreement: (
            manages_zone(actor, agreement.zone_id)
            or any(acts_for_unit(actor, u) for u in agreement.parties.all())
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # framework agreements and their commitments are published


class MajorItemPolicy(Policy):
    model = MajorItem
    denied_message = gettext_lazy("只有本协同区办公室可以管理重大事项清单")
    rules = {
        "manage": lambda actor, item: manages_zone(actor, item.zone_id),
        "create": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
        "view_list": lambda actor, obj=None: actor.is_authenticated and has_units(actor),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return _zones_q(actor, "zone_id") | Q(
            pk__in=MajorItem.co_sponsors.through.objects.filter(unit__in=_my_units(actor)).values(
                "majoritem_id"
            )
        )


def _task_q(actor: Actor, prefix: str = "") -> Q:
    if actor.is_platform_admin:
        return Q()
    if not actor.is_authenticated:
        return Q(pk__in=[])
    mine = _my_units(actor)
    co = Task.co_units.through.objects.filter(unit__in=mine).values("task_id")
    return (
        Q(**{f"{prefix}body__zone_id__in": actor.zone_ids})
        | Q(**{f"{prefix}lead_unit__in": mine})
        | Q(**{f"{prefix}id__in" if prefix else "pk__in": co})
    )


class TaskPolicy(Policy):
    model = Task
    denied_message = gettext_lazy("您无权处理该督办事项")
    rules = {
        "manage": lambda actor, task: manages_zone(actor, task.body.zone_id),
        "report": lambda actor, task: task.status in OPEN_STATUSES and _involved_in(actor, task),
        "create": lambda actor, obj=None: actor.is_platform_admin or bool(actor.zone_ids),
        "export": lambda actor, obj=None: actor.is_authenticated,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return _task_q(actor)


class ReportPolicy(Policy):
    model = ProgressReport
    denied_message = gettext_lazy("只有本协同区办公室可以验收进展报告")
    rules = {
        "review": lambda actor, report: (
            report.status == ReportStatus.SUBMITTED and manages_zone(actor, report.task.body.zone_id)
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q(task__in=Task.objects.filter(_task_q(actor)).values("pk"))


class EvidencePolicy(Policy):
    model = Evidence

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q(report__task__in=Task.objects.filter(_task_q(actor)).values("pk"))
