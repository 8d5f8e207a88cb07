"""The composite engine's English messages in Chinese: one entry per engine template (no Django here).

The engine raises errors and warnings as an English ``str.format`` template plus parameters
(``xietong.composite.errors``); this catalogue gives each template its Chinese wording, so the app
translates by lookup, never by parsing English. A test walks the engine's source and fails on any
template missing here. Kept free of Django so that the CLI can use it without setting Django up.

The Chinese texts are also the msgids of the English UI: pages pass Django's ``gettext`` as ``translate``
(``evaluation.engine_errors``), which looks each Chinese template up before it is filled, so an English
reader gets English (entries in ``tools/i18n/ui.json``); the CLI passes nothing and stays Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from xietong.composite.errors import CompositeError, CompositeWarning, Issue, render

ZH: dict[str, str] = {
    # titles of errors that list issues
    "the framework is invalid": "指标框架有误",
    "the indicator data are invalid": "指标数据有误",
    # framework (iMeta)
    "the framework table has no iCode column": "框架表缺少「iCode」（指标代码）列",
    "code {node} repeats row {first}": "指标代码「{node}」与第 {first} 行重复",
    "weight must not be negative ({value})": "权重不能为负数（{value}）",
    "direction must be 1 or -1 (got {value})": "方向只能为 1 或 -1（实为 {value}）",
    "parent {parent} does not exist": "上级代码「{parent}」不存在",
    "parent {parent} is not an Aggregate": "上级「{parent}」不是汇总项（Aggregate）",
    "denominator {denominator} is not defined as a Denominator in the framework":
        "分母「{denominator}」未在框架中定义为分母（Denominator）",
    "parents form a cycle: {cycle}": "上级关系形成循环：{cycle}",
    "the framework has no indicator (Type = Indicator)": "框架中没有任何指标（Type = Indicator）",
    "{node} has no parent (orphan)": "「{node}」缺少上级（孤立节点）",
    "the framework has several top-level indices: {codes}; only one is allowed": "框架有多个顶层指数：{codes}；只能有一个",
    "aggregate {node} has no children (orphan)": "汇总项「{node}」没有下级指标（孤立节点）",
    "an indicator's level must be 1 (got {level})": "指标的层级应为 1（实为 {level}）",
    "level {level} is not below the level {parent_level} of its parent {parent}":
        "层级 {level} 不低于上级「{parent}」的层级 {parent_level}",
    "the weights of the children of {parent} sum to 0": "「{parent}」的下级权重之和为 0",
    "unknown codes among the weights: {codes}": "权重中有未知的指标代码：{codes}",
    "level must be a number (got '{raw}')": "层级应为数字（实为“{raw}”）",
    "direction must be a number (got '{raw}')": "方向应为数字（实为“{raw}”）",
    "weight must be a number (got '{raw}')": "权重应为数字（实为“{raw}”）",
    "target must be a number (got '{raw}')": "目标值应为数字（实为“{raw}”）",
    "level must be a finite number (got '{raw}')": "层级应为有限的数字（实为“{raw}”）",
    "direction must be a finite number (got '{raw}')": "方向应为有限的数字（实为“{raw}”）",
    "weight must be a finite number (got '{raw}')": "权重应为有限的数字（实为“{raw}”）",
    "target must be a finite number (got '{raw}')": "目标值应为有限的数字（实为“{raw}”）",
    "the code is blank": "指标代码为空",
    "type must be Indicator, Aggregate, Group or Denominator (got '{kind}')":
        "类型应为 Indicator/Aggregate/Group/Denominator（实为“{kind}”）",
    "an aggregate needs a level": "汇总项必须填写层级",
    "level must be a positive integer (got {value})": "层级应为正整数（实为 {value}）",
    # data (iData) and files
    "the data table has no {column} column": "数据表缺少「{column}」列",
    "the data table lacks these indicator columns: {columns}": "数据表缺少以下指标列：{columns}",
    "columns appear more than once: {columns}": "以下列名重复出现：{columns}",
    "columns appear more than once in {name}: {columns}": "文件 {name} 中以下列名重复出现：{columns}",
    "the data table has no rows": "数据表没有数据行",
    "the file {name} is empty": "文件 {name} 是空的",
    "the file {name} cannot be read as a table ({reason})": "无法把文件 {name} 读成表格（{reason}）",
    "the unit code is blank": "单位代码为空",
    "region code {value} is not a GB/T 2260 division code": "地区代码“{value}”不在 GB/T 2260 行政区划代码中",
    "the year must be an integer (got '{raw}')": "年份应为整数（实为“{raw}”）",
    "must be a number (got '{raw}')": "应为数字（实为“{raw}”）",
    "must be a finite number (got '{raw}')": "应为有限的数字（实为“{raw}”；不接受 inf）",
    "unit {unit} appears twice": "单位“{unit}”重复出现",
    "unit {unit} appears twice in {year}": "单位“{unit}”在 {year} 年重复出现",
    "the data set has no units or no indicators": "数据中没有任何单位或指标",
    # steps and options
    "unknown value '{value}' of {option}; choose one of {choices}": "参数 {option} 的值“{value}”无效，可选：{choices}",
    "{option} must be a finite number (got '{value}')": "参数 {option} 应为有限的数字（实为“{value}”）",
    "bounds must be two numbers (got '{value}')": "参数 bounds 应为两个数字（实为“{value}”）",
    "bounds must be two different numbers (got '{value}')": "参数 bounds 应为两个不同的数字（实为“{value}”）",
    "{step} has no parameter '{parameter}'; its parameters are {choices}": "{step} 没有参数“{parameter}”，可用参数：{choices}",
    "step {position} ({kind}): unknown parameter '{parameter}'; its parameters are {choices}":
        "第 {position} 步（{kind}）：未知的参数“{parameter}”，可用参数：{choices}",
    "step {position}: unknown kind '{kind}'; choose one of {choices}": "第 {position} 步：未知的步骤类型“{kind}”，可选：{choices}",
    "the pipeline has no step '{name}'": "流程中没有步骤“{name}”",
    "unknown preset '{name}'; choose one of {choices}": "未知的预设“{name}”，可选：{choices}",
    "give at least one uncertain input": "请至少指定一个不确定输入",
    "the data lack these indicators: {codes}": "数据中缺少指标：{codes}",
    "the data lack these denominator columns: {codes}": "数据中缺少分母列：{codes}",
    "the data have no group column '{group}'": "数据中没有分组列“{group}”",
    "these indicators have no Target: {codes}": "以下指标缺少目标值（Target）：{codes}",
    "these indicators have no goalposts: {codes}": "以下指标缺少门槛值（goalposts）：{codes}",
    "the reference unit '{unit}' is not in the data": "参照单位“{unit}”不在数据中",
    "unit '{unit}' has {value} in {column}; the geometric mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)":
        "单位“{unit}”的「{column}」值为 {value}，几何平均要求所有值为正数；请把标准化下限设为大于 0（例如 1–100）",
    "unit '{unit}' has {value} in {column}; the harmonic mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)":
        "单位“{unit}”的「{column}」值为 {value}，调和平均要求所有值为正数；请把标准化下限设为大于 0（例如 1–100）",
    "unit '{unit}' has {value} in {column}; the generalised mean needs positive values: "
    "set the normalisation's lower bound above 0 (for example 1–100)":
        "单位“{unit}”的「{column}」值为 {value}，广义平均要求所有值为正数；请把标准化下限设为大于 0（例如 1–100）",
    # weights
    "objective weights need at least 2 rows of data": "计算客观权重至少需要 2 个样本",
    "objective weights need finite data (an infinite value was found)": "计算客观权重的数据中有无穷大值",
    "entropy weighting needs non-negative data: normalise first (a shift may be added)":
        "熵权法要求数据非负，请先标准化（可加平移量）",
    "no indicator among {codes} varies: weights cannot be learned from these data":
        "指标 {codes} 都没有变化，无法据此计算客观权重",
    "PCA weighting needs at least 3 units with complete data that vary in every indicator":
        "主成分赋权至少需要 3 个数据完整且各指标有差异的单位",
    "the indicators {codes} are perfectly correlated: CRITIC weights are undefined":
        "指标 {codes} 完全相关，无法计算 CRITIC 权重",
    "the first principal component's loadings of {codes} sum to 0: PCA weights are undefined":
        "指标 {codes} 第一主成分载荷之和为 0，无法计算主成分权重",
    "indicators {codes} do not vary (in a year): their {method} values are left missing":
        "指标 {codes} 的值（在某一年）全部相同，无法按 {method} 标准化，已记为缺失",
    # panel and coupling
    "base year {base} is not among the years of the data": "基期 {base} 不在数据年份中",
    "coupling needs at least 2 subsystems": "耦合度至少需要 2 个子系统",
    "subsystem scores must not be negative": "子系统评价值不能为负数",
    "subsystem weights must be non-negative, sum to 1 and be as many as the subsystems":
        "子系统权重 α 须为非负且和为 1，个数与子系统相同",
    # warnings
    "indicator {code} is constant: weight 0": "指标「{code}」的值全部相同，权重记为 0",
    "indicator {code} has fewer than 2 values: excluded from the objective weights (weight 0)":
        "指标「{code}」的有效值少于 2 个，未参与客观赋权（权重记为 0）",
    "{count} infinite values in {codes} were treated as missing": "{codes} 中有 {count} 个无穷大值，已按缺失处理",
}  # fmt: skip
JOINER = "、"
MAX_SHOWN = 5
# The texts the functions below add around the catalogue's (msgids too; str.format fields, not %-style).
AT_CELL = "第 {row} 行「{column}」列：{text}"
MORE = "；另有 {count} 处问题"
TITLED = "{title}：{issues}"
ISSUE_SEPARATOR = "；"


def _same(text: str) -> str:
    return text


def zh(template: str, params: Mapping[str, Any], *, translate: Callable[[str], str] = _same) -> str:
    """The Chinese text of one engine message; an unknown template keeps its English (and a test fails).

    ``translate`` maps a Chinese template to the reader's language before it is filled (Django's gettext).
    """
    return render(translate(ZH.get(template, template)), params, joiner=translate(JOINER))


def issue_zh(
    issue: Issue,
    *,
    row: int | None = None,
    column: str | None = None,
    translate: Callable[[str], str] = _same,
) -> str:
    """An issue in Chinese, prefixed by the row and column as the user's spreadsheet shows them."""
    text = zh(issue.template, issue.params, translate=translate)
    row = issue.row if row is None else row
    column = issue.column if column is None else column
    return text if row is None else translate(AT_CELL).format(row=row, column=column, text=text)


def error_zh(
    error: CompositeError,
    issues_zh: list[str] | None = None,
    *,
    translate: Callable[[str], str] = _same,
) -> str:
    """An error's whole message in Chinese: its title, then its first issues."""
    title = zh(error.template, error.detail, translate=translate)
    shown = issues_zh if issues_zh is not None else [issue_zh(i, translate=translate) for i in error.issues]
    if not shown:
        return title
    more = translate(MORE).format(count=len(shown) - MAX_SHOWN) if len(shown) > MAX_SHOWN else ""
    issues = translate(ISSUE_SEPARATOR).join(shown[:MAX_SHOWN]) + more
    return translate(TITLED).format(title=title, issues=issues)


def warning_zh(warning: CompositeWarning, *, translate: Callable[[str], str] = _same) -> str:
    return zh(warning.template, warning.params, translate=translate)
