"""Commands this app adds to the `xietong` CLI."""

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI (called once by xietong.cli)."""

    @app.command("settle")
    def settle(
        period: str = typer.Option(..., "--period", help="结算期，格式 YYYY-MM，例如 2026-11"),
        expire: bool = typer.Option(False, "--expire", help="先执行到期收回"),
    ) -> None:
        """生成某月的跨区结算单（幂等：重复执行不会重复生成）。"""
        from xietong.cli import run_command

        run_command("settle", period=period, expire=expire)

    @app.command("expire-vouchers")
    def expire_vouchers() -> None:
        """到期处理：释放逾期预留，收回到期创新券的未用额度。"""
        from xietong.cli import run_command

        run_command("expire_vouchers")
