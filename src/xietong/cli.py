"""`xietong`: one entry point for operators, wrapping the management commands.

This module is the composition root of the CLI: it imports each app's `cli` module from the static list
below and registers what the app exports (`COMMANDS`, `TEMPLATES`). Apps import their helpers from
`xietong.core.cli` and never import this module (an import-linter contract checks it).
"""

from __future__ import annotations

import os
import sys

import typer
from rich.table import Table

from xietong.assign import cli as assign_cli
from xietong.chains import cli as chains_cli
from xietong.chains.specialise_cli import chains_app
from xietong.cockpit import cli as cockpit_cli
from xietong.coordination import cli as coordination_cli
from xietong.core.cli import ImportTemplate, console, django_setup, run_command
from xietong.evaluation import cli as evaluation_cli
from xietong.evaluation.index_cli import index_app
from xietong.ledger import cli as ledger_cli
from xietong.orgs import cli as orgs_cli
from xietong.resources import cli as resources_cli
from xietong.sharing import cli as sharing_cli
from xietong.talent import cli as talent_cli
from xietong.transfer import cli as transfer_cli
from xietong.vouchers import cli as vouchers_cli

app = typer.Typer(help="协同 Xietong 运维命令", no_args_is_help=True, add_completion=False)

# The apps whose commands `xietong` offers, in the order of `xietong --help`.
APP_CLIS = (
    orgs_cli,
    resources_cli,
    ledger_cli,
    vouchers_cli,
    transfer_cli,
    evaluation_cli,
    talent_cli,
    chains_cli,
    coordination_cli,
    sharing_cli,
    cockpit_cli,
)
# Pure engines with an operator command of their own (no Django app behind them), registered the same way.
ENGINE_CLIS = (assign_cli,)

__all__ = ["APP_CLIS", "ENGINE_CLIS", "TEMPLATES", "app", "console", "django_setup", "main", "run_command"]


# The names `serve` and `worker` have always used (kept so their bodies need not change).
_call = run_command
_django = django_setup


@app.command()
def setup(demo: bool = typer.Option(False, "--demo", help="同时载入演示数据")) -> None:
    """迁移数据库，载入行政区划与预置协同区，收集静态文件（可重复执行）。"""
    from xietong import instance

    instance.prepare()
    run_command("migrate", verbosity=0, interactive=False)
    run_command("collectstatic", interactive=False, verbosity=0)
    run_command("load_regions")
    run_command("load_zones")
    if demo:
        run_command("load_demo")


@app.command()
def accounts() -> None:
    """列出演示账号。"""
    django_setup()
    from xietong.orgs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
    for column in ("用户名", "角色", "说明"):
        table.add_column(column)
    for account in DEMO_ACCOUNTS:
        table.add_row(account.username, account.role.label, account.note)
    for username, role, note in _extra_demo_accounts():
        table.add_row(username, role, note)
    console.print(table)


def _extra_demo_accounts() -> list[tuple[str, str, str]]:
    """Accounts an app's demo adds for its own walkthrough (`EXTRA_ACCOUNTS` in `<app>/demo.py`)."""
    from xietong.core.demos import demo_modules

    return [row for module in demo_modules() for row in getattr(module, "EXTRA_ACCOUNTS", [])]


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="监听端口"),
    workers: int = typer.Option(0, help="Web 工作进程数（0 = CPU 核数）"),
    threads: int = typer.Option(8, help="每个工作进程的请求线程数"),
    with_worker: bool = typer.Option(True, "--worker/--no-worker", help="同时启动后台任务进程（huey）"),
    periodic: bool = typer.Option(True, "--periodic/--no-periodic", help="后台任务进程是否安排定时任务"),
    dev: bool = typer.Option(False, "--dev", help="开发模式：Django 开发服务器，DEBUG 开启"),
) -> None:
    """启动 Web 服务（生产模式：granian + whitenoise，DEBUG 关闭），默认连同后台任务进程一起启动。"""
    from xietong import instance, serving

    instance.prepare()
    os.environ["DEBUG"] = "true" if dev else "false"
    if dev:
        commands = [
            [sys.executable, "-m", "xietong.cli", "manage", "runserver", f"{host}:{port}", "--noreload"]
        ]
    else:
        _call("collectstatic", interactive=False, verbosity=0)
        commands = [
            serving.server_command(
                host=host, port=port, workers=workers or serving.default_workers(), threads=threads
            )
        ]
    if with_worker:
        # Long work (index runs, settlement, imports) is queued; a consumer runs it beside the web server.
        commands.append(serving.worker_command(workers=1, periodic=periodic))
    raise typer.Exit(code=serving.supervise(commands))


@app.command()
def worker(
    workers: int = typer.Option(1, help="并发工作线程数"),
    periodic: bool = typer.Option(
        True, "--periodic/--no-periodic", help="是否安排定时任务（多台服务器共用 Redis 队列时只留一个）"
    ),
) -> None:
    """运行后台任务进程（huey 消费者）：结算、指数计算、批量导入等长任务在这里执行。"""
    _call("run_huey", workers=workers, periodic=periodic)


# Import templates by kind, from what each app exports.
TEMPLATES: dict[str, ImportTemplate] = {
    kind: template for module in APP_CLIS for kind, template in getattr(module, "TEMPLATES", {}).items()
}


@app.command()
def template(kind: str = typer.Argument(..., help="模板类型，如 orgs"), out: str = "") -> None:
    """生成导入模板，例如：xietong template orgs"""
    commands = TEMPLATES
    if kind not in commands:
        console.print(f"[red]未知的模板类型“{kind}”，可选：{'、'.join(commands)}[/red]")
        raise typer.Exit(code=2)
    name, default = commands[kind]
    run_command(name, out=out or default)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(args: list[str] = typer.Argument(None)) -> None:
    """直接运行任意 Django 管理命令，例如：xietong manage createsuperuser"""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xietong", *(args or [])])


def _register_app_commands() -> None:
    """Each app's and engine's exported commands, then the command groups (`index`, `chains`)."""
    for module in (*APP_CLIS, *ENGINE_CLIS):
        for name, command in module.COMMANDS.items():
            app.command(name)(command)
        for name, group in getattr(module, "GROUPS", {}).items():
            app.add_typer(group, name=name)
    app.add_typer(index_app, name="index", help="协同创新指数：运行综合指数计算")
    app.add_typer(chains_app, name="chains", help="产业链图谱：专业化测度（区位熵、经济复杂度、关联密度）")


_register_app_commands()


def main() -> None:  # pragma: no cover - console script shim
    app(prog_name="xietong")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
