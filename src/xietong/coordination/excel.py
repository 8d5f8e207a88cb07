"""Tasks in from Excel (the office's existing spreadsheet), through core's safe reader."""

from __future__ import annotations

from xietong.core.excel import Column, read_rows, template_workbook

TASK_COLUMNS = [
    Column("title", "事项名称", required=True, width=40),
    Column(
        "lead_unit", "牵头单位", required=True, help="平台已登记的责任单位名称，如 重庆市科技局", width=20
    ),
    Column("co_units", "配合单位", help="多个单位用顿号“、”分隔", width=30),
    Column("owner_name", "责任人"),
    Column("start_on", "开始日期", required=True, help="YYYY-MM-DD"),
    Column("deadline", "完成时限", required=True, help="YYYY-MM-DD，不早于开始日期"),
    Column("description", "工作要求", help="支持 Markdown，不得含脚本", width=40),
]
EXAMPLE = ["共建川渝科技资源共享服务平台", "重庆市科技局", "四川省科技厅", "张三", "2026-03-01", "2026-12-31",
           "完成平台一期建设并开放 500 台（套）大型仪器"]  # fmt: skip


def read_tasks(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=TASK_COLUMNS)


def task_template() -> bytes:
    return template_workbook(title="督办事项", columns=TASK_COLUMNS, examples=[EXAMPLE])
