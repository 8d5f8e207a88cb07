"""`xietong cockpit <zone>` writes the cockpit's flows and totals to Excel, equal to the cockpit's figures on
the fixture of test_cockpit; an unknown zone or month gives a Chinese message and exit 1."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.cockpit.test_cockpit import world  # noqa: F401  (the cockpit's fixture)
from xietong import cli

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_the_zone_cockpit_to_xlsx(world, tmp_path):  # noqa: F811
    out = tmp_path / "yrd.xlsx"
    result = runner.invoke(cli.app, ["cockpit", "yrd", "--out", str(out)], terminal_width=200)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    totals = {r[0].value: [c.value for c in r[1:]] for r in book["合计"].iter_rows(min_row=2)}
    assert (
        totals["仪器共享订单"][:1] == [4] and totals["仪器共享订单"][2] == 3
    )  # as test_flows_equal_the_records
    flows = {(r[0].value, r[1].value): r[2].value for r in book["仪器共享订单流向"].iter_rows(min_row=2)}
    assert flows == {("上海市", "嘉兴市"): 2, ("上海市", "杭州市"): 1}


@pytest.mark.parametrize(
    "args, message",
    [(["cockpit", "nowhere"], "协同区不存在"), (["cockpit", "yrd", "--month", "2026-13"], "月份")],
)
def test_bad_zone_or_month(world, tmp_path, args, message):  # noqa: F811
    result = runner.invoke(cli.app, [*args, "--out", str(tmp_path / "x.xlsx")], terminal_width=200)
    assert result.exit_code == 1 and message in result.output and not (tmp_path / "x.xlsx").exists()
