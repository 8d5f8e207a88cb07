"""Speed targets of the issue (run with ``-m benchmark``; excluded from the default run)."""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

import pytest

from xietong.composite import preset_pipeline, sensitivity_analysis

BENCH = Path(__file__).resolve().parents[2] / "bench" / "composite.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_composite", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _median(function, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.mark.benchmark
def test_full_pipeline_3000_units_100_indicators_20_years_under_1s():
    bench = _bench_module()
    frame, framework = bench.synthetic(3000, 100, 20)
    scores = bench.full_run(frame, framework)
    assert len(scores) == 60_000
    assert _median(lambda: bench.full_run(frame, framework)) <= 1.0


@pytest.mark.benchmark
def test_120_run_sensitivity_on_asem_under_1s(asem_data, asem_framework):
    bench = _bench_module()
    inputs = bench.sa_inputs(asem_framework)

    def run():
        result = sensitivity_analysis(
            asem_data, asem_framework, preset_pipeline("coinr"), inputs, n=20, seed=1
        )
        assert len(result.parameters) == 120

    assert _median(run) <= 1.0
