"""Demo data of the chains app (deterministic, idempotent, labelled demo).

1. The six preset chains.
2. The demo organisations' own links: each approved demo organisation is matched against the segments
   by its name and description (the same suggestion engine users get); four in five links are confirmed
   by the bureau, the rest wait in the bureaus' queues as suggestions.
3. A seeded synthetic scale-out so that the maps look real and the gaps differ by region: about 2,500
   demo enterprises in the members of 京津冀, 成渝 and 长三角, about 10,000 links in all, drawn from a
   specialisation profile per member (a few chains and segments it is strong in). 重庆 is given a strong
   热管理系统 and 稀土永磁材料 that 成都 lacks, so 成都's 新能源汽车 map shows a 补链 at once.
4. Yearly measures for a third of the links, and a 新能源汽车 / 集成电路 roadmap for 成渝.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from xietong.chains import services, suggest
from xietong.chains.enums import AttachmentRole, AttachmentSource, AttachmentStatus
from xietong.chains.models import Attachment, AttachmentMeasure, Chain, Milestone, Segment
from xietong.core import explanations
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.orgs import credit_code
from xietong.orgs import services as org_services
from xietong.orgs.demo import BRANDS, DEMO_PASSWORD, SERIAL_CHARS
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation
from xietong.regions import selectors as region_selectors
from xietong.regions.enums import RegionLevel
from xietong.regions.models import Region, Zone

SEED = 2026
ZONE_FIRMS = {"jjj": 720, "chengyu": 1150, "yrd": 1050}  # synthetic enterprises per zone
YEARS = (2023, 2024, 2025)
CHAIN_INDUSTRY = {
    "nev": "automotive",
    "ic": "ic",
    "bio": "biomedicine",
    "ai": "ai",
    "ei": "electronics",
    "eq": "equipment",
}
# Hand-set strengths on top of the random profiles (member → {(chain, segment): weight}); 0 keeps a member out.
PINNED = {
    "500000": {("nev", "M07"): 9.0, ("nev", "U06"): 7.0, ("nev", "D01"): 6.0, ("nev", "M06"): 5.0},
    "510100": {
        ("nev", "M07"): 0.0,
        ("nev", "U06"): 0.0,
        ("nev", "M01"): 6.0,
        ("ic", "M01"): 5.0,
        ("ai", "M03"): 4.0,
    },
    "510700": {("nev", "U07"): 5.0, ("ei", "M01"): 5.0},
}
EXTRA_ACCOUNTS = [
    ("bureau_cd", "地区科技主管部门", "成都市科技局：新能源汽车产业链图谱、补链清单与推荐、导出 Excel/PDF"),
    (
        "zone_cy",
        "协同区办公室",
        "成渝协同办（川渝联席会议办公室）：产业链完整度与互补性、缺链阈值、技术路线图；议定事项、督办看板与通报",
    ),
]


def load(*, seed: int = SEED) -> str:
    services.chain_presets_load(actor=SYSTEM)
    _accounts()
    if Attachment.objects.filter(is_demo=True).exists():
        return "产业链演示数据已存在，未重复写入"
    rng = random.Random(seed)
    with transaction.atomic():
        own = _own_links(rng)
        firms, links = _scale_out(rng)
        measures = _measures(rng)
        milestones = _roadmap()
    return (f"六条预置产业链；演示机构挂链 {own} 条；扩展演示企业 {firms} 家、挂链 {links} 条；"
            f"年度数据 {measures} 条；技术路线图里程碑 {milestones} 个")  # fmt: skip


def _accounts() -> None:
    User = get_user_model()
    specs = [("bureau_cd", "成都市科技局", {"role": Role.REGION_BUREAU, "region_code": "510100"}),
             ("zone_cy", "成渝协同办", {"role": Role.ZONE_OFFICE, "zone_id": Zone.objects.get(code="chengyu").pk})]  # fmt: skip
    for username, name, scope in specs:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            org_services.membership_grant(actor=SYSTEM, user=user, title=name, **scope)


def _own_links(rng: random.Random) -> int:
    orgs = list(
        Organisation.objects.filter(status=OrgStatus.APPROVED)
        .exclude(description__contains="产业链扩展")
        .order_by("id")
    )
    rows = []
    for org in orgs:
        for i, hit in enumerate(suggest.suggest_segments(org, k=2)):
            pending = rng.random() < 0.2
            rows.append(Attachment(
                organisation=org, segment_id=int(hit.id), region_id=org.region_id,
                role=AttachmentRole.PRIMARY if i == 0 else AttachmentRole.SECONDARY,
                source=AttachmentSource.SUGGESTED if pending else AttachmentSource.BUREAU,
                status=AttachmentStatus.PENDING if pending else AttachmentStatus.ACTIVE, is_bureau_confirmed=not pending,
                score=round(hit.score, 4), reason=("根据机构名称与简介匹配：" + hit.explanation.render_zh())[:300],
                why=explanations.parts(hit.explanation), is_demo=True,
            ))  # fmt: skip
    Attachment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _counties(member: str) -> list[Region]:
    codes = region_selectors.region_descendant_codes(member)
    found = list(Region.objects.filter(code__in=codes, level=RegionLevel.COUNTY).order_by("code"))
    return found or list(Region.objects.filter(code=member))


def _profile(rng: random.Random, member: str, segments: list[Segment]) -> list[float]:
    """A member's appetite per segment: two or three favourite chains, a few favourite segments, pinned values."""
    chains = sorted({s.chain.code for s in segments})
    favourites = set(rng.sample(chains, rng.choice((2, 3))))
    weights = []
    for s in segments:
        w = rng.gammavariate(0.6, 1.0) * (3.0 if s.chain.code in favourites else 0.6)
        if rng.random() < 0.25:
            w = 0.0  # some segments a member simply does not have
        weights.append(PINNED.get(member, {}).get((s.chain.code, s.code), w))
    return weights


def _scale_out(rng: random.Random) -> tuple[int, int]:
    segments = list(Segment.objects.select_related("chain").order_by("id"))
    orgs, picks = [], []
    for zone_code, firms in ZONE_FIRMS.items():
        members = region_selectors.zone_members(Zone.objects.get(code=zone_code))
        share = [3.0 if m.code in ("500000", "510100") else 1.0 for m in members]
        per = [max(8, round(firms * s / sum(share))) for s in share]
        for member, n in zip(members, per, strict=True):
            counties = _counties(member.code)
            weights = _profile(rng, member.code, segments)
            for _ in range(n):
                chosen = _choose(rng, segments, weights, rng.choice((2, 3, 4, 5, 6)))
                if not chosen:
                    continue
                first = segments[chosen[0]]
                region = rng.choice(counties)
                name = f"{member.short_name}{''.join(rng.sample(BRANDS, 2))}{first.name.replace(' ', '')}科技有限公司"
                serial = "".join(rng.choice(SERIAL_CHARS) for _ in range(8))
                orgs.append(Organisation(
                    name=name[:120], kind=OrgKind.ENTERPRISE, region=region, industry=CHAIN_INDUSTRY[first.chain.code],
                    status=OrgStatus.APPROVED, credit_code=credit_code.make(region_code=region.code, serial=serial),
                    description=f"{name}从事{first.chain.name}产业链“{first.name}”等环节的研发与生产。（演示数据·产业链扩展）",
                    is_tech_sme=rng.random() < 0.5,
                ))  # fmt: skip
                picks.append(chosen)
    seen_codes = set(Organisation.objects.values_list("credit_code", flat=True))
    seen_names = set(Organisation.objects.values_list("name", flat=True))
    fresh, fresh_picks = [], []
    for org, chosen in zip(orgs, picks, strict=True):
        if org.credit_code in seen_codes:
            continue
        while org.name in seen_names:
            org.name = (
                org.name.replace("有限公司", "有限责任公司", 1)
                if "有限责任" not in org.name
                else org.name + "（二）"
            )
        seen_codes.add(org.credit_code)
        seen_names.add(org.name)
        fresh.append(org)
        fresh_picks.append(chosen)
    Organisation.objects.bulk_create(fresh, batch_size=1000)
    saved = {
        o.credit_code: o.pk
        for o in Organisation.objects.filter(credit_code__in=[o.credit_code for o in fresh])
    }
    links = []
    for org, chosen in zip(fresh, fresh_picks, strict=True):
        for i, j in enumerate(chosen):
            links.append(Attachment(
                organisation_id=saved[org.credit_code], segment_id=segments[j].pk, region_id=org.region_id,
                role=AttachmentRole.PRIMARY if i == 0 else AttachmentRole.SECONDARY, source=AttachmentSource.BUREAU,
                status=AttachmentStatus.ACTIVE, is_bureau_confirmed=True, is_demo=True,
            ))  # fmt: skip
    Attachment.objects.bulk_create(links, batch_size=2000)
    _spread_over_years(rng)
    return len(fresh), len(links)


def _choose(rng: random.Random, segments: list[Segment], weights: list[float], k: int) -> list[int]:
    """k distinct segments drawn by weight, the first one (主营) first; the rest lean to the same chain."""
    if sum(weights) <= 0:
        return []
    first = rng.choices(range(len(segments)), weights=weights)[0]
    chain = segments[first].chain_id
    local = [w * (4.0 if segments[i].chain_id == chain else 0.3) for i, w in enumerate(weights)]
    chosen = [first]
    for _ in range(k - 1):
        i = rng.choices(range(len(segments)), weights=local)[0]
        if i not in chosen:
            chosen.append(i)
    return chosen


def _spread_over_years(rng: random.Random) -> None:
    """Links were made over three years (the platform indicators count them by year)."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for pk in Attachment.objects.filter(is_demo=True).values_list("pk", flat=True):
        by_year[rng.choice(YEARS)].append(pk)
    for year, pks in by_year.items():
        moment = dt.datetime(year, 6, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        for start in range(0, len(pks), 900):
            Attachment.objects.filter(pk__in=pks[start : start + 900]).update(created_at=moment)


def _measures(rng: random.Random) -> int:
    rows = []
    for pk in Attachment.objects.filter(is_demo=True, status=AttachmentStatus.ACTIVE).values_list(
        "pk", flat=True
    ):
        if rng.random() < 0.33:
            employees = int(rng.lognormvariate(4.5, 1.0)) + 5
            revenue = employees * rng.randint(40, 160) * 10_000 * 100  # 分: 40–160 万元 per head
            rows.append(AttachmentMeasure(attachment_id=pk, year=2025, employees=employees, revenue_fen=revenue,
                                          output_fen=int(revenue * rng.uniform(0.9, 1.3))))  # fmt: skip
    AttachmentMeasure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


ROADMAP = [
    ("nev", 2026, "M07", "电池热管理系统液冷板国产化与成渝联合验证", ["500000", "510100"]),
    ("nev", 2027, "M01", "固态电池中试线在成渝双城建成投运", ["510100", "510600"]),
    ("nev", 2028, "M09", "L3 级智能驾驶系统跨区域道路测试互认", ["500000", "510100", "510700"]),
    ("ic", 2026, "M06", "碳化硅功率器件 8 英寸产线工艺贯通", ["500000", "510100"]),
    ("ic", 2028, "M08", "Chiplet 先进封装公共服务平台", ["510100", "510700"]),
]


def _roadmap() -> int:
    zone = Zone.objects.get(code="chengyu")
    made = 0
    for chain_code, year, segment, title, members in ROADMAP:
        chain = Chain.objects.get(code=chain_code)
        m = Milestone.objects.create(chain=chain, zone=zone, year=year, title=title, segment=Segment.objects.get(chain=chain, code=segment),
                                     description="由成渝两地联合攻关、分工推进。（演示数据）")  # fmt: skip
        m.responsible.set(members)
        made += 1
    return made
