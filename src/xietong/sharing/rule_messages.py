"""The apportionment engine's English errors in 中文, for pages, the API and the CLI (no Django needed).

The Chinese texts are also the msgids of the English UI: services pass Django's ``gettext`` as ``translate``,
which looks each template up before it is filled (English in ``tools/i18n/ui.json``); the CLI stays Chinese.
"""

from __future__ import annotations

from collections.abc import Callable

from xietong.apportion import ApportionError

_MESSAGES = {
    "unknown_method": "未知的分配方法“{method}”（可选：proportional 按比例、stock_increment 存量/增量、relocation 转移企业）",
    "no_positive_weight": "“{revenue_type}”的分配比例中没有大于零的权重",
    "negative_weight": "“{revenue_type}”中{party}的权重为负数",
    "bad_weight": "“{revenue_type}”中{party}的权重不是有效数字",
    "unknown_party": "“{party}”不在协议参与方之中",
    "no_parties": "规则文件缺少参与方（parties）列表",
    "duplicate_party": "参与方重复列出",
    "duplicate_rule": "收入类型“{revenue_type}”有两条规则",
    "no_rule": "收入类型“{revenue_type}”没有适用的分配规则",
    "missing_base_period": "企业“{enterprise}”没有基数：请指定基期（base_period）或固定基数",
    "bad_period": "期间“{period}”格式有误（应为 YYYY 或 YYYY-MM）",
    "bad_rules": "规则文件格式有误：应为包含 parties 与 rules 的 JSON 对象",
    "origin_conflict": "企业“{enterprise}”出现了两个不同的原属地",
    "missing_relocation": "转移企业“{enterprise}”缺少分享起始月份等参数",
    "bad_amount": "“{enterprise}”的金额或参数必须是不小于零的整数（分）",
}


FALLBACK = "分配规则有误"
ANY_TYPE = "其他各类收入"


def _same(text: str) -> str:
    return text


def error_zh(error: ApportionError, *, translate: Callable[[str], str] = _same) -> str:
    """The error in Chinese, or in the reader's language when ``translate`` is Django's gettext."""
    template = translate(_MESSAGES.get(error.code, FALLBACK))
    params = {"method": "", "revenue_type": "", "party": "", "enterprise": "", "period": "", **error.params}
    if params["revenue_type"] == "*":
        params["revenue_type"] = translate(ANY_TYPE)
    return template.format(**params)
