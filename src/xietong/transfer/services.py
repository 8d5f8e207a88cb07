"""Every write of the marketplace: one function per use case, transactional, audited, index kept in step."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from xietong.core import audit, clock, explanations
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.excel import ImportReport, RowError, column_label
from xietong.core.money import yuan_to_fen
from xietong.orgs import selectors as org_selectors
from xietong.orgs.models import Organisation
from xietong.orgs.validation import RegionResolver
from xietong.transfer import requirements, search, selectors, validation
from xietong.transfer.enums import ContractKind, Feedback, IntentStatus, ListingKind, ListingStatus
from xietong.transfer.models import (
    AcceptanceList,
    Achievement,
    Contract,
    Demand,
    Intent,
    Recommendation,
    modes_text,
)
from xietong.transfer.policies import POLICIES_BY_KIND, AcceptanceListPolicy, ContractPolicy, IntentPolicy

CLEANERS = {
    ListingKind.ACHIEVEMENT: validation.clean_achievement,
    ListingKind.DEMAND: validation.clean_demand,
}
MODELS = {ListingKind.ACHIEVEMENT: Achievement, ListingKind.DEMAND: Demand}
VERB = {ListingKind.ACHIEVEMENT: "achievement", ListingKind.DEMAND: "demand"}


# ---------------------------------------------------------------- listings


def _owner_for(actor: Actor, owner_id: int | None) -> Organisation:
    """The organisation a listing is published for: given, or the actor's only one."""
    if owner_id is None:
        if len(actor.organisation_ids) != 1:
            raise Invalid(gettext("请选择发布机构"), field="owner")
        owner_id = next(iter(actor.organisation_ids))
    return org_selectors.organisation_get(actor=actor, org_id=owner_id)  # the policy gates its status


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "transfer_modes": modes_text(data["transfer_modes"])}


@transaction.atomic
def listing_publish(*, actor: Actor, kind: str, raw: dict[str, Any], owner_id: int | None = None):
    """Publish an achievement or a demand for one of the actor's organisations."""
    if not actor.is_authenticated:
        raise Forbidden(gettext("请先登录"))
    owner = _owner_for(actor, owner_id)
    POLICIES_BY_KIND[kind].require(actor, "publish_for", owner)
    data = CLEANERS[kind](raw)
    listing = MODELS[kind].objects.create(
        **_fields(data), owner=owner, region_id=owner.region_id, created_by_id=actor.user_id
    )
    audit.record(actor=actor, verb=f"{VERB[kind]}.published", target=listing, data={"title": listing.title})
    search.schedule_sync(kind, [listing.pk])
    return listing


@transaction.atomic
def listing_update(*, actor: Actor, kind: str, pk: int, changes: dict[str, Any]):
    """Edit a listing; every field is re-validated, the owner and region stay."""
    listing = selectors.listing_get(actor=actor, kind=kind, pk=pk)
    POLICIES_BY_KIND[kind].require(actor, "update", listing)
    current = {f: getattr(listing, f) for f in CLEANERS_FIELDS[kind]}
    current["transfer_modes"] = listing.mode_codes
    for fen_key, wan_key in (("price_fen", "price_wan"), ("budget_fen", "budget_wan")):
        if changes.get(wan_key) not in (None, "") and fen_key not in changes:
            current.pop(fen_key, None)
    data = _fields(CLEANERS[kind]({**current, **changes}))
    changed = sorted(f for f, v in data.items() if getattr(listing, f) != v)
    if changed:
        for field in changed:
            setattr(listing, field, data[field])
        listing.save(update_fields=[*changed, "updated_at"])
        audit.record(actor=actor, verb=f"{VERB[kind]}.updated", target=listing, data={"fields": changed})
        search.schedule_sync(kind, [listing.pk])
    return listing


@transaction.atomic
def listing_withdraw(*, actor: Actor, kind: str, pk: int):
    listing = selectors.listing_get(actor=actor, kind=kind, pk=pk)
    POLICIES_BY_KIND[kind].require(actor, "withdraw", listing)
    if listing.status != ListingStatus.PUBLISHED:
        raise Conflict(gettext("该条目已撤回"))
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, verb=f"{VERB[kind]}.withdrawn", target=listing)
    search.schedule_sync(kind, [listing.pk])
    return listing


CLEANERS_FIELDS = {
    ListingKind.ACHIEVEMENT: (
        "title", "keywords", "industry", "contact_name", "contact_phone", "contact_email", "summary",
        "innovation_points", "trl", "ip_type", "patent_numbers", "price_fen",
    ),
    ListingKind.DEMAND: (
        "title", "keywords", "industry", "contact_name", "contact_phone", "contact_email", "problem",
        "indicators", "basis", "trl_min", "budget_fen", "deadline",
    ),
}  # fmt: skip


# ---------------------------------------------------------------- acceptance lists


@transaction.atomic
def acceptance_list_publish(
    *, actor: Actor, raw: dict[str, Any], region_code: str = "", publisher_id: int | None = None
) -> AcceptanceList:
    """A park (for its own region) or a bureau (for a region it governs) publishes an acceptance list."""
    publisher = org_selectors.organisation_get(actor=actor, org_id=publisher_id) if publisher_id else None
    region_code = publisher.region_id if publisher else region_code.strip()
    if not region_code:
        raise Invalid(gettext("请选择承接地区或发布园区"), field="region")
    AcceptanceListPolicy.require(actor, "publish", (region_code, publisher))
    data = validation.clean_acceptance(raw)
    lst = AcceptanceList.objects.create(
        **data, region_id=region_code, publisher=publisher, created_by_id=actor.user_id
    )
    audit.record(actor=actor, verb="acceptance_list.published", target=lst, data={"title": lst.title})
    return lst


# ---------------------------------------------------------------- intents


@transaction.atomic
def intent_express(
    *, actor: Actor, kind: str, listing_id: int, message: str = "", from_org_id: int | None = None
) -> Intent:
    """One of the actor's organisations tells a listing's owner it is interested."""
    listing = selectors.listing_get(actor=actor, kind=kind, pk=listing_id)
    POLICIES_BY_KIND[kind].require(actor, "express_interest", listing)
    candidates = actor.acting_organisation_ids - {listing.owner_id}  # verified organisations only
    if from_org_id is None:
        if len(candidates) != 1:
            raise Invalid(gettext("请选择以哪家机构的名义提交意向"), field="from_org")
        from_org_id = next(iter(candidates))
    if from_org_id not in candidates:
        raise Forbidden(gettext("只能以您所在的其他机构名义提交意向"))
    message = message.strip()
    if len(message) > 1000:
        raise Invalid(gettext("留言不能超过 1000 个字符"), field="message")
    target = {"achievement": listing} if kind == ListingKind.ACHIEVEMENT else {"demand": listing}
    if Intent.objects.filter(  # tenancy-ok: duplicate check on the actor's own organisation
        from_org_id=from_org_id, status__in=[IntentStatus.PENDING, IntentStatus.ACCEPTED], **target
    ).exists():
        raise Conflict(gettext("您已对该条目提交过意向，请等待对方答复"))
    try:
        with transaction.atomic():
            intent = Intent.objects.create(
                from_org_id=from_org_id, to_org_id=listing.owner_id, message=message,
                created_by_id=actor.user_id, **target,
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(gettext("您已对该条目提交过意向，请等待对方答复")) from exc
    audit.record(
        actor=actor, verb="intent.expressed", target=intent, data={"kind": kind, "listing": listing.pk}
    )
    return intent


def _intent_for_update(actor: Actor, pk: int, action: str) -> Intent:
    intent = selectors.intent_get(actor=actor, pk=pk)
    IntentPolicy.require(actor, action, intent)
    # re-read under lock after the visibility and policy checks
    intent = Intent.objects.select_for_update().get(pk=intent.pk)
    if intent.status != IntentStatus.PENDING:
        raise Conflict(
            gettext("该意向当前状态为“%(status)s”，不能再处理") % {"status": intent.get_status_display()}
        )
    return intent


@transaction.atomic
def intent_answer(*, actor: Actor, pk: int, accept: bool, reply: str = "") -> Intent:
    """The listing's owner accepts (contacts become visible to both) or declines (nothing is revealed)."""
    intent = _intent_for_update(actor, pk, "answer")
    reply = reply.strip()
    if len(reply) > 300:
        raise Invalid(gettext("答复不能超过 300 个字符"), field="reply")
    intent.status = IntentStatus.ACCEPTED if accept else IntentStatus.DECLINED
    intent.reply, intent.decided_by_id, intent.decided_at = reply, actor.user_id, clock.now()
    intent.save(update_fields=["status", "reply", "decided_by", "decided_at"])
    audit.record(actor=actor, verb=f"intent.{intent.status}", target=intent, data={"reply": reply})
    return intent


@transaction.atomic
def intent_withdraw(*, actor: Actor, pk: int) -> Intent:
    intent = _intent_for_update(actor, pk, "withdraw")
    intent.status = IntentStatus.WITHDRAWN
    intent.save(update_fields=["status"])
    audit.record(actor=actor, verb="intent.withdrawn", target=intent)
    return intent


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class Suggestion:
    listing: Any
    record: Recommendation | None
    score: float
    reasons: str
    unmet: tuple[str, ...] = ()  # hard requirements this match breaks (shown only when not strict)


def _hits_to_listings(
    actor: Actor, kind: str, hits, *, drop_owner: int | None, drop_province: str | None, k: int
):
    ids = [int(h.id) for h in hits]
    rows = {
        obj.pk: obj
        for obj in selectors.POLICIES[kind]
        .visible_qs(actor)
        .filter(pk__in=ids, status=ListingStatus.PUBLISHED)
        .select_related("owner", "region", "region__parent")
    }
    out = []
    for hit in hits:
        obj = rows.get(int(hit.id))
        if obj is None or obj.owner_id == drop_owner:
            continue
        if drop_province and obj.region_id[:2] == drop_province[:2]:
            continue
        out.append((obj, hit))
        if k is not None and len(out) == k:
            break
    return out


def recommend(*, actor: Actor, kind: str, pk: int, k: int = 10, strict: bool = True) -> list[Suggestion]:
    """为我推荐: the best listings of the other kind for one of the actor's listings, each shown hit recorded.

    ``strict`` drops matches that break a stated hard requirement (TRL, budget, transfer mode);
    otherwise they follow every match that keeps them, each with the broken requirement named.
    """
    if not actor.is_authenticated:
        raise Forbidden(gettext("请先登录"))
    listing = selectors.listing_get(actor=actor, kind=kind, pk=pk)
    POLICIES_BY_KIND[kind].require(actor, "recommend", listing)
    if kind == ListingKind.DEMAND:
        query, target = search.as_query(search.demand_document(listing), kind), ListingKind.ACHIEVEMENT
    else:
        query, target = search.as_query(search.achievement_document(listing), kind), ListingKind.DEMAND
    hits = search.search(target, query, k=k + 40) or []
    pairs = _hits_to_listings(actor, target, hits, drop_owner=listing.owner_id, drop_province=None, k=None)
    pairs = requirements.collapse_duplicates(pairs)

    def broken(obj) -> list[str]:
        return (
            requirements.unmet(listing, obj)
            if kind == ListingKind.DEMAND
            else requirements.unmet(obj, listing)
        )

    checked = [(obj, hit, tuple(broken(obj))) for obj, hit in pairs]
    kept = [c for c in checked if not c[2]]
    if not strict:
        kept += [c for c in checked if c[2]]
    kept = kept[:k]
    records = _record_shown(actor, kind, listing.pk, target, [(obj, hit) for obj, hit, _ in kept])
    return [
        Suggestion(
            listing=obj,
            record=records[obj.pk],
            score=hit.score,
            reasons=explanations.text(hit.explanation),  # the reader's language (the log keeps the Chinese)
            unmet=why,
        )
        for obj, hit, why in kept
    ]


@transaction.atomic
def _record_shown(
    actor: Actor, query_kind: str, query_id: int, hit_kind: str, pairs
) -> dict[int, Recommendation]:
    existing = selectors.recommendations_shown(
        actor=actor, query_kind=query_kind, query_id=query_id, hit_kind=hit_kind
    )
    fresh, changed = [], []
    for rank, (obj, hit) in enumerate(pairs, start=1):
        reasons = hit.explanation.render_zh()[:500]
        record = existing.get(obj.pk)
        if record is None:
            fresh.append(
                Recommendation(
                    user_id=actor.user_id, query_kind=query_kind, query_id=query_id, hit_kind=hit_kind,
                    hit_id=obj.pk, rank=rank, score=hit.score, reasons=reasons,
                )
            )  # fmt: skip
        elif (record.rank, record.reasons) != (rank, reasons):
            record.rank, record.score, record.reasons = rank, hit.score, reasons
            changed.append(record)
    if fresh:
        Recommendation.objects.bulk_create(fresh)
        if any(r.pk is None for r in fresh):
            return _record_shown_reload(actor, query_kind, query_id, hit_kind)
    if changed:
        Recommendation.objects.bulk_update(changed, ["rank", "score", "reasons"])
    return {**existing, **{r.hit_id: r for r in fresh}}


def _record_shown_reload(actor, query_kind, query_id, hit_kind) -> dict[int, Recommendation]:
    return selectors.recommendations_shown(
        actor=actor, query_kind=query_kind, query_id=query_id, hit_kind=hit_kind
    )


def acceptance_matches(*, actor: Actor, pk: int, k: int = 20) -> tuple[AcceptanceList, list[Suggestion]]:
    """Achievements from other provinces matched against an acceptance list (nothing recorded)."""
    lst = selectors.acceptance_list_get(actor=actor, pk=pk)
    hits = search.search(ListingKind.ACHIEVEMENT, search.acceptance_document(lst), k=k + 60) or []
    pairs = _hits_to_listings(
        actor, ListingKind.ACHIEVEMENT, hits, drop_owner=None, drop_province=lst.region_id, k=None
    )
    wanted = set(lst.industries)
    pairs = [
        (obj, hit)
        for obj, hit in requirements.collapse_duplicates(pairs)
        if (not wanted or obj.industry in wanted or hit.explanation.matched)
        and not (lst.trl_min and obj.trl and obj.trl < lst.trl_min)  # the list's TRL is a requirement
    ]
    return lst, [
        Suggestion(listing=obj, record=None, score=hit.score, reasons=explanations.text(hit.explanation))
        for obj, hit in pairs[:k]
    ]


@transaction.atomic
def recommendation_feedback(*, actor: Actor, pk: int, verdict: str) -> Recommendation:
    """Store 有用 / 不相关 / 已联系 on one shown hit (the latest verdict wins; the change is audited)."""
    if verdict not in Feedback.values:
        raise Invalid(gettext("反馈应为 有用、不相关 或 已联系"), field="verdict")
    record = selectors.recommendation_get(actor=actor, pk=pk)
    record.feedback, record.feedback_at = verdict, clock.now()
    record.save(update_fields=["feedback", "feedback_at"])
    audit.record(actor=actor, verb="recommendation.feedback", target=record, data={"verdict": verdict})
    return record


def recommendation_click(*, actor: Actor, pk: int) -> Recommendation:
    record = selectors.recommendation_get(actor=actor, pk=pk)
    if record.clicked_at is None:
        record.clicked_at = clock.now()
        record.save(update_fields=["clicked_at"])
    return record


# ---------------------------------------------------------------- contracts


KIND_BY_LABEL = {label: code for code, label in ContractKind.choices} | {c: c for c in ContractKind.values}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def _parse_date(text: str) -> dt.date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(gettext("签订日期格式应为 YYYY-MM-DD"))
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise ValueError(gettext("签订日期“%(text)s”不是有效日期") % {"text": text}) from exc


@dataclass
class _ContractRow:
    fields: dict[str, Any]
    seller_code: str
    buyer_code: str


def _clean_contract_row(raw: dict[str, str], resolve) -> tuple[_ContractRow | None, list[tuple[str, str]]]:
    headers = {c.key: c.header for c in _columns()}
    labels = {key: column_label(header) for key, header in headers.items()}  # as the reader names them
    errors: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for key, limit in (("registration_no", 40), ("title", 200), ("seller_name", 120), ("buyer_name", 120)):
        value = (raw.get(key) or "").strip()
        if not value:
            errors.append((headers[key], gettext("请填写%(label)s") % {"label": labels[key]}))
        elif len(value) > limit:
            errors.append(
                (
                    headers[key],
                    gettext("%(label)s不能超过 %(limit)s 个字符") % {"label": labels[key], "limit": limit},
                )
            )
        out[key] = value
    kind = KIND_BY_LABEL.get((raw.get("kind") or "").strip())
    if kind is None:
        errors.append(
            (
                headers["kind"],
                gettext("合同类型“%(kind)s”应为技术开发、技术转让、技术许可、技术咨询或技术服务")
                % {"kind": raw.get("kind", "")},
            )
        )
    out["kind"] = kind
    for key in ("seller_region", "buyer_region"):
        try:
            out[f"{key}_id"] = resolve(raw.get(key) or "")
        except ValueError as exc:
            errors.append((headers[key], str(exc)))
    for key in ("amount", "tech_amount"):
        try:
            out[f"{key}_fen"] = yuan_to_fen(raw.get(key) or "")
        except Invalid as exc:
            errors.append(
                (
                    headers[key],
                    exc.message if raw.get(key) else gettext("请填写%(label)s") % {"label": labels[key]},
                )
            )
    amount, tech = out.get("amount_fen"), out.get("tech_amount_fen")
    if amount is not None and amount <= 0:
        errors.append((headers["amount"], gettext("合同金额应大于 0")))
    if tech is not None and tech < 0:
        errors.append((headers["tech_amount"], gettext("技术交易额不能为负数")))
    if amount is not None and tech is not None and tech > amount:
        errors.append((headers["tech_amount"], gettext("技术交易额不能大于合同金额")))
    try:
        out["signed_on"] = _parse_date(raw.get("signed_on") or "")
    except ValueError as exc:
        errors.append((headers["signed_on"], str(exc)))
    if errors:
        return None, errors
    return _ContractRow(out, (raw.get("seller_credit_code") or "").strip().upper(),
                        (raw.get("buyer_credit_code") or "").strip().upper()), []  # fmt: skip


def _columns():
    from xietong.transfer.excel import CONTRACT_COLUMNS

    return CONTRACT_COLUMNS


def _validate_contracts(actor: Actor, rows) -> tuple[list[_ContractRow], list[RowError]]:
    resolve = RegionResolver()
    errors: list[RowError] = []
    cleaned: list[_ContractRow] = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        row, row_errors = _clean_contract_row(raw, resolve)
        errors += [RowError(number, column, message) for column, message in row_errors]
        if row is None:
            continue
        if not ContractPolicy.can(actor, "register_in", row.fields["seller_region_id"]):
            errors.append(
                RowError(number, "卖方地区", gettext("技术合同由卖方所在地登记；该地区不在您的辖区内"))
            )
        number_text = row.fields["registration_no"]
        if number_text in seen:
            errors.append(
                RowError(
                    number,
                    "登记编号",
                    gettext("与第 %(seen)s 行重复：%(number_text)s")
                    % {"seen": seen[number_text], "number_text": number_text},
                )
            )
        seen.setdefault(number_text, number)
        cleaned.append(row)
    taken = Contract.objects.filter(registration_no__in=list(seen)).values_list(
        "registration_no", flat=True
    )  # tenancy-ok: uniqueness check against every registered contract
    for code in sorted(taken, key=seen.get):
        errors.append(
            RowError(seen[code], "登记编号", gettext("%(code)s 已登记，不能重复导入") % {"code": code})
        )
    errors.sort(key=lambda e: (e.row, e.column))
    return cleaned, errors


def _link_orgs(cleaned: list[_ContractRow]) -> None:
    codes = {c for row in cleaned for c in (row.seller_code, row.buyer_code) if c}
    by_code = dict(
        Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", "pk")
    )  # tenancy-ok: linking contract parties by their public credit code
    for row in cleaned:
        row.fields["seller_org_id"] = by_code.get(row.seller_code)
        row.fields["buyer_org_id"] = by_code.get(row.buyer_code)


def contracts_import(*, actor: Actor, rows: Sequence[tuple[int, dict[str, str]]]) -> ImportReport:
    """Validate every row, then register all contracts or none; each bad row is reported in Chinese."""
    if not ContractPolicy.may_import(actor):
        raise Forbidden(gettext("只有技术合同登记机构（地区科技主管部门）或平台管理员可以导入技术合同"))
    report = ImportReport(total_rows=len(rows))
    if not rows:
        report.errors.append(RowError(0, "", gettext("工作簿中没有数据行")))
        return report
    cleaned, report.errors = _validate_contracts(actor, rows)
    if report.errors:
        return report
    _link_orgs(cleaned)
    with transaction.atomic():
        try:
            created = Contract.objects.bulk_create(
                [Contract(**row.fields, registered_by_id=actor.user_id) for row in cleaned], batch_size=500
            )
        except IntegrityError as exc:
            raise Conflict(gettext("导入期间有登记编号被占用，请重新导入")) from exc
        ids = [c.pk for c in created]
        if any(pk is None for pk in ids):
            numbers = [row.fields["registration_no"] for row in cleaned]
            ids = list(
                Contract.objects.filter(registration_no__in=numbers).values_list("pk", flat=True)
            )  # tenancy-ok: the rows this import just wrote
        audit.record_many(actor=actor, verb="contract.imported", model=Contract, target_ids=ids)
    report.created = len(created)
    return report


@transaction.atomic
def contract_register(*, actor: Actor, raw: dict[str, Any], intent_id: int | None = None) -> Contract:
    """Register one contract (same checks as an import row)."""
    if not ContractPolicy.may_import(actor):
        raise Forbidden(gettext("只有技术合同登记机构（地区科技主管部门）或平台管理员可以登记技术合同"))
    text = {k: "" if v is None else str(v) for k, v in raw.items()}
    cleaned, errors = _validate_contracts(actor, [(1, text)])
    if cleaned and not ContractPolicy.can(actor, "register_in", cleaned[0].fields["seller_region_id"]):
        raise Forbidden(gettext("技术合同由卖方所在地登记；该地区不在您的辖区内"))  # a refusal, not bad input
    if errors:
        raise Invalid(
            "；".join(e.message for e in errors),
            code="invalid_contract",
            errors=[e.as_dict() for e in errors],
        )
    _link_orgs(cleaned)
    intent = selectors.intent_get(actor=actor, pk=intent_id) if intent_id else None
    if intent is not None and intent.status != IntentStatus.ACCEPTED:
        raise Conflict(gettext("只有已接受的意向可以关联技术合同"))
    contract = Contract.objects.create(**cleaned[0].fields, intent=intent, registered_by_id=actor.user_id)
    audit.record(
        actor=actor, verb="contract.registered", target=contract, data={"amount_fen": contract.amount_fen}
    )
    return contract
