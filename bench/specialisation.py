"""Benchmark of the specialisation engine at the issue's scale: 300 regions × 2,000 segments.

Usage: ``.venv/bin/python bench/specialisation.py [--repeat 7] [--cli]``. The matrix is built from 100,000
seeded synthetic attachments (organisation → region, segment) the way the chains app builds it, then the
full specialisation of one zone runs: RCA, presence, classes, Hachman, diversity, ubiquity, ECI/PCI,
proximity, density, COI and COG, and the long table. Prints a Markdown table (median and spread of the
runs) for docs/PERFORMANCE.md. ``--cli`` also times ``xietong chains specialise`` on the same data as a CSV
(a new process each run).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xietong.specialisation import complexity, matrix_from_long, presence, rca, specialise

N_REGIONS, N_SEGMENTS, N_ATTACHMENTS = 300, 2_000, 100_000


def attachments(seed: int = 16) -> pd.DataFrame:
    """Skewed like real chains: big and small regions, common and rare segments, regional specialities."""
    rng = np.random.default_rng(seed)
    region_weight = 1.0 / np.arange(1, N_REGIONS + 1) ** 0.8
    segment_weight = 1.0 / np.arange(1, N_SEGMENTS + 1) ** 0.6
    regions = rng.choice(N_REGIONS, size=N_ATTACHMENTS, p=region_weight / region_weight.sum())
    # half the attachments follow the zone's mix, half a region's own specialities (40 segments each)
    specialities = rng.integers(0, N_SEGMENTS, size=(N_REGIONS, 40))
    own = rng.random(N_ATTACHMENTS) < 0.5
    segments = np.where(
        own,
        specialities[regions, rng.integers(0, 40, size=N_ATTACHMENTS)],
        rng.choice(N_SEGMENTS, size=N_ATTACHMENTS, p=segment_weight / segment_weight.sum()),
    )
    return pd.DataFrame(
        {
            "region": np.char.add("R", regions.astype(str)),
            "segment": np.char.add("S", segments.astype(str)),
            "value": rng.lognormal(3.0, 1.0, size=N_ATTACHMENTS).round(2),
        }
    )


def timed(function, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds per run: on a shared machine the CPU time is the engine's own work."""
    seconds = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        seconds.append((time.perf_counter() - wall, time.process_time() - cpu))
    return seconds


def row(name: str, seconds: list[tuple[float, float]]) -> str:
    wall = [w for w, _ in seconds]
    cpu = statistics.median(c for _, c in seconds)
    return (
        f"| {name} | {statistics.median(wall) * 1000:.0f} | {min(wall) * 1000:.0f} | "
        f"{max(wall) * 1000:.0f} | {cpu * 1000:.0f} | {len(seconds)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()

    long = attachments()
    matrix = matrix_from_long(long)
    m = presence(rca(matrix))
    result = specialise(matrix)
    print(
        f"{matrix.shape[0]} regions × {matrix.shape[1]} segments from {len(long):,} attachments; "
        f"{int((matrix.to_numpy() > 0).sum()):,} non-zero cells, {int(m.to_numpy().sum()):,} with RCA ≥ 1; "
        f"ECI defined: {result.complexity.defined}"
    )
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, {os.cpu_count()} CPUs"
    )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| step | median ms | min ms | max ms | median CPU ms | runs |")
    print("|---|---|---|---|---|---|")
    print(row("matrix from 100,000 attachments", timed(lambda: matrix_from_long(long), args.repeat)))
    print(row("RCA + presence", timed(lambda: presence(rca(matrix)), args.repeat)))
    print(row("complexity (ECI/PCI, proximity, density, COI/COG)", timed(lambda: complexity(m), args.repeat)))
    print(
        row(
            "full `specialise` (all of it, with classes and Hachman)",
            timed(lambda: specialise(matrix), args.repeat),
        )
    )
    print(
        row(
            "attachments → `specialise` → long table (600,000 rows)",
            timed(lambda: specialise(matrix_from_long(long)).table(), args.repeat),
        )
    )
    if args.cli:
        with tempfile.TemporaryDirectory() as folder:
            source, out = Path(folder) / "m.csv", Path(folder) / "out.csv"
            long.to_csv(source, index=False)
            command = [sys.executable, "-m", "xietong.cli", "chains", "specialise", "--matrix", str(source)]
            command += ["--out", str(out), "-q"]
            seconds = timed(lambda: subprocess.run(command, check=True), max(1, args.repeat // 2))
            # the child's CPU is not this process's: report wall time only
            print(
                row(
                    "`xietong chains specialise` CSV → CSV, new process (CPU: n/a)",
                    [(w, 0.0) for w, _ in seconds],
                )
            )
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
