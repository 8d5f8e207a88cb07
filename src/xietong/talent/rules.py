"""The hard rules of expert review (回避 and regional rules) as typed data, each with the text that grounds it.

The eligibility layer (`eligibility.py`) cites a rule's code for every excluded pair, and pages show its
label and source, so a bureau can answer "why was this expert not drawn" with the article, not a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    source: str
    is_regional: bool = False


SAME_ENTITY = Rule(
    "same_entity",
    _("与申报单位为同一法人单位"),
    "《国家自然科学基金条例》第二十五条（与申请人有利害关系的评审专家应当回避）；国家自然科学基金委员会"
    "评审回避规定：与申请人属于同一法人单位的专家不参加该项目的通讯评审",
)
COLLABORATED = Rule(
    "collaborated",
    _("近 {years} 年与申报单位在平台上有合作（技术合同、已接受的合作意向或柔性聘用）"),
    "《政府采购评审专家管理办法》（财库〔2016〕198 号）第十六条：参加采购活动前三年内与供应商存在劳动关系"
    "或其他利害关系的，应当回避；平台以技术合同、已接受的合作意向和柔性聘用记录为准",
)
NAMED_UNSUITABLE = Rule(
    "named_unsuitable",
    _("申报单位提出的不适宜评审专家"),
    "《国家自然科学基金条例》第十六条：申请人可以提供 3 名以内不适宜评审其申请的评审专家名单",
)
DECLARED = Rule(
    "declared",
    _("专家本人申报回避该单位或该负责人"),
    "《国家自然科学基金条例》第二十五条：评审专家有利害关系的，应当申请回避；专家入库时申报的回避单位与人员",
)
UNAVAILABLE = Rule(
    "unavailable",
    _("专家不在聘期、暂停评审或本年度评审次数已满"),
    "专家库管理：入库聘期、可参加评审状态和年度评审上限",
)
DECLINED = Rule("declined", _("已谢绝本项目的评审邀请"), "专家本人答复：谢绝后只重抽该席位")
MIN_OTHER_REGION = Rule(
    "min_other_region",
    _("每个项目至少 {n} 名来自申报单位所在地区以外的专家"),
    "协同区专家共享约定（本轮设置的地区规则）",
    is_regional=True,
)
MAX_SAME_REGION = Rule(
    "max_same_region",
    _("每个项目至多 {n} 名与申报单位同地区的专家"),
    "协同区专家共享约定（本轮设置的地区规则）",
    is_regional=True,
)

RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        SAME_ENTITY,
        COLLABORATED,
        NAMED_UNSUITABLE,
        DECLARED,
        UNAVAILABLE,
        DECLINED,
        MIN_OTHER_REGION,
        MAX_SAME_REGION,
    )
}
MAX_UNSUITABLE = 3


def label(code: str, *, years: int = 3, n: int = 0) -> str:
    """The label of a rule in the reader's language with its round's numbers filled in."""
    rule = RULES.get(code)
    return gettext(rule.label).format(years=years, n=n) if rule else code
