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


COMMANDS = {"import-orgs": import_orgs, "export-orgs": export_orgs}
