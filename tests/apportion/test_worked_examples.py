"""The issue's worked examples, from the rules as written (amounts in 分)."""

import doctest

import pytest

from xietong import apportion
from xietong.apportion import ApportionError, RevenueTable, parse_rules, split
from xietong.apportion import apportion as run


def _table(rows):
    enterprise, origin, revenue_type, period, amount = zip(*rows, strict=True)
    return RevenueTable.from_columns(
        enterprise=enterprise, origin=origin, revenue_type=revenue_type, period=period, amount_fen=amount
    )


def _shares(result, period):
    return [(r.party, r.part, r.amount_fen) for r in result.rows() if r.period == period]


STOCK_INCREMENT_5050 = {
    "parties": ["510000", "500000"],
    "rules": [
        {
            "revenue_type": "*",
            "method": "stock_increment",
            "ratios": {"510000": 50, "500000": 50},
            "base_period": "2024",
        }
    ],
}


def test_baseline_one_million_this_year_one_point_three_million_and_one_fen():
    # given: baseline 1,000,000.00 元, this year 1,300,000.01 元
    table = _table(
        [("e1", "510000", "增值税", "2024", 100_000_000), ("e1", "510000", "增值税", "2025", 130_000_001)]
    )
    # when
    result = run(table, parse_rules(STOCK_INCREMENT_5050))
    # then: 1,000,000.00 to the origin; the increment 300,000.01 split 150,000.01 / 150,000.00
    assert _shares(result, "2025") == [
        ("510000", "stock", 100_000_000),
        ("510000", "increment", 15_000_001),
        ("500000", "increment", 15_000_000),
    ]


def test_first_listed_party_takes_the_odd_fen_even_when_it_is_not_the_origin():
    rules = {
        **STOCK_INCREMENT_5050,
        "rules": [{**STOCK_INCREMENT_5050["rules"][0], "ratios": {"500000": 1, "510000": 1}}],
    }
    table = _table(
        [("e1", "510000", "增值税", "2024", 100_000_000), ("e1", "510000", "增值税", "2025", 130_000_001)]
    )
    assert _shares(run(table, parse_rules(rules)), "2025") == [
        ("510000", "stock", 100_000_000),
        ("510000", "increment", 15_000_000),
        ("500000", "increment", 15_000_001),
    ]


def test_one_hundred_yuan_split_40_35_25():
    assert split(10_000, (40, 35, 25)) == [4_000, 3_500, 2_500]


def test_one_fen_split_three_ways_equally_goes_to_the_first_listed():
    assert split(1, (1, 1, 1)) == [1, 0, 0]


def test_below_baseline_all_goes_to_the_origin():
    table = _table(
        [
            ("e1", "500000", "企业所得税", "2024", 80_000_000),
            ("e1", "500000", "企业所得税", "2025", 79_999_999),
        ]
    )
    assert _shares(run(table, parse_rules(STOCK_INCREMENT_5050)), "2025") == [
        ("500000", "stock", 79_999_999),
        ("510000", "increment", 0),
        ("500000", "increment", 0),
    ]


def test_exactly_at_baseline_all_goes_to_the_origin():
    table = _table([("e1", "500000", "增值税", "2024", 500), ("e1", "500000", "增值税", "2025", 500)])
    assert _shares(run(table, parse_rules(STOCK_INCREMENT_5050)), "2025")[0] == ("500000", "stock", 500)


def test_negative_amount_is_split_as_its_absolute_value_and_negated():
    assert split(-1, (1, 1, 1)) == [-1, 0, 0]
    assert split(-10_001, (1, 1)) == [-5_001, -5_000]


def test_twelve_monthly_one_fen_splits_at_5050_end_six_six():
    # given: 1 分 a month for a year, 50:50
    rules = {
        "parties": ["A", "B"],
        "rules": [{"revenue_type": "*", "method": "proportional", "ratios": {"A": 1, "B": 1}}],
    }
    table = _table([("e", "A", "增值税", f"2025-{m:02d}", 1) for m in range(1, 13)])
    # when
    rows = list(run(table, parse_rules(rules)).rows())
    # then: settled cumulatively they alternate and end 6:6 (month by month alone they would end 12:0)
    assert sum(r.amount_fen for r in rows if r.party == "A") == 6
    assert sum(r.amount_fen for r in rows if r.party == "B") == 6
    assert [r.amount_fen for r in rows if r.party == "A"][:4] == [1, 0, 1, 0]
    assert [split(1, (1, 1))[0] for _ in range(12)].count(1) == 12


def test_weights_are_normalised_exactly():
    rs = parse_rules(
        {
            "parties": ["A", "B", "C"],
            "rules": [
                {
                    "revenue_type": "*",
                    "method": "proportional",
                    "ratios": {"A": "0.4", "B": "0.35", "C": 0.25},
                }
            ],
        }
    )
    assert rs.rules[0].weights == (8, 7, 5)


def test_per_type_rules_override_the_star_rule():
    rs = parse_rules(
        {
            "parties": ["A", "B"],
            "rules": [
                {"revenue_type": "*", "method": "proportional", "ratios": {"A": 1, "B": 1}},
                {"revenue_type": "土地出让收入", "method": "proportional", "ratios": {"A": 1}},
            ],
        }
    )
    table = _table([("e", "A", "土地出让收入", "2025", 101), ("e", "A", "增值税", "2025", 101)])
    totals = run(table, rs).totals()
    assert totals == {
        ("土地出让收入", "A", "share"): 101,
        ("增值税", "A", "share"): 51,
        ("增值税", "B", "share"): 50,
    }


def test_fixed_baseline_instead_of_a_base_period():
    rs = parse_rules(
        {
            "parties": ["A", "B"],
            "rules": [{"revenue_type": "*", "method": "stock_increment", "ratios": {"A": 1, "B": 1}}],
            "baselines": {"e": 1_000},
        }
    )
    table = _table([("e", "B", "增值税", "2025", 1_101)])
    assert _shares(run(table, rs), "2025") == [
        ("B", "stock", 1_000),
        ("A", "increment", 51),
        ("B", "increment", 50),
    ]


def test_relocation_2015_rule_splits_5050_for_three_years_then_host_keeps():
    # given: moved from 北京 to 河北, full production 2016-01, no cap reached
    rs = parse_rules(
        {
            "parties": ["110000", "130000"],
            "rules": [
                {
                    "revenue_type": "增值税",
                    "method": "relocation",
                    "ratios": {"110000": 1, "130000": 1},
                    "host": "130000",
                }
            ],
            "relocations": {"e": {"start": "2016-01", "cap_fen": 10**9}},
        }
    )
    table = _table(
        [("e", "110000", "增值税", p, 1_001) for p in ("2015-12", "2016-01", "2018-12", "2019-01", "2021-01")]
    )
    rows = [(r.period, r.party, r.part, r.amount_fen) for r in run(table, rs).rows()]
    assert rows == [
        ("2015-12", "110000", "host", 0), ("2015-12", "130000", "host", 1_001),
        ("2016-01", "110000", "share", 501), ("2016-01", "130000", "share", 500),
        ("2018-12", "110000", "share", 500), ("2018-12", "130000", "share", 501),
        # 2019: the extension years, cap not reached: still shared
        ("2019-01", "110000", "share", 501), ("2019-01", "130000", "share", 500),
        # 2021: past 3 + 2 years: the 迁入地 keeps everything
        ("2021-01", "110000", "host", 0), ("2021-01", "130000", "host", 1_001),
    ]  # fmt: skip


def test_relocation_cap_holds_back_the_origin_and_ends_the_extension():
    rs = parse_rules(
        {
            "parties": ["110000", "130000"],
            "rules": [
                {
                    "revenue_type": "*",
                    "method": "relocation",
                    "ratios": {"110000": 1, "130000": 1},
                    "host": "130000",
                }
            ],
            "relocations": {"e": {"start": "2016-01", "cap_fen": 700}},
        }
    )
    table = _table(
        [
            ("e", "110000", "增值税", "2016-01", 1_000),
            ("e", "110000", "企业所得税", "2016-02", 1_000),
            ("e", "110000", "增值税", "2019-01", 1_000),
        ]
    )
    rows = [(r.period, r.party, r.part, r.amount_fen) for r in run(table, rs).rows()]
    assert rows == [
        ("2016-01", "110000", "share", 500), ("2016-01", "130000", "share", 500),
        # the cap (700) reached: the extension year 2019 is not shared
        ("2019-01", "110000", "host", 0), ("2019-01", "130000", "host", 1_000),
        # 企业所得税 in 2016-02: the origin's half (500) cut to the 200 left under the cap
        ("2016-02", "110000", "share", 200), ("2016-02", "130000", "share", 800),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"A": 0}}]}, "no_positive_weight"),
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {}}]}, "no_positive_weight"),
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"A": -1}}]}, "negative_weight"),
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"A": "x"}}]}, "bad_weight"),
        ({"parties": ["A"], "rules": [{"method": "lottery", "ratios": {"A": 1}}]}, "unknown_method"),
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"B": 1}}]}, "unknown_party"),
        ({"parties": [], "rules": [{"method": "proportional", "ratios": {"A": 1}}]}, "no_parties"),
        (
            {"parties": ["A", "A"], "rules": [{"method": "proportional", "ratios": {"A": 1}}]},
            "duplicate_party",
        ),
        ({"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"A": 1}}] * 2}, "duplicate_rule"),
        (
            {
                "parties": ["A"],
                "rules": [{"method": "stock_increment", "ratios": {"A": 1}, "base_period": "24"}],
            },
            "bad_period",
        ),
        ([], "bad_rules"),
    ],
)
def test_bad_rules_are_refused_with_a_code(document, code):
    with pytest.raises(ApportionError) as caught:
        parse_rules(document)
    assert caught.value.code == code


def test_origin_outside_the_parties_is_refused_for_stock_increment():
    table = _table([("e", "320000", "增值税", "2025", 1)])
    with pytest.raises(ApportionError) as caught:
        run(table, parse_rules(STOCK_INCREMENT_5050))
    assert (caught.value.code, caught.value.params["party"]) == ("unknown_party", "320000")


def test_a_type_without_a_rule_is_refused():
    rs = parse_rules(
        {
            "parties": ["A"],
            "rules": [{"revenue_type": "增值税", "method": "proportional", "ratios": {"A": 1}}],
        }
    )
    with pytest.raises(ApportionError) as caught:
        run(_table([("e", "A", "GDP", "2025", 1)]), rs)
    assert caught.value.code == "no_rule"


def test_the_engine_doctests_hold():
    from xietong.apportion import compute, hamilton, rules

    for module in (apportion, compute, hamilton, rules):
        assert doctest.testmod(module).failed == 0
