"""Voucher programmes, applications, grants, redemptions and cross-region settlement statements.

Money is never stored here as a balance: every amount that moves is a ledger entry (xietong.ledger);
the rows below say why it moved and link to the entries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.core.files import private_storage
from xietong.vouchers.enums import (
    ApplicationStatus,
    EvidenceKind,
    GrantStatus,
    Mode,
    ObjectionStatus,
    ProgrammeStatus,
    ProviderScope,
    RedemptionStatus,
    ReviewLevels,
    StatementStatus,
)

ACCOUNT = "ledger.Account"
ENTRY = "ledger.Entry"


def _entry(name: str, related: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        ENTRY, null=True, blank=True, on_delete=models.PROTECT, related_name=related, verbose_name=name
    )


class Programme(models.Model):
    """A voucher programme run by a region's bureau or a zone office."""

    name = models.CharField("方案名称", max_length=120)
    code = models.SlugField("方案代码", max_length=40, unique=True)
    mode = models.CharField("跨区模式", max_length=10, choices=Mode.choices)
    status = models.CharField(
        "状态", max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.OPEN
    )
    issuer_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发券地区",
    )
    issuer_zone = models.ForeignKey(
        "regions.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发券协同区",
    )
    year = models.PositiveIntegerField("年度")
    budget_fen = models.BigIntegerField("预算（分）")
    applications_open_on = models.DateField("申领开始")
    applications_close_on = models.DateField("申领截止")
    require_tech_sme = models.BooleanField("限科技型中小企业", default=False)
    require_high_tech = models.BooleanField("限高新技术企业", default=False)
    require_little_giant = models.BooleanField("限专精特新“小巨人”", default=False)
    per_application_cap_fen = models.BigIntegerField("单次申领上限（分）")
    per_firm_year_cap_fen = models.BigIntegerField("每家企业年度上限（分）")
    subsidy_ratio_bp = models.PositiveIntegerField("补贴比例（万分比）", default=5000)
    full_subsidy_below_fen = models.BigIntegerField("全额补贴门槛（分，订单金额低于此值全额抵扣）", default=0)
    provider_scope = models.CharField("服务机构范围", max_length=12, choices=ProviderScope.choices)
    provider_zone = models.ForeignKey(
        "regions.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="认可协同区",
    )
    named_providers = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="voucher_programmes", verbose_name="指定服务机构"
    )
    service_kinds = models.JSONField("服务类型", default=list, blank=True)
    use_deadline = models.DateField("使用截止")
    redemption_deadline = models.DateField("兑付申请截止")
    forfeit_lapse_bp = models.PositiveIntegerField(
        "失效比例超过此值次年不得申领（万分比，0=不限）", default=0
    )
    publicity_days = models.PositiveIntegerField("公示天数", default=7)
    review_levels = models.CharField(
        "分级审核", max_length=40, choices=ReviewLevels.choices, default=ReviewLevels.NONE, blank=True
    )
    funding_account = models.OneToOneField(ACCOUNT, on_delete=models.PROTECT, related_name="+")
    budget_account = models.OneToOneField(ACCOUNT, on_delete=models.PROTECT, related_name="+")
    disbursed_account = models.OneToOneField(ACCOUNT, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "创新券方案"
        verbose_name_plural = "创新券方案"
        constraints = [
            models.CheckConstraint(
                condition=Q(issuer_region__isnull=False, issuer_zone__isnull=True)
                | Q(issuer_region__isnull=True, issuer_zone__isnull=False),
                name="programme_one_issuer",
            ),
            models.CheckConstraint(condition=Q(budget_fen__gt=0), name="programme_budget_positive"),
            models.CheckConstraint(condition=Q(per_application_cap_fen__gt=0), name="programme_cap_positive"),
            models.CheckConstraint(
                condition=Q(per_firm_year_cap_fen__gt=0), name="programme_year_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(subsidy_ratio_bp__gte=1, subsidy_ratio_bp__lte=10000),
                name="programme_ratio_range",
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="programme_mode_valid"),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=models.F("applications_open_on"))
                & Q(redemption_deadline__gte=models.F("use_deadline")),
                name="programme_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issuer_key(self) -> str:
        return f"R{self.issuer_region_id}" if self.issuer_region_id else f"Z{self.issuer_zone_id}"

    @property
    def issuer_name(self) -> str:
        return str(self.issuer_region or self.issuer_zone)


class Application(models.Model):
    """申领: an enterprise asks a programme for an amount."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="voucher_applications"
    )
    amount_fen = models.BigIntegerField("申领金额（分）")
    purpose = models.CharField("用途说明", max_length=500)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    # Where a submitted application waits in a levelled review: the region whose bureau reviews it now
    # (the applicant's district or city); None when it waits for the issuer (or the review is over).
    review_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="当前审核地区",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "创新券申领"
        verbose_name_plural = "创新券申领"
        indexes = [models.Index(fields=["programme", "status"], name="voucher_app_prog_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="voucher_app_amount_positive")
        ]

    def __str__(self) -> str:
        return gettext("%(enterprise)s申领“%(programme)s”") % {
            "enterprise": self.enterprise.name,
            "programme": self.programme.name,
        }


class ApplicationReview(models.Model):
    """One step of a levelled review (区县初审, 市级复审…) or the issuer's decision: who, where, what, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    level = models.CharField("审核级别", max_length=80)  # "嘉兴市南湖区初审": who and which step
    step_word = models.CharField("审核环节", max_length=4)  # 初审 / 复审 / 终审 / 审核 (translated on pages)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核地区",
    )
    approved = models.BooleanField("通过")
    note = models.CharField("审核意见", max_length=300, blank=True)
    amount_fen = models.BigIntegerField("核定金额（分）", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField("审核单位", max_length=80, blank=True)
    reviewed_at = models.DateTimeField("审核时间")

    class Meta:
        ordering = ["id"]
        verbose_name = "申领审核记录"
        verbose_name_plural = "申领审核记录"

    def __str__(self) -> str:
        return f"{self.application} · {self.level}"


class StoredFileRecord(models.Model):
    """What an uploaded private file keeps beside its stored name: the uploader's name (shown and used for the
    download), the detected extension, the size and when it came; each subclass adds its owner and `file`."""

    original_name = models.CharField("原文件名", max_length=200)
    extension = models.CharField(max_length=6)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationAttachment(StoredFileRecord):
    """A file the enterprise attached to its application (business licence, quotation, plan…)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    # private: served only by the attachment view, which asks ApplicationPolicy through application_get
    file = models.FileField(
        "文件", upload_to="vouchers/applications/", storage=private_storage, max_length=120
    )

    class Meta(StoredFileRecord.Meta):
        verbose_name = "申领附件"
        verbose_name_plural = "申领附件"


class Grant(models.Model):
    """额度: an approved amount with a code and deadlines; its money sits in two ledger accounts."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grants")
    enterprise = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="voucher_grants"
    )
    code = models.CharField("券码", max_length=40, unique=True)
    amount_fen = models.BigIntegerField("额度（分）")
    use_deadline = models.DateField("使用截止")
    redemption_deadline = models.DateField("兑付申请截止")
    status = models.CharField(
        "状态", max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE, db_index=True
    )
    lapsed_fen = models.BigIntegerField("到期收回（分）", default=0)
    available_account = models.OneToOneField(ACCOUNT, on_delete=models.PROTECT, related_name="+")
    reserved_account = models.OneToOneField(ACCOUNT, on_delete=models.PROTECT, related_name="+")
    entry = _entry("发放分录")
    granted_at = models.DateTimeField("发放时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "创新券额度"
        verbose_name_plural = "创新券额度"
        indexes = [models.Index(fields=["enterprise", "status"], name="voucher_grant_ent_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="voucher_grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(lapsed_fen__gte=0, lapsed_fen__lte=models.F("amount_fen")),
                name="voucher_grant_lapse_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class BundlePartner(models.Model):
    """A firm the order's customer invited to put its own voucher on the same order (bundling)."""

    order = models.ForeignKey(
        "resources.ServiceOrder", on_delete=models.CASCADE, related_name="voucher_partners"
    )
    enterprise = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["order", "enterprise"], name="voucher_bundle_unique")]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.enterprise.name}"


class Redemption(models.Model):
    """One voucher used on one order: reserved, then claimed (兑付), reviewed, publicised, paid."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="redemptions")
    order = models.ForeignKey(
        "resources.ServiceOrder", on_delete=models.PROTECT, related_name="voucher_redemptions"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="redemptions")
    enterprise = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="voucher_redemptions"
    )
    amount_fen = models.BigIntegerField("抵扣金额（分）")
    idempotency_key = models.CharField("幂等键", max_length=80)
    status = models.CharField(
        "状态",
        max_length=14,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.RESERVED,
        db_index=True,
    )
    reserve_entry = _entry("预留分录")
    release_entry = _entry("释放分录")
    approve_entry = _entry("审核分录")
    pay_entry = _entry("支付分录")
    claim_note = models.CharField("兑付说明", max_length=500, blank=True)
    claimed_at = models.DateTimeField("兑付申请时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束", null=True, blank=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    payment_reference = models.CharField("支付凭证号", max_length=60, blank=True)
    created_at = models.DateTimeField("预留时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "创新券使用"
        verbose_name_plural = "创新券使用"
        indexes = [
            models.Index(fields=["programme", "status"], name="voucher_red_prog_status_idx"),
            models.Index(fields=["provider", "status"], name="voucher_red_prov_status_idx"),
            models.Index(fields=["order", "status"], name="voucher_red_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="voucher_redemption_amount_positive"),
            models.UniqueConstraint(
                fields=["grant", "idempotency_key"], name="voucher_redemption_idempotent"
            ),
        ]

    def __str__(self) -> str:
        return gettext("订单 %(number)s 用券 %(code)s") % {
            "number": self.order.number,
            "code": self.grant.code,
        }


def _evidence_path(instance, filename: str) -> str:
    """Kept for migration 0001 only: names are now generated by core.files (uuid4, detected type)."""
    return f"vouchers/evidence/{instance.redemption_id}/{instance.kind}{instance.extension}"


class Evidence(StoredFileRecord):
    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("材料类型", max_length=10, choices=EvidenceKind.choices)
    # private: served only by the evidence views, which ask RedemptionPolicy and leave an audit event
    file = models.FileField("文件", upload_to="vouchers/evidence/", storage=private_storage, max_length=120)

    class Meta(StoredFileRecord.Meta):
        verbose_name = "兑付材料"
        verbose_name_plural = "兑付材料"


class Objection(models.Model):
    """An objection raised while a redemption is on the 公示 list."""

    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by_label = models.CharField(max_length=150)
    text = models.CharField("异议内容", max_length=1000)
    status = models.CharField(
        "状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution_note = models.CharField("处理意见", max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        constraints = [
            # An open objection holds the payment: one per account and redemption (objection_raise).
            models.UniqueConstraint(
                fields=["redemption", "raised_by"],
                condition=Q(status=ObjectionStatus.OPEN),
                name="objection_one_open_per_account",
            ),
        ]

    def __str__(self) -> str:
        return gettext("对%(redemption)s的异议") % {"redemption": self.redemption}


class Statement(models.Model):
    """One period's cross-region settlement between an issuing bureau and a provider region."""

    number = models.CharField("结算单号", max_length=40, unique=True)
    issuer_key = models.CharField("发券方", max_length=12)
    issuer_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issuer_zone = models.ForeignKey(
        "regions.Zone", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterpart_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="服务机构所在地区"
    )
    period = models.DateField("结算期（月初）")
    total_fen = models.BigIntegerField("合计（分）")
    line_count = models.PositiveIntegerField("明细条数")
    status = models.CharField(
        "状态", max_length=8, choices=StatementStatus.choices, default=StatementStatus.ISSUED
    )
    entry = models.OneToOneField(ENTRY, on_delete=models.PROTECT, related_name="+")
    paid_entry = _entry("支付分录")
    paid_reference = models.CharField("支付凭证号", max_length=60, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # private: the bank's payment slip, served only by a view that asks StatementPolicy
    paid_proof = models.FileField(
        "支付凭证", upload_to="vouchers/statements/", storage=private_storage, max_length=120, blank=True
    )
    paid_proof_name = models.CharField("支付凭证原文件名", max_length=200, blank=True)
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        ordering = ["-period", "issuer_key", "counterpart_region_id"]
        verbose_name = "结算单"
        verbose_name_plural = "结算单"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "counterpart_region", "period"], name="statement_unique_period"
            ),
            models.CheckConstraint(condition=Q(total_fen__gt=0), name="statement_total_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def issuer_name(self) -> str:
        return str(self.issuer_region or self.issuer_zone)


class StatementLine(models.Model):
    """One cross-region payout on a statement, traceable to the posting that created the claim.

    `posting` and `redemption` carry no database foreign key: a period's million lines would cost PostgreSQL two
    million row locks and WAL records at commit (two thirds of statement generation). The one writer (the
    INSERT … SELECT in `services.settlement`) joins both rows, postings can never be deleted (ledger trigger),
    redemptions are protected here (PROTECT) and `checks.statement_lines_traceable` verifies every line.
    """

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    posting = models.OneToOneField(
        "ledger.Posting", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    redemption = models.ForeignKey(
        Redemption, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    amount_fen = models.BigIntegerField("金额（分）")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="statement_line_positive")]

    def __str__(self) -> str:
        return f"{self.statement.number} · {self.redemption}"


class PayeeAccount(models.Model):
    """The account a region receives cross-region settlements on, kept by that region's bureau; statements
    print it for the paying finance office."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="收款地区"
    )
    account_name = models.CharField("户名", max_length=100)
    bank_name = models.CharField("开户银行", max_length=100)
    account_no = models.CharField("账号", max_length=40)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "结算收款账户"
        verbose_name_plural = "结算收款账户"

    def __str__(self) -> str:
        return f"{self.region_id} {self.account_name}"
