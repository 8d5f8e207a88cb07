"""JSON API of benefit sharing, mounted at /api/v1/sharing by xietong.api; handlers are thin."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from xietong.core import clock
from xietong.core.api import AUTH, import_created
from xietong.core.errors import Invalid
from xietong.core.ids import MAX_ID
from xietong.sharing import selectors, services, statements
from xietong.sharing.schemas import (
    AdoptIn,
    AgreementDetailOut,
    AgreementIn,
    AgreementOut,
    DraftIn,
    EnterpriseIn,
    EnterpriseOut,
    ErrorOut,
    ImportReportOut,
    IncomeRow,
    RecordOut,
    RecordsIn,
    SettleIn,
    SettlementOut,
    StatementOut,
    VersionOut,
    WhatIfIn,
    WhatIfRow,
)

router = Router(tags=["sharing"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Id(Schema):
    agreement_id: int = Field(..., ge=1, le=MAX_ID)


class PageQuery(Schema):
    period: str = Field("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=500)


class StatementQuery(Schema):
    party: str = Field("", pattern=r"^(\d{6})?$", description="参与方区划代码；默认第一个参与方")
    year: str = Field("", pattern=r"^(\d{4})?$", description="年度；默认今年")


def _agreement_out(actor, a) -> dict:
    return {
        "id": a.pk, "code": a.code, "name": a.name, "kind": a.kind, "park_name": a.park_name,
        "host_region": a.host_region_id,
        "parties": [{"code": p.region_id, "name": p.region.name} for p in selectors.parties(actor=actor, agreement=a)],
    }  # fmt: skip


def _version_out(v) -> dict:
    return {
        "id": v.pk, "number": v.number, "status": v.status, "rules": v.rules, "note": v.note,
        "effective_from": f"{v.effective_from:%Y-%m}" if v.effective_from else None,
        "effective_to": f"{v.effective_to:%Y-%m}" if v.effective_to else None,
    }  # fmt: skip


def _settlement_out(s, lines=True) -> dict:
    out = {"id": s.pk, "period": s.period, "revision": s.revision, "version": s.version.number, "entry_id": s.entry_id,
           "adjusts_id": s.adjusts_id, "records": s.records}  # fmt: skip
    if lines:
        out["lines"] = [
            {
                "party": line.party_id,
                "revenue_type": line.revenue_type,
                "part": line.part,
                "amount_fen": line.amount_fen,
                "posted_fen": line.posted_fen,
            }
            for line in s.lines.all()  # tenancy-ok: lines of a settlement fetched through its selector
        ]
    return out


@router.get(
    "/agreements", response={200: list[AgreementOut], **ERRORS}, auth=AUTH, summary="可见的利益共享协议"
)
def agreement_list(request):
    return [_agreement_out(request.actor, a) for a in selectors.agreement_list(actor=request.actor)[:500]]


@router.post(
    "/agreements",
    response={201: AgreementOut, **ERRORS},
    auth=AUTH,
    summary="建立协议（参与方的科技主管部门）",
)
def agreement_create(request, payload: AgreementIn):
    a = services.agreement_create(actor=request.actor, code=payload.code, name=payload.name, kind=payload.kind, park_name=payload.park_name,
                                  host_region=payload.host_region, party_regions=payload.parties, description=payload.description)  # fmt: skip
    return Status(
        201, _agreement_out(request.actor, selectors.agreement_get(actor=request.actor, agreement_id=a.pk))
    )


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **ERRORS},
    auth=AUTH,
    summary="协议详情与版本",
)
def agreement_detail(request, path: Path[Id]):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    return {
        **_agreement_out(request.actor, a),
        "versions": [_version_out(v) for v in selectors.version_list(actor=request.actor, agreement=a)],
    }


@router.put(
    "/agreements/{agreement_id}/draft",
    response={200: VersionOut, **ERRORS},
    auth=AUTH,
    summary="保存规则草案",
)
def draft_save(request, path: Path[Id], payload: DraftIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    rules = [r.dict(exclude_none=True) for r in payload.rules]
    return _version_out(
        services.version_save_draft(actor=request.actor, agreement=a, rules=rules, note=payload.note)
    )


@router.post(
    "/agreements/{agreement_id}/adopt",
    response={200: VersionOut, **ERRORS},
    auth=AUTH,
    summary="草案通过并生效",
)
def draft_adopt(request, path: Path[Id], payload: AdoptIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    draft = selectors.current_draft(actor=request.actor, agreement=a)
    if draft is None:
        raise Invalid(_("没有待通过的草案"))
    version = services.version_adopt(
        actor=request.actor,
        agreement=a,
        version=draft,
        effective_from=payload.effective_from,
        effective_to=payload.effective_to,
    )
    return _version_out(version)


@router.post(
    "/agreements/{agreement_id}/whatif",
    response={200: list[WhatIfRow], **ERRORS},
    auth=AUTH,
    summary="草案规则与已结算结果对比（不记账）",
)
def whatif(request, path: Path[Id], payload: WhatIfIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    rules = [r.dict(exclude_none=True) for r in payload.rules]
    result = services.whatif(
        actor=request.actor, agreement=a, rules=rules, periods=sorted(set(payload.periods))
    )
    return [
        {"period": p, "party": party, "settled_fen": s, "draft_fen": d}
        for p, rows in result.items()
        for party, (s, d) in rows.items()
    ]


@router.get(
    "/agreements/{agreement_id}/enterprises",
    response={200: list[EnterpriseOut], **ERRORS},
    auth=AUTH,
    summary="园区企业（参与方的科技主管部门）",
)
def enterprise_list(request, path: Path[Id]):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    _require_records(request, a)
    return [
        {"id": e.pk, "name": e.name, "origin": e.origin_id, "entry_date": e.entry_date.isoformat()}
        for e in selectors.enterprise_list(actor=request.actor, agreement=a)[:5000]
    ]


def _require_records(request, agreement) -> None:
    from xietong.sharing.policies import AgreementPolicy

    AgreementPolicy.require(request.actor, "view_records", agreement)


@router.post(
    "/agreements/{agreement_id}/enterprises",
    response={201: EnterpriseOut, **ERRORS},
    auth=AUTH,
    summary="企业加入园区范围",
)
def enterprise_add(request, path: Path[Id], payload: EnterpriseIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    try:
        entry = dt.date.fromisoformat(payload.entry_date)
        start = dt.date.fromisoformat(payload.relocation_start + "-01") if payload.relocation_start else None
    except ValueError as exc:
        raise Invalid(_("日期格式有误")) from exc
    e = services.enterprise_add(
        actor=request.actor, agreement=a, name=payload.name, origin=payload.origin, entry_date=entry, credit_code=payload.credit_code,
        baselines={"*": payload.baseline_fen} if payload.baseline_fen is not None else None, relocation_start=start,
        relocation_cap_fen=payload.relocation_cap_fen,
    )  # fmt: skip
    return Status(
        201, {"id": e.pk, "name": e.name, "origin": e.origin_id, "entry_date": e.entry_date.isoformat()}
    )


@router.get(
    "/agreements/{agreement_id}/records",
    response={200: list[RecordOut], **ERRORS},
    auth=AUTH,
    summary="企业收入记录（参与方的科技主管部门）",
)
def record_list(request, path: Path[Id], query: Query[PageQuery]):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    _require_records(request, a)
    qs = selectors.record_list(actor=request.actor, agreement=a, period=query.period)
    start = (query.page - 1) * query.page_size
    return [
        {
            "id": r.pk,
            "enterprise": r.enterprise.name,
            "revenue_type": r.revenue_type,
            "period": r.period,
            "amount_fen": r.amount_fen,
            "version": r.version,
            "is_current": r.is_current,
        }
        for r in qs[start : start + query.page_size]
    ]


@router.post(
    "/agreements/{agreement_id}/records",
    response={201: ImportReportOut, **ERRORS},
    auth=AUTH,
    summary="导入收入记录（全部成功或全部不写入）",
)
def records_import(request, path: Path[Id], payload: RecordsIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    rows = [(i + 1, r.dict()) for i, r in enumerate(payload.rows)]
    report = services.records_import(actor=request.actor, agreement=a, rows=rows)
    return import_created(report)


@router.post(
    "/agreements/{agreement_id}/settle",
    response={200: list[SettlementOut], **ERRORS},
    auth=AUTH,
    summary="结算并记账（幂等）",
)
def settle(request, path: Path[Id], payload: SettleIn):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    return [
        _settlement_out(s) for s in services.settle(actor=request.actor, agreement=a, period=payload.period)
    ]


@router.get(
    "/agreements/{agreement_id}/settlements",
    response={200: list[SettlementOut], **ERRORS},
    auth=AUTH,
    summary="结算记录",
)
def settlement_list(request, path: Path[Id]):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    return [
        _settlement_out(s, lines=False)
        for s in selectors.settlement_list(actor=request.actor, agreement=a)[:500]
    ]


class SettlementId(Schema):
    settlement_id: int = Field(..., ge=1, le=MAX_ID)


@router.get(
    "/settlements/{settlement_id}",
    response={200: SettlementOut, **ERRORS},
    auth=AUTH,
    summary="一次结算及其分配明细",
)
def settlement_detail(request, path: Path[SettlementId]):
    return _settlement_out(selectors.settlement_get(actor=request.actor, settlement_id=path.settlement_id))


@router.get(
    "/agreements/{agreement_id}/statement",
    response={200: StatementOut, **ERRORS},
    auth=AUTH,
    summary="参与方年度结算单",
)
def statement(request, path: Path[Id], query: Query[StatementQuery]):
    a = selectors.agreement_get(actor=request.actor, agreement_id=path.agreement_id)
    party = query.party or selectors.party_codes(actor=request.actor, agreement=a)[0]
    year = query.year or str(clock.today().year)
    st = statements.statement_build(
        actor=request.actor, agreement=a, party=party, year=year, with_detail=False
    )
    summary = [{k: (str(v) if k in ("amount", "adjusted") else v) for k, v in r.items()} for r in st.summary]
    return {
        "agreement": a.code,
        "party": st.party,
        "year": st.year,
        "total_fen": st.total_fen,
        "by_type": st.by_type,
        "summary": summary,
    }


@router.get(
    "/income", response={200: list[IncomeRow], **ERRORS}, auth=AUTH, summary="本地区在各协议中分得的收入"
)
def income(request):
    from xietong.sharing.policies import AgreementPolicy

    AgreementPolicy.require(request.actor, "income")
    return [
        {
            "agreement": r["agreement"],
            "code": r["code"],
            "party": r["party_code"],
            "period": r["period"],
            "revenue_type": r["revenue_type"],
            "total_fen": r["total"],
        }
        for r in selectors.income_of_actor(actor=request.actor)
    ]
