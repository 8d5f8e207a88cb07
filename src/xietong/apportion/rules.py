"""Sharing rules as plain data: parties, one rule per revenue type ("*" for any other), ratios normalised.

A rule set is what an agreement version holds and what `xietong sharing simulate --rules` reads::

    {"parties": ["510000", "500000"],
     "rules": [{"revenue_type": "*", "method": "stock_increment", "ratios": {"510000": 1, "500000": 1},
                "base_period": "2024"}]}

Weights need not sum to 100; they are exact decimals, normalised to whole numbers without rounding.
The order of a rule's ratios is the tie-break order of the largest-remainder split.

>>> rs = parse_rules({"parties": ["A", "B"], "rules": [{"revenue_type": "*", "method": "proportional",
...                   "ratios": {"A": "0.5", "B": "0.25"}}]})
>>> rs.rule_for("增值税").weights
(2, 1)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import ApportionError

PROPORTIONAL = "proportional"
STOCK_INCREMENT = "stock_increment"
RELOCATION = "relocation"
METHODS = (PROPORTIONAL, STOCK_INCREMENT, RELOCATION)
ANY_TYPE = "*"

PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_MAX_WEIGHT = Fraction(10**9)


@dataclass(frozen=True)
class Relocation:
    """Parameters of the 2015 京津冀 rule (财预〔2015〕92号) for one relocated enterprise.

    `start` is the month of full production (达产) as "YYYY-MM"; the origin (迁出地) shares for `years`, then up
    to `extension_years` more while its cumulative share is below `cap_fen` (what the enterprise paid in the
    shared taxes in the three years before the move); `cap_fen` None means no cap.
    """

    start: str
    cap_fen: int | None = None
    years: int = 3
    extension_years: int = 2


@dataclass(frozen=True)
class Rule:
    revenue_type: str
    method: str
    parties: tuple[str, ...]  # the ratio order: the tie-break order of the split
    weights: tuple[int, ...]  # whole numbers, same order, at least one positive
    base_period: str | None = None
    host: str | None = None  # relocation: the 迁入地, who keeps what is not shared

    def share_of(self, party: str) -> Fraction:
        """The exact fraction of a split that goes to `party`."""
        if party not in self.parties:
            return Fraction(0)
        return Fraction(self.weights[self.parties.index(party)], sum(self.weights))


@dataclass(frozen=True)
class RuleSet:
    parties: tuple[str, ...]
    rules: tuple[Rule, ...]
    baselines: dict[tuple[str, str], int] = field(default_factory=dict)  # (enterprise, type) -> fixed 分
    relocations: dict[str, Relocation] = field(default_factory=dict)  # enterprise -> parameters

    def rule_for(self, revenue_type: str) -> Rule:
        for rule in self.rules:
            if rule.revenue_type == revenue_type:
                return rule
        for rule in self.rules:
            if rule.revenue_type == ANY_TYPE:
                return rule
        raise ApportionError(
            "no_rule", f"no rule covers revenue type {revenue_type!r}", revenue_type=revenue_type
        )


def normalise_weights(
    ratios: dict[str, Any], *, revenue_type: str
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Exact decimal weights → the smallest whole numbers in the same proportion (order kept)."""
    if not isinstance(ratios, dict) or not ratios:
        raise ApportionError(
            "no_positive_weight", "ratios need at least one positive weight", revenue_type=revenue_type
        )
    fractions = []
    for party, weight in ratios.items():
        fractions.append(_weight(weight, party=str(party), revenue_type=revenue_type))
    if not any(f > 0 for f in fractions):
        raise ApportionError(
            "no_positive_weight", "ratios need at least one positive weight", revenue_type=revenue_type
        )
    denominator = math.lcm(*(f.denominator for f in fractions))
    whole = [int(f * denominator) for f in fractions]
    divisor = math.gcd(*whole)
    return tuple(str(p) for p in ratios), tuple(w // divisor for w in whole)


def _weight(value: Any, *, party: str, revenue_type: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ApportionError(
            "bad_weight", f"weight of {party} is not a number", party=party, revenue_type=revenue_type
        )
    try:
        weight = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ApportionError(
            "bad_weight", f"weight of {party} is not a number", party=party, revenue_type=revenue_type
        ) from exc
    if weight < 0:
        raise ApportionError(
            "negative_weight", f"weight of {party} is negative", party=party, revenue_type=revenue_type
        )
    if weight > _MAX_WEIGHT or weight.denominator > 10**6:
        raise ApportionError(
            "bad_weight", f"weight of {party} is out of range", party=party, revenue_type=revenue_type
        )
    return weight


def check_period(text: Any) -> str:
    value = str(text).strip()
    if not PERIOD_RE.match(value):
        raise ApportionError("bad_period", f"period {text!r} is neither YYYY nor YYYY-MM", period=str(text))
    return value


def parse_rules(data: Any) -> RuleSet:
    """Validate a rules document (the JSON above); every problem is an ApportionError with a code."""
    if not isinstance(data, dict):
        raise ApportionError("bad_rules", "the rules document must be a JSON object")
    parties = data.get("parties")
    if not isinstance(parties, list) or not parties:
        raise ApportionError("no_parties", "the rules document needs a non-empty list of parties")
    parties = [str(p).strip() for p in parties]
    if len(set(parties)) != len(parties):
        raise ApportionError("duplicate_party", "a party is listed twice")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ApportionError("bad_rules", "the rules document needs a non-empty list of rules")
    rules = [parse_rule(raw, parties=parties) for raw in raw_rules]
    seen: set[str] = set()
    for rule in rules:
        if rule.revenue_type in seen:
            raise ApportionError(
                "duplicate_rule", f"two rules for {rule.revenue_type}", revenue_type=rule.revenue_type
            )
        seen.add(rule.revenue_type)
    return RuleSet(
        parties=tuple(parties),
        rules=tuple(rules),
        baselines=_baselines(data.get("baselines")),
        relocations=_relocations(data.get("relocations")),
    )


def parse_rule(raw: Any, *, parties: list[str] | tuple[str, ...]) -> Rule:
    if not isinstance(raw, dict):
        raise ApportionError("bad_rules", "each rule must be a JSON object")
    revenue_type = str(raw.get("revenue_type") or ANY_TYPE).strip()
    method = str(raw.get("method", "")).strip()
    if method not in METHODS:
        raise ApportionError(
            "unknown_method", f"unknown method {method!r}", method=method, revenue_type=revenue_type
        )
    names, weights = normalise_weights(raw.get("ratios"), revenue_type=revenue_type)
    for party in names:
        if party not in parties:
            raise ApportionError(
                "unknown_party", f"party {party} is not in parties", party=party, revenue_type=revenue_type
            )
    base_period = raw.get("base_period")
    if base_period is not None and str(base_period).strip():
        base_period = check_period(base_period)
    else:
        base_period = None
    host = raw.get("host")
    if method == RELOCATION:
        host = str(host or "").strip()
        if host not in parties:
            raise ApportionError(
                "unknown_party", f"host {host} is not in parties", party=host, revenue_type=revenue_type
            )
    else:
        host = None
    return Rule(revenue_type, method, names, weights, base_period=base_period, host=host)


def _baselines(raw: Any) -> dict[tuple[str, str], int]:
    """Optional fixed baselines: {"enterprise": {"增值税": fen, …}} or {"enterprise": fen} for every type."""
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ApportionError("bad_rules", "baselines must be an object")
    out: dict[tuple[str, str], int] = {}
    for enterprise, value in raw.items():
        items = value.items() if isinstance(value, dict) else [(ANY_TYPE, value)]
        for revenue_type, fen in items:
            if isinstance(fen, bool) or not isinstance(fen, int):
                raise ApportionError("bad_amount", "a baseline must be whole 分", enterprise=str(enterprise))
            out[(str(enterprise), str(revenue_type))] = fen
    return out


def _relocations(raw: Any) -> dict[str, Relocation]:
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ApportionError("bad_rules", "relocations must be an object")
    out = {}
    for enterprise, value in raw.items():
        if not isinstance(value, dict) or "start" not in value:
            raise ApportionError(
                "missing_relocation", f"relocation of {enterprise} needs a start", enterprise=str(enterprise)
            )
        start = check_period(value["start"])
        if len(start) != 7:
            raise ApportionError("bad_period", "a relocation start is a month YYYY-MM", period=start)
        cap = value.get("cap_fen")
        years, extension = value.get("years", 3), value.get("extension_years", 2)
        for number in (cap, years, extension):
            if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
                raise ApportionError(
                    "bad_amount",
                    "relocation numbers must be whole and not negative",
                    enterprise=str(enterprise),
                )
        out[str(enterprise)] = Relocation(start=start, cap_fen=cap, years=years, extension_years=extension)
    return out
