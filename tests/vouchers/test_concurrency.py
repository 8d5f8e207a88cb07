"""PostgreSQL: many threads redeem against one grant; no overdraw, exactly one result per idempotency key."""

import threading

import pytest
from django.db import close_old_connections, connection

from tests.factories import actor
from tests.vouchers import factories as vf
from tests.vouchers.conftest import grant_for
from xietong.core.actor import SYSTEM
from xietong.core.errors import DomainError
from xietong.ledger import checks
from xietong.vouchers import selectors, services
from xietong.vouchers.models import Redemption

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(world, grant, order, keys):
    results, barrier = [None] * len(keys), threading.Barrier(len(keys))
    firm = actor(world.firm_user)

    def run(i):
        try:
            barrier.wait()
            r = services.redemption_reserve(
                actor=firm, grant_id=grant.pk, order_id=order.pk, amount_fen=10_000, idempotency_key=keys[i]
            )
            results[i] = ("ok", r.pk)
        except DomainError as exc:
            results[i] = (exc.status, exc.message)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(keys))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_32_threads_distinct_keys_exactly_ten_win(transactional_db, postgres_only, world, tongdui):
    grant = grant_for(world, tongdui, fen=100_000)  # covers 10 × 100 元
    order = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=10_000_000)
    results = _race(world, grant, order, [f"k{i}" for i in range(32)])
    assert sum(1 for r in results if r[0] == "ok") == 10
    refused = [r for r in results if r[0] != "ok"]
    assert len(refused) == 22 and all(status == 409 and "余额不足" in message for status, message in refused)
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 0
    assert Redemption.objects.count() == 10
    assert checks.run_all() == []


def test_16_threads_same_key_one_result(transactional_db, postgres_only, world, tongdui):
    grant = grant_for(world, tongdui, fen=100_000)
    order = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=10_000_000)
    results = _race(world, grant, order, ["same"] * 16)
    assert len({r for r in results}) == 1 and results[0][0] == "ok"
    assert Redemption.objects.count() == 1
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 90_000
    assert checks.run_all() == []
