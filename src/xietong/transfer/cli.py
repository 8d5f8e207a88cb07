"""Commands and import templates this app adds to the `xietong` CLI (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {"contracts": ImportTemplate("contract_template", "技术合同导入模板.xlsx")}


def import_contracts(file: str, as_user: str = typer.Option("", "--as", help="以该用户的权限导入")) -> None:
    """从 Excel 导入技术合同（全部成功或全部不写入）。"""
    run_command("import_contracts", file, username=as_user)


def reindex(kind: str = typer.Option("", help="achievement 或 demand；默认全部")) -> None:
    """重建技术交易匹配索引（科技成果、技术需求）。"""
    run_command("transfer_reindex", kind=kind)


def transfer_eval(k: int = 10) -> None:
    """离线评估推荐效果（以用户反馈为标注）。"""
    run_command("transfer_eval", k=k)


COMMANDS = {"import-contracts": import_contracts, "reindex": reindex, "transfer-eval": transfer_eval}
