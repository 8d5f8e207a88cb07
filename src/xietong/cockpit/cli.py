"""`xietong cockpit <zone>`: the zone cockpit's flows and totals to Excel (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import run_command


def cockpit(
    zone: str = typer.Argument(..., help="协同区代码，如 yrd"),
    month: str = typer.Option("", "--month", help="只统计该月（YYYY-MM）；默认近 12 个月"),
    out: str = typer.Option("", "--out", help="输出文件（默认：<协同区简称>驾驶舱.xlsx）"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导出（默认：系统）"),
) -> None:
    """导出协同区驾驶舱（成员间流向、合计、月度趋势、成员待办）为 Excel。"""
    run_command("cockpit_export", zone, month=month, out=out, username=as_user)


COMMANDS = {"cockpit": cockpit}
