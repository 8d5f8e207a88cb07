"""Xietong apportionment engine (no Django): benefit-sharing rules split revenue to the 分.

Largest-remainder splitting (`hamilton`), rule sets as data (`rules`), and set-based apportionment of
revenue records with cumulative (year-to-date) settlement (`compute`), including the 2015 京津冀
relocation rule (`relocation`). The sharing app and `xietong sharing simulate` are its callers.

>>> from xietong.apportion import split
>>> split(30000001, (1, 1))
[15000001, 15000000]
"""

from .compute import PARTS, Apportionment, RevenueTable, ShareRow, apportion
from .errors import ApportionError
from .hamilton import rounding_moves, split, split_array
from .rules import (
    ANY_TYPE,
    METHODS,
    PROPORTIONAL,
    RELOCATION,
    STOCK_INCREMENT,
    Relocation,
    Rule,
    RuleSet,
    check_period,
    normalise_weights,
    parse_rule,
    parse_rules,
)

__all__ = [
    "ANY_TYPE",
    "METHODS",
    "PARTS",
    "PROPORTIONAL",
    "RELOCATION",
    "STOCK_INCREMENT",
    "ApportionError",
    "Apportionment",
    "Relocation",
    "RevenueTable",
    "Rule",
    "RuleSet",
    "ShareRow",
    "apportion",
    "check_period",
    "normalise_weights",
    "parse_rule",
    "parse_rules",
    "rounding_moves",
    "split",
    "split_array",
]
