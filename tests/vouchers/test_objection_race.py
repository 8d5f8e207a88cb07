"""PostgreSQL: one account objecting to many redemptions at once still gets at most the per-period limit."""

import threading

import pytest
from django.db import close_old_connections, connection

from tests.factories import actor
from tests.vouchers.conftest import approved_redemption, grant_for
from xietong.core.errors import DomainError
from xietong.vouchers import services
from xietong.vouchers.models import Objection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_8_threads_one_account_exactly_the_limit_wins(
    transactional_db, postgres_only, world, tongdui, settings
):
    # given eight publicised redemptions and an account allowed three objections per period
    grant = grant_for(world, tongdui)
    redemptions = [approved_redemption(world, grant, key=f"race-{i}") for i in range(8)]
    who = actor(world.other_firm_user)
    results, barrier = [None] * 8, threading.Barrier(8)

    def run(i):
        try:
            barrier.wait()
            services.objection_raise(
                actor=who, redemption_id=redemptions[i].pk, text="该服务实际未开展，请核实"
            )
            results[i] = 201
        except DomainError as exc:
            results[i] = exc.status
        finally:
            close_old_connections()
            connection.close()

    # when all eight are raised at the same moment
    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly three are written and the rest are refused with 429
    assert sorted(results) == [201] * 3 + [429] * 5
    assert (
        Objection.objects.filter(raised_by=world.other_firm_user).count()
        == settings.XIETONG_OBJECTIONS_PER_PERIOD
    )
