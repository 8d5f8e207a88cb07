"""Every write of the vouchers app: one function per use case, transactional, audited."""

from xietong.vouchers.services.applications import (
    application_attach,
    application_review,
    application_submit,
    attachment_open,
)
from xietong.vouchers.services.expiry import grants_expire
from xietong.vouchers.services.programmes import programme_close, programme_create
from xietong.vouchers.services.redemptions import (
    bundle_invite,
    evidence_open,
    objection_raise,
    objection_resolve,
    on_order_cancelled,
    on_order_completed,
    redemption_claim,
    redemption_pay,
    redemption_release,
    redemption_reserve,
    redemption_review,
)
from xietong.vouchers.services.settlement import statement_mark_paid, statements_generate

__all__ = [
    "application_attach",
    "application_review",
    "application_submit",
    "attachment_open",
    "bundle_invite",
    "evidence_open",
    "grants_expire",
    "objection_raise",
    "objection_resolve",
    "on_order_cancelled",
    "on_order_completed",
    "programme_close",
    "programme_create",
    "redemption_claim",
    "redemption_pay",
    "redemption_release",
    "redemption_reserve",
    "redemption_review",
    "statement_mark_paid",
    "statements_generate",
]
