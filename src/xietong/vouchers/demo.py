"""Deterministic demo voucher data (labelled 演示): two 嘉兴 programmes and a 四川 成渝 programme, applications in
every state, grants, redemptions through the whole lifecycle and a settled cross-region statement.

The demo walks a programme's timeline by moving the vouchers' clock forward (to get past the 公示 period);
it runs the real services throughout, so the ledger it leaves passes `xietong check-ledger`.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xietong.core.actor import SYSTEM, actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Membership, Organisation
from xietong.regions import selectors as region_selectors
from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus, ResourceKind
from xietong.resources.models import Category, Resource, ServiceOrder
from xietong.vouchers import services
from xietong.vouchers.enums import Mode, ProviderScope
from xietong.vouchers.models import Programme
from xietong.vouchers.services.settlement import statements_generate

PDF = b"%PDF-1.4\n% demo evidence (\xe6\xbc\x94\xe7\xa4\xba)\n"


@contextmanager
def _days_later(days: int):
    later = timezone.localdate() + timedelta(days=days)
    with mock.patch("xietong.vouchers.services.common.timezone.localdate", return_value=later):
        yield


def _programme(actor, *, code, name, mode, region=None, zone=None, provider_zone, **extra) -> Programme:
    today = timezone.localdate()
    data = {
        "name": name, "code": code, "mode": mode, "issuer_region": region, "issuer_zone": zone, "year": today.year,
        "budget_fen": 500_000_000, "applications_open_on": today - timedelta(days=30),
        "applications_close_on": today + timedelta(days=60), "per_application_cap_fen": 20_000_000,
        "per_firm_year_cap_fen": 30_000_000, "subsidy_ratio_bp": 5000, "full_subsidy_below_fen": 200_000,
        "provider_scope": ProviderScope.ZONE, "provider_zone": provider_zone,
        "use_deadline": today + timedelta(days=180), "redemption_deadline": today + timedelta(days=240),
        "publicity_days": 5, "forfeit_lapse_bp": 5000, **extra,
    }  # fmt: skip
    return services.programme_create(actor=actor, data=data)


def _orgs(prefixes: tuple[str, ...], kinds: list[str], n: int) -> list[Organisation]:
    codes = [c for p in prefixes for c in region_selectors.region_descendant_codes(p)]
    return list(
        Organisation.objects.filter(region_id__in=codes, kind__in=kinds, status=OrgStatus.APPROVED).order_by(
            "id"
        )[:n]
    )


def _user_of(org: Organisation):
    membership = Membership.objects.filter(organisation=org, role=Role.ORG_ADMIN, is_active=True).first()
    if membership:
        return membership.user
    user, _ = get_user_model().objects.get_or_create(
        username=f"demo_org_{org.pk}", defaults={"first_name": f"{org.name[:20]}（演示）"}
    )
    Membership.objects.get_or_create(user=user, role=Role.ORG_ADMIN, organisation=org)
    return user


def _order(provider: Organisation, customer: Organisation, fen: int, n: int) -> ServiceOrder:
    resource = Resource.objects.filter(owner=provider).order_by("id").first()
    if resource is None:
        category, _ = Category.objects.get_or_create(
            code="DEMO-VOUCHER", defaults={"name": "检验检测（演示）"}
        )
        resource = Resource.objects.create(
            owner=provider,
            region_id=provider.region_id,
            category=category,
            kind=ResourceKind.SERVICE,
            name="材料成分分析（演示）",
        )
    order, _ = ServiceOrder.objects.get_or_create(
        number=f"DEMO-V{n:05d}",
        defaults={
            "kind": OrderKind.SAMPLE, "resource": resource, "provider": provider, "customer": customer,
            "customer_class": CustomerClass.OTHER, "status": OrderStatus.CONFIRMED, "sample_count": 1, "quoted_fen": fen,
            "note": "演示订单",
        },
    )  # fmt: skip
    return order


def _complete(order: ServiceOrder) -> None:
    order.status, order.completed_at = OrderStatus.COMPLETED, timezone.now()
    order.save(update_fields=["status", "completed_at"])
    services.on_order_completed(order=order)


def _grant(bureau, firm, programme, fen):
    app = services.application_submit(
        actor=actor_for(_user_of(firm)), programme_id=programme.pk, enterprise_id=firm.pk, amount_fen=fen,
        purpose="委托检验检测与大型仪器测试（演示）",
    )  # fmt: skip
    services.application_review(actor=bureau, application_id=app.pk, approve=True, note="符合条件")
    app.refresh_from_db()
    return app.grant


def _claim_and_approve(bureau, redemption, claimant):
    files = [
        ("invoice", SimpleUploadedFile("发票.pdf", PDF)),
        ("report", SimpleUploadedFile("报告.pdf", PDF)),
    ]
    services.redemption_claim(actor=actor_for(_user_of(claimant)), redemption_id=redemption.pk, files=files)
    services.redemption_review(actor=bureau, redemption_id=redemption.pk, approve=True, note="材料齐全")


@transaction.atomic
def load() -> str:
    if Programme.objects.filter(code__startswith="demo-").exists():
        return "创新券演示数据已存在（跳过）"
    User = get_user_model()
    jx_user = User.objects.filter(username="bureau_jx").first()
    sc_user = User.objects.filter(username="bureau_sc").first()
    jx = actor_for(jx_user) if jx_user else SYSTEM
    sc = actor_for(sc_user) if sc_user else SYSTEM
    firms = _orgs(("330400",), [OrgKind.ENTERPRISE], 6)
    sh_providers = _orgs(("310000",), [OrgKind.TESTING, OrgKind.UNIVERSITY, OrgKind.INSTITUTE], 3)
    jx_providers = _orgs(("330400", "330100"), [OrgKind.TESTING, OrgKind.INSTITUTE, OrgKind.UNIVERSITY], 2)
    if len(firms) < 2 or not sh_providers:
        return "创新券演示数据：缺少演示机构（请先载入机构演示数据）"
    td = _programme(
        jx,
        code="demo-jx-td",
        name="嘉兴市科技创新券（通兑·长三角）（演示）",
        mode=Mode.TONGDUI,
        region="330400",
        provider_zone="yrd",
    )
    ty = _programme(
        jx,
        code="demo-jx-ty",
        name="嘉兴市科技创新券（通用）（演示）",
        mode=Mode.TONGYONG,
        region="330400",
        provider_zone="yrd",
    )
    cy = _programme(
        sc,
        code="demo-sc-cy",
        name="成渝科技创新券（通兑）（演示）",
        mode=Mode.TONGDUI,
        region="510000",
        provider_zone="chengyu",
    )
    grants = [_grant(jx, firm, td, 10_000_000 + 1_000_000 * i) for i, firm in enumerate(firms[:4])]
    pending_firm, rejected_firm = firms[1], firms[1]
    ty_grant = _grant(jx, firms[0], ty, 5_000_000)
    # one pending and one rejected application
    services.application_submit(
        actor=actor_for(_user_of(pending_firm)), programme_id=td.pk, enterprise_id=pending_firm.pk,
        amount_fen=8_000_000, purpose="新产品检测（演示，待审核）",
    )  # fmt: skip
    rejected = services.application_submit(
        actor=actor_for(_user_of(rejected_firm)), programme_id=ty.pk, enterprise_id=rejected_firm.pk,
        amount_fen=3_000_000, purpose="演示：材料不全",
    )  # fmt: skip
    services.application_review(
        actor=jx, application_id=rejected.pk, approve=False, note="缺少近一年财务报表（演示）"
    )
    n, redemptions = 0, []
    for i in range(4):
        grant = grants[i % len(grants)]
        provider = sh_providers[i % len(sh_providers)] if i < 3 else (jx_providers or sh_providers)[0]
        n += 1
        order = _order(provider, grant.enterprise, 1_200_000 + 100_000 * i, n)
        redemption = services.redemption_reserve(
            actor=actor_for(_user_of(grant.enterprise)), grant_id=grant.pk, order_id=order.pk,
            amount_fen=order.quoted_fen // 2, idempotency_key=f"demo-{n}",
        )  # fmt: skip
        redemptions.append((redemption, order, provider))
    for redemption, order, provider in redemptions[:3]:
        _complete(order)
        _claim_and_approve(jx, redemption, provider)
    with _days_later(6):
        for redemption, _, _ in redemptions[:2]:
            services.redemption_pay(actor=jx, redemption_id=redemption.pk, reference="")
    statements = statements_generate(period=timezone.localdate().replace(day=1), actor=SYSTEM)
    if statements:
        services.statement_mark_paid(
            actor=jx, statement_id=statements[0].pk, reference="ZJJX-2026-0001（演示）"
        )
    n += 1
    ty_order = _order(sh_providers[0], firms[0], 900_000, n)
    services.redemption_reserve(
        actor=actor_for(_user_of(firms[0])),
        grant_id=ty_grant.pk,
        order_id=ty_order.pk,
        amount_fen=450_000,
        idempotency_key="demo-ty",
    )
    cy_firms = _orgs(("510000",), [OrgKind.ENTERPRISE], 2)
    cy_providers = _orgs(("500000",), [OrgKind.TESTING, OrgKind.UNIVERSITY, OrgKind.INSTITUTE], 1)
    for firm in cy_firms:
        grant = _grant(sc, firm, cy, 6_000_000)
        if cy_providers:
            n += 1
            order = _order(cy_providers[0], firm, 800_000, n)
            services.redemption_reserve(
                actor=actor_for(_user_of(firm)),
                grant_id=grant.pk,
                order_id=order.pk,
                amount_fen=400_000,
                idempotency_key="demo-cy",
            )
    return f"创新券：3 个方案，{len(grants) + 1 + len(cy_firms)} 张券，{n} 笔用券，{len(statements)} 张结算单"
