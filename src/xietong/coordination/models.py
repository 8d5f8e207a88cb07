"""Tables of the coordination app: units, bodies, meetings and decisions, agreements and commitments, the
重大事项清单, tasks (督办事项) with milestones and progress reports.

A task's light is stored beside it (`light`, `light_reason`), but it is never typed: the services recompute it
on every change of the task and the periodic job recomputes every open task (the date moves on, the platform's
data moves on); `lights.evaluate` is the one rule set.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext

from xietong.coordination.enums import (
    BodyKind,
    Light,
    MajorItemStatus,
    MetricScopeKind,
    ReportStatus,
    TaskSource,
    TaskStatus,
    UnitKind,
)
from xietong.core.files import private_storage


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Unit(models.Model):
    """A 责任单位: a region's sci-tech bureau, a zone office or an organisation; tasks are assigned to units.

    Who acts for a unit follows from its kind: the bureau users of its region (and of the regions above it),
    the office users of its zone, the members of its organisation (policies.acts_for_unit).
    """

    name = models.CharField("单位名称", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=14, choices=UnitKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="地区",
    )
    zone = models.ForeignKey(
        "regions.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="协同区",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feed_token = models.CharField("日历订阅令牌", max_length=40, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = verbose_name_plural = "责任单位"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="coord_unit_scope_matches_kind",
                condition=(
                    Q(kind=UnitKind.BUREAU, region__isnull=False)
                    | Q(kind=UnitKind.OFFICE, zone__isnull=False)
                    | Q(kind=UnitKind.ORGANISATION, organisation__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A joint meeting (联席会议), a task group (专责小组) or an office of one zone; the zone office runs it."""

    zone = models.ForeignKey(
        "regions.Zone", on_delete=models.PROTECT, related_name="+", verbose_name="协同区"
    )
    name = models.CharField("名称", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=14, choices=BodyKind.choices)
    members = models.ManyToManyField(Unit, related_name="bodies", verbose_name="成员单位", blank=True)
    due_soon_days = models.PositiveSmallIntegerField("临期提醒天数", default=14)
    lag_threshold_pct = models.PositiveSmallIntegerField("进度滞后阈值（百分点）", default=20)

    class Meta:
        verbose_name = verbose_name_plural = "议事机构"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="coord_body_lag_pct", condition=Q(lag_threshold_pct__lte=100)),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("会议名称", max_length=120)
    held_on = models.DateField("召开日期", db_index=True)
    location = models.CharField("地点", max_length=80, blank=True)
    agenda = models.TextField("议程（Markdown）", blank=True)
    minutes = models.TextField("纪要（Markdown）", blank=True)
    attendees = models.ManyToManyField(Unit, related_name="meetings_attended", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """议定事项: public ones are read by everyone, internal ones by the body's office and its member units."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("内容（Markdown）")
    is_public = models.BooleanField("公开", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "议定事项"
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="coord_decision_number_unique")
        ]

    def __str__(self) -> str:
        return gettext("%(meeting)s 第 %(number)s 项") % {
            "meeting": self.meeting.title,
            "number": self.number,
        }


class Agreement(models.Model):
    """合作框架协议 between the units of one zone."""

    zone = models.ForeignKey(
        "regions.Zone", on_delete=models.PROTECT, related_name="+", verbose_name="协同区"
    )
    title = models.CharField("协议名称", max_length=120)
    signed_on = models.DateField("签署日期")
    text = models.TextField("正文（Markdown）", blank=True)
    parties = models.ManyToManyField(Unit, related_name="agreements", verbose_name="签约方")
    signed_file = models.FileField("签署文本（PDF）", storage=private_storage, blank=True, max_length=200)
    signed_file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "合作框架协议"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField("承诺事项")
    deadline = models.DateField("完成时限")

    class Meta:
        verbose_name = verbose_name_plural = "承诺事项"
        ordering = ["agreement_id", "party_id", "deadline", "id"]

    def __str__(self) -> str:
        return f"{self.party.name}：{self.text[:40]}"


class MajorItem(models.Model):
    """重大事项清单: an item the members seek national support for together."""

    zone = models.ForeignKey(
        "regions.Zone", on_delete=models.PROTECT, related_name="+", verbose_name="协同区"
    )
    title = models.CharField("事项名称", max_length=120)
    description = models.TextField("说明（Markdown）", blank=True)
    ministry = models.CharField("争取支持的部委", max_length=80)
    status = models.CharField(
        "状态", max_length=14, choices=MajorItemStatus.choices, default=MajorItemStatus.PLANNING
    )
    co_sponsors = models.ManyToManyField(Unit, related_name="major_items", verbose_name="联合申报单位")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "重大事项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class MajorItemEvent(models.Model):
    """The history of a major item: every status change with who and why."""

    item = models.ForeignKey(MajorItem, on_delete=models.CASCADE, related_name="events")
    status = models.CharField("状态", max_length=14, choices=MajorItemStatus.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["item_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item.title} → {self.get_status_display()}"


class Task(models.Model):
    """督办事项."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="tasks")
    source = models.CharField("来源", max_length=12, choices=TaskSource.choices, default=TaskSource.DIRECT)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    major_item = models.ForeignKey(
        MajorItem, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField("事项名称", max_length=160)
    description = models.TextField("工作要求（Markdown）", blank=True)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_tasks")
    co_units = models.ManyToManyField(Unit, related_name="co_tasks", blank=True, verbose_name="配合单位")
    owner_name = models.CharField("责任人", max_length=40, blank=True)
    start_on = models.DateField("开始日期")
    deadline = models.DateField("完成时限", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField("已验收进度（%）", default=0)
    reported_progress = models.PositiveSmallIntegerField("自报进度（%）", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    metric_key = models.CharField("平台指标", max_length=60, blank=True)
    metric_scope_kind = models.CharField(max_length=8, choices=MetricScopeKind.choices, blank=True)
    metric_scope = models.CharField("指标范围代码", max_length=40, blank=True)
    metric_target = models.FloatField("目标值", null=True, blank=True)
    metric_year = models.PositiveSmallIntegerField("指标年度", null=True, blank=True)
    metric_value = models.FloatField("实测值", null=True, blank=True)
    metric_measured_at = models.DateTimeField(null=True, blank=True)
    light = models.CharField("红黄绿灯", max_length=6, choices=Light.choices, default=Light.GREEN)
    light_reason = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["body", "light"], name="coord_task_body_light"),
            models.Index(fields=["lead_unit", "status"], name="coord_task_unit_status"),
            models.Index(fields=["status", "deadline"], name="coord_task_status_deadline"),
            # the office dashboard groups a zone's bodies' tasks by unit and light, by status, by day
            models.Index(fields=["body", "lead_unit", "light", "status"], name="coord_task_body_unit_light"),
            models.Index(fields=["body", "status", "completed_on"], name="coord_task_body_status_done"),
            models.Index(fields=["body", "deadline"], name="coord_task_body_deadline"),
            models.Index(fields=["light", "deadline"], name="coord_task_light_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                name="coord_task_deadline_after_start", condition=Q(deadline__gte=F("start_on"))
            ),
            models.CheckConstraint(name="coord_task_progress_pct", condition=Q(progress__lte=100)),
            models.CheckConstraint(name="coord_task_reported_pct", condition=Q(reported_progress__lte=100)),
            models.CheckConstraint(
                name="coord_task_metric_complete",
                condition=Q(metric_key="") | Q(metric_target__gt=0, metric_year__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_metric_linked(self) -> bool:
        return bool(self.metric_key)

    @property
    def measured_pct(self) -> int | None:
        if not self.metric_key or self.metric_value is None or not self.metric_target:
            return None
        return min(100, int(100 * self.metric_value / self.metric_target))


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=120)
    due_on = models.DateField("节点时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["task_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    text = models.TextField("进展情况（Markdown）")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_label = models.CharField(max_length=150, blank=True)
    review_note = models.CharField("验收意见", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(name="coord_report_pct", condition=Q(percent__lte=100))]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.percent}%"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class TaskTally(models.Model):
    """How many tasks of a body a unit leads, per light and status: the office dashboard reads these few
    hundred rows instead of counting 100,000 tasks.

    Kept by database triggers on the task table (migration 0003, `tally.py`): every insert, update and delete
    of a task, whoever makes it (services, the periodic job's bulk updates, the admin, an import), moves the
    counts in the same transaction, so they always equal a direct count. Rows whose count fell to 0 stay.
    """

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    lead_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    light = models.CharField(max_length=6, choices=Light.choices)
    status = models.CharField(max_length=12, choices=TaskStatus.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "lead_unit", "light", "status"], name="coord_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.lead_unit_id}/{self.light}/{self.status}: {self.n}"


class TaskMonthTally(models.Model):
    """Per body and month: tasks due (by deadline) and tasks completed (by completion date); kept like
    `TaskTally` by the task table's triggers, read by the dashboard's progress-over-time chart."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    due = models.IntegerField(default=0)
    done = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "month"], name="coord_month_tally_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.month:%Y-%m}: {self.due} due, {self.done} done"
