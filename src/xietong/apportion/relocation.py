"""The 2015 京津冀 relocation rule (财政部、税务总局《京津冀协同发展产业转移对接企业税收收入分享办法》,
财预〔2015〕92号), with every number a parameter.

For an enterprise moved from the 迁出地 (its origin) to the 迁入地 (the rule's host), the local shares of
增值税, 企业所得税 and 营业税 are split by the rule's ratios (50:50) for `years` (3) from the month of full
production; the 迁出地's cumulative share is capped at `cap_fen` (the enterprise's payments of those taxes in
the three years before the move); while the cap is not reached, sharing goes on for up to `extension_years`
(2) more. Before the start, after the window, and whatever the cap holds back, the 迁入地 keeps.

The cap is applied in time order: each record's origin share is the cumulative split's increment for its
type, cut to what is left of the cap (a refund gives back room under the cap). Periods "YYYY" count from
their January.
"""

from __future__ import annotations

import numpy as np

from .errors import ApportionError
from .hamilton import split_array
from .parts import HOST, SHARE


def month_index(period: str) -> int:
    year, _, month = period.partition("-")
    return int(year) * 12 + (int(month) - 1 if month else 0)


def relocation_split(table, rules, jobs, origin_party, party_index, split, split_part) -> None:
    """Fill `split` / `split_part` for the rows of relocation rules; `jobs` is [(rule, rows)] by type."""
    rule_of_row: dict[int, object] = {}
    for rule, rows in jobs:
        for r in rows.tolist():
            rule_of_row[r] = rule
    by_enterprise: dict[int, list[int]] = {}
    for r in sorted(rule_of_row):
        by_enterprise.setdefault(int(table.enterprise[r]), []).append(r)
    for enterprise, rows in by_enterprise.items():
        name = str(table.enterprise_names[enterprise])
        params = rules.relocations.get(name)
        if params is None:
            raise ApportionError(
                "missing_relocation", f"no relocation parameters for {name}", enterprise=name
            )
        start = month_index(params.start)
        rows.sort(key=lambda r: (str(table.period_names[table.period[r]]), r))
        shared: dict[int, int] = {}
        origin_total = 0
        for r in rows:
            rule = rule_of_row[r]
            host = party_index[rule.host]
            origin = int(origin_party[r])
            amount = int(table.amount_fen[r])
            offset = month_index(str(table.period_names[table.period[r]])) - start
            in_window = 0 <= offset < 12 * params.years
            extended = 12 * params.years <= offset < 12 * (params.years + params.extension_years) and (
                params.cap_fen is None or origin_total < params.cap_fen
            )
            if origin == host or not (in_window or extended):
                split[r, host] = amount
                split_part[r] = HOST
                continue
            type_code = int(table.revenue_type[r])
            before = shared.get(type_code, 0)
            shared[type_code] = before + amount
            weights = rule.weights
            delta = (
                split_array(np.array([before + amount]), weights) - split_array(np.array([before]), weights)
            )[0]
            parts = {party_index[p]: int(d) for p, d in zip(rule.parties, delta, strict=True)}
            origin_part = parts.get(origin, 0)
            if params.cap_fen is not None and origin_part > 0:
                allowed = max(params.cap_fen - origin_total, 0)
                if origin_part > allowed:
                    parts[host] = parts.get(host, 0) + origin_part - allowed
                    origin_part = allowed
            parts[origin] = origin_part
            origin_total += origin_part
            for column, value in parts.items():
                split[r, column] = value
            split_part[r] = SHARE
