"""Statuses and kinds of the coordination app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("科技主管部门")
    OFFICE = "office", _("协同区办公室")
    ORGANISATION = "organisation", _("机构")


class BodyKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", _("联席会议")
    TASK_GROUP = "task_group", _("专责小组")
    OFFICE = "office", _("联席会议办公室")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    OVERDUE = "overdue", _("逾期")
    SUSPENDED = "suspended", _("暂缓")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("已退回")


class TaskSource(models.TextChoices):
    DECISION = "decision", _("会议议定事项")
    COMMITMENT = "commitment", _("协议承诺事项")
    MAJOR_ITEM = "major_item", _("重大事项")
    DIRECT = "direct", _("直接交办")


class MajorItemStatus(models.TextChoices):
    PLANNING = "planning", _("谋划中")
    SUBMITTED = "submitted", _("已联合报送")
    FOLLOWING = "following", _("跟踪对接中")
    SUPPORTED = "supported", _("已获支持")
    NOT_SUPPORTED = "not_supported", _("未获支持")


class MetricScopeKind(models.TextChoices):
    ZONE = "zone", _("协同区")
    REGION = "region", _("地区")
