"""Commands and import templates this app adds to the `xietong` CLI (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {"tasks": ImportTemplate("task_template", "督办事项导入模板.xlsx")}


def refresh(no_notify: bool = typer.Option(False, "--no-notify", help="只更新灯色，不发送提醒")) -> None:
    """重新计算红黄绿灯与实测进度，发送到期、逾期提醒和每周汇总（可重复运行）。"""
    run_command("coordination_refresh", no_notify=no_notify)


def bodies() -> None:
    """列出议事机构及其成员单位。"""
    run_command("coordination_bodies")


def import_tasks(
    file: str,
    body: int = typer.Option(..., "--body", help="议事机构编号"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导入"),
) -> None:
    """从 Excel 导入督办事项（全部成功或全部不写入）。"""
    run_command("import_tasks", file, body=body, username=as_user)


def report(
    kind: str = typer.Argument(..., help="tasks（Excel）或 bulletin（督办通报 PDF）"),
    body: int = typer.Option(None, "--body", help="只导出该议事机构"),
    as_user: str = typer.Option("", "--as", help="以该用户的权限导出"),
    out: str = typer.Option("", "--out", help="输出文件"),
) -> None:
    """导出督办事项 Excel 或督办通报 PDF。"""
    run_command("coordination_report", kind, body=body, username=as_user, out=out)


def tally(rebuild: bool = typer.Option(False, "--rebuild", help="按督办事项重新计算")) -> None:
    """核对督办看板的统计与直接计数是否一致（--rebuild 重新计算）。"""
    run_command("coordination_tally", rebuild=rebuild)


COMMANDS = {
    "coordination-refresh": refresh,
    "coordination-bodies": bodies,
    "import-tasks": import_tasks,
    "coordination-report": report,
    "coordination-tally": tally,
}
