"""Apportion revenue records among the parties: cumulative within each year, set-based on numpy arrays.

Why cumulative: splitting every month on its own lets the fixed tie-break drift (twelve monthly 1-分 splits
at 50:50 end 12:0). Each record's shares are instead the split of the year-to-date amount of its enterprise
and revenue type minus the split of the amount before it, so the shares of any stretch of the year are the
split of its total (the twelve 1-分 months end 6:6) and every year-to-date figure is exact to the rule.

For `stock_increment` the baseline (a fixed amount, or the enterprise's amount of the same type in the
rule's base period) is compared with the year-to-date amount: what is within the baseline goes to the
origin (存量), only what is above it is split (增量). With monthly records the origin is paid first and the
increment appears once the year passes the baseline; the year's total is exactly the rule as written.

>>> from xietong.apportion.rules import parse_rules
>>> table = RevenueTable.from_columns(enterprise=["e"] * 2, origin=["A"] * 2, revenue_type=["增值税"] * 2,
...                                   period=["2024", "2025"], amount_fen=[100_000_000, 130_000_001])
>>> rs = parse_rules({"parties": ["A", "B"], "rules": [{"revenue_type": "*", "method": "stock_increment",
...                   "ratios": {"A": 1, "B": 1}, "base_period": "2024"}]})
>>> result = apportion(table, rs)
>>> [(r.period, r.party, r.part, r.amount_fen) for r in result.rows() if r.period == "2025"]
[('2025', 'A', 'stock', 100000000), ('2025', 'A', 'increment', 15000001), ('2025', 'B', 'increment', 15000000)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ApportionError
from .hamilton import split_array
from .parts import INCREMENT, PARTS, SHARE, STOCK
from .relocation import relocation_split
from .rules import ANY_TYPE, PERIOD_RE, PROPORTIONAL, RELOCATION, STOCK_INCREMENT, RuleSet


@dataclass(frozen=True)
class RevenueTable:
    """Records as parallel arrays; enterprise, origin, type and period are factorised codes into `*_names`."""

    enterprise: np.ndarray
    origin: np.ndarray
    revenue_type: np.ndarray
    period: np.ndarray
    amount_fen: np.ndarray
    enterprise_names: np.ndarray
    origin_names: np.ndarray
    type_names: np.ndarray
    period_names: np.ndarray

    @classmethod
    def from_columns(
        cls,
        *,
        enterprise: Sequence,
        origin: Sequence,
        revenue_type: Sequence,
        period: Sequence,
        amount_fen: Sequence[int] | np.ndarray,
    ) -> RevenueTable:
        codes = [
            pd.factorize(pd.Series(col, dtype=object).astype(str), sort=False)
            for col in (enterprise, origin, revenue_type, period)
        ]
        amounts = np.asarray(amount_fen, dtype=np.int64)
        return cls(
            enterprise=codes[0][0].astype(np.int64),
            origin=codes[1][0].astype(np.int64),
            revenue_type=codes[2][0].astype(np.int64),
            period=codes[3][0].astype(np.int64),
            amount_fen=amounts,
            enterprise_names=np.asarray(codes[0][1], dtype=object),
            origin_names=np.asarray(codes[1][1], dtype=object),
            type_names=np.asarray(codes[2][1], dtype=object),
            period_names=np.asarray(codes[3][1], dtype=object),
        )

    def __len__(self) -> int:
        return len(self.amount_fen)


@dataclass(frozen=True)
class ShareRow:
    enterprise: str
    revenue_type: str
    period: str
    party: str
    amount_fen: int
    part: str


@dataclass(frozen=True)
class Apportionment:
    """One row per distinct (enterprise, type, period) record, sorted by type, enterprise and period.

    `stock` is the 存量 paid to the row's origin (`origin_party`, an index into `parties`); `split` holds every
    party's other part, labelled per row by `split_part` (increment, share or host).
    """

    table: RevenueTable  # the records, aggregated and sorted
    parties: tuple[str, ...]
    origin_party: np.ndarray
    stock: np.ndarray
    split: np.ndarray
    split_part: np.ndarray
    has_stock: np.ndarray

    def totals(self, *, rows: np.ndarray | None = None) -> dict[tuple[str, str, str], int]:
        """Σ 分 per (revenue type, party, part) over the selected rows (default: all)."""
        mask = np.ones(len(self.stock), dtype=bool) if rows is None else rows
        t = self.table
        out: dict[tuple[str, str, str], int] = {}
        type_codes = t.revenue_type[mask]
        stock, origin = self.stock[mask], self.origin_party[mask]
        split, part = self.split[mask], self.split_part[mask]
        n_types, n_parties = len(t.type_names), len(self.parties)
        grid = np.zeros((n_types, n_parties, len(PARTS)), dtype=np.int64)
        np.add.at(grid, (type_codes, origin, np.full(len(origin), STOCK)), stock)
        for p in range(n_parties):
            np.add.at(grid, (type_codes, np.full(len(part), p), part), split[:, p])
        for ti, pi, ki in zip(*np.nonzero(grid), strict=True):
            out[(str(t.type_names[ti]), self.parties[pi], PARTS[ki])] = int(grid[ti, pi, ki])
        return out

    def rows(self) -> Iterator[ShareRow]:
        """The long form (what shares.csv holds): a stock row for the origin where the rule has one, then
        every party's split part."""
        t = self.table
        for i in range(len(self.stock)):
            ent, typ, per = (
                str(t.enterprise_names[t.enterprise[i]]),
                str(t.type_names[t.revenue_type[i]]),
                str(t.period_names[t.period[i]]),
            )
            if self.has_stock[i]:
                yield ShareRow(ent, typ, per, self.parties[self.origin_party[i]], int(self.stock[i]), "stock")
            part = PARTS[self.split_part[i]]
            for p, party in enumerate(self.parties):
                yield ShareRow(ent, typ, per, party, int(self.split[i, p]), part)

    def long_columns(self) -> dict[str, np.ndarray]:
        """The long form as columns of values (see `long_columns_encoded`)."""
        out = {}
        for name, value in self.long_columns_encoded().items():
            out[name] = value[1][value[0]] if isinstance(value, tuple) else value
        return out

    def long_columns_encoded(
        self, start: int = 0, stop: int | None = None
    ) -> dict[str, tuple[np.ndarray, np.ndarray] | np.ndarray]:
        """The long form of records [start, stop) (default: all), vectorised for millions of rows: text
        columns as (codes, names), amounts as int64.

        Row order matches `rows()`: per record, the origin's stock row (if any), then one row per party.
        """
        t = self.table
        stop = len(self.stock) if stop is None else min(stop, len(self.stock))
        k = self.split.shape[1]
        has_stock = self.has_stock[start:stop]
        # Each record takes (1 if it has a stock row) + k consecutive rows: place them by offset, no sorting.
        width = has_stock.astype(np.int64) + k
        first = np.cumsum(width) - width
        total = int(width.sum())
        rec = np.repeat(np.arange(start, stop), width)
        party = np.empty(total, dtype=np.int64)
        amount = np.empty(total, dtype=np.int64)
        part = np.empty(total, dtype=np.int64)
        stock_idx = np.nonzero(has_stock)[0]
        stock_at = first[stock_idx]
        party[stock_at] = self.origin_party[start:stop][stock_idx]
        amount[stock_at] = self.stock[start:stop][stock_idx]
        part[stock_at] = STOCK
        first_split = first + has_stock
        for j in range(k):
            at = first_split + j
            party[at] = j
            amount[at] = self.split[start:stop, j]
            part[at] = self.split_part[start:stop]
        return {
            "enterprise": (t.enterprise[rec], t.enterprise_names),
            "revenue_type": (t.revenue_type[rec], t.type_names),
            "period": (t.period[rec], t.period_names),
            "party": (party, np.asarray(self.parties, dtype=object)),
            "amount_fen": amount,
            "part": (part, np.asarray(PARTS, dtype=object)),
        }


def apportion(table: RevenueTable, rules: RuleSet) -> Apportionment:
    """Shares of every record under `rules` (see the module docstring); raises ApportionError on bad input."""
    _check_periods(table)
    table = _aggregate_sorted(table)
    parties = rules.parties
    party_index = {p: i for i, p in enumerate(parties)}
    n, k = len(table), len(parties)
    origin_party = np.full(n, -1, dtype=np.int64)
    origin_map = np.array([party_index.get(str(o), -1) for o in table.origin_names], dtype=np.int64)
    if n:
        origin_party = origin_map[table.origin]
    stock = np.zeros(n, dtype=np.int64)
    split = np.zeros((n, k), dtype=np.int64)
    split_part = np.full(n, SHARE, dtype=np.int64)
    has_stock = np.zeros(n, dtype=bool)
    cumulative, window_start = _cumulative(table)
    relocation_jobs = []
    # sorted by type first: each type's records are one contiguous run
    bounds = np.searchsorted(table.revenue_type, np.arange(len(table.type_names) + 1))
    for type_code, type_name in enumerate(table.type_names):
        lo, hi = int(bounds[type_code]), int(bounds[type_code + 1])
        if lo == hi:
            continue
        rows = np.arange(lo, hi)
        rule = rules.rule_for(str(type_name))
        columns = np.array([party_index[p] for p in rule.parties], dtype=np.int64)
        if rule.method == PROPORTIONAL:
            now = _split_blocks(lo, hi, cumulative, rule.weights)
            split[lo:hi, columns] = _minus_previous(now, window_start[lo:hi])
        elif rule.method == STOCK_INCREMENT:
            _require_origins(table, rows, origin_party)
            baseline = _baselines(table, rules, rule, type_code, rows)
            stock_now, inc_now = _stock_increment(cumulative[lo:hi], baseline)
            stock[lo:hi] = _minus_previous(stock_now, window_start[lo:hi])
            now = _split_blocks(0, hi - lo, inc_now, rule.weights)
            split[lo:hi, columns] = _minus_previous(now, window_start[lo:hi])
            has_stock[lo:hi] = True
            split_part[lo:hi] = INCREMENT
        elif rule.method == RELOCATION:
            _require_origins(table, rows, origin_party)
            relocation_jobs.append((rule, rows))
    if relocation_jobs:
        relocation_split(table, rules, relocation_jobs, origin_party, party_index, split, split_part)
    return Apportionment(table, parties, np.maximum(origin_party, 0), stock, split, split_part, has_stock)


_INT64_SAFE = 2**62
_BLOCK = 1 << 16


def _blocks(lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """[lo, hi) in runs of `_BLOCK` rows: per-block temporaries stay small and are reused."""
    for start in range(lo, hi, _BLOCK):
        yield start, min(start + _BLOCK, hi)


def _check_periods(table: RevenueTable) -> None:
    for name in table.period_names:
        if not PERIOD_RE.match(str(name)):
            raise ApportionError(
                "bad_period", f"period {name!r} is neither YYYY nor YYYY-MM", period=str(name)
            )


def _aggregate_sorted(table: RevenueTable) -> RevenueTable:
    """Sort by (type, enterprise, period) in period text order and sum duplicate records; one origin per
    enterprise."""
    if len(table) == 0:
        return table
    first_origin = np.full(len(table.enterprise_names), -1, dtype=np.int64)
    first_origin[table.enterprise] = table.origin
    if (first_origin[table.enterprise] != table.origin).any():
        bad = int(table.enterprise[np.nonzero(first_origin[table.enterprise] != table.origin)[0][0]])
        name = str(table.enterprise_names[bad])
        raise ApportionError("origin_conflict", f"enterprise {name} has two origins", enterprise=name)
    period_rank = np.argsort(np.argsort(table.period_names.astype(str), kind="stable"), kind="stable")
    ranked_period = period_rank[table.period]
    n_ent, n_per = len(table.enterprise_names), len(table.period_names)
    if len(table.type_names) * n_ent * n_per < _INT64_SAFE:
        # one int64 key in (type, enterprise, period) order: a single sort, and none when already in order
        key = (table.revenue_type.astype(np.int64) * n_ent + table.enterprise) * n_per + ranked_period
        order = None if (key[1:] >= key[:-1]).all() else np.argsort(key, kind="stable")
        if order is not None:
            key = key[order]
        new = np.ones(len(key), dtype=bool)
        new[1:] = key[1:] != key[:-1]
        del key
    else:
        order = np.lexsort((ranked_period, table.enterprise, table.revenue_type))
        new = None
    if order is None:
        ent, typ, per, amount, origin = (
            table.enterprise,
            table.revenue_type,
            table.period,
            table.amount_fen,
            table.origin,
        )
    else:
        ent, typ, per, amount, origin = (
            table.enterprise[order],
            table.revenue_type[order],
            table.period[order],
            table.amount_fen[order],
            table.origin[order],
        )
    if new is None:
        new = np.ones(len(order), dtype=bool)
        new[1:] = (ent[1:] != ent[:-1]) | (typ[1:] != typ[:-1]) | (per[1:] != per[:-1])
    if not new.all():
        starts = np.nonzero(new)[0]
        amount = np.add.reduceat(amount, starts)
        ent, typ, per, origin = ent[starts], typ[starts], per[starts], origin[starts]
    return RevenueTable(
        ent,
        origin,
        typ,
        per,
        amount,
        table.enterprise_names,
        table.origin_names,
        table.type_names,
        table.period_names,
    )


def _cumulative(table: RevenueTable) -> tuple[np.ndarray, np.ndarray]:
    """Year-to-date amount through each record within (enterprise, type, year), and whether the record opens
    its window (the amount before it is then 0; otherwise it is the previous record's year-to-date)."""
    n = len(table)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    years = np.array([str(p)[:4] for p in table.period_names])
    year = pd.factorize(years)[0][table.period]
    start = np.ones(n, dtype=bool)
    start[1:] = (
        (table.enterprise[1:] != table.enterprise[:-1])
        | (table.revenue_type[1:] != table.revenue_type[:-1])
        | (year[1:] != year[:-1])
    )
    running = np.cumsum(table.amount_fen)
    window_start = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    cumulative = running - (running - table.amount_fen)[window_start]
    return cumulative, start


def _split_blocks(lo: int, hi: int, amounts: np.ndarray, weights) -> np.ndarray:
    """split_array of amounts[lo:hi], one block at a time into one result."""
    out = np.empty((hi - lo, len(weights)), dtype=np.int64)
    for a, b in _blocks(lo, hi):
        out[a - lo : b - lo] = split_array(amounts[a:b], weights)
    return out


def _minus_previous(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each row minus the row before it, or minus nothing where a window starts: the split of the year-to-date
    amount minus the split of the amount before the record (which is the previous record's year-to-date
    amount, or 0 at the window's start), without splitting the amounts before a second time."""
    out = values.copy()
    out[1:] -= values[:-1]
    out[starts] = values[starts]
    return out


def _require_origins(table: RevenueTable, rows: np.ndarray, origin_party: np.ndarray) -> None:
    missing = rows[origin_party[rows] < 0]
    if len(missing):
        origin = str(table.origin_names[table.origin[missing[0]]])
        raise ApportionError("unknown_party", f"origin {origin} is not in parties", party=origin)


def _baselines(table: RevenueTable, rules: RuleSet, rule, type_code: int, rows: np.ndarray) -> np.ndarray:
    """Per row, the enterprise's baseline for this type: a fixed amount, else its amount in the base period
    (never below zero: a year of net refunds leaves no 存量 to protect)."""
    n_ent = len(table.enterprise_names)
    per_enterprise = np.zeros(n_ent, dtype=np.int64)
    known = np.zeros(n_ent, dtype=bool)
    type_name = str(table.type_names[type_code])
    if rule.base_period is not None:
        base = rule.base_period
        in_base = np.array([str(p) == base or str(p).startswith(base + "-") for p in table.period_names])
        base_rows = rows[in_base[table.period[rows]]]
        np.add.at(per_enterprise, table.enterprise[base_rows], table.amount_fen[base_rows])
        known[:] = True
    if rules.baselines:
        index = {str(name): i for i, name in enumerate(table.enterprise_names)}
        generic, specific = {}, {}
        for (enterprise, revenue_type), fen in rules.baselines.items():
            if enterprise in index and revenue_type == type_name:
                specific[index[enterprise]] = fen
            elif enterprise in index and revenue_type == ANY_TYPE:
                generic[index[enterprise]] = fen
        for position, fen in (generic | specific).items():
            per_enterprise[position] = fen
            known[position] = True
    missing = rows[~known[table.enterprise[rows]]]
    if len(missing):
        name = str(table.enterprise_names[table.enterprise[missing[0]]])
        raise ApportionError(
            "missing_base_period",
            f"no baseline for {name}: give a base_period or a fixed baseline",
            enterprise=name,
            revenue_type=type_name,
        )
    return np.maximum(per_enterprise[table.enterprise[rows]], 0)


def _stock_increment(cumulative: np.ndarray, baseline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    over = cumulative > baseline
    return np.where(over, baseline, cumulative), np.where(over, cumulative - baseline, 0)
