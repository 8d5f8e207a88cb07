"""Structured features combined with the text score, each with a Chinese reason (a `Reason`: the text, with
the template and parameters it was filled from, so an application can word it in its reader's language).

Every feature reads plain attributes of the query and of the candidate and returns a value in
[-1, 1] (or None when it does not apply); its weight comes from ``MatchConfig.feature_weights``.
The features are symmetric in the direction of matching: a demand's ``trl_min`` meets an
achievement's ``trl`` whichever of the two is the query.

Attributes read (all optional):

=================  ==========================================================
``fields``         industries / technology fields (list of str)
``zones``          cooperation zones the owner's region belongs to (list of str)
``region``         region code or name (str)
``trl``            maturity offered, TRL 1–9 (GB/T 22900)
``trl_min``        maturity a demand needs (or ``stage``: 研发/中试/产业化)
``price_fen``      asking price in 分
``budget_fen``     budget in 分
``transfer_modes`` offered or wanted: 转让, 许可, 作价入股, 合作开发 (list of str)
``org_type``       owner's organisation type (高校, 科研院所, 企业, …)
``org_types``      organisation types the query prefers (list of str)
``track_record``   the owner's past transfers / contracts (int)
=================  ==========================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .types import Contribution

STAGE_TRL: dict[str, int] = {"研发": 4, "小试": 5, "中试": 6, "工程化": 7, "产业化": 8, "量产": 9}
FeatureResult = tuple[float, str] | None
JOINER = "、"

# Each reason's Chinese template (``str.format`` fields). Applications word a reason in another language by
# looking its template up in their own catalogue (the engine has none) and filling it with its parameters.
FIELDS = "领域相同：{fields}"
ZONES = "同属{zones}"
SAME_REGION = "同一地区"
OTHER_REGION = "跨地区"
TRL_MET = "成熟度 TRL {offered} 满足需求"
TRL_BELOW = "成熟度 TRL {offered} 低于需求的 TRL {required}"
WITHIN_BUDGET = "报价 {price} 在预算 {budget} 内"
OVER_BUDGET = "报价 {price} 超出预算 {budget}"
MODES = "转化方式一致：{modes}"
ORG_TYPE = "机构类型：{kind}"
TRACK_RECORD = "已有 {count} 项转化业绩"
TEMPLATES = (FIELDS, ZONES, SAME_REGION, OTHER_REGION, TRL_MET, TRL_BELOW, WITHIN_BUDGET, OVER_BUDGET, MODES,
             ORG_TYPE, TRACK_RECORD)  # fmt: skip


class Reason(str):
    """A feature's reason: the Chinese text itself, carrying the template it was filled from and its parameters
    (lists of names stay lists; amounts also come in fen as ``*_fen``).

    >>> r = Reason(ZONES, zones=["长三角", "京津冀"])
    >>> r, r.template, r.params
    ('同属长三角、京津冀', '同属{zones}', {'zones': ['长三角', '京津冀']})
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Reason:
        shown = {k: JOINER.join(v) if isinstance(v, list | tuple) else v for k, v in params.items()}
        text = super().__new__(cls, template.format(**shown))
        text.template, text.params = template, params
        return text


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _yuan(fen: int) -> str:
    yuan = fen / 100
    return f"{yuan / 10000:g}万元" if yuan >= 10000 else f"{yuan:g}元"


def field_overlap(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    wanted, offered = _as_list(query.get("fields")), _as_list(doc.get("fields"))
    if not wanted or not offered:
        return None
    shared = [f for f in wanted if f in set(offered)]
    if not shared:
        return 0.0, ""
    return len(shared) / len(set(wanted)), Reason(FIELDS, fields=shared)


def same_zone(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    mine, theirs = _as_list(query.get("zones")), _as_list(doc.get("zones"))
    if not mine or not theirs:
        return None
    shared = [z for z in mine if z in set(theirs)]
    return (1.0, Reason(ZONES, zones=shared)) if shared else (0.0, "")


def same_region(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    mine, theirs = query.get("region"), doc.get("region")
    if not mine or not theirs:
        return None
    return (1.0, Reason(SAME_REGION)) if str(mine) == str(theirs) else (0.0, Reason(OTHER_REGION))


def _required_trl(attrs: Mapping) -> int | None:
    if attrs.get("trl_min") is not None:
        return int(attrs["trl_min"])
    stage = attrs.get("stage")
    return STAGE_TRL.get(stage) if stage else None


def maturity(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    required = _required_trl(query) or _required_trl(doc)
    offered = doc.get("trl") if _required_trl(query) else query.get("trl")
    if required is None or offered is None:
        return None
    offered = int(offered)
    if offered >= required:
        return 1.0, Reason(TRL_MET, offered=offered)
    return -(required - offered) / 8, Reason(TRL_BELOW, offered=offered, required=required)


def budget(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    budget_fen = query.get("budget_fen") if query.get("budget_fen") is not None else doc.get("budget_fen")
    price_fen = doc.get("price_fen") if doc.get("price_fen") is not None else query.get("price_fen")
    if budget_fen is None or price_fen is None or int(price_fen) <= 0:
        return None
    budget_fen, price_fen = int(budget_fen), int(price_fen)
    amounts = {
        "price": _yuan(price_fen),
        "budget": _yuan(budget_fen),
        "price_fen": price_fen,
        "budget_fen": budget_fen,
    }
    if price_fen <= budget_fen:
        return 1.0, Reason(WITHIN_BUDGET, **amounts)
    return max(-1.0, (budget_fen - price_fen) / price_fen), Reason(OVER_BUDGET, **amounts)


def transfer_mode(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    wanted, offered = _as_list(query.get("transfer_modes")), _as_list(doc.get("transfer_modes"))
    if not wanted or not offered:
        return None
    shared = [m for m in wanted if m in set(offered)]
    return (1.0, Reason(MODES, modes=shared)) if shared else (0.0, "")


def org_type(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    preferred, kind = _as_list(query.get("org_types")), doc.get("org_type")
    if not preferred or not kind:
        return None
    return (1.0, Reason(ORG_TYPE, kind=kind)) if kind in preferred else (0.0, "")


def track_record(query: Mapping, doc: Mapping, config: Any = None) -> FeatureResult:
    count = doc.get("track_record")
    if count is None:
        return None
    count = max(0, int(count))
    saturation = getattr(config, "track_record_saturation", 20)
    value = min(1.0, math.log1p(count) / math.log1p(saturation))
    return value, (Reason(TRACK_RECORD, count=count) if count else "")


FEATURES: dict[str, Callable[[Mapping, Mapping, Any], FeatureResult]] = {
    "field_overlap": field_overlap,
    "same_zone": same_zone,
    "same_region": same_region,
    "maturity": maturity,
    "budget": budget,
    "transfer_mode": transfer_mode,
    "org_type": org_type,
    "track_record": track_record,
}


def feature_contributions(
    query_attrs: Mapping, doc_attrs: Mapping, weights: Mapping[str, float], config: Any = None
) -> tuple[Contribution, ...]:
    """Each weighted feature that applies to the pair, in the order of ``weights``.

    Examples
    --------
    >>> c = feature_contributions({"zones": ["长三角"]}, {"zones": ["长三角"]}, {"same_zone": 0.2})
    >>> c[0].contribution, c[0].reason
    (0.2, '同属长三角')
    """
    out = []
    for name, weight in weights.items():
        if not weight or name not in FEATURES:
            continue
        result = FEATURES[name](query_attrs, doc_attrs, config)
        if result is None:
            continue
        value, reason = result
        out.append(
            Contribution(name=name, value=value, weight=weight, contribution=weight * value, reason=reason)
        )
    return tuple(out)
