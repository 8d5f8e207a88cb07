"""The demo: four cases, three years of monthly revenue, settled and posted; a second load writes nothing."""

from xietong.ledger.checks import run_all
from xietong.ledger.models import Account
from xietong.sharing import demo
from xietong.sharing.models import Agreement, Settlement


def test_demo_loads_four_settled_cases_once(db, frozen_clock):
    # when
    message = demo.load()
    # then: 36 months each (2023-03 … 2026-02 for a clock on 2026-03-02), plus one adjustment per case
    assert "2023-03 至 2026-02" in message
    assert Agreement.objects.count() == 4
    for agreement in Agreement.objects.all():
        assert Settlement.objects.filter(agreement=agreement, adjusts__isnull=True).count() == 36
        assert Settlement.objects.filter(agreement=agreement, adjusts__isnull=False).count() == 1
    # the fund's three contributions differ by at most one 分 per month
    costs = sorted(Account.objects.filter(kind="sharing.cost").values_list("balance_fen", flat=True))
    assert len(costs) == 3 and costs[-1] - costs[0] <= 36
    assert run_all() == []
    # a second load changes nothing
    settlements = Settlement.objects.count()
    assert demo.load() == "利益共享演示数据已存在，未重复写入"
    assert Settlement.objects.count() == settlements
