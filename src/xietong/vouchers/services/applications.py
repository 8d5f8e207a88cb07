"""申领 and its review; an approval grants the voucher by moving budget into the grant's account."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xietong.core import audit, clock
from xietong.core import files as stored_files
from xietong.core.acting import denial_message
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.money import format_yuan
from xietong.core.uploads import (
    CheckedUpload,
    check_upload,
    display_name,
    has_active_suffix,
    sniff,
    type_for_name,
)
from xietong.core.wording import Wording
from xietong.ledger import services as ledger
from xietong.ledger.errors import Overdraw
from xietong.orgs import selectors as org_selectors
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.vouchers import locks, review_levels
from xietong.vouchers.enums import ApplicationStatus, EntryKind, ProgrammeStatus
from xietong.vouchers.errors import NotEligible, OverCap, PastDeadline
from xietong.vouchers.models import Application, ApplicationAttachment, ApplicationReview, Grant, Programme
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
        raise NotEligible(_("仅已认证的企业可以申领创新券"))
    if firm.region_id not in programme_region_codes(programme):
        raise NotEligible(
            _("本方案仅面向%(issuer_name)s的企业") % {"issuer_name": programme.issuer_name},
            region=firm.region_id,
        )
    for required, flag, label in FLAGS:
        if getattr(programme, required) and not getattr(firm, flag):
            raise NotEligible(_("本方案仅面向%(label)s") % {"label": label})
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
            _("上一年度创新券失效 %(lapsed).1f%%，超过本方案规定的 %(forfeit_lapse_bp)s%%，本年度不得申领")
            % {
                "lapsed": lapsed * 100 / total,
                "forfeit_lapse_bp": format(programme.forfeit_lapse_bp / 100, "g"),
            },
            lapsed_fen=lapsed,
            granted_fen=total,
        )


def _check_amount(programme: Programme, firm, amount_fen: int) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise Invalid(_("申领金额必须大于 0"), field="amount_fen")
    if amount_fen > programme.per_application_cap_fen:
        raise OverCap(
            _("超过单次申领上限 %(per_application_cap_fen)s")
            % {"per_application_cap_fen": format_yuan(programme.per_application_cap_fen)},
            field="amount_fen",
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
            _("超过每家企业年度上限 %(per_firm_year_cap_fen)s（已申领 %(committed)s）")
            % {
                "per_firm_year_cap_fen": format_yuan(programme.per_firm_year_cap_fen),
                "committed": format_yuan(committed),
            },
            field="amount_fen",
        )


ATTACHMENT_KINDS = ("pdf", "jpg", "png")
ATTACHMENT_FOLDER = "vouchers/applications"
MAX_ATTACHMENTS = 5


def _max_attachment_bytes() -> int:
    return getattr(settings, "XIETONG_VOUCHER_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def _checked_attachments(files) -> list[CheckedUpload]:
    """Every attachment checked (type by content and by name, size, count) before anything is stored."""
    files = [f for f in (files or []) if f is not None]
    if len(files) > MAX_ATTACHMENTS:
        raise Invalid(
            _("申领附件最多 %(MAX_ATTACHMENTS)s 个文件") % {"MAX_ATTACHMENTS": MAX_ATTACHMENTS}, field="files"
        )
    out, limit = [], _max_attachment_bytes()
    for upload in files:
        name = display_name(upload)
        claimed = type_for_name(name)
        if claimed is None or has_active_suffix(name):
            raise Invalid(_("附件“%(name)s”类型不支持：仅接受 PDF、JPG、PNG") % {"name": name}, field="files")
        if not getattr(upload, "size", 0):
            raise Invalid(_("附件“%(name)s”为空文件") % {"name": name}, field="files")
        if sniff(upload) is not claimed:
            raise Invalid(_("附件“%(name)s”内容与扩展名不符") % {"name": name}, field="files")
        out.append(check_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=limit, label=f"附件“{name}”"))
    return out


@stored_files.atomic()
def application_submit(
    *, actor: Actor, programme_id: int, enterprise_id: int, amount_fen: int, purpose: str, files=None
) -> Application:
    """An enterprise applies, with optional attachments (PDF/JPG/PNG, private storage); eligibility, caps, the
    application window and every file are checked before anything is written."""
    programme = programme_get(actor=actor, programme_id=programme_id)
    firm = org_selectors.organisation_get(actor=actor, org_id=enterprise_id)
    if not ApplicationPolicy.can(actor, "submit_for", firm):  # a member of a verified organisation only
        raise Forbidden(denial_message(actor, _("只能以本单位名义申领创新券")))
    programme = locks.programmes_for_update().get(pk=programme.pk)  # serialises the cap check per programme
    now = today()
    if (
        programme.status != ProgrammeStatus.OPEN
        or not programme.applications_open_on <= now <= programme.applications_close_on
    ):
        raise PastDeadline(
            _("不在申领期内（%(applications_open_on)s 至 %(applications_close_on)s）")
            % {
                "applications_open_on": format(programme.applications_open_on, "%Y-%m-%d"),
                "applications_close_on": format(programme.applications_close_on, "%Y-%m-%d"),
            }
        )
    _check_eligible(programme, firm)
    _check_amount(programme, firm, amount_fen)
    purpose = (purpose or "").strip()
    if not 2 <= len(purpose) <= 500:
        raise Invalid(_("请填写用途说明（2–500 个字符）"), field="purpose")
    if Application.objects.filter(  # tenancy-ok: uniqueness check for the firm's own application
        programme=programme, enterprise=firm, status=ApplicationStatus.SUBMITTED
    ).exists():
        raise Conflict(_("该方案下已有待审核的申领，请等待审核结果"))
    checked = _checked_attachments(files)
    application = Application.objects.create(
        programme=programme,
        enterprise=firm,
        amount_fen=amount_fen,
        purpose=purpose,
        submitted_by_id=actor.user_id,
        review_region=review_levels.first_region(programme, firm.region),
    )
    _store_attachments(application, checked)
    audit.record(
        actor=actor,
        verb="voucher.applied",
        target=application,
        data={"fen": amount_fen, "files": len(checked)},
    )
    return application


def _store_attachments(application: Application, checked: list[CheckedUpload]) -> None:
    """Write checked files (inside `files.atomic()`, which deletes them again if the transaction fails)."""
    for upload in checked:
        stored = stored_files.store(
            stored_files.private_storage(), stored_files.generated_name(ATTACHMENT_FOLDER, upload), upload
        )
        ApplicationAttachment.objects.create(
            application=application,
            file=stored,
            original_name=upload.original_name[:200],
            extension=upload.type.extension,
            size=upload.size,
        )


@stored_files.atomic()
def application_attach(*, actor: Actor, application_id: int, files) -> Application:
    """The enterprise adds files to its application while it waits for review (at most 5 in all)."""
    application = application_get(actor=actor, application_id=application_id)
    ApplicationPolicy.require(actor, "attach", application)
    checked = _checked_attachments(files)
    if not checked:
        raise Invalid(_("请选择要上传的附件"), field="files")
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(_("该申领已%(status)s，不能再添加附件") % {"status": application.get_status_display()})
    if (
        application.attachments.count() + len(checked) > MAX_ATTACHMENTS
    ):  # tenancy-ok: attachments of the application locked after the policy check
        raise Invalid(
            _("申领附件最多 %(MAX_ATTACHMENTS)s 个文件") % {"MAX_ATTACHMENTS": MAX_ATTACHMENTS}, field="files"
        )
    _store_attachments(application, checked)
    audit.record(
        actor=actor, verb="voucher.attachment_added", target=application, data={"files": len(checked)}
    )
    return application


@transaction.atomic
def attachment_open(*, actor: Actor, application_id: int, attachment_id: int) -> ApplicationAttachment:
    """An attachment for download: only for who may see the application (404 otherwise); each read is audited."""
    application = application_get(actor=actor, application_id=application_id)
    attachment = ApplicationAttachment.objects.filter(  # tenancy-ok: under an application the actor may see
        application=application, pk=attachment_id
    ).first()
    if attachment is None:
        raise NotFound(_("附件不存在"))
    audit.record(
        actor=actor, verb="voucher.attachment_read", target=application, data={"attachment": attachment.pk}
    )
    return attachment


@transaction.atomic
def application_review(
    *, actor: Actor, application_id: int, approve: bool, note: str = "", amount_fen: int | None = None
) -> Application:
    """One review step. At a lower level (区县初审…) the bureau passes the application up or rejects it; at the
    issuer's step the application is approved (granting the amount, or a lower 核定金额) or rejected.
    A rejection at any level ends the application with its reason."""
    seen = application_get(actor=actor, application_id=application_id)
    ApplicationPolicy.require(actor, "review", seen)
    programme = locks.programmes_for_update().get(pk=seen.programme_id)
    application = (
        Application.objects.select_for_update(of=("self",))  # re-read under lock after the check
        .select_related("enterprise", "enterprise__region", "review_region", "programme")
        .get(pk=seen.pk)
    )
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(
            _("该申领当前状态为“%(status)s”，不能重复审核") % {"status": application.get_status_display()}
        )
    if application.review_region_id != seen.review_region_id:
        raise Conflict(_("该申领已进入下一级审核，请刷新页面"))
    note = (note or "").strip()
    if len(note) > 300:
        raise Invalid(_("审核意见不能超过 300 个字符"), field="note")
    if not approve and not note:
        raise Invalid(_("驳回时请填写理由"), field="note")
    if application.review_region_id is not None:
        return _review_lower_level(actor=actor, application=application, approve=approve, note=note,
                                   amount_fen=amount_fen)  # fmt: skip
    amount = application.amount_fen if amount_fen is None else amount_fen
    if approve and (
        isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= application.amount_fen
    ):
        raise Invalid(_("核定金额应大于 0 且不超过申领金额"), field="amount_fen")
    step = review_levels.step(programme, application.enterprise.region, None)
    _decide(actor=actor, application=application, approve=approve, note=note, level=step, region=None,
            amount_fen=amount if approve else None)  # fmt: skip
    if not approve:
        return _audit_step(actor=actor, application=application, verb="voucher.application_rejected", step=step,
                           note=note)  # fmt: skip
    _grant(actor=actor, programme=programme, application=application, amount_fen=amount)
    application.status = ApplicationStatus.APPROVED
    application.save(update_fields=["status"])
    return _audit_step(actor=actor, application=application, verb="voucher.application_approved", step=step,
                       fen=amount)  # fmt: skip


def _audit_step(
    *, actor: Actor, application: Application, verb: str, step: tuple[str, str], **data
) -> Application:
    """Each review step's outcome leaves one audit event naming the level (who and 初审/复审/终审)."""
    audit.record(actor=actor, verb=verb, target=application, data={**data, "level": "".join(step)})
    return application


def _review_lower_level(
    *, actor: Actor, application: Application, approve: bool, note: str, amount_fen: int | None
) -> Application:
    """A district / city step (application locked by the caller): pass it to the next level or reject it."""
    if amount_fen is not None:
        raise Invalid(_("核定金额由发券方在最后一级审核时填写，初审不填写金额"), field="amount_fen")
    region, firm_region = application.review_region, application.enterprise.region
    step = review_levels.step(application.programme, firm_region, region)
    _decide(actor=actor, application=application, approve=approve, note=note, level=step, region=region,
            amount_fen=None)  # fmt: skip
    if not approve:
        return _audit_step(actor=actor, application=application, verb="voucher.application_rejected", step=step,
                           note=note)  # fmt: skip
    application.review_region = review_levels.next_region(application.programme, firm_region, region)
    application.save(update_fields=["review_region"])
    following = review_levels.step_label(application.programme, firm_region, application.review_region)
    return _audit_step(actor=actor, application=application, verb="voucher.application_passed_level", step=step,
                       next=following, note=note)  # fmt: skip


def _decide(
    *,
    actor: Actor,
    application: Application,
    approve: bool,
    note: str,
    level: tuple[str, str],
    region,
    amount_fen,
) -> None:
    """Record the step; a rejection ends the application here (its reason is the application's review note)."""
    ApplicationReview.objects.create(
        application=application,
        level="".join(level)[:80],
        step_word=level[1],
        region=region,
        approved=approve,
        note=note,
        amount_fen=amount_fen,
        reviewer_id=actor.user_id,
        reviewer_name=(actor.display_name or actor.username)[:80],
        reviewed_at=clock.now(),
    )
    application.reviewed_by_id, application.reviewed_at, application.review_note = (
        actor.user_id,
        clock.now(),
        note,
    )
    fields = ["reviewed_by", "reviewed_at", "review_note"]
    if not approve:
        application.status = ApplicationStatus.REJECTED
        application.review_region = None
        fields += ["status", "review_region"]
    application.save(update_fields=fields)


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
            memo=Wording(gettext_noop("发放创新券 %(code)s"), {"code": code}),
            idempotency_key=f"voucher.grant:{application.pk}",
        )
    except Overdraw as exc:
        raise Conflict(
            _("方案预算不足：剩余 %(remaining_fen)s，无法核定 %(amount_fen)s")
            % {
                "remaining_fen": format_yuan(exc.detail["remaining_fen"]),
                "amount_fen": format_yuan(amount_fen),
            },
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
