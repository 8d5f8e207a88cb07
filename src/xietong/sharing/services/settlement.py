"""Settlement: shares per party for each period, posted on the ledger, idempotent per data revision.

A period's revision is the largest record id among the agreement's records up to and including it (any
import or correction that can change the period's cumulative figures raises it). Settling a period at a
revision already settled returns that settlement and posts nothing; at a new revision, the period's shares
are computed afresh and only the difference from what was posted before is posted, as an adjusting entry
that names the original. So correcting and re-settling leaves exactly the balances of settling the
corrected data from scratch. All pending periods of an agreement are computed in one engine pass.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from xietong import apportion, ledger
from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import Invalid
from xietong.ledger.enums import NormalSide
from xietong.sharing import locks
from xietong.sharing.enums import KIND_OF_TYPE, Method, RevenueKind, VersionStatus
from xietong.sharing.errors import BadRules, ClosedPeriod, NoVersion
from xietong.sharing.loading import load_records
from xietong.sharing.models import (
    Agreement,
    AgreementVersion,
    ParkEnterprise,
    RevenueRecord,
    Settlement,
    SettlementLine,
)
from xietong.sharing.periods import first_day, parse_period, period_of
from xietong.sharing.policies import AgreementPolicy
from xietong.sharing.rule_messages import error_zh
from xietong.sharing.services.agreements import engine_rule, validate_rules

EARLIEST = "0000-00"


def governing_version(versions: list[AgreementVersion], period: str) -> AgreementVersion | None:
    day = first_day(period)
    for version in versions:
        if version.status == VersionStatus.DRAFT or version.effective_from is None:
            continue
        if version.effective_from <= day and (version.effective_to is None or day <= version.effective_to):
            return version
    return None


def revisions(agreement_id: int, *, until: str = "9999-99") -> dict[str, int]:
    """Period → revision (running max of record ids through the period), for periods that have records."""
    rows = (
        RevenueRecord.objects.filter(
            agreement_id=agreement_id, period__lte=until
        )  # tenancy-ok: called by services after the policy check
        .values("period")
        .annotate(top=Max("id"))
        .order_by("period")
    )
    out, running = {}, 0
    for row in rows:
        running = max(running, row["top"])
        out[row["period"]] = running
    return out


def _latest_settlements(agreement: Agreement) -> dict[str, Settlement]:
    out: dict[str, Settlement] = {}
    for s in Settlement.objects.filter(agreement=agreement).order_by(
        "period", "id"
    ):  # tenancy-ok: the agreement's own rows, read after its lock and policy check
        out[s.period] = s
    return out


@transaction.atomic
def settle(*, actor: Actor, agreement: Agreement, period: str = "") -> list[Settlement]:
    """Settle one period (or every period with records whose settlement is missing or stale); returns the
    period's settlement(s). Concurrent calls queue on the agreement's row lock; the later ones find the
    work done and post nothing."""
    agreement = locks.agreement_for_update(agreement)
    AgreementPolicy.require(actor, "settle", agreement)
    wanted = parse_period(period) if period else ""
    revs = revisions(agreement.pk, until=wanted or "9999-99")
    if wanted and wanted not in revs:
        raise Invalid(gettext("期间 %(wanted)s 没有收入记录，无需结算") % {"wanted": wanted})
    latest = _latest_settlements(agreement)
    versions = list(
        agreement.versions.all()
    )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    targets = [wanted] if wanted else sorted(revs)
    pending = [p for p in targets if p not in latest or latest[p].revision != revs[p]]
    # Periods before the first version in force (a base year) are data, not settlements.
    pending = [p for p in pending if governing_version(versions, p) is not None or p == wanted]
    if not pending:
        return [latest[p] for p in targets if p in latest]
    by_version: dict[int, list[str]] = defaultdict(list)
    for p in pending:
        version = governing_version(versions, p)
        if version is None:
            raise NoVersion(gettext("期间 %(p)s 没有生效的协议版本：请先通过一版分配规则") % {"p": p})
        if version.status == VersionStatus.CLOSED and p in latest:
            raise ClosedPeriod(
                gettext("期间 %(p)s 已按已关闭的第 %(number)s 版结算，不能再修改")
                % {"p": p, "number": version.number}
            )
        by_version[version.pk].append(p)
    done = []
    for version_id, periods in by_version.items():
        version = next(v for v in versions if v.pk == version_id)
        totals, counts = compute_totals(
            agreement=agreement, version=version, rules=version.rules, periods=periods
        )
        for p in periods:
            done.append(
                _record(
                    actor, agreement, version, p, revs[p], totals.get(p, {}), counts.get(p, 0), latest.get(p)
                )
            )
    if wanted:
        return done
    return done


@dataclass(frozen=True)
class _Inputs:
    table: apportion.RevenueTable
    rule_set: apportion.RuleSet


def compute_totals(*, agreement: Agreement, version: AgreementVersion, rules: list[dict], periods: list[str]):
    """Σ shares per period → {(party, type, part): 分}, and records per period, for the given periods under
    `rules`, in one engine pass over the year-to-date windows they need."""
    inputs = engine_inputs(agreement=agreement, version=version, rules=rules, periods=periods)
    try:
        result = apportion.apportion(inputs.table, inputs.rule_set)
    except apportion.ApportionError as exc:
        raise BadRules(error_zh(exc, translate=gettext)) from exc
    return _period_totals(result, set(periods))


def engine_inputs(
    *,
    agreement: Agreement,
    version: AgreementVersion,
    rules: list[dict],
    periods: list[str],
    enterprise_id: int | None = None,
) -> _Inputs:
    parties = [p.region_id for p in agreement.parties.order_by("position")]
    last = max(periods)
    year_start = f"{min(periods)[:4]}-01"
    start = max(year_start, period_of(version.effective_from)) if version.effective_from else year_start
    relocation_types = [r["revenue_type"] for r in rules if r["method"] == Method.RELOCATION]
    if relocation_types:
        other = load_records(agreement_id=agreement.pk, start=start, end=last, enterprise_id=enterprise_id)
        reloc = load_records(agreement_id=agreement.pk, start=EARLIEST, end=last, enterprise_id=enterprise_id)
        table = _merge_relocation(other, reloc, relocation_types, start)
    else:
        table = load_records(agreement_id=agreement.pk, start=start, end=last, enterprise_id=enterprise_id)
    engine_rules = [{k: v for k, v in engine_rule(r).items() if k != "base_period"} for r in rules]
    baselines = _baselines(agreement, rules, table)
    relocations = _relocations(agreement, table) if relocation_types else {}
    try:
        rule_set = apportion.parse_rules({"parties": parties, "rules": engine_rules})
    except apportion.ApportionError as exc:
        raise BadRules(error_zh(exc, translate=gettext)) from exc
    rule_set = apportion.RuleSet(rule_set.parties, rule_set.rules, baselines, relocations)
    return _Inputs(table, rule_set)


def _merge_relocation(other, reloc, relocation_types, start) -> apportion.RevenueTable:
    """Relocation types need their whole history (the 3 + 2 year window), the others only the year to date."""
    keep_other = (
        ~np.isin(other.type_names[other.revenue_type], relocation_types)
        if len(other)
        else np.zeros(0, dtype=bool)
    )
    keep_reloc = (
        np.isin(reloc.type_names[reloc.revenue_type], relocation_types)
        if len(reloc)
        else np.zeros(0, dtype=bool)
    )
    columns = {}
    for part, keep in ((other, keep_other), (reloc, keep_reloc)):
        for name, names in (
            ("enterprise", "enterprise_names"),
            ("origin", "origin_names"),
            ("revenue_type", "type_names"),
            ("period", "period_names"),
        ):
            columns.setdefault(name, []).append(getattr(part, names)[getattr(part, name)[keep]])
        columns.setdefault("amount_fen", []).append(part.amount_fen[keep])
    return apportion.RevenueTable.from_columns(**{k: np.concatenate(v) for k, v in columns.items()})


def _baselines(
    agreement: Agreement, rules: list[dict], table: apportion.RevenueTable
) -> dict[tuple[str, str], int]:
    """(enterprise id, type) → baseline 分 for stock_increment rules: the enterprise's fixed baseline, else its
    amount in the rule's base period (0 when it had none: all of it is increment)."""
    stock_rules = [r for r in rules if r["method"] == Method.STOCK_INCREMENT]
    if not stock_rules or len(table) == 0:
        return {}
    fixed = dict(
        ParkEnterprise.objects.filter(agreement=agreement)
        .exclude(baselines={})
        .values_list("pk", "baselines")
    )  # tenancy-ok: after the policy check
    types_present = [str(t) for t in table.type_names]
    enterprises = [str(e) for e in table.enterprise_names]
    out: dict[tuple[str, str], int] = {}
    for revenue_type in types_present:
        rule = next((r for r in stock_rules if r["revenue_type"] == revenue_type), None)
        if rule is None and not any(r["revenue_type"] == revenue_type for r in rules):
            rule = next((r for r in stock_rules if r["revenue_type"] == "*"), None)
        if rule is None:
            continue
        base_sums = {}
        if rule.get("base_period"):
            base = rule["base_period"]
            qs = RevenueRecord.objects.filter(
                agreement=agreement, is_current=True, revenue_type=revenue_type
            )  # tenancy-ok: after the policy check
            qs = qs.filter(period__startswith=f"{base}-") if len(base) == 4 else qs.filter(period=base)
            base_sums = {
                str(e): t
                for e, t in qs.values("enterprise_id")
                .annotate(t=models_sum())
                .values_list("enterprise_id", "t")
            }
        for enterprise in enterprises:
            own = fixed.get(int(enterprise), {})
            if revenue_type in own or "*" in own:
                out[(enterprise, revenue_type)] = own.get(revenue_type, own.get("*"))
            elif rule.get("base_period"):
                out[(enterprise, revenue_type)] = base_sums.get(enterprise, 0)
    return out


def models_sum():
    from django.db.models import Sum

    return Sum("amount_fen")


def _relocations(agreement: Agreement, table: apportion.RevenueTable) -> dict[str, apportion.Relocation]:
    rows = ParkEnterprise.objects.filter(
        agreement=agreement, relocation_start__isnull=False
    ).values_list(  # tenancy-ok: after the policy check
        "pk", "relocation_start", "relocation_cap_fen"
    )
    return {str(pk): apportion.Relocation(start=period_of(start), cap_fen=cap) for pk, start, cap in rows}


def _period_totals(result: apportion.Apportionment, periods: set[str]):
    t = result.table
    period_names = [str(p) for p in t.period_names]
    totals: dict[str, dict[tuple[str, str, str], int]] = {}
    counts: dict[str, int] = {}
    for code, name in enumerate(period_names):
        if name not in periods:
            continue
        mask = t.period == code
        counts[name] = int(mask.sum())
        totals[name] = result.totals(rows=mask)
    return totals, counts


def _record(
    actor, agreement, version, period, revision, totals, count, previous: Settlement | None
) -> Settlement:
    """Write the settlement of `period` at `revision` and post what differs from what was posted before."""
    if previous is not None and previous.revision == revision:
        return previous
    already = Settlement.objects.filter(
        agreement=agreement, period=period, revision=revision
    ).first()  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    if already is not None:
        return already
    posted: dict[tuple[str, str, str], int] = defaultdict(int)
    for (
        party,
        revenue_type,
        part,
        fen,
    ) in SettlementLine.objects.filter(  # tenancy-ok: the agreement's own rows, read after its lock and policy check
        settlement__agreement=agreement, settlement__period=period
    ).values_list("party_id", "revenue_type", "part", "posted_fen"):
        posted[(revenue_type, party, part)] += fen
    keys = sorted(set(totals) | set(posted))
    original = (
        Settlement.objects.filter(agreement=agreement, period=period).order_by("id").first()
    )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    settlement = Settlement.objects.create(
        agreement=agreement, period=period, revision=revision, version=version, adjusts=original,
        records=count, created_by_label=actor.label,
    )  # fmt: skip
    lines = []
    for key in keys:
        revenue_type, party, part = key
        amount = totals.get(key, 0)
        difference = amount - posted.get(key, 0)
        if amount == 0 and difference == 0:
            continue
        lines.append(
            SettlementLine(
                settlement=settlement,
                party_id=party,
                revenue_type=revenue_type,
                part=part,
                amount_fen=amount,
                posted_fen=difference,
            )
        )
    SettlementLine.objects.bulk_create(lines)
    entry = _post(actor, agreement, settlement, lines, original)
    if entry is not None:
        settlement.entry = entry
        settlement.save(update_fields=["entry"])
    audit.record(
        actor=actor,
        verb="sharing.adjusted" if original else "sharing.settled",
        target=settlement,
        data={
            "period": period,
            "revision": revision,
            "entry": entry.pk if entry else None,
            "adjusts": original.pk if original else None,
        },
    )
    return settlement


def _accounts(agreement: Agreement, party: str, kind: str):
    names = dict(agreement.parties.values_list("region_id", "region__name"))
    if kind == RevenueKind.COST:
        pool = ledger.account_open(
            code=f"sharing:{agreement.code}:fund",
            name=f"{agreement.name}·应缴出资合计",
            kind="sharing.fund",
            normal_side=NormalSide.CREDIT,
            allow_negative=True,
        )
        own = ledger.account_open(
            code=f"sharing:{agreement.code}:{party}:cost",
            name=f"{names.get(party, party)}·{agreement.name}·应承担出资",
            kind="sharing.cost",
            allow_negative=True,
        )
    else:
        pool = ledger.account_open(
            code=f"sharing:{agreement.code}:pool",
            name=f"{agreement.name}·待分配收入",
            kind="sharing.pool",
            normal_side=NormalSide.CREDIT,
            allow_negative=True,
        )
        own = ledger.account_open(
            code=f"sharing:{agreement.code}:{party}:income",
            name=f"{names.get(party, party)}·{agreement.name}·分享收入",
            kind="sharing.income",
            allow_negative=True,
        )
    return pool, own


def _post(actor, agreement, settlement, lines, original):
    """One balanced entry: each party's account moves by its posted difference, the pool by the opposite sum.
    Statistical indicators are shared but not money: they are not posted."""
    by_kind: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        kind = KIND_OF_TYPE[line.revenue_type]
        if kind == RevenueKind.STATISTIC or line.posted_fen == 0:
            continue
        group = RevenueKind.COST if kind == RevenueKind.COST else RevenueKind.TAX
        by_kind[(group, line.party_id)] += line.posted_fen
    legs = []
    pool_totals: dict = defaultdict(int)
    pools = {}
    for (group, party), fen in sorted(by_kind.items()):
        if fen == 0:
            continue
        pool, own = _accounts(agreement, party, group)
        legs.append((own, fen))
        pool_totals[pool.pk] += fen
        pools[pool.pk] = pool
    legs += [(pools[pk], -fen) for pk, fen in pool_totals.items() if fen]
    if len(legs) < 2:
        return None
    adjusting = original is not None
    return ledger.post_entry(
        kind="sharing.adjustment" if adjusting else "sharing.settlement",
        postings=legs,
        actor=actor,
        memo=(
            f"{agreement.name} {settlement.period} 调整（原结算分录 #{original.entry_id}）"
            if adjusting and original.entry_id
            else f"{agreement.name} {settlement.period} 利益分享结算"
        ),
        idempotency_key=f"sharing:{agreement.pk}:{settlement.period}:{settlement.revision}",
        data={
            "agreement": agreement.code,
            "period": settlement.period,
            "revision": settlement.revision,
            "adjusts_entry": original.entry_id if original else None,
        },
    )


def whatif(*, actor: Actor, agreement: Agreement, rules: list[dict], periods: list[str]) -> dict:
    """Apply draft rules to settled periods and compare with what was settled, without writing anything.
    Returns {period: {party: (settled 分, draft 分)}} for money types."""
    AgreementPolicy.require(actor, "edit", agreement)
    parties = [p.region_id for p in agreement.parties.order_by("position")]
    clean = validate_rules(parties=parties, rules=rules)
    if not periods:
        return {}
    proxy = AgreementVersion(
        agreement=agreement, number=0, effective_from=first_day(f"{min(periods)[:4]}-01"), rules=clean
    )
    totals, _ = compute_totals(agreement=agreement, version=proxy, rules=clean, periods=periods)
    settled: dict = defaultdict(int)
    for (
        per,
        party,
        revenue_type,
        fen,
    ) in SettlementLine.objects.filter(  # tenancy-ok: the agreement's own rows, read after its lock and policy check
        settlement__agreement=agreement, settlement__period__in=periods
    ).values_list("settlement__period", "party_id", "revenue_type", "posted_fen"):
        if KIND_OF_TYPE[revenue_type] != RevenueKind.STATISTIC:
            settled[(per, party)] += fen
    out: dict = {}
    for per in sorted(periods):
        draft: dict = defaultdict(int)
        for (revenue_type, party, _part), fen in totals.get(per, {}).items():
            if KIND_OF_TYPE[revenue_type] != RevenueKind.STATISTIC:
                draft[party] += fen
        out[per] = {party: (settled.get((per, party), 0), draft.get(party, 0)) for party in parties}
    audit.record(
        actor=actor,
        verb="sharing.whatif_run",
        target=agreement,
        data={"periods": sorted(periods), "rules": clean},
    )
    return out
