import pytest

from xietong.ledger import checks
from xietong.vouchers import demo
from xietong.vouchers.models import Application, Programme, Redemption, Statement

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_once_and_the_books_are_sound():
    from xietong.orgs import demo as orgs_demo

    orgs_demo.load()
    summary = demo.load()
    assert summary.startswith("创新券：3 个方案")
    assert Programme.objects.count() == 3
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted", "approved", "rejected"}
    assert {"reserved", "publicised", "paid"} <= set(Redemption.objects.values_list("status", flat=True))
    assert Statement.objects.filter(status="paid").exists()
    assert checks.run_all() == []
    assert demo.load() == "创新券演示数据已存在（跳过）"
