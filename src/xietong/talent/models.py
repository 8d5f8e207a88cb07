"""Talent profiles, the expert library, talent-card schemes and their recognition, appointments, review rounds.

Contacts are personal data: stored once on the profile and masked for every viewer the policy does not
name (`policies.TalentProfilePolicy` "view_contact"). No ID-card number has a column anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.core import explanations
from xietong.talent import eligibility
from xietong.talent.disciplines import DISCIPLINE_CHOICES
from xietong.talent.enums import (
    AppointmentStatus,
    AssignMode,
    ExpertStatus,
    ItemSource,
    RoundStatus,
    SchemeKind,
    SeatStatus,
    TalentTier,
    TitleRank,
)


class TalentProfile(models.Model):
    """人才档案: one person, optionally linked to a user account, at a home organisation."""

    name = models.CharField("姓名", max_length=40, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profile",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="talent_profiles", verbose_name="所在单位"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在地区"
    )
    discipline = models.CharField("学科", max_length=30, choices=DISCIPLINE_CHOICES, db_index=True)
    title_rank = models.CharField("职称", max_length=16, choices=TitleRank.choices, default=TitleRank.NONE)
    tier = models.CharField("人才层次", max_length=2, choices=TalentTier.choices, blank=True, default="")
    position = models.CharField("职务", max_length=60, blank=True)
    expertise = models.TextField("研究专长", blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    achievements = models.ManyToManyField(
        "transfer.Achievement", blank=True, related_name="talent_profiles", verbose_name="关联科技成果"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "人才档案"
        verbose_name_plural = "人才档案"
        indexes = [models.Index(fields=["region", "discipline"], name="talent_region_disc_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=TalentTier.values), name="talent_tier_valid"),
            models.CheckConstraint(condition=Q(title_rank__in=TitleRank.values), name="talent_title_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertEntry(models.Model):
    """专家库 entry: a profile admitted by a bureau for a term, with the 回避 its expert declared."""

    profile = models.OneToOneField(TalentProfile, on_delete=models.PROTECT, related_name="expert")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="入库地区"
    )
    fields = models.JSONField("评审领域", default=list, blank=True)
    term_start = models.DateField("聘期开始")
    term_end = models.DateField("聘期结束")
    is_available = models.BooleanField("可参加评审", default=True)
    yearly_cap = models.PositiveSmallIntegerField("年度评审上限", default=20)
    status = models.CharField(
        "状态", max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    avoid_orgs = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name="申报回避单位"
    )
    avoid_profiles = models.ManyToManyField(
        TalentProfile, blank=True, related_name="+", verbose_name="申报回避人员"
    )
    admitted_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "库内专家"
        verbose_name_plural = "专家库"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="expert_term_order"
            ),
            models.CheckConstraint(condition=Q(status__in=ExpertStatus.values), name="expert_status_valid"),
        ]

    def __str__(self) -> str:
        return self.profile.name


class ZoneSharing(models.Model):
    """Whether a zone's member regions share their expert pools (the 川渝 shared pool)."""

    zone = models.OneToOneField("regions.Zone", on_delete=models.CASCADE, related_name="talent_sharing")
    shares_experts = models.BooleanField("共享专家库", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "协同区专家库共享设置"
        verbose_name_plural = "协同区专家库共享设置"

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.shares_experts}"


class Scheme(models.Model):
    """A region's scheme: a talent card (天府英才卡), or a 职称 / 高技能人才 recognition scheme."""

    name = models.CharField("名称", max_length=60, unique=True)
    kind = models.CharField("类型", max_length=12, choices=SchemeKind.choices, default=SchemeKind.TALENT_CARD)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="发放地区"
    )
    description = models.TextField("说明", blank=True)
    is_illustrative = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "人才卡（认定）制度"
        verbose_name_plural = "人才卡（认定）制度"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SchemeKind.values), name="scheme_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name


class SchemeTier(models.Model):
    """A tier of a scheme (A 卡, B 卡, …); rank 1 is the highest."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="tiers")
    code = models.CharField("代码", max_length=10)
    name = models.CharField("名称", max_length=30)
    rank = models.PositiveSmallIntegerField("等级（1 为最高）")

    class Meta:
        ordering = ["scheme_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="tier_code_unique"),
            models.UniqueConstraint(fields=["scheme", "rank"], name="tier_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="tier_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.name}"


class SchemeService(models.Model):
    """A service the scheme gives at home to holders of tier rank ≤ max_rank."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="services")
    name = models.CharField("服务", max_length=40)
    detail = models.CharField("内容", max_length=300, blank=True)
    max_rank = models.PositiveSmallIntegerField("适用最低等级")
    article = models.CharField("依据条款", max_length=120, blank=True)

    class Meta:
        ordering = ["scheme_id", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="scheme_service_unique")]

    def __str__(self) -> str:
        return self.name


class CardHolding(models.Model):
    """A person holds a tier of a scheme (a card, a recognised 职称 or skill level)."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="cards")
    tier = models.ForeignKey(SchemeTier, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("证号", max_length=40, blank=True)
    issued_on = models.DateField("发放日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["profile", "tier"], name="card_holding_unique")]

    def __str__(self) -> str:
        return f"{self.profile.name} · {self.tier.name}"


class Agreement(models.Model):
    """A recognition agreement: holders of `scheme` are served in `host_region` (terms live in versions)."""

    title = models.CharField("协议名称", max_length=120)
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="agreements", verbose_name="被认可制度"
    )
    host_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="服务地区"
    )
    document = models.CharField("协议文件", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "互认协议"
        verbose_name_plural = "互认协议"
        constraints = [models.UniqueConstraint(fields=["scheme", "host_region"], name="agreement_unique")]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """One version of an agreement's terms, in force on [effective_from, effective_to]; versions never overlap."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    max_rank = models.PositiveSmallIntegerField("适用最低等级")
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement_id", "effective_from"]
        indexes = [models.Index(fields=["agreement", "effective_from"], name="agreement_version_from_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="agreement_version_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} v{self.number}"


class VersionGrant(models.Model):
    """A service a version grants in the host region, and the article of the agreement that grants it."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="grants")
    service = models.CharField("服务", max_length=40)
    article = models.CharField("条款", max_length=120)

    class Meta:
        ordering = ["version_id", "id"]

    def __str__(self) -> str:
        return f"{self.service}（{self.article}）"


class Appointment(models.Model):
    """A part-time post at a host organisation; the home organisation consents (保留身份)."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="appointments")
    host_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="聘用单位"
    )
    home_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="原单位"
    )
    role = models.CharField("岗位", max_length=60)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    time_share = models.PositiveSmallIntegerField("工作时间占比（%）")
    status = models.CharField(
        "状态", max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.OFFERED
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "柔性聘用"
        verbose_name_plural = "柔性聘用"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="appointment_term_order"
            ),
            models.CheckConstraint(
                condition=Q(time_share__gte=1, time_share__lte=50), name="appointment_share_range"
            ),
            models.CheckConstraint(condition=~Q(host_org=models.F("home_org")), name="appointment_other_org"),
        ]

    def __str__(self) -> str:
        return f"{self.profile.name} @ {self.host_org.name}: {self.role}"


class ReviewRound(models.Model):
    """评审轮次 opened by a bureau: items, k experts each, a per-expert cap, the rules and the draw."""

    title = models.CharField("名称", max_length=120)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="组织地区"
    )
    k = models.PositiveSmallIntegerField("每项专家数")
    cap = models.PositiveSmallIntegerField("每位专家上限")
    mode = models.CharField("分配方式", max_length=12, choices=AssignMode.choices, default=AssignMode.RANDOM)
    max_prob = models.FloatField("单对最高概率", default=0.5)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    window_years = models.PositiveSmallIntegerField("合作回避年限", default=3)
    min_other_region = models.PositiveSmallIntegerField("至少外地区专家数", default=0)
    max_same_region = models.PositiveSmallIntegerField("至多同地区专家数", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    objective = models.FloatField("总匹配度", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "评审轮次"
        verbose_name_plural = "评审轮次"
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=1, cap__gte=1), name="round_k_cap_positive"),
            models.CheckConstraint(condition=Q(max_prob__gt=0, max_prob__lte=1), name="round_max_prob_range"),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewItem(models.Model):
    """One item to review: a voucher application, an achievement, or a proposal imported from Excel."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items")
    source = models.CharField("来源", max_length=24, choices=ItemSource.choices)
    source_id = models.BigIntegerField("来源编号", null=True, blank=True)
    title = models.CharField("名称", max_length=200)
    text = models.TextField("内容摘要", blank=True)
    applicant_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申报单位",
    )
    applicant_name = models.CharField("申报单位名称", max_length=120)
    applicant_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="申报单位地区"
    )
    principal = models.ForeignKey(
        TalentProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="项目负责人",
    )
    unsuitable = models.ManyToManyField(
        ExpertEntry, blank=True, related_name="+", verbose_name="申请回避专家"
    )
    exclusions = models.JSONField("回避与排除", default=dict, blank=True)
    blocking = models.CharField("无法配齐的原因", max_length=300, blank=True)
    # The facts behind `blocking` (`assignment.blocking_facts`), so its page words them in the reader's language.
    blocking_data = models.JSONField("无法配齐的依据", default=dict, blank=True)

    class Meta:
        ordering = ["round_id", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def blocking_shown(self) -> str:
        """Why the item could not be staffed, in the reader's language when its facts were kept."""
        if not self.blocking_data:
            return self.blocking
        return eligibility.blocking_text(self.blocking_data, translate=gettext)


class ReviewSeat(models.Model):
    """One expert's seat on one item, with why they were chosen; a declined seat is kept and re-drawn."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(ExpertEntry, on_delete=models.PROTECT, related_name="seats")
    affinity = models.FloatField("匹配度", default=0)
    probability = models.FloatField("抽中概率", null=True, blank=True)
    reason = models.CharField("入选理由", max_length=400, blank=True)
    # The matching evidence behind `reason` (`core.explanations.parts`): the page rewords the reason from it.
    why = models.JSONField("匹配依据", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=SeatStatus.choices, default=SeatStatus.INVITED)
    drawn_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "expert"], name="seat_unique")]

    def __str__(self) -> str:
        return f"{self.item.title} · {self.expert}"

    def reason_in(self, mode: str) -> str:
        """Why the expert holds the seat in the reader's language (`mode`: its round's); as stored for a seat
        drawn before its evidence was kept."""
        if not self.why:
            return self.reason
        return eligibility.chosen_reason(
            affinity=self.affinity,
            explanation=explanations.text(self.why),
            mode=mode,
            probability=self.probability,
            translate=gettext,
        )

    @property
    def reason_shown(self) -> str:
        """`reason_in` its round's mode (reads `item.round`: load it with the seat)."""
        return self.reason_in(self.item.round.mode)
