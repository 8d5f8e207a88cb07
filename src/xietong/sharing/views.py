"""Pages of benefit sharing: thin, the same services and selectors as the API."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xietong.core import audit, clock
from xietong.core.errors import DomainError, Forbidden, Invalid
from xietong.core.excel import xlsx_response
from xietong.core.money import format_yuan
from xietong.core.pagination import paginate
from xietong.core.pdf import pdf_response
from xietong.sharing import audit_verbs, excel, selectors, services, statements
from xietong.sharing.enums import AgreementKind, Method, Part, RevenueType, VersionStatus
from xietong.sharing.explain import explain
from xietong.sharing.periods import parse_period
from xietong.sharing.policies import AgreementPolicy

TYPE_LABELS = dict(RevenueType.choices)
PART_LABELS = dict(Part.choices)


def _verb(verb: str) -> str:
    """An audit verb in the reader's language: the one label list the audit pages use (`audit_verbs.LABELS`)."""
    return str(audit_verbs.LABELS[verb]) if verb in audit_verbs.LABELS else verb


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _agreement(request, pk: int):
    return selectors.agreement_get(actor=request.actor, agreement_id=pk)


def _may(request, action, agreement=None) -> bool:
    return AgreementPolicy.can(request.actor, action, agreement)


@require_GET
@login_required
def agreement_list(request):
    if not _may(request, "list"):
        raise Forbidden(_("利益共享协议仅对协议参与方的科技主管部门、协同区办公室和平台开放"))
    page = paginate(selectors.agreement_list(actor=request.actor), page=_int(request.GET.get("page"), 1))
    return render(request, "sharing/agreements.html", {"page": page, "may_create": _may(request, "create")})


@require_http_methods(["GET", "POST"])
@login_required
def agreement_new(request):
    if not _may(request, "create"):
        raise Forbidden(_("只有地区科技主管部门可以建立利益共享协议"))
    error, status, values = None, 200, {}
    if request.method == "POST":
        values = request.POST
        try:
            parties = [c for c in values.get("parties", "").replace("，", ",").split(",") if c.strip()]
            agreement = services.agreement_create(
                actor=request.actor, code=values.get("code", ""), name=values.get("name", ""),
                kind=values.get("kind", ""), park_name=values.get("park_name", ""),
                host_region=values.get("host_region", ""), party_regions=parties,
                description=values.get("description", ""),
            )  # fmt: skip
            messages.success(request, _("协议已建立：请设置分配规则并通过生效"))
            return redirect("sharing:editor", pk=agreement.pk)
        except DomainError as exc:
            error, status = exc, exc.status
    context = {"error": error, "values": values, "kinds": _translated(AgreementKind.choices)}
    return render(request, "sharing/agreement_new.html", context, status=status)


def _chart(actor, agreement, parties) -> dict:
    totals = selectors.period_totals(actor=actor, agreement=agreement)
    revenue = selectors.revenue_by_type(actor=actor, agreement=agreement)
    periods = sorted(set(revenue) | {k[0] for k in totals})
    types = sorted({t for row in revenue.values() for t in row}, key=lambda t: RevenueType.values.index(t))
    by_party: dict = defaultdict(lambda: defaultdict(int))
    parts: dict = defaultdict(lambda: defaultdict(int))
    for (period, party, _type, part), fen in totals.items():
        by_party[party][period] += fen
        parts[part][period] += fen
    return {
        "periods": periods,
        "revenue": [
            {"name": _(TYPE_LABELS[t]), "values": [revenue.get(p, {}).get(t, 0) / 100 for p in periods]}
            for t in types
        ],
        "parties": [
            {"name": p.region.name, "values": [by_party[p.region_id][x] / 100 for x in periods]}
            for p in parties
        ],
        "parts": [
            {"name": _(PART_LABELS[k]), "values": [parts[k][x] / 100 for x in periods]}
            for k in Part.values
            if k in parts
        ],
    }


@require_GET
@login_required
def agreement_detail(request, pk: int):
    agreement = _agreement(request, pk)
    actor = request.actor
    parties = selectors.parties(actor=actor, agreement=agreement)
    totals = selectors.period_totals(actor=actor, agreement=agreement)
    party_totals = defaultdict(int)
    for (_period, party, _type, _part), fen in totals.items():
        party_totals[party] += fen
    settlements = paginate(
        selectors.settlement_list(actor=actor, agreement=agreement), page=_int(request.GET.get("page"), 1)
    )
    events = [(e, _verb(e.verb)) for e in audit.events_for(agreement).order_by("-id")[:30]]
    context = {
        "agreement": agreement, "parties": [(p, format_yuan(party_totals[p.region_id])) for p in parties],
        "versions": selectors.version_list(actor=actor, agreement=agreement), "settlements": settlements,
        "chart": _chart(actor, agreement, parties), "events": events, "years": sorted({p[:4] for p in selectors.settled_periods(actor=actor, agreement=agreement)}, reverse=True),
        "may_edit": _may(request, "edit", agreement), "may_settle": _may(request, "settle", agreement),
        "may_records": _may(request, "view_records", agreement), "this_year": clock.today().year,
    }  # fmt: skip
    return render(request, "sharing/agreement_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def editor(request, pk: int):
    agreement = _agreement(request, pk)
    if not _may(request, "edit", agreement):
        raise Forbidden(_("只有协议参与方的科技主管部门可以修改分配规则"))
    actor = request.actor
    parties = selectors.parties(actor=actor, agreement=agreement)
    draft = selectors.current_draft(actor=actor, agreement=agreement)
    versions = selectors.version_list(actor=actor, agreement=agreement)
    error, status, whatif = None, 200, None
    rules = draft.rules if draft and draft.rules else _in_force_rules(versions)
    if request.method == "POST":
        try:
            rules = json.loads(request.POST.get("rules", "[]") or "[]")
            action = request.POST.get("action", "save")
            if action == "whatif":
                periods = sorted(selectors.settled_periods(actor=actor, agreement=agreement))
                whatif = _whatif_rows(
                    services.whatif(actor=actor, agreement=agreement, rules=rules, periods=periods), parties
                )
            else:
                draft = services.version_save_draft(
                    actor=actor, agreement=agreement, rules=rules, note=request.POST.get("note", "")
                )
                if action == "adopt":
                    services.version_adopt(
                        actor=actor,
                        agreement=agreement,
                        version=draft,
                        effective_from=request.POST.get("effective_from", ""),
                    )
                    messages.success(
                        request,
                        _("第 %(n)s 版已通过，自 %(month)s 起生效")
                        % {"n": draft.number, "month": request.POST.get("effective_from")},
                    )
                    return redirect("sharing:agreement", pk=agreement.pk)
                messages.success(request, _("草案已保存"))
                return redirect("sharing:editor", pk=agreement.pk)
        except json.JSONDecodeError:
            error, status = Invalid(_("分配规则格式有误")), 400
        except DomainError as exc:
            error, status = exc, exc.status
    context = {
        "agreement": agreement, "parties": [{"code": p.region_id, "name": p.region.name} for p in parties],
        "rules": rules, "versions": versions, "draft": draft, "error": error, "whatif": whatif,
        "types": [("*", _("其他各类收入")), *_translated(RevenueType.choices)], "methods": _translated(Method.choices),
        "text": _editor_text(),
        "next_month": f"{clock.today():%Y-%m}",
    }  # fmt: skip
    return render(request, "sharing/editor.html", context, status=status)


def _translated(choices) -> list[tuple[str, str]]:
    """Choices with their labels in the reader's language, as plain strings (they go into JSON)."""
    return [(value, _(label)) for value, label in choices]


def _editor_text() -> dict[str, str]:
    """The editor script's own words, in the reader's language."""
    return {
        "base": _("基期"), "remove": _("删除"), "no_rule": _("请先添加规则"),
        "no_weight": _("分配比例中没有大于零的权重"), "bad_amount": _("金额最多两位小数"),
        "stock_increment": _("基数以内归原属地（存量），超出部分按比例分成（增量）；低于基数时全部归原属地。"),
        "relocation": _("转移企业：按比例分享，迁出地累计分享额以迁移前三年缴纳的税收为上限（示例不计上限）。"),
        "proportional": _("每一分都按比例分配。"),
    }  # fmt: skip


def _in_force_rules(versions) -> list:
    active = [v for v in versions if v.status == VersionStatus.ACTIVE]
    return active[-1].rules if active else []


def _whatif_rows(result: dict, parties) -> list[dict]:
    rows = []
    for period, by_party in result.items():
        for p in parties:
            settled, draft = by_party.get(p.region_id, (0, 0))
            rows.append(
                {
                    "period": period,
                    "party": p.region.name,
                    "settled": format_yuan(settled),
                    "draft": format_yuan(draft),
                    "diff": format_yuan(draft - settled),
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def enterprises(request, pk: int):
    agreement = _agreement(request, pk)
    if not _may(request, "view_records", agreement):
        raise Forbidden(_("园区企业明细仅对协议参与方的科技主管部门开放"))
    error, status = None, 200
    if request.method == "POST":
        post = request.POST
        try:
            entry = _date(post.get("entry_date", ""), "入园日期")
            start = (
                _date(post["relocation_start"] + "-01", "达产月份") if post.get("relocation_start") else None
            )
            cap = _fen(post.get("relocation_cap", ""))
            baseline = _fen(post.get("baseline", ""))
            services.enterprise_add(
                actor=request.actor, agreement=agreement, name=post.get("name", ""), origin=post.get("origin", ""),
                entry_date=entry, credit_code=post.get("credit_code", ""),
                baselines={"*": baseline} if baseline is not None else None,
                relocation_start=start, relocation_cap_fen=cap,
            )  # fmt: skip
            messages.success(request, _("企业已加入园区范围"))
            return redirect("sharing:enterprises", pk=agreement.pk)
        except DomainError as exc:
            error, status = exc, exc.status
    page = paginate(
        selectors.enterprise_list(actor=request.actor, agreement=agreement),
        page=_int(request.GET.get("page"), 1),
        page_size=50,
    )
    context = {
        "agreement": agreement,
        "page": page,
        "error": error,
        "may_edit": _may(request, "edit", agreement),
    }
    return render(request, "sharing/enterprises.html", context, status=status)


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise Invalid(_("%(label)s应为 YYYY-MM-DD 格式的日期") % {"label": label}) from exc


def _fen(text: str) -> int | None:
    from xietong.core.money import yuan_to_fen

    return yuan_to_fen(text) if text and text.strip() else None


@require_http_methods(["GET", "POST"])
@login_required
def records(request, pk: int):
    agreement = _agreement(request, pk)
    if not _may(request, "view_records", agreement):
        raise Forbidden(_("企业收入明细仅对协议参与方的科技主管部门开放"))
    report, error, status = None, None, 200
    if request.method == "POST":
        try:
            if request.POST.get("mode") == "manual":
                p = request.POST
                report = services.record_enter(
                    actor=request.actor,
                    agreement=agreement,
                    enterprise=p.get("enterprise", ""),
                    revenue_type=p.get("revenue_type", ""),
                    period=p.get("period", ""),
                    amount=p.get("amount", ""),
                )
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise Invalid(_("请选择要上传的 Excel 或 CSV 文件"))
                report = services.records_import(
                    actor=request.actor, agreement=agreement, rows=excel.read_revenue(upload)
                )
        except DomainError as exc:
            error, status = exc, exc.status
        if report is not None and not report.ok:
            status = 400
        elif report is not None:
            messages.success(
                request, _("已写入 %(n)s 条收入记录（与现有记录相同的行未重复写入）") % {"n": report.created}
            )
            return redirect("sharing:records", pk=agreement.pk)
    period = request.GET.get("period", "")
    if period:
        period = parse_period(period)
    qs = selectors.record_list(
        actor=request.actor,
        agreement=agreement,
        period=period,
        include_history=request.GET.get("history") == "1",
    )
    page = paginate(qs, page=_int(request.GET.get("page"), 1), page_size=50)
    context = {
        "agreement": agreement, "page": page, "report": report, "error": error, "period": period,
        "may_import": _may(request, "import", agreement),
        "types": [(label, _(label)) for _value, label in RevenueType.choices],
        "enterprises": selectors.enterprise_list(actor=request.actor, agreement=agreement).values_list("name", flat=True)[:500],
    }  # fmt: skip
    return render(request, "sharing/records.html", context, status=status)


@require_GET
@login_required
def records_template(request, pk: int):
    _agreement(request, pk)
    return xlsx_response(excel.revenue_template(), "园区企业收入导入模板.xlsx")


@require_POST
@login_required
def settle(request, pk: int):
    agreement = _agreement(request, pk)
    period = request.POST.get("period", "").strip()
    done = services.settle(actor=request.actor, agreement=agreement, period=period)
    messages.success(request, _("结算完成：%(n)s 个期间（数据未变的期间不会重复记账）") % {"n": len(done)})
    return redirect("sharing:agreement", pk=agreement.pk)


@require_GET
@login_required
def settlement_detail(request, pk: int):
    settlement = selectors.settlement_get(actor=request.actor, settlement_id=pk)
    lines = [
        {
            "party": line.party.name,
            "type": _(TYPE_LABELS[line.revenue_type]),
            "part": _(PART_LABELS[line.part]),
            "amount": format_yuan(line.amount_fen),
            "posted": format_yuan(line.posted_fen),
        }
        for line in settlement.lines.select_related("party")
    ]
    postings = list(settlement.entry.postings.select_related("account")) if settlement.entry_id else []
    context = {
        "settlement": settlement,
        "lines": lines,
        "postings": postings,
        "events": [(e, _verb(e.verb)) for e in audit.events_for(settlement)],
    }
    return render(request, "sharing/settlement.html", context)


def _statement(request, pk: int, *, with_detail: bool):
    agreement = _agreement(request, pk)
    party = request.GET.get("party", "") or selectors.party_codes(actor=request.actor, agreement=agreement)[0]
    year = request.GET.get("year", "") or str(clock.today().year)
    if not (year.isdigit() and len(year) == 4):
        raise Invalid(_("请选择年度（YYYY）"))
    return statements.statement_build(
        actor=request.actor, agreement=agreement, party=party, year=year, with_detail=with_detail
    )


@require_GET
@login_required
def statement(request, pk: int):
    st = _statement(request, pk, with_detail=True)
    context = {"st": st, "total": format_yuan(st.total_fen), "detail": st.detail[:300], "query": request.GET.urlencode(),
               "parties": selectors.parties(actor=request.actor, agreement=st.agreement)}  # fmt: skip
    return render(request, "sharing/statement.html", context)


@require_GET
@login_required
def statement_xlsx(request, pk: int):
    st = _statement(request, pk, with_detail=True)
    return xlsx_response(
        statements.statement_xlsx(st), f"利益分享结算单-{st.agreement.code}-{st.party_name}-{st.year}.xlsx"
    )


@require_GET
@login_required
def statement_pdf(request, pk: int):
    st = _statement(request, pk, with_detail=True)
    return pdf_response(
        statements.statement_pdf(st), f"利益分享结算单-{st.agreement.code}-{st.party_name}-{st.year}.pdf"
    )


@require_GET
@login_required
def enterprise_explain(request, pk: int, enterprise_id: int):
    agreement = _agreement(request, pk)
    if not _may(request, "view_records", agreement):
        raise Forbidden(_("企业明细仅对协议参与方的科技主管部门开放"))
    enterprise = selectors.enterprise_get(
        actor=request.actor, agreement=agreement, enterprise_id=enterprise_id
    )
    year = request.GET.get("year", "") or str(clock.today().year)
    if not (year.isdigit() and len(year) == 4):
        raise Invalid(_("请选择年度（YYYY）"))
    periods = sorted(
        {
            r.period
            for r in selectors.record_list(
                actor=request.actor, agreement=agreement, enterprise_id=enterprise.pk
            )
            if r.period.startswith(year)
        }
    )
    versions = selectors.version_list(actor=request.actor, agreement=agreement)
    from xietong.sharing.services.settlement import governing_version

    periods = [p for p in periods if governing_version(versions, p) is not None]
    lines = (
        explain(actor=request.actor, agreement=agreement, periods=periods, enterprise_id=enterprise.pk)
        if periods
        else []
    )
    parties = selectors.parties(actor=request.actor, agreement=agreement)
    rows = [
        {"line": line, "amount": format_yuan(line.amount_fen), "cumulative": format_yuan(line.cumulative_fen),
         "baseline": format_yuan(line.baseline_fen) if line.baseline_fen is not None else "—", "stock": format_yuan(line.stock_fen),
         "shares": [(format_yuan(line.shares[p.region_id]), line.moved[p.region_id]) for p in parties]}
        for line in lines
    ]  # fmt: skip
    context = {
        "agreement": agreement,
        "enterprise": enterprise,
        "rows": rows,
        "parties": parties,
        "year": year,
    }
    return render(request, "sharing/explain.html", context)


@require_GET
@login_required
def income(request):
    if not _may(request, "income"):
        raise Forbidden(_("分享收入视图仅对地区科技主管部门开放"))
    rows = selectors.income_of_actor(actor=request.actor)
    by_agreement: dict = defaultdict(lambda: {"total": 0, "years": defaultdict(int)})
    years = sorted({r["period"][:4] for r in rows})
    series: dict = defaultdict(lambda: defaultdict(int))
    for r in rows:
        key = (r["agreement_id"], r["agreement"], r["code"], r["party"])
        by_agreement[key]["total"] += r["total"]
        by_agreement[key]["years"][r["period"][:4]] += r["total"]
        series[_(r["type_label"])][r["period"][:4]] += r["total"]
    table = [
        {
            "id": k[0],
            "name": k[1],
            "code": k[2],
            "party": k[3],
            "total": format_yuan(v["total"]),
            "years": [format_yuan(v["years"][y]) for y in years],
        }
        for k, v in sorted(by_agreement.items(), key=lambda kv: kv[0][2])
    ]
    chart = {
        "years": years,
        "series": [{"name": name, "values": [vals[y] / 100 for y in years]} for name, vals in series.items()],
    }
    return render(request, "sharing/income.html", {"table": table, "years": years, "chart": chart})
