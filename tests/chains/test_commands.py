"""The `xietong chains` management commands: a bad import lists its rows and writes nothing; gaps print reasons."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.chains.test_structure_import import workbook
from xietong.chains.models import Chain

pytestmark = pytest.mark.django_db


def test_import_command_with_a_cycle_lists_the_row_and_writes_nothing(tmp_path):
    path = tmp_path / "chain.xlsx"
    path.write_bytes(workbook([["A", "甲", "上游", "", "B"], ["B", "乙", "中游", "", "A"]]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("chains_import", str(path), code="loop", name="循环链", stderr=err)
    assert "环节关系形成循环" in err.getvalue()
    assert Chain.objects.count() == 0


def test_gaps_command_prints_chinese_reasons_and_exports(chengyu, tmp_path):
    out, target = io.StringIO(), tmp_path / "gaps.xlsx"
    call_command("chains_gaps", zone="chengyu", region="510100", chain="nev", out=str(target), stdout=out)
    text = out.getvalue()
    assert "[补链] 新能源汽车 · 热管理系统：成都市在该环节较为薄弱" in text
    assert target.read_bytes()[:2] == b"PK"


def test_gaps_command_lists_every_member_of_the_zone_and_exports(chengyu, tmp_path):
    out, target = io.StringIO(), tmp_path / "zone.xlsx"
    call_command("chains_gaps", zone="chengyu", chain="nev", members=True, out=str(target), stdout=out)
    text = out.getvalue()
    assert "热管理系统：缺链 成都市、" in text and "优势（可补链）重庆市（2.06）" in text
    assert "    → 重庆热管理" in text
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="产业链不存在"):
        call_command("chains_gaps", zone="chengyu", chain="nope", members=True, stdout=io.StringIO())
