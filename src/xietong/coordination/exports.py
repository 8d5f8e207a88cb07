"""Tasks to Excel and the PDF 督办通报 (the light table per member), through core's one writer of each."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext

from xietong.coordination.enums import Light, TaskStatus
from xietong.core import clock
from xietong.core.excel import Column, write_workbook
from xietong.core.pdf import PdfDocument

HEADERS = ["事项名称", "来源", "议事机构", "牵头单位", "责任人", "开始日期", "完成时限", "状态", "红黄绿灯",
           "亮灯原因", "已验收进度（%）", "自报进度（%）", "平台指标实测值", "指标目标值", "完成日期"]  # fmt: skip


def task_rows(tasks) -> list[list]:
    return [
        [t.title, str(t.get_source_display()), t.body.name, t.lead_unit.name, t.owner_name, t.start_on, t.deadline,
         str(t.get_status_display()), str(t.get_light_display()), gettext(t.light_reason), t.progress, t.reported_progress,
         t.metric_value if t.metric_key else "", t.metric_target if t.metric_key else "", t.completed_on or ""]
        for t in tasks
    ]  # fmt: skip


def tasks_workbook(tasks) -> bytes:
    columns = [Column(key=str(i), header=h, width=40 if i == 0 else 16) for i, h in enumerate(HEADERS)]
    return write_workbook(title="督办事项", columns=columns, rows=task_rows(tasks.iterator(chunk_size=2000)))


def light_table(by_unit: list[dict]) -> list[list]:
    """Rows (unit name, red, yellow, green, total, unit id) from the dashboard's counts, worst first."""
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(Light.values, 0))
    for row in by_unit:
        counts[(row["lead_unit_id"], row["lead_unit__name"])][row["light"]] += row["n"]
    rows = [
        [name, c["red"], c["yellow"], c["green"], sum(c.values()), pk] for (pk, name), c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))


def bulletin_pdf(*, title: str, stats: dict) -> bytes:
    doc = PdfDocument(title=title, subtitle=f"截至 {clock.today():%Y 年 %m 月 %d 日}", is_landscape=False)
    by_status = stats["by_status"]
    total = sum(by_status.values())
    doc.heading("一、总体情况")
    doc.key_values([
        ("督办事项总数", total),
        *[(str(label), by_status.get(value, 0)) for value, label in TaskStatus.choices],
    ])  # fmt: skip
    doc.heading("二、各成员单位红黄绿灯")
    rows = [r[:5] for r in light_table(stats["by_unit"])]
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    doc.table(
        ["牵头单位", "红灯", "黄灯", "绿灯", "合计"],
        [*rows, ["合计", *totals]],
        widths=(0.44, 0.14, 0.14, 0.14, 0.14),
        total_row=True,
    )
    doc.heading("三、逾期及红灯事项")
    red = [[t.title, t.lead_unit.name, f"{t.deadline:%Y-%m-%d}", t.light_reason] for t in stats["overdue"]]
    if red:
        doc.table(["事项", "牵头单位", "完成时限", "原因"], red, widths=(0.46, 0.22, 0.14, 0.18))
    else:
        doc.paragraph("无。")
    return doc.render()
