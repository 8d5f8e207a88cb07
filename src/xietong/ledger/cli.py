"""Commands this app adds to the `xietong` CLI; the root `xietong.cli` registers `COMMANDS`."""

from xietong.core.cli import run_command


def check_ledger() -> None:
    """校验账本的全部不变量（分录平衡、余额非负、额度不超预算、结算单合计等）。"""
    run_command("check_ledger")


COMMANDS = {"check-ledger": check_ledger}
