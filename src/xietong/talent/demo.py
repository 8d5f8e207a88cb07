"""Deterministic, idempotent demo data for talent and experts (labelled demo).

~2,000 profiles at the demo organisations of the three zones, their expertise and keywords taken from real
paper titles and author keywords of the CSL corpus (Apache-2.0, `data/csl_topics.json`) in each person's
discipline; names, phones and e-mails are generated. ~300 experts admitted by their provincial bureaus, the
成渝 zone sharing its pool, the 天府英才卡 and 重庆英才服务卡 with illustrative services (the official list of
the 川渝 "8 项服务" is not public), a 川渝 recognition agreement each way with a second version starting
next month, a 京津冀 职称 recognition agreement, part-time appointments, one finished review round and one
awaiting the demo expert's answer. Accounts: bureau_sc / bureau_cq / expert (from the orgs demo).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from xietong.core import clock
from xietong.core.actor import SYSTEM, actor_for
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation
from xietong.talent import services
from xietong.talent.disciplines import CATEGORY_OF
from xietong.talent.enums import AppointmentStatus, AssignMode, SeatStatus, TitleRank
from xietong.talent.models import Appointment, ExpertEntry, ReviewSeat, TalentProfile, ZoneSharing

SEED = 15
PROFILES = 2000
EXPERTS = 300
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志明海燕文博宇轩浩然思远晨曦子涵雨桐嘉怡"
SERVICES = [
    ("子女入学", "子女在服务地就读义务教育阶段学校，按当地人才政策统筹安排"),
    ("医疗保健", "指定医院绿色通道、年度健康体检"),
    ("交通出行", "机场、高铁站贵宾通道"),
    ("安居保障", "人才公寓或租房补贴"),
    ("出入境与停居留", "外籍人才签证与居留便利"),
    ("配偶就业", "配偶就业协助推荐"),
    ("创业扶持", "创业场地与融资对接"),
    ("文旅服务", "景区、文化场馆优惠"),
]
EXTRA_ACCOUNTS = [
    ("expert", "专家", "共享专家库中的评审专家：在“我的评审”中接受或谢绝邀请，谢绝只重抽该席位"),
]


def _topics() -> dict[str, list]:
    path = Path(__file__).with_name("data") / "csl_topics.json"
    return json.loads(path.read_text(encoding="utf-8"))["by_discipline"]


def _orgs() -> list[Organisation]:
    kinds = [OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE, OrgKind.TECH_CENTRE]
    return list(
        Organisation.objects.filter(kind__in=kinds, status=OrgStatus.APPROVED).order_by("id")
    )  # fmt: skip


def _profiles(rng: random.Random, orgs: list[Organisation]) -> list[TalentProfile]:
    topics = _topics()
    disciplines = sorted(topics)
    titles = [
        TitleRank.SENIOR,
        TitleRank.VICE_SENIOR,
        TitleRank.VICE_SENIOR,
        TitleRank.INTERMEDIATE,
        TitleRank.JUNIOR,
    ]
    rows = []
    for i in range(PROFILES):
        org = orgs[i % len(orgs)]
        discipline = disciplines[(i * 7 + rng.randrange(3)) % len(disciplines)]
        picks = rng.sample(topics[discipline], k=min(2, len(topics[discipline])))
        keywords = list(dict.fromkeys(k for _, kws in picks for k in kws))[:8]
        rank = (
            titles[rng.randrange(len(titles))] if org.kind != OrgKind.ENTERPRISE else rng.choice(titles[1:])
        )
        rows.append(TalentProfile(
            name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))), organisation=org,
            region_id=org.region_id, discipline=discipline, title_rank=rank,
            tier=rng.choice(["", "", "", "E", "D", "C", "B", "A"]),
            position=rng.choice(["教授", "研究员", "高级工程师", "副教授", "工程师", "首席科学家", ""]),
            expertise="；".join(t for t, _ in picks) + f"（{CATEGORY_OF[discipline]}·{discipline}，演示数据）",
            keywords=keywords, phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
            email=f"talent{i + 1}@demo.xietong.cn",
        ))  # fmt: skip
    return TalentProfile.objects.bulk_create(rows, batch_size=500)


def _province(code: str) -> str:
    return code[:2] + "0000"


def _experts(rng: random.Random, profiles: list[TalentProfile]) -> list[ExpertEntry]:
    senior = [p for p in profiles if p.title_rank in (TitleRank.SENIOR, TitleRank.VICE_SENIOR)]
    rng.shuffle(senior)
    chosen = sorted(senior[:EXPERTS], key=lambda p: p.pk)
    today = clock.today()
    rows = [
        ExpertEntry(profile=p, region_id=_province(p.region_id), fields=[CATEGORY_OF[p.discipline], p.discipline],
                    term_start=today.replace(month=1, day=1), term_end=today.replace(year=today.year + 2, month=12, day=31),
                    yearly_cap=rng.choice([10, 15, 20]))
        for p in chosen
    ]  # fmt: skip
    return ExpertEntry.objects.bulk_create(rows, batch_size=500)


def _schemes():
    tianfu = services.scheme_create(
        actor=SYSTEM, name="天府英才卡", region_code="510000",
        tiers=[("A", "A 卡"), ("B", "B 卡"), ("C", "C 卡"), ("D", "D 卡")],
        services=[{"name": n, "detail": d, "min_tier": "ABCDDBCD"[i], "article": f"服务细则第 {i + 3} 条（示例）"}
                  for i, (n, d) in enumerate(SERVICES)],
        description="四川省高层次人才服务卡。服务清单为示例：川渝“8 项服务”的官方清单未公开。", is_illustrative=True,
    )  # fmt: skip
    chongqing = services.scheme_create(
        actor=SYSTEM, name="重庆英才服务卡", region_code="500000",
        tiers=[("A", "A 卡"), ("B", "B 卡"), ("C", "C 卡")],
        services=[{"name": n, "detail": d, "min_tier": "ABCCBCBC"[i], "article": f"服务办法第 {i + 4} 条（示例）"}
                  for i, (n, d) in enumerate(SERVICES)],
        description="重庆市英才服务卡。服务清单为示例。", is_illustrative=True,
    )  # fmt: skip
    hebei = services.scheme_create(
        actor=SYSTEM, name="河北省专业技术职称", region_code="130000", kind="title",
        tiers=[("ZG", "正高级"), ("FG", "副高级"), ("ZJ", "中级")],
        services=[{"name": "职称资格认可", "min_tier": "ZJ", "article": "职称评审管理办法（示例）"}],
        description="京津冀职称互认示例。", is_illustrative=True,
    )  # fmt: skip
    return tianfu, chongqing, hebei


def _agreements(tianfu, chongqing, hebei) -> None:
    today = clock.today()
    first = today.replace(month=1, day=1)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    eight = [name for name, _ in SERVICES]
    for scheme, host, title in ((tianfu, "500000", "川渝人才服务互认协议（天府英才卡在重庆，示例）"),
                                (chongqing, "510000", "川渝人才服务互认协议（重庆英才服务卡在四川，示例）")):  # fmt: skip
        agreement = services.agreement_create(actor=SYSTEM, scheme_id=scheme.pk, host_region_code=host, title=title,
                                              document="川渝人才服务互认协议（示例文本）")  # fmt: skip
        services.agreement_version_add(
            actor=SYSTEM, agreement_id=agreement.pk, effective_from=first,
            effective_to=next_month - dt.timedelta(days=1), min_tier="B",
            grants=[(n, f"第三条第（{'一二三四五六'[i]}）项") for i, n in enumerate(eight[:6])],
        )  # fmt: skip
        services.agreement_version_add(
            actor=SYSTEM, agreement_id=agreement.pk, effective_from=next_month, effective_to=None, min_tier="B",
            grants=[(n, f"第三条第（{'一二三四五六七八'[i]}）项") for i, n in enumerate(eight)],
            note="第二版：增加创业扶持与文旅服务（示例）",
        )  # fmt: skip
    agreement = services.agreement_create(actor=SYSTEM, scheme_id=hebei.pk, host_region_code="110000",
                                          title="京津冀职称资格互认协议（示例）")  # fmt: skip
    services.agreement_version_add(actor=SYSTEM, agreement_id=agreement.pk, effective_from=first, effective_to=None,
                                   min_tier="FG", grants=[("职称资格认可", "第二条"), ("岗位聘用", "第四条")])  # fmt: skip


def _cards(rng, tianfu, chongqing, profiles) -> None:
    for scheme, province, n in ((tianfu, "51", 40), (chongqing, "50", 30)):
        people = [p for p in profiles if p.region_id.startswith(province)][:n]
        for i, person in enumerate(people):
            code = "ABCD"[i % len(scheme.tier_list)] if scheme is tianfu else "ABC"[i % 3]
            services.card_issue(actor=SYSTEM, profile_id=person.pk, scheme_id=scheme.pk, tier_code=code,
                                number=f"{scheme.name[:2]}{2026}{i + 1:04d}（示例）")  # fmt: skip


def _appointments(rng, profiles, orgs) -> int:
    by_province: dict[str, list[Organisation]] = {}
    for org in orgs:
        by_province.setdefault(org.region_id[:2], []).append(org)
    pairs = {"51": "50", "50": "51", "11": "13", "13": "11", "31": "33", "33": "32", "32": "31", "12": "11"}
    today = clock.today()
    made = 0
    for person in profiles[::33]:
        hosts = by_province.get(pairs.get(person.region_id[:2], ""), [])
        if not hosts:
            continue
        host = rng.choice(hosts)
        status = AppointmentStatus.ACTIVE if made % 4 else AppointmentStatus.OFFERED
        Appointment.objects.create(
            profile=person, host_org=host, home_org=person.organisation, role=rng.choice(["兼职研究员", "产业教授", "技术顾问"]),
            start_on=today.replace(month=1, day=1), end_on=today.replace(year=today.year + 2, month=12, day=31),
            time_share=rng.choice([10, 20, 30]), status=status,
            answered_at=clock.now() if status == AppointmentStatus.ACTIVE else None,
        )  # fmt: skip
        made += 1
    return made


def _expert_account(pending) -> None:
    """The demo account `expert` is the person holding the first seat of the round awaiting answers."""
    user = get_user_model().objects.filter(username="expert").first()
    seat = ReviewSeat.objects.filter(item__round=pending).select_related("expert").order_by("id").first()
    if user is None or seat is None:
        return
    TalentProfile.objects.filter(user=user).update(user=None)
    TalentProfile.objects.filter(pk=seat.expert.profile_id).update(user=user)


def _proposals(orgs, n, offset) -> list[dict]:
    topics = _topics()
    names = sorted(topics)
    sichuan = [o for o in orgs if o.region_id.startswith(("51", "50"))]
    out = []
    for i in range(n):
        org = sichuan[(i + offset) % len(sichuan)]
        title, keywords = topics[names[(i * 5 + offset) % len(names)]][0]
        out.append({"title": f"{title}（演示项目）", "text": "、".join(keywords), "applicant_name": org.name,
                    "applicant_region": org.region_id, "credit_code": org.credit_code})  # fmt: skip
    return out


def _rounds(orgs):
    bureau_user = get_user_model().objects.filter(username="bureau_sc").first()
    bureau = actor_for(bureau_user) if bureau_user else SYSTEM
    finished = services.round_open(actor=bureau, spec=services.RoundSpec(
        title="2026 年四川省科技成果评价专家评审（已完成，演示）", region_code="510000", k=3, cap=3,
        mode=AssignMode.OPTIMAL, min_other_region=1, proposals=_proposals(orgs, 8, 0)))  # fmt: skip
    services.round_assign(actor=bureau, round_id=finished.pk)
    ReviewSeat.objects.filter(item__round=finished).update(
        status=SeatStatus.ACCEPTED, answered_at=clock.now()
    )
    services.round_close(actor=bureau, round_id=finished.pk)
    pending = services.round_open(actor=bureau, spec=services.RoundSpec(
        title="2026 年川渝氢能与新材料联合评审（待专家答复，演示）", region_code="510000", k=3, cap=4,
        mode=AssignMode.RANDOM, seed=20261205, proposals=_proposals(orgs, 6, 3)))  # fmt: skip
    services.round_assign(actor=bureau, round_id=pending.pk)
    return pending


@transaction.atomic
def _create(seed: int) -> str:
    rng = random.Random(seed)
    orgs = _orgs()
    if not orgs:
        return "没有已认证的机构，未生成人才演示数据"
    profiles = _profiles(rng, orgs)
    experts = _experts(rng, profiles)
    ZoneSharing.objects.update_or_create(zone=_zone("chengyu"), defaults={"shares_experts": True})
    tianfu, chongqing, hebei = _schemes()
    _agreements(tianfu, chongqing, hebei)
    from xietong.talent import selectors

    tianfu = selectors.scheme_get(actor=SYSTEM, scheme_id=tianfu.pk)
    chongqing = selectors.scheme_get(actor=SYSTEM, scheme_id=chongqing.pk)
    _cards(rng, tianfu, chongqing, profiles)
    appointments = _appointments(rng, profiles, orgs)
    _expert_account(_rounds(orgs))
    return (f"人才档案 {len(profiles)} 份、库内专家 {len(experts)} 位、人才卡制度 3 个、互认协议 3 份、"
            f"柔性聘用 {appointments} 项、评审轮次 2 个（演示数据）")  # fmt: skip


def _zone(code: str):
    from xietong.regions.selectors import zone_get

    return zone_get(zone_id_or_code=code)


def load(*, seed: int = SEED) -> str:
    """Create the talent demo once (a second run changes nothing)."""
    if TalentProfile.objects.filter(email__endswith="@demo.xietong.cn").exists():
        return "人才与专家演示数据已存在，未重复写入"
    return _create(seed)
