"""One programme year end to end, with hand-checked figures (all amounts in 分).

嘉兴 issues a 通兑 programme (budget 100 000.00 元, 50 % above 1 000 元) and 嘉兴 also a 通用 one.
- firm A (南湖) gets 20 000.00 元, firm B (秀洲) 10 000.00 元 from the 通兑 programme.
- order 1: A at 上海徐汇 (quoted 3 000 元) → 1 500 元 voucher, paid cross-region → statement 嘉兴→上海.
- order 2: A at 嘉兴南湖 (800 元, under the 1 000 元 threshold) → 800 元 in full, paid locally.
- order 3: bundled, A + B at 杭州 provider (6 000 元): A 1 800 + B 1 200 = 3 000 (= 50 %) → statement 嘉兴→杭州.
- B also reserves 500 元 on order 4 which is cancelled → released.
- year end: A lapses 20 000 − 1 500 − 800 − 1 800 = 15 900 元; B lapses 10 000 − 1 200 = 8 800 元.
- 通用 programme: firm A, 上海 provider, 2 000 元 order, 1 000 元 voucher → firm reimbursable → disbursed locally.
Statements for the period: R330400→310000 = 150 000 分 (one line), R330400→330100 = 300 000 分 (two lines).
"""

import pytest
from django.core.management import call_command

from tests.factories import OrganisationFactory
from tests.vouchers import factories as vf
from tests.vouchers.conftest import grant_for, shift_days
from xietong.ledger import checks
from xietong.ledger import selectors as ledger_selectors
from xietong.orgs.enums import OrgKind
from xietong.vouchers import services
from xietong.vouchers.enums import Mode, RedemptionStatus
from xietong.vouchers.models import Statement
from xietong.vouchers.services.settlement import parse_period

pytestmark = pytest.mark.django_db


def _through_payment(world, redemption, claimant, reference="BANK-1"):
    services.redemption_claim(actor=world.a(claimant), redemption_id=redemption.pk, files=vf.evidence())
    services.redemption_review(actor=world.a("jx_bureau"), redemption_id=redemption.pk, approve=True)
    with shift_days(7):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=redemption.pk, reference=reference)


def test_a_programme_year(world, tongdui, capsys):
    hz = OrganisationFactory(name="杭州西湖检测有限公司", region_id="330106", kind=OrgKind.TESTING)
    from tests.factories import member
    from xietong.core.roles import Role

    hz_user = member(Role.ORG_ADMIN, organisation=hz)
    world.hz_user = hz_user
    a = grant_for(world, tongdui, fen=2_000_000)
    b = grant_for(world, tongdui, fen=1_000_000, who="other_firm")
    assert ledger_selectors.balance_of(tongdui.budget_account) == 7_000_000

    def reserve(grant, order, fen, who="firm_user", key="k"):
        return services.redemption_reserve(
            actor=world.a(who), grant_id=grant.pk, order_id=order.pk, amount_fen=fen, idempotency_key=key
        )

    o1 = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    r1 = reserve(a, o1, 150_000, key="o1")
    o2 = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=80_000)
    r2 = reserve(a, o2, 80_000, key="o2")
    o3 = vf.order(provider=hz, customer=world.firm, quoted_fen=600_000)
    services.bundle_invite(actor=world.a("firm_user"), order_id=o3.pk, enterprise_id=world.other_firm.pk)
    r3a = reserve(a, o3, 180_000, key="o3")
    r3b = reserve(b, o3, 120_000, who="other_firm_user", key="o3")
    o4 = vf.order(provider=world.sh_provider, customer=world.other_firm, quoted_fen=100_000)
    reserve(b, o4, 50_000, who="other_firm_user", key="o4")
    services.on_order_cancelled(order=o4)
    for order in (o1, o2, o3):
        vf.complete(order)

    jx_provider_user = member(Role.ORG_ADMIN, organisation=world.jx_provider)
    world.jx_provider_user = jx_provider_user
    _through_payment(world, r1, "sh_provider_user")
    _through_payment(world, r2, "jx_provider_user")
    _through_payment(world, r3a, "hz_user")
    _through_payment(world, r3b, "hz_user")
    assert {r.status for r in (r1, r2, r3a, r3b) if r.refresh_from_db() is None} == {RedemptionStatus.PAID}
    assert ledger_selectors.balance_of(tongdui.disbursed_account) == 80_000  # only the local one

    # 通用: the firm pays in full and is reimbursed by its own bureau
    tongyong = vf.programme(
        actor=world.a("jx_bureau"), mode=Mode.TONGYONG, name="嘉兴通用券", full_subsidy_below_fen=0
    )
    c = grant_for(world, tongyong, fen=500_000)
    o5 = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=200_000)
    r5 = reserve(c, o5, 100_000, key="o5")
    vf.complete(o5)
    _through_payment(world, r5, "firm_user")
    assert ledger_selectors.balance_of(tongyong.disbursed_account) == 100_000

    # year end: lapses
    with shift_days(91):
        result = services.grants_expire()
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.lapsed_fen, b.lapsed_fen, c.lapsed_fen) == (1_590_000, 880_000, 400_000)
    assert result["lapsed_fen"] == 1_590_000 + 880_000 + 400_000
    assert ledger_selectors.balance_of(tongdui.budget_account) == 7_000_000 + 1_590_000 + 880_000

    # settlement, by the CLI, twice
    period = parse_period(__import__("django.utils.timezone", fromlist=["x"]).localdate().strftime("%Y-%m"))
    call_command("settle", period=period.strftime("%Y-%m"))
    call_command("settle", period=period.strftime("%Y-%m"))
    statements = {(s.counterpart_region_id, s.total_fen, s.line_count) for s in Statement.objects.all()}
    assert statements == {("310000", 150_000, 1), ("330100", 300_000, 2)}
    sh = Statement.objects.get(counterpart_region_id="310000")
    assert sh.number == f"JS{period:%Y%m}-R330400-310000"
    services.statement_mark_paid(actor=world.a("jx_bureau"), statement_id=sh.pk, reference="ZJ-2026-001")
    payable = ledger_selectors.balance_of(
        __import__("xietong.ledger.models", fromlist=["Account"]).Account.objects.get(
            code="xr:R330400:330100:payable"
        )
    )
    assert payable == 300_000
    assert checks.run_all() == []
    call_command("check_ledger")
