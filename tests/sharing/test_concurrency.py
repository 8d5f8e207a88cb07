"""PostgreSQL: sixteen concurrent settlements of the same period post exactly once."""

import threading

import pytest
from django.db import close_old_connections, connection

from tests.sharing.conftest import rows
from xietong.core.errors import DomainError
from xietong.ledger import checks
from xietong.ledger.models import Entry
from xietong.sharing import services
from xietong.sharing.models import Settlement, SettlementLine

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_16_concurrent_settlements_of_one_period_post_once(transactional_db, postgres_only, park, sc):
    # given a month of revenue
    services.records_import(
        actor=sc,
        agreement=park,
        rows=rows(("甲公司", "增值税", "2025-05", "1234.57"), ("乙公司", "企业所得税", "2025-05", "99.99")),
    )
    results, barrier = [None] * 16, threading.Barrier(16)

    def run(i):
        try:
            barrier.wait()
            [s] = services.settle(actor=sc, agreement=park, period="2025-05")
            results[i] = ("ok", s.pk)
        except DomainError as exc:
            results[i] = (exc.status, exc.message)
        finally:
            close_old_connections()
            connection.close()

    # when sixteen threads settle it at once
    threads = [threading.Thread(target=run, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every thread got the one settlement, posted once
    assert len(set(results)) == 1 and results[0][0] == "ok"
    assert Settlement.objects.count() == 1
    assert Entry.objects.filter(kind="sharing.settlement").count() == 1
    assert sum(SettlementLine.objects.values_list("posted_fen", flat=True)) == 133_456
    assert checks.run_all() == []
