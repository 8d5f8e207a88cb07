"""Tables of the technology-transfer marketplace; see services.py for every write."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext

from xietong.orgs.enums import Industry
from xietong.transfer.enums import (
    ContractKind,
    Feedback,
    IntentStatus,
    IpType,
    ListingKind,
    ListingStatus,
)

USER = settings.AUTH_USER_MODEL


def modes_text(codes) -> str:
    """Transfer modes are stored as ",a,b," so one `contains` finds a mode on every database."""
    return "," + ",".join(codes) + "," if codes else ""


class Listing(models.Model):
    """What achievements and demands share: an owner organisation in a region, a contact, a status."""

    title = models.CharField("名称", max_length=120)
    keywords = models.JSONField("关键词", default=list, blank=True)
    industry = models.CharField("所属领域", max_length=20, choices=Industry.choices, db_index=True)
    transfer_modes = models.CharField("转化方式", max_length=80, blank=True)
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="所属机构"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在地区"
    )
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ListingStatus.choices, default=ListingStatus.PUBLISHED, db_index=True
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def mode_codes(self) -> list[str]:
        return [m for m in self.transfer_modes.split(",") if m]

    @property
    def modes_display(self) -> list[str]:
        from xietong.transfer.enums import TransferMode

        labels = dict(TransferMode.choices)
        return [gettext(labels[m]) if m in labels else m for m in self.mode_codes]


class Achievement(Listing):
    """科技成果: a patent, software or know-how an organisation offers for transfer."""

    summary = models.TextField("成果简介")
    innovation_points = models.TextField("创新点", blank=True)
    trl = models.PositiveSmallIntegerField("技术成熟度（TRL）")
    ip_type = models.CharField("知识产权类型", max_length=20, choices=IpType.choices)
    patent_numbers = models.CharField("专利号", max_length=300, blank=True)
    price_fen = models.BigIntegerField("意向价格（分，0=面议）", default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = "科技成果"
        verbose_name_plural = "科技成果"
        indexes = [
            models.Index(fields=["status", "industry"], name="ach_status_industry_idx"),
            models.Index(fields=["status", "region"], name="ach_status_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="ach_trl_1_9"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="ach_price_not_negative"),
            models.CheckConstraint(condition=Q(status__in=ListingStatus.values), name="ach_status_valid"),
        ]


class Demand(Listing):
    """企业技术需求: a technical problem an organisation wants solved."""

    problem = models.TextField("需求描述（要解决的问题）")
    indicators = models.TextField("技术指标", blank=True)
    basis = models.TextField("现有基础", blank=True)
    trl_min = models.PositiveSmallIntegerField("需要的成熟度（TRL）", null=True, blank=True)
    budget_fen = models.BigIntegerField("预算（分，0=面议）", default=0)
    deadline = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "技术需求"
        verbose_name_plural = "技术需求"
        indexes = [
            models.Index(fields=["status", "industry"], name="dem_status_industry_idx"),
            models.Index(fields=["status", "region"], name="dem_status_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(trl_min__isnull=True) | Q(trl_min__gte=1, trl_min__lte=9), name="dem_trl_1_9"
            ),
            models.CheckConstraint(condition=Q(budget_fen__gte=0), name="dem_budget_not_negative"),
            models.CheckConstraint(condition=Q(status__in=ListingStatus.values), name="dem_status_valid"),
        ]


class AcceptanceList(models.Model):
    """承接清单: what a region's bureau or a park wants to take in from other members."""

    title = models.CharField("清单名称", max_length=120)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="承接地区"
    )
    publisher = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="发布园区",
    )  # fmt: skip
    industries = models.JSONField("承接领域", default=list)
    keywords = models.JSONField("关键词", default=list, blank=True)
    trl_min = models.PositiveSmallIntegerField("成熟度要求（TRL）", null=True, blank=True)
    conditions = models.TextField("承接条件", blank=True)
    incentives = models.TextField("支持政策", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ListingStatus.choices, default=ListingStatus.PUBLISHED, db_index=True
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "承接清单"
        verbose_name_plural = "承接清单"

    def __str__(self) -> str:
        return self.title

    @property
    def industries_display(self) -> list[str]:
        labels = dict(Industry.choices)
        return [gettext(labels[i]) if i in labels else i for i in self.industries]


class Intent(models.Model):
    """意向: an organisation is interested in an achievement or a demand; its owner accepts or declines."""

    from_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="意向方"
    )
    to_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="发布方"
    )
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="intents"
    )
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.CASCADE, related_name="intents"
    )
    message = models.TextField("留言", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=IntentStatus.choices, default=IntentStatus.PENDING, db_index=True
    )
    reply = models.CharField("答复", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "合作意向"
        verbose_name_plural = "合作意向"
        constraints = [
            models.CheckConstraint(
                condition=Q(achievement__isnull=False, demand__isnull=True)
                | Q(achievement__isnull=True, demand__isnull=False),
                name="intent_one_target",
            ),
            models.CheckConstraint(condition=~Q(from_org=F("to_org")), name="intent_not_to_self"),
            models.CheckConstraint(condition=Q(status__in=IntentStatus.values), name="intent_status_valid"),
            # one open or accepted intent per organisation and listing
            models.UniqueConstraint(
                fields=["from_org", "achievement"],
                condition=Q(status__in=["pending", "accepted"], achievement__isnull=False),
                name="intent_unique_open_achievement",
            ),
            models.UniqueConstraint(
                fields=["from_org", "demand"],
                condition=Q(status__in=["pending", "accepted"], demand__isnull=False),
                name="intent_unique_open_demand",
            ),
        ]

    def __str__(self) -> str:
        listing = self.achievement or self.demand
        return gettext("%(org)s对“%(listing)s”的合作意向（%(status)s）") % {
            "org": self.from_org.name,
            "listing": listing.title if listing else "",
            "status": gettext(self.get_status_display()),
        }

    @property
    def target(self):
        return self.achievement or self.demand

    @property
    def target_kind(self) -> str:
        return ListingKind.ACHIEVEMENT if self.achievement_id else ListingKind.DEMAND


class Contract(models.Model):
    """技术合同登记: a registered technology contract between a seller and a buyer, each in a region."""

    registration_no = models.CharField("登记编号", max_length=40, unique=True)
    title = models.CharField("合同名称", max_length=200)
    kind = models.CharField("合同类型", max_length=12, choices=ContractKind.choices, db_index=True)
    seller_name = models.CharField("卖方（技术输出方）", max_length=120)
    seller_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seller_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="卖方地区"
    )
    buyer_name = models.CharField("买方（技术吸纳方）", max_length=120)
    buyer_org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="买方地区"
    )
    amount_fen = models.BigIntegerField("合同金额（分）")
    tech_amount_fen = models.BigIntegerField("技术交易额（分）")
    signed_on = models.DateField("签订日期", db_index=True)
    intent = models.ForeignKey(
        Intent, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    registered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = "技术合同"
        verbose_name_plural = "技术合同"
        indexes = [
            models.Index(fields=["seller_region", "signed_on"], name="contract_seller_idx"),
            models.Index(fields=["buyer_region", "signed_on"], name="contract_buyer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(tech_amount_fen__gte=0, tech_amount_fen__lte=F("amount_fen")),
                name="contract_tech_amount_within_amount",
            ),
            models.CheckConstraint(condition=Q(kind__in=ContractKind.values), name="contract_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_no} {self.title}"


class Recommendation(models.Model):
    """One hit shown to one user for one query listing: its rank, reasons, click and feedback."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    query_kind = models.CharField(max_length=12, choices=ListingKind.choices)
    query_id = models.BigIntegerField()
    hit_kind = models.CharField(max_length=12, choices=ListingKind.choices)
    hit_id = models.BigIntegerField()
    rank = models.PositiveSmallIntegerField("名次")
    score = models.FloatField("得分")
    reasons = models.CharField("推荐理由", max_length=500, blank=True)
    shown_at = models.DateTimeField(auto_now_add=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    feedback = models.CharField("反馈", max_length=12, choices=Feedback.choices, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["query_kind", "query_id", "rank"]
        verbose_name = "推荐记录"
        verbose_name_plural = "推荐记录"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query_kind", "query_id", "hit_kind", "hit_id"], name="recommendation_unique"
            ),
            models.CheckConstraint(
                condition=Q(feedback__in=["", *Feedback.values]), name="recommendation_feedback_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query_kind}#{self.query_id} → {self.hit_kind}#{self.hit_id} @{self.rank}"


class IndexChange(models.Model):
    """The match indexes' change log: one row per listing change, written in the same transaction as the
    change. Each server's indexes apply the rows after their checkpoint (kept in the index's meta.json),
    so an achievement published through one server is found through every other."""

    UPSERT, DELETE = "upsert", "delete"
    OPS = [(UPSERT, "上架或更新"), (DELETE, "移出")]

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField("类型", max_length=12, choices=ListingKind.choices)
    listing_id = models.BigIntegerField("条目")
    op = models.CharField("操作", max_length=8, choices=OPS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "索引变更"
        verbose_name_plural = "索引变更"
        indexes = [models.Index(fields=["kind", "id"], name="transfer_indexchange_kind_id")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.listing_id} {self.op} @{self.pk}"
