"""The preset cooperation zones (协同区), as data.

Each preset lists its members by GB/T 2260 code; a member stands for itself and everything under it
(a province member covers its prefectures and counties). The loader (`services.zone_presets_load`)
keeps the stored zones equal to this list. Plain data only: the fixture builder in `tools/` imports it
without Django.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ZonePreset:
    code: str
    name: str
    short_name: str
    color: str
    members: tuple[str, ...]
    source: str
    description: str


ZONE_PRESETS: tuple[ZonePreset, ...] = (
    ZonePreset(
        code="jjj",
        name="京津冀协同发展区",
        short_name="京津冀",
        color="#d9480f",
        members=("110000", "120000", "130000"),  # 北京市、天津市、河北省
        source="《京津冀协同发展规划纲要》（中共中央政治局 2015 年审议通过）",
        description="北京市、天津市和河北省全域，以疏解北京非首都功能为重点推进协同发展。",
    ),
    ZonePreset(
        code="chengyu",
        name="成渝地区双城经济圈",
        short_name="成渝",
        color="#c2255c",
        members=(
            "500000",  # 重庆市
            "510100",  # 成都市
            "510300",  # 自贡市
            "510500",  # 泸州市
            "510600",  # 德阳市
            "510700",  # 绵阳市
            "510900",  # 遂宁市
            "511000",  # 内江市
            "511100",  # 乐山市
            "511300",  # 南充市
            "511400",  # 眉山市
            "511500",  # 宜宾市
            "511600",  # 广安市
            "511700",  # 达州市
            "511800",  # 雅安市
            "512000",  # 资阳市
        ),
        source="《成渝地区双城经济圈建设规划纲要》（中共中央、国务院 2021 年 10 月印发）",
        description=(
            "规划范围为重庆市中心城区及万州、涪陵、綦江、大足、黔江、长寿、江津、合川、永川、南川、璧山、"
            "铜梁、潼南、荣昌、梁平、丰都、垫江、忠县等 27 个区（县）以及开州、云阳的部分地区，"
            "四川省成都、自贡、泸州、德阳、绵阳（除平武县、北川县）、遂宁、内江、乐山、南充、眉山、宜宾、"
            "广安、达州（除万源市）、雅安（除天全县、宝兴县）、资阳等 15 个市。"
            "本平台以市为单位登记成员（重庆市及上述 15 个市全域），统计口径因此略大于规划范围。"
        ),
    ),
    ZonePreset(
        code="yrd",
        name="长江三角洲区域一体化发展",
        short_name="长三角",
        color="#1971c2",
        members=("310000", "320000", "330000", "340000"),  # 上海市、江苏省、浙江省、安徽省
        source="《长江三角洲区域一体化发展规划纲要》（中共中央、国务院 2019 年 12 月印发）",
        description="上海市、江苏省、浙江省、安徽省全域（规划范围），以上海为龙头推进区域一体化发展。",
    ),
    ZonePreset(
        code="g60",
        name="长三角G60科创走廊",
        short_name="G60科创走廊",
        color="#2f9e44",
        members=(
            "310117",  # 上海市松江区
            "330400",  # 嘉兴市
            "330100",  # 杭州市
            "330700",  # 金华市
            "320500",  # 苏州市
            "330500",  # 湖州市
            "341800",  # 宣城市
            "340200",  # 芜湖市
            "340100",  # 合肥市
        ),
        source="《长三角G60科创走廊建设方案》（科技部、国家发展改革委等六部门 2020 年 11 月印发）",
        description="沿 G60 沪昆高速公路布局的九个城市（区）：上海松江、嘉兴、杭州、金华、苏州、湖州、宣城、芜湖、合肥。",
    ),
    ZonePreset(
        code="jiakuntai",
        name="嘉昆太协同创新核心圈",
        short_name="嘉昆太",
        color="#f08c00",
        members=("310114", "320583", "320585"),  # 上海市嘉定区、苏州市昆山市、苏州市太仓市
        source="嘉定区、昆山市、太仓市三地政府协同创新合作协议",
        description="上海嘉定区与江苏昆山市、太仓市跨省毗邻地区的协同创新核心圈，聚焦汽车、智能制造等产业链协同。",
    ),
    ZonePreset(
        code="yrd-demo",
        name="长三角生态绿色一体化发展示范区",
        short_name="示范区",
        color="#0c8599",
        members=("310118", "320509", "330421"),  # 上海市青浦区、苏州市吴江区、嘉兴市嘉善县
        source="《长三角生态绿色一体化发展示范区总体方案》（国务院 2019 年 10 月批复）",
        description="上海市青浦区、江苏省苏州市吴江区、浙江省嘉兴市嘉善县，跨省域一体化制度创新试验田。",
    ),
)
