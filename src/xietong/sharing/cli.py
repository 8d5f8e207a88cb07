"""`xietong sharing …`: the what-if simulator on files, and settlement / import for operators."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from xietong.core.cli import ImportTemplate, console, run_command

sharing_app = typer.Typer(
    help="利益共享：分配模拟、收入导入与结算", no_args_is_help=True, add_completion=False
)


@sharing_app.callback()
def sharing() -> None:
    """利益共享（飞地、共建园区的税收分享与成本分担）。"""


@sharing_app.command()
def simulate(
    rules: Path = typer.Option(..., "--rules", help="规则文件 rules.json"),
    revenue: Path = typer.Option(..., "--revenue", help="收入明细 revenue.csv"),
    out: Path = typer.Option(..., "--out", help="输出 shares.csv"),
) -> None:
    """按规则文件模拟分配（不连数据库、不记账）：逐企业、逐期间、逐参与方输出分得金额（分）。"""
    from xietong.sharing.simulate import SimulateError
    from xietong.sharing.simulate import simulate as run

    started = time.perf_counter()
    try:
        rows = run(rules=rules, revenue=revenue, out=out)
    except SimulateError as exc:
        console.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(code=1) from exc
    console.print(f"已写出 {out}：{rows} 行（{time.perf_counter() - started:.1f} 秒）")


@sharing_app.command()
def settle(
    agreement: str = typer.Option(..., "--agreement", help="协议编号"),
    period: str = typer.Option("", "--period", help="结算期间 YYYY-MM；不填则结算全部待结算期间"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限结算（默认：系统）"),
) -> None:
    """结算协议的一个或全部待结算期间，并记入复式账本（重复执行不会重复记账）。"""
    run_command("sharing_settle", agreement=agreement, period=period, username=as_user)


@sharing_app.command("import")
def import_revenue(
    agreement: str = typer.Option(..., "--agreement", help="协议编号"),
    file: str = typer.Argument(..., help="收入明细 Excel 或 CSV"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导入（默认：系统）"),
) -> None:
    """导入园区企业收入明细（全部成功或全部不写入；更正即新版本）。"""
    run_command("sharing_import", file, agreement=agreement, username=as_user)


COMMANDS: dict = {}
GROUPS = {"sharing": sharing_app}
TEMPLATES = {"sharing": ImportTemplate("sharing_template", "园区企业收入导入模板.xlsx")}
