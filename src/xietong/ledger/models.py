"""Double-entry ledger: accounts, entries and their postings, in integer 分.

Only `xietong.ledger.services.post_entry` writes postings (and moves the cached balances); entries are
never edited, a correction is a reversing entry. A posting's amount is signed: debit > 0, credit < 0;
an account's balance is read in its normal side, so every balance in ordinary use is ≥ 0.
"""

from django.db import models
from django.db.models import Q

from xietong.core import clock
from xietong.core.wording import stored as worded
from xietong.ledger.enums import NormalSide


class Account(models.Model):
    code = models.CharField("账户代码", max_length=120, unique=True)
    name = models.CharField("账户名称", max_length=200)
    kind = models.CharField("账户类别", max_length=40, db_index=True)
    normal_side = models.CharField(
        "余额方向", max_length=6, choices=NormalSide.choices, default=NormalSide.DEBIT
    )
    # Cached balance in the normal side, moved only by post_entry (with F()); checks compare it with Σ postings.
    balance_fen = models.BigIntegerField("余额（分）", default=0)
    allow_negative = models.BooleanField("允许负余额", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "账户"
        verbose_name_plural = "账户"
        constraints = [
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance_fen__gte=0), name="ledger_account_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(normal_side__in=NormalSide.values), name="ledger_normal_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def sign(self) -> int:
        return 1 if self.normal_side == NormalSide.DEBIT else -1


class Entry(models.Model):
    kind = models.CharField("业务类型", max_length=40, db_index=True)
    memo = models.CharField("摘要", max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name="冲销",
    )
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    # The platform clock's time (not auto_now_add): a statement's month cut-off reads it, and the demo books
    # its past months by moving that clock.
    created_at = models.DateTimeField("记账时间", default=clock.now, editable=False, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "分录"
        verbose_name_plural = "分录"

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.memo}"

    @property
    def shown_memo(self) -> str:
        """The memo in the reader's language when it was kept worded (`post_entry`), else as stored."""
        return worded((self.data or {}).get("memo"), self.memo)


class Posting(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    # No index of its own: ledger_posting_account_idx (account, entry) serves every lookup by account.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings", db_index=False)
    amount_fen = models.BigIntegerField("金额（分，借正贷负）")

    class Meta:
        ordering = ["id"]
        verbose_name = "过账"
        verbose_name_plural = "过账"
        indexes = [models.Index(fields=["account", "entry"], name="ledger_posting_account_idx")]
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount_fen:+d}"
