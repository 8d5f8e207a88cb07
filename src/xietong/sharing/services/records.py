"""Revenue records: imported or entered by a party's bureau; a correction is a new version, never an edit."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from xietong.core import audit
from xietong.core.actor import Actor
from xietong.core.errors import DomainError
from xietong.core.excel import ImportReport, RowError
from xietong.core.money import yuan_to_fen
from xietong.sharing import locks
from xietong.sharing.enums import RecordSource, RevenueType, VersionStatus
from xietong.sharing.errors import ClosedPeriod
from xietong.sharing.models import Agreement, AgreementVersion, ParkEnterprise, RevenueRecord, Settlement
from xietong.sharing.periods import first_day, parse_period
from xietong.sharing.policies import AgreementPolicy

TYPE_BY_TEXT = {label: value for value, label in RevenueType.choices} | {v: v for v in RevenueType.values}


@dataclass(frozen=True)
class RecordIn:
    enterprise: str
    revenue_type: str
    period: str
    amount_fen: int


def closed_periods(agreement: Agreement) -> dict[str, int]:
    """Settled periods governed by a closed version → that version's number (no record may change there)."""
    closed = [
        v for v in agreement.versions.all() if v.status == VersionStatus.CLOSED
    ]  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    if not closed:
        return {}
    out = {}
    for period in (
        Settlement.objects.filter(agreement=agreement).values_list("period", flat=True).distinct()
    ):  # tenancy-ok: the agreement's own rows, read after its lock and policy check
        day = first_day(period)
        for version in closed:
            if version.effective_from <= day and (
                version.effective_to is None or day <= version.effective_to
            ):
                out[period] = version.number
    return out


def _parse_row(
    number: int,
    row: dict[str, str],
    enterprises: dict[str, ParkEnterprise],
    closed: dict[str, int],
    park: str,
):
    errors, parsed = [], {}
    name = row.get("enterprise", "").strip()
    if not name:
        errors.append(RowError(number, "企业名称", _("必填")))
    elif name not in enterprises:
        errors.append(
            RowError(
                number,
                "企业名称",
                _("企业“%(name)s”不在“%(park)s”的园区范围内") % {"name": name, "park": park},
            )
        )
    else:
        parsed["enterprise"] = enterprises[name]
    revenue_type = TYPE_BY_TEXT.get(row.get("revenue_type", "").strip())
    if revenue_type is None:
        errors.append(
            RowError(
                number,
                "收入类型",
                _("未知的收入类型“%(value)s”（可选：%(labels)s）")
                % {"value": row.get("revenue_type", ""), "labels": _("、").join(RevenueType.labels)},
            )
        )
    parsed["revenue_type"] = revenue_type
    try:
        period = parse_period(row.get("period", ""))
        parsed["period"] = period
        if period in closed:
            errors.append(
                RowError(
                    number,
                    "期间",
                    _("期间 %(period)s 已按已关闭的第 %(closed)s 版结算，不能再修改")
                    % {"period": period, "closed": closed[period]},
                )
            )
    except DomainError as exc:
        errors.append(RowError(number, "期间", exc.message))
    try:
        parsed["amount_fen"] = yuan_to_fen(row.get("amount", ""))
    except DomainError as exc:
        errors.append(RowError(number, "金额（元）", exc.message))
    return errors, parsed


@transaction.atomic
def records_import(
    *,
    actor: Actor,
    agreement: Agreement,
    rows: list[tuple[int, dict[str, str]]],
    source: str = RecordSource.IMPORT,
) -> ImportReport:
    """Validate every row first, then write all or nothing. A row equal to the current record is unchanged;
    a different amount becomes the next version of the record."""
    agreement = locks.agreement_for_update(agreement)
    AgreementPolicy.require(actor, "import", agreement)
    report = ImportReport(total_rows=len(rows))
    enterprises = {
        e.name: e for e in ParkEnterprise.objects.filter(agreement=agreement)
    }  # tenancy-ok: the agreement's own rows, read after its lock and policy check
    closed = closed_periods(agreement)
    parsed_rows, seen = [], {}
    for number, row in rows:
        errors, parsed = _parse_row(number, row, enterprises, closed, agreement.park_name)
        if not errors:
            key = (parsed["enterprise"].pk, parsed["revenue_type"], parsed["period"])
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        "期间",
                        _("与第 %(seen)s 行重复（同一企业、类型、期间）") % {"seen": seen[key]},
                    )
                )
            seen[key] = number
        report.errors.extend(errors)
        parsed_rows.append(parsed)
    if not report.ok:
        return report
    report.created = _write(actor, agreement, parsed_rows, source)
    return report


def _write(actor: Actor, agreement: Agreement, parsed_rows: list[dict], source: str) -> int:
    current = {
        (r.enterprise_id, r.revenue_type, r.period): r
        for r in RevenueRecord.objects.filter(  # tenancy-ok: the agreement's own rows, read after its lock and policy check
            agreement=agreement, is_current=True, period__in={p["period"] for p in parsed_rows}
        )
    }
    new, superseded = [], []
    for p in parsed_rows:
        old = current.get((p["enterprise"].pk, p["revenue_type"], p["period"]))
        if old is not None and old.amount_fen == p["amount_fen"]:
            continue
        if old is not None:
            superseded.append(old.pk)
        new.append(
            RevenueRecord(
                agreement=agreement, enterprise=p["enterprise"], revenue_type=p["revenue_type"], period=p["period"],
                amount_fen=p["amount_fen"], version=(old.version + 1) if old else 1, source=source,
                created_by_label=actor.label,
            )
        )  # fmt: skip
    if superseded:
        RevenueRecord.objects.filter(pk__in=superseded).update(is_current=False)
    created = RevenueRecord.objects.bulk_create(new, batch_size=2000)
    ids = (
        [r.pk for r in created if r.pk is not None]
        or list(
            RevenueRecord.objects.filter(
                agreement=agreement
            )  # tenancy-ok: the agreement's own rows, read after its lock and policy check
            .order_by("-id")
            .values_list("pk", flat=True)[: len(new)]
        )
    )
    audit.record_many(actor=actor, verb="sharing.record_written", model=RevenueRecord, target_ids=ids)
    audit.record(
        actor=actor,
        verb="sharing.records_imported",
        target=agreement,
        data={"written": len(new), "corrected": len(superseded)},
    )
    return len(new)


def record_enter(
    *, actor: Actor, agreement: Agreement, enterprise: str, revenue_type: str, period: str, amount: str
) -> ImportReport:
    """One record typed in by the bureau: the same checks and versioning as an import of one row."""
    row = {"enterprise": enterprise, "revenue_type": revenue_type, "period": period, "amount": amount}
    return records_import(actor=actor, agreement=agreement, rows=[(1, row)], source=RecordSource.MANUAL)


def refuse_if_closed(agreement: Agreement, period: str, version: AgreementVersion) -> None:
    if version.status == VersionStatus.CLOSED:
        raise ClosedPeriod(
            _("期间 %(period)s 已按已关闭的第 %(number)s 版结算，不能再修改")
            % {"period": period, "number": version.number}
        )
