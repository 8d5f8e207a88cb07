"""`xietong sharing simulate`: files in, shares.csv out; a refused input writes no output file."""

import json

import pytest
from typer.testing import CliRunner

from xietong import cli

HEADER = "enterprise,origin,revenue_type,period,amount_fen\n"
RULES = {
    "parties": ["510000", "500000"],
    "rules": [
        {
            "revenue_type": "*",
            "method": "stock_increment",
            "ratios": {"510000": 50, "500000": 50},
            "base_period": "2024",
        }
    ],
}


def _run(tmp_path, rules, revenue):
    (tmp_path / "rules.json").write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "revenue.csv").write_text(revenue, encoding="utf-8")
    out = tmp_path / "out" / "shares.csv"
    result = CliRunner().invoke(
        cli.app,
        [
            "sharing",
            "simulate",
            "--rules",
            str(tmp_path / "rules.json"),
            "--revenue",
            str(tmp_path / "revenue.csv"),
            "--out",
            str(out),
        ],
        terminal_width=200,
    )
    return result, out


def test_worked_example_through_the_cli(tmp_path):
    # given
    revenue = HEADER + "e1,510000,增值税,2024,100000000\ne1,510000,增值税,2025,130000001\n"
    # when
    result, out = _run(tmp_path, RULES, revenue)
    # then
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "enterprise,revenue_type,period,party,amount_fen,part"
    assert lines[4:] == [
        "e1,增值税,2025,510000,100000000,stock",
        "e1,增值税,2025,510000,15000001,increment",
        "e1,增值税,2025,500000,15000000,increment",
    ]


def test_three_way_proportional_and_one_fen(tmp_path):
    rules = {
        "parties": ["110000", "120000", "130000"],
        "rules": [
            {
                "revenue_type": "*",
                "method": "proportional",
                "ratios": {"110000": 40, "120000": 35, "130000": 25},
            }
        ],
    }
    revenue = HEADER + "a,110000,增值税,2025-01,10000\nb,120000,增值税,2025-01,1\n"
    result, out = _run(tmp_path, rules, revenue)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "a,增值税,2025-01,110000,4000,share",
        "a,增值税,2025-01,120000,3500,share",
        "a,增值税,2025-01,130000,2500,share",
        "b,增值税,2025-01,110000,1,share",
        "b,增值税,2025-01,120000,0,share",
        "b,增值税,2025-01,130000,0,share",
    ]


@pytest.mark.parametrize(
    ("rules", "revenue", "message"),
    [
        (
            {"parties": ["A"], "rules": [{"method": "lottery", "ratios": {"A": 1}}]},
            HEADER + "e,A,增值税,2025,1\n",
            "未知的分配方法“lottery”",
        ),
        (
            {"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"A": 0}}]},
            HEADER + "e,A,增值税,2025,1\n",
            "没有大于零的权重",
        ),
        (
            {"parties": ["A"], "rules": [{"method": "proportional", "ratios": {"B": 1}}]},
            HEADER + "e,A,增值税,2025,1\n",
            "“B”不在协议参与方之中",
        ),
        (RULES, HEADER + "e,320000,增值税,2025,1\n", "“320000”不在协议参与方之中"),
        (RULES, HEADER + "e,510000,增值税,2025,1.5\n", "不是整数分"),
        (RULES, "a,b\n1,2\n", "表头应为"),
        (RULES, HEADER + "e,510000,增值税,25年,1\n", "期间“25年”格式有误"),
    ],
)
def test_bad_input_gives_a_chinese_error_and_no_output_file(tmp_path, rules, revenue, message):
    result, out = _run(tmp_path, rules, revenue)
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists()
    assert not list(out.parent.glob("*")) if out.parent.exists() else True


def test_malformed_rules_json_is_refused(tmp_path):
    (tmp_path / "rules.json").write_text("{nope", encoding="utf-8")
    (tmp_path / "revenue.csv").write_text(HEADER, encoding="utf-8")
    out = tmp_path / "shares.csv"
    result = CliRunner().invoke(
        cli.app,
        [
            "sharing",
            "simulate",
            "--rules",
            str(tmp_path / "rules.json"),
            "--revenue",
            str(tmp_path / "revenue.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "不是有效的 UTF-8 JSON" in result.output
    assert not out.exists()


def test_import_and_settle_commands(park, tmp_path, capsys):
    from django.core.management import call_command

    from xietong.core.excel import write_workbook
    from xietong.ledger.models import Entry
    from xietong.sharing.excel import REVENUE_COLUMNS

    path = tmp_path / "r.xlsx"
    path.write_bytes(
        write_workbook(title="收入", columns=REVENUE_COLUMNS, rows=[["甲公司", "增值税", "2025-01", "12.34"]])
    )
    call_command("sharing_import", str(path), agreement=park.code)
    call_command("sharing_settle", agreement=park.code, period="")
    call_command("sharing_settle", agreement=park.code, period="")
    assert Entry.objects.filter(kind="sharing.settlement").count() == 1
    assert "已结算 1 个期间" in capsys.readouterr().out


def test_import_command_refuses_a_bad_file_and_writes_nothing(park, tmp_path):
    from django.core.management import CommandError, call_command

    from xietong.sharing.models import RevenueRecord

    path = tmp_path / "r.csv"
    path.write_text("企业名称,收入类型,期间,金额（元）\n无名公司,增值税,2025-01,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("sharing_import", str(path), agreement=park.code)
    assert RevenueRecord.objects.count() == 0
