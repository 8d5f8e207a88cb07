"""`xietong chains specialise`: the specialisation engine on a matrix file, without the web app.

A command group of its own (like `xietong index`), registered by the root CLI, so the chains app's other
commands can join it. Values are read in single precision by default, as Stata stores them (its default
numeric type `float`), so that the command's output is the Growth Lab's `ecomplexity` output for the same
file; counts below 16,777,216 are exact either way, and `--float64` keeps every digit of larger values. The engine reads and checks the file (every bad cell with its line and column) and
speaks Chinese already; this module only maps its error to exit code 2 and writes the result atomically,
so a refused input never leaves an out file behind.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import typer
from pyarrow import csv as pacsv

from xietong import specialisation as engine

chains_app = typer.Typer(help="产业链图谱：专业化测度", no_args_is_help=True, add_completion=False)


@chains_app.callback()
def chains() -> None:
    """产业链图谱：区位熵、经济复杂度、关联密度与偏离—份额分析。"""


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=2)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write beside the target and rename, so the out file is either whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.close(handle)
        # pyarrow's writer: 600,000 rows in about a second where pandas' to_csv took 12 s (bench/specialisation.py)
        pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _inputs(matrix: Path, out: Path, strong_rule: str) -> None:
    if not matrix.is_file():
        _fail(f"找不到矩阵文件“{matrix}”")
    if out.suffix.lower() != ".csv":
        _fail(f"结果文件的扩展名应为 .csv（实为“{out.suffix or out.name}”）")
    if strong_rule not in engine.PRESETS:
        _fail(f"未知的优势集群规则“{strong_rule}”，可选：{'、'.join(engine.PRESETS)}")


def _reference_long(reference: Path | None, *, float32: bool) -> pd.DataFrame | None:
    if reference is None:
        return None
    if not reference.is_file():
        _fail(f"找不到参照文件“{reference}”")
    try:
        frame = engine.read_long(reference)
        return frame.assign(value=engine.single_precision(frame["value"].to_numpy())) if float32 else frame
    except engine.SpecialisationError as error:
        _fail(f"{reference.name}：{error}")


def _reference_for(reference_long: pd.DataFrame | None, year: int | None) -> pd.Series | None:
    """The reference's totals by segment for ``year`` (a reference without years serves every year)."""
    if reference_long is None:
        return None
    if "year" in reference_long.columns:
        if year is None:
            raise engine.SpecialisationError(
                "参照文件有 year 列，矩阵文件却没有；请去掉参照的 year 列或给矩阵加上年份"
            )
        reference_long = reference_long[reference_long["year"] == year]
        if reference_long.empty:
            raise engine.SpecialisationError(f"参照文件中没有 {year} 年的数据")
    return engine.matrix_from_long(reference_long).sum(axis=0)


@chains_app.command("specialise")
def specialise(
    matrix: Path = typer.Option(..., "--matrix", help="长表 CSV：region,segment,value（可选 year），UTF-8"),
    out: Path = typer.Option(..., "--out", help="结果 CSV：每个地区 × 环节一行"),
    year: int | None = typer.Option(None, "--year", help="只计算这一年（文件有 year 列时；默认逐年计算）"),
    threshold: float = typer.Option(1.0, "--threshold", help="存在矩阵 M 的显性比较优势阈值（RCA ≥ 阈值）"),
    strong_rule: str = typer.Option(
        "us_cluster_mapping", "--strong-rule", help="“优势”分级的规则：us_cluster_mapping 或 eco_stars"
    ),
    float32: bool = typer.Option(
        True,
        "--float32/--float64",
        help="数值按单精度读取（默认，与 Stata 默认的 float 存储类型一致，结果即 Stata ecomplexity 的结果）或按双精度读取",
    ),
    reference: Path | None = typer.Option(
        None,
        "--reference",
        help="参照区域（如全国）的长表 CSV，格式同 --matrix；默认以矩阵本身（协同区）为参照",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不在标准错误输出上显示进度"),
) -> None:
    """计算区位熵（RCA）、存在矩阵、分级、经济复杂度（ECI/PCI）、关联密度与机会收益（COI/COG）。"""
    _inputs(matrix, out, strong_rule)
    reference_long = _reference_long(reference, float32=float32)
    start = time.perf_counter()
    try:
        thresholds = engine.ClassThresholds(strong=engine.PRESETS[strong_rule])
        by_year = engine.matrices_by_year(engine.read_long(matrix), year=year, float32=float32)
        tables = []
        for key, values in by_year.items():
            totals = _reference_for(reference_long, key)
            table = engine.specialise(
                values, reference=totals, threshold=threshold, thresholds=thresholds
            ).table()
            if key is not None:
                table.insert(0, "year", key)
            tables.append(table)
    except engine.SpecialisationError as error:
        _fail(f"{matrix.name}：{error}")
    result = pd.concat(tables, ignore_index=True)
    _write_csv(result, out)
    if not quiet:
        years = "、".join(str(k) for k in by_year if k is not None)
        typer.echo(
            f"已写入 {out}：{len(result)} 行{f'（{years} 年）' if years else ''}，"
            f"用时 {time.perf_counter() - start:.2f} 秒",
            err=True,
        )


@chains_app.command("shift-share")
def shift_share(
    matrix: Path = typer.Option(..., "--matrix", help="长表 CSV：region,segment,value,year，UTF-8"),
    base: int = typer.Option(..., "--base", help="基期年份"),
    final: int = typer.Option(..., "--final", help="末期年份"),
    out: Path = typer.Option(..., "--out", help="结果 CSV：每个地区 × 环节一行"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不在标准错误输出上显示进度"),
) -> None:
    """偏离—份额分析：把基期到末期的变化分解为全域份额、产业结构与区域竞争三部分。"""
    _inputs(matrix, out, "us_cluster_mapping")
    if base == final:
        _fail("基期与末期不能是同一年")
    try:
        long = engine.read_long(matrix)
        if "year" not in long.columns:
            raise engine.SpecialisationError("偏离—份额分析需要 year 列")
        before = engine.matrices_by_year(long, year=base)[base]
        after = engine.matrices_by_year(long, year=final)[final]
        result = engine.shift_share(before, after)
    except engine.SpecialisationError as error:
        _fail(f"{matrix.name}：{error}")
    _write_csv(result, out)
    if not quiet:
        typer.echo(f"已写入 {out}：{len(result)} 行（{base}—{final} 年）", err=True)
