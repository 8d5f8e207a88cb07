"""An assignment round as data: who may review what, how many, how often, and under which rules.

`Instance` checks everything that is a mistake in the input (an unknown id, k <= 0, a fixed pair that is a
conflict) when it is built, so that a solver never starts on a round that cannot mean anything; what
is merely impossible (too few eligible experts for an item) is not a mistake and is reported per item by
the solver instead. Ids are turned into dense indices once, with pandas' hash index, because a
conference-size round has millions of affinity pairs and a Python dict lookup per pair is the slow part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xietong.assign.errors import InvalidInstance

__all__ = ["Instance"]

_SHOWN = 5  # ids named in one error message


def _names(values: Iterable[object]) -> str:
    values = list(values)
    shown = "、".join(str(v) for v in values[:_SHOWN])
    return f"{shown} 等 {len(values)} 个" if len(values) > _SHOWN else shown


def _index(ids: Sequence[str], noun: str) -> pd.Index:
    index = pd.Index([str(i) for i in ids], dtype=object)
    if index.has_duplicates:
        raise InvalidInstance(f"{noun}编号重复：{_names(index[index.duplicated()].unique())}")
    return index


def _lookup(index: pd.Index, values: Sequence[str], noun: str, where: str) -> np.ndarray:
    positions = index.get_indexer(pd.Index([str(v) for v in values], dtype=object))
    if (positions < 0).any():
        unknown = pd.unique(np.asarray(values, dtype=object)[positions < 0])
        raise InvalidInstance(f"{where}中有未知的{noun}：{_names(unknown)}")
    return positions.astype(np.int64)


def _positive(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise InvalidInstance(f"{what} 必须是正整数，收到“{value}”")
    return int(value)


def _per(value: int | Mapping[str, int], index: pd.Index, noun: str, what: str) -> np.ndarray:
    """A positive integer for every id: one number for all, or a mapping that names each id exactly once."""
    if not isinstance(value, Mapping):
        return np.full(len(index), _positive(value, what), dtype=np.int64)
    keys = list(value)
    positions = _lookup(index, keys, noun, what)
    out = np.zeros(len(index), dtype=np.int64)
    for position, key in zip(positions, keys, strict=True):
        out[position] = _positive(value[key], f"{noun}“{key}”的{what}")
    if (missing := np.flatnonzero(out == 0)).size:
        raise InvalidInstance(f"{what} 没有给出以下{noun}：{_names(index[missing])}")
    return out


def _pairs(pairs: Iterable[tuple[str, str]], items: pd.Index, experts: pd.Index, where: str):
    rows = [(str(p[0]), str(p[1])) for p in pairs]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    item_ids, expert_ids = zip(*rows, strict=True)
    return _lookup(items, item_ids, "评审对象", where), _lookup(experts, expert_ids, "专家", where)


@dataclass(frozen=True, eq=False)
class Instance:
    """One review round. Only pairs listed in `affinity` are eligible; `conflicts` removes pairs from them.

    Regional rules count, per item, experts whose region differs from the item's (`min_other_region`)
    and experts of the item's own region (`max_same_region`); when either is set every item and every
    expert needs a region. `fixed` pairs are part of the answer whatever the mode (a re-draw of one
    declined seat keeps the others); they count against k, the caps and the regional rules.
    """

    items: Sequence[str] = field(repr=False)
    experts: Sequence[str] = field(repr=False)
    affinity: Iterable[tuple[str, str, float]] = field(repr=False)
    k: int | Mapping[str, int]
    cap: int | Mapping[str, int]
    conflicts: Iterable[tuple[str, str]] = field(default=(), repr=False)
    item_region: Mapping[str, str] | None = field(default=None, repr=False)
    expert_region: Mapping[str, str] | None = field(default=None, repr=False)
    min_other_region: int = 0
    max_same_region: int | None = None
    fixed: Iterable[tuple[str, str]] = field(default=(), repr=False)
    # Compiled arrays (filled in __post_init__): pair i/e/a are the ELIGIBLE pairs, conflicts removed.
    item_index: pd.Index = field(init=False, repr=False)
    expert_index: pd.Index = field(init=False, repr=False)
    pair_item: np.ndarray = field(init=False, repr=False)
    pair_expert: np.ndarray = field(init=False, repr=False)
    pair_affinity: np.ndarray = field(init=False, repr=False)
    pair_fixed: np.ndarray = field(init=False, repr=False)
    pair_same: np.ndarray = field(init=False, repr=False)
    k_of: np.ndarray = field(init=False, repr=False)
    cap_of: np.ndarray = field(init=False, repr=False)
    conflict_count: np.ndarray = field(init=False, repr=False)
    item_region_code: np.ndarray | None = field(init=False, repr=False)
    expert_region_code: np.ndarray | None = field(init=False, repr=False)

    @classmethod
    def from_arrays(
        cls,
        items: Sequence[str],
        experts: Sequence[str],
        item_ids: Sequence[str] | np.ndarray,
        expert_ids: Sequence[str] | np.ndarray,
        affinities: Sequence[float] | np.ndarray,
        **rules,
    ) -> Instance:
        """The same round from three parallel columns (a CSV or a data frame), without building tuples."""
        return cls(items, experts, _Columns(item_ids, expert_ids, affinities), **rules)

    def __post_init__(self) -> None:
        items = _index(self.items, "评审对象")
        experts = _index(self.experts, "专家")
        set_ = object.__setattr__
        set_(self, "items", list(items))
        set_(self, "experts", list(experts))
        set_(self, "item_index", items)
        set_(self, "expert_index", experts)
        k = _per(self.k, items, "评审对象", "每项所需专家数 k")
        cap = _per(self.cap, experts, "专家", "每位专家评审上限 cap")
        if len(items) and k.max() > len(experts):
            raise InvalidInstance(
                f"每项所需专家数 k（{int(k.max())}）大于专家库的人数（{len(experts)} 位），无法配齐"
            )
        set_(self, "k_of", k)
        set_(self, "cap_of", cap)

        pair_item, pair_expert, affinity = self._affinity(items, experts)
        conflict_item, conflict_expert = _pairs(self.conflicts, items, experts, "回避名单")
        n_experts = max(len(experts), 1)
        keys = pair_item * n_experts + pair_expert
        conflict_keys = np.unique(conflict_item * n_experts + conflict_expert)
        blocked = np.isin(keys, conflict_keys)
        set_(self, "conflict_count", np.bincount(pair_item[blocked], minlength=len(items)).astype(np.int64))
        pair_item, pair_expert, affinity, keys = (
            a[~blocked] for a in (pair_item, pair_expert, affinity, keys)
        )
        set_(self, "pair_item", pair_item)
        set_(self, "pair_expert", pair_expert)
        set_(self, "pair_affinity", affinity)
        self._regions(items, experts)
        self._fixed(items, experts, keys, conflict_keys, n_experts)

    def _affinity(self, items: pd.Index, experts: pd.Index):
        if isinstance(self.affinity, _Columns):
            item_ids, expert_ids, values = (
                self.affinity.item_ids,
                self.affinity.expert_ids,
                self.affinity.values,
            )
        else:
            rows = list(self.affinity)
            if any(len(row) != 3 for row in rows):
                raise InvalidInstance("匹配度的每一行必须是（评审对象，专家，匹配度）三项")
            item_ids, expert_ids, values = zip(*rows, strict=True) if rows else ((), (), ())
        if not isinstance(values, np.ndarray) and any(v is None for v in values):
            raise InvalidInstance("匹配度不能为空")
        try:
            affinity = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            bad = next(v for v in values if not _is_number(v))
            raise InvalidInstance(f"匹配度必须是数字，收到“{bad}”") from None
        if not np.isfinite(affinity).all():
            raise InvalidInstance(f"匹配度必须是有限的数字，收到“{affinity[~np.isfinite(affinity)][0]}”")
        pair_item = _lookup(items, item_ids, "评审对象", "匹配度表")
        pair_expert = _lookup(experts, expert_ids, "专家", "匹配度表")
        keys = pair_item * max(len(experts), 1) + pair_expert
        order = np.argsort(keys, kind="stable")
        if (repeated := np.flatnonzero(np.diff(keys[order]) == 0)).size:
            first = order[repeated[0]]
            raise InvalidInstance(
                f"匹配度表中同一对重复出现：{items[pair_item[first]]} / {experts[pair_expert[first]]}"
            )
        return pair_item[order], pair_expert[order], affinity[order]

    def _regions(self, items: pd.Index, experts: pd.Index) -> None:
        set_ = object.__setattr__
        if not isinstance(self.min_other_region, (int, np.integer)) or isinstance(
            self.min_other_region, bool
        ):
            raise InvalidInstance("至少外地专家数必须是整数")
        if self.min_other_region < 0:
            raise InvalidInstance("至少外地专家数不能为负数")
        if self.max_same_region is not None and (
            isinstance(self.max_same_region, bool)
            or not isinstance(self.max_same_region, (int, np.integer))
            or self.max_same_region < 0
        ):
            raise InvalidInstance("本地专家上限必须是不小于 0 的整数")
        if len(items) and self.min_other_region > self.k_of.min():
            raise InvalidInstance(
                f"至少外地专家数（{self.min_other_region}）不能大于每项所需专家数 k（{int(self.k_of.min())}）"
            )
        if not self.regional:
            set_(self, "item_region_code", None)
            set_(self, "expert_region_code", None)
            set_(self, "pair_same", np.zeros(len(self.pair_item), dtype=bool))
            return
        item_region = self._region_of(self.item_region, items, "评审对象")
        expert_region = self._region_of(self.expert_region, experts, "专家")
        codes = pd.Index(pd.unique(np.concatenate([item_region, expert_region])))
        item_code, expert_code = codes.get_indexer(item_region), codes.get_indexer(expert_region)
        set_(self, "item_region_code", item_code)
        set_(self, "expert_region_code", expert_code)
        set_(self, "pair_same", item_code[self.pair_item] == expert_code[self.pair_expert])

    @staticmethod
    def _region_of(mapping: Mapping[str, str] | None, index: pd.Index, noun: str) -> np.ndarray:
        mapping = {str(key): str(value) for key, value in (mapping or {}).items()}
        _lookup(index, list(mapping), noun, "地域表")
        if missing := [i for i in index if not mapping.get(i)]:
            raise InvalidInstance(f"设置了地域规则，但以下{noun}没有地域：{_names(missing)}")
        return np.asarray([mapping[i] for i in index], dtype=object)

    def _fixed(self, items, experts, keys, conflict_keys, n_experts) -> None:
        fixed_item, fixed_expert = _pairs(self.fixed, items, experts, "固定配对")
        fixed_keys = fixed_item * n_experts + fixed_expert
        if len(np.unique(fixed_keys)) < len(fixed_keys):
            raise InvalidInstance("固定配对中有重复的一对")
        if (bad := np.isin(fixed_keys, conflict_keys)).any():
            i = np.flatnonzero(bad)[0]
            raise InvalidInstance(
                f"固定配对 {items[fixed_item[i]]} / {experts[fixed_expert[i]]} 违反回避规则"
            )
        where = np.searchsorted(keys, fixed_keys)
        found = (
            (where < len(keys)) & (keys[np.minimum(where, len(keys) - 1)] == fixed_keys)
            if len(keys)
            else where < 0
        )
        if not found.all():
            i = np.flatnonzero(~found)[0]
            raise InvalidInstance(
                f"固定配对 {items[fixed_item[i]]} / {experts[fixed_expert[i]]} 不在匹配度表中"
            )
        pair_fixed = np.zeros(len(keys), dtype=bool)
        pair_fixed[where] = True
        object.__setattr__(self, "pair_fixed", pair_fixed)
        per_item = np.bincount(fixed_item, minlength=len(items))
        if (over := np.flatnonzero(per_item > self.k_of)).size:
            raise InvalidInstance(f"固定配对超过了每项所需专家数：{_names(items[over])}")
        per_expert = np.bincount(fixed_expert, minlength=len(experts))
        if (over := np.flatnonzero(per_expert > self.cap_of)).size:
            raise InvalidInstance(f"固定配对超过了专家的评审上限：{_names(experts[over])}")
        if self.regional:
            same = np.bincount(self.pair_item[pair_fixed & self.pair_same], minlength=len(items))
            if (over := np.flatnonzero(same > self.same_budget)).size:
                raise InvalidInstance(f"固定配对中的本地专家已超过地域规则允许的人数：{_names(items[over])}")

    def __repr__(self) -> str:  # sizes, not millions of pairs in a traceback
        return (
            f"Instance({len(self.items)} items, {len(self.experts)} experts, {len(self.pair_item)} eligible pairs, "
            f"k={self.k if not isinstance(self.k, Mapping) else 'per item'}, "
            f"cap={self.cap if not isinstance(self.cap, Mapping) else 'per expert'}, "
            f"min_other_region={self.min_other_region}, max_same_region={self.max_same_region})"
        )

    @property
    def regional(self) -> bool:
        return self.min_other_region > 0 or self.max_same_region is not None

    @property
    def same_budget(self) -> np.ndarray:
        """Per item, how many experts of its own region it may have: k - r, and at most m."""
        budget = self.k_of - self.min_other_region
        if self.max_same_region is not None:
            budget = np.minimum(budget, self.max_same_region)
        return budget


@dataclass(frozen=True)
class _Columns:
    item_ids: Sequence[str] | np.ndarray
    expert_ids: Sequence[str] | np.ndarray
    values: Sequence[float] | np.ndarray

    def __post_init__(self) -> None:
        if not len(self.item_ids) == len(self.expert_ids) == len(self.values):
            raise InvalidInstance("匹配度的三列长度不一致")


def _is_number(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
