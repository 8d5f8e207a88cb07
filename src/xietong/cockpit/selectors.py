"""The cockpit's figures: flows between a zone's members (orders, voucher redemptions, technology contracts),
totals, monthly trends, the latest published index and the members' open items.

Every read goes through the owning app's policy (`visible_qs(actor)`), then narrows to rows whose two ends
both lie in the zone; a row's end is mapped to the zone member that covers it (a county to its city when the
city is the member). Aggregation happens in the database (one GROUP BY per kind over region pairs and one
per month), so the page costs the same with a hundred orders or a hundred thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Case, Count, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from xietong.cockpit.policies import CockpitPolicy
from xietong.core import clock
from xietong.core.actor import Actor
from xietong.core.errors import Invalid
from xietong.core.policies import get_visible
from xietong.evaluation import selectors as evaluation_selectors
from xietong.orgs.models import Organisation
from xietong.regions import selectors as region_selectors
from xietong.regions.models import Region, Zone
from xietong.resources.enums import OPEN_STATUSES, OrderStatus
from xietong.resources.models import ServiceOrder
from xietong.resources.policies import OrderPolicy
from xietong.transfer.policies import ContractPolicy
from xietong.vouchers.enums import ApplicationStatus, RedemptionStatus
from xietong.vouchers.policies import ApplicationPolicy, RedemptionPolicy

KINDS = ("orders", "vouchers", "contracts")
# Chinese source labels (the Excel exports use them as they are); pages show them through gettext.
KIND_LABELS = {"orders": _("仪器共享订单"), "vouchers": _("创新券兑付"), "contracts": _("技术合同")}
# Redemptions that count as money that moved: approved (in 公示) or paid.
COUNTED_REDEMPTIONS = (RedemptionStatus.PUBLICISED, RedemptionStatus.PAID)


def zone_get(*, actor: Actor, code: str) -> Zone:
    return get_visible(CockpitPolicy.visible_qs(actor), gettext("协同区不存在或驾驶舱未对您开放"), code=code)


def landing_zone(*, actor: Actor) -> Zone | None:
    return CockpitPolicy.visible_qs(actor).order_by("id").first()


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    lng: float | None
    lat: float | None


@dataclass
class Scope:
    """The zone's covered regions and the lookup from a region code to its node on the map: the city it lies
    in when the zone's member is a whole province, the member itself when the member is a city or county."""

    zone: Zone
    member_codes: frozenset[str]
    codes: frozenset[str]
    _node_of: dict[str, str | None] = field(default_factory=dict)

    def node_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code not in self._node_of:
            chain = (code, *region_selectors.region_ancestor_codes(code))
            member = next((c for c in chain if c in self.member_codes), None)
            if member is not None and member.endswith("0000"):
                member = region_selectors.locality_code(code)
            self._node_of[code] = member
        return self._node_of[code]


def scope(zone: Zone) -> Scope:
    """Public: zone membership is public reference data (regions.policies)."""
    members = frozenset(r.code for r in region_selectors.zone_members(zone))
    return Scope(zone=zone, member_codes=members, codes=region_selectors.zone_region_codes(zone))


def nodes(codes: set[str]) -> list[Node]:
    """Public: names and map positions of regions (public reference data; one query)."""
    rows = Region.objects.filter(code__in=sorted(codes)).order_by("code")
    return [Node(r.code, r.name, r.lng, r.lat) for r in rows]


def _moment(day: date) -> datetime:
    """Midnight at the start of `day` in the platform's time zone (the bound of a datetime range)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # exclusive

    @classmethod
    def last_months(cls, months: int = 12, today: date | None = None) -> Window:
        today = today or clock.today()
        end = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        y, m = end.year, end.month - months
        while m <= 0:
            y, m = y - 1, m + 12
        return cls(date(y, m, 1), end)

    @classmethod
    def month(cls, text: str) -> Window:
        try:
            y, m = (int(p) for p in text.split("-"))
            start = date(y, m, 1)
        except (ValueError, TypeError) as exc:
            raise Invalid(gettext("月份格式应为 YYYY-MM"), field="month") from exc
        return cls(start, date(y + (m == 12), m % 12 + 1, 1))

    def months(self) -> list[str]:
        out, y, m = [], self.start.year, self.start.month
        while date(y, m, 1) < self.end:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


# ---------------------------------------------------------------- the three kinds of record, scoped


def _orders(actor: Actor, sc: Scope, w: Window) -> QuerySet:
    return (
        OrderPolicy.visible_qs(actor)
        .filter(
            status=OrderStatus.COMPLETED,
            completed_at__gte=_moment(w.start),
            completed_at__lt=_moment(w.end),
            customer__region_id__in=sc.codes,
            provider__region_id__in=sc.codes,
        )
        .annotate(
            src=F("provider__region_id"),
            dst=F("customer__region_id"),
            fen=Coalesce("actual_fen", "quoted_fen"),
            day=F("completed_at"),
        )
    )


def _vouchers(actor: Actor, sc: Scope, w: Window) -> QuerySet:
    return (
        RedemptionPolicy.visible_qs(actor)
        .filter(
            status__in=COUNTED_REDEMPTIONS,
            reviewed_at__gte=_moment(w.start),
            reviewed_at__lt=_moment(w.end),
            enterprise__region_id__in=sc.codes,
            provider__region_id__in=sc.codes,
        )
        .annotate(
            src=F("provider__region_id"),
            dst=F("enterprise__region_id"),
            fen=F("amount_fen"),
            day=F("reviewed_at"),
        )
    )


def _contracts(actor: Actor, sc: Scope, w: Window) -> QuerySet:
    return (
        ContractPolicy.visible_qs(actor)
        .filter(
            signed_on__gte=w.start,
            signed_on__lt=w.end,
            seller_region_id__in=sc.codes,
            buyer_region_id__in=sc.codes,
        )
        .annotate(
            src=F("seller_region_id"), dst=F("buyer_region_id"), fen=F("tech_amount_fen"), day=F("signed_on")
        )
    )


def _open_orders(actor: Actor, sc: Scope, w: Window) -> QuerySet:
    """Orders still open at the zone's providers (whatever the window: an open item is open now)."""
    return (
        OrderPolicy.visible_qs(actor)
        .filter(status__in=OPEN_STATUSES, provider__region_id__in=sc.codes)
        .annotate(
            src=F("provider__region_id"),
            dst=F("customer__region_id"),
            fen=F("quoted_fen"),
            day=F("created_at"),
        )
    )


# A scratch table of the zone's organisations and their map node, private to the connection (TEMP), filled
# and dropped within one `_order_flows` call; IF NOT EXISTS and DELETE make a call after an interrupted one safe.
_ORG_NODE = "cockpit_org_node"


def _order_flows(actor: Actor, sc: Scope, w: Window):
    """The orders' flows, totals and monthly trend in one aggregate over node pairs and months.

    The orders are read in the order of `order_flow_cover_idx` (the IN lists of the zone's organisations on both
    ends pick it: no sort over the orders, no table lookups) and each end is mapped to its map node through a
    primary-key lookup in a scratch table of the zone's organisations (`_ORG_NODE`, filled from one small
    query), so the database returns (node, node, month) groups, not one row per organisation pair. A raw cursor:
    no ORM converters; the figures equal `_flows` over `_orders` (tests/cockpit/test_flow_aggregation.py).

    The zone's office (and the platform) reads every order with both ends in the zone under OrderPolicy
    (its `visible` covers orders touching the office's regions), so the policy's own filter is implied by
    `CockpitPolicy.read`, which `zone_get` checked."""
    months = w.months()
    orgs = dict(Organisation.objects.filter(region_id__in=sc.codes).values_list("pk", "region_id"))
    if not orgs or not CockpitPolicy.can(actor, "read", sc.zone):
        edges, totals = _edges([], sc.node_of)
        return edges, totals, [0] * len(months)
    codes = sorted({c for c in (sc.node_of(r) for r in orgs.values()) if c is not None})
    index = {c: i for i, c in enumerate(codes)}
    mapping = [(int(pk), index.get(sc.node_of(region), -1)) for pk, region in orgs.items()]
    adapt = connection.ops.adapt_datetimefield_value
    uppers = [adapt(_moment(Window.month(text).end)) for text in months]
    ids = ",".join(str(pk) for pk, _node in sorted(mapping))  # integers from the database: inlined, no limit
    f = {name: ServiceOrder._meta.get_field(name).column for name in FLOW_COLUMNS}
    bucket, bucket_params = _month_bucket(f"o.{f['completed_at']}", uppers)
    sql = f"""
        SELECT p.node, c.node, {bucket},
               COUNT(*), SUM(COALESCE(o.{f["actual_fen"]}, o.{f["quoted_fen"]}))
        FROM {ServiceOrder._meta.db_table} o
        JOIN {_ORG_NODE} p ON p.org_id = o.{f["provider"]}
        JOIN {_ORG_NODE} c ON c.org_id = o.{f["customer"]}
        WHERE o.{f["provider"]} IN ({ids}) AND o.{f["customer"]} IN ({ids}) AND o.{f["status"]} = %s
          AND o.{f["completed_at"]} >= %s AND o.{f["completed_at"]} < %s
        GROUP BY 1, 2, 3
    """
    params = [*bucket_params, OrderStatus.COMPLETED.value, adapt(_moment(w.start)), adapt(_moment(w.end))]
    # SQLite's rowid alias needs exactly INTEGER; PostgreSQL's ids are bigint
    key = "INTEGER" if connection.vendor == "sqlite" else "BIGINT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_ORG_NODE} (org_id {key} PRIMARY KEY, node INTEGER NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {_ORG_NODE}")
        cursor.executemany(f"INSERT INTO {_ORG_NODE} (org_id, node) VALUES (%s, %s)", mapping)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute(f"DROP TABLE {_ORG_NODE}")
    merged: dict[tuple[str | None, str | None], list[int]] = {}
    trend = [0] * len(months)
    for a, b, month, n, total_fen in rows:
        n, total_fen = int(n), int(total_fen or 0)  # PostgreSQL's SUM over bigint is numeric
        cell = merged.setdefault((_code_at(codes, a), _code_at(codes, b)), [0, 0])
        cell[0] += n
        cell[1] += total_fen
        if 0 <= month < len(trend):
            trend[month] += n
    edges, totals = _edges(((a, b, n, s) for (a, b), (n, s) in merged.items()), lambda code: code)
    return edges, totals, trend


FLOW_COLUMNS = ("provider", "customer", "status", "completed_at", "actual_fen", "quoted_fen")


def _month_bucket(column: str, uppers: list, lo: int = 0, hi: int | None = None) -> tuple[str, list]:
    """SQL for the index of the month a row's `column` falls in, given each month's exclusive upper bound: a
    binary search of nested CASEs (four comparisons a row for twelve months, not up to twelve). The WHERE clause
    keeps the rows inside the window, so the value is always one of the months."""
    hi = len(uppers) if hi is None else hi
    if hi - lo <= 1:
        return str(lo), []
    mid = (lo + hi) // 2
    low, low_params = _month_bucket(column, uppers, lo, mid)
    high, high_params = _month_bucket(column, uppers, mid, hi)
    return f"CASE WHEN {column} < %s THEN {low} ELSE {high} END", [uppers[mid - 1], *low_params, *high_params]


def _code_at(codes: list[str], i: int) -> str | None:
    return codes[i] if 0 <= i < len(codes) else None


_QUERIES = {"orders": _orders, "vouchers": _vouchers, "contracts": _contracts}
RECORD_KINDS = {**KIND_LABELS, "open-orders": _("进行中的订单")}


def records(*, actor: Actor, zone: Zone, kind: str, window: Window) -> QuerySet:
    query = {**_QUERIES, "open-orders": _open_orders}.get(kind)
    if query is None:
        raise Invalid(gettext("记录类型不存在"), field="kind")
    return query(actor, scope(zone), window)


# ---------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    count: int
    fen: int


def _flows(qs: QuerySet, sc: Scope, w: Window, *, src: str, dst: str, dates: bool):
    """Edges and totals from one GROUP BY over (src, dst) region codes, the monthly trend from one GROUP BY over a
    month bucket (vouchers and contracts: a few thousand records; the orders have `_order_flows`)."""
    months = w.months()
    bounds = []
    for text in months:
        m = Window.month(text)
        bounds.append((m.start, m.end) if dates else (_moment(m.start), _moment(m.end)))
    rows = qs.order_by().values_list(src, dst).annotate(n=Count("pk"), s=Sum("fen"))
    # the month of each record as the first bound it falls below (a CASE, no per-row date function)
    bucket = Case(*(When(day__lt=b, then=Value(i)) for i, (_a, b) in enumerate(bounds)), default=Value(-1))
    by_month = dict(qs.order_by().annotate(bucket=bucket).values_list("bucket").annotate(n=Count("pk")))
    trend = [by_month.get(i, 0) for i in range(len(months))]
    edges, totals = _edges(rows, sc.node_of)
    return edges, totals, trend


def _edges(pairs, node_of) -> tuple[list[Edge], dict]:
    """Flows between members (src != dst) and the totals over every record (inside a member too); `node_of`
    maps a pair's ends to map nodes (`Scope.node_of` for region codes; the identity for nodes already)."""
    merged: dict[tuple[str, str], list[int]] = {}
    total_n = total_fen = cross_n = cross_fen = 0
    for src, dst, n, s in pairs:
        a, b = node_of(src), node_of(dst)
        total_n, total_fen = total_n + n, total_fen + (s or 0)
        if a is None or b is None or a == b:
            continue
        cross_n, cross_fen = cross_n + n, cross_fen + (s or 0)
        cell = merged.setdefault((a, b), [0, 0])
        cell[0] += n
        cell[1] += s or 0
    edges = sorted(
        (Edge(a, b, n, s) for (a, b), (n, s) in merged.items()), key=lambda e: (-e.count, e.src, e.dst)
    )
    return edges, {"count": total_n, "fen": total_fen, "cross_count": cross_n, "cross_fen": cross_fen}


def open_items(*, actor: Actor, sc: Scope) -> list[dict]:
    """Per city (node): orders still open at its providers, voucher applications and 兑付 claims waiting."""
    rows: dict[str, dict] = {}

    def add(qs, region_field: str, key: str) -> None:
        for code, n in qs.order_by().values_list(region_field).annotate(n=Count("pk")):
            node = sc.node_of(code)
            if node is not None:
                row = rows.setdefault(node, {"code": node, "orders": 0, "applications": 0, "claims": 0})
                row[key] += n

    add(
        OrderPolicy.visible_qs(actor).filter(status__in=OPEN_STATUSES, provider__region_id__in=sc.codes),
        "provider__region_id",
        "orders",
    )
    add(
        ApplicationPolicy.visible_qs(actor).filter(
            status=ApplicationStatus.SUBMITTED, enterprise__region_id__in=sc.codes
        ),
        "enterprise__region_id",
        "applications",
    )
    add(
        RedemptionPolicy.visible_qs(actor).filter(
            status=RedemptionStatus.CLAIMED, provider__region_id__in=sc.codes
        ),
        "provider__region_id",
        "claims",
    )
    return sorted(rows.values(), key=lambda r: r["code"])


def latest_index(*, actor: Actor, zone: Zone):
    """The zone's latest published index run (None before the first is published)."""
    return (
        evaluation_selectors.run_list(actor=actor, published=True)
        .filter(framework__zone_id=zone.pk, status="done")
        .first()
    )


def cockpit(*, actor: Actor, zone: Zone, window: Window | None = None) -> dict:
    w = window or Window.last_months(12)
    sc = scope(zone)
    kinds = {}
    for kind, query in _QUERIES.items():
        if kind == "orders":
            edges, totals, trend = _order_flows(actor, sc, w)
        else:
            edges, totals, trend = _flows(
                query(actor, sc, w), sc, w, src="src", dst="dst", dates=kind == "contracts"
            )
        kinds[kind] = {"label": KIND_LABELS[kind], "edges": edges, "totals": totals, "trend": trend}
    items = open_items(actor=actor, sc=sc)
    used = {c for k in kinds.values() for e in k["edges"] for c in (e.src, e.dst)} | {
        r["code"] for r in items
    }
    found = nodes(used)
    names = {n.code: n.name for n in found}
    for row in items:
        row["name"] = names.get(row["code"], row["code"])
    return {
        "zone": zone,
        "window": w,
        "months": w.months(),
        "members": found,
        "kinds": kinds,
        "open_items": items,
        "index_run": latest_index(actor=actor, zone=zone),
    }


def node_name(code: str) -> str:
    """Public: a region's name (public reference data)."""
    found = nodes({code})
    return found[0].name if found else code


def filter_records(qs: QuerySet, sc: Scope, *, src: str = "", dst: str = "") -> QuerySet:
    """Pure: narrow a kind's records (an already actor-scoped queryset) to those from member `src` to member `dst` (either may be empty)."""
    for value, name in ((src, "src"), (dst, "dst")):
        if not value:
            continue
        if value not in sc.codes:
            raise Invalid(gettext("地区不在本协同区内"), field=name)
        covered = region_selectors.region_descendant_codes(value) & sc.codes
        qs = qs.filter(**{f"{name}__in": sorted(covered)})
    return qs
