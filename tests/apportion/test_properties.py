"""Invariants of the split and of cumulative apportionment, for any records and rules."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xietong.apportion import RevenueTable, apportion, parse_rules, split, split_array

weights = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6).filter(any)
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@given(amounts, weights)
def test_parts_sum_to_the_whole_and_each_is_within_one_fen_of_its_exact_share(amount, w):
    parts = split(amount, w)
    assert sum(parts) == amount
    total = sum(w)
    for part, weight in zip(parts, w, strict=True):
        assert abs(Fraction(part) - Fraction(amount * weight, total)) < 1


@given(amounts, weights)
def test_a_refund_mirrors_the_payment(amount, w):
    assert split(-amount, w) == [-p for p in split(amount, w)]


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=50), weights)
def test_vectorised_split_equals_the_scalar_split(values, w):
    matrix = split_array(np.array(values, dtype=np.int64), w)
    assert matrix.tolist() == [split(v, w) for v in values]


@given(st.integers(min_value=0, max_value=10**6), weights)
def test_zero_weight_parties_never_get_a_fen(amount, w):
    parts = split(amount, w)
    assert all(p == 0 for p, weight in zip(parts, w, strict=True) if weight == 0)


records = st.lists(
    st.tuples(
        st.sampled_from(["e1", "e2", "e3"]),
        st.sampled_from(["增值税", "企业所得税"]),
        st.sampled_from(["2024", "2025-01", "2025-02", "2025-03", "2026-01"]),
        st.integers(min_value=-(10**6), max_value=10**9),
    ),
    min_size=1,
    max_size=40,
)
ORIGIN = {"e1": "A", "e2": "B", "e3": "C"}


@settings(max_examples=60, deadline=None)
@given(
    records,
    st.sampled_from(["proportional", "stock_increment"]),
    st.lists(st.integers(0, 9), min_size=3, max_size=3).filter(any),
)
def test_per_record_shares_sum_to_the_amount_and_yearly_totals_are_the_exact_rule(rows, method, w):
    # given
    rule = {
        "revenue_type": "*",
        "method": method,
        "ratios": dict(zip("CAB", w, strict=True)),
        "base_period": "2024",
    }
    rs = parse_rules({"parties": ["A", "B", "C"], "rules": [rule]})
    ent, typ, per, amt = zip(*rows, strict=True)
    table = RevenueTable.from_columns(
        enterprise=ent, origin=[ORIGIN[e] for e in ent], revenue_type=typ, period=per, amount_fen=amt
    )
    # when
    result = apportion(table, rs)
    # then: every record's parts add up to its amount
    per_record = result.stock + result.split.sum(axis=1)
    assert per_record.tolist() == result.table.amount_fen.tolist()
    # and the parts of a year for (enterprise, type) are the split of the year's total, within 1 分 of exact
    if method == "proportional":
        totals: dict = {}
        for e, t, p, a in rows:
            totals[(e, t, p[:4])] = totals.get((e, t, p[:4]), 0) + a
        got: dict = {}
        for r in result.rows():
            key = (r.enterprise, r.revenue_type, r.period[:4], r.party)
            got[key] = got.get(key, 0) + r.amount_fen
        for (e, t, y), total in totals.items():
            expected = dict(zip("CAB", split(total, rs.rules[0].weights), strict=True))
            assert {p: got[(e, t, y, p)] for p in "ABC"} == expected
