"""Demo data: deterministic, idempotent, fast; and tenancy lint over this app's own models."""

import re
import time
from pathlib import Path

import pytest

from xietong.evaluation import demo
from xietong.evaluation.models import Dataset, Framework, Run
from xietong.evaluation.presets import FRAMEWORK_PRESETS

SRC = Path(__file__).resolve().parents[2] / "src" / "xietong" / "evaluation"


def test_generated_data_is_deterministic_and_plausible():
    first, second = demo.generate(FRAMEWORK_PRESETS["yrd"]), demo.generate(FRAMEWORK_PRESETS["yrd"])
    assert first.equals(second)
    assert len(first) == 41 * 14
    latest = first[first["Time"] == 2024].set_index("uCode")
    assert latest.loc["310000", "rs_rd_personnel"] > latest.loc["341700", "rs_rd_personnel"]  # 上海 > 池州
    assert 0.005 < first.drop(columns=["uCode", "Time"]).isna().mean().mean() < 0.02
    assert len(demo.generate(FRAMEWORK_PRESETS["jjj"])) == 13 * 12


@pytest.mark.django_db
def test_load_is_idempotent_and_fast():
    started = time.perf_counter()
    summary = demo.load()
    assert time.perf_counter() - started < 10
    assert "长三角 41 个城市" in summary
    demo.load()
    assert (Framework.objects.count(), Dataset.objects.count(), Run.objects.count()) == (2, 2, 2)
    assert all(run.is_published and run.dataset.is_demo for run in Run.objects.all())


def test_no_unscoped_reads_of_evaluation_models():
    pattern = re.compile(
        r"\b(Framework|FrameworkVersion|Dataset|Run)\.objects\.(get|filter|select_related|select_for_update)\("
    )
    found = []
    for path in sorted(SRC.glob("*.py")):
        if path.name not in ("api.py", "views.py", "services.py"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            previous = lines[number - 2] if number > 1 else ""
            if pattern.search(line) and "# tenancy-ok:" not in line + previous:
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []
