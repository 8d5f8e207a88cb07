"""Deterministic demo organisations and accounts for the three big zones (labelled demo data)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from xietong.core import clock, demos
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs import credit_code, services
from xietong.orgs.enums import Industry, OrgKind, OrgStatus
from xietong.orgs.models import Membership, Organisation
from xietong.regions import selectors as region_selectors
from xietong.regions.enums import RegionLevel
from xietong.regions.models import Region

DEMO_PASSWORD = "xietong-demo"
SEED = 2026
ZONES = ("jjj", "chengyu", "yrd")
# Share of the demo organisations in each zone: 长三角 has the most, 成渝 the fewest (as on real platforms).
ZONE_SHARE = {"yrd": 0.47, "jjj": 0.31, "chengyu": 0.22}
# Two-character trade names, used whole (sampling single characters made names such as "工宏").
BRANDS = ["恒瑞", "华泰", "中科", "天启", "博远", "鼎新", "思源", "卓越", "汇智", "星辰", "凯达", "宏图", "瑞丰",
          "联创", "睿信", "精工", "海纳", "银河", "伟业", "宏达", "云帆", "启明", "立讯", "聚能", "国芯", "华辰",
          "东方", "金桥", "蓝海", "嘉诚", "远景", "拓普", "安捷", "致远", "明德", "同创"]  # fmt: skip
INDUSTRY_TERMS = {
    Industry.AUTOMOTIVE: ["汽车零部件", "新能源汽车", "智能网联汽车", "汽车电子"],
    Industry.ELECTRONICS: ["电子信息", "智能终端", "物联网", "电子元器件"],
    Industry.EQUIPMENT: ["智能装备", "精密机械", "数控机床", "工业机器人"],
    Industry.BIOMEDICINE: ["生物医药", "医疗器械", "生物技术", "创新药"],
    Industry.IC: ["集成电路", "半导体", "芯片设计", "微电子"],
    Industry.AI: ["人工智能", "智能科技", "机器视觉", "大数据"],
    Industry.TEXTILE: ["丝绸", "纺织科技", "新型纤维", "时尚面料"],
    Industry.OPTOELECTRONICS: ["光电", "光通信", "激光技术", "光电子"],
    Industry.NEW_MATERIALS: ["新材料", "高分子材料", "复合材料", "先进陶瓷"],
    Industry.NEW_ENERGY: ["新能源", "储能技术", "光伏科技", "氢能"],
}
FIELDS = [
    "先进制造",
    "信息技术",
    "生物医学",
    "新材料",
    "智能制造",
    "环境科学",
    "能源",
    "集成电路",
    "人工智能",
    "光电",
]
KIND_PLAN = [  # (kind, share of 360, authority+category for the credit code)
    (OrgKind.ENTERPRISE, 190, "91"),
    (OrgKind.UNIVERSITY, 30, "12"),
    (OrgKind.INSTITUTE, 36, "12"),
    (OrgKind.TESTING, 34, "12"),
    (OrgKind.TECH_CENTRE, 24, "91"),
    (OrgKind.PARK, 18, "11"),
    (OrgKind.SERVICE, 20, "52"),
    (OrgKind.GOVERNMENT, 8, "11"),
]
# The demo accounts are members of "the first approved <kind> in <region>": these slots guarantee one exists.
# uni_bj (a university in 北京), ent_hb (an enterprise in 河北) and park_hb (a park in 河北) of the marketplace demo
# need theirs too.
ANCHORS = {
    (OrgKind.ENTERPRISE, 0): ("yrd", "3304"), (OrgKind.UNIVERSITY, 0): ("yrd", "31"),
    (OrgKind.UNIVERSITY, 1): ("jjj", "11"), (OrgKind.ENTERPRISE, 1): ("jjj", "13"), (OrgKind.PARK, 0): ("jjj", "13"),
}  # fmt: skip
SERIAL_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    scope: str  # region code, zone code or organisation credit code ("" for platform-wide)
    note: str


def _city_of(region: Region) -> Region:
    while (
        region.parent_id
        and region.level == RegionLevel.COUNTY
        and region.parent.level != RegionLevel.PROVINCE
    ):
        region = region.parent
    return region


def _name(
    rng: random.Random, kind: str, city: str, province: str, industry: str, *, anchor: bool = False
) -> str:
    """An organisation name as registered; a word the template repeats ("生物技术" + "技术研究所") appears once."""
    return re.sub(r"(..)\1", r"\1", _raw_name(rng, kind, city, province, industry, anchor=anchor))


def _raw_name(rng: random.Random, kind: str, city: str, province: str, industry: str, *, anchor: bool) -> str:
    brand = rng.choice(BRANDS)
    term = rng.choice(INDUSTRY_TERMS.get(industry, ["科技"]))
    field = rng.choice(FIELDS)
    match kind:
        case OrgKind.ENTERPRISE:
            endings = ["有限公司", "股份有限公司"] + ([] if term.endswith("科技") else ["科技有限公司"])
            return f"{city}{brand}{term}{rng.choice(endings)}"
        case OrgKind.UNIVERSITY if anchor:
            return f"{city}{brand}大学"
        case OrgKind.UNIVERSITY:
            return rng.choice(
                [
                    f"{city}{brand}大学",
                    f"{city}理工学院{brand}校区",
                    f"{province}{field}职业技术大学",
                    f"{city}{brand}学院",
                ]
            )
        case OrgKind.INSTITUTE:
            return rng.choice(
                [f"{city}{field}研究院", f"{province}{term}技术研究所", f"{city}{brand}{field}创新研究院"]
            )
        case OrgKind.TESTING:
            return rng.choice(
                [
                    f"{city}{term}产品质量检验检测中心",
                    f"{province}{field}计量测试研究院{city}分院",
                    f"{city}{brand}检测技术有限公司",
                ]
            )
        case OrgKind.TECH_CENTRE:
            return f"{city}{brand}{term}有限公司技术中心"
        case OrgKind.PARK:
            return rng.choice([f"{city}{brand}高新技术产业园", f"{city}{term}产业园", f"{city}{brand}科技城"])
        case OrgKind.SERVICE:
            return rng.choice(
                [
                    f"{city}{brand}技术转移中心",
                    f"{city}{brand}知识产权服务有限公司",
                    f"{city}{field}科技服务中心",
                ]
            )
        case _:
            return f"{city}科学技术局（{brand}办公室）"


def _counties(zone_code: str) -> list[Region]:
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    codes = region_selectors.zone_region_codes(zone)
    return list(
        Region.objects.filter(code__in=codes, level=RegionLevel.COUNTY)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )


def build_organisations(rng: random.Random) -> list[Organisation]:
    pools = {z: _counties(z) for z in ZONES}
    industries = list(INDUSTRY_TERMS)
    orgs: list[Organisation] = []
    seen: set[str] = set()
    for kind, count, prefix in KIND_PLAN:
        for i in range(count):
            pool = pools[rng.choices(list(ZONE_SHARE), weights=list(ZONE_SHARE.values()))[0]]
            anchor = ANCHORS.get((kind, i))
            if anchor:
                pool = [r for r in pools[anchor[0]] if r.code.startswith(anchor[1])]
            region = rng.choice(pool)
            city = _city_of(region)
            province = (
                region.parent.parent if region.parent and region.parent.parent else region.parent or region
            )
            industry = rng.choice(industries)
            # in 北京/上海/天津/重庆 names carry the municipality ("上海…大学"), not the district
            in_municipality = city.level == RegionLevel.COUNTY
            place = province.short_name if in_municipality else city.short_name
            name = _name(rng, kind, place, province.short_name, industry, anchor=anchor is not None)
            while name in seen:
                name = name.replace("有限公司", "有限责任公司") if "有限公司" in name else name + "（二部）"
            seen.add(name)
            serial = "".join(rng.choice(SERIAL_CHARS) for _ in range(8))
            status = OrgStatus.PENDING if (kind == OrgKind.ENTERPRISE and i % 16 == 5) else OrgStatus.APPROVED
            orgs.append(
                Organisation(
                    name=name, kind=kind, region=region, industry=industry, status=status,
                    credit_code=credit_code.make(authority=prefix[0], category=prefix[1], region_code=region.code, serial=serial),
                    is_high_tech=kind == OrgKind.ENTERPRISE and rng.random() < 0.45,
                    is_tech_sme=kind == OrgKind.ENTERPRISE and rng.random() < 0.6,
                    is_little_giant=kind == OrgKind.ENTERPRISE and rng.random() < 0.12,
                    address=f"{province.name}{city.name if city != province else ''}{region.name}{rng.choice(['创新', '科技', '学府', '高新', '未来'])}路{rng.randint(1, 999)}号",
                    description=f"{name}主要从事{INDUSTRY_TERMS[industry][0]}领域的研发与服务。",
                    contact_name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "杰"]),
                    contact_phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
                    contact_email=f"contact{len(orgs) + 1}@demo.xietong.cn",
                )
            )  # fmt: skip
    return orgs


DEMO_ACCOUNTS = [
    DemoAccount("admin", "平台管理员", Role.PLATFORM_ADMIN, "", "全平台；也可登录 /admin/"),
    DemoAccount("zone_jjj", "京津冀协同办", Role.ZONE_OFFICE, "jjj", "京津冀协同区办公室：跨区只读"),
    DemoAccount("zone_yrd", "长三角合作办", Role.ZONE_OFFICE, "yrd", "长三角区域合作办公室：跨区只读"),
    DemoAccount(
        "bureau_sc", "四川省科技厅", Role.REGION_BUREAU, "510000", "四川省科技主管部门：审核本省注册"
    ),
    DemoAccount("bureau_cq", "重庆市科技局", Role.REGION_BUREAU, "500000", "重庆市科技主管部门"),
    DemoAccount("bureau_jx", "嘉兴市科技局", Role.REGION_BUREAU, "330400", "嘉兴市科技主管部门"),
    DemoAccount("bureau_sh", "上海市科委", Role.REGION_BUREAU, "310000", "上海市科技主管部门"),
    DemoAccount("bureau_hb", "河北省科技厅", Role.REGION_BUREAU, "130000", "河北省科技主管部门"),
    DemoAccount("org_admin", "企业管理员", Role.ORG_ADMIN, "first:enterprise:330400", "嘉兴一家企业的管理员"),
    DemoAccount(
        "org_pending",
        "待审核企业用户",
        Role.ORG_ADMIN,
        "pending:enterprise:",
        "一家待审核企业的管理员：审核通过前不能发布、下单、申领或提交意向",
    ),
    DemoAccount(
        "org_member", "高校科研人员", Role.ORG_MEMBER, "first:university:310000", "上海一所高校的成员"
    ),
    DemoAccount(
        "org_suspended",
        "暂停企业用户",
        Role.ORG_ADMIN,
        "suspended:enterprise:330400",
        "一家被嘉兴市科技局暂停的企业的管理员：可登录查看，页面顶部说明暂停理由与联系部门，不能办理新业务",
    ),
    DemoAccount("expert", "评审专家", Role.EXPERT, "", "共享专家库中的专家"),
]


def _scope_org(spec: str) -> Organisation:
    which, kind, region = spec.split(":")
    if which == "suspended":  # the one suspended demo organisation (approved until `_suspend_one` runs)
        return Organisation.objects.get(credit_code=SUSPENDED["credit_code"])
    status = OrgStatus.PENDING if which == "pending" else OrgStatus.APPROVED
    orgs = Organisation.objects.filter(kind=kind, status=status)
    if region:
        orgs = orgs.filter(region_id__in=region_selectors.region_descendant_codes(region))
    org = orgs.order_by("id").first()
    if org is None:
        raise RuntimeError(f"demo data has no {status} {kind} in {region or 'any region'}")
    return org


def ensure_accounts() -> list[DemoAccount]:
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"first_name": account.display_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = account.role == Role.PLATFORM_ADMIN
            user.save()
        scope: dict = {}
        if account.role == Role.REGION_BUREAU:
            scope["region_id"] = account.scope
        elif account.role == Role.ZONE_OFFICE:
            scope["zone"] = region_selectors.zone_get(zone_id_or_code=account.scope)
        elif account.role in (Role.ORG_ADMIN, Role.ORG_MEMBER):
            scope["organisation"] = _scope_org(account.scope)
        Membership.objects.get_or_create(
            user=user, role=account.role, **scope, defaults={"title": account.display_name}
        )
    return DEMO_ACCOUNTS


# One enterprise suspended by the 嘉兴 bureau twelve days before "today", with a reason the way bureaus word it.
# Made apart from the 360 generated ones and suspended before the other apps' demos run, so they (which pick
# approved organisations) build exactly what they built before it existed.
SUSPENDED = {
    "name": "嘉兴禾城精密模具有限公司",
    "credit_code": credit_code.make(region_code="330411", serial="MA2J8K3X"),
    "region_id": "330411",  # 嘉兴市秀洲区
    "industry": Industry.EQUIPMENT,
    "address": "浙江省嘉兴市秀洲区洪合镇工业园区 18 号",
    "description": "从事精密注塑模具、冲压模具的设计与制造。",
    "contact_name": "沈国平",
    "contact_phone": "13957312846",
    "contact_email": "contact@hecheng-mould.demo.xietong.cn",
}
SUSPENSION_REASON = (
    "经市场监管部门通报，该企业因未按期公示年度报告被列入经营异常名录；"
    "完成公示并移出名录后，可向嘉兴市科技局申请恢复"
)
SUSPENDED_DAYS_AGO = 12
APPROVED_DAYS_AGO = 230


def _suspended_org() -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        credit_code=SUSPENDED["credit_code"],
        defaults={
            **{k: v for k, v in SUSPENDED.items() if k != "credit_code"},
            "kind": OrgKind.ENTERPRISE,
            "status": OrgStatus.APPROVED,
            "is_tech_sme": True,
            "reviewed_at": clock.now() - timedelta(days=APPROVED_DAYS_AGO),
        },
    )
    return org


def _suspend_one(org: Organisation) -> None:
    """Through the service, as the 嘉兴 bureau, so the reason, the date and the audit trail are the real ones."""
    if org.status != OrgStatus.APPROVED:
        return  # already suspended by an earlier load (or reinstated by hand: leave the operator's choice)
    bureau = actor_for(get_user_model().objects.get(username="bureau_jx"))
    with demos.dated(clock.now() - timedelta(days=SUSPENDED_DAYS_AGO)):
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note=SUSPENSION_REASON)


@transaction.atomic
def load(*, seed: int = SEED) -> str:
    """Create the demo organisations (skipping any whose credit code exists) and the demo accounts."""
    rng = random.Random(seed)
    orgs = build_organisations(rng)
    existing = set(
        Organisation.objects.filter(credit_code__in=[o.credit_code for o in orgs]).values_list(
            "credit_code", flat=True
        )
    )
    fresh = [o for o in orgs if o.credit_code not in existing]
    now = clock.now()
    for org in fresh:
        if org.status == OrgStatus.APPROVED:
            org.reviewed_at = now
    Organisation.objects.bulk_create(fresh, batch_size=500)
    suspended = _suspended_org()
    ensure_accounts()
    _suspend_one(suspended)
    return f"新增 {len(fresh)} 家机构；演示账号已就绪；{suspended.name}已暂停"
