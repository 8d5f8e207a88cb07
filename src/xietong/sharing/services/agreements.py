"""Writes of agreements: creation with parties, the park's enterprises, rule versions and their adoption."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xietong import apportion
from xietong.core import audit, clock
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Invalid
from xietong.regions.models import Region
from xietong.sharing import locks
from xietong.sharing.enums import KIND_OF_TYPE, AgreementKind, Method, RevenueType, VersionStatus
from xietong.sharing.errors import BadRules, ClosedPeriod, OverlappingVersions
from xietong.sharing.models import Agreement, AgreementParty, AgreementVersion, ParkEnterprise, Settlement
from xietong.sharing.periods import first_day, parse_period, period_of
from xietong.sharing.policies import AgreementPolicy
from xietong.sharing.rule_messages import error_zh


def _region(code: str, label: str) -> Region:
    region = Region.objects.filter(code=str(code).strip()).first()
    if region is None:
        raise Invalid(_("%(label)s“%(code)s”不是有效的行政区划代码") % {"label": label, "code": code})
    return region


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    park_name: str,
    host_region: str,
    party_regions: list[str],
    zone_id: int | None = None,
    description: str = "",
) -> Agreement:
    AgreementPolicy.require(actor, "create")
    code, name, park_name = code.strip(), name.strip(), park_name.strip()
    if not code or not name or not park_name:
        raise Invalid(_("请填写协议编号、协议名称和园区名称"))
    if kind not in AgreementKind.values:
        raise Invalid(_("未知的协议类型“%(kind)s”") % {"kind": kind})
    codes = [str(c).strip() for c in party_regions if str(c).strip()]
    if len(codes) < 2:
        raise Invalid(_("协议至少需要两个参与方"))
    if len(set(codes)) != len(codes):
        raise Invalid(_("参与方重复"))
    regions = [_region(c, "参与方") for c in codes]
    host = _region(host_region, "园区所在地")
    AgreementPolicy.require(actor, "create_with", codes)
    if Agreement.objects.filter(
        code=code
    ).exists():  # tenancy-ok: uniqueness of the agreement code across the platform
        raise Conflict(_("协议编号“%(code)s”已被使用") % {"code": code})
    agreement = Agreement.objects.create(
        code=code, name=name, kind=kind, park_name=park_name, host_region=host, zone_id=zone_id,
        description=description, created_by_id=actor.user_id,
    )  # fmt: skip
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, region=r, position=i) for i, r in enumerate(regions)]
    )
    AgreementVersion.objects.create(agreement=agreement, number=1, rules=[], note="初稿")
    audit.record(actor=actor, verb="sharing.agreement_created", target=agreement, data={"parties": codes})
    return agreement


def validate_rules(*, parties: list[str], rules: Any) -> list[dict]:
    """Rules as the agreement stores them (revenue type codes, ratios by region code), checked by the engine."""
    if not isinstance(rules, list) or not rules:
        raise BadRules(_("请至少设置一条分配规则"))
    clean = []
    for raw in rules:
        if not isinstance(raw, dict):
            raise BadRules(_("分配规则格式有误"))
        revenue_type = str(raw.get("revenue_type") or "*").strip()
        if revenue_type != "*" and revenue_type not in RevenueType.values:
            raise BadRules(_("未知的收入类型“%(revenue_type)s”") % {"revenue_type": revenue_type})
        if str(raw.get("method", "")) not in Method.values:
            raise BadRules(_("未知的分配方法“%(value)s”") % {"value": raw.get("method", "")})
        rule = {
            "revenue_type": revenue_type,
            "method": str(raw["method"]),
            "ratios": _pairs(raw.get("ratios")),
        }
        if raw.get("base_period"):
            rule["base_period"] = str(raw["base_period"]).strip()
        if raw.get("host"):
            rule["host"] = str(raw["host"]).strip()
        clean.append(rule)
    try:
        apportion.parse_rules({"parties": parties, "rules": [engine_rule(r) for r in clean]})
    except apportion.ApportionError as exc:
        raise BadRules(_typed(error_zh(exc, translate=_))) from exc
    return clean


def _pairs(ratios: Any) -> list[list]:
    """Ratios as [[party, weight], …] in the order given: the order is the tie-break order, and neither a
    JSON object with numeric keys in a browser nor PostgreSQL's jsonb keeps the order of an object's keys."""
    if isinstance(ratios, dict):
        return [[str(k), v] for k, v in ratios.items()]
    if isinstance(ratios, list) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in ratios):
        return [[str(k), v] for k, v in ratios]
    if ratios in (None, [], {}):
        return []
    raise BadRules(_("分配比例格式有误"))


def engine_rule(rule: dict) -> dict:
    """A stored rule as the engine reads it (ratios as an ordered mapping)."""
    return {**rule, "ratios": {str(k): v for k, v in _pairs(rule.get("ratios"))}}


def _typed(message: str) -> str:
    """Engine messages name a type by its code; show its Chinese name."""
    for value, label in RevenueType.choices:
        message = message.replace(f"“{value}”", f"“{label}”")
    return message


@transaction.atomic
def version_save_draft(*, actor: Actor, agreement: Agreement, rules: Any, note: str = "") -> AgreementVersion:
    """Save the draft's rules (creating the next draft when none is open); a draft never affects settlements."""
    agreement = locks.agreement_for_update(agreement)
    AgreementPolicy.require(actor, "edit", agreement)
    parties = [p.region_id for p in agreement.parties.order_by("position")]
    clean = validate_rules(parties=parties, rules=rules)
    draft = (
        agreement.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    if draft is None:
        number = (agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        draft = AgreementVersion.objects.create(agreement=agreement, number=number)
    draft.rules = clean
    draft.note = note[:200]
    draft.save(update_fields=["rules", "note"])
    audit.record(actor=actor, verb="sharing.draft_saved", target=draft, data={"rules": clean})
    return draft


@transaction.atomic
def version_adopt(
    *,
    actor: Actor,
    agreement: Agreement,
    version: AgreementVersion,
    effective_from: str,
    effective_to: str = "",
) -> AgreementVersion:
    """Put a draft in force from a month on. It may not overlap a version already in force over a settled
    period or a closed one; the open version before it ends the month before and is closed."""
    agreement = locks.agreement_for_update(agreement)
    AgreementPolicy.require(actor, "edit", agreement)
    version = agreement.versions.get(
        pk=version.pk
    )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    if version.status != VersionStatus.DRAFT:
        raise Conflict(_("只有草案可以通过生效"))
    parties = [p.region_id for p in agreement.parties.order_by("position")]
    validate_rules(parties=parties, rules=version.rules)
    start = first_day(parse_period(effective_from))
    end = _month_end(parse_period(effective_to)) if effective_to else None
    if end is not None and end < start:
        raise Invalid(_("截止月份不能早于生效月份"))
    others = list(
        agreement.versions.exclude(status=VersionStatus.DRAFT).exclude(pk=version.pk)
    )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    for other in others:
        other_end = other.effective_to or dt.date.max
        overlaps = start <= other_end and (end or dt.date.max) >= other.effective_from
        if not overlaps:
            continue
        if (
            other.status == VersionStatus.ACTIVE
            and other.effective_to is None
            and start > other.effective_from
        ):
            _refuse_rewriting_settled(agreement, other, start)
            other.effective_to = start - dt.timedelta(days=1)
            other.status = VersionStatus.CLOSED
            other.save(update_fields=["effective_to", "status"])
            audit.record(
                actor=actor, verb="sharing.version_closed", target=other, data={"to": str(other.effective_to)}
            )
            continue
        raise OverlappingVersions(
            _("生效期 %(start)s 起与第 %(number)s 版（%(effective_from)s 至 %(effective_to)s）重叠")
            % {
                "start": period_of(start),
                "number": other.number,
                "effective_from": format(other.effective_from, "%Y-%m"),
                "effective_to": _("今")
                if other.effective_to is None
                else format(other.effective_to, "%Y-%m"),
            }
        )
    version.status = VersionStatus.ACTIVE
    version.effective_from, version.effective_to = start, end
    version.adopted_at = clock.now()
    version.save(update_fields=["status", "effective_from", "effective_to", "adopted_at"])
    audit.record(
        actor=actor,
        verb="sharing.version_adopted",
        target=version,
        data={"from": str(start), "to": str(end or "")},
    )
    return version


def _refuse_rewriting_settled(agreement: Agreement, version: AgreementVersion, start: dt.date) -> None:
    settled = (
        Settlement.objects.filter(
            agreement=agreement, version=version, period__gte=period_of(start)
        )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if settled:
        raise ClosedPeriod(
            _("期间 %(settled)s 已按第 %(number)s 版结算：修订只能从 %(settled)s 之后的月份起生效")
            % {"settled": settled, "number": version.number}
        )


def _month_end(period: str) -> dt.date:
    start = first_day(period)
    following = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@transaction.atomic
def enterprise_add(
    *,
    actor: Actor,
    agreement: Agreement,
    name: str,
    origin: str,
    entry_date: dt.date,
    credit_code: str = "",
    baselines: dict | None = None,
    relocation_start: dt.date | None = None,
    relocation_cap_fen: int | None = None,
) -> ParkEnterprise:
    AgreementPolicy.require(actor, "edit", agreement)
    name = name.strip()
    if not name:
        raise Invalid(_("请填写企业名称"))
    region = _region(origin, "原属地")
    clean_baselines = {}
    for key, fen in (baselines or {}).items():
        if key != "*" and key not in RevenueType.values:
            raise Invalid(_("未知的收入类型“%(key)s”") % {"key": key})
        if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
            raise Invalid(_("固定基数必须是不小于零的整数（分）"))
        clean_baselines[key] = fen
    if relocation_cap_fen is not None and relocation_cap_fen < 0:
        raise Invalid(_("迁出地分享上限不能为负数"))
    try:
        with transaction.atomic():
            enterprise = ParkEnterprise.objects.create(
                agreement=agreement, name=name, credit_code=credit_code.strip(), origin=region,
                entry_date=entry_date, baselines=clean_baselines,
                relocation_start=relocation_start.replace(day=1) if relocation_start else None,
                relocation_cap_fen=relocation_cap_fen,
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(_("园区内已有企业“%(name)s”") % {"name": name}) from exc
    audit.record(
        actor=actor, verb="sharing.enterprise_added", target=enterprise, data={"origin": region.code}
    )
    return enterprise


def type_kind(revenue_type: str) -> str:
    return KIND_OF_TYPE[RevenueType(revenue_type)]
