"""`xietong chains specialise` through typer's CliRunner: Stata's numbers from a file, years, and bad input."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from xietong.cli import app

from .conftest import STATA, TOLERANCE

runner = CliRunner()
REQUIRED = ["region", "segment", "rca", "eci", "pci", "density"]


def _invoke(matrix, out, *extra):
    return runner.invoke(app, ["chains", "specialise", "--matrix", str(matrix), "--out", str(out), *extra])


@pytest.fixture
def trade_csv(tmp_path):
    """The sample as an operator would export it: region,segment,value,year, values unrounded."""
    frame = pd.read_csv(STATA / "trade_data_sample.csv", dtype={"hs92": str})
    path = tmp_path / "trade.csv"
    frame.rename(columns={"origin": "region", "hs92": "segment", "export_val": "value"}).to_csv(
        path, index=False
    )
    return path


def test_every_quantity_matches_stata_through_the_cli(
    trade_csv, tmp_path, expected_by_location, expected_by_product, expected_rows
):
    # when the file is read as it is, with the default single precision (Stata's storage type)
    out = tmp_path / "out.csv"
    result = _invoke(trade_csv, out)
    # then
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"segment": str})
    assert set(REQUIRED) <= set(table.columns)
    assert len(table) == 600
    assert not table.isna().any().any()
    by_location = table.groupby(["year", "region"])[["eci", "diversity", "coi"]].first()
    for quantity in ("eci", "diversity", "coi"):
        got = by_location[quantity].reindex(expected_by_location.index).to_numpy()
        assert np.abs(got - expected_by_location[quantity].to_numpy()).max() <= TOLERANCE, quantity
    by_product = table.groupby(["year", "segment"])[["pci", "ubiquity"]].first()
    for quantity in ("pci", "ubiquity"):
        got = by_product[quantity].reindex(expected_by_product.index).to_numpy()
        assert np.abs(got - expected_by_product[quantity].to_numpy()).max() <= TOLERANCE, quantity
    rows = table[table["year"] == 1995].set_index(["region", "segment"])
    for quantity, column in (("rca", "rca"), ("M", "m"), ("density", "density"), ("cog", "cog")):
        got = rows[column].reindex(expected_rows.index).to_numpy(np.float64)
        assert np.abs(got - expected_rows[quantity].to_numpy()).max() <= TOLERANCE, quantity


def test_one_year_only(trade_csv, tmp_path, expected_by_location):
    out = tmp_path / "out.csv"
    result = _invoke(trade_csv, out, "--year", "1996", "-q")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["year"].unique().tolist() == [1996]
    eci = table.groupby("region")["eci"].first()
    expected = expected_by_location.loc[1996]["eci"]
    assert np.abs(eci.reindex(expected.index).to_numpy() - expected.to_numpy()).max() <= TOLERANCE


def test_float64_keeps_every_digit_so_rca_departs_from_stata_by_about_1e_7(
    trade_csv, tmp_path, expected_rows
):
    out = tmp_path / "out.csv"
    result = _invoke(trade_csv, out, "--year", "1995", "--float64", "-q")
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out, dtype={"segment": str}).set_index(["region", "segment"])
    difference = np.abs(
        rows["rca"].reindex(expected_rows.index).to_numpy() - expected_rows["rca"].to_numpy()
    ).max()
    assert 1e-9 < difference < 1e-5
    # the other measures depend on M only, which is the same
    assert (rows["m"].reindex(expected_rows.index).to_numpy() == expected_rows["M"].to_numpy()).all()


def test_a_value_beyond_single_precision_is_refused_unless_read_as_double(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_text("region,segment,value\n成都,电池,1e39\n成都,电机,1\n重庆,电机,2\n", encoding="utf-8")
    refused = _invoke(matrix, tmp_path / "out.csv")
    assert refused.exit_code == 2
    assert "数值超出单精度浮点数的范围" in refused.stderr
    assert not (tmp_path / "out.csv").exists()
    assert _invoke(matrix, tmp_path / "out.csv", "--float64").exit_code == 0


def test_a_file_without_years_gives_one_table_with_classes(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_text(
        "region,segment,value\n成都,电池,30\n成都,电机,10\n重庆,电池,10\n重庆,电机,50\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    result = _invoke(matrix, out)
    assert result.exit_code == 0, result.output
    assert "已写入" in result.stderr
    table = pd.read_csv(out)
    assert "year" not in table.columns
    assert table["rca"].tolist() == pytest.approx([1.875, 5 / 12, 5 / 12, 25 / 18], abs=1e-15)
    assert table["lq_class"].tolist() == ["strong", "weak", "weak", "strong"]
    assert table["lq_class_label"].tolist() == ["优势", "薄弱", "薄弱", "优势"]
    # each region has its own segment: nothing to compare, and the file says so beside the zeros
    assert table["eci"].tolist() == [0.0] * 4
    assert table["eci_defined"].tolist() == [False] * 4


def _bad(tmp_path, text):
    matrix = tmp_path / "m.csv"
    matrix.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    return _invoke(matrix, out), out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region,segment,value\n成都,电池,3\n成都,电机,abc\n", "m.csv：第 3 行“value”列：“abc”不是数字"),
        (
            "region,segment,value\n成都,电池,3\n\n重庆,电机,-1\n",
            "第 4 行“value”列：数值为负（-1）；数值不能为负",
        ),
        ("region,segment,value\n成都,电池,\n", "第 2 行“value”列：缺少数值"),
        ("region,segment,value\n成都,电池,nan\n", "第 2 行“value”列：“nan”不是有限数"),
        ("region,segment,value\n,电池,1\n", "第 2 行“region”列：不能为空"),
        ("region,segment,value,year\n成都,电池,1,二〇二四\n", "第 2 行“year”列：“二〇二四”不是数字"),
        ("region,segment,value,year\n成都,电池,1,2024.5\n", "第 2 行“year”列：年份“2024.5”不是整数"),
        ("region,value\n成都,1\n", "第 1 行：缺少列：segment"),
        ("region,segment,value\n", "文件中没有数据行"),
        ("", "文件为空"),
    ],
)
def test_bad_files_are_refused_with_the_line_and_no_out_file(tmp_path, text, message):
    result, out = _bad(tmp_path, text)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["m.csv"]


def test_a_year_not_in_the_file_is_refused(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_text("region,segment,value,year\n成都,电池,1,2023\n成都,电机,1,2024\n", encoding="utf-8")
    result = _invoke(matrix, tmp_path / "out.csv", "--year", "2020")
    assert result.exit_code == 2
    assert "文件中没有 2020 年的数据（有：2023、2024）" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_bytes("region,segment,value\n成都,电池,1\n".encode("gbk"))
    result = _invoke(matrix, tmp_path / "out.csv")
    assert result.exit_code == 2
    assert "文件不是 UTF-8 编码的 CSV" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--matrix", "missing.csv", "--out", "out.csv"], "找不到矩阵文件"),
        (["--matrix", "m.csv", "--out", "out.xlsx"], "结果文件的扩展名应为 .csv"),
        (["--matrix", "m.csv", "--out", "out.csv", "--strong-rule", "nope"], "未知的优势集群规则“nope”"),
    ],
)
def test_bad_options_are_refused_in_chinese(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text("region,segment,value\n成都,电池,1\n", encoding="utf-8")
    result = runner.invoke(app, ["chains", "specialise", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv"]


def test_shift_share_from_a_file(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_text(
        "region,segment,value,year\n"
        "成都,电池,100,2023\n成都,电机,50,2023\n重庆,电池,50,2023\n重庆,电机,100,2023\n"
        "成都,电池,150,2024\n成都,电机,40,2024\n重庆,电池,60,2024\n重庆,电机,110,2024\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "chains",
            "shift-share",
            "--matrix",
            str(matrix),
            "--base",
            "2023",
            "--final",
            "2024",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index(["region", "segment"])
    # zone 300 -> 360 (g = 0.2), 电池 150 -> 210 (g_s = 0.4): 成都's +50 = 20 + 20 + 10
    row = table.loc[("成都", "电池")]
    assert [
        row["change"],
        row["national_share"],
        row["industry_mix"],
        row["regional_shift"],
    ] == pytest.approx([50.0, 20.0, 20.0, 10.0], abs=1e-12)


@pytest.mark.parametrize(
    ("text", "years", "message"),
    [
        ("region,segment,value\n成都,电池,1\n", ["2023", "2024"], "偏离—份额分析需要 year 列"),
        (
            "region,segment,value,year\n成都,电池,1,2023\n",
            ["2023", "2024"],
            "文件中没有 2024 年的数据（有：2023）",
        ),
        ("region,segment,value,year\n成都,电池,1,2023\n", ["2023", "2023"], "基期与末期不能是同一年"),
    ],
)
def test_shift_share_bad_years_are_refused(tmp_path, text, years, message):
    matrix = tmp_path / "m.csv"
    matrix.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["chains", "shift-share", "--matrix", str(matrix), "--base", years[0], "--final", years[1]]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_a_reference_file_changes_the_denominator(tmp_path):
    matrix = tmp_path / "m.csv"
    matrix.write_text(
        "region,segment,value\n成都,电池,30\n成都,电机,10\n重庆,电池,10\n重庆,电机,50\n", encoding="utf-8"
    )
    nation = tmp_path / "nation.csv"
    nation.write_text(
        "region,segment,value\n全国,电池,15\n全国,电机,60\n上海,电池,5\n上海,电机,20\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    result = _invoke(matrix, out, "--reference", str(nation))
    assert result.exit_code == 0, result.output
    # the nation: 电池 20 %, 电机 80 % -> 成都 (30/40)/0.2 = 3.75, (10/40)/0.8 = 0.3125
    assert pd.read_csv(out)["rca"].tolist()[:2] == pytest.approx([3.75, 0.3125], abs=1e-15)


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("region,segment,value\n全国,电池,15\n", "参照中缺少以下环节：电机"),
        ("region,segment,value\n全国,电池,x\n", "nation.csv：第 2 行“value”列：“x”不是数字"),
        ("region,segment,value,year\n全国,电池,1,2024\n", "参照文件有 year 列，矩阵文件却没有"),
    ],
)
def test_bad_reference_files_are_refused(tmp_path, reference, message):
    matrix = tmp_path / "m.csv"
    matrix.write_text("region,segment,value\n成都,电池,30\n成都,电机,10\n", encoding="utf-8")
    nation = tmp_path / "nation.csv"
    nation.write_text(reference, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _invoke(matrix, out, "--reference", str(nation))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_the_real_command_in_a_new_process_refuses_a_bad_cell_with_exit_code_2(tmp_path):
    # the console script's path, not CliRunner: what an operator types
    matrix = tmp_path / "m.csv"
    matrix.write_text("region,segment,value\n成都,电池,3\n重庆,电池,三\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "xietong.cli", "chains", "specialise", "--matrix", str(matrix)]
    result = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "m.csv：第 3 行“value”列：“三”不是数字" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "text",
    [
        "region,segment,value\n成都,电池,3\n成都,电机,1\n重庆,电池,1\n重庆,电机,4\n宜宾,电池,0\n宜宾,电机,0\n",
        "region,segment,value\n成都,电池,3\n成都,电机,1\n重庆,电池,1\n重庆,电机,4\n成都,电控,0\n重庆,电控,0\n",
        "region,segment,value\n成都,电池,3\n成都,电机,1\n",
        "region,segment,value\n成都,电池,0\n重庆,电机,0\n",
    ],
    ids=["a region with nothing", "a segment nobody has", "one region only", "all zeros"],
)
def test_degenerate_files_give_a_full_table_without_nan(tmp_path, text):
    matrix = tmp_path / "m.csv"
    matrix.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _invoke(matrix, out, "-q")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False)
    numbers = table[
        ["value", "rca", "m", "density", "cog", "eci", "pci", "coi", "diversity", "ubiquity", "hachman"]
    ]
    assert np.isfinite(numbers.to_numpy(np.float64)).all()
    assert len(table) == table["region"].nunique() * table["segment"].nunique()
