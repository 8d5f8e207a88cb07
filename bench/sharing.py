"""Benefit-sharing settlement at scale on PostgreSQL, and the file simulator on the same records.

Usage::

    DATABASE_URL=postgres://… .venv/bin/python bench/sharing.py [--enterprises 100000]

Phases, each in its own process so that its peak memory (ru_maxrss) is its own:

1. ``setup``: migrate, one agreement between 四川 and 重庆 (stock_increment for 增值税 and 企业所得税 with each
   enterprise's fixed baseline, proportional 60:40 for 个人所得税 and 50:50 for 土地出让收入), N enterprises and
   N × 12 months × 4 types revenue records streamed in with COPY (not timed);
2. ``settle``: ``services.settle`` of every pending period (one engine pass, 12 settlements, ledger entries);
3. ``rerun``: the same call with nothing changed (must post nothing);
4. ``simulate``: the records exported to revenue.csv (not timed) and ``xietong sharing simulate`` on them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CODE = "BENCH-SHARING"
TYPES = ("vat", "cit", "pit", "land")
TYPE_NAMES = {"vat": "增值税", "cit": "企业所得税", "pit": "个人所得税", "land": "土地出让收入"}
SC, CQ = "510000", "500000"


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xietong.settings")
    # production settings: DEBUG would keep every statement in the debug cursor
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ.setdefault("XIETONG_VOUCHER_CODE_KEYS", "bench-voucher-key-" + "y" * 40)
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """This process's CPU time (user + system): on a shared, overloaded machine the wall time mostly measures
    the neighbours, the CPU time measures the work."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def setup(n: int) -> None:
    _django()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from xietong.core.actor import SYSTEM
    from xietong.sharing import services
    from xietong.sharing.models import Agreement, ParkEnterprise

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    old = Agreement.objects.filter(code=CODE).first()
    if old is not None:
        with connection.cursor() as c:
            for table in (
                "sharing_settlementline",
                "sharing_settlement",
                "sharing_revenuerecord",
                "sharing_parkenterprise",
            ):
                key = (
                    "settlement_id IN (SELECT id FROM sharing_settlement WHERE agreement_id=%s)"
                    if table == "sharing_settlementline"
                    else "agreement_id=%s"
                )
                c.execute(f"DELETE FROM {table} WHERE {key}", [old.pk])
        # ledger rows are append-only: a fresh agreement code per run keeps the books untouched
    code = f"{CODE}-{int(time.time())}"
    agreement = services.agreement_create(
        actor=SYSTEM,
        code=code,
        name="基准：川渝合作园区",
        kind="zone",
        park_name="基准园区",
        host_region="511600",
        party_regions=[SC, CQ],
    )
    rules = [
        {"revenue_type": "vat", "method": "stock_increment", "ratios": [[SC, 50], [CQ, 50]]},
        {"revenue_type": "cit", "method": "stock_increment", "ratios": [[SC, 50], [CQ, 50]]},
        {"revenue_type": "pit", "method": "proportional", "ratios": [[SC, 60], [CQ, 40]]},
        {"revenue_type": "land", "method": "proportional", "ratios": [[SC, 1], [CQ, 1]]},
    ]
    draft = services.version_save_draft(actor=SYSTEM, agreement=agreement, rules=rules)
    services.version_adopt(actor=SYSTEM, agreement=agreement, version=draft, effective_from="2025-01")
    entry = dt.date(2020, 1, 1)
    ParkEnterprise.objects.bulk_create(
        [ParkEnterprise(agreement=agreement, name=f"企业{i:06d}", origin_id=SC if i % 2 else CQ, entry_date=entry,
                        baselines={"vat": 600_000 + (i % 997) * 1_000, "cit": 300_000 + (i % 991) * 500}) for i in range(n)],
        batch_size=5000,
    )  # fmt: skip
    ids = list(ParkEnterprise.objects.filter(agreement=agreement).order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY sharing_revenuerecord (agreement_id, enterprise_id, revenue_type, period, amount_fen, version, is_current, source, created_by_label, created_at) FROM STDIN"
        ) as copy,
    ):
        now = "2026-01-05 10:00:00+08"
        for month in range(1, 13):
            period = f"2025-{month:02d}"
            buffer = io.StringIO()
            for i, pk in enumerate(ids):
                seed = (i * 7919 + month * 104_729) % 100_003
                buffer.write(
                    f"{agreement.pk}\t{pk}\tvat\t{period}\t{60_000 + seed * 13}\t1\tt\timport\tbench\t{now}\n"
                )
                buffer.write(
                    f"{agreement.pk}\t{pk}\tcit\t{period}\t{25_000 + seed * 7 - (50_000 if seed % 97 == 0 else 0)}\t1\tt\timport\tbench\t{now}\n"
                )
                buffer.write(
                    f"{agreement.pk}\t{pk}\tpit\t{period}\t{1_000 + seed % 9_973}\t1\tt\timport\tbench\t{now}\n"
                )
                buffer.write(
                    f"{agreement.pk}\t{pk}\tland\t{period}\t{(seed % 5) * 3_333}\t1\tt\timport\tbench\t{now}\n"
                )
            copy.write(buffer.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sharing_revenuerecord")
    print(
        json.dumps({"agreement": code, "records": n * 48, "load_s": round(time.perf_counter() - started, 1)})
    )


def settle(code: str) -> None:
    _django()
    from django.db import connection

    from xietong.core.actor import SYSTEM
    from xietong.ledger.checks import run_all
    from xietong.ledger.models import Entry
    from xietong.sharing import services
    from xietong.sharing.models import Agreement

    agreement = Agreement.objects.get(code=code)
    entries = Entry.objects.count()
    started, cpu = time.perf_counter(), _cpu_s()
    done = services.settle(actor=SYSTEM, agreement=agreement)
    seconds, cpu = time.perf_counter() - started, _cpu_s() - cpu
    posted = Entry.objects.count() - entries
    check = "skipped"
    if os.environ.get("BENCH_CHECK_LEDGER"):
        check = "ok" if run_all() == [] else "PROBLEMS"
    connection.close()
    print(
        json.dumps(
            {
                "settlements": len(done),
                "entries_posted": posted,
                "seconds": round(seconds, 2),
                "cpu_s": round(cpu, 2),
                "peak_mb": round(_peak_mb()),
                "check_ledger": check,
            }
        )
    )


def export(code: str, folder: Path) -> None:
    _django()
    from django.db import connection

    from xietong.sharing.models import Agreement

    agreement = Agreement.objects.get(code=code)
    sql = (
        "COPY (SELECT e.name, e.origin_id, r.revenue_type, r.period, r.amount_fen FROM sharing_revenuerecord r "
        f"JOIN sharing_parkenterprise e ON e.id = r.enterprise_id WHERE r.agreement_id = {int(agreement.pk)} AND r.is_current) TO STDOUT WITH (FORMAT csv)"
    )
    with (folder / "revenue.csv").open("wb") as sink, connection.cursor() as cursor:
        sink.write(b"enterprise,origin,revenue_type,period,amount_fen\n")
        with cursor.cursor.copy(sql) as copy:
            for chunk in copy:
                sink.write(chunk)
    baselines = {
        name: {"vat": b["vat"], "cit": b["cit"]}
        for name, b in agreement.enterprises.values_list("name", "baselines")
    }
    rules = {"parties": [SC, CQ], "baselines": baselines, "rules": [
        {"revenue_type": "vat", "method": "stock_increment", "ratios": {SC: 50, CQ: 50}},
        {"revenue_type": "cit", "method": "stock_increment", "ratios": {SC: 50, CQ: 50}},
        {"revenue_type": "pit", "method": "proportional", "ratios": {SC: 60, CQ: 40}},
        {"revenue_type": "land", "method": "proportional", "ratios": {SC: 1, CQ: 1}},
    ]}  # fmt: skip
    (folder / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    print(json.dumps({"exported": True}))


def _child(*args: str) -> dict:
    env = dict(os.environ, DEBUG="false", SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "x" * 40))
    env.setdefault("XIETONG_VOUCHER_CODE_KEYS", "bench-voucher-key-" + "y" * 40)
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("phase", nargs="?", default="all")
    parser.add_argument("arg", nargs="?", default="")
    parser.add_argument(
        "--reuse",
        default="",
        help="an agreement code from an earlier run: skip setup and the first settlement",
    )
    args = parser.parse_args()
    if args.phase == "setup":
        return setup(args.enterprises)
    if args.phase == "settle":
        return settle(args.arg)
    if args.phase == "export":
        return export(args.arg, Path(os.environ["BENCH_FOLDER"]))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    if args.reuse:
        made = {"agreement": args.reuse, "records": args.enterprises * 48, "load_s": "—"}
        first = {"seconds": "—", "cpu_s": "—", "peak_mb": "—", "settlements": "—", "entries_posted": "—"}
    else:
        made = _child("--enterprises", str(args.enterprises), "setup")
        first = _child("settle", made["agreement"])
    rerun = _child("settle", made["agreement"])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BENCH_FOLDER"] = folder
        _child("export", made["agreement"])
        xietong = str(Path(sys.executable).with_name("xietong"))
        started = time.perf_counter()
        run = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", xietong, "sharing", "simulate", "--rules", f"{folder}/rules.json", "--revenue", f"{folder}/revenue.csv", "--out", f"{folder}/shares.csv"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        simulate_s = time.perf_counter() - started
        peak_kb, user, system = run.stderr.strip().splitlines()[-1].split()
        simulate_mb, simulate_cpu = int(peak_kb) / 1024, float(user) + float(system)
        rows = sum(1 for _ in open(f"{folder}/shares.csv", "rb")) - 1
    print(f"records: {made['records']:,} (loaded with COPY in {made['load_s']} s, not timed)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| step | wall time | CPU time (this process) | peak memory | result |")
    print("|---|---:|---:|---:|---|")
    rows_out = [
        (
            "settle 12 months (first run)",
            first,
            f"{first['settlements']} settlements, {first['entries_posted']} entries",
        ),
        ("settle again, nothing changed", rerun, f"{rerun['entries_posted']} entries posted"),
    ]
    for label, r, result in rows_out:
        print(f"| {label} | {r['seconds']} s | {r['cpu_s']} s | {r['peak_mb']} MB | {result} |")
    print(
        f"| `xietong sharing simulate` | {simulate_s:.2f} s | {simulate_cpu:.2f} s | {simulate_mb:.0f} MB | {rows:,} share rows |"
    )


if __name__ == "__main__":
    main()
