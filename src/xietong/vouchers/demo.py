"""Deterministic demo voucher data (labelled 演示) at the scale of a real programme year.

Two programmes per big zone, one 通兑 and one 通用: 嘉兴 (通兑) and 长三角 (通用, issued by the zone office), 河北
(通兑) and 京津冀 (通用), 四川 (通兑) and 重庆 (通用). Each grants vouchers to the enterprises it covers (plus one
pending and one rejected application), and a few hundred orders on the resources demo's instruments and testing
services carry redemptions in every state: reserved, service done, claimed, publicised (some with an open
objection), paid, released (order cancelled or the firm withdrew), rejected, revoked (objection upheld), and one
order bundled by two firms.

The story is told in three waves, two and one months ago and this month, by moving the platform's clock
(`core.clock.travel_to`, so the services' timestamps and the ledger's entries carry their historic times); after each past month `settle`
runs for it, and the older month's statements are marked paid, so the demo shows real statements. Only the real
services write, so the ledger passes `xietong check-ledger`. A second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xietong.core import clock, demos
from xietong.core.actor import Actor, actor_for
from xietong.core.roles import Role
from xietong.orgs import credit_code
from xietong.orgs.demo import DEMO_PASSWORD
from xietong.orgs.enums import Industry, OrgKind, OrgStatus
from xietong.orgs.models import Membership, Organisation
from xietong.regions import selectors as region_selectors
from xietong.resources.demo import _order as build_order
from xietong.resources.enums import OpenStatus, OrderStatus
from xietong.resources.models import Resource, ServiceOrder
from xietong.vouchers import services
from xietong.vouchers.enums import Mode, ProviderScope, RedemptionStatus
from xietong.vouchers.models import Grant, Programme, Redemption, Statement
from xietong.vouchers.services.common import max_subsidy_fen, programme_region_codes
from xietong.vouchers.services.settlement import statements_generate

SEED = 2026
PDF = b"%PDF-1.4\n% demo evidence (\xe6\xbc\x94\xe7\xa4\xba)\n"
ORDERS_PER_PROGRAMME = 50
FIRMS_PER_PROGRAMME = 10
# the final state of a redemption in this month's wave, cycled through; past months are mostly paid
THIS_MONTH = ("reserved", "service_done", "claimed", "publicised", "objected", "paid", "released", "withdrawn",
              "rejected", "revoked", "paid", "publicised")  # fmt: skip
PAST_MONTH = ("paid",) * 7 + ("rejected", "revoked", "released")


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    mode: str
    bureau: str  # the demo account that issues it
    provider_zone: str
    region: str | None = None
    zone: str | None = None


# A programme reviewed in levels: the applicant's district bureau first (初审), then the city (复审, 核定金额).
LEVELLED = Plan("demo-jx-levels", "嘉兴市科技创新券（分级审核：区县初审 → 市复审）", Mode.TONGDUI, "bureau_jx", "yrd",
                region="330400")  # fmt: skip
COUNTY_BUREAU = "bureau_jx_county"
FATES = ("wait", "pass", "reject", "wait", "pass")  # of the district's firms' applications, in turn
EXTRA_ACCOUNTS = [
    (COUNTY_BUREAU, "地区科技主管部门", "嘉兴市南湖区科技局：分级审核创新券方案的区县初审"),
]

PLANS = (
    Plan("demo-jx-td", "嘉兴市科技创新券（通兑·长三角）", Mode.TONGDUI, "bureau_jx", "yrd", region="330400"),
    Plan("demo-yrd-ty", "长三角科技创新券（通用）", Mode.TONGYONG, "zone_yrd", "yrd", zone="yrd"),
    Plan("demo-hb-td", "河北省科技创新券（通兑·京津冀）", Mode.TONGDUI, "bureau_hb", "jjj", region="130000"),
    Plan("demo-jjj-ty", "京津冀科技创新券（通用）", Mode.TONGYONG, "zone_jjj", "jjj", zone="jjj"),
    Plan("demo-sc-cy", "四川省科技创新券（通兑·成渝）", Mode.TONGDUI, "bureau_sc", "chengyu", region="510000"),
    Plan("demo-cq-ty", "重庆市科技创新券（通用）", Mode.TONGYONG, "bureau_cq", "chengyu", region="500000"),
)  # fmt: skip


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Run as if it were `moment` (never later than now): the services' timestamps and entries carry that time."""
    with demos.dated(min(moment, clock.now())):
        yield


def _month_start(day: date, back: int) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Cast:
    """The demo's people: actors per user, cached; organisations without an admin get a demo admin."""

    def __init__(self):
        self.actors: dict[int, Actor] = {}
        self.by_org: dict[int, Actor] = {}
        self.slots: set[tuple[int, date]] = set()  # (resource, day) already booked by the demo
        self.users = {
            u.username: u for u in get_user_model().objects.filter(username__in={p.bureau for p in PLANS})
        }

    def bureau(self, plan: Plan) -> Actor:
        return self._actor(self.users[plan.bureau])

    def of(self, org: Organisation) -> Actor:
        if org.pk not in self.by_org:
            self.by_org[org.pk] = self._admin_of(org)
        return self.by_org[org.pk]

    def _admin_of(self, org: Organisation) -> Actor:
        membership = (
            Membership.objects.filter(organisation=org, role=Role.ORG_ADMIN, is_active=True)
            .select_related("user")
            .first()
        )
        user = membership.user if membership else None
        if user is None:
            user, _ = get_user_model().objects.get_or_create(
                username=f"demo_org_{org.pk}", defaults={"first_name": org.contact_name or "机构管理员"}
            )
            Membership.objects.get_or_create(user=user, role=Role.ORG_ADMIN, organisation=org)
        return self._actor(user)

    def _actor(self, user) -> Actor:
        if user.pk not in self.actors:
            self.actors[user.pk] = actor_for(user)
        return self.actors[user.pk]


def _programme(plan: Plan, actor: Actor, today: date, **extra) -> Programme:
    data = {
        "name": plan.name, "code": plan.code, "mode": plan.mode, "issuer_region": plan.region,
        "issuer_zone": plan.zone, "year": today.year, "budget_fen": 500_000_000,
        "applications_open_on": _month_start(today, 3), "applications_close_on": today + timedelta(days=60),
        "per_application_cap_fen": 20_000_000, "per_firm_year_cap_fen": 30_000_000, "subsidy_ratio_bp": 5000,
        "full_subsidy_below_fen": 200_000, "provider_scope": ProviderScope.ZONE, "provider_zone": plan.provider_zone,
        "use_deadline": today + timedelta(days=150), "redemption_deadline": today + timedelta(days=210),
        "publicity_days": 5, "forfeit_lapse_bp": 5000, **extra,
    }  # fmt: skip
    return services.programme_create(actor=actor, data=data)


LEVELLED_COUNTY = "330402"  # 嘉兴市南湖区
LEVELLED_FIRMS = ("嘉兴南湖云帆精密制造有限公司", "嘉兴南湖新禾生物科技有限公司", "嘉兴南湖智联电子有限公司",
                  "嘉兴南湖澄明光学有限公司", "嘉兴南湖远航新材料有限公司")  # fmt: skip


def _county_bureau() -> Actor:
    """The demo's district bureau (嘉兴市南湖区科技局), which gives the 初审 of the levelled programme."""
    user, created = get_user_model().objects.get_or_create(
        username=COUNTY_BUREAU, defaults={"first_name": "南湖区科技局"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(
        user=user, role=Role.REGION_BUREAU, region_id=LEVELLED_COUNTY, defaults={"title": "南湖区科技局"}
    )
    return actor_for(user)


def _county_firms() -> list[Organisation]:
    """Five verified enterprises of 南湖区 (the general demo has too few in one district for this story)."""
    firms = []
    for i, name in enumerate(LEVELLED_FIRMS):
        code = credit_code.make(region_code=LEVELLED_COUNTY, serial=f"5188{i:04d}")
        firm, _ = Organisation.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": name, "kind": OrgKind.ENTERPRISE, "region_id": LEVELLED_COUNTY, "status": OrgStatus.APPROVED,
                "industry": Industry.EQUIPMENT, "is_tech_sme": True, "reviewed_at": clock.now(),
                "address": f"浙江省嘉兴市南湖区科技城{101 + i}号", "contact_name": "王敏",
                "description": f"{name}从事研发与生产，申领创新券用于委托检验检测。",
            },
        )  # fmt: skip
        firms.append(firm)
    return firms


def _levelled_programme(cast: Cast, today: date) -> None:
    """Applications of the district's firms waiting at each level: at the district's 初审, passed on to the
    city's 复审, and one rejected by the district with its reason; each carries a PDF attachment."""
    district, city = _county_bureau(), cast.bureau(LEVELLED)
    with _clock(_at(today - timedelta(days=6), 9)):
        programme = _programme(LEVELLED, city, today, review_levels="county")
    firms = _county_firms()
    purposes = ("新产品型式试验", "材料成分与性能检测", "扫描电镜表征", "电磁兼容测试", "可靠性试验")
    for i, firm in enumerate(firms):
        with _clock(_at(today - timedelta(days=5 - i), 10)):
            application = services.application_submit(
                actor=cast.of(firm), programme_id=programme.pk, enterprise_id=firm.pk,
                amount_fen=(4 + i) * 1_000_000, purpose=purposes[i],
                files=[SimpleUploadedFile(f"申领材料-{i + 1}.pdf", PDF, content_type="application/pdf")],
            )  # fmt: skip
        if FATES[i] == "pass":
            with _clock(_at(today - timedelta(days=2), 15)):
                services.application_review(
                    actor=district,
                    application_id=application.pk,
                    approve=True,
                    note="材料齐全，同意报送市科技局",
                )
        elif FATES[i] == "reject":
            with _clock(_at(today - timedelta(days=2), 16)):
                services.application_review(
                    actor=district,
                    application_id=application.pk,
                    approve=False,
                    note="企业未在本区实际经营，不予推荐",
                )


def _firms(programme: Programme) -> list[Organisation]:
    codes = programme_region_codes(programme)
    return list(
        Organisation.objects.filter(region_id__in=codes, kind=OrgKind.ENTERPRISE, status=OrgStatus.APPROVED)
        .select_related("region")
        .order_by("id")[:FIRMS_PER_PROGRAMME]
    )


def _resources(zone_code: str) -> list[Resource]:
    zone = region_selectors.zone_get(zone_id_or_code=zone_code)
    return list(
        Resource.objects.filter(
            asset_code__startswith="DEMO-",
            open_status=OpenStatus.OPEN,
            region_id__in=region_selectors.zone_region_codes(zone),
        )
        .select_related("owner")
        .order_by("id")
    )


class Story:
    """One programme's year: grants, then orders whose vouchers end in the state their wave gives them."""

    def __init__(self, plan: Plan, cast: Cast, rng: random.Random, today: date):
        self.plan, self.cast, self.rng, self.today = plan, cast, rng, today
        self.bureau = cast.bureau(plan)
        self.slots = cast.slots  # shared: programmes of one zone book the same instruments
        self.count = 0

    def setup(self) -> None:
        with _clock(_at(_month_start(self.today, 2) - timedelta(days=5), 9)):
            self.programme = _programme(self.plan, self.bureau, self.today)
            self.firms = _firms(self.programme)
            self.grants = {
                firm.pk: self._grant(firm, self.rng.choice([8, 10, 12, 15, 20]) * 1_000_000)
                for firm in self.firms
            }
            if len(self.firms) >= 2:
                self._apply(self.firms[0], 5_000_000, "新产品型式试验")
                rejected = self._apply(self.firms[1], 3_000_000, "新材料性能检测（申请材料不全）")
                services.application_review(
                    actor=self.bureau,
                    application_id=rejected.pk,
                    approve=False,
                    note="缺少近一年财务报表，请补充后重新申请",
                )
        self.resources = _resources(self.plan.provider_zone)

    def _apply(self, firm: Organisation, fen: int, purpose: str):
        return services.application_submit(
            actor=self.cast.of(firm), programme_id=self.programme.pk, enterprise_id=firm.pk, amount_fen=fen,
            purpose=purpose,
        )  # fmt: skip

    def _grant(self, firm: Organisation, fen: int) -> Grant:
        application = self._apply(firm, fen, "委托检验检测与大型仪器测试")
        services.application_review(
            actor=self.bureau, application_id=application.pk, approve=True, note="符合条件"
        )
        return Grant.objects.get(application=application)  # the demo's own grant

    def order(self, firm: Organisation, day: date, *, resource: Resource | None = None) -> ServiceOrder:
        candidates = [r for r in self.resources if r.owner_id != firm.pk]
        resource = resource or self.rng.choice(candidates)
        start = _at(day, 19)  # evenings: the resources demo books daytime slots
        while (resource.pk, start.date()) in self.slots:
            start += timedelta(days=1)
        self.slots.add((resource.pk, start.date()))
        self.count += 1
        number = f"XTV{self.plan.code[5:].replace('-', '').upper()}{self.count:05d}"
        order = build_order(number, resource, firm, OrderStatus.CONFIRMED, start=start, hours=2, samples=2)
        order.note = "使用科技创新券抵扣的检测服务"
        order.save()
        return order

    def reserve(self, firm: Organisation, order: ServiceOrder, share: int = 100) -> Redemption:
        ceiling = max_subsidy_fen(self.programme, order.payable_fen) * share // 100
        fen = max(1, ceiling if self.rng.random() < 0.6 else ceiling * 3 // 4)
        return services.redemption_reserve(
            actor=self.cast.of(firm), grant_id=self.grants[firm.pk].pk, order_id=order.pk, amount_fen=fen,
            idempotency_key=f"demo-{order.number}-{firm.pk}",
        )  # fmt: skip

    def live(self, fate: str, day: date, *, bundle: bool = False) -> None:
        """One order from reservation to `fate`, its steps on the days after `day`."""
        firm = self.rng.choice(self.firms)
        with _clock(_at(day, 10)):
            order = self.order(firm, day + timedelta(days=1))
            redemptions = [self.reserve(firm, order, 50 if bundle else 100)]
            if bundle and len(self.firms) > 1:
                partner = next(f for f in self.firms if f.pk != firm.pk)
                services.bundle_invite(actor=self.cast.of(firm), order_id=order.pk, enterprise_id=partner.pk)
                redemptions.append(self.reserve(partner, order, 50))
        if fate == "reserved":
            return
        if fate == "withdrawn":
            with _clock(_at(day + timedelta(days=1), 9)):
                services.redemption_release(actor=self.cast.of(firm), redemption_id=redemptions[0].pk)
            return
        with _clock(_at(day + timedelta(days=1), 21)):
            self._finish(order, cancelled=fate == "released")
        if fate in ("released", "service_done"):
            return
        for redemption in redemptions:
            self._claim_onwards(redemption, fate, day)

    def _finish(self, order: ServiceOrder, *, cancelled: bool) -> None:
        now = clock.now()
        if cancelled:
            order.status, order.cancelled_at = OrderStatus.CANCELLED, now
            order.save(update_fields=["status", "cancelled_at"])
            services.on_order_cancelled(order=order)
            return
        order.status, order.started_at, order.delivered_at, order.completed_at = (
            OrderStatus.COMPLETED,
            now,
            now,
            now,
        )
        order.actual_minutes = 120 if order.starts_at else None
        order.actual_samples = order.sample_count or None
        order.actual_fen = order.quoted_fen if self.rng.random() < 0.8 else order.quoted_fen * 9 // 10
        order.save()
        services.on_order_completed(order=order)

    def _claimant(self, redemption: Redemption) -> Actor:
        org = redemption.provider if self.programme.mode == Mode.TONGDUI else redemption.enterprise
        return self.cast.of(org)

    def _claim_onwards(self, redemption: Redemption, fate: str, day: date) -> None:
        redemption = Redemption.objects.select_related("provider", "enterprise").get(pk=redemption.pk)
        if redemption.status != RedemptionStatus.SERVICE_DONE:
            return  # released in full when the final charge fell
        with _clock(_at(day + timedelta(days=2), 11)):
            files = [
                ("invoice", SimpleUploadedFile("发票.pdf", PDF)),
                ("report", SimpleUploadedFile("报告.pdf", PDF)),
            ]
            services.redemption_claim(
                actor=self._claimant(redemption), redemption_id=redemption.pk, files=files
            )
        if fate == "claimed":
            return
        review_day = day + timedelta(days=3)
        with _clock(_at(review_day, 15)):
            approve = fate != "rejected"
            note = "材料齐全" if approve else "发票抬头与企业名称不符（演示）"
            services.redemption_review(
                actor=self.bureau, redemption_id=redemption.pk, approve=approve, note=note
            )
        if fate in ("objected", "revoked"):
            self._object(redemption, upheld=fate == "revoked", day=review_day)
        if fate == "paid":
            with _clock(_at(review_day + timedelta(days=6), 10)):
                services.redemption_pay(
                    actor=self.bureau, redemption_id=redemption.pk, reference=f"DEMO-PAY-{redemption.pk:05d}"
                )

    def _object(self, redemption: Redemption, *, upheld: bool, day: date) -> None:
        # Objections are limited per account and publicity period: the witnesses take turns.
        witnesses = [f for f in self.firms if f.pk != redemption.enterprise_id]
        if not witnesses:
            return
        self.objections_raised = getattr(self, "objections_raised", 0) + 1
        witness = witnesses[self.objections_raised % len(witnesses)]
        with _clock(_at(day + timedelta(days=1), 10)):
            objection = services.objection_raise(
                actor=self.cast.of(witness),
                redemption_id=redemption.pk,
                text="该笔服务的实际机时与发票不符（演示）",
            )
        if upheld:
            with _clock(_at(day + timedelta(days=2), 10)):
                services.objection_resolve(
                    actor=self.bureau,
                    objection_id=objection.pk,
                    upheld=True,
                    note="经核实异议成立，撤销兑付（演示）",
                )


def _wave_days(month: date, n: int) -> list[date]:
    """Start days within a past month such that every step (≤ 9 days later) stays in that month."""
    return [month + timedelta(days=2 + (i % 10)) for i in range(n)]


@transaction.atomic
def load(*, seed: int = SEED) -> str:
    if Programme.objects.filter(code__startswith="demo-").exists():
        return "创新券演示数据已存在（跳过）"
    cast = Cast()
    if set(cast.users) != {p.bureau for p in PLANS}:
        return "创新券演示数据：缺少演示账号（请先载入机构演示数据）"
    if not Resource.objects.filter(asset_code__startswith="DEMO-").exists():
        return "创新券演示数据：缺少共享资源（请先载入资源演示数据）"
    rng, today = random.Random(seed), clock.today()
    stories = [Story(plan, cast, rng, today) for plan in PLANS]
    for story in stories:
        story.setup()
    _levelled_programme(cast, today)
    stories = [s for s in stories if s.firms and s.resources]
    per_wave = ORDERS_PER_PROGRAMME // 3
    older, last = _month_start(today, 2), _month_start(today, 1)
    for month in (older, last):
        for story in stories:
            for i, day in enumerate(_wave_days(month, per_wave)):
                story.live(PAST_MONTH[i % len(PAST_MONTH)], day, bundle=(month == last and i == 0))
        with _clock(_at(_month_start(today, 0) if month == last else last, 3)):
            statements_generate(period=month)
        if month == last:
            _pay_statements(older, stories, _at(last + timedelta(days=14), 16))
    this_month = ORDERS_PER_PROGRAMME - 2 * per_wave
    for story in stories:
        for i in range(this_month):
            fate = THIS_MONTH[i % len(THIS_MONTH)]
            # claims under review and the 公示 list are recent; the rest started about two weeks ago
            recent = fate in ("claimed", "publicised", "objected")
            story.live(fate, today - timedelta(days=4 if recent else 13 - i % 4))
    return _summary()


def _pay_statements(period: date, stories: list[Story], moment: datetime) -> None:
    by_issuer = {s.programme.issuer_key: s.bureau for s in stories}
    with _clock(moment):
        for statement in Statement.objects.filter(period=period).order_by("pk"):  # the demo's own
            services.statement_mark_paid(
                actor=by_issuer[statement.issuer_key],
                statement_id=statement.pk,
                reference=f"DEMO-JS-{statement.pk:04d}",
            )


def _summary() -> str:
    programmes = Programme.objects.filter(code__startswith="demo-").count()
    grants = Grant.objects.filter(programme__code__startswith="demo-").count()
    redemptions = Redemption.objects.filter(programme__code__startswith="demo-").count()
    orders = ServiceOrder.objects.filter(number__startswith="XTV").count()
    statements = Statement.objects.count()
    return f"创新券：{programmes} 个方案，{grants} 张券，{orders} 个订单，{redemptions} 笔用券，{statements} 张结算单"
