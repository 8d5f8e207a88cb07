"""Stages, attachment roles, sources and statuses, and gap kinds of the industry-chain app."""

from django.db import models


class Stage(models.TextChoices):
    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"


class AttachmentRole(models.TextChoices):
    PRIMARY = "primary", "主营环节"
    SECONDARY = "secondary", "配套环节"


class AttachmentSource(models.TextChoices):
    DECLARED = "declared", "机构申报"
    BUREAU = "bureau", "主管部门登记"
    SUGGESTED = "suggested", "系统推荐"


class AttachmentStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    ACTIVE = "active", "有效"
    REJECTED = "rejected", "已驳回"


class GapKind(models.TextChoices):
    FILL = "fill", "补链"
    STRENGTHEN = "strengthen", "强链"
    EXTEND = "extend", "延链"


# What a primary and a secondary attachment weigh in a region's count of a segment.
ROLE_WEIGHTS = {str(AttachmentRole.PRIMARY): 1.0, str(AttachmentRole.SECONDARY): 0.5}
