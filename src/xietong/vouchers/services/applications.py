"""申领 and its review; an approval grants the voucher by moving budget into the grant's account."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from xietong.core import audit, clock
from xietong.core.acting import denial_message
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.money import format_yuan
from xietong.ledger import services as ledger
from xietong.ledger.errors import Overdraw
from xietong.orgs import selectors as org_selectors
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.vouchers import locks
from xietong.vouchers.enums import ApplicationStatus, EntryKind, ProgrammeStatus
from xietong.vouchers.errors import NotEligible, OverCap, PastDeadline
from xietong.vouchers.models import Application, Grant, Programme
from xietong.vouchers.policies import ApplicationPolicy
from xietong.vouchers.selectors import application_get, programme_get
from xietong.vouchers.services.accounts import grant_accounts
from xietong.vouchers.services.common import programme_region_codes, today, voucher_code

FLAGS = (
    ("require_tech_sme", "is_tech_sme", "科技型中小企业"),
    ("require_high_tech", "is_high_tech", "高新技术企业"),
    ("require_little_giant", "is_little_giant", "专精特新“小巨人”企业"),
)


def _check_eligible(programme: Programme, firm) -> None:
    if firm.kind != OrgKind.ENTERPRISE or firm.status != OrgStatus.APPROVED:
        raise NotEligible("仅已认证的企业可以申领创新券")
    if firm.region_id not in programme_region_codes(programme):
        raise NotEligible(f"本方案仅面向{programme.issuer_name}的企业", region=firm.region_id)
    for required, flag, label in FLAGS:
        if getattr(programme, required) and not getattr(firm, flag):
            raise NotEligible(f"本方案仅面向{label}")
    if programme.forfeit_lapse_bp:
        _check_forfeit(programme, firm)


def _check_forfeit(programme: Programme, firm) -> None:
    """A firm that let more than the programme's share of last year's vouchers lapse may not apply this year."""
    last_year = (
        Grant.objects.filter(  # tenancy-ok: the firm's own grants, the firm already resolved by the caller
            enterprise=firm,
            programme__issuer_region_id=programme.issuer_region_id,
            programme__issuer_zone_id=programme.issuer_zone_id,
            programme__year=programme.year - 1,
        ).aggregate(total=Sum("amount_fen"), lapsed=Sum("lapsed_fen"))
    )
    total, lapsed = last_year["total"] or 0, last_year["lapsed"] or 0
    if total and lapsed * 10_000 > programme.forfeit_lapse_bp * total:
        raise NotEligible(
            f"上一年度创新券失效 {lapsed * 100 / total:.1f}%，超过本方案规定的"
            f" {programme.forfeit_lapse_bp / 100:g}%，本年度不得申领",
            lapsed_fen=lapsed,
            granted_fen=total,
        )


def _check_amount(programme: Programme, firm, amount_fen: int) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise Invalid("申领金额必须大于 0", field="amount_fen")
    if amount_fen > programme.per_application_cap_fen:
        raise OverCap(
            f"超过单次申领上限 {format_yuan(programme.per_application_cap_fen)}", field="amount_fen"
        )
    committed = (
        Application.objects.filter(  # tenancy-ok: the firm's own applications under a programme it may see
            programme__year=programme.year,
            programme=programme,
            enterprise=firm,
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED],
        ).aggregate(total=Sum("amount_fen"))["total"]
        or 0
    )
    if committed + amount_fen > programme.per_firm_year_cap_fen:
        raise OverCap(
            f"超过每家企业年度上限 {format_yuan(programme.per_firm_year_cap_fen)}"
            f"（已申领 {format_yuan(committed)}）",
            field="amount_fen",
        )


@transaction.atomic
def application_submit(
    *, actor: Actor, programme_id: int, enterprise_id: int, amount_fen: int, purpose: str
) -> Application:
    """An enterprise applies; eligibility, caps and the application window are checked before anything is written."""
    programme = programme_get(actor=actor, programme_id=programme_id)
    firm = org_selectors.organisation_get(actor=actor, org_id=enterprise_id)
    if not ApplicationPolicy.can(actor, "submit_for", firm):  # a member of a verified organisation only
        raise Forbidden(denial_message(actor, "只能以本单位名义申领创新券"))
    programme = locks.programmes_for_update().get(pk=programme.pk)  # serialises the cap check per programme
    now = today()
    if (
        programme.status != ProgrammeStatus.OPEN
        or not programme.applications_open_on <= now <= programme.applications_close_on
    ):
        raise PastDeadline(
            f"不在申领期内（{programme.applications_open_on:%Y-%m-%d} 至 {programme.applications_close_on:%Y-%m-%d}）"
        )
    _check_eligible(programme, firm)
    _check_amount(programme, firm, amount_fen)
    purpose = (purpose or "").strip()
    if not 2 <= len(purpose) <= 500:
        raise Invalid("请填写用途说明（2–500 个字符）", field="purpose")
    if Application.objects.filter(  # tenancy-ok: uniqueness check for the firm's own application
        programme=programme, enterprise=firm, status=ApplicationStatus.SUBMITTED
    ).exists():
        raise Conflict("该方案下已有待审核的申领，请等待审核结果")
    application = Application.objects.create(
        programme=programme,
        enterprise=firm,
        amount_fen=amount_fen,
        purpose=purpose,
        submitted_by_id=actor.user_id,
    )
    audit.record(actor=actor, verb="voucher.applied", target=application, data={"fen": amount_fen})
    return application


@transaction.atomic
def application_review(
    *, actor: Actor, application_id: int, approve: bool, note: str = "", amount_fen: int | None = None
) -> Application:
    """Approve (granting the amount, or a lower one) or reject with a reason."""
    application = application_get(actor=actor, application_id=application_id)
    ApplicationPolicy.require(actor, "review", application)
    programme = locks.programmes_for_update().get(pk=application.programme_id)
    application = (
        Application.objects.select_for_update(of=("self",))  # re-read under lock after the check
        .select_related("enterprise")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(f"该申领当前状态为“{application.get_status_display()}”，不能重复审核")
    note = (note or "").strip()
    if len(note) > 300:
        raise Invalid("审核意见不能超过 300 个字符", field="note")
    if not approve and not note:
        raise Invalid("驳回时请填写理由", field="note")
    application.reviewed_by_id, application.reviewed_at, application.review_note = (
        actor.user_id,
        clock.now(),
        note,
    )
    if not approve:
        application.status = ApplicationStatus.REJECTED
        application.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit.record(
            actor=actor, verb="voucher.application_rejected", target=application, data={"note": note}
        )
        return application
    amount = application.amount_fen if amount_fen is None else amount_fen
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= application.amount_fen:
        raise Invalid("核定金额应大于 0 且不超过申领金额", field="amount_fen")
    _grant(actor=actor, programme=programme, application=application, amount_fen=amount)
    application.status = ApplicationStatus.APPROVED
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(actor=actor, verb="voucher.application_approved", target=application, data={"fen": amount})
    return application


def _grant(*, actor: Actor, programme: Programme, application: Application, amount_fen: int) -> Grant:
    """Issue the voucher: code, deadlines and the budget → grant entry (never more than the budget left)."""
    issuer = programme.issuer_region_id or f"Z{programme.issuer_zone_id}"
    code = voucher_code(issuer=issuer, year=programme.year, serial=application.pk)
    accounts = grant_accounts(application_id=application.pk, label=code)
    try:
        entry = ledger.post_entry(
            kind=EntryKind.GRANT,
            postings=[(accounts["available_account"], amount_fen), (programme.budget_account, -amount_fen)],
            actor=actor,
            memo=f"发放创新券 {code}",
            idempotency_key=f"voucher.grant:{application.pk}",
        )
    except Overdraw as exc:
        raise Conflict(
            f"方案预算不足：剩余 {format_yuan(exc.detail['remaining_fen'])}，无法核定 {format_yuan(amount_fen)}",
            code="budget_exhausted",
            remaining_fen=exc.detail["remaining_fen"],
        ) from exc
    grant = Grant.objects.create(
        application=application,
        programme=programme,
        enterprise=application.enterprise,
        code=code,
        amount_fen=amount_fen,
        use_deadline=programme.use_deadline,
        redemption_deadline=programme.redemption_deadline,
        entry=entry,
        **accounts,
    )
    audit.record(actor=actor, verb="voucher.granted", target=grant, data={"fen": amount_fen, "code": code})
    return grant
