"""Settlement paperwork: the payee's account printed on statements, and 标记已支付 with the bank's payment slip
and an explicit confirmation of the amount in capitals."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from xietong.core import audit
from xietong.core import files as stored_files
from xietong.core.actor import Actor
from xietong.core.errors import Invalid
from xietong.core.money_words import capitals
from xietong.core.uploads import check_upload
from xietong.vouchers import selectors
from xietong.vouchers.models import PayeeAccount, Statement
from xietong.vouchers.policies import PayeeAccountPolicy, StatementPolicy
from xietong.vouchers.services.settlement import statement_mark_paid

PROOF_KINDS = ("pdf", "jpg", "png")
PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_FOLDER = "vouchers/statements"


def _clean(value: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(gettext("请填写%(label)s") % {"label": label}, field=label)
    if len(text) > max_length:
        raise Invalid(
            gettext("%(label)s不能超过 %(max_length)s 个字符") % {"label": label, "max_length": max_length},
            field=label,
        )
    return text


@transaction.atomic
def payee_account_set(
    *, actor: Actor, region_code: str, account_name: str, bank_name: str, account_no: str
) -> PayeeAccount:
    PayeeAccountPolicy.require(actor, "set", region_code)
    number = _clean(account_no, "账号", 40).replace(" ", "")
    if not number.isdigit() or not 8 <= len(number) <= 32:
        raise Invalid(gettext("账号应为 8–32 位数字"), field="账号")
    account, _ = PayeeAccount.objects.update_or_create(
        region_id=region_code,
        defaults={
            "account_name": _clean(account_name, "户名", 100),
            "bank_name": _clean(bank_name, "开户银行", 100),
            "account_no": number,
            "updated_by_id": actor.user_id,
        },
    )
    audit.record(actor=actor, verb="voucher.payee_account_set", target=account, data={"region": region_code})
    return account


@stored_files.atomic()
def statement_pay_with_proof(
    *, actor: Actor, statement_id: int, reference: str, proof, confirmed_capitals: str
) -> Statement:
    """标记已支付 from the page: the payment slip is required, and the payer re-types nothing but confirms
    the amount in capitals it sees; a mismatch (a stale page) is refused before anything is written."""
    statement = selectors.statement_get(actor=actor, statement_id=statement_id)
    StatementPolicy.require(actor, "mark_paid", statement)
    if (confirmed_capitals or "").strip() != capitals(statement.total_fen):
        raise Invalid(gettext("请确认大写金额与结算单一致后再标记已支付"), field="confirm")
    if proof is None:
        raise Invalid(gettext("请上传银行支付凭证（PDF 或图片）"), field="proof")
    checked = check_upload(proof, kinds=PROOF_KINDS, max_bytes=PROOF_MAX_BYTES, label="支付凭证")
    statement = statement_mark_paid(actor=actor, statement_id=statement_id, reference=reference)
    stored = stored_files.store(
        stored_files.private_storage(), stored_files.generated_name(PROOF_FOLDER, checked), checked
    )
    Statement.objects.filter(pk=statement.pk).update(  # the row was locked and updated by statement_mark_paid
        paid_proof=stored, paid_proof_name=checked.original_name[:200]
    )
    statement.paid_proof, statement.paid_proof_name = stored, checked.original_name[:200]
    audit.record(actor=actor, verb="voucher.statement_proof", target=statement, data={"file": stored})
    return statement
