"""Commands this app adds to the `xietong` CLI."""

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI (called once by xietong.cli)."""
    from xietong.cli import TEMPLATES, run_command

    TEMPLATES["contracts"] = ("contract_template", "技术合同导入模板.xlsx")

    @app.command("import-contracts")
    def import_contracts(
        file: str, as_user: str = typer.Option("", "--as", help="以该用户的权限导入")
    ) -> None:
        """从 Excel 导入技术合同（全部成功或全部不写入）。"""
        run_command("import_contracts", file, username=as_user)

    @app.command("reindex")
    def reindex(kind: str = typer.Option("", help="achievement 或 demand；默认全部")) -> None:
        """重建技术交易匹配索引（科技成果、技术需求）。"""
        run_command("transfer_reindex", kind=kind)

    @app.command("transfer-eval")
    def transfer_eval(k: int = 10) -> None:
        """离线评估推荐效果（以用户反馈为标注）。"""
        run_command("transfer_eval", k=k)
