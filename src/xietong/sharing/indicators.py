"""Platform indicators of this app for the evaluation index: aggregates only, per evaluated unit and year."""

from __future__ import annotations

FEN_PER_WAN_YUAN = 1_000_000


def shared_revenue(units, years):
    """Revenue of co-built parks and enclaves settled to each unit (its share as a party), 万元 per year:
    taxes and land revenue only (statistical indicators and cost sharing are not revenue)."""
    from django.db.models import Sum

    from xietong.evaluation.platform_indicators import unit_of_region
    from xietong.sharing.enums import KIND_OF_TYPE, RevenueKind
    from xietong.sharing.models import SettlementLine

    money = [t for t, k in KIND_OF_TYPE.items() if k in (RevenueKind.TAX, RevenueKind.LAND)]
    lines = SettlementLine.objects.filter(
        revenue_type__in=money
    )  # tenancy-ok: aggregate amounts per region and year
    first = lines.order_by("settlement__period").values_list("settlement__period", flat=True).first()
    if first is None:
        return {}
    mapping = unit_of_region(units)
    out = {int(y): dict.fromkeys(units, 0.0) for y in years if int(y) >= int(first[:4])}
    rows = (
        lines.filter(party_id__in=list(mapping))
        .values("party_id", "settlement__period")
        .annotate(t=Sum("posted_fen"))
    )
    for row in rows:
        year = int(row["settlement__period"][:4])
        if year in out:
            out[year][mapping[row["party_id"]]] += row["t"] / FEN_PER_WAN_YUAN
    return out


def active_agreements(units, years):
    """Agreements with a version in force during the year, counted for each unit that is a party."""
    import datetime as dt

    from xietong.evaluation.platform_indicators import unit_of_region
    from xietong.sharing.enums import VersionStatus
    from xietong.sharing.models import AgreementParty, AgreementVersion

    versions = list(
        AgreementVersion.objects.exclude(
            status=VersionStatus.DRAFT
        ).values_list(  # tenancy-ok: counts per region
            "agreement_id", "effective_from", "effective_to"
        )
    )
    if not versions:
        return {}
    first = min(v[1].year for v in versions)
    mapping = unit_of_region(units)
    parties = AgreementParty.objects.filter(region_id__in=list(mapping)).values_list(
        "agreement_id", "region_id"
    )  # tenancy-ok: counts
    by_agreement: dict[int, set[str]] = {}
    for agreement_id, region in parties:
        by_agreement.setdefault(agreement_id, set()).add(mapping[region])
    out = {}
    for year in years:
        if int(year) < first:
            continue
        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
        active = {a for a, f, t in versions if f <= end and (t is None or t >= start)}
        counts = dict.fromkeys(units, 0.0)
        for agreement_id in active:
            for unit in by_agreement.get(agreement_id, ()):
                counts[unit] += 1
        out[int(year)] = counts
    return out


def register_all() -> None:
    from xietong.evaluation import platform_indicators

    platform_indicators.register(
        "sharing.shared_revenue", name="共建园区与飞地的共享收入", unit="万元", app_label="sharing"
    )(shared_revenue)
    platform_indicators.register(
        "sharing.active_agreements", name="生效的利益共享协议数", unit="项", app_label="sharing"
    )(active_agreements)
