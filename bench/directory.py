"""Directory search at scale: 100,000 generated organisations, API and page, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/directory.py [--orgs 100000] [--runs 200] [--engines sqlite,postgres]
Each engine runs in a child process with its own database (SQLite under var/bench/, PostgreSQL database
`xietong_bench` on 127.0.0.1:5432). Prints p50/p95 latency and queries per request; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xietong_bench")
FRAGMENTS = ["智能", "医药", "装备", "电子", "新材料", "检测", "研究院", "光电", "集成电路", "汽车"]


def _prepare_engine(engine: str) -> dict[str, str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="xietong.settings",
        DEBUG="true",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    if engine == "sqlite":
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (bench_dir / f"directory.sqlite3{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = ""
        env["XIETONG_SQLITE_PATH"] = str(bench_dir / "directory.sqlite3")
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS xietong_bench")
            conn.execute("CREATE DATABASE xietong_bench")
        env["DATABASE_URL"] = PG_BENCH_URL
    return env


def child(n_orgs: int, runs: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xietong.orgs import credit_code
    from xietong.orgs.enums import Industry, OrgKind, OrgStatus
    from xietong.orgs.models import Organisation
    from xietong.regions import services
    from xietong.regions.enums import RegionLevel
    from xietong.regions.models import Region

    call_command("migrate", verbosity=0)
    services.regions_load()
    services.zone_presets_load()
    rng = random.Random(7)
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
    kinds, industries = OrgKind.values, [i for i in Industry.values if i != "other"]
    words = "华泰中科天启博远鼎新思源卓越汇智星辰凯达宏图瑞丰联创睿信精工海纳银河伟业"
    t0 = time.perf_counter()
    batch = []
    for i in range(n_orgs):
        region = rng.choice(counties)
        name = (
            "".join(rng.sample(words, 2))
            + rng.choice(FRAGMENTS)
            + rng.choice(["有限公司", "科技有限公司", "研究院", "中心"])
        )
        batch.append(Organisation(
            name=f"{name}{i}", kind=rng.choice(kinds), region_id=region, industry=rng.choice(industries),
            status=OrgStatus.APPROVED if rng.random() < 0.95 else OrgStatus.PENDING,
            credit_code=credit_code.make(region_code=region, serial=f"{i:08d}"),
            is_high_tech=rng.random() < 0.3, is_tech_sme=rng.random() < 0.4,
        ))  # fmt: skip
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_seconds = time.perf_counter() - t0

    provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True))
    client = Client()
    results = {}
    for label, url in (("api", "/api/v1/orgs"), ("page", "/orgs/")):
        times, queries, totals = [], [], []
        for r in range(runs):
            params = {"q": rng.choice(FRAGMENTS), "region": rng.choice(provinces), "kind": rng.choice(kinds)}
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url, params)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.content[:300]
            if r >= 5:  # warm-up excluded
                times.append(elapsed * 1000)
                queries.append(len(ctx.captured_queries))
            if label == "api":
                totals.append(response.json()["total"])
        times.sort()
        results[label] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": sorted(set(queries)),
            "mean_hits": round(statistics.mean(totals), 1) if totals else None,
        }
    return {
        "engine": connection.vendor,
        "orgs": Organisation.objects.count(),
        "load_s": round(load_seconds, 1),
        **results,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.orgs, args.runs)))
        return
    rows = []
    for engine in args.engines.split(","):
        try:
            env = _prepare_engine(engine)
        except Exception as exc:  # PostgreSQL not reachable: say so and go on
            print(f"skip {engine}: {exc}")
            continue
        out = subprocess.run(
            [sys.executable, __file__, "--child", f"--orgs={args.orgs}", f"--runs={args.runs}"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if out.returncode:
            sys.exit(f"{engine} run failed:\n{out.stderr[-3000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"{'engine':<11}{'orgs':>8}{'load s':>8}  {'API p50/p95 ms':>16} {'q/req':>6}  {'page p50/p95 ms':>16} {'q/req':>6}"
    )
    for r in rows:
        print(
            f"{r['engine']:<11}{r['orgs']:>8}{r['load_s']:>8}  {r['api']['p50_ms']:>7}/{r['api']['p95_ms']:<8} "
            f"{','.join(map(str, r['api']['queries'])):>6}  {r['page']['p50_ms']:>7}/{r['page']['p95_ms']:<8} "
            f"{','.join(map(str, r['page']['queries'])):>6}"
        )


if __name__ == "__main__":
    main()
