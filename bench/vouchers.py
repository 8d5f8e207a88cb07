"""Voucher benchmarks: redemption throughput under concurrency, and statement generation at scale.

Run: .venv/bin/python bench/vouchers.py [--grants 10000] [--clients 8] [--redemptions 4000] [--runs 3]
                                       [--postings 1000000] [--statement-runs 3] [--engines postgres,sqlite]
                                       [--parts redeem,settle]

Each engine gets its own database: PostgreSQL `xietong_bench_vouchers` on 127.0.0.1:5432 (dropped and
created anew), SQLite under var/bench/. Every step runs in a child process:

- setup: migrate; regions and zones; three 通兑 programmes through `programme_create`; firms, providers,
  orders, applications, grant accounts, grant entries and grants in bulk (the ledger rows are written as
  `post_entry` would write them, and `checks.run_all()` must pass afterwards);
- redeem: `--clients` processes, each with its own connection, call the real
  `services.redemption_reserve` (selector, policy, row locks, idempotency, eligibility, `ledger.post_entry`,
  audit) on grants picked at random among all of them; throughput is redemptions over the wall-clock span
  from the first client's start to the last client's end; latencies are per call; queries are the SQL
  statements Django sends per call (BEGIN/COMMIT are not statements and are not counted);
- settle-load: `--postings` cross-region payouts in one period (October of the current year): one
  paid redemption and one `voucher.cross_region` entry each (receivable +, provider payable −), so the
  period holds 2 × `--postings` postings of which `--postings` are statement lines to be; a quarter as many
  in September, whose statements are generated first (so the timed period runs beside earlier lines);
  written with INSERT … SELECT (on PostgreSQL with triggers off for the load only), then cached balances
  recomputed from the postings and the ledger checks run;
- settle: a fresh process times the real `services.statements_generate(period=…)` to COMMIT, with its
  query count and peak RSS; it then checks the statements against the postings (first run) and deletes
  them (statements, lines, their entries) so that the next run starts from the same data.

Prints a table (median of the runs); not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "xietong_bench_vouchers"
PG_BENCH_URL = os.environ.get("BENCH_VOUCHERS_PG_URL", f"postgres://postgres@127.0.0.1:5432/{PG_DB}")
SQLITE_PATH = ROOT / "var" / "bench" / "vouchers.sqlite3"
ORDER_FEN = 10_000_000  # 10 万元 per order: the 50 % ceiling leaves room for 50,000 redemptions of 1 元
GRANT_FEN = 2_000_000  # 2 万元 per grant
REDEEM_FEN = 100  # 1 元 per redemption
PROVIDERS = 40


# ---------------------------------------------------------------- parent


def _env(engine: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="xietong.settings")
    # Production settings: DEBUG (the default for a checkout) wraps every statement in the debug cursor,
    # which formats and keeps its SQL; that costs more than some of the statements themselves.
    env["DEBUG"] = "false"
    env["SECRET_KEY"] = "bench-" + "x" * 40
    if engine == "sqlite":
        env["DATABASE_URL"] = ""
        env["XIETONG_SQLITE_PATH"] = str(SQLITE_PATH)
    else:
        env["DATABASE_URL"] = PG_BENCH_URL
    return env


def _fresh_database(engine: str) -> None:
    if engine == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def _child(engine: str, role: str, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, f"--role={role}", *extra], env=_env(engine), capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"{engine} {role} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _redeem_run(engine: str, clients: int, total: int, run: int) -> dict:
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--role=client", f"--run={run}", f"--index={i}", f"--count={n}"],
            env=_env(engine),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i, n in enumerate(per_client)
    ]
    for p in procs:  # every client has set up Django, loaded its targets and warmed up
        if p.stdout.readline().strip() != "ready":
            sys.exit(f"{engine} client failed to start")
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, _ = p.communicate()
        if p.returncode:
            sys.exit(f"{engine} client failed (exit {p.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    latencies = sorted(x for r in results for x in r["latencies_ms"])
    queries = [q for r in results for q in r["queries"]]
    span = max(r["end"] for r in results) - min(r["start"] for r in results)
    done = sum(r["ok"] for r in results)
    return {
        "clients": clients,
        "redemptions": done,
        "refused": sum(r["refused"] for r in results),
        "per_s": done / span,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "queries": statistics.mean(queries),
        "queries_set": sorted(set(queries)),
    }


def _median_row(rows: list[dict], key: str) -> dict:
    """The run whose `key` is the median (an odd number of runs gives an actual run)."""
    ordered = sorted(rows, key=lambda r: r[key])
    return ordered[(len(ordered) - 1) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--redemptions", type=int, default=4_000, help="per run, all clients together")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postings", type=int, default=1_000_000, help="statement lines in the period")
    parser.add_argument("--statement-runs", type=int, default=3)
    parser.add_argument("--engines", default="postgres,sqlite")
    parser.add_argument("--parts", default="redeem,settle")
    parser.add_argument("--sqlite-postings", type=int, default=None, help="default: --postings")
    parser.add_argument("--role", default="")
    parser.add_argument("--run", type=int, default=0)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.role:
        print(json.dumps(CHILD_ROLES[args.role](args)))
        return

    load = os.getloadavg()
    parts = set(args.parts.split(","))
    redeem_rows, settle_rows = [], []
    for engine in args.engines.split(","):
        try:
            _fresh_database(engine)
        except Exception as exc:  # PostgreSQL not reachable: say so and go on
            print(f"skip {engine}: {exc}")
            continue
        setup = _child(engine, "setup", f"--grants={args.grants}")
        print(f"{engine}: setup {setup}", flush=True)
        if "redeem" in parts:
            clients = 1 if engine == "sqlite" else args.clients  # SQLite has one writer at a time
            runs = [_redeem_run(engine, clients, args.redemptions, r) for r in range(args.runs)]
            for r in runs:
                print(f"{engine}: redeem run {json.dumps(r)}", flush=True)
            checked = _child(engine, "check")
            print(f"{engine}: checks after redemptions {checked}", flush=True)
            redeem_rows.append({"engine": engine, "runs": runs, "checks": checked["problems"]})
        if "settle" in parts:
            n = args.postings if engine == "postgres" else (args.sqlite_postings or args.postings)
            loaded = _child(engine, "settle-load", f"--count={n}")
            print(f"{engine}: settle-load {loaded}", flush=True)
            runs = []
            for r in range(args.statement_runs):
                runs.append(_child(engine, "settle", f"--run={r}", *(["--check"] if r == 0 else [])))
                print(f"{engine}: settle run {json.dumps(runs[-1])}", flush=True)
            settle_rows.append({"engine": engine, "lines": n, "load": loaded, "runs": runs})
    _print_table(args, load, redeem_rows, settle_rows)


def _print_table(args, load, redeem_rows, settle_rows) -> None:
    print()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, now "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    if redeem_rows:
        print(f"\nredemption_reserve against {args.grants} grants (median of {args.runs} runs)")
        print(
            f"{'engine':<10}{'clients':>8}{'redeemed':>10}{'per s':>8}{'p50 ms':>8}{'p95 ms':>8}"
            f"{'q/redeem':>9}{'refused':>8}  per-s of each run; checks"
        )
        for row in redeem_rows:
            m = _median_row(row["runs"], "per_s")
            each = ", ".join(f"{r['per_s']:.0f}" for r in row["runs"])
            print(
                f"{row['engine']:<10}{m['clients']:>8}{m['redemptions']:>10}{m['per_s']:>8.0f}"
                f"{m['p50_ms']:>8.1f}{m['p95_ms']:>8.1f}{m['queries']:>9.1f}{m['refused']:>8}"
                f"  {each}; {'ok' if not row['checks'] else row['checks']}"
            )
    if settle_rows:
        print(f"\nstatements_generate, one period (median of {args.statement_runs} runs)")
        print(
            f"{'engine':<10}{'period postings':>16}{'lines':>9}{'statements':>11}{'seconds':>9}{'peak RSS MB':>12}"
            f"{'queries':>8}{'re-run s':>9}  seconds of each run; checks"
        )
        for row in settle_rows:
            m = _median_row(row["runs"], "seconds")
            each = ", ".join(f"{r['seconds']:.1f}" for r in row["runs"])
            checks = next((r["problems"] for r in row["runs"] if "problems" in r), None)
            print(
                f"{row['engine']:<10}{m['period_postings']:>16}{m['lines']:>9}{m['statements']:>11}"
                f"{m['seconds']:>9.1f}{m['peak_rss_mb']:>12.0f}{m['queries']:>8}{m['rerun_seconds']:>9.1f}  {each}; "
                f"{'ok' if checks == [] else checks}"
            )


# ---------------------------------------------------------------- children


def _django():
    import django

    django.setup()


class QueryCounter:
    """A `connection.execute_wrapper` that only counts statements (no SQL kept in memory)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _programme_data(*, code: str, name: str, region=None, zone=None) -> dict:
    from django.utils import timezone

    from xietong.vouchers.enums import Mode, ProviderScope

    today = timezone.localdate()
    return {
        "name": name, "code": code, "mode": Mode.TONGDUI, "issuer_region": region, "issuer_zone": zone,
        "year": today.year, "budget_fen": 10_000_000_000, "applications_open_on": date(today.year, 1, 1),
        "applications_close_on": date(today.year, 12, 31), "per_application_cap_fen": 3_000_000,
        "per_firm_year_cap_fen": 5_000_000, "subsidy_ratio_bp": 5_000, "full_subsidy_below_fen": 0,
        "provider_scope": ProviderScope.ZONE, "provider_zone": "yrd",
        "use_deadline": date(today.year + 1, 6, 30), "redemption_deadline": date(today.year + 1, 9, 30),
        "publicity_days": 5,
    }  # fmt: skip


def role_setup(args) -> dict:
    """Migrate, then a world of `--grants` firms, each with one grant and one open order at a yrd provider."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F

    from xietong.core.actor import SYSTEM
    from xietong.ledger import checks
    from xietong.ledger.models import Account, Entry, Posting
    from xietong.orgs import credit_code
    from xietong.orgs.enums import OrgKind, OrgStatus
    from xietong.orgs.models import Organisation
    from xietong.regions import selectors as region_selectors
    from xietong.regions import services as region_services
    from xietong.regions.enums import RegionLevel
    from xietong.regions.models import Region, Zone
    from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus, ResourceKind
    from xietong.resources.models import Category, Resource, ServiceOrder
    from xietong.vouchers import services
    from xietong.vouchers.enums import ApplicationStatus, EntryKind
    from xietong.vouchers.models import Application, Grant
    from xietong.vouchers.services.common import voucher_code

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    region_services.regions_load()
    region_services.zone_presets_load()
    rng = random.Random(11)
    yrd = Zone.objects.get(code="yrd")
    counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
    yrd_counties = sorted(counties & region_selectors.zone_region_codes(yrd))
    programmes = [
        (services.programme_create(actor=SYSTEM, data=_programme_data(code=c, name=n, **issuer)), pool)
        for c, n, issuer, pool in (
            ("bench-jx", "嘉兴市科技创新券（基准）", {"region": "330400"}, "330400"),
            ("bench-sz", "苏州市科技创新券（基准）", {"region": "320500"}, "320500"),
            ("bench-yrd", "长三角科技创新券（基准）", {"zone": "yrd"}, None),
        )
    ]
    with transaction.atomic():
        providers = Organisation.objects.bulk_create(
            Organisation(
                name=f"基准检测服务中心{i}",
                kind=OrgKind.TESTING,
                region_id=(region := rng.choice(yrd_counties)),
                status=OrgStatus.APPROVED,
                credit_code=credit_code.make(region_code=region, serial=f"P{i:07d}"),
            )
            for i in range(PROVIDERS)
        )
        category, _ = Category.objects.get_or_create(
            code="BENCH-VOUCHER", defaults={"name": "检验检测（基准）"}
        )
        resources = Resource.objects.bulk_create(
            Resource(
                owner=p, region_id=p.region_id, category=category, kind=ResourceKind.SERVICE, name="基准检测"
            )
            for p in providers
        )
        firm_rows = []
        for i in range(args.grants):
            programme, pool = programmes[i % len(programmes)]
            codes = [c for c in yrd_counties if pool is None or c.startswith(pool[:4])]
            region = rng.choice(codes)
            firm_rows.append(
                Organisation(
                    name=f"基准企业{i}",
                    kind=OrgKind.ENTERPRISE,
                    region_id=region,
                    status=OrgStatus.APPROVED,
                    credit_code=credit_code.make(region_code=region, serial=f"F{i:07d}"),
                    is_tech_sme=True,
                )
            )
        firms = Organisation.objects.bulk_create(firm_rows, batch_size=2000)
        users = get_user_model().objects.bulk_create(
            [get_user_model()(username=f"vbf{f.pk}", password="!") for f in firms], batch_size=2000
        )
        orders = ServiceOrder.objects.bulk_create(
            [
                ServiceOrder(
                    number=f"VB{i:08d}",
                    kind=OrderKind.SAMPLE,
                    resource=(r := rng.choice(resources)),
                    provider_id=r.owner_id,
                    customer=f,
                    customer_class=CustomerClass.OTHER,
                    status=OrderStatus.CONFIRMED,
                    sample_count=1,
                    quoted_fen=ORDER_FEN,
                    created_by=u,
                )
                for i, (f, u) in enumerate(zip(firms, users, strict=True))
            ],
            batch_size=2000,
        )
        apps = Application.objects.bulk_create(
            [
                Application(
                    programme=programmes[i % len(programmes)][0],
                    enterprise=f,
                    amount_fen=GRANT_FEN,
                    purpose="检测服务（基准）",
                    status=ApplicationStatus.APPROVED,
                    submitted_by=u,
                )
                for i, (f, u) in enumerate(zip(firms, users, strict=True))
            ],
            batch_size=2000,
        )
        # Grant accounts and entries exactly as `application_review` → `post_entry` writes them.
        codes = {
            a.pk: voucher_code(issuer=a.programme.issuer_region_id or f"Z{a.programme.issuer_zone_id}",
                               year=a.programme.year, serial=a.pk)
            for a in apps
        }  # fmt: skip
        accounts = Account.objects.bulk_create(
            [
                Account(code=f"grant:{a.pk}:{part}", name=f"创新券{codes[a.pk]}·{label}", kind=kind,
                        balance_fen=GRANT_FEN if part == "available" else 0)
                for a in apps
                for part, label, kind in (("available", "可用", "grant"), ("reserved", "已预留", "grant_reserved"))
            ],
            batch_size=4000,
        )  # fmt: skip
        entries = Entry.objects.bulk_create(
            [
                Entry(kind=EntryKind.GRANT, memo=f"发放创新券 {codes[a.pk]}", idempotency_key=f"voucher.grant:{a.pk}",
                      actor_label=SYSTEM.label)
                for a in apps
            ],
            batch_size=2000,
        )  # fmt: skip
        Posting.objects.bulk_create(
            [
                p
                for a, entry, available in zip(apps, entries, accounts[::2], strict=True)
                for p in (
                    Posting(entry=entry, account=available, amount_fen=GRANT_FEN),
                    Posting(entry=entry, account_id=a.programme.budget_account_id, amount_fen=-GRANT_FEN),
                )
            ],
            batch_size=4000,
        )
        for programme, _ in programmes:
            n = sum(1 for a in apps if a.programme_id == programme.pk)
            Account.objects.filter(pk=programme.budget_account_id).update(
                balance_fen=F("balance_fen") - n * GRANT_FEN
            )
        Grant.objects.bulk_create(
            [
                Grant(
                    application=a,
                    programme=a.programme,
                    enterprise_id=a.enterprise_id,
                    code=codes[a.pk],
                    amount_fen=GRANT_FEN,
                    use_deadline=a.programme.use_deadline,
                    redemption_deadline=a.programme.redemption_deadline,
                    available_account=available,
                    reserved_account=reserved,
                    entry=entry,
                )
                for a, entry, available, reserved in zip(
                    apps, entries, accounts[::2], accounts[1::2], strict=True
                )
            ],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    problems = checks.run_all()
    return {
        "seconds": round(time.perf_counter() - t0, 1),
        "grants": Grant.objects.count(),
        "orders": len(orders),
        "problems": [p.message for p in problems][:5],
    }


def _targets():
    """(grant id, order id, actor) for every bench grant: the firm's own user, as a logged-in request has."""
    from django.contrib.auth import get_user_model

    from xietong.core.actor import Actor
    from xietong.core.roles import Role
    from xietong.resources.models import ServiceOrder
    from xietong.vouchers.models import Grant

    users = dict(get_user_model().objects.filter(username__startswith="vbf").values_list("username", "pk"))
    orders = dict(ServiceOrder.objects.filter(number__startswith="VB").values_list("customer_id", "pk"))
    out = []
    for grant_id, firm_id in Grant.objects.order_by("pk").values_list("pk", "enterprise_id"):
        user_id = users[f"vbf{firm_id}"]
        actor = Actor(
            user_id=user_id, username=f"vbf{firm_id}", roles=frozenset({Role.ORG_ADMIN}),
            organisation_ids=frozenset({firm_id}), admin_organisation_ids=frozenset({firm_id}),
        )  # fmt: skip
        out.append((grant_id, orders[firm_id], actor))
    return out


def role_client(args) -> dict:
    """One client: its own process and connection, `--count` reservations on random grants."""
    _django()
    from django.db import connection

    from xietong.core.errors import DomainError
    from xietong.vouchers import services

    rng = random.Random(f"{args.run}-{args.index}")
    targets = _targets()

    def reserve(key: str) -> bool:
        grant_id, order_id, actor = rng.choice(targets)
        try:
            services.redemption_reserve(
                actor=actor, grant_id=grant_id, order_id=order_id, amount_fen=REDEEM_FEN, idempotency_key=key
            )
            return True
        except DomainError:
            return False

    for i in range(3):  # warm-up: connection, caches
        reserve(f"warm-{args.run}-{args.index}-{i}")
    print("ready", flush=True)
    sys.stdin.readline()
    counter = QueryCounter()
    latencies, queries, ok = [], [], 0
    start = time.time()
    with connection.execute_wrapper(counter):
        for i in range(args.count):
            before, t0 = counter.n, time.perf_counter()
            ok += reserve(f"bench-{args.run}-{args.index}-{i}")
            latencies.append(round((time.perf_counter() - t0) * 1000, 3))
            queries.append(counter.n - before)
    end = time.time()
    return {
        "start": start,
        "end": end,
        "ok": ok,
        "refused": args.count - ok,
        "latencies_ms": latencies,
        "queries": queries,
    }


def role_check(args) -> dict:
    _django()
    from xietong.ledger import checks

    t0 = time.perf_counter()
    problems = checks.run_all()
    return {"problems": [p.message for p in problems][:5], "seconds": round(time.perf_counter() - t0, 1)}


def _period() -> date:
    from django.utils import timezone

    return date(timezone.localdate().year, 10, 1)


def _prior_period() -> date:
    return date(_period().year, 9, 1)


def _load_payouts(cursor, *, vendor: str, period: date, count: int, groups: int) -> None:
    """`count` payouts dated in `period`: entries, their two postings and the paid redemptions (bench_map rows)."""
    from datetime import UTC, datetime
    from datetime import time as dtime

    from django.db.models import Max
    from django.utils import timezone

    from xietong.ledger.models import Entry, Posting
    from xietong.vouchers.models import Redemption

    sql = _sql(vendor, count)
    start_utc = timezone.make_aware(datetime.combine(period, dtime.min)).astimezone(UTC)
    start = start_utc.strftime("%Y-%m-%d %H:%M:%S") + ("+00:00" if vendor == "postgresql" else "")
    amount = "(1000 + (g %% 100000) * 7919 %% 100000)"
    entry_base = (Entry.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000
    red_base = (Redemption.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000
    tag = f"{period:%Y%m}"
    cursor.execute(
        f"INSERT INTO {Entry._meta.db_table} (id, kind, memo, idempotency_key, actor_label, created_at, data) "
        f"{sql['series']}SELECT {entry_base} + g, 'voucher.cross_region', '兑付订单（基准）' || g, "
        f"'voucher.pay:' || ({red_base} + g), 'system', {sql['ts']}, {sql['json']} FROM {sql['from']}",
        [start],
    )
    for column, sign in (("receivable_id", ""), ("source_id", "-")):
        cursor.execute(
            f"INSERT INTO {Posting._meta.db_table} (entry_id, account_id, amount_fen) "
            f"{sql['series']}SELECT {entry_base} + g, m.{column}, {sign}{amount} "
            f"FROM {sql['from']} JOIN bench_map m ON m.k = g %% {groups}",
            [],
        )
    cursor.execute(
        f"INSERT INTO {Redemption._meta.db_table} (id, grant_id, order_id, programme_id, enterprise_id, "
        "provider_id, amount_fen, idempotency_key, status, pay_entry_id, claim_note, review_note, "
        "payment_reference, created_at, paid_at) "
        f"{sql['series']}SELECT {red_base} + g, m.grant_id, m.order_id, m.programme_id, m.enterprise_id, "
        f"m.provider_id, {amount}, 'bench-pay-{tag}-' || g, 'paid', {entry_base} + g, '', '', '跨区结算', "
        f"{sql['ts']}, {sql['ts']} FROM {sql['from']} JOIN bench_map m ON m.k = g %% {groups}",
        [start, start],
    )


def _sql(vendor: str, n: int) -> dict[str, str]:
    """Vendor fragments: a 1..n series as a CTE, a timestamp spread over the period, an empty JSON."""
    series = f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {int(n)}) "
    if vendor == "postgresql":
        return {
            "series": "",
            "from": f"generate_series(1, {int(n)}) AS s(g)",
            "ts": "(%s::timestamptz + (g %% 2500000) * interval '1 second')",
            "json": "'{}'::jsonb",
        }
    return {
        "series": series,
        "from": "s",
        "ts": "datetime(%s, '+' || (g %% 2500000) || ' seconds')",
        "json": "'{}'",
    }


def role_settle_load(args) -> dict:
    """`--count` paid cross-region payouts dated in the period (a quarter as many in the month before, then
    settled), written set-wise; the ledger stays sound."""
    _django()
    from django.db import connection, transaction
    from django.db.models import Sum

    from xietong.core.actor import SYSTEM
    from xietong.ledger import checks
    from xietong.ledger import services as ledger
    from xietong.ledger.enums import NormalSide
    from xietong.ledger.models import Account, Entry, Posting
    from xietong.resources.models import ServiceOrder
    from xietong.vouchers import checks as voucher_checks
    from xietong.vouchers import services
    from xietong.vouchers.models import Grant, Redemption
    from xietong.vouchers.services import accounts
    from xietong.vouchers.services.common import is_cross_region, settlement_region

    t0 = time.perf_counter()
    n, vendor = args.count, connection.vendor
    funding = ledger.account_open(
        code="bench:payout-funding", name="基准·兑付资金来源", kind="bench_funding",
        normal_side=NormalSide.CREDIT,
    )  # fmt: skip
    orders = {
        o.customer_id: o
        for o in ServiceOrder.objects.filter(number__startswith="VB").select_related("provider")
    }
    rows = []
    for grant in Grant.objects.select_related("programme", "programme__issuer_zone").order_by("pk"):
        order = orders[grant.enterprise_id]
        programme, provider = grant.programme, order.provider
        if not is_cross_region(programme, provider):
            continue
        region = settlement_region(provider.region_id)
        receivable = accounts.interregion_receivable(
            issuer_key=programme.issuer_key, region_code=region, label=f"{programme.issuer_key}→{region}"
        )
        source = accounts.provider_receivable(programme=programme, provider=provider)
        rows.append(
            (
                len(rows),
                grant.pk,
                order.pk,
                programme.pk,
                grant.enterprise_id,
                provider.pk,
                receivable.pk,
                source.pk,
            )
        )
    prior = n // 4
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off for this load only
        cursor.execute(
            "CREATE TEMP TABLE bench_map (k integer PRIMARY KEY, grant_id bigint, order_id bigint, "
            "programme_id bigint, enterprise_id bigint, provider_id bigint, receivable_id bigint, source_id bigint)"
        )
        cursor.executemany("INSERT INTO bench_map VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
        for period, count in ((_prior_period(), prior), (_period(), n)):
            _load_payouts(cursor, vendor=vendor, period=period, count=count, groups=len(rows))
        cursor.execute("DROP TABLE bench_map")
        if vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
            for model in (Entry, Redemption):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))", [table]
                )
    # Before the payouts, each provider payable was credited by approvals: one funding entry per account
    # through post_entry (so the provider accounts never go negative), then cached balances from postings.
    with transaction.atomic():
        sources = {r[7] for r in rows}
        credited = dict(
            Posting.objects.filter(account_id__in=sources, amount_fen__lt=0)
            .values("account_id")
            .annotate(total=Sum("amount_fen"))
            .values_list("account_id", "total")
        )
        for account in Account.objects.filter(pk__in=sources).order_by("pk"):
            fen = -credited[account.pk]
            ledger.post_entry(
                kind="bench.prefund", postings=[(account, fen), (funding, -fen)], actor=SYSTEM,
                memo="基准：审核通过的兑付（合计）",
            )  # fmt: skip
        _recompute_balances(Account.objects.filter(kind__in=["xr_receivable", "provider_receivable"]))
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = round(time.perf_counter() - t0, 1)
    # The month before is settled already, so the timed period runs beside a table of earlier lines.
    t1 = time.perf_counter()
    prior_statements = services.statements_generate(period=_prior_period())
    prior_seconds = round(time.perf_counter() - t1, 1)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    wanted = [
        checks.entries_balanced,
        checks.balances_match_postings,
        checks.no_negative_balances,
        voucher_checks.redemptions_unique,
    ]
    found = [p.message for check in wanted for p in check()]
    return {
        "seconds": seconds,
        "payouts": n,
        "prior_lines": sum(x.line_count for x in prior_statements),
        "prior_generate_seconds": prior_seconds,
        "receivable_accounts": len({r[6] for r in rows}),
        "postings_total": Posting.objects.count(),
        "problems": found[:5],
    }


def _recompute_balances(queryset) -> None:
    """Cached balance := Σ postings, read on the account's normal side (bench setup only)."""
    from django.db.models import Sum

    from xietong.ledger.enums import NormalSide
    from xietong.ledger.models import Posting

    totals = dict(
        Posting.objects.filter(account__in=queryset)
        .values("account_id")
        .annotate(t=Sum("amount_fen"))
        .values_list("account_id", "t")
    )
    for account in queryset.only("pk", "normal_side"):
        total = totals.get(account.pk, 0)
        queryset.model.objects.filter(pk=account.pk).update(
            balance_fen=total if account.normal_side == NormalSide.DEBIT else -total
        )


def role_settle(args) -> dict:
    """Time `statements_generate` for the period to COMMIT; check (if asked), then undo it for the next run."""
    _django()
    from datetime import datetime
    from datetime import time as dtime

    from django.db import connection, transaction
    from django.utils import timezone

    from xietong.ledger import checks
    from xietong.ledger.models import Account, Entry, Posting
    from xietong.vouchers import checks as voucher_checks
    from xietong.vouchers import services
    from xietong.vouchers.models import Statement, StatementLine
    from xietong.vouchers.services.settlement import period_end

    period = _period()
    in_period = Posting.objects.filter(
        entry__created_at__gte=timezone.make_aware(datetime.combine(period, dtime.min)),
        entry__created_at__lte=period_end(period),
    ).count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        t0 = time.perf_counter()
        statements = services.statements_generate(period=period)
        seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "seconds": round(seconds, 2),
        "statements": len(statements),
        "lines": sum(s.line_count for s in statements),
        "queries": counter.n,
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(rss_before, 1),
    }
    t1 = time.perf_counter()
    again = services.statements_generate(period=period)
    out["rerun_seconds"] = round(time.perf_counter() - t1, 2)
    out["second_call_new"] = len(again)  # idempotent: must be 0
    out["period_postings"] = in_period
    if args.check:
        t1 = time.perf_counter()
        found = [
            p.message
            for check in (
                checks.entries_balanced,
                checks.balances_match_postings,
                checks.no_negative_balances,
                voucher_checks.statement_totals_match_postings,
            )
            for p in check()
        ]
        out["problems"] = found[:5]
        out["check_seconds"] = round(time.perf_counter() - t1, 1)
    # Undo: the statements, their lines and entries, and the cached balances they moved. The ledger forbids
    # deleting postings (append-only); the benchmark alone lifts that for its own clean-up.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        ids = list(Statement.objects.filter(period=period).values_list("pk", flat=True))
        entry_ids = list(Statement.objects.filter(pk__in=ids).values_list("entry_id", flat=True))
        touched = list(Posting.objects.filter(entry_id__in=entry_ids).values_list("account_id", flat=True))
        StatementLine.objects.filter(statement_id__in=ids).delete()
        Statement.objects.filter(pk__in=ids).delete()
        Posting.objects.filter(entry_id__in=entry_ids).delete()
        Entry.objects.filter(pk__in=entry_ids).delete()
        _recompute_balances(Account.objects.filter(pk__in=touched))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return out


CHILD_ROLES = {
    "setup": role_setup,
    "client": role_client,
    "check": role_check,
    "settle-load": role_settle_load,
    "settle": role_settle,
}


if __name__ == "__main__":
    main()
