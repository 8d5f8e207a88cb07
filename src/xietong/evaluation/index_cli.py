"""`xietong index run`: a composite index from iData/iMeta files (CSV, Parquet or Excel), without the web app.

It lives in the evaluation app, not in the engine, because it speaks to operators in Chinese: the
engine's English errors and warnings are translated here through `engine_messages` (no Django needed).
Progress goes to stderr, one line per phase with the elapsed time, so that stdout and the output file
stay clean for scripts.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import typer
from django.utils.translation import gettext as _
from pyarrow import csv as pacsv

from xietong import composite as engine
from xietong.core.errors import Invalid
from xietong.evaluation.engine_messages import error_zh, warning_zh

index_app = typer.Typer(help="综合指数计算（COINr 兼容流程）", no_args_is_help=True, add_completion=False)
FORMATS = (".csv", ".parquet", ".xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@index_app.callback()
def index() -> None:
    """综合指数：读取 iData / iMeta，按预设流程计算并输出得分与排名。"""


class _Progress:
    """Phase lines on stderr with the time since start (quiet: nothing)."""

    def __init__(self, *, quiet: bool):
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, text: str) -> None:
        if not self.quiet:
            typer.echo(f"[{time.perf_counter() - self.start:6.2f}s] {text}", err=True)

    def step(self, done: int, total: int, name: str) -> None:
        self(f"计算步骤 {done + 1}/{total}：{name}")


def _read_table(path: Path) -> pd.DataFrame:
    """Workbooks through the platform's one safe reader (zip, size and XML limits), like every upload;
    CSV and Parquet through the engine's columnar reader."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return engine.read_table(path)
    from xietong.core.cli import django_setup

    django_setup()  # the reader's limits are settings
    from xietong.evaluation.excel import read_sheet

    frame = read_sheet(path).reset_index(drop=True)
    headers = [str(c) for c in frame.columns]
    if repeated := sorted({c for c in headers if headers.count(c) > 1}):
        raise Invalid(
            _("%(name)s 中以下列重复：%(repeated)s") % {"name": path.name, "repeated": _("、").join(repeated)}
        )
    return frame


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx(frame, path)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:  # pyarrow's writer: ~10× pandas' to_csv on the benchmark's 60,000 rows
        pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Through the platform's one workbook writer: text is text, a unit code starting with "=" never runs."""
    from xietong.core.excel import Sheet, write_sheets

    def cells():
        for record in frame.itertuples(index=False):
            yield [_plain(value) for value in record]

    path.write_bytes(
        write_sheets([Sheet(title="结果", header=[str(c) for c in frame.columns], rows=cells())])
    )


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


@index_app.command("run")
def run(
    data: Path = typer.Option(
        ..., "--data", help="指标数据 iData（.csv、.parquet 或 .xlsx）", exists=True, dir_okay=False
    ),
    meta: Path = typer.Option(
        ..., "--meta", help="指标框架 iMeta（.csv、.parquet 或 .xlsx）", exists=True, dir_okay=False
    ),
    preset: str = typer.Option("coinr", "--preset", help=f"计算流程预设：{'、'.join(engine.PRESETS)}"),
    out: Path = typer.Option(..., "--out", help="结果文件（.csv、.parquet 或 .xlsx）"),
    steps_dir: Path | None = typer.Option(None, "--steps-dir", help="另把每一步的中间数据写入此目录"),
    region_codes: bool = typer.Option(False, "--region-codes", help="要求 uCode 为 GB/T 2260 行政区划代码"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不在标准错误输出上显示进度"),
) -> None:
    """计算综合指数：每个单位一行，依次为 uCode、Rank 和各级汇总得分（面板数据另含 Time）。"""
    if out.suffix.lower() not in FORMATS:
        _fail(f"结果文件的扩展名应为 {'、'.join(FORMATS)}（实为“{out.suffix or out.name}”）")
    progress = _Progress(quiet=quiet)
    try:
        progress(f"读取指标框架 {meta.name}")
        framework = engine.Framework.from_table(_read_table(meta))
        progress(f"读取指标数据 {data.name}")
        table = _read_table(data)
        progress(f"检查数据（{len(table)} 行 × {len(table.columns)} 列）")
        dataset = engine.dataset_from_table(
            table, framework, region_codes=engine.gb2260_codes() if region_codes else None
        )
        pipeline = engine.preset_pipeline(preset)
        result = pipeline.run(dataset, framework, progress=progress.step)
    except engine.CompositeError as error:
        _fail(error_zh(error))
    except Invalid as error:  # a workbook the platform's safe reader refuses
        _fail(error.message)
    for warning in result.warnings:
        typer.secho(f"提示：{warning_zh(warning)}", fg=typer.colors.YELLOW, err=True)
    progress(f"写入 {out.name}")
    scores = result.scores()
    _write(scores, out)
    if steps_dir is not None:
        suffix = out.suffix.lower()
        for name, stage in result.datasets.items():
            _write(stage.to_frame(), steps_dir / f"{name}{suffix}")
        _write(result.weights(), steps_dir / f"Weights{suffix}")
    progress("完成")
    typer.echo(f"已写入 {out}（{len(scores)} 行）")
