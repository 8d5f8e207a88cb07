"""Statuses and kinds of the resources app."""

from django.db import models
from django.utils.translation import gettext, gettext_noop

# Weekdays as the UI names them (1 = Monday … 7 = Sunday), msgids for the reader's language.
WEEKDAY_NAMES = (
    gettext_noop("周一"), gettext_noop("周二"), gettext_noop("周三"), gettext_noop("周四"),
    gettext_noop("周五"), gettext_noop("周六"), gettext_noop("周日"),
)  # fmt: skip


def weekdays_label(digits: str) -> str:
    """Weekday digits ("135", "1234567") in the reader's language: 周一、周三、周五 / 每天."""
    if digits == "1234567":
        return gettext("每天")
    return gettext("、").join(gettext(WEEKDAY_NAMES[int(d) - 1]) for d in digits if d in "1234567")


class ResourceKind(models.TextChoices):
    INSTRUMENT = "instrument", "大型科研仪器"
    FACILITY = "facility", "科研基础设施"
    SERVICE = "service", "检验检测服务项目"


class OpenStatus(models.TextChoices):
    OPEN = "open", "开放共享"
    PAUSED = "paused", "暂停开放"
    CLOSED = "closed", "不对外开放"


class PriceUnit(models.TextChoices):
    HOUR = "hour", "按机时"
    SAMPLE = "sample", "按样品"


class CustomerClass(models.TextChoices):
    OWN_ORG = "own_org", "本单位"
    SAME_REGION = "same_region", "同城（同地区）"
    SAME_ZONE = "same_zone", "同协同区"
    OTHER = "other", "其他"


# From the narrowest class to the broadest: a missing tier falls back to the next broader one.
CLASS_FALLBACK = [
    CustomerClass.OWN_ORG,
    CustomerClass.SAME_REGION,
    CustomerClass.SAME_ZONE,
    CustomerClass.OTHER,
]


class Rounding(models.TextChoices):
    FEN = "fen", "精确到分"
    JIAO = "jiao", "四舍五入到角"
    YUAN = "yuan", "四舍五入到元"


class OrderKind(models.TextChoices):
    BOOKING = "booking", "机时预约"
    SAMPLE = "sample", "送样检测"


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已确认"
    IN_PROGRESS = "in_progress", "服务中"
    DELIVERED = "delivered", "已交付"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"
    REJECTED = "rejected", "已拒绝"
    NO_SHOW = "no_show", "爽约"


# Statuses in which a booking holds its time slot (the exclusion constraint covers exactly these rows).
SLOT_HOLDING = (
    OrderStatus.SUBMITTED,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)
OPEN_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED)


class SampleState(models.TextChoices):
    """Where a sent-in sample is, step by step (forward only)."""

    RECEIVED = "received", "已收样"
    TESTING = "testing", "检测中"
    REPORTED = "reported", "已出报告"
    RETURNED = "returned", "已寄回"


SAMPLE_STEPS = [SampleState.RECEIVED, SampleState.TESTING, SampleState.REPORTED, SampleState.RETURNED]
