"""`xietong`: one entry point for operators, wrapping the management commands.

This module is the composition root of the CLI. Its own commands (`setup`, `serve`, …) are defined here; the
apps' and engines' commands are listed in `LAZY` (subcommand → the module that exports it) and imported only
when that subcommand runs or shows its own help: importing every app's CLI up front pulled in pandas, scipy
and OR-Tools and cost about a second of CPU before `xietong --help` printed anything. Apps import their
helpers from `xietong.core.cli` and never import this module (an import-linter contract checks it).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import NamedTuple

import click
import typer
from rich.table import Table
from typer.core import TyperGroup

from xietong.core.cli import ImportTemplate, console, django_setup, run_command


class Lazy(NamedTuple):
    """Where a subcommand lives and the one line `xietong --help` shows for it without importing it."""

    module: str  # exports the command in `COMMANDS` or `GROUPS`, or the group as `attribute`
    help: str  # a test holds it equal to the loaded command's own help
    attribute: str = ""  # a command group kept as a module attribute rather than in `GROUPS`


# The apps' and engines' subcommands, in the order of `xietong --help`.
LAZY: dict[str, Lazy] = {
    "import-orgs": Lazy("xietong.orgs.cli", "从 Excel 批量导入机构（全部成功或全部不写入）。"),
    "export-orgs": Lazy("xietong.orgs.cli", "导出机构名录为 Excel。"),
    "orgs": Lazy("xietong.orgs.cli", "机构管理：暂停与恢复"),
    "import-resources": Lazy(
        "xietong.resources.cli", "从 Excel 批量导入资源或价目表（全部成功或全部不写入）。"
    ),
    "refresh-list-prices": Lazy(
        "xietong.resources.cli", "按当日生效的价目表刷新目录公开价（工作进程每晚也会运行）。"
    ),
    "export-orders": Lazy("xietong.resources.cli", "导出服务订单为 Excel。"),
    "check-ledger": Lazy(
        "xietong.ledger.cli", "校验账本的全部不变量（分录平衡、余额非负、额度不超预算、结算单合计等）。"
    ),
    "settle": Lazy("xietong.vouchers.cli", "生成某月的跨区结算单（幂等：重复执行不会重复生成）。"),
    "expire-vouchers": Lazy("xietong.vouchers.cli", "到期处理：释放逾期预留，收回到期创新券的未用额度。"),
    "import-contracts": Lazy("xietong.transfer.cli", "从 Excel 导入技术合同（全部成功或全部不写入）。"),
    "reindex": Lazy("xietong.transfer.cli", "重建技术交易匹配索引（科技成果、技术需求）。"),
    "transfer-eval": Lazy("xietong.transfer.cli", "离线评估推荐效果（以用户反馈为标注）。"),
    "evaluation-run": Lazy(
        "xietong.evaluation.cli", "立即计算一个排队中的指数运行（没有后台任务进程时使用）。"
    ),
    "import-talent-profiles": Lazy("xietong.talent.cli", "从 Excel 导入人才档案（全部成功或全部不写入）。"),
    "import-talent-experts": Lazy("xietong.talent.cli", "从 Excel 批量专家入库（全部成功或全部不写入）。"),
    "import-talent-agreements": Lazy(
        "xietong.talent.cli", "从 Excel 导入互认协议版本（全部成功或全部不写入；有效期重叠的版本被拒绝）。"
    ),
    "talent-recognition": Lazy(
        "xietong.talent.cli", "查询：持某卡某等级在某地可享受哪些服务（附协议与条款）。"
    ),
    "talent-issue-card": Lazy(
        "xietong.talent.cli", "向一位人才发放人才卡（制度中的一个等级）；须由制度发放地区的主管部门执行。"
    ),
    "talent-assign": Lazy("xietong.talent.cli", "为评审轮次抽取并分配专家（无法配齐时列出原因，不写入）。"),
    "coordination-refresh": Lazy(
        "xietong.coordination.cli", "重新计算红黄绿灯与实测进度，发送到期、逾期提醒和每周汇总（可重复运行）。"
    ),
    "coordination-bodies": Lazy("xietong.coordination.cli", "列出议事机构及其成员单位。"),
    "import-tasks": Lazy("xietong.coordination.cli", "从 Excel 导入督办事项（全部成功或全部不写入）。"),
    "coordination-report": Lazy("xietong.coordination.cli", "导出督办事项 Excel 或督办通报 PDF。"),
    "coordination-tally": Lazy(
        "xietong.coordination.cli", "核对督办看板的统计与直接计数是否一致（--rebuild 重新计算）。"
    ),
    "cockpit": Lazy(
        "xietong.cockpit.cli", "导出协同区驾驶舱（成员间流向、合计、月度趋势、成员待办）为 Excel。"
    ),
    "assign": Lazy(
        "xietong.assign.cli",
        "评审专家分配：按回避与地域规则，从匹配度文件求出每项的评审专家（最优、公平优先、随机、随机化优化）。",
    ),
    "resources": Lazy("xietong.resources.cli", "仪器共享：开放共享统计"),
    "sharing": Lazy("xietong.sharing.cli", "利益共享：分配模拟、收入导入与结算"),
    "index": Lazy("xietong.evaluation.index_cli", "协同创新指数：运行综合指数计算", attribute="index_app"),
    # chains.cli adds the app's commands to the engine's group (`specialise_cli.chains_app`) when imported
    "chains": Lazy(
        "xietong.chains.cli", "产业链图谱：专业化测度（区位熵、经济复杂度、关联密度）", attribute="chains_app"
    ),
}


def load(name: str) -> click.Command:
    """Import the module of subcommand `name` and build its click command (a group for `index`, `chains`, …)."""
    entry = LAZY[name]
    module = importlib.import_module(entry.module)
    if entry.attribute:
        command = typer.main.get_command(getattr(module, entry.attribute))
        command.help = entry.help  # the root's description of the group, as `add_typer(help=…)` gave it
    elif name in getattr(module, "GROUPS", {}):
        command = typer.main.get_command(module.GROUPS[name])
    else:
        one = typer.Typer(add_completion=False)
        one.command(name)(module.COMMANDS[name])
        command = typer.main.get_command(one)  # a Typer of one command is that command
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """The root group: lists `LAZY` from the table and imports a subcommand's module only to run it."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *LAZY]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in LAZY or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if self._listing:  # `xietong --help` needs only the name and the line, not the module
            return click.Command(cmd_name, help=LAZY[cmd_name].help)
        self.commands[cmd_name] = load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(help="协同 Xietong 运维命令", no_args_is_help=True, add_completion=False, cls=LazyGroup)

__all__ = ["LAZY", "app", "console", "django_setup", "load", "main", "run_command", "templates"]


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
    rows = {account.username: [str(account.role.label), account.note] for account in DEMO_ACCOUNTS}
    for username, role, note in _extra_demo_accounts():
        if username in rows:  # an app's walkthrough for an account the orgs demo made: one row, both notes
            rows[username][1] += f"；{note}"
        else:
            rows[username] = [role, note]
    for username, (role, note) in rows.items():
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


def templates() -> dict[str, ImportTemplate]:
    """Import templates by kind, from what each app's CLI module exports (imports them all: only `template` asks)."""
    modules = dict.fromkeys(entry.module for entry in LAZY.values())
    return {
        kind: template
        for path in modules
        for kind, template in getattr(importlib.import_module(path), "TEMPLATES", {}).items()
    }


@app.command()
def template(kind: str = typer.Argument(..., help="模板类型，如 orgs"), out: str = "") -> None:
    """生成导入模板，例如：xietong template orgs"""
    commands = templates()
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


def main() -> None:  # pragma: no cover - console script shim
    app(prog_name="xietong")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
