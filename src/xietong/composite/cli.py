"""`xietong index …`: run a composite index from iData/iMeta files (CSV or Excel) without the web app."""

from __future__ import annotations

from pathlib import Path

import typer

from .data import dataset_from_table, gb2260_codes, read_table
from .errors import CompositeError
from .framework import Framework
from .presets import PRESETS, preset_pipeline

index_app = typer.Typer(help="综合指数计算（COINr 兼容流程）", no_args_is_help=True, add_completion=False)


@index_app.callback()
def index() -> None:
    """综合指数：读取 iData / iMeta，按预设流程计算并输出得分与排名。"""


def _write(frame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8")


@index_app.command("run")
def run(
    data: Path = typer.Option(
        ..., "--data", help="指标数据 iData（.csv 或 .xlsx）", exists=True, dir_okay=False
    ),
    meta: Path = typer.Option(
        ..., "--meta", help="指标框架 iMeta（.csv 或 .xlsx）", exists=True, dir_okay=False
    ),
    preset: str = typer.Option("coinr", "--preset", help=f"计算流程预设：{'、'.join(PRESETS)}"),
    out: Path = typer.Option(..., "--out", help="结果文件（.csv 或 .xlsx）"),
    steps_dir: Path | None = typer.Option(None, "--steps-dir", help="另把每一步的中间数据写入此目录"),
    region_codes: bool = typer.Option(False, "--region-codes", help="要求 uCode 为 GB/T 2260 行政区划代码"),
) -> None:
    """计算综合指数：每个单位一行，依次为 uCode、Rank 和各级汇总得分（面板数据另含 Time）。"""
    try:
        framework = Framework.from_table(read_table(meta))
        dataset = dataset_from_table(
            read_table(data), framework, region_codes=gb2260_codes() if region_codes else None
        )
        result = preset_pipeline(preset).run(dataset, framework)
    except CompositeError as error:
        typer.secho(error.message, fg=typer.colors.RED, err=True)
        for issue in error.issues[5:]:
            typer.secho(issue.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from error
    _write(result.scores(), out)
    if steps_dir is not None:
        suffix = ".xlsx" if out.suffix.lower() == ".xlsx" else ".csv"
        for name, stage in result.datasets.items():
            _write(stage.to_frame(), steps_dir / f"{name}{suffix}")
        _write(result.weights(), steps_dir / f"Weights{suffix}")
    typer.echo(f"已写入 {out}（{len(result.scores())} 行）")
