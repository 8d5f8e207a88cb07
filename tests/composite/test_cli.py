"""`xietong index run` through typer's CliRunner."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from xietong.composite.cli import index_app

from . import reference
from .conftest import ASEM

runner = CliRunner()


def test_run_writes_scores_and_steps(tmp_path):
    # when
    out = tmp_path / "results.csv"
    result = runner.invoke(
        index_app,
        [
            "run",
            "--data",
            str(ASEM / "ASEM_iData.csv"),
            "--meta",
            str(ASEM / "ASEM_iMeta.csv"),
            "--preset",
            "coinr",
            "--out",
            str(out),
            "--steps-dir",
            str(tmp_path / "steps"),
        ],
    )
    # then
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns[:3]) == ["uCode", "Rank", "Index"]
    assert len(table) == 51
    expected = reference.coinr_example(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    assert (
        max(abs(v - expected[u]["Index"]) for u, v in zip(table["uCode"], table["Index"], strict=True)) < 1e-9
    )
    steps = sorted(p.name for p in (tmp_path / "steps").iterdir())
    assert steps == [
        "Aggregated.csv",
        "Denominated.csv",
        "Imputed.csv",
        "Normalised.csv",
        "Raw.csv",
        "Screened.csv",
        "Treated.csv",
        "Weights.csv",
    ]


def test_excel_input_gives_the_same_result(tmp_path):
    data, meta = tmp_path / "iData.xlsx", tmp_path / "iMeta.xlsx"
    pd.read_csv(ASEM / "ASEM_iData.csv").to_excel(data, index=False)
    pd.read_csv(ASEM / "ASEM_iMeta.csv").to_excel(meta, index=False)
    result = runner.invoke(
        index_app, ["run", "--data", str(data), "--meta", str(meta), "--out", str(tmp_path / "r.xlsx")]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_excel(tmp_path / "r.xlsx")
    expected = reference.coinr_example(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    assert (
        max(abs(v - expected[u]["Index"]) for u, v in zip(table["uCode"], table["Index"], strict=True)) < 1e-9
    )


def test_bad_framework_gives_chinese_message_and_exit_1(tmp_path):
    meta = pd.read_csv(ASEM / "ASEM_iMeta.csv")
    meta.loc[4, "Weight"] = -2
    meta.to_csv(tmp_path / "meta.csv", index=False)
    result = runner.invoke(
        index_app,
        [
            "run",
            "--data",
            str(ASEM / "ASEM_iData.csv"),
            "--meta",
            str(tmp_path / "meta.csv"),
            "--out",
            str(tmp_path / "r.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "第 6 行「Weight」列：权重不能为负数（-2）" in result.output
    assert not (tmp_path / "r.csv").exists()


def test_unknown_preset(tmp_path):
    result = runner.invoke(
        index_app,
        [
            "run",
            "--data",
            str(ASEM / "ASEM_iData.csv"),
            "--meta",
            str(ASEM / "ASEM_iMeta.csv"),
            "--preset",
            "nope",
            "--out",
            str(tmp_path / "r.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "未知的预设“nope”" in result.output
