"""Commands and import templates this app adds to the `xietong` CLI (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {"orgs": ImportTemplate("org_template", "机构导入模板.xlsx")}


def import_orgs(file: str, as_user: str = typer.Option("", "--as", help="以该用户的权限导入")) -> None:
    """从 Excel 批量导入机构（全部成功或全部不写入）。"""
    run_command("import_orgs", file, username=as_user)


def export_orgs(out: str = "机构名录.xlsx", zone: str = "", region: str = "") -> None:
    """导出机构名录为 Excel。"""
    run_command("export_orgs", out=out, zone=zone, region=region)


orgs_app = typer.Typer(help="机构管理：暂停与恢复", no_args_is_help=True, add_completion=False)


@orgs_app.callback()
def orgs() -> None:
    """机构管理（暂停、恢复）。"""


@orgs_app.command()
def suspend(
    org: str = typer.Argument(..., help="统一社会信用代码或机构全称"),
    reason: str = typer.Option(..., "--reason", help="暂停理由（必填，机构成员可见）"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限执行（默认：系统）"),
) -> None:
    """暂停一家已认证的机构：退出名录与统计，成员不能再发布、预约、下单或申请。"""
    run_command("org_suspend", org, reason=reason, username=as_user)


@orgs_app.command()
def reinstate(
    org: str = typer.Argument(..., help="统一社会信用代码或机构全称"),
    reason: str = typer.Option("", "--reason", help="恢复说明（选填）"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限执行（默认：系统）"),
) -> None:
    """恢复一家已暂停的机构。"""
    run_command("org_suspend", org, reason=reason, reinstate=True, username=as_user)


GROUPS = {"orgs": orgs_app}

COMMANDS = {"import-orgs": import_orgs, "export-orgs": export_orgs}
