"""`xietong resources statistics` writes a unit's or a region's open-sharing statistics in the evaluation's
layout, with the figures of the hand-computed fixture; bad arguments give a Chinese message and exit 1."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.factories import member
from tests.resources.test_sharing_stats import world  # noqa: F401  (the hand-computed fixture)
from xietong import cli
from xietong.core.roles import Role

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(cli.app, ["resources", "statistics", *args], terminal_width=200)


def test_a_units_statistics_to_xlsx(world, tmp_path):  # noqa: F811
    out = tmp_path / "unit.xlsx"
    result = _run("--unit", world["p"].credit_code, "--year", "2025", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["大型科研仪器开放共享情况"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "场发射扫描电镜")
    assert (
        row[header.index("年有效工作机时（小时）")].value == 5.0
        and row[header.index("共享率（%）")].value == 80.0
    )


def test_a_regions_units_to_xlsx_and_the_readers_scope(world, tmp_path):  # noqa: F811
    out = tmp_path / "region.xlsx"
    result = _run("--region", "330400", "--year", "2025", "--out", str(out))
    assert result.exit_code == 0, result.output
    units = [[c.value for c in r] for r in load_workbook(out)["单位汇总"].iter_rows(min_row=2)]
    assert [(u[1], u[5]) for u in units] == [
        ("嘉兴另一检测所", 10.0),
        ("嘉兴测试分析中心", 5.0),
        ("合计", 15.0),
    ]
    member(Role.REGION_BUREAU, region_id="310000", username="cli_bureau_sh")
    refused = _run("--region", "330400", "--as", "cli_bureau_sh", "--out", str(tmp_path / "x.xlsx"))
    assert refused.exit_code == 1 and "无权" in refused.output and not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "请指定"),
        (("--unit", "91330402MA0000000X", "--region", "330400"), "请指定"),
        (("--unit", "91330402MA0000000X"), "不存在"),
        (("--region", "999999"), "不存在"),
        (("--region", "330400", "--year", "1999"), "年份"),
        (("--region", "330400", "--as", "nobody"), "不存在"),
    ],
)
def test_bad_arguments_give_a_chinese_message_and_exit_1(world, args, message):  # noqa: F811
    result = _run(*args)
    assert result.exit_code == 1 and message in result.output
