"""Hot pages answer in a fixed number of queries, however many rows they list (no N+1)."""

import datetime as dt

from tests.clients import client_for
from tests.sharing.conftest import rows
from xietong.sharing import services


def _fill(park, sc, n):
    for i in range(n):
        services.enterprise_add(
            actor=sc, agreement=park, name=f"企业{i}", origin="510000", entry_date=dt.date(2024, 1, 1)
        )
    services.records_import(
        actor=sc, agreement=park, rows=rows(*[(f"企业{i}", "增值税", "2025-01", "1.00") for i in range(n)])
    )


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_records_and_enterprise_pages_do_not_grow_with_rows(park, sc, people):
    client = client_for(people["sc"])
    _fill(park, sc, 3)
    few = {
        u: _count(client, u)
        for u in (f"/sharing/{park.pk}/records/", f"/sharing/{park.pk}/enterprises/", "/sharing/")
    }
    _fill_more = [(f"企业{i}", "增值税", "2025-01", "1.00") for i in range(3, 30)]
    for name, *_ in _fill_more:
        services.enterprise_add(
            actor=sc, agreement=park, name=name, origin="500000", entry_date=dt.date(2024, 1, 1)
        )
    services.records_import(actor=sc, agreement=park, rows=rows(*_fill_more))
    many = {u: _count(client, u) for u in few}
    assert many == few
