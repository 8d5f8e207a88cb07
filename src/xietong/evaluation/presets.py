"""Preset index frameworks, as data: the 长三角, 京津冀 and 成渝 collaborative-innovation indices.

The 一级 dimensions are those the published indices use (长三角区域协同创新指数, 上海市科学技术情报
研究所: 资源共享, 创新合作, 成果共用, 产业联动, 环境支撑, base 2011 = 100; 京津冀协同创新指数, 首都科技
发展战略研究院: 创新能力, 科研合作, 技术联系, 创新绩效, 创新环境, 13 cities). The 二级 dimensions and
indicators below are a plausible reading of those reports' method notes, not a copy of them: an agency
adopting a preset edits it (export to Excel, change, import a new version).

Rows follow COINr's iMeta layout (see docs/methods.md §2.1) plus ``Source``: ``platform:<key>`` marks an
indicator the platform can compute from its own records (see platform_indicators.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The computation pipelines (`composite.presets`) by the names people read; the codes stay in the API
RUN_PRESET_NAMES = {
    "cn-entropy": _("熵权法（国内常用）"),
    "coinr-panel": _("COINr 面板流程（逐年处理）"),
    "coinr": _("COINr 默认流程"),
}


def run_preset_name(code: str) -> str:
    return str(RUN_PRESET_NAMES.get(code, code))


# (code, name, unit, direction, parent, source)
Indicator = tuple[str, str, str, int, str, str]


@dataclass(frozen=True)
class FrameworkPreset:
    code: str
    name: str
    short_name: str
    zone_code: str
    base_year: int
    index_code: str
    level1: tuple[tuple[str, str], ...]  # (code, name)
    level2: tuple[tuple[str, str, str], ...]  # (code, name, parent)
    indicators: tuple[Indicator, ...]
    units: tuple[str, ...]  # GB/T 2260 codes of the evaluated cities
    source: str
    run_options: dict = field(default_factory=dict)
    # Growth rates (%) the index's own reports published, by report: ((label, ((code, percent), …)), …).
    published_growth: tuple = ()

    def table(self) -> list[dict]:
        """The framework as iMeta rows (indicators, 二级, 一级, index), weights equal within a parent."""
        rows = [
            {"Level": 1, "iCode": c, "iName": n, "Direction": d, "Weight": 1.0, "Unit": u, "Parent": p,
             "Type": "Indicator", "Source": s}
            for c, n, u, d, p, s in self.indicators
        ]  # fmt: skip
        rows += [
            {"Level": 2, "iCode": c, "iName": n, "Direction": 1, "Weight": 1.0, "Unit": "", "Parent": p,
             "Type": "Aggregate", "Source": ""}
            for c, n, p in self.level2
        ]  # fmt: skip
        rows += [
            {"Level": 3, "iCode": c, "iName": n, "Direction": 1, "Weight": 1.0, "Unit": "",
             "Parent": self.index_code, "Type": "Aggregate", "Source": ""}
            for c, n in self.level1
        ]  # fmt: skip
        rows.append(
            {"Level": 4, "iCode": self.index_code, "iName": self.name, "Direction": 1, "Weight": 1.0,
             "Unit": "", "Parent": None, "Type": "Aggregate", "Source": ""}
        )  # fmt: skip
        return rows


YRD_CITIES = (
    "310000",  # 上海市
    # 江苏省 13 市
    "320100", "320200", "320300", "320400", "320500", "320600", "320700", "320800", "320900", "321000",
    "321100", "321200", "321300",
    # 浙江省 11 市
    "330100", "330200", "330300", "330400", "330500", "330600", "330700", "330800", "330900", "331000",
    "331100",
    # 安徽省 16 市
    "340100", "340200", "340300", "340400", "340500", "340600", "340700", "340800", "341000", "341100",
    "341200", "341300", "341500", "341600", "341700", "341800",
)  # fmt: skip
JJJ_CITIES = (
    "110000", "120000",  # 北京市、天津市
    "130100", "130200", "130300", "130400", "130500", "130600", "130700", "130800", "130900", "131000",
    "131100",  # 河北省 11 个设区市
)  # fmt: skip

YRD = FrameworkPreset(
    code="yrd",
    name="长三角区域协同创新指数",
    short_name="长三角",
    zone_code="yrd",
    base_year=2011,
    index_code="YRD",
    level1=(
        ("RS", "资源共享"),
        ("IC", "创新合作"),
        ("AS", "成果共用"),
        ("IL", "产业联动"),
        ("ES", "环境支撑"),
    ),
    level2=(
        ("RS1", "科技资源共享", "RS"),
        ("RS2", "创新人才流动", "RS"),
        ("RS3", "创新平台共建", "RS"),
        ("IC1", "科研合作", "IC"),
        ("IC2", "产学研合作", "IC"),
        ("AS1", "技术转移", "AS"),
        ("AS2", "专利转让", "AS"),
        ("IL1", "产业协作", "IL"),
        ("IL2", "产业结构", "IL"),
        ("ES1", "创新投入", "ES"),
        ("ES2", "创新环境", "ES"),
    ),
    indicators=(
        ("rs_instruments", "开放共享的大型科研仪器数", "台", 1, "RS1", ""),
        (
            "rs_instrument_hours",
            "跨区域仪器共享服务机时",
            "万小时",
            1,
            "RS1",
            "platform:resources.cross_region_hours",
        ),
        ("rs_talent_flow", "跨区域流动的研发人员数", "人", 1, "RS2", ""),
        ("rs_rd_personnel", "R&D 人员全时当量", "万人年", 1, "RS2", ""),
        ("rs_platforms", "国家级创新平台数", "个", 1, "RS3", ""),
        (
            "rs_research_orgs",
            "平台登记的高校院所与检验检测机构数",
            "家",
            1,
            "RS3",
            "platform:orgs.research_and_testing",
        ),
        ("ic_copapers", "与区域内其他城市合作发表的科技论文数", "篇", 1, "IC1", ""),
        ("ic_copatents", "与区域内其他城市合作申请的发明专利数", "件", 1, "IC1", ""),
        ("ic_joint_projects", "跨区域联合承担的科技项目数", "项", 1, "IC2", ""),
        (
            "ic_voucher_amount",
            "跨区域使用的科技创新券金额",
            "万元",
            1,
            "IC2",
            "platform:vouchers.cross_region_redeemed",
        ),
        (
            "as_contract_inflow",
            "吸纳区域内其他城市技术合同成交额",
            "亿元",
            1,
            "AS1",
            "platform:transfer.contract_inflow",
        ),
        (
            "as_contract_outflow",
            "向区域内其他城市输出技术合同成交额",
            "亿元",
            1,
            "AS1",
            "platform:transfer.contract_outflow",
        ),
        ("as_patent_transfer", "跨区域专利转让数", "件", 1, "AS2", ""),
        ("il_investment", "在区域内其他城市设立分支机构的企业数", "家", 1, "IL1", ""),
        ("il_high_tech", "高新技术企业数", "家", 1, "IL1", "platform:orgs.high_tech"),
        ("il_hitech_output", "高技术产业产值占规上工业产值比重", "%", 1, "IL2", ""),
        ("il_strategic", "战略性新兴产业增加值占 GDP 比重", "%", 1, "IL2", ""),
        ("es_rd_intensity", "R&D 经费投入强度", "%", 1, "ES1", ""),
        ("es_fiscal", "地方财政科技支出占财政支出比重", "%", 1, "ES1", ""),
        ("es_broadband", "互联网宽带接入用户数", "万户", 1, "ES2", ""),
        ("es_pm25", "PM2.5 年均浓度", "微克/立方米", -1, "ES2", ""),
    ),
    units=YRD_CITIES,
    source="长三角区域协同创新指数（上海市科学技术情报研究所，以 2011 年为基期 = 100）",
    run_options={"preset": "cn-entropy", "base_year": 2011},
)

JJJ = FrameworkPreset(
    code="jjj",
    name="京津冀协同创新指数",
    short_name="京津冀",
    zone_code="jjj",
    base_year=2013,
    index_code="JJJ",
    level1=(
        ("CA", "创新能力"),
        ("RC", "科研合作"),
        ("TL", "技术联系"),
        ("IP", "创新绩效"),
        ("EN", "创新环境"),
    ),
    level2=(
        ("CA1", "创新投入", "CA"),
        ("CA2", "创新产出", "CA"),
        ("RC1", "论文合作", "RC"),
        ("RC2", "项目与专利合作", "RC"),
        ("TL1", "技术交易", "TL"),
        ("TL2", "技术扩散", "TL"),
        ("IP1", "经济绩效", "IP"),
        ("IP2", "产业绩效", "IP"),
        ("EN1", "政策与服务", "EN"),
        ("EN2", "绿色发展", "EN"),
    ),
    indicators=(
        ("ca_rd_intensity", "R&D 经费投入强度", "%", 1, "CA1", ""),
        ("ca_rd_personnel", "R&D 人员全时当量", "万人年", 1, "CA1", ""),
        ("ca_invention_patents", "发明专利授权量", "件", 1, "CA2", ""),
        ("ca_papers", "科技论文发表数", "篇", 1, "CA2", ""),
        ("rc_copapers", "与京津冀其他城市合作发表的论文数", "篇", 1, "RC1", ""),
        ("rc_joint_projects", "联合承担的科技项目数", "项", 1, "RC2", ""),
        ("rc_coinventions", "合作申请的发明专利数", "件", 1, "RC2", ""),
        (
            "tl_contract_inflow",
            "吸纳京津冀其他城市技术合同成交额",
            "亿元",
            1,
            "TL1",
            "platform:transfer.contract_inflow",
        ),
        (
            "tl_contract_outflow",
            "向京津冀其他城市输出技术合同成交额",
            "亿元",
            1,
            "TL1",
            "platform:transfer.contract_outflow",
        ),
        ("tl_patent_transfer", "跨区域专利转让数", "件", 1, "TL2", ""),
        ("ip_gdp_per_capita", "人均 GDP", "万元", 1, "IP1", ""),
        ("ip_productivity", "全员劳动生产率", "万元/人", 1, "IP1", ""),
        ("ip_hitech_share", "高技术产业增加值占规上工业比重", "%", 1, "IP2", ""),
        ("ip_high_tech", "高新技术企业数", "家", 1, "IP2", "platform:orgs.high_tech"),
        ("en_incubators", "科技企业孵化器与众创空间数", "个", 1, "EN1", ""),
        ("en_fiscal", "地方财政科技支出占财政支出比重", "%", 1, "EN1", ""),
        ("en_energy", "万元 GDP 能耗", "吨标准煤", -1, "EN2", ""),
    ),
    units=JJJ_CITIES,
    source="京津冀协同创新指数（首都科技发展战略研究院，13 个城市）",
    run_options={"preset": "cn-entropy", "base_year": 2013},
)

CY_CITIES = (
    "500000",  # 重庆市（规划范围为中心城区及 27 个区县，数据以全市计）
    # 四川省 15 市
    "510100", "510300", "510500", "510600", "510700", "510900", "511000", "511100", "511300", "511400",
    "511500", "511600", "511700", "511800", "512000",
)  # fmt: skip

# 成渝地区双城经济圈协同创新指数（重庆科技发展战略研究院、四川省科学技术发展战略研究院等联合编制）.
# Published (report summaries, see docs/evaluation.md): base year 2019; five 一级 dimensions 资源集聚、
# 创新合作、成果共享、产业联动、环境支撑 with 17 二级 indicators; 2021 report: 总指数 +9.5 %, 创新合作
# 指数 +17.0 % (the fastest); 2022 report: 2021 vs 2019 总指数 +20.01 %, 产业联动 +44.88 %, 成果共享
# +15.77 %, 创新合作 +14.25 %; R&D spending, R&D intensity, university/institute R&D and motorway/railway
# density are named among the indicators. Assumed (not published): the names of the 17 二级 indicators
# and the indicators below them, equal weights, the cn-entropy pipeline.
CY = FrameworkPreset(
    code="cy",
    name="成渝地区双城经济圈协同创新指数",
    short_name="成渝",
    zone_code="chengyu",
    base_year=2019,
    index_code="CY",
    level1=(
        ("RA", "资源集聚"),
        ("CI", "创新合作"),
        ("RS", "成果共享"),
        ("IN", "产业联动"),
        ("EV", "环境支撑"),
    ),
    level2=(
        ("RA1", "研发经费投入", "RA"),
        ("RA2", "创新人才集聚", "RA"),
        ("RA3", "创新平台集聚", "RA"),
        ("RA4", "科技资源开放共享", "RA"),
        ("CI1", "科研合作", "CI"),
        ("CI2", "产学研合作", "CI"),
        ("CI3", "跨区域项目合作", "CI"),
        ("RS1", "技术交易", "RS"),
        ("RS2", "成果转化", "RS"),
        ("RS3", "知识产权流动", "RS"),
        ("IN1", "产业协作", "IN"),
        ("IN2", "高新技术产业", "IN"),
        ("IN3", "企业跨区域布局", "IN"),
        ("EV1", "创新投入环境", "EV"),
        ("EV2", "创业孵化环境", "EV"),
        ("EV3", "交通基础设施", "EV"),
        ("EV4", "开放合作环境", "EV"),
    ),
    indicators=(
        ("cy_rd_spending", "R&D 经费支出", "亿元", 1, "RA1", ""),
        ("cy_rd_intensity", "R&D 经费投入强度", "%", 1, "RA1", ""),
        ("cy_univ_rd", "高校与科研院所 R&D 经费支出", "亿元", 1, "RA1", ""),
        ("cy_rd_personnel", "R&D 人员全时当量", "万人年", 1, "RA2", ""),
        ("cy_platforms", "国家级与省部级创新平台数", "个", 1, "RA3", ""),
        ("cy_instruments", "开放共享的大型科研仪器数", "台", 1, "RA4", ""),
        ("cy_instrument_hours", "跨区域仪器共享服务机时", "万小时", 1, "RA4", "platform:resources.cross_region_hours"),
        ("cy_copapers", "与成渝其他城市合作发表的科技论文数", "篇", 1, "CI1", ""),
        ("cy_copatents", "与成渝其他城市合作申请的发明专利数", "件", 1, "CI1", ""),
        ("cy_joint_projects", "川渝联合实施的科技项目数", "项", 1, "CI2", ""),
        ("cy_voucher_amount", "跨区域使用的科技创新券金额", "万元", 1, "CI3", "platform:vouchers.cross_region_redeemed"),
        ("cy_contract_inflow", "吸纳成渝其他城市技术合同成交额", "亿元", 1, "RS1", "platform:transfer.contract_inflow"),
        ("cy_contract_outflow", "向成渝其他城市输出技术合同成交额", "亿元", 1, "RS1", "platform:transfer.contract_outflow"),
        ("cy_patent_transfer", "跨区域专利转让数", "件", 1, "RS3", ""),
        ("cy_transfer_income", "高校院所技术转让收入", "亿元", 1, "RS2", ""),
        ("cy_branches", "在成渝其他城市设立分支机构的企业数", "家", 1, "IN3", ""),
        ("cy_high_tech", "高新技术企业数", "家", 1, "IN2", "platform:orgs.high_tech"),
        ("cy_hitech_share", "高技术产业营业收入占规上工业比重", "%", 1, "IN2", ""),
        ("cy_chain_links", "跨区域产业链配套企业数", "家", 1, "IN1", ""),
        ("cy_fiscal", "地方财政科技支出占财政支出比重", "%", 1, "EV1", ""),
        ("cy_incubators", "科技企业孵化器与众创空间数", "个", 1, "EV2", ""),
        ("cy_transport", "高速公路和铁路网密度", "公里/百平方公里", 1, "EV3", ""),
        ("cy_foreign_rd", "外资研发机构数", "个", 1, "EV4", ""),
    ),
    units=CY_CITIES,
    source="成渝地区双城经济圈协同创新指数（重庆科技发展战略研究院、四川省科学技术发展战略研究院等，以 2019 年为基期 = 100）",
    run_options={"preset": "cn-entropy", "base_year": 2019},
    published_growth=(
        ("2021 年报告", (("CY", 9.5), ("CI", 17.0))),
        ("2022 年报告（2021 年较 2019 年）", (("CY", 20.01), ("IN", 44.88), ("RS", 15.77), ("CI", 14.25))),
    ),
)  # fmt: skip

FRAMEWORK_PRESETS: dict[str, FrameworkPreset] = {p.code: p for p in (YRD, JJJ, CY)}
