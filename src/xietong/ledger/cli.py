"""Commands this app adds to the `xietong` CLI."""

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI (called once by xietong.cli)."""

    @app.command("check-ledger")
    def check_ledger() -> None:
        """校验账本的全部不变量（分录平衡、余额非负、额度不超预算、结算单合计等）。"""
        from xietong.cli import run_command

        run_command("check_ledger")
