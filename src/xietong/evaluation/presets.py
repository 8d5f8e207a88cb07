"""Preset index frameworks, as data: the 长三角 and 京津冀 collaborative-innovation indices.

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

FRAMEWORK_PRESETS: dict[str, FrameworkPreset] = {p.code: p for p in (YRD, JJJ)}
