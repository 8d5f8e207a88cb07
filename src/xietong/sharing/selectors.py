"""Actor-scoped reads of agreements, versions, enterprises, revenue records and settlements."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, OuterRef, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.policies import get_visible
from xietong.ledger.models import Posting
from xietong.sharing.enums import RevenueType, VersionStatus
from xietong.sharing.errors import AgreementNotFound
from xietong.sharing.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    ParkEnterprise,
    RevenueRecord,
    Settlement,
    SettlementLine,
)
from xietong.sharing.policies import (
    AgreementPolicy,
    AgreementVersionPolicy,
    ParkEnterprisePolicy,
    RevenueRecordPolicy,
    SettlementPolicy,
    party_agreement_q,
)


def agreement_list(*, actor: Actor) -> QuerySet[Agreement]:
    return (
        AgreementPolicy.visible_qs(actor)
        .select_related("host_region", "zone")
        .prefetch_related("parties__region")
        .order_by("code")
    )


def agreement_get(*, actor: Actor, agreement_id: int) -> Agreement:
    qs = (
        AgreementPolicy.visible_qs(actor)
        .select_related("host_region", "zone")
        .prefetch_related("parties__region")
    )
    return get_visible(qs, AgreementNotFound.default_message, pk=agreement_id)


def agreement_get_by_code(*, actor: Actor, code: str) -> Agreement:
    qs = AgreementPolicy.visible_qs(actor).prefetch_related("parties__region")
    return get_visible(qs, AgreementNotFound.default_message, code=code)


def party_codes(*, actor: Actor, agreement: Agreement) -> list[str]:
    """The agreement's parties in their listed order (the agreement was fetched through a selector)."""
    return [p.region_id for p in sorted(agreement.parties.all(), key=lambda p: p.position)]


def parties(*, actor: Actor, agreement: Agreement) -> list[AgreementParty]:
    return sorted(agreement.parties.all(), key=lambda p: p.position)


def version_list(*, actor: Actor, agreement: Agreement) -> list[AgreementVersion]:
    return list(AgreementVersionPolicy.visible_qs(actor).filter(agreement=agreement).order_by("number"))


def version_get(*, actor: Actor, agreement: Agreement, version_id: int) -> AgreementVersion:
    qs = AgreementVersionPolicy.visible_qs(actor).filter(agreement=agreement)
    return get_visible(qs, _("协议版本不存在或您无权查看"), pk=version_id)


def current_draft(*, actor: Actor, agreement: Agreement) -> AgreementVersion | None:
    return (
        AgreementVersionPolicy.visible_qs(actor)
        .filter(agreement=agreement, status=VersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def enterprise_list(*, actor: Actor, agreement: Agreement) -> QuerySet[ParkEnterprise]:
    return ParkEnterprisePolicy.visible_qs(actor).filter(agreement=agreement).select_related("origin")


def enterprise_get(*, actor: Actor, agreement: Agreement, enterprise_id: int) -> ParkEnterprise:
    qs = ParkEnterprisePolicy.visible_qs(actor).filter(agreement=agreement).select_related("origin")
    return get_visible(qs, _("企业不存在或您无权查看"), pk=enterprise_id)


def record_list(
    *,
    actor: Actor,
    agreement: Agreement,
    period: str = "",
    enterprise_id: int | None = None,
    include_history: bool = False,
) -> QuerySet[RevenueRecord]:
    qs = (
        RevenueRecordPolicy.visible_qs(actor)
        .filter(agreement=agreement)
        .select_related("enterprise", "enterprise__origin")
    )
    if not include_history:
        qs = qs.filter(is_current=True)
    if period:
        qs = qs.filter(period=period)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("-period", "enterprise__name", "revenue_type", "-version")


def _entry_total(entry_field: str) -> Subquery:
    """The debit total of a settlement's ledger entry (what `references.entry_reference` shows), in one subquery."""
    debits = (
        Posting.objects.filter(entry_id=OuterRef(entry_field), amount_fen__gt=0)
        .order_by()
        .values("entry_id")
        .annotate(total=Sum("amount_fen"))
        .values("total")
    )
    return Subquery(debits)


def settlement_list(*, actor: Actor, agreement: Agreement) -> QuerySet[Settlement]:
    return (
        SettlementPolicy.visible_qs(actor)
        .filter(agreement=agreement)
        .select_related("version", "entry", "adjusts")
        .annotate(entry_total_fen=_entry_total("entry_id"))
        .order_by("-period", "-id")
    )


def settlement_get(*, actor: Actor, settlement_id: int) -> Settlement:
    qs = (
        SettlementPolicy.visible_qs(actor)
        .select_related("agreement", "version", "entry", "adjusts")
        .annotate(
            entry_total_fen=_entry_total("entry_id"), adjusts_total_fen=_entry_total("adjusts__entry_id")
        )
    )
    return get_visible(qs, _("结算记录不存在或您无权查看"), pk=settlement_id)


def period_totals(*, actor: Actor, agreement: Agreement, period: str = "", year: str = "") -> dict:
    """Σ shares per (period, party, type, part) of every settlement visible to the actor, as posted (the sum
    of every run's posted amounts is the period's current share)."""
    qs = SettlementLine.objects.filter(
        settlement__in=SettlementPolicy.visible_qs(actor).filter(agreement=agreement)
    )
    if period:
        qs = qs.filter(settlement__period=period)
    if year:
        qs = qs.filter(settlement__period__startswith=f"{year}-")
    rows = qs.values("settlement__period", "party_id", "revenue_type", "part").annotate(
        total=Sum("posted_fen")
    )
    out: dict = {}
    for r in rows:
        out[(r["settlement__period"], r["party_id"], r["revenue_type"], r["part"])] = r["total"]
    return out


def settled_periods(*, actor: Actor, agreement: Agreement) -> dict[str, int]:
    """Period → its latest settlement's revision."""
    qs = SettlementPolicy.visible_qs(actor).filter(agreement=agreement)
    latest = qs.values("period").annotate(last=Max("id"))
    ids = [r["last"] for r in latest]
    return dict(qs.filter(pk__in=ids).values_list("period", "revision"))


def revenue_by_type(*, actor: Actor, agreement: Agreement) -> dict[str, dict[str, int]]:
    """Σ current revenue per period and type (an aggregate: zone offices see it too)."""
    qs = RevenueRecord.objects.filter(
        agreement__in=AgreementPolicy.visible_qs(actor).filter(pk=agreement.pk), is_current=True
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for period, revenue_type, total in (
        qs.values_list("period", "revenue_type")
        .annotate(t=Sum("amount_fen"))
        .values_list("period", "revenue_type", "t")
    ):
        out[period][revenue_type] = total
    return dict(out)


def income_of_actor(*, actor: Actor) -> list[dict]:
    """For a bureau: its parties' shares, per agreement, year and type, from all its agreements."""
    codes = actor.bureau_region_codes
    qs = SettlementLine.objects.filter(settlement__agreement__in=AgreementPolicy.visible_qs(actor))
    if not actor.is_platform_admin:
        qs = qs.filter(
            party_id__in=codes, settlement__agreement__in=Agreement.objects.filter(party_agreement_q(actor))
        )
    rows = qs.values(
        "settlement__agreement_id",
        "settlement__agreement__name",
        "settlement__agreement__code",
        "party_id",
        "party__name",
        "settlement__period",
        "revenue_type",
    ).annotate(total=Sum("posted_fen"))
    labels = dict(RevenueType.choices)
    return [
        {
            "agreement_id": r["settlement__agreement_id"],
            "agreement": r["settlement__agreement__name"],
            "code": r["settlement__agreement__code"],
            "party": r["party__name"],
            "party_code": r["party_id"],
            "period": r["settlement__period"],
            "revenue_type": r["revenue_type"],
            "type_label": labels.get(r["revenue_type"], r["revenue_type"]),
            "total": r["total"],
        }
        for r in rows
    ]
