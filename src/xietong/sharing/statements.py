"""A party's statement for a year: what it was allotted per period, type and part, every settlement run
(adjustments name the original), and the per-enterprise explanation for party bureaus. Excel and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.money import fen_to_yuan, format_yuan
from xietong.core.pdf import PdfDocument
from xietong.sharing import excel, references, selectors
from xietong.sharing.enums import Part, RevenueType
from xietong.sharing.explain import explain
from xietong.sharing.models import Agreement
from xietong.sharing.policies import AgreementPolicy

PART_LABELS = dict(Part.choices)
TYPE_LABELS = dict(RevenueType.choices)


def _label(labels: dict, code: str) -> str:
    """A label in the reader's language (statements are built per request)."""
    return gettext(labels[code]) if code in labels else code


@dataclass
class Statement:
    agreement: Agreement
    party: str
    party_name: str
    year: str
    summary: list[dict] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)
    detail: list[dict] = field(default_factory=list)
    total_fen: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


def statement_build(
    *, actor: Actor, agreement: Agreement, party: str, year: str, with_detail: bool = True
) -> Statement:
    parties = {p.region_id: p.region.name for p in selectors.parties(actor=actor, agreement=agreement)}
    if party not in parties:
        from xietong.core.errors import NotFound

        raise NotFound(_("该协议没有这个参与方"))
    statement = Statement(agreement=agreement, party=party, party_name=parties[party], year=year)
    settlements = list(
        selectors.settlement_list(actor=actor, agreement=agreement)
        .filter(period__startswith=f"{year}-")
        .prefetch_related("lines")
        .order_by("period", "id")
    )
    amounts: dict = {}
    for s in settlements:
        mine = [
            line for line in s.lines.all() if line.party_id == party
        ]  # tenancy-ok: lines of a settlement fetched through its selector
        posted = sum(line.posted_fen for line in mine)
        statement.runs.append({
            "period": s.period, "at": timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
            "kind": gettext("调整") if s.adjusts_id else gettext("结算"), "entry": references.entry_reference(s),
            "adjusts": references.entry_reference(s.adjusts) if s.adjusts_id else "",
            "posted": fen_to_yuan(posted),
        })  # fmt: skip
        for line in mine:
            key = (s.period, line.revenue_type, line.part)
            amount, adjusted = amounts.get(key, (0, 0))
            amounts[key] = (amount + line.posted_fen, adjusted + (line.posted_fen if s.adjusts_id else 0))
    for (period, revenue_type, part), (amount, adjusted) in sorted(amounts.items()):
        statement.summary.append({
            "period": period, "type": _label(TYPE_LABELS, revenue_type), "part": _label(PART_LABELS, part),
            "amount": fen_to_yuan(amount), "adjusted": fen_to_yuan(adjusted), "fen": amount,
        })  # fmt: skip
        statement.total_fen += amount
        statement.by_type[revenue_type] = statement.by_type.get(revenue_type, 0) + amount
    if with_detail and AgreementPolicy.can(actor, "view_records", agreement) and settlements:
        periods = sorted({s.period for s in settlements})
        names = dict(selectors.enterprise_list(actor=actor, agreement=agreement).values_list("pk", "name"))
        origins = dict(
            selectors.enterprise_list(actor=actor, agreement=agreement).values_list("pk", "origin_id")
        )
        for line in explain(actor=actor, agreement=agreement, periods=periods):
            stock = line.stock_fen if origins.get(line.enterprise_id) == party else 0
            if stock == 0 and line.shares.get(party, 0) == 0 and line.moved.get(party, 0) == 0:
                continue
            statement.detail.append({
                "period": line.period, "enterprise": names.get(line.enterprise_id, ""), "type": line.type_label,
                "rule": line.rule, "cumulative": fen_to_yuan(line.cumulative_fen),
                "baseline": fen_to_yuan(line.baseline_fen) if line.baseline_fen is not None else "",
                "stock": fen_to_yuan(stock), "share": fen_to_yuan(line.shares.get(party, 0)), "moved": line.moved.get(party, 0),
            })  # fmt: skip
    return statement


def statement_xlsx(statement: Statement) -> bytes:
    return excel.statement_workbook(statement)


def statement_pdf(statement: Statement) -> bytes:
    a = statement.agreement
    doc = PdfDocument(
        title=gettext("利益分享结算单：%(party)s") % {"party": statement.party_name},
        subtitle=gettext("%(name)s（%(code)s）· %(year)s 年")
        % {"name": a.name, "code": a.code, "year": statement.year},
        is_landscape=True,
    )
    doc.key_values([
        (gettext("协议"), f"{a.name}（{a.code}）"), (gettext("园区"), a.park_name), (gettext("参与方"), statement.party_name),
        (gettext("年度"), statement.year), (gettext("本年分得合计"), format_yuan(statement.total_fen)),
        (gettext("舍入规则"), gettext("最大余数法（Hamilton）：先取各方精确份额的整数分，余下的分按小数部分从大到小逐一分配，相同时归规则中列在前的一方；按本年累计额结算、减去已分配额，舍入不漂移。")),
    ])  # fmt: skip
    doc.heading(gettext("按期间、收入类型汇总"))
    rows = [
        [r["period"], r["type"], r["part"], f"{r['amount']:,}", f"{r['adjusted']:,}"]
        for r in statement.summary
    ]
    rows.append([gettext("合计"), "", "", f"{fen_to_yuan(statement.total_fen):,}", ""])
    doc.table(
        [
            gettext("期间"),
            gettext("收入类型"),
            gettext("部分"),
            gettext("金额（元）"),
            gettext("其中调整（元）"),
        ],
        rows,
        widths=(0.14, 0.2, 0.14, 0.28, 0.24),
        total_row=True,
    )
    doc.heading(gettext("结算与调整记录"))
    doc.table(
        excel.run_header(),
        [
            [r["period"], r["at"], r["kind"], r["entry"], r["adjusts"], f"{r['posted']:,}"]
            for r in statement.runs
        ],
    )
    if statement.detail:
        doc.heading(gettext("企业明细（前 200 行，完整明细见 Excel）"))
        doc.table(
            [
                gettext("期间"),
                gettext("企业"),
                gettext("收入类型"),
                gettext("本年累计（元）"),
                gettext("基数（元）"),
                gettext("存量（元）"),
                gettext("增量/分成（元）"),
                gettext("舍入（分）"),
            ],
            [
                [
                    d["period"],
                    d["enterprise"],
                    d["type"],
                    f"{d['cumulative']:,}",
                    d["baseline"],
                    f"{d['stock']:,}",
                    f"{d['share']:,}",
                    d["moved"],
                ]
                for d in statement.detail[:200]
            ],
        )
    return doc.render()
