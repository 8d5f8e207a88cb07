"""`xietong assign` on files: the answer in out.csv, the exit codes, and nothing written on a mistake."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xietong.cli import app

AFFINITY = """item,expert,affinity
P1,A,0.9
P1,B,0.5
P1,C,0.1
P2,A,0.8
P2,B,0.7
P2,D,0.3
P3,C,0.6
P3,D,0.2
P3,A,0.4
"""
CONFLICTS = "item,expert\nP1,A\n"
REGIONS = "id,region\nP1,川\nP2,渝\nP3,川\nA,川\nB,渝\nC,川\nD,渝\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "A.csv").write_text(AFFINITY, encoding="utf-8")
    (tmp_path / "C.csv").write_text(CONFLICTS, encoding="utf-8")
    (tmp_path / "R.csv").write_text(REGIONS, encoding="utf-8")
    return tmp_path


def run(files: Path, *args: str, out: str = "out.csv"):
    argv = ["assign", "--affinity", str(files / "A.csv"), "--out", str(files / out), *args]
    return CliRunner().invoke(app, argv)


def rows(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["item", "expert", "affinity"]
        return [(i, e, float(a)) for i, e, a in reader]


def test_optimal_writes_the_assignment_and_prints_the_objective(files):
    result = run(files, "--k", "2", "--cap", "2", "--conflicts", str(files / "C.csv"))
    assert result.exit_code == 0, result.output
    assert "总匹配度（objective）：3.100000" in result.output
    assert rows(files / "out.csv") == [
        ("P1", "B", 0.5),
        ("P1", "C", 0.1),
        ("P2", "A", 0.8),
        ("P2", "B", 0.7),
        ("P3", "C", 0.6),
        ("P3", "A", 0.4),
    ]


def test_regions_and_a_regional_rule(files):
    result = run(
        files,
        *("--k", "2", "--cap", "2", "--conflicts", str(files / "C.csv")),
        *("--regions", str(files / "R.csv"), "--min-other-region", "1"),
    )
    assert result.exit_code == 0, result.output
    region = dict(line.split(",") for line in REGIONS.splitlines()[1:])
    chosen = rows(files / "out.csv")
    for item in ("P1", "P2", "P3"):
        assert any(region[e] != region[item] for i, e, _ in chosen if i == item)
    assert "总匹配度（objective）：2.900000" in result.output


@pytest.mark.parametrize("mode", ["fair", "random", "randomized"])
def test_every_mode_writes_a_complete_assignment(files, mode):
    extra = ("--max-prob", "0.7") if mode == "randomized" else ()
    result = run(files, "--k", "2", "--cap", "2", "--mode", mode, "--seed", "5", *extra)
    assert result.exit_code == 0, result.output
    chosen = rows(files / "out.csv")
    assert sorted(i for i, _, _ in chosen) == ["P1", "P1", "P2", "P2", "P3", "P3"]
    if mode != "fair":
        assert "随机种子：5" in result.output


def test_random_repeats_with_the_same_seed(files):
    lines = "\n".join(f"P{i},E{e},1" for i in range(8) for e in range(12))
    (files / "A.csv").write_text("item,expert,affinity\n" + lines + "\n", encoding="utf-8")
    outputs = []
    for seed, out in (("3", "a.csv"), ("3", "b.csv"), ("4", "c.csv")):
        assert (
            run(files, "--k", "3", "--cap", "3", "--mode", "random", "--seed", seed, out=out).exit_code == 0
        )
        outputs.append((files / out).read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def test_an_infeasible_round_lists_the_blocking_items_and_writes_nothing(files):
    result = run(files, "--k", "2", "--cap", "1")
    assert result.exit_code == 2
    assert "以下 3 项无法配齐评审专家，未写出结果文件" in result.output
    assert "P1：专家评审上限不足" in result.output
    assert not (files / "out.csv").exists()


def test_an_item_short_of_eligible_experts_is_named_with_its_reason(files):
    result = run(files, "--k", "3", "--cap", "3", "--conflicts", str(files / "C.csv"))
    assert result.exit_code == 2
    assert (
        "P1：符合回避规则且尚有评审名额的专家只有 2 位（另有 1 位因回避排除），少于每项所需 3 位"
        in result.output
    )
    assert not (files / "out.csv").exists()


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ("--k", "5", "--cap", "2"), "每项所需专家数 k（5）大于专家库的人数（4 位）"),
        (None, ("--k", "2", "--cap", "0"), "--cap 必须是正整数，收到“0”"),
        (None, ("--k", "两", "--cap", "2"), "--k 必须是整数，收到“两”"),
        (None, ("--cap", "2"), "缺少必填参数 --k"),
        (
            ("A.csv", AFFINITY.replace("0.9", "高")),
            ("--k", "2", "--cap", "2"),
            "匹配度必须是数字：第 2 行“高”",
        ),
        (
            ("A.csv", AFFINITY.replace("0.9", "inf")),
            ("--k", "2", "--cap", "2"),
            "匹配度必须是数字：第 2 行“inf”",
        ),
        (("A.csv", "item,expert\nP1,A\n"), ("--k", "1", "--cap", "1"), "A.csv 缺少列：affinity"),
        (("A.csv", ""), ("--k", "1", "--cap", "1"), "A.csv 是空文件"),
        (("A.csv", AFFINITY + "P1,A,0.3\n"), ("--k", "1", "--cap", "1"), "匹配度表中同一对重复出现：P1 / A"),
        (("A.csv", AFFINITY + ",A,0.3\n"), ("--k", "1", "--cap", "1"), "A.csv 第 11 行的 item 为空"),
        (
            ("C.csv", "item,expert\nP1,Z\n"),
            ("--k", "2", "--cap", "2", "--conflicts", "C.csv"),
            "回避名单中有未知的专家：Z",
        ),
        (
            ("C.csv", "item,who\nP1,A\n"),
            ("--k", "2", "--cap", "2", "--conflicts", "C.csv"),
            "C.csv 缺少列：expert",
        ),
        (
            ("R.csv", REGIONS + "Z,京\n"),
            ("--k", "2", "--cap", "2", "--regions", "R.csv", "--min-other-region", "1"),
            "R.csv 中有匹配度文件里没有的编号：Z",
        ),
        (
            ("R.csv", "id,area\nP1,川\n"),
            ("--k", "2", "--cap", "2", "--regions", "R.csv", "--min-other-region", "1"),
            "R.csv 缺少列：region",
        ),
        (
            ("R.csv", "id,region\nP1,川\n"),
            ("--k", "2", "--cap", "2", "--regions", "R.csv", "--min-other-region", "1"),
            "设置了地域规则，但以下评审对象没有地域：P2、P3",
        ),
        (
            None,
            ("--k", "2", "--cap", "2", "--min-other-region", "1"),
            "地域规则（--min-other-region / --max-same-region）需要 --regions",
        ),
        (None, ("--k", "2", "--cap", "2", "--conflicts", "missing.csv"), "找不到文件"),
        (None, ("--k", "2", "--cap", "2", "--mode", "best"), "未知的分配方式“best”"),
        (
            None,
            ("--k", "2", "--cap", "2", "--mode", "randomized"),
            "随机化优化方式（randomized）需要 --max-prob",
        ),
        (
            None,
            ("--k", "2", "--cap", "2", "--mode", "randomized", "--max-prob", "2"),
            "单对概率上限必须大于 0 且不大于 1",
        ),
        (None, ("--k", "2", "--cap", "2", "--max-prob", "0.5"), "--max-prob 只用于随机化优化方式"),
        (
            None,
            ("--k", "2", "--cap", "2", "--mode", "random", "--seed", "-3"),
            "--seed 必须是不小于 0 的整数",
        ),
    ],
)
def test_bad_input_is_a_chinese_message_exit_2_and_no_file(files, setup, args, message):
    if setup:
        name, text = setup
        (files / name).write_text(text, encoding="utf-8")
    args = tuple(str(files / a) if a.endswith(".csv") else a for a in args)
    (files / "out.csv").write_text("earlier run\n", encoding="utf-8")
    result = run(files, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert (files / "out.csv").read_text(encoding="utf-8") == "earlier run\n"  # untouched
    assert [p.name for p in files.iterdir() if p.name.startswith(".out.csv")] == []


def test_the_installed_command_runs(files):
    command = [sys.executable, "-m", "xietong.cli", "assign", "--affinity", str(files / "A.csv")]
    command += ["--k", "2", "--cap", "2", "--out", str(files / "out.csv")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "总匹配度（objective）：" in done.stdout
    assert len(rows(files / "out.csv")) == 6


def test_fair_out_of_time_exits_1_and_writes_nothing(files):
    (files / "A.csv").write_text("item,expert,affinity\nX,a,10\nX,b,4\nY,a,5\nY,b,1\n", encoding="utf-8")
    result = run(files, "--k", "1", "--cap", "1", "--mode", "fair", "--time-limit", "0.000000001")
    assert result.exit_code == 1
    assert "公平优先分配在时间上限内没有完成，请放宽 --time-limit 或改用 optimal 方式" in result.output
    assert not (files / "out.csv").exists()
