"""The chains app's commands, in the `xietong chains` group the engine's CLI set up (`specialise_cli`).

`COMMANDS` stays empty: every command of this app lives under `xietong chains …`; `TEMPLATES` adds the
import templates to `xietong template`.
"""

import typer

from xietong.chains.specialise_cli import chains_app
from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {"chains": ImportTemplate("chain_template", "产业链环节导入模板.xlsx")}
COMMANDS: dict = {}


@chains_app.command("presets")
def presets() -> None:
    """载入平台预置的六条产业链（新能源汽车、集成电路、生物医药、人工智能、电子信息、装备制造）。"""
    run_command("chains_presets")


@chains_app.command("import")
def import_chain(
    file: str,
    code: str = typer.Option(..., help="产业链代码，如 nev"),
    name: str = typer.Option(..., help="产业链名称"),
    industry: str = typer.Option("", help="所属领域代码"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导入"),
) -> None:
    """从 Excel 导入产业链结构（整表校验，全部成功或全部不写入；已有产业链生成新版本）。"""
    run_command("chains_import", file, code=code, name=name, industry=industry, username=as_user)


@chains_app.command("export")
def export_chain(code: str, out: str = "") -> None:
    """导出产业链结构为 Excel。"""
    run_command("chains_export", code, out=out)


@chains_app.command("import-attachments")
def import_attachments(file: str, as_user: str = typer.Option("", "--as", help="以该用户的权限导入")) -> None:
    """从 Excel 登记机构挂链与年度数据（全部成功或全部不写入）。"""
    run_command("chains_import_attachments", file, username=as_user)


@chains_app.command("suggest")
def suggest(limit: int = 500) -> None:
    """为尚未挂链的机构生成挂链建议（待机构或主管部门确认）。"""
    run_command("chains_suggest", limit=limit)


@chains_app.command("gaps")
def gaps(
    zone: str = typer.Option(..., help="协同区代码，如 chengyu"),
    region: str = typer.Option("", help="6 位区划代码；留空为协同区整体"),
    chain: str = typer.Option("", help="产业链代码；留空为全部"),
    out: str = typer.Option("", help="导出 Excel 的路径"),
    members: bool = typer.Option(
        False, "--members", help="协同区全体成员清单（每个环节谁缺、谁可补、谁宜延链）"
    ),
) -> None:
    """补链、强链、延链清单与推荐。"""
    run_command("chains_gaps", zone=zone, region=region, chain=chain, out=out, members=members)
