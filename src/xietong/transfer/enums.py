"""Statuses and kinds of the technology-transfer marketplace."""

from django.db import models


class ListingStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", "转让"
    LICENSE = "license", "许可"
    EQUITY = "equity", "作价入股"
    CO_DEVELOP = "co_develop", "合作开发"


class IpType(models.TextChoices):
    INVENTION = "invention", "发明专利"
    UTILITY = "utility", "实用新型专利"
    DESIGN = "design", "外观设计专利"
    SOFTWARE = "software", "软件著作权"
    IC_LAYOUT = "ic_layout", "集成电路布图设计"
    KNOW_HOW = "know_how", "技术秘密"
    NEW_VARIETY = "new_variety", "植物新品种"
    OTHER = "other", "其他"


class IntentStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已婉拒"
    WITHDRAWN = "withdrawn", "已撤回"


class ContractKind(models.TextChoices):
    DEVELOPMENT = "development", "技术开发"
    ASSIGNMENT = "assignment", "技术转让"
    LICENSE = "license", "技术许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class ListingKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "科技成果"
    DEMAND = "demand", "技术需求"
    ACCEPTANCE = "acceptance", "承接清单"


class Feedback(models.TextChoices):
    USEFUL = "useful", "有用"
    IRRELEVANT = "irrelevant", "不相关"
    CONTACTED = "contacted", "已联系"


# Readiness stages a demand can ask for, as the TRL they need (GB/T 22900).
TRL_LABELS = {
    1: "TRL 1 基本原理",
    2: "TRL 2 技术概念",
    3: "TRL 3 概念验证",
    4: "TRL 4 实验室验证",
    5: "TRL 5 相关环境验证（小试）",
    6: "TRL 6 中试",
    7: "TRL 7 工程样机",
    8: "TRL 8 定型（产业化准备）",
    9: "TRL 9 产业化应用",
}
