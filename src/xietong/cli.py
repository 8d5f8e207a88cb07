"""`xietong`: one entry point for operators, wrapping the management commands."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="协同 Xietong 运维命令", no_args_is_help=True, add_completion=False)
console = Console()


def django_setup() -> None:
    """Set up Django once; app commands call this before touching models."""
    _django()


def run_command(name: str, *args: str, **options) -> None:
    """Run a management command, turning its CommandError into a red message and exit code 1."""
    _call(name, *args, **options)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xietong.settings")
    import django

    django.setup()


def _call(name: str, *args: str, **options) -> None:
    _django()
    from django.core.management import CommandError, call_command

    try:
        call_command(name, *args, **options)
    except CommandError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from exc


@app.command()
def setup(demo: bool = typer.Option(False, "--demo", help="同时载入演示数据")) -> None:
    """迁移数据库，载入行政区划与预置协同区，收集静态文件（可重复执行）。"""
    from xietong import instance

    instance.prepare()
    _call("migrate", verbosity=0, interactive=False)
    _call("collectstatic", interactive=False, verbosity=0)
    _call("load_regions")
    _call("load_zones")
    if demo:
        _call("load_demo")


@app.command()
def accounts() -> None:
    """列出演示账号。"""
    _django()
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
    import importlib

    from xietong.web.management.commands.load_demo import DEMO_MODULES

    rows = []
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        rows += getattr(module, "EXTRA_ACCOUNTS", [])
    return rows


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


# Import templates by kind: (management command, default file name). Apps add theirs in register().
TEMPLATES: dict[str, tuple[str, str]] = {"orgs": ("org_template", "机构导入模板.xlsx")}


@app.command()
def template(kind: str = typer.Argument(..., help="模板类型，如 orgs"), out: str = "") -> None:
    """生成导入模板，例如：xietong template orgs"""
    commands = TEMPLATES
    if kind not in commands:
        console.print(f"[red]未知的模板类型“{kind}”，可选：{'、'.join(commands)}[/red]")
        raise typer.Exit(code=2)
    name, default = commands[kind]
    _call(name, out=out or default)


@app.command("import-orgs")
def import_orgs(file: str, as_user: str = typer.Option("", "--as", help="以该用户的权限导入")) -> None:
    """从 Excel 批量导入机构（全部成功或全部不写入）。"""
    _call("import_orgs", file, username=as_user)


@app.command("export-orgs")
def export_orgs(out: str = "机构名录.xlsx", zone: str = "", region: str = "") -> None:
    """导出机构名录为 Excel。"""
    _call("export_orgs", out=out, zone=zone, region=region)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(args: list[str] = typer.Argument(None)) -> None:
    """直接运行任意 Django 管理命令，例如：xietong manage createsuperuser"""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xietong", *(args or [])])


def _register_app_commands() -> None:
    """Apps and engines add their own commands, so this file does not grow with every feature."""
    from xietong.evaluation.cli import register as evaluation_commands
    from xietong.ledger.cli import register as ledger_commands
    from xietong.resources.cli import register as resources_commands
    from xietong.transfer.cli import register as transfer_commands
    from xietong.vouchers.cli import register as vouchers_commands

    apps = (resources_commands, ledger_commands, vouchers_commands, transfer_commands, evaluation_commands)
    for register in apps:
        register(app)
    try:
        from xietong.composite.cli import index_app
    except ModuleNotFoundError as exc:  # the engine is optional for the web app's own commands
        if not (exc.name or "").startswith("xietong.composite"):
            raise
        return
    app.add_typer(index_app, name="index", help="协同创新指数：运行综合指数计算")


_register_app_commands()


def main() -> None:  # pragma: no cover - console script shim
    app(prog_name="xietong")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
