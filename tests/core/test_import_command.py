"""Every `xietong import-…` command answers alike: one user option, one missing-file message, one report."""

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

COMMANDS = ["import_orgs", "import_resources", "import_contracts"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_is_named_in_chinese(command, tmp_path):
    missing = tmp_path / "没有这个文件.xlsx"
    with pytest.raises(CommandError) as err:
        call_command(command, str(missing), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(err.value) == f"找不到文件：{missing}"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("option", ["--as", "--username"])
def test_an_unknown_user_is_refused_before_the_file_is_read(command, option, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command(command, str(tmp_path / "x.xlsx"), option, "nobody", stdout=io.StringIO())
    assert str(err.value) == "用户“nobody”不存在"
