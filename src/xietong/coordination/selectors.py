"""Every read of coordination that depends on who asks: filtered by the policies, one object by get_visible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from xietong.coordination.enums import OPEN_STATUSES, Light, ReportStatus, TaskStatus, UnitKind
from xietong.coordination.models import (
    Agreement,
    Body,
    Commitment,
    Decision,
    Evidence,
    MajorItem,
    Meeting,
    Milestone,
    ProgressReport,
    Task,
    TaskMonthTally,
    TaskTally,
    Unit,
)
from xietong.coordination.policies import (
    AgreementPolicy,
    BodyPolicy,
    DecisionPolicy,
    EvidencePolicy,
    MajorItemPolicy,
    MeetingPolicy,
    ReportPolicy,
    TaskPolicy,
    UnitPolicy,
    units_q,
)
from xietong.core.actor import Actor
from xietong.core.errors import NotFound
from xietong.core.policies import get_visible
from xietong.core.roles import Role
from xietong.orgs.models import Membership
from xietong.regions.models import Region

# ---------------------------------------------------------------- units and bodies


def unit_list(*, actor: Actor) -> QuerySet[Unit]:
    return UnitPolicy.visible_qs(actor).select_related("region", "zone", "organisation").order_by("name")


def unit_get(*, actor: Actor, pk: int) -> Unit:
    return get_visible(unit_list(actor=actor), _("责任单位不存在"), pk=pk)


def unit_page_get(*, actor: Actor, pk: int) -> Unit:
    """The unit whose overview (page or API) the actor may open: one it sees and may "view_page", else
    NotFound / Forbidden, so the two entry points cannot drift apart."""
    unit = unit_get(actor=actor, pk=pk)
    UnitPolicy.require(actor, "view_page", unit)
    return unit


def unit_by_name(*, actor: Actor, name: str) -> Unit:
    """The unit called `name` (an import or a form names units by their Chinese name)."""
    unit = unit_list(actor=actor).filter(name=(name or "").strip()).first()
    if unit is None:
        raise NotFound(_("责任单位“%(name)s”不存在") % {"name": (name or "").strip()[:40]}, field="unit")
    return unit


def my_units(*, actor: Actor) -> QuerySet[Unit]:
    return Unit.objects.filter(units_q(actor, acting=False)).order_by("name")


def unit_for_feed(*, actor: Actor, pk: int, token: str) -> Unit:
    """The unit whose calendar feed the URL names: its private token must match (a wrong one looks missing)."""
    return get_visible(unit_list(actor=actor), _("日历不存在"), pk=pk, feed_token=token or "-")


def unit_recipients(*, actor: Actor, unit: Unit) -> list:
    """The active users who act for `unit` (notifications go to them); `actor` is the system or the office."""
    return unit_recipients_many(actor=actor, unit_ids=[unit.pk]).get(unit.pk, [])


def unit_recipients_many(*, actor: Actor, unit_ids) -> dict[int, list]:
    """{unit: its active users} for many units in three queries (the periodic job notifies hundreds of units).

    A bureau membership covers its region and everything under it: a bureau unit's users are those of its
    region and of the regions above it; an office unit's, its zone's office users; an organisation's, its members.
    """
    User = get_user_model()
    units = list(
        Unit.objects.filter(pk__in=list(unit_ids)).values_list(
            "pk", "kind", "region_id", "zone_id", "organisation_id"
        )
    )
    chains: dict[int, list[str]] = {}
    if any(kind == UnitKind.BUREAU for _pk, kind, *_rest in units):
        parents = dict(Region.objects.values_list("code", "parent_id"))
        for pk, kind, region, _zone, _org in units:
            if kind == UnitKind.BUREAU:
                chain = []
                while region is not None:
                    chain.append(region)
                    region = parents.get(region)
                chains[pk] = chain
    q = Q(pk__in=[])
    codes = {code for chain in chains.values() for code in chain}
    zones = {zone for _pk, kind, _r, zone, _o in units if kind == UnitKind.OFFICE}
    orgs = {org for _pk, kind, _r, _z, org in units if kind == UnitKind.ORGANISATION}
    if codes:
        q |= Q(role=Role.REGION_BUREAU, region_id__in=codes)
    if zones:
        q |= Q(role=Role.ZONE_OFFICE, zone_id__in=zones)
    if orgs:
        q |= Q(role__in=[Role.ORG_ADMIN, Role.ORG_MEMBER], organisation_id__in=orgs)
    rows = list(
        Membership.objects.filter(q, is_active=True).values_list(
            "user_id", "role", "region_id", "zone_id", "organisation_id"
        )
    )
    users = {u.pk: u for u in User.objects.filter(pk__in={r[0] for r in rows}, is_active=True)}
    by_region, by_zone, by_org = {}, {}, {}
    for user_id, role, region, zone, org in rows:
        if user_id not in users:
            continue
        if role == Role.REGION_BUREAU:
            by_region.setdefault(region, set()).add(user_id)
        elif role == Role.ZONE_OFFICE:
            by_zone.setdefault(zone, set()).add(user_id)
        else:
            by_org.setdefault(org, set()).add(user_id)
    out: dict[int, list] = {}
    for pk, kind, _region, zone, org in units:
        if kind == UnitKind.BUREAU:
            ids = set().union(*(by_region.get(code, set()) for code in chains[pk]))
        elif kind == UnitKind.OFFICE:
            ids = by_zone.get(zone, set())
        else:
            ids = by_org.get(org, set())
        out[pk] = [users[i] for i in sorted(ids)]
    return out


def body_list(*, actor: Actor) -> QuerySet[Body]:
    return BodyPolicy.visible_qs(actor).select_related("zone").order_by("zone_id", "id")


def body_get(*, actor: Actor, pk: int) -> Body:
    qs = body_list(actor=actor).prefetch_related(Prefetch("members", queryset=Unit.objects.order_by("name")))
    return get_visible(qs, _("议事机构不存在"), pk=pk)


def managed_bodies(*, actor: Actor) -> QuerySet[Body]:
    return body_list(actor=actor).filter(BodyPolicy.managed_q(actor))


# ---------------------------------------------------------------- meetings and decisions


def meeting_list(*, actor: Actor, body: Body | None = None) -> QuerySet[Meeting]:
    qs = MeetingPolicy.visible_qs(actor).select_related("body", "body__zone")
    return qs.filter(body=body) if body is not None else qs


def meeting_get(*, actor: Actor, pk: int) -> Meeting:
    qs = meeting_list(actor=actor).prefetch_related("attendees", "body__members")
    return get_visible(qs, _("会议不存在"), pk=pk)


def decision_list(*, actor: Actor, meeting: Meeting | None = None) -> QuerySet[Decision]:
    qs = DecisionPolicy.visible_qs(actor).select_related("meeting", "meeting__body")
    qs = qs.prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("lead_unit")))
    return qs.filter(meeting=meeting) if meeting is not None else qs.order_by("-meeting__held_on", "number")


def decision_get(*, actor: Actor, pk: int) -> Decision:
    return get_visible(decision_list(actor=actor), _("议定事项不存在"), pk=pk)


# ---------------------------------------------------------------- agreements and major items


def agreement_list(*, actor: Actor) -> QuerySet[Agreement]:
    return AgreementPolicy.visible_qs(actor).select_related("zone").prefetch_related("parties")


def agreement_get(*, actor: Actor, pk: int) -> Agreement:
    qs = agreement_list(actor=actor).prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.select_related("party").prefetch_related("tasks"))
    )
    return get_visible(qs, _("协议不存在"), pk=pk)


def commitment_get(*, actor: Actor, pk: int) -> Commitment:
    qs = Commitment.objects.filter(agreement__in=agreement_list(actor=actor).values("pk"))
    return get_visible(qs.select_related("agreement", "party"), _("承诺事项不存在"), pk=pk)


def major_item_list(*, actor: Actor) -> QuerySet[MajorItem]:
    return MajorItemPolicy.visible_qs(actor).select_related("zone").prefetch_related("co_sponsors")


def major_item_get(*, actor: Actor, pk: int) -> MajorItem:
    return get_visible(
        major_item_list(actor=actor).prefetch_related("events", "tasks"), _("重大事项不存在"), pk=pk
    )


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskFilters:
    body: int | None = None
    unit: int | None = None
    light: str = ""
    status: str = ""
    q: str = ""
    mine: bool = False


def task_list(*, actor: Actor, filters: TaskFilters = TaskFilters()) -> QuerySet[Task]:
    qs = TaskPolicy.visible_qs(actor).select_related("body", "lead_unit")
    if filters.body:
        qs = qs.filter(body_id=filters.body)
    if filters.unit:
        qs = qs.filter(Q(lead_unit_id=filters.unit) | Q(pk__in=_co_task_ids([filters.unit])))
    if filters.light:
        qs = qs.filter(light=filters.light)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    if filters.mine:
        mine = list(my_units(actor=actor).values_list("pk", flat=True))
        qs = qs.filter(Q(lead_unit_id__in=mine) | Q(pk__in=_co_task_ids(mine)))
    return qs.order_by("deadline", "id")


def _co_task_ids(unit_ids):
    return Task.co_units.through.objects.filter(unit_id__in=unit_ids).values("task_id")


def task_get(*, actor: Actor, pk: int) -> Task:
    qs = TaskPolicy.visible_qs(actor).select_related(
        "body", "body__zone", "lead_unit", "decision", "decision__meeting", "commitment", "major_item"
    )
    qs = qs.prefetch_related(
        "co_units",
        "milestones",
        Prefetch(
            "reports", queryset=ProgressReport.objects.select_related("unit").prefetch_related("evidence")
        ),
    )
    return get_visible(qs, _("督办事项不存在"), pk=pk)


def report_get(*, actor: Actor, pk: int) -> ProgressReport:
    qs = ReportPolicy.visible_qs(actor).select_related("task", "task__body", "task__lead_unit", "unit")
    return get_visible(qs.prefetch_related("evidence"), _("进展报告不存在"), pk=pk)


def evidence_get(*, actor: Actor, pk: int) -> Evidence:
    return get_visible(EvidencePolicy.visible_qs(actor).select_related("report"), _("文件不存在"), pk=pk)


def reports_to_accept(*, actor: Actor) -> QuerySet[ProgressReport]:
    """Submitted reports of the tasks the actor's zones manage (the office's to-do)."""
    bodies = managed_bodies(actor=actor).values("pk")
    return (
        ReportPolicy.visible_qs(actor)
        .filter(status=ReportStatus.SUBMITTED, task__body__in=bodies)
        .select_related("task", "unit")
        .order_by("created_at", "id")
    )


def tasks_due(*, actor: Actor, until: date) -> QuerySet[Task]:
    """Open tasks of the actor's own units due by `until` (the unit's to-do)."""
    return task_list(actor=actor, filters=TaskFilters(mine=True)).filter(
        status__in=OPEN_STATUSES, deadline__lte=until
    )


def open_tasks_for_refresh(*, actor: Actor) -> QuerySet[Task]:
    """Every task the periodic job re-lights, with what the light needs, as values (no model instances)."""
    return (
        TaskPolicy.visible_qs(actor)
        .exclude(status=TaskStatus.COMPLETED, light=Light.GREEN)
        .annotate(first_open=Min("milestones__due_on", filter=Q(milestones__done_on__isnull=True)))
        .values(
            "pk", "start_on", "deadline", "status", "progress", "metric_key", "metric_scope_kind", "metric_scope",
            "metric_target", "metric_year", "metric_value", "light", "light_reason", "first_open",
            "body__due_soon_days", "body__lag_threshold_pct", "lead_unit_id", "title",
        )
    )  # fmt: skip


def first_open_milestone(*, actor: Actor, task: Task) -> date | None:
    return (
        Milestone.objects.filter(task__in=TaskPolicy.visible_qs(actor).filter(pk=task.pk).values("pk"))
        .filter(done_on__isnull=True)
        .aggregate(first=Min("due_on"))["first"]
    )


def task_units(*, actor: Actor, task_ids: list[int] | None = None) -> dict[int, list[int]]:
    """Lead and co-units of the given tasks, or of every open task (the periodic job), in two queries.

    The job's list can be longer than a database accepts as parameters, so it reads the open tasks instead.
    """
    visible = TaskPolicy.visible_qs(actor)
    visible = (
        visible.filter(pk__in=task_ids) if task_ids is not None else visible.filter(status__in=OPEN_STATUSES)
    )
    out: dict[int, list[int]] = {}
    for pk, lead in visible.values_list("pk", "lead_unit_id"):
        out.setdefault(pk, []).append(lead)
    co = Task.co_units.through.objects.filter(task__in=visible.values("pk")).values_list("task_id", "unit_id")
    for pk, unit in co:
        out.setdefault(pk, []).append(unit)
    return out


# ---------------------------------------------------------------- dashboard


def dashboard(*, actor: Actor, body_ids: list[int]) -> dict:
    """Counts by light and lead unit, by status, the overdue list and due / completed tasks by month.

    Only bodies the actor manages count (their tasks are all visible to it). The counts come from the
    counters the task table's triggers keep (`TaskTally`, `TaskMonthTally`: a few hundred rows per body, equal
    to a direct count by construction, see `tally`), not from the tasks; the red list reads twenty tasks
    through the (light, deadline) index. A handful of small queries whatever the number of tasks.
    """
    managed = sorted(set(managed_bodies(actor=actor).filter(pk__in=body_ids).values_list("pk", flat=True)))
    tallies = TaskTally.objects.filter(body_id__in=managed).exclude(n=0).order_by()
    lights = list(tallies.values_list("lead_unit_id", "light").annotate(total=Sum("n")))
    by_status = {s: n for s, n in tallies.values_list("status").annotate(total=Sum("n")) if n}
    names = dict(Unit.objects.filter(pk__in={row[0] for row in lights}).values_list("pk", "name"))
    by_unit = sorted(
        (
            {"lead_unit_id": u, "lead_unit__name": names.get(u, ""), "light": light, "n": n}
            for u, light, n in lights
            if n
        ),
        key=lambda row: (row["lead_unit__name"], row["light"]),
    )
    months = list(
        TaskMonthTally.objects.filter(body_id__in=managed)
        .order_by()
        .values_list("month")
        .annotate(due=Sum("due"), done=Sum("done"))
        .order_by("month")
    )
    overdue = Task.objects.filter(body_id__in=managed, light=Light.RED).select_related("lead_unit")
    return {
        "by_unit": by_unit,
        "by_status": by_status,
        "overdue": list(overdue.order_by("deadline", "id")[:20]),
        "due": [(m.year, m.month, due) for m, due, _done in months if due],
        "done": [(m.year, m.month, done) for m, _due, done in months if done],
    }


def unit_overview(*, actor: Actor, unit: Unit, light: str = "") -> dict:
    """A unit's page: its tasks (led or helped with) that the actor may see, by light, the overdue ones and
    the unit's latest progress reports; the caller has checked `UnitPolicy` "view_page"."""
    tasks = task_list(actor=actor, filters=TaskFilters(unit=unit.pk))
    counts = dict(tasks.order_by().values_list("light").annotate(n=Count("pk")))
    reports = (
        ReportPolicy.visible_qs(actor)
        .filter(unit=unit)
        .select_related("task")
        .prefetch_related("evidence")
        .order_by("-created_at", "-id")
    )
    return {
        "lights": {
            str(colour.value): counts.get(colour, 0) for colour in (Light.RED, Light.YELLOW, Light.GREEN)
        },
        "tasks": tasks.filter(light=light) if light else tasks,
        "overdue": list(tasks.filter(status=TaskStatus.OVERDUE)[:50]),
        "reports": list(reports[:20]),
    }


def unit_task_stats(*, actor: Actor, year: int) -> list[tuple[str | None, date, date | None, str]]:
    """(lead unit's region, deadline, completed_on, status) of tasks due in `year` (for the on-time indicator)."""
    return list(
        TaskPolicy.visible_qs(actor)
        .filter(deadline__year=year)
        .values_list("lead_unit__region_id", "deadline", "completed_on", "status")
    )


def unit_feed_tasks(*, actor: Actor, unit: Unit) -> QuerySet[Task]:
    """The tasks `unit` leads or helps with (its calendar feed; the feed's token stood for the unit)."""
    ids = Task.objects.filter(Q(lead_unit=unit) | Q(pk__in=_co_task_ids([unit.pk]))).values("pk")
    return (
        Task.objects.filter(pk__in=ids)
        .select_related("body")
        .prefetch_related("milestones")
        .order_by("deadline", "id")
    )


def unit_feed_meetings(*, actor: Actor, unit: Unit) -> QuerySet[Meeting]:
    """The meetings of the bodies `unit` belongs to, and those it attended."""
    ids = Meeting.objects.filter(Q(body__members=unit) | Q(attendees=unit)).values("pk")
    return Meeting.objects.filter(pk__in=ids).order_by("held_on", "id")


def visible_task_ids(*, actor: Actor, task_ids) -> set[int]:
    """Which of the tasks a page lists this actor may open (the others are shown without a link)."""
    return set(TaskPolicy.visible_qs(actor).filter(pk__in=list(task_ids)).values_list("pk", flat=True))
