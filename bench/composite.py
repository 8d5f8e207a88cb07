"""Benchmark of the composite engine against COINr's recorded timings.

Usage: ``.venv/bin/python bench/composite.py [--repeat 7] [--cli-only]``. The first table is the
``xietong index run`` command end to end (a new process each time) from CSV and Parquet. Prints a Markdown table (median of the
runs, plus peak memory) for docs/performance/composite.md. The synthetic data follow the generator in
``../shared/reference/coinr-asem/README.md`` ("Synthetic benchmark data"), reproduced bit for bit.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xietong.composite import (
    Framework,
    Node,
    Pipeline,
    UncertainInput,
    dataset_from_table,
    preset_pipeline,
    read_table,
    sensitivity_analysis,
)

ASEM = Path(__file__).resolve().parents[2] / "shared" / "reference" / "coinr-asem"
SIZES = [(51, 49, 1), (300, 100, 1), (3000, 100, 1), (3000, 100, 2), (3000, 100, 20)]
COINR_SECONDS = {(3000, 100, 20): 57.4}
COINR_SA_SECONDS = 14.0


def synthetic(n_units: int, n_indicators: int, n_years: int) -> tuple[pd.DataFrame, Framework]:
    """The README generator, vectorised: one row per (unit, year)."""
    u = np.arange(1, n_units + 1, dtype=np.int64)[:, None, None]
    i = np.arange(1, n_indicators + 1, dtype=np.int64)[None, None, :]
    t = np.arange(1, n_years + 1, dtype=np.int64)[None, :, None]
    h = (u * 2654435761 + i * 40503 + t * 97) % 4294967296
    v = (h % 100003) / 100003
    v = np.where(i % 5 == 0, np.exp(6 * v), v)
    v = np.where(h % 97 == 0, np.nan, v)
    codes = [f"I{k:03d}" for k in range(1, n_indicators + 1)]
    frame = pd.DataFrame(v.reshape(n_units * n_years, n_indicators), columns=codes)
    units = np.repeat([f"U{k:04d}" for k in range(1, n_units + 1)], n_years)
    frame.insert(0, "Time", np.tile(2000 + np.arange(1, n_years + 1), n_units))
    frame.insert(0, "group", [f"G{k % 4}" for k in np.repeat(np.arange(1, n_units + 1), n_years)])
    frame.insert(0, "uCode", units)
    nodes = [
        Node(c, parent=f"P{(k - 1) % 10 + 1:02d}", direction=-1 if k % 7 == 0 else 1)
        for k, c in zip(range(1, n_indicators + 1), codes, strict=True)
    ]
    nodes += [Node(f"P{p:02d}", kind="Aggregate", level=2, parent="Index") for p in range(1, 11)]
    nodes += [Node("Index", kind="Aggregate", level=3), Node("group", kind="Group", level=None)]
    return frame, Framework.from_nodes(nodes)


# Timing pipeline of the README: mean imputation per year → default treatment per year →
# min-max [0, 100] pooled over years → arithmetic mean.
TIMING_PIPELINE = Pipeline.from_specs(
    [
        {"kind": "impute", "method": "mean"},
        {"kind": "treat"},
        {"kind": "normalise", "method": "minmax", "lower": 0.0, "upper": 100.0, "pooled": True},
        {"kind": "aggregate", "method": "arithmetic"},
    ]
)


def full_run(frame: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Table in, scores and ranks out: what a user of the CLI or the web app waits for."""
    data = dataset_from_table(frame, framework)
    return TIMING_PIPELINE.run(data, framework).scores()


CLI_SIZE = (3000, 100, 20)


def cli_end_to_end(repeat: int) -> list[str]:
    """`xietong index run --preset coinr` as a user runs it (a new process: imports, read, run, write),
    from CSV and from Parquet, beside the engine alone on the same data; table rows for the report."""
    frame, framework = synthetic(*CLI_SIZE)
    xietong = Path(sys.executable).parent / "xietong"
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        framework.to_table().to_csv(folder / "iMeta.csv", index=False)
        frame.to_csv(folder / "iData.csv", index=False)
        frame.to_parquet(folder / "iData.parquet", index=False)
        for fmt in ("csv", "parquet"):
            command = [str(xietong), "index", "run", "--quiet", "--preset", "coinr", "--data",
                       str(folder / f"iData.{fmt}"), "--meta", str(folder / "iMeta.csv"),
                       "--out", str(folder / f"out.{fmt}")]  # fmt: skip
            cpu: list[float] = []
            median, runs = median_seconds(lambda c=command, cpu=cpu: _child(c, cpu), repeat)
            size = (folder / f"iData.{fmt}").stat().st_size / 2**20
            label = f"CLI 端到端，{fmt.upper()}（{size:.0f} MB）"
            rows.append(_cli_row(label, median, runs, statistics.median(cpu)))
        data = dataset_from_table(frame, framework)
        pipeline = preset_pipeline("coinr")
        cpu = []

        def engine_only():
            start = time.process_time()
            pipeline.run(data, framework).scores()
            cpu.append(time.process_time() - start)

        median, runs = median_seconds(engine_only, repeat)
        label = "仅引擎（coinr 流程 + 得分表，数据已在内存）"
        rows.append(_cli_row(label, median, runs, statistics.median(cpu)))
    return rows


def _child(command: list[str], cpu: list[float]) -> None:
    """Run the CLI; record its CPU seconds (user + system), which a loaded machine inflates far less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def _cli_row(label: str, median: float, runs: list[float], cpu: float) -> str:
    coinr = COINR_SECONDS[CLI_SIZE]
    timings = ", ".join(f"{r:.2f}" for r in runs)
    return f"| {label} | {median:.2f} | {timings} | {cpu:.2f} | {coinr} | {coinr / median:.0f}× |"


def median_seconds(function, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def peak_mib(function) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def sa_inputs(framework: Framework) -> list[UncertainInput]:
    """COINr's vignette-style SA: winmax, normalisation, pillar weights (noise 25 %), aggregation."""
    return [
        UncertainInput("Winmax", alternatives=(1, 2, 3, 4, 5), step="Treated", parameter="winmax"),
        UncertainInput(
            "Normalisation",
            step="Normalised",
            alternatives=(
                {"method": "minmax", "lower": 1.0, "upper": 100.0},
                {"method": "zscore", "lower": 10.0, "upper": 2.0},
            ),
        ),
        UncertainInput.noisy_weights(framework, noise=0.25, level=2, n=100, seed=1),
        UncertainInput(
            "Aggregation", alternatives=("arithmetic", "geometric"), step="Aggregated", parameter="method"
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cli-only", action="store_true", help="only the CLI end to end at 3,000 × 100 × 20")
    args = parser.parse_args()
    print(
        f"机器：{platform.processor() or platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，"
        f"numpy {np.__version__}，pandas {pd.__version__}"
    )
    print(f"负载（1/5/15 分钟平均）：开始时 {' / '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print()
    print(
        "| 3,000 × 100 × 20，`--preset coinr` | 中位数 (s) | 各次 (s) | CPU 时间中位数 (s) | COINr (s) | 倍数 |"
    )
    print("|---|---|---|---|---|---|")
    for row in cli_end_to_end(args.repeat):
        print(row)
    print(f"负载（1/5/15 分钟平均）：结束时 {' / '.join(f'{v:.1f}' for v in os.getloadavg())}")
    if args.cli_only:
        return
    print()
    print(
        "| 规模（单位 × 指标 × 年） | 中位数 (s) | 各次 (s) | 内存峰值 (MiB, tracemalloc) | COINr (s) | 倍数 |"
    )
    print("|---|---|---|---|---|---|")
    for size in SIZES:
        frame, framework = synthetic(*size)
        full_run(frame, framework)  # warm-up (imports, caches)
        median, runs = median_seconds(lambda f=frame, fw=framework: full_run(f, fw), args.repeat)
        peak = peak_mib(lambda f=frame, fw=framework: full_run(f, fw))
        coinr = COINR_SECONDS.get(size)
        ratio = f"{coinr / median:.0f}×" if coinr else ""
        print(
            f"| {size[0]} × {size[1]} × {size[2]} | {median:.3f} | {', '.join(f'{r:.3f}' for r in runs)} | "
            f"{peak:.0f} | {coinr or ''} | {ratio} |"
        )
    framework = Framework.from_table(read_table(ASEM / "ASEM_iMeta.csv"))
    data = dataset_from_table(read_table(ASEM / "ASEM_iData.csv"), framework)
    pipeline = preset_pipeline("coinr")

    def sa():
        result = sensitivity_analysis(data, framework, pipeline, sa_inputs(framework), n=20, seed=1)
        assert len(result.parameters) == 120

    sa()
    median, runs = median_seconds(sa, args.repeat)
    peak = peak_mib(sa)
    print(
        f"| ASEM 敏感性分析 120 次 | {median:.3f} | {', '.join(f'{r:.3f}' for r in runs)} | {peak:.0f} | "
        f"{COINR_SA_SECONDS} | {COINR_SA_SECONDS / median:.0f}× |"
    )
    print()
    print(
        f"进程常驻内存峰值（ru_maxrss）：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
