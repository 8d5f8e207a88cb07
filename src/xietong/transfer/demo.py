"""Deterministic, idempotent demo data for the marketplace (labelled demo; generated from templates).

Achievements and demands are written from field vocabularies and sentence templates below (nothing is
copied from any reference corpus); contracts span three years between the members of the three zones
so that the flows page shows real flows. Demo accounts: uni_bj (北京 university), ent_hb (河北
enterprise), park_hb (河北 park); password as for the other demo accounts.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.orgs import services as org_services
from xietong.orgs.demo import BRANDS, DEMO_PASSWORD, INDUSTRY_TERMS
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation
from xietong.transfer import search
from xietong.transfer.enums import ContractKind, IpType, ListingKind
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand, modes_text

SEED = 2026


def contract_counts(today: dt.date) -> dict[int, int]:
    """Contracts per year: the two years before today's and the current year so far (dated up to today)."""
    first = today.year - 2
    counts = {year: 120 + 20 * (year - first) for year in range(first, today.year + 1)}
    counts[today.year] = round(counts[today.year] * today.timetuple().tm_yday / 365)
    return counts


# industry → (technologies, applications, indicators)
VOCAB = {
    "new_energy": (
        [
            "动力电池液冷热管理",
            "固态电解质薄膜",
            "钠离子电池正极材料",
            "光伏组件智能清洗",
            "氢燃料电池双极板",
            "储能电站能量管理",
        ],
        ["新能源汽车电池包", "工商业储能", "分布式光伏电站", "氢能重卡"],
        ["电芯温差不超过 3℃", "循环寿命超过 6000 次", "系统效率提升 5%", "成本降低 20%"],
    ),
    "automotive": (
        ["线控制动系统", "毫米波雷达目标识别", "轻量化铝合金副车架", "车载以太网网关", "电驱动总成减振"],
        ["乘用车底盘", "智能网联汽车", "商用车", "汽车零部件产线"],
        ["响应时间小于 150 毫秒", "减重 25%", "识别准确率 98%", "噪声降低 6 分贝"],
    ),
    "ic": (
        ["碳化硅功率器件封装", "晶圆缺陷光学检测", "低功耗物联网芯片", "先进封装临时键合胶"],
        ["新能源汽车电控", "晶圆制造产线", "智能表计", "封装测试"],
        ["热阻降低 30%", "检测速度每小时 60 片", "待机功耗低于 1 微安", "良率提升 3 个百分点"],
    ),
    "biomedicine": (
        ["抗体药物连续流纯化", "可降解心血管支架", "核酸快速检测微流控芯片", "医用级聚醚醚酮植入物"],
        ["生物药生产", "心血管介入", "基层医疗检测", "骨科植入"],
        ["收率提高 15%", "降解周期 24 个月", "检测时间 15 分钟", "通过生物相容性评价"],
    ),
    "ai": (
        ["工业视觉缺陷检测", "设备预测性维护算法", "多模态知识图谱问答", "边缘端模型压缩"],
        ["钢铁产线", "纺织印染", "政务服务", "智能制造车间"],
        ["漏检率低于 0.5%", "故障提前 72 小时预警", "推理延迟小于 20 毫秒", "模型体积缩小 80%"],
    ),
    "new_materials": (
        ["石墨烯导热膜", "高性能碳纤维预浸料", "生物基可降解塑料", "耐高温陶瓷基复合材料"],
        ["消费电子散热", "航空结构件", "一次性包装", "燃气轮机热端部件"],
        ["导热系数 1500 W/mK", "拉伸强度 4.9 GPa", "180 天堆肥降解", "耐温 1300℃"],
    ),
    "equipment": (
        ["五轴数控机床热误差补偿", "协作机器人力控打磨", "高速精密减速器", "激光熔覆再制造"],
        ["航空零件加工", "卫浴五金打磨", "工业机器人关节", "矿山机械修复"],
        ["定位精度 3 微米", "打磨效率提升 40%", "回差小于 1 弧分", "寿命提升 2 倍"],
    ),
    "electronics": (
        ["柔性印刷电路板", "MEMS 气体传感器", "超宽带室内定位", "毫米波天线封装"],
        ["可穿戴设备", "智慧楼宇", "仓储物流", "5G 基站"],
        ["弯折 20 万次", "检测下限 1 ppm", "定位精度 10 厘米", "增益提升 2 dBi"],
    ),
    "textile": (
        ["数码喷墨印花", "再生涤纶纤维纺丝", "防水透湿功能面料", "桑蚕丝蛋白改性整理"],
        ["家纺面料", "户外服装", "丝绸制品", "产业用纺织品"],
        ["色牢度 4 级以上", "透湿量 10000 g/m²·24h", "印染能耗降低 30%", "再生料占比 50%"],
    ),
    "optoelectronics": (
        ["硅光收发模块", "激光雷达发射模组", "Micro LED 巨量转移", "分布式光纤传感"],
        ["数据中心互联", "自动驾驶感知", "新型显示", "油气管网监测"],
        ["单模块速率 800G", "探测距离 200 米", "转移良率 99.99%", "定位精度 1 米"],
    ),
}
# An organisation's industry → the vocabulary its demands are written in (industries without their own
# vocabulary borrow the nearest one).
DEMAND_VOCAB = {
    "petrochemical": "new_materials",
    "aerospace": "equipment",
    "digital": "ai",
    "other": "equipment",
}
# How many contracts an organisation sells, relative to others: research universities and institutes sell
# most, vocational colleges few.
SELLER_WEIGHT = {"university": 4.0, "institute": 3.0, "tech_centre": 1.5}
VOCATIONAL_WEIGHT = 0.2
ACH_TEMPLATES = (
    "本成果研发了一种{tech}技术，面向{app}场景，{ind}。已完成{stage}，具备{mode}条件。",
    "针对{app}中的关键问题，团队提出{tech}方案，核心指标：{ind}。目前处于{stage}阶段。",
)
DEM_TEMPLATES = (
    "我单位在{app}方面遇到技术瓶颈，希望引进{tech}相关技术，要求{ind}。",
    "为提升{app}的竞争力，现征集{tech}解决方案，技术指标：{ind}，可采用{mode}方式合作。",
)
STAGES = {5: "小试", 6: "中试", 7: "工程样机验证", 8: "小批量试产", 9: "规模化应用"}
ZONE_PROVINCES = {"jjj": ("110000", "120000", "130000"), "yrd": ("310000", "320000", "330000", "340000"),
                  "chengyu": ("500000", "510000")}  # fmt: skip
CONTRACT_TITLES = {
    ContractKind.DEVELOPMENT: "{tech}联合开发合同", ContractKind.ASSIGNMENT: "{tech}专利权转让合同",
    ContractKind.LICENSE: "{tech}专利实施许可合同", ContractKind.CONSULTING: "{tech}技术咨询合同",
    ContractKind.SERVICE: "{tech}技术服务合同",
}  # fmt: skip
MODES = ["assignment", "license", "equity", "co_develop"]
ACH_TITLES = ("{tech}技术", "面向{app}的{tech}关键技术", "{tech}方法及装置", "基于{tech}的{app}解决方案")
DEM_TITLES = (
    "{app}{tech}技术需求",
    "征集{app}用{tech}技术",
    "{app}{tech}升级改造",
    "寻求{tech}合作开发（{app}）",
)


def _orgs(kinds) -> list[Organisation]:
    return list(Organisation.objects.filter(kind__in=kinds, status=OrgStatus.APPROVED).order_by("id"))


def _in(province: str, orgs: list[Organisation]) -> list[Organisation]:
    return [o for o in orgs if o.region_id[:2] == province[:2]]


def _demand_industry(owner: Organisation) -> str:
    """A demand is written in its enterprise's own industry (a textile firm does not ask for MEMS sensors)."""
    return owner.industry if owner.industry in VOCAB else DEMAND_VOCAB.get(owner.industry, "equipment")


def _listing(rng: random.Random, kind: str, owner: Organisation, industry: str) -> dict:
    techs, apps, inds = VOCAB[industry]
    tech, app, ind = rng.choice(techs), rng.choice(apps), rng.choice(inds)
    trl = rng.randint(5, 9)
    modes = sorted(rng.sample(MODES, rng.randint(1, 2)))
    mode_text = "、".join(
        {"assignment": "转让", "license": "许可", "equity": "作价入股", "co_develop": "合作开发"}[m]
        for m in modes
    )
    words = dict(tech=tech, app=app, ind=ind, stage=STAGES[trl], mode=mode_text)
    common = dict(
        keywords=[tech, app], industry=industry, transfer_modes=modes_text(modes), owner=owner,
        region_id=owner.region_id, contact_name=rng.choice("王李张刘陈杨") + rng.choice(["老师", "工", "经理"]),
        contact_phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}", is_demo=True,
    )  # fmt: skip
    if kind == ListingKind.ACHIEVEMENT:
        return dict(
            common, title=rng.choice(ACH_TITLES).format(**words), trl=trl, ip_type=rng.choice([IpType.INVENTION, IpType.INVENTION, IpType.SOFTWARE, IpType.KNOW_HOW]),
            summary=rng.choice(ACH_TEMPLATES).format(**words),
            innovation_points=f"{ind}；适用于{app}", patent_numbers=f"ZL20{rng.randint(19, 24)}1{rng.randint(1000000, 9999999)}.{rng.randint(0, 9)}",
            price_fen=rng.choice([0, 30, 50, 80, 120, 200, 500]) * 1_000_000,
        )  # fmt: skip
    return dict(
        common, title=rng.choice(DEM_TITLES).format(**words), problem=rng.choice(DEM_TEMPLATES).format(**words),
        indicators=ind, basis=f"已有{app}相关产线与研发团队", trl_min=rng.randint(5, 8),
        budget_fen=rng.choice([50, 100, 200, 300]) * 1_000_000, deadline=clock.today() + dt.timedelta(days=rng.randint(60, 420)),
    )  # fmt: skip


def _amount_fen(rng: random.Random) -> int:
    """A contract amount as registered: round 万元 (log-normal, median about 50 万元, a few over 1 000 万元)."""
    wan = max(2, round(rng.lognormvariate(3.9, 1.1)))
    if wan >= 100:
        wan = round(wan, -1)  # large contracts are quoted in tens of 万元
    return min(wan, 5_000) * 1_000_000


def _tech_amount_fen(rng: random.Random, kind: str, amount: int) -> int:
    """技术交易额: the technology part of the contract amount. Transfers, licences and consulting are all
    technology; development and service contracts also buy equipment, materials and travel, so their
    technology part is 70–100 % of the amount, rounded to 1 000 元."""
    if kind in (ContractKind.ASSIGNMENT, ContractKind.LICENSE, ContractKind.CONSULTING):
        return amount
    share = rng.choice([1.0, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7])
    return round(amount * share / 100_000) * 100_000


def _seller_weight(org: Organisation) -> float:
    if org.kind == OrgKind.UNIVERSITY and "职业" in org.name:
        return VOCATIONAL_WEIGHT
    return SELLER_WEIGHT.get(org.kind, 1.0)


def _buyer(
    rng: random.Random, province: str, enterprises: list[Organisation]
) -> tuple[str, Organisation | None]:
    local = _in(province, enterprises)
    if local and rng.random() < 0.6:
        org = rng.choice(local)
        return org.name, org
    term = rng.choice(rng.choice(list(INDUSTRY_TERMS.values())))
    city = rng.choice(BUYER_CITIES[province])
    ending = "有限公司" if term.endswith("科技") else rng.choice(["有限公司", "科技有限公司", "股份有限公司"])
    return f"{city}{rng.choice(BRANDS)}{term}{ending}", None


BUYER_CITIES = {
    "110000": ["北京"], "120000": ["天津"], "130000": ["石家庄", "保定", "廊坊", "唐山", "沧州"],
    "310000": ["上海"], "320000": ["南京", "苏州", "无锡", "常州", "南通"], "330000": ["杭州", "宁波", "嘉兴", "绍兴"],
    "340000": ["合肥", "芜湖", "马鞍山"], "500000": ["重庆"], "510000": ["成都", "绵阳", "德阳", "宜宾"],
}  # fmt: skip


def _signed_on(rng: random.Random, year: int) -> dt.date:
    today = clock.today()
    last = today if year == today.year else dt.date(year, 12, 31)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, (last - dt.date(year, 1, 1)).days))


def _contracts(
    rng: random.Random, sellers: list[Organisation], enterprises: list[Organisation]
) -> list[Contract]:
    provinces = [p for ps in ZONE_PROVINCES.values() for p in ps]
    # flows lean the way the seeds describe: 北京/上海 output, 津冀/长三角腹地/成渝 absorb
    weight_out = {"110000": 6, "310000": 5, "320000": 3, "510000": 2, "120000": 2}
    rows, n = [], 0
    for year, count in contract_counts(clock.today()).items():
        for _ in range(count):
            seller_p = rng.choices(provinces, weights=[weight_out.get(p, 1) for p in provinces])[0]
            zone = next(z for z, ps in ZONE_PROVINCES.items() if seller_p in ps)
            same_zone = rng.random() < 0.75
            pool = [p for p in (ZONE_PROVINCES[zone] if same_zone else provinces) if p != seller_p]
            buyer_p = rng.choice(pool)
            kind = rng.choice(list(ContractKind.values))
            industry = rng.choice(list(VOCAB))
            tech = rng.choice(VOCAB[industry][0])
            amount = _amount_fen(rng)
            candidates = _in(seller_p, sellers) or sellers
            seller = rng.choices(candidates, weights=[_seller_weight(o) for o in candidates])[0]
            buyer_name, buyer_org = _buyer(rng, buyer_p, enterprises)
            n += 1
            home = seller.region_id if seller.region_id[:2] == seller_p[:2] else seller_p
            rows.append(Contract(
                registration_no=f"{year}{home}{n:06d}", title=CONTRACT_TITLES[kind].format(tech=tech), kind=kind,
                seller_name=seller.name, seller_org=seller if seller.region_id[:2] == seller_p[:2] else None,
                seller_region_id=seller.region_id if seller.region_id[:2] == seller_p[:2] else seller_p,
                buyer_name=buyer_name, buyer_org=buyer_org,
                buyer_region_id=buyer_org.region_id if buyer_org is not None else buyer_p, amount_fen=amount,
                tech_amount_fen=_tech_amount_fen(rng, kind, amount), signed_on=_signed_on(rng, year), is_demo=True,
            ))  # fmt: skip
    return rows


# Listed by `xietong accounts` beside the platform-wide demo accounts: (username, role, what to try).
EXTRA_ACCOUNTS = [
    ("uni_bj", "机构成员", "北京一所高校的科研人员：发布成果、处理意向"),
    ("ent_hb", "机构管理员", "河北一家企业：发布技术需求、查看“为我推荐”"),
    ("park_hb", "机构管理员", "河北一个园区：承接清单及其匹配"),
]


def _accounts(orgs: dict[str, Organisation | None]) -> None:
    User = get_user_model()
    specs = [("uni_bj", "北京高校科研人员", Role.ORG_MEMBER, orgs["uni_bj"]),
             ("ent_hb", "河北企业管理员", Role.ORG_ADMIN, orgs["ent_hb"]),
             ("park_hb", "河北园区管理员", Role.ORG_ADMIN, orgs["park_hb"])]  # fmt: skip
    for username, name, role, org in specs:
        if org is None:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        org_services.membership_grant(actor=SYSTEM, user=user, role=role, organisation=org, title=name)


@transaction.atomic
def _create(seed: int) -> tuple[int, int, int, int]:
    rng = random.Random(seed)
    providers = _orgs([OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.TECH_CENTRE])
    enterprises = _orgs([OrgKind.ENTERPRISE])
    parks = _orgs([OrgKind.PARK])
    if not providers or not enterprises:
        return 0, 0, 0, 0
    industries = list(VOCAB)
    achievements = [Achievement(**_listing(rng, ListingKind.ACHIEVEMENT, providers[i % len(providers)], industries[i % len(industries)]))
                    for i in range(160)]  # fmt: skip
    demands = [Demand(**_listing(rng, ListingKind.DEMAND, owner, _demand_industry(owner)))
               for owner in (enterprises[i % len(enterprises)] for i in range(90))]  # fmt: skip
    Achievement.objects.bulk_create(achievements, batch_size=500)
    Demand.objects.bulk_create(demands, batch_size=500)
    lists = []
    for i, park in enumerate(parks[:8]):
        chosen = [industries[i % len(industries)], industries[(i + 3) % len(industries)]]
        lists.append(AcceptanceList(
            title=f"{park.name}{clock.today().year}年科技成果承接清单", region_id=park.region_id, publisher=park, industries=chosen,
            keywords=[VOCAB[chosen[0]][0][0][:4]], trl_min=6, conditions="优先承接可在本地中试、产业化的成果；提供中试场地。",
            incentives="落地项目给予最高 200 万元资助，三年租金减免。", is_demo=True,
        ))  # fmt: skip
    AcceptanceList.objects.bulk_create(lists)
    contracts = _contracts(rng, providers, enterprises)
    Contract.objects.bulk_create(contracts, batch_size=500)
    first = lambda orgs, p: next(iter(_in(p, orgs)), None)  # noqa: E731
    universities = [o for o in providers if o.kind == OrgKind.UNIVERSITY and "职业" not in o.name]
    _accounts({"uni_bj": first(universities, "110000"), "ent_hb": first(enterprises, "130000"),
               "park_hb": first(parks, "130000")})  # fmt: skip
    return len(achievements), len(demands), len(lists), len(contracts)


def load(*, seed: int = SEED) -> str:
    """Create the demo listings and contracts once (a second run changes nothing), then reindex."""
    if Achievement.objects.filter(is_demo=True).exists():
        return "技术交易演示数据已存在，未重复写入"
    a, d, lists, c = _create(seed)
    for kind in search.INDEXED_KINDS:
        search.rebuild(kind)
    return (
        f"科技成果 {a} 项、技术需求 {d} 项、承接清单 {lists} 份、技术合同 {c} 份（演示数据）；匹配索引已重建"
    )
