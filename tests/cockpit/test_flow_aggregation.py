"""The orders' flows aggregated in the database (organisation → map node in SQL, one GROUP BY over node pairs and
months) equal a direct computation over every order in Python: inside one member, across members, with a party
outside the zone, with no actual amount (the quoted price counts), on the month and window bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.vouchers import factories as vf
from xietong.cockpit import selectors
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.resources.enums import OrderStatus
from xietong.resources.models import ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(db):
    yrd = Zone.objects.get(code="yrd")
    sc = selectors.scope(yrd)
    w = selectors.Window.last_months(12)
    months = w.months()
    org = {
        "sh": OrganisationFactory(name="上海徐汇测试研究院", region_id="310104"),
        "pd": OrganisationFactory(name="上海浦东测试企业", region_id="310115"),
        "jx": OrganisationFactory(name="嘉兴南湖测试企业", region_id="330402"),
        "js": OrganisationFactory(name="嘉善测试企业", region_id="330421"),
        "hz": OrganisationFactory(name="杭州西湖测试企业", region_id="330106"),
        "bj": OrganisationFactory(name="北京海淀测试企业", region_id="110108"),
    }
    now = timezone.now()
    boundary = selectors._moment(selectors.Window.month(months[5]).start)

    def add(p, c, quoted, actual, when, status=OrderStatus.COMPLETED):
        o = vf.order(provider=org[p], customer=org[c], quoted_fen=quoted, status=status)
        o.actual_fen = actual
        o.completed_at = when
        o.save(update_fields=["actual_fen", "completed_at"])

    add("sh", "pd", 10_000, 9_000, now - timedelta(days=3))  # inside the member 上海市
    add("jx", "js", 20_000, None, now - timedelta(days=50))  # inside the city node 嘉兴, no actual amount
    add("jx", "jx", 5_000, 5_000, now - timedelta(days=80))  # one organisation both ends
    add("sh", "jx", 100_000, 120_000, now - timedelta(days=10))  # across members
    add("sh", "jx", 40_000, None, now - timedelta(days=100))  # across, the quoted price counts
    add("sh", "hz", 30_000, None, now - timedelta(days=200))
    add("hz", "pd", 7_000, 6_500, now - timedelta(days=300))
    add("js", "sh", 3_000, 3_300, boundary)  # the first instant of month 5
    add("js", "sh", 2_000, None, boundary - timedelta(microseconds=1))  # the last instant of month 4
    add("hz", "jx", 8_000, 8_000, selectors._moment(w.start))  # the window's first instant: in
    add("hz", "jx", 9_000, 9_000, selectors._moment(w.start) - timedelta(microseconds=1))  # out
    add("sh", "bj", 70_000, 70_000, now - timedelta(days=20))  # the customer is outside the zone
    add("bj", "hz", 60_000, None, now - timedelta(days=20))  # the provider is outside the zone
    add("sh", "jx", 55_000, None, None, status=OrderStatus.CONFIRMED)  # not completed
    add("hz", "js", 1_000, 1_000, now - timedelta(days=400))  # before the window
    return {"zone": yrd, "sc": sc, "w": w, "office": member(Role.ZONE_OFFICE, zone=yrd)}


def _direct(sc: selectors.Scope, w: selectors.Window):
    """Every order read one by one: the figures the page must show."""
    months = w.months()
    start, end = selectors._moment(w.start), selectors._moment(w.end)
    edges: dict[tuple[str, str], list[int]] = {}
    totals = {"count": 0, "fen": 0, "cross_count": 0, "cross_fen": 0}
    trend = [0] * len(months)
    for o in ServiceOrder.objects.select_related("provider", "customer"):
        if o.status != OrderStatus.COMPLETED or o.completed_at is None or not start <= o.completed_at < end:
            continue
        if o.provider.region_id not in sc.codes or o.customer.region_id not in sc.codes:
            continue
        fen = o.actual_fen if o.actual_fen is not None else o.quoted_fen
        totals["count"] += 1
        totals["fen"] += fen
        trend[months.index(timezone.localtime(o.completed_at).strftime("%Y-%m"))] += 1
        a, b = sc.node_of(o.provider.region_id), sc.node_of(o.customer.region_id)
        if a != b:
            totals["cross_count"] += 1
            totals["cross_fen"] += fen
            cell = edges.setdefault((a, b), [0, 0])
            cell[0] += 1
            cell[1] += fen
    return {k: tuple(v) for k, v in edges.items()}, totals, trend


def test_the_database_aggregation_equals_the_direct_computation(flows):
    sc, w = flows["sc"], flows["w"]
    edges, totals, trend = selectors._order_flows(actor(flows["office"]), sc, w)
    want_edges, want_totals, want_trend = _direct(sc, w)
    assert {(e.src, e.dst): (e.count, e.fen) for e in edges} == want_edges
    assert totals == want_totals
    assert trend == want_trend
    # the fixture exercises what it claims: fallbacks, bounds and exclusions change the figures
    assert want_edges[("310000", "330400")] == (2, 160_000)
    assert want_edges[("330400", "310000")] == (2, 5_300)
    assert want_edges[("330100", "330400")] == (1, 8_000)
    assert want_totals == {"count": 10, "fen": 243_800, "cross_count": 7, "cross_fen": 209_800}
    assert want_trend[5] >= 1 and want_trend[4] >= 1 and all(isinstance(n, int) for n in trend)
    assert all(isinstance(e.fen, int) and isinstance(e.count, int) for e in edges)
    for month in (w.months()[4], w.months()[5], w.months()[0]):  # one-month windows (the page's ?month=)
        one = selectors.Window.month(month)
        got = selectors._order_flows(actor(flows["office"]), sc, one)
        want = _direct(sc, one)
        assert ({(e.src, e.dst): (e.count, e.fen) for e in got[0]}, got[1], got[2]) == want and want[1][
            "count"
        ]
    # the edges come in the page's order: most records first
    assert [(e.src, e.dst) for e in edges][:2] == sorted(
        [("310000", "330400"), ("330400", "310000")], key=lambda k: (-want_edges[k][0], k)
    )


def test_the_page_shows_the_same_figures_as_the_generic_aggregation(flows):
    """The orders' path and the generic `_flows` over the policy-scoped queryset (the records the lines link to)."""
    who = actor(flows["office"])
    sc, w = flows["sc"], flows["w"]
    generic = selectors._flows(selectors._orders(who, sc, w), sc, w, src="src", dst="dst", dates=False)
    page = selectors.cockpit(actor=who, zone=flows["zone"], window=w)["kinds"]["orders"]
    assert (page["edges"], page["totals"], page["trend"]) == generic


def test_a_left_over_scratch_table_does_not_change_the_figures(flows):
    who = actor(flows["office"])
    sc, w = flows["sc"], flows["w"]
    first = selectors._order_flows(who, sc, w)
    key = "INTEGER" if connection.vendor == "sqlite" else "BIGINT"
    with connection.cursor() as cursor:  # as if a previous call had stopped half-way
        cursor.execute(
            f"CREATE TEMP TABLE {selectors._ORG_NODE} (org_id {key} PRIMARY KEY, node INTEGER NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {selectors._ORG_NODE} (org_id, node) VALUES (%s, %s)", [10**9, 0])
    assert selectors._order_flows(who, sc, w) == first
    assert selectors._order_flows(who, sc, w) == first


def test_an_actor_the_cockpit_is_not_open_to_gets_nothing(flows):
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    edges, totals, trend = selectors._order_flows(actor(bureau), flows["sc"], flows["w"])
    assert edges == [] and totals["count"] == 0 and trend == [0] * 12


def test_the_flow_tables_name_both_ends(flows):
    body = client_for(flows["office"]).get("/cockpit/yrd/").content.decode()
    table = body.split('data-flows="orders"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]
    first = rows[0].split("<td>")
    assert "上海市" in first[1] and "嘉兴市" in first[2] and 'data-edge="310000-330400"' in rows[0]
    assert len(rows) == 5  # the five node pairs of the seven cross orders, each once
