"""`xietong index run` through typer's CliRunner: formats in and out, Chinese errors, progress on stderr."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.composite import reference
from tests.composite.conftest import ASEM
from xietong.evaluation.index_cli import index_app

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


def _run(*args: str):
    return runner.invoke(index_app, ["run", *args])


def test_parquet_in_and_out_gives_the_same_result(tmp_path):
    # given: the ASEM data as Parquet (unit codes as text)
    data = tmp_path / "iData.parquet"
    pd.read_csv(ASEM / "ASEM_iData.csv").to_parquet(data, index=False)
    # when
    result = _run(
        "--data", str(data), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(tmp_path / "r.parquet")
    )
    # then
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(tmp_path / "r.parquet")
    expected = reference.coinr_example(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    assert len(table) == 51
    assert (
        max(abs(v - expected[u]["Index"]) for u, v in zip(table["uCode"], table["Index"], strict=True)) < 1e-9
    )


def test_progress_lines_go_to_stderr_not_stdout(tmp_path):
    result = _run(
        "--data",
        str(ASEM / "ASEM_iData.csv"),
        "--meta",
        str(ASEM / "ASEM_iMeta.csv"),
        "--out",
        str(tmp_path / "r.csv"),
    )
    assert result.exit_code == 0, result.output
    assert "计算步骤 1/6：Denominated" in result.stderr
    assert "计算步骤" not in result.stdout
    assert result.stdout.strip() == f"已写入 {tmp_path / 'r.csv'}（51 行）"


def test_duplicate_csv_column_is_refused_not_renamed(tmp_path):
    # given: the LPI column twice (pandas would have read the second one as "LPI.1" and ignored it)
    text = (ASEM / "ASEM_iData.csv").read_text(encoding="utf-8").splitlines()
    data = tmp_path / "dup.csv"
    data.write_text(
        "\n".join([text[0] + ",LPI", *[line + ",1" for line in text[1:]]]) + "\n", encoding="utf-8"
    )
    result = _run(
        "--data", str(data), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(tmp_path / "r.csv")
    )
    assert result.exit_code == 1
    assert "文件 dup.csv 中以下列名重复出现：LPI" in result.output
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "文件 iData.csv 是空的"), ("uCode,LPI\n", "数据表缺少以下指标列")],
)
def test_empty_and_header_only_files_are_chinese_errors(tmp_path, content, message):
    data = tmp_path / "iData.csv"
    data.write_text(content, encoding="utf-8")
    result = _run(
        "--data", str(data), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(tmp_path / "r.csv")
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_header_only_file_with_every_column_has_no_rows(tmp_path):
    header = (ASEM / "ASEM_iData.csv").read_text(encoding="utf-8").splitlines()[0]
    data = tmp_path / "iData.csv"
    data.write_text(header + "\n", encoding="utf-8")
    result = _run(
        "--data", str(data), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(tmp_path / "r.csv")
    )
    assert result.exit_code == 1
    assert "数据表没有数据行" in result.output


def test_inf_cell_is_refused_with_row_and_column(tmp_path):
    frame = pd.read_csv(ASEM / "ASEM_iData.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "LPI"] = "inf"
    frame.to_csv(tmp_path / "inf.csv", index=False)
    result = _run(
        "--data",
        str(tmp_path / "inf.csv"),
        "--meta",
        str(ASEM / "ASEM_iMeta.csv"),
        "--out",
        str(tmp_path / "r.csv"),
    )
    assert result.exit_code == 1
    assert "第 4 行「LPI」列：应为有限的数字（实为“inf”" in result.output


def test_xlsx_output_never_writes_a_formula(tmp_path):
    from openpyxl import load_workbook

    frame = pd.read_csv(ASEM / "ASEM_iData.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "uCode"] = "=1+1"
    frame.to_csv(tmp_path / "f.csv", index=False)
    out = tmp_path / "r.xlsx"
    result = _run(
        "--data", str(tmp_path / "f.csv"), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    # the platform's writer: the code is text with OWASP's leading apostrophe, and no cell is a formula
    assert [c.data_type for c in cells if c.value == "'=1+1"] == ["s"]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_unknown_output_format_is_refused(tmp_path):
    result = _run(
        "--data",
        str(ASEM / "ASEM_iData.csv"),
        "--meta",
        str(ASEM / "ASEM_iMeta.csv"),
        "--out",
        str(tmp_path / "r.json"),
    )
    assert result.exit_code == 1
    assert "结果文件的扩展名应为 .csv、.parquet、.xlsx" in result.output


def test_warnings_reach_stderr_in_chinese(tmp_path):
    # given: LPI constant everywhere, under the entropy preset
    frame = pd.read_csv(ASEM / "ASEM_iData.csv", dtype=str, keep_default_na=False)
    frame["LPI"] = "3"
    frame.to_csv(tmp_path / "c.csv", index=False)
    result = _run(
        "--data", str(tmp_path / "c.csv"), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--preset", "cn-entropy",
        "--out", str(tmp_path / "r.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "提示：指标 LPI 的值（在某一年）全部相同，无法按 minmax 标准化，已记为缺失" in result.stderr
    assert "提示：指标「LPI」的有效值少于 2 个，未参与客观赋权（权重记为 0）" in result.stderr


def test_a_hostile_workbook_is_refused_by_the_platforms_reader(tmp_path):
    # given an iData workbook whose one row claims the number 99,999,999,999 (a reader that pads gaps never ends)
    from tests.core.workbook_attacks import huge_row_number

    data = tmp_path / "iData.xlsx"
    data.write_bytes(huge_row_number())
    # when the index is run on it
    result = _run(
        "--data", str(data), "--meta", str(ASEM / "ASEM_iMeta.csv"), "--out", str(tmp_path / "r.csv")
    )
    # then the command stops with the safe reader's Chinese message and writes nothing
    assert result.exit_code == 1
    assert "行号" in result.output
    assert not (tmp_path / "r.csv").exists()
