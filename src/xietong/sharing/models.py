"""Benefit-sharing agreements, their versions, the park's enterprises, revenue records and settlements.

Money and statistical values are integers (分; for statistics, 分 of 元 as well). Revenue records are never
edited: a correction is a new version of the record and the old one stops being current. A settlement is
written once per (agreement, period, revision); a later revision posts only the difference.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.core import clock
from xietong.sharing.enums import AgreementKind, Part, RecordSource, RevenueType, VersionStatus

USER = settings.AUTH_USER_MODEL


class Agreement(models.Model):
    code = models.CharField("协议编号", max_length=40, unique=True)
    name = models.CharField("协议名称", max_length=120)
    kind = models.CharField("类型", max_length=12, choices=AgreementKind.choices)
    park_name = models.CharField("园区 / 飞地名称", max_length=120)
    host_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="园区所在地"
    )
    zone = models.ForeignKey(
        "regions.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所属协同区",
    )
    description = models.TextField("说明", blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "利益共享协议"
        verbose_name_plural = "利益共享协议"

    def __str__(self) -> str:
        return self.name


class AgreementParty(models.Model):
    """A jurisdiction party to the agreement; `position` is its place in the list (the tie-break order)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="参与方"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["agreement", "position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "region"], name="sharing_party_once")]

    def __str__(self) -> str:
        return self.region.name


class AgreementVersion(models.Model):
    """The rules in force from `effective_from` (a month's first day) to `effective_to` (inclusive, or open).

    `rules` is a list of engine rules (revenue_type, method, ratios as [[region code, weight], …] in tie-break
    order, base_period, host);
    cost-sharing ratios are the rule of the `fund` type.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=8, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("截止日期", null=True, blank=True)
    rules = models.JSONField("分配规则", default=list)
    note = models.CharField("修订说明", max_length=200, blank=True)
    adopted_at = models.DateTimeField("通过时间", null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="sharing_version_number_once"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False), name="sharing_version_dated"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="sharing_version_range",
            ),
        ]

    def __str__(self) -> str:
        return gettext("第 %(number)s 版") % {"number": self.number}


class ParkEnterprise(models.Model):
    """An enterprise in the park's scope: its original jurisdiction, its entry date, and for the 2015
    relocation rule its month of full production and the cap of the 迁出地's share."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="enterprises")
    name = models.CharField("企业名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    origin = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="原属地"
    )
    entry_date = models.DateField("入园日期")
    baselines = models.JSONField("固定基数（分）", default=dict, blank=True)
    relocation_start = models.DateField("达产月份", null=True, blank=True)
    relocation_cap_fen = models.BigIntegerField("迁出地分享上限（分）", null=True, blank=True)

    class Meta:
        ordering = ["agreement", "name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "name"], name="sharing_enterprise_once")]

    def __str__(self) -> str:
        return self.name


class RevenueRecord(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="records")
    enterprise = models.ForeignKey(ParkEnterprise, on_delete=models.PROTECT, related_name="records")
    revenue_type = models.CharField("收入类型", max_length=16, choices=RevenueType.choices)
    period = models.CharField("期间", max_length=7)  # YYYY-MM
    amount_fen = models.BigIntegerField("金额（分）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    source = models.CharField("来源", max_length=8, choices=RecordSource.choices, default=RecordSource.IMPORT)
    created_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField("录入时间", default=clock.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = "收入记录"
        verbose_name_plural = "收入记录"
        indexes = [models.Index(fields=["agreement", "period"], name="sharing_record_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "revenue_type", "period", "version"], name="sharing_record_version_once"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "revenue_type", "period"],
                condition=Q(is_current=True),
                name="sharing_record_one_current",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^\d{4}-(0[1-9]|1[0-2])$"), name="sharing_record_period"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(period)s %(type)s 第 %(version)s 版") % {
            "period": self.period,
            "type": self.get_revenue_type_display(),
            "version": self.version,
        }


class Settlement(models.Model):
    """One settlement run of (agreement, period) at a data revision; `adjusts` is the first settlement of the
    period when this one posted only the difference."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="settlements")
    period = models.CharField("期间", max_length=7)
    revision = models.BigIntegerField("数据版本")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="settlements")
    entry = models.OneToOneField(
        "ledger.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjusts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    records = models.PositiveIntegerField("记录数", default=0)
    created_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField("结算时间", default=clock.now, editable=False)

    class Meta:
        ordering = ["agreement", "period", "id"]
        verbose_name = "结算"
        verbose_name_plural = "结算"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period", "revision"], name="sharing_settlement_once"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(period)s 结算") % {"period": self.period}


class SettlementLine(models.Model):
    """The period's full share of a party for a type and part, and the part of it this run posted."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    party = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    revenue_type = models.CharField(max_length=16, choices=RevenueType.choices)
    part = models.CharField(max_length=10, choices=Part.choices)
    amount_fen = models.BigIntegerField("本期应分（分）")
    posted_fen = models.BigIntegerField("本次记账（分）")

    class Meta:
        ordering = ["settlement", "id"]

    def __str__(self) -> str:
        return f"{self.party_id} {self.revenue_type} {self.part} {self.amount_fen}"
