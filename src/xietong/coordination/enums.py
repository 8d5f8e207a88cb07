"""Statuses and kinds of the coordination app."""

from django.db import models


class UnitKind(models.TextChoices):
    BUREAU = "bureau", "科技主管部门"
    OFFICE = "office", "协同区办公室"
    ORGANISATION = "organisation", "机构"


class BodyKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", "联席会议"
    TASK_GROUP = "task_group", "专责小组"
    OFFICE = "office", "联席会议办公室"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    COMPLETED = "completed", "已完成"
    OVERDUE = "overdue", "逾期"
    SUSPENDED = "suspended", "暂缓"


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待验收"
    ACCEPTED = "accepted", "已验收"
    RETURNED = "returned", "已退回"


class TaskSource(models.TextChoices):
    DECISION = "decision", "会议议定事项"
    COMMITMENT = "commitment", "协议承诺事项"
    MAJOR_ITEM = "major_item", "重大事项"
    DIRECT = "direct", "直接交办"


class MajorItemStatus(models.TextChoices):
    PLANNING = "planning", "谋划中"
    SUBMITTED = "submitted", "已联合报送"
    FOLLOWING = "following", "跟踪对接中"
    SUPPORTED = "supported", "已获支持"
    NOT_SUPPORTED = "not_supported", "未获支持"


class MetricScopeKind(models.TextChoices):
    ZONE = "zone", "协同区"
    REGION = "region", "地区"
