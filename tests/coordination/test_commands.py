"""The CLI: importing tasks all or nothing with a row-by-row report, the refresh job, exports."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from xietong.coordination.excel import TASK_COLUMNS
from xietong.coordination.models import Task
from xietong.core.excel import write_workbook


def _workbook(tmp_path, rows) -> str:
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(write_workbook(title="督办事项", columns=TASK_COLUMNS, rows=rows))
    return str(path)


def test_import_is_all_or_nothing_with_a_row_report(cy, tmp_path, capsys):
    rows = [
        ["共建平台", "重庆市科技局", "四川省科技厅", "张三", "2026-03-01", "2026-12-31", ""],
        ["联合攻关", "火星市科技局", "", "", "2026-03-01", "2026-12-31", ""],
        ["倒置时限", "四川省科技厅", "", "", "2026-06-01", "2026-05-01", ""],
        ["脚本", "四川省科技厅", "", "", "2026-03-01", "2026-05-01", "<script>x</script>"],
    ]
    with pytest.raises(CommandError, match="共 4 行，其中 3 行有误，未写入任何数据"):
        call_command("import_tasks", _workbook(tmp_path, rows), body=cy.body.pk, username="cy_office")
    err = capsys.readouterr().err
    assert "第 3 行 [牵头单位] 牵头单位“火星市科技局”不存在" in err
    assert "第 4 行 [完成时限] 完成时限不能早于开始日期" in err
    assert "第 5 行 [工作要求]" in err
    assert Task.objects.count() == 0
    call_command("import_tasks", _workbook(tmp_path, rows[:1]), body=cy.body.pk, username="cy_office")
    task = Task.objects.get()
    assert (task.lead_unit.name, [u.name for u in task.co_units.all()]) == ("重庆市科技局", ["四川省科技厅"])


def test_import_refused_for_another_zones_office(cy, tmp_path):
    rows = [["共建平台", "重庆市科技局", "", "", "2026-03-01", "2026-12-31", ""]]
    with pytest.raises(CommandError, match="只有本协同区办公室可以管理该议事机构"):
        call_command("import_tasks", _workbook(tmp_path, rows), body=cy.body.pk, username="yrd_office")
    assert Task.objects.count() == 0


def test_refresh_and_reports(cy, tmp_path, capsys):
    call_command("coordination_refresh")
    assert "督办事项 0 项" in capsys.readouterr().out
    out = tmp_path / "b.pdf"
    call_command("coordination_report", "bulletin", username="cy_office", out=str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    xlsx = tmp_path / "t.xlsx"
    call_command("coordination_report", "tasks", out=str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"


def test_tally_command_checks_and_rebuilds(cy, capsys):
    from tests.coordination.conftest import task_input
    from xietong.coordination import services
    from xietong.coordination.models import TaskTally

    services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    call_command("coordination_tally")
    assert "一致" in capsys.readouterr().out
    TaskTally.objects.update(n=5)
    with pytest.raises(CommandError, match="1 处不一致"):
        call_command("coordination_tally")
    call_command("coordination_tally", rebuild=True)
    call_command("coordination_tally")
    assert TaskTally.objects.get().n == 1
