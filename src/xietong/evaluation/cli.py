"""Commands this app adds to the `xietong` CLI; the root `xietong.cli` registers `COMMANDS`."""

import typer

from xietong.core.cli import console, django_setup


def evaluation_run(run_id: int = typer.Argument(..., help="运行编号（id）")) -> None:
    """立即计算一个排队中的指数运行（没有后台任务进程时使用）。"""
    django_setup()
    from xietong.evaluation.services import run_execute

    run = run_execute(run_id=run_id)
    if run is None:
        console.print(f"[red]运行 {run_id} 不存在[/red]")
        raise typer.Exit(code=1)
    console.print(f"运行 {run_id}：{run.get_status_display()} · {run.message}")


COMMANDS = {"evaluation-run": evaluation_run}
