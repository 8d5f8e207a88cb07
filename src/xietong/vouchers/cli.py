"""Commands this app adds to the `xietong` CLI; the root `xietong.cli` registers `COMMANDS`."""

import typer

from xietong.core.cli import run_command


def settle(
    period: str = typer.Option(..., "--period", help="结算期，格式 YYYY-MM，例如 2026-11"),
    expire: bool = typer.Option(False, "--expire", help="先执行到期收回"),
) -> None:
    """生成某月的跨区结算单（幂等：重复执行不会重复生成）。"""
    run_command("settle", period=period, expire=expire)


def expire_vouchers() -> None:
    """到期处理：释放逾期预留，收回到期创新券的未用额度。"""
    run_command("expire_vouchers")


COMMANDS = {"settle": settle, "expire-vouchers": expire_vouchers}
