"""Commands and import templates this app adds to the `xietong` CLI (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {
    "resources": ImportTemplate("resource_template", "资源导入模板.xlsx"),
    "prices": ImportTemplate("price_template", "价目表导入模板.xlsx"),
}


def import_resources(
    file: str,
    prices: bool = typer.Option(False, "--prices", help="导入价目表（默认导入资源）"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导入"),
) -> None:
    """从 Excel 批量导入资源或价目表（全部成功或全部不写入）。"""
    run_command("import_resources", file, prices=prices, username=as_user)


def refresh_list_prices(
    on: str = typer.Option("", "--on", help="按该日期（YYYY-MM-DD）生效的价目表"),
) -> None:
    """按当日生效的价目表刷新目录公开价（工作进程每晚也会运行）。"""
    run_command("refresh_list_prices", on=on)


def export_orders(out: str = "服务订单.xlsx", status: str = "") -> None:
    """导出服务订单为 Excel。"""
    run_command("export_orders", out=out, status=status)


resources_app = typer.Typer(help="仪器共享：开放共享统计", no_args_is_help=True, add_completion=False)


@resources_app.callback()
def resources() -> None:
    """仪器共享（大型科研仪器开放共享）。"""


@resources_app.command()
def statistics(
    unit: str = typer.Option("", "--unit", help="单位的统一社会信用代码"),
    region: str = typer.Option("", "--region", help="地区的 6 位区划代码（导出该地区各单位）"),
    year: int = typer.Option(0, "--year", help="年度（默认今年）"),
    out: str = typer.Option("", "--out", help="输出文件"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导出（默认：系统）"),
) -> None:
    """导出开放共享统计（评价考核报表格式）：一个单位，或一个地区的各单位。"""
    run_command("sharing_statistics", unit=unit, region=region, year=year, out=out, username=as_user)


GROUPS = {"resources": resources_app}

COMMANDS = {
    "import-resources": import_resources,
    "refresh-list-prices": refresh_list_prices,
    "export-orders": export_orders,
}
