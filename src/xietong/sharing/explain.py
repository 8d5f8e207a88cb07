"""Why a party got what it got: per enterprise and revenue type, the rule, the year-to-date amount, the
baseline, stock vs increment, and the 分 the largest-remainder step moved. Reads only; party bureaus only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xietong import apportion
from xietong.core.actor import Actor
from xietong.sharing.enums import Method, RevenueType
from xietong.sharing.errors import NoVersion
from xietong.sharing.models import Agreement
from xietong.sharing.policies import AgreementPolicy
from xietong.sharing.services.settlement import engine_inputs, governing_version

METHOD_LABELS = dict(Method.choices)
TYPE_LABELS = dict(RevenueType.choices)


def _label(labels: dict, code: str) -> str:
    """A type's or method's label in the reader's language (translated when the explanation is built)."""
    return gettext(labels[code]) if code in labels else code


@dataclass(frozen=True)
class Line:
    period: str
    enterprise_id: int
    revenue_type: str
    type_label: str
    rule: str
    amount_fen: int
    cumulative_fen: int
    baseline_fen: int | None
    stock_fen: int  # to the origin
    shares: dict[str, int]  # party → its increment / share this period
    moved: dict[str, int]  # party → 分 the largest-remainder step moved this period


def explain(
    *,
    actor: Actor,
    agreement: Agreement,
    periods: list[str],
    enterprise_id: int | None = None,
    limit: int = 5000,
) -> list[Line]:
    AgreementPolicy.require(actor, "view_records", agreement)
    versions = list(agreement.versions.all())  # tenancy-ok: the agreement passed its policy just above
    by_version: dict = {}
    for p in periods:
        version = governing_version(versions, p)
        if version is None:
            raise NoVersion(_("期间 %(p)s 没有生效的协议版本") % {"p": p})
        by_version.setdefault(version.pk, (version, []))[1].append(p)
    out: list[Line] = []
    for version, ps in by_version.values():
        inputs = engine_inputs(
            agreement=agreement, version=version, rules=version.rules, periods=ps, enterprise_id=enterprise_id
        )
        result = apportion.apportion(inputs.table, inputs.rule_set)
        out.extend(_lines(result, inputs.rule_set, set(ps), limit - len(out)))
        if len(out) >= limit:
            break
    return out


def _lines(
    result: apportion.Apportionment, rule_set: apportion.RuleSet, periods: set[str], limit: int
) -> list[Line]:
    t = result.table
    lines = []
    running: dict = {}
    for i in range(len(t)):
        key = (int(t.enterprise[i]), int(t.revenue_type[i]), str(t.period_names[t.period[i]])[:4])
        before = running.get(key, 0)
        running[key] = before + int(t.amount_fen[i])
        period = str(t.period_names[t.period[i]])
        if period not in periods or len(lines) >= limit:
            continue
        type_code = str(t.type_names[t.revenue_type[i]])
        rule = rule_set.rule_for(type_code)
        enterprise = str(t.enterprise_names[t.enterprise[i]])
        baseline = None
        if rule.method == apportion.STOCK_INCREMENT:
            baseline = rule_set.baselines.get(
                (enterprise, type_code), rule_set.baselines.get((enterprise, "*"), 0)
            )
        moved = _moved(rule, before, running[key], baseline)
        lines.append(
            Line(
                period=period, enterprise_id=int(enterprise), revenue_type=type_code,
                type_label=_label(TYPE_LABELS, type_code), rule=_label(METHOD_LABELS, rule.method),
                amount_fen=int(t.amount_fen[i]), cumulative_fen=running[key], baseline_fen=baseline,
                stock_fen=int(result.stock[i]),
                shares={p: int(result.split[i, j]) for j, p in enumerate(result.parties)},
                moved={p: moved.get(p, 0) for p in result.parties},
            )
        )  # fmt: skip
    return lines


def _moved(rule, before: int, after: int, baseline: int | None) -> dict[str, int]:
    """Per party, this period's change in the 分 given by the largest-remainder step (not by the floors)."""
    if rule.method == apportion.RELOCATION:
        return {}

    def splittable(cumulative):
        if baseline is None:
            return cumulative
        return max(cumulative - baseline, 0)

    now = apportion.rounding_moves(splittable(after), rule.weights)
    then = apportion.rounding_moves(splittable(before), rule.weights)
    return {p: int(a - b) for p, a, b in zip(rule.parties, np.array(now), np.array(then), strict=True)}
