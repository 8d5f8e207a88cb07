"""Using a voucher on an order (reserve), releasing it, 兑付 claims with evidence, review, 公示, objections, payment."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from xietong.core import audit, clock, hotsql, wording
from xietong.core import files as stored_files
from xietong.core.actor import SYSTEM, Actor
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.ids import is_valid_id
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
from xietong.ledger.models import Posting
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.regions import selectors as region_selectors
from xietong.resources import selectors as resource_selectors
from xietong.resources.enums import OPEN_STATUSES, OrderStatus
from xietong.resources.models import ServiceOrder
from xietong.vouchers import locks, reserve_reads, selectors
from xietong.vouchers.enums import (
    EntryKind,
    EvidenceKind,
    GrantStatus,
    Mode,
    ObjectionStatus,
    ProviderScope,
    RedemptionStatus,
)
from xietong.vouchers.errors import (
    BadEvidence,
    IneligibleProvider,
    KeyReused,
    OverCap,
    PastDeadline,
    TooManyObjections,
    WrongState,
)
from xietong.vouchers.models import BundlePartner, Evidence, Grant, Objection, Redemption
from xietong.vouchers.policies import BundlePolicy, GrantPolicy, RedemptionPolicy
from xietong.vouchers.services import accounts
from xietong.vouchers.services.common import (
    is_outside_issuer,
    max_subsidy_fen,
    programme_region_codes,
    settlement_region,
    today,
)

EVIDENCE_KINDS = ("pdf", "jpg", "png")
EVIDENCE_FOLDER = "vouchers/evidence"
MAX_EVIDENCE_FILES = 10


def _max_evidence_bytes() -> int:
    return getattr(settings, "XIETONG_VOUCHER_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


# ---------------------------------------------------------------- bundling


@transaction.atomic
def bundle_invite(*, actor: Actor, order_id: int, enterprise_id: int) -> BundlePartner:
    """The order's customer invites another firm to put its own voucher on the order (several firms, one order)."""
    order = resource_selectors.order_get(actor=actor, order_id=order_id)
    BundlePolicy.require(actor, "invite", order)
    if order.status not in OPEN_STATUSES:
        raise WrongState(
            gettext("订单状态为“%(status)s”，不能再邀请合用企业") % {"status": order.get_status_display()}
        )
    if enterprise_id == order.customer_id:
        raise Invalid(gettext("委托方本身无需邀请"), field="enterprise_id")
    from xietong.orgs import selectors as org_selectors

    partner_org = org_selectors.organisation_get(actor=actor, org_id=enterprise_id)
    if partner_org.kind != OrgKind.ENTERPRISE or partner_org.status != OrgStatus.APPROVED:
        raise Invalid(gettext("只能邀请已认证的企业合用创新券"), field="enterprise_id")
    if partner_org.pk == order.provider_id:
        raise Invalid(gettext("不能邀请订单的服务机构"), field="enterprise_id")
    partner, created = BundlePartner.objects.get_or_create(
        order=order, enterprise=partner_org, defaults={"invited_by_id": actor.user_id}
    )
    if created:
        audit.record(actor=actor, verb="voucher.bundle_invited", target=partner, data={"order": order.number})
    return partner


def _order_for(grant: Grant, order_id: int) -> ServiceOrder:
    """The order, row-locked, if the grant's holder is its customer or an invited partner; NotFound otherwise."""
    if not is_valid_id(order_id):
        raise NotFound(gettext("订单不存在或您无权查看"))
    programme = grant.programme
    zone_id = programme.provider_zone_id if programme.provider_scope == ProviderScope.ZONE else None
    order = reserve_reads.order_for_use(order_id, enterprise_id=grant.enterprise_id, zone_id=zone_id)
    if order is None or not (order.customer_id == grant.enterprise_id or order.has_partner):
        raise NotFound(gettext("订单不存在或您无权查看"))
    return order


def _check_provider(programme, order: ServiceOrder) -> None:
    provider = order.provider
    scope = programme.provider_scope
    if scope == ProviderScope.OWN_REGION:
        ok = provider.region_id in programme_region_codes(programme)
    elif scope == ProviderScope.ZONE:
        in_zone = getattr(order, "provider_in_zone", None)  # read with the order by `_order_for`
        if in_zone is None and programme.provider_zone_id is not None:
            in_zone = provider.region_id in region_selectors.zone_region_codes(programme.provider_zone)
        ok = programme.provider_zone_id is not None and bool(in_zone)
    else:
        ok = programme.named_providers.filter(pk=provider.pk).exists()
    if not ok:
        raise IneligibleProvider(
            gettext("服务机构“%(name)s”不在本方案认可的范围内（%(provider_scope)s）")
            % {"name": provider.name, "provider_scope": programme.get_provider_scope_display()}
        )
    if programme.service_kinds and order.resource.kind not in programme.service_kinds:
        raise IneligibleProvider(gettext("该服务类型不在本方案支持范围内"))


def _check_use(grant: Grant, order: ServiceOrder, amount_fen: int) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise Invalid(gettext("抵扣金额必须大于 0"), field="amount_fen")
    if grant.status != GrantStatus.ACTIVE or today() > grant.use_deadline:
        raise PastDeadline(
            gettext("创新券已过使用截止日期（%(use_deadline)s）")
            % {"use_deadline": format(grant.use_deadline, "%Y-%m-%d")}
        )
    if order.status not in OPEN_STATUSES:
        raise WrongState(
            gettext("订单状态为“%(status)s”，不能使用创新券") % {"status": order.get_status_display()}
        )
    if order.provider_id == grant.enterprise_id:
        raise IneligibleProvider(gettext("不能在本单位提供的服务上使用创新券"))
    _check_provider(grant.programme, order)
    on_order, same = reserve_reads.open_totals(order.pk, grant.programme_id)
    payable = order.payable_fen
    if on_order + amount_fen > payable:
        raise OverCap(
            gettext("创新券抵扣合计不能超过订单金额 %(payable)s（已抵扣 %(on_order)s）")
            % {"payable": format_yuan(payable), "on_order": format_yuan(on_order)}
        )
    ceiling = max_subsidy_fen(grant.programme, payable)
    if same + amount_fen > ceiling:
        raise OverCap(
            gettext("超过本方案对该订单的补贴上限 %(ceiling)s（已抵扣 %(same)s）")
            % {"ceiling": format_yuan(ceiling), "same": format_yuan(same)},
            ceiling_fen=ceiling,
        )


def _requested_fen(redemption: Redemption) -> int:
    """What the first request reserved: a completed order may have released part of it since."""
    if redemption.reserve_entry_id is None:
        return redemption.amount_fen
    return (
        Posting.objects.filter(
            entry_id=redemption.reserve_entry_id, amount_fen__gt=0
        )  # tenancy-ok: the reserve posting of the redemption locked after the policy check
        .values_list("amount_fen", flat=True)
        .first()
        or redemption.amount_fen
    )


def _key(value: str) -> str:
    key = (value or "").strip()
    if not 1 <= len(key) <= 80:
        raise Invalid(gettext("幂等键应为 1–80 个字符"), field="idempotency_key")
    return key


def _grant_for_use(actor: Actor, grant_id: int, idempotency_key: str) -> Grant:
    """The grant, row-locked, with its programme and both accounts, in one statement.

    The locking read is restricted to the actor's organisations' grants (`GrantPolicy.visible` and `usable`),
    so the policy check still comes before the lock: a grant the actor may not use is never locked. When
    nothing comes back (or the key is malformed), the unlocked path gives the usual answers in the usual order:
    NotFound for a grant the actor may not see, Forbidden for one it may not use, Invalid for the key.
    """
    grant = None
    key_ok = isinstance(idempotency_key, str) and 1 <= len(idempotency_key.strip()) <= 80
    if is_valid_id(grant_id) and key_ok and actor.acting_organisation_ids:
        grant = reserve_reads.grant_for_use(grant_id, actor.acting_organisation_ids)
    if grant is None:
        grant = selectors.grant_get(actor=actor, grant_id=grant_id)  # NotFound: missing or not visible
        GrantPolicy.require(actor, "use", grant)  # Forbidden: visible but not the actor's to use
        _key(idempotency_key)  # Invalid
        raise NotFound(gettext("券不存在"))  # not reached: visible and usable, so the locking read found it
    GrantPolicy.require(actor, "use", grant)
    return grant


@transaction.atomic
def redemption_reserve(
    *, actor: Actor, grant_id: int, order_id: int, amount_fen: int, idempotency_key: str
) -> Redemption:
    """Use a voucher on an order: move the amount from the grant's available to its reserved account.

    A replay with the same idempotency key returns the first result and writes nothing; the same key with
    different figures is a 409.
    """
    grant = _grant_for_use(actor, grant_id, idempotency_key)
    key = _key(idempotency_key)
    if done := reserve_reads.redemption_for_key(grant.pk, key):
        if (done.order_id, _requested_fen(done)) != (order_id, amount_fen):
            raise KeyReused()
        return done
    order = _order_for(grant, order_id)
    _check_use(grant, order, amount_fen)
    try:
        entry = ledger.post_entry(
            kind=EntryKind.RESERVE,
            postings=[(grant.reserved_account, amount_fen), (grant.available_account, -amount_fen)],
            actor=actor,
            memo=Wording(
                gettext_noop("创新券 %(code)s 用于订单 %(order)s"),
                {"code": grant.code, "order": order.number},
            ),
        )
    except Overdraw as exc:
        raise Overdraw(
            gettext("创新券余额不足：可用 %(remaining_fen)s，本次需要 %(amount_fen)s")
            % {
                "remaining_fen": format_yuan(exc.detail["remaining_fen"]),
                "amount_fen": format_yuan(amount_fen),
            },
            remaining_fen=exc.detail["remaining_fen"],
        ) from exc
    redemption = hotsql.create(
        Redemption,
        grant=grant,
        order=order,
        programme=grant.programme,
        enterprise_id=grant.enterprise_id,
        provider=order.provider,
        amount_fen=amount_fen,
        idempotency_key=key,
        reserve_entry=entry,
    )
    audit.record(
        actor=actor,
        verb="voucher.reserved",
        target=redemption,
        data={"fen": amount_fen, "order": order.number},
    )
    return redemption


def _release(
    *, actor: Actor, redemption: Redemption, status: str, reason: Any, fen: int | None = None
) -> None:
    """Return (all or `fen` of) a reservation to the grant's available balance. Expects the row locked.
    `reason`: the user's note, or a lazy label / `Wording` (shown in the reader's language)."""
    grant = redemption.grant
    amount = redemption.amount_fen if fen is None else fen
    entry = ledger.post_entry(
        kind=EntryKind.RELEASE,
        postings=[(grant.available_account, amount), (grant.reserved_account, -amount)],
        actor=actor,
        memo=Wording(
            gettext_noop("释放创新券 %(code)s 在订单上的预留：%(reason)s"),
            {"code": grant.code, "reason": reason},
        ),
    )
    if fen is None:
        redemption.status, redemption.release_entry = status, entry
        redemption.save(update_fields=["status", "release_entry"])
    else:
        redemption.amount_fen -= fen
        redemption.save(update_fields=["amount_fen"])
    audit.record(
        actor=actor,
        verb="voucher.released",
        target=redemption,
        data={"fen": amount, "reason": wording.zh(reason)},
    )


@transaction.atomic
def redemption_release(*, actor: Actor, redemption_id: int) -> Redemption:
    """The firm (or the bureau) takes a voucher off an order before the service is done."""
    redemption = selectors.redemption_get(actor=actor, redemption_id=redemption_id)
    RedemptionPolicy.require(actor, "release", redemption)
    redemption = locks.redemptions_for_update().select_related("grant").get(pk=redemption.pk)
    if redemption.status != RedemptionStatus.RESERVED:
        raise WrongState(gettext("只有尚未完成服务的预留可以撤回"))
    _release(
        actor=actor, redemption=redemption, status=RedemptionStatus.RELEASED, reason=gettext_lazy("企业撤回")
    )
    return redemption


@transaction.atomic
def on_order_completed(*, order: ServiceOrder) -> int:
    """Service done: reservations move on; if the final charge fell, the excess over the caps is released."""
    live = list(
        locks.redemptions_for_update()
        .filter(order_id=order.pk, status=RedemptionStatus.RESERVED)
        .select_related("grant", "programme")
    )
    payable = order.payable_fen
    by_programme: dict[int, list[Redemption]] = defaultdict(list)
    for redemption in live:
        by_programme[redemption.programme_id].append(redemption)
    room = payable
    for rows in by_programme.values():
        ceiling = min(max_subsidy_fen(rows[0].programme, payable), room)
        excess = sum(r.amount_fen for r in rows) - ceiling
        for redemption in sorted(rows, key=lambda r: -r.pk):
            if excess <= 0:
                break
            cut = min(excess, redemption.amount_fen)
            if cut == redemption.amount_fen:
                _release(
                    actor=SYSTEM,
                    redemption=redemption,
                    status=RedemptionStatus.RELEASED,
                    reason=gettext_lazy("实际费用低于预留"),
                )
            else:
                _release(
                    actor=SYSTEM,
                    redemption=redemption,
                    status=redemption.status,
                    reason=gettext_lazy("实际费用低于预留"),
                    fen=cut,
                )
            excess -= cut
        room -= min(ceiling, sum(r.amount_fen for r in rows if r.status == RedemptionStatus.RESERVED))
    done = [r for r in live if r.status == RedemptionStatus.RESERVED]
    for redemption in done:
        redemption.status = RedemptionStatus.SERVICE_DONE
        redemption.save(update_fields=["status"])
        audit.record(
            actor=SYSTEM, verb="voucher.service_done", target=redemption, data={"order": order.number}
        )
    return len(done)


@transaction.atomic
def on_order_cancelled(*, order: ServiceOrder) -> int:
    """The order ended unserved (cancelled, rejected, no-show): every open reservation goes back to its grant."""
    rows = list(
        locks.redemptions_for_update()
        .filter(order_id=order.pk, status__in=[RedemptionStatus.RESERVED, RedemptionStatus.SERVICE_DONE])
        .select_related("grant")
    )
    for redemption in rows:
        _release(
            actor=SYSTEM,
            redemption=redemption,
            status=RedemptionStatus.RELEASED,
            reason=Wording(gettext_noop("订单%(status)s"), {"status": OrderStatus(order.status).label}),
        )
    return len(rows)


# ---------------------------------------------------------------- 兑付 claims


def _checked_files(files) -> list[tuple[str, CheckedUpload]]:
    """(kind, checked upload) for each evidence file, all checked before anything is stored."""
    files = list(files or [])
    if not files:
        raise BadEvidence(gettext("请上传兑付材料（至少包括发票）"))
    if len(files) > MAX_EVIDENCE_FILES:
        raise BadEvidence(
            gettext("兑付材料最多 %(MAX_EVIDENCE_FILES)s 个文件") % {"MAX_EVIDENCE_FILES": MAX_EVIDENCE_FILES}
        )
    out, limit = [], _max_evidence_bytes()
    for kind, upload in files:
        name = display_name(upload)
        if kind not in EvidenceKind.values:
            raise BadEvidence(gettext("材料类型“%(kind)s”无效") % {"kind": kind}, file=name)
        claimed = type_for_name(name)
        if claimed is None or has_active_suffix(name):
            raise BadEvidence(
                gettext("文件“%(name)s”类型不支持：仅接受 PDF、JPG、PNG") % {"name": name}, file=name
            )
        size = getattr(upload, "size", 0) or 0
        if size <= 0 or size > limit:
            raise BadEvidence(
                gettext("文件“%(name)s”大小应在 1 字节到 %(limit)s MB 之间")
                % {"name": name, "limit": limit // 1024 // 1024},
                file=name,
            )
        if sniff(upload) is not claimed:
            raise BadEvidence(gettext("文件“%(name)s”内容与扩展名不符") % {"name": name}, file=name)
        try:
            checked = check_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=limit, label=f"文件“{name}”")
        except Invalid as exc:
            raise BadEvidence(exc.message, file=name) from exc
        out.append((kind, checked))
    if EvidenceKind.INVOICE not in {k for k, _ in out}:
        raise BadEvidence(gettext("兑付材料须包括发票"))
    return out


@stored_files.atomic()
def redemption_claim(*, actor: Actor, redemption_id: int, files, note: str = "") -> Redemption:
    """兑付申请: the provider (通兑) or the firm (通用) submits evidence once the service is done.

    The evidence goes to the private storage under generated names, written only if the claim commits.
    """
    redemption = selectors.redemption_get(actor=actor, redemption_id=redemption_id)
    RedemptionPolicy.require(actor, "claim", redemption)
    checked = _checked_files(files)
    if len(note or "") > 500:
        raise Invalid(gettext("兑付说明不能超过 500 个字符"), field="note")
    redemption = locks.redemptions_for_update().select_related("grant").get(pk=redemption.pk)
    if redemption.status != RedemptionStatus.SERVICE_DONE:
        raise WrongState(
            gettext("当前状态为“%(status)s”，服务完成后才能申请兑付")
            % {"status": redemption.get_status_display()}
        )
    if today() > redemption.grant.redemption_deadline:
        raise PastDeadline(
            gettext("已过兑付申请截止日期（%(redemption_deadline)s）")
            % {"redemption_deadline": format(redemption.grant.redemption_deadline, "%Y-%m-%d")}
        )
    for kind, upload in checked:
        stored = stored_files.store(
            stored_files.private_storage(), stored_files.generated_name(EVIDENCE_FOLDER, upload), upload
        )
        Evidence.objects.create(
            redemption=redemption,
            kind=kind,
            file=stored,
            original_name=upload.original_name[:200],
            extension=upload.type.extension,
            size=upload.size,
        )
    redemption.status, redemption.claimed_at, redemption.claim_note = (
        RedemptionStatus.CLAIMED,
        clock.now(),
        note or "",
    )
    redemption.save(update_fields=["status", "claimed_at", "claim_note"])
    audit.record(actor=actor, verb="voucher.claimed", target=redemption, data={"files": len(checked)})
    return redemption


@transaction.atomic
def evidence_open(*, actor: Actor, redemption_id: int, evidence_id: int) -> Evidence:
    """An evidence file for download (404 to those who may not read it); every read leaves an audit event."""
    evidence = selectors.evidence_get(actor=actor, redemption_id=redemption_id, evidence_id=evidence_id)
    audit.record(
        actor=actor,
        verb="voucher.evidence_read",
        target=evidence.redemption,
        data={"evidence": evidence.pk, "kind": evidence.kind},
    )
    return evidence


@transaction.atomic
def redemption_review(*, actor: Actor, redemption_id: int, approve: bool, note: str = "") -> Redemption:
    """The issuing bureau approves a claim (it goes on the 公示 list) or rejects it with a reason (funds return)."""
    redemption = selectors.redemption_get(actor=actor, redemption_id=redemption_id)
    RedemptionPolicy.require(actor, "review", redemption)
    note = (note or "").strip()
    if not approve and not note:
        raise Invalid(gettext("驳回时请填写理由"), field="note")
    if len(note) > 300:
        raise Invalid(gettext("审核意见不能超过 300 个字符"), field="note")
    redemption = (
        locks.redemptions_for_update()
        .select_related("grant", "programme", "provider", "enterprise")
        .get(pk=redemption.pk)
    )
    if redemption.status != RedemptionStatus.CLAIMED:
        raise WrongState(
            gettext("当前状态为“%(status)s”，不能审核") % {"status": redemption.get_status_display()}
        )
    redemption.reviewed_by_id, redemption.reviewed_at, redemption.review_note = (
        actor.user_id,
        clock.now(),
        note,
    )
    redemption.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    if not approve:
        _release(actor=actor, redemption=redemption, status=RedemptionStatus.REJECTED, reason=note)
        return redemption
    programme = redemption.programme
    target = (
        accounts.provider_receivable(programme=programme, provider=redemption.provider)
        if programme.mode == Mode.TONGDUI
        else accounts.firm_reimbursable(programme=programme, firm=redemption.enterprise)
    )
    entry = ledger.post_entry(
        kind=EntryKind.APPROVE,
        postings=[
            (target, redemption.amount_fen),
            (redemption.grant.reserved_account, -redemption.amount_fen),
        ],
        actor=actor,
        memo=Wording(gettext_noop("兑付审核通过：订单 %(order)s"), {"order": redemption.order.number}),
    )
    start = today()
    redemption.status, redemption.approve_entry = RedemptionStatus.PUBLICISED, entry
    redemption.publicity_starts_on = start
    redemption.publicity_ends_on = start + timedelta(days=programme.publicity_days - 1)
    redemption.save(update_fields=["status", "approve_entry", "publicity_starts_on", "publicity_ends_on"])
    audit.record(
        actor=actor, verb="voucher.claim_approved", target=redemption, data={"fen": redemption.amount_fen}
    )
    return redemption


# ---------------------------------------------------------------- 公示 and objections


@transaction.atomic
def objection_raise(*, actor: Actor, redemption_id: int, text: str) -> Objection:
    """An accountable account objects to a redemption on the public 公示 list.

    Each open objection holds the payment, so the policy admits only verified organisations' members and
    public offices, an account holds one open objection per redemption, and it may raise at most
    `XIETONG_OBJECTIONS_PER_PERIOD` objections within one publicity period (counted from that period's start).
    """
    if not actor.is_authenticated:
        raise Forbidden(gettext("请登录后提出异议"))
    redemption = (
        selectors.publicity_list(actor=actor).filter(pk=redemption_id).first()
        if isinstance(redemption_id, int)
        else None
    )
    if redemption is None:
        raise NotFound(gettext("公示记录不存在"))
    RedemptionPolicy.require(actor, "object", redemption)
    if today() > redemption.publicity_ends_on:
        raise PastDeadline(gettext("公示期已结束，不能再提出异议"))
    text = (text or "").strip()
    if not 5 <= len(text) <= 1000:
        raise Invalid(gettext("异议内容应为 5–1000 个字符"), field="text")
    # The account's row serialises its objections, so two at once cannot both slip under the limits.
    get_user_model().objects.select_for_update().filter(pk=actor.user_id).first()
    _check_objection_limits(actor, redemption)
    objection = Objection.objects.create(
        redemption=redemption, raised_by_id=actor.user_id, raised_by_label=actor.label, text=text
    )
    audit.record(
        actor=actor, verb="voucher.objection_raised", target=redemption, data={"objection": objection.pk}
    )
    return objection


def _check_objection_limits(actor: Actor, redemption: Redemption) -> None:
    """Expects the account's user row locked; counts the account's own objections only."""
    own = Objection.objects.filter(raised_by_id=actor.user_id)  # tenancy-ok: the actor's own objections
    if own.filter(redemption=redemption, status=ObjectionStatus.OPEN).exists():
        raise Conflict(
            gettext("您对该公示记录已有一条待处理的异议，请等待主管部门处理"), code="objection_open"
        )
    limit = settings.XIETONG_OBJECTIONS_PER_PERIOD
    if own.filter(created_at__date__gte=redemption.publicity_starts_on).count() >= limit:
        raise TooManyObjections(
            gettext("同一公示期内每个账号最多提出 %(limit)s 条异议；如有更多问题，请联系发券主管部门")
            % {"limit": limit}
        )


@transaction.atomic
def objection_resolve(*, actor: Actor, objection_id: int, upheld: bool, note: str) -> Objection:
    """The issuing bureau decides: an upheld objection revokes the redemption (a reversing entry, then release)."""
    objection = selectors.objection_get(actor=actor, objection_id=objection_id)
    redemption = selectors.redemption_get(actor=actor, redemption_id=objection.redemption_id)
    RedemptionPolicy.require(actor, "resolve_objection", redemption)
    note = (note or "").strip()
    if not 2 <= len(note) <= 300:
        raise Invalid(gettext("请填写处理意见（2–300 个字符）"), field="note")
    redemption = locks.redemptions_for_update().select_related("grant", "approve_entry").get(pk=redemption.pk)
    objection = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)  # checked above
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(gettext("该异议已处理"))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution_note, objection.resolved_by_id, objection.resolved_at = (
        note,
        actor.user_id,
        clock.now(),
    )
    objection.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    if upheld and redemption.status == RedemptionStatus.PUBLICISED:
        ledger.reverse_entry(
            entry=redemption.approve_entry,
            actor=actor,
            memo=Wording(gettext_noop("公示异议成立，撤销兑付：%(note)s"), {"note": note}),
        )
        _release(
            actor=actor,
            redemption=redemption,
            status=RedemptionStatus.REVOKED,
            reason=gettext_lazy("公示异议成立"),
        )
    audit.record(
        actor=actor,
        verb="voucher.objection_resolved",
        target=redemption,
        data={"upheld": upheld, "note": note},
    )
    return objection


# ---------------------------------------------------------------- payment


@transaction.atomic
def redemption_pay(*, actor: Actor, redemption_id: int, reference: str = "") -> Redemption:
    """After 公示 with no open objection: pay a local provider/firm, or hand a cross-region one to settlement."""
    redemption = selectors.redemption_get(actor=actor, redemption_id=redemption_id)
    RedemptionPolicy.require(actor, "pay", redemption)
    redemption = (
        locks.redemptions_for_update()
        .select_related("programme", "provider", "provider__region", "enterprise", "approve_entry")
        .get(pk=redemption.pk)
    )
    if redemption.status != RedemptionStatus.PUBLICISED:
        raise WrongState(
            gettext("当前状态为“%(status)s”，不能支付") % {"status": redemption.get_status_display()}
        )
    if today() <= redemption.publicity_ends_on:
        raise WrongState(
            gettext("公示期至 %(publicity_ends_on)s，期满后方可支付")
            % {"publicity_ends_on": format(redemption.publicity_ends_on, "%Y-%m-%d")}
        )
    if redemption.objections.filter(
        status=ObjectionStatus.OPEN
    ).exists():  # tenancy-ok: open objections of the redemption locked after the policy check
        raise WrongState(gettext("存在未处理的公示异议，处理后方可支付"))
    programme = redemption.programme
    source = (
        redemption.approve_entry.postings.filter(amount_fen__gt=0)
        .select_related("account")
        .get()
        .account  # tenancy-ok: the approve posting of the redemption locked after the policy check
    )
    cross = programme.mode == Mode.TONGDUI and is_outside_issuer(programme, redemption.provider)
    reference = (reference or "").strip()[:60]
    if cross:
        region = settlement_region(redemption.provider.region_id)
        label = f"{programme.issuer_name}→{region_selectors.region_get(region).name}"
        target = accounts.interregion_receivable(
            issuer_key=programme.issuer_key, region_code=region, label=label
        )
        kind, reference = EntryKind.CROSS_REGION, reference or "跨区结算"
    else:
        if not reference:
            raise Invalid(gettext("请填写支付凭证号"), field="reference")
        target, kind = programme.disbursed_account, EntryKind.PAY
    entry = ledger.post_entry(
        kind=kind,
        postings=[(target, redemption.amount_fen), (source, -redemption.amount_fen)],
        actor=actor,
        memo=Wording(
            gettext_noop("兑付订单 %(order)s（%(provider)s）"),
            {"order": redemption.order.number, "provider": redemption.provider.name},
        ),
        idempotency_key=f"voucher.pay:{redemption.pk}",
    )
    redemption.status, redemption.pay_entry, redemption.paid_at = RedemptionStatus.PAID, entry, clock.now()
    redemption.payment_reference = reference
    redemption.save(update_fields=["status", "pay_entry", "paid_at", "payment_reference"])
    audit.record(
        actor=actor,
        verb="voucher.paid",
        target=redemption,
        data={"fen": redemption.amount_fen, "cross_region": cross},
    )
    return redemption
