"""Industry chains at scale: 300 regions × 2,000 segments × 100,000 links — the zone's specialisation
(engine), one member's 补链/强链/延链 with recommendations, and the chain page's server time.

Run: .venv/bin/python bench/chains.py [--regions 300] [--segments 2000] [--links 100000] [--runs 5]
       [--engine sqlite|postgres]
Builds its own database (SQLite under var/bench/, or PostgreSQL `xietong_bench_chains`), prints a table of
medians; not a test. Figures are recorded in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xietong_bench_chains")
PER_CHAIN = 40


def _environment(engine: str, reuse: bool) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="xietong.settings", DEBUG="true", ALLOWED_HOSTS="testserver,127.0.0.1"
    )
    if engine == "sqlite":
        bench = ROOT / "var" / "bench"
        bench.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm") if not reuse else ():
            (bench / f"chains.sqlite3{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = ""
        os.environ["XIETONG_SQLITE_PATH"] = str(bench / "chains.sqlite3")
    else:
        import psycopg

        os.environ["DATABASE_URL"] = PG_BENCH_URL
        if reuse:
            return
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS xietong_bench_chains")
            conn.execute("CREATE DATABASE xietong_bench_chains")
        os.environ["DATABASE_URL"] = PG_BENCH_URL


def _build(n_regions: int, n_segments: int, n_links: int, rng: random.Random) -> tuple:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from xietong.chains.models import Attachment, Chain, Segment, SegmentEdge
    from xietong.orgs import credit_code
    from xietong.orgs.models import Membership, Organisation
    from xietong.regions import selectors as region_selectors
    from xietong.regions import services as region_services
    from xietong.regions.enums import RegionLevel
    from xietong.regions.models import Region, Zone, ZoneMember

    call_command("migrate", verbosity=0)
    region_services.regions_load()
    region_services.zone_presets_load()
    members = list(Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code")[:n_regions])
    zone = Zone.objects.create(code="bench", name="基准测试协同区", short_name="基准")
    ZoneMember.objects.bulk_create([ZoneMember(zone=zone, region=r) for r in members])
    stages = ["upstream", "midstream", "downstream"]
    chains = Chain.objects.bulk_create(
        [Chain(code=f"b{i:02d}", name=f"基准产业链{i:02d}") for i in range(n_segments // PER_CHAIN)]
    )
    segments = Segment.objects.bulk_create([
        Segment(chain=c, code=f"S{j:02d}", name=f"{c.name}环节{j:02d}", stage=stages[j * 3 // PER_CHAIN], position=j,
                keywords=[f"关键词{j}"])
        for c in chains for j in range(PER_CHAIN)
    ])  # fmt: skip
    edges = []
    for c in range(len(chains)):
        block = segments[c * PER_CHAIN : (c + 1) * PER_CHAIN]
        for j in range(1, PER_CHAIN):
            edges.append(SegmentEdge(chain=chains[c], upstream=block[rng.randrange(j)], downstream=block[j]))
    SegmentEdge.objects.bulk_create(edges, batch_size=2000)
    counties = {
        m.code: [c for c in region_selectors.region_descendant_codes(m.code) if c != m.code] or [m.code]
        for m in members
    }
    n_orgs, per_org = n_links // 4, 4
    orgs = []
    for i in range(n_orgs):
        member = members[i % len(members)].code
        region = rng.choice(counties[member])
        orgs.append(Organisation(name=f"基准机构{i:06d}", kind="enterprise", region_id=region, status="approved",
                                 credit_code=credit_code.make(region_code=region, serial=f"{i:08d}")))  # fmt: skip
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    favourites = {m.code: rng.sample(range(len(segments)), 60) for m in members}
    links = []
    for org in orgs:
        member = (
            next(m for m in (org.region_id[:4] + "00", org.region_id) if m in favourites)
            if org.region_id[:4] + "00" in favourites or org.region_id in favourites
            else members[0].code
        )
        chosen = set()
        while len(chosen) < per_org:
            chosen.add(rng.choice(favourites[member]) if rng.random() < 0.7 else rng.randrange(len(segments)))
        for k, s in enumerate(sorted(chosen)):
            links.append(Attachment(organisation=org, segment=segments[s], region_id=org.region_id, role="primary" if k == 0 else "secondary",
                                    source="bureau", status="active", is_bureau_confirmed=True))  # fmt: skip
    Attachment.objects.bulk_create(links, batch_size=5000)
    user = get_user_model().objects.create(username="bench_bureau")
    Membership.objects.create(user=user, role="region_bureau", region=members[0])
    return zone, members[0].code, user, len(orgs), len(links)


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--reuse", action="store_true", help="measure the database a previous run built")
    args = parser.parse_args()
    _environment(args.engine, args.reuse)
    import django

    django.setup()
    from django.test import Client

    from xietong.chains import analysis, reports, selectors
    from xietong.core.actor import actor_for

    rng = random.Random(16)
    t0 = time.perf_counter()
    if args.reuse:
        zone, region, user, n_orgs, n_links = _existing()
    else:
        zone, region, user, n_orgs, n_links = _build(args.regions, args.segments, args.links, rng)
    build_s = time.perf_counter() - t0
    actor = actor_for(user)
    rows = []
    cold = lambda: analysis._compute(zone)  # noqa: E731  (no cache: what the first request after a change pays)
    ms, matrix = _median(cold, args.runs)
    rows.append(("zone matrix, cold: aggregate query + RCA + presence (engine)", ms))
    ms, _ = _median(lambda: cold().density, args.runs)
    rows.append(("zone matrix, cold, + proximity and relatedness density (engine)", ms))
    ms, _ = _median(lambda: analysis.zone_matrix(zone), args.runs)
    rows.append(("zone matrix, warm: stamp query, cached matrix", ms))
    chain = selectors.chain_get(code="b00")
    ms, report = _median(
        lambda: reports.region_report(actor=actor, zone_code="bench", region_code=region, chain_code="b00"),
        args.runs,
    )
    rows.append((f"one member's gaps + recommendations, one chain ({len(report.gaps)} gaps)", ms))
    ms, report = _median(
        lambda: reports.region_report(
            actor=actor, zone_code="bench", region_code=region, with_recommendations=False
        ),
        args.runs,
    )
    rows.append((f"one member's gaps, all chains, no recommendations ({len(report.gaps)} gaps)", ms))
    from xietong.chains import matrix_store, recommend, tasks

    def forget(disk: bool):
        analysis._CACHE.clear()
        recommend.reset_hits()
        if disk:
            for path in matrix_store.root().glob("zone-*.npz"):
                path.unlink()

    def nothing_kept():
        forget(disk=True)
        return reports.region_report(actor=actor, zone_code="bench", region_code=region, chain_code="b00")

    ms, _ = _median(nothing_kept, args.runs)
    rows.append(("nothing kept (no task ran): matrix + density + gaps + recommendations, one chain", ms))

    def background():
        forget(disk=True)
        t0 = time.perf_counter()
        tasks.refresh_zone_matrices.call_local()
        return time.perf_counter() - t0

    ms, _ = _median(background, args.runs)
    rows.append(("background task after a write: every zone's matrix + density to disk", ms))

    def after_task():
        forget(disk=False)  # a web process that has not seen the change: the worker's file is there
        return reports.region_report(actor=actor, zone_code="bench", region_code=region, chain_code="b00")

    tasks.refresh_zone_matrices.call_local()
    ms, _ = _median(after_task, args.runs)
    rows.append(("first request after a write (task done): load from disk + gaps + recommendations", ms))

    def page_after_task():
        forget(disk=False)
        return client.get(url)

    client = Client()
    client.force_login(user)
    url = f"/chains/{chain.code}/?zone=bench&region={region}"
    ms, _ = _median(page_after_task, args.runs)
    rows.append(("chain page, first request after a write (task done)", ms))
    ms, listed = _median(
        lambda: reports.zone_list(actor=_admin(), zone_code="bench", chain_code="b00"), args.runs
    )
    rows.append(
        (f"zone-wide list, every member, one chain + partners ({listed.count('lacking')} 补链 pairs)", ms)
    )
    ms, zone_report = _median(
        lambda: reports.zone_report(
            actor=actor_for(None) if False else _admin(), zone_code="bench", chain_code="b00"
        ),
        args.runs,
    )
    rows.append((f"zone-wide gaps + recommendations, one chain ({len(zone_report.gaps)} gaps)", ms))
    assert client.get(url).status_code == 200
    ms, _ = _median(lambda: client.get(url), max(args.runs, 10))
    rows.append(("chain page GET /chains/b00/ (server time, test client)", ms))
    ms, _ = _median(
        lambda: client.get(f"/api/v1/chains/chains/b00/map?zone=bench&region={region}"), max(args.runs, 10)
    )
    rows.append(("chain map API GET /api/v1/chains/chains/b00/map", ms))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"engine={args.engine} regions={args.regions} segments={len(matrix.counts.columns)} links={n_links} "
          f"orgs={n_orgs} build={build_s:.1f}s runs={args.runs} (median)")  # fmt: skip
    print(f"{'step':<80} {'ms':>9}")
    for name, value in rows:
        print(f"{name:<80} {value:>9.1f}")


def _existing() -> tuple:
    from django.contrib.auth import get_user_model

    from xietong.chains.models import Attachment
    from xietong.orgs.models import Membership, Organisation
    from xietong.regions.models import Zone

    user = get_user_model().objects.get(username="bench_bureau")
    region = Membership.objects.get(user=user).region_id
    return (
        Zone.objects.get(code="bench"),
        region,
        user,
        Organisation.objects.count(),
        Attachment.objects.count(),
    )


def _admin():
    from xietong.core.actor import SYSTEM

    return SYSTEM


if __name__ == "__main__":
    main()
