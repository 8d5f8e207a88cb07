from django.db import models


class TitleRank(models.TextChoices):
    """职称 (professional title) levels."""

    SENIOR = "senior", "正高级"
    VICE_SENIOR = "vice_senior", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级"
    NONE = "none", "无"


class TalentTier(models.TextChoices):
    """人才层次, the common five-level ladder of regional talent programmes."""

    A = "A", "A类 顶尖人才"
    B = "B", "B类 领军人才"
    C = "C", "C类 拔尖人才"
    D = "D", "D类 骨干人才"
    E = "E", "E类 青年人才"
    NONE = "", "未认定"


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", "在库"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "已出库"


class SchemeKind(models.TextChoices):
    TALENT_CARD = "talent_card", "人才卡"
    TITLE = "title", "职称"
    SKILL = "skill", "高技能人才"


class AppointmentStatus(models.TextChoices):
    OFFERED = "offered", "待原单位同意"
    ACTIVE = "active", "履职中"
    REFUSED = "refused", "原单位未同意"
    ENDED = "ended", "已结束"


class RoundStatus(models.TextChoices):
    OPEN = "open", "待分配"
    ASSIGNED = "assigned", "已分配"
    CLOSED = "closed", "已结束"


class AssignMode(models.TextChoices):
    RANDOM = "random", "随机抽取"
    OPTIMAL = "optimal", "按匹配度优化"
    FAIR = "fair", "公平优先优化"
    RANDOMIZED = "randomized", "随机化优化"


class ItemSource(models.TextChoices):
    VOUCHER_APPLICATION = "voucher_application", "创新券申请"
    ACHIEVEMENT = "achievement", "科技成果"
    PROPOSAL = "proposal", "项目申报书（Excel 导入）"


class SeatStatus(models.TextChoices):
    INVITED = "invited", "待确认"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已谢绝"
