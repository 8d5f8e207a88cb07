"""The root CLI registers what every app's `cli` module exports, from one static list that misses no app."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.utils.module_loading import module_has_submodule
from typer.testing import CliRunner

from xietong import cli
from xietong.core.demos import demo_modules

ROOT_COMMANDS = {"setup", "accounts", "serve", "worker", "template", "manage"}


def test_every_app_with_a_cli_module_is_in_the_lazy_table():
    # given the installed apps that ship `<app>/cli.py` (core's holds the helpers the apps' commands use)
    with_cli = {c.name for c in apps.get_app_configs() if module_has_submodule(c.module, "cli")}
    with_cli.remove("xietong.core")
    # then the table names exactly those, besides the engines' and the groups' own modules
    modules = {entry.module for entry in cli.LAZY.values()}
    extra = {"xietong.assign.cli", "xietong.evaluation.index_cli"}
    assert {m.removesuffix(".cli") for m in modules - extra} == with_cli
    assert "xietong.orgs" in with_cli


def test_the_table_lists_every_command_each_module_exports_and_loads_it_under_its_name():
    for path in {entry.module for entry in cli.LAZY.values()}:
        module = importlib.import_module(path)
        exported = {**getattr(module, "COMMANDS", {}), **getattr(module, "GROUPS", {})}
        assert {
            name for name, entry in cli.LAZY.items() if entry.module == path and not entry.attribute
        } == set(exported)
        for name, command in getattr(module, "COMMANDS", {}).items():
            loaded = cli.load(name)
            assert loaded.name == name and loaded.callback.__wrapped__ is command
    assert cli.load("chains").name == "chains" and "presets" in cli.load("chains").commands
    assert "run" in cli.load("index").commands


@pytest.mark.parametrize("name", [*cli.LAZY])
def test_the_one_line_of_help_in_the_table_is_the_commands_own(name):
    assert cli.load(name).get_short_help_str(limit=500) == cli.LAZY[name].help


def test_top_level_help_lists_every_command_and_imports_no_app_module():
    # given a fresh interpreter (this one has imported the apps' CLI modules already)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from xietong import cli\n"
        "result = CliRunner().invoke(cli.app, ['--help'], terminal_width=300)\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.output)\n"
        "xietong = sorted(m for m in sys.modules if m.startswith('xietong.') and m.endswith('cli'))\n"
        "print('LOADED', xietong, 'pandas' in sys.modules)\n"
    )
    # when
    env = {**os.environ, "COLUMNS": "300"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    # then every command is listed with its line, and no app module (nor pandas) was imported for it
    for name in [*ROOT_COMMANDS, *cli.LAZY]:
        assert f" {name} " in out
    assert cli.LAZY["settle"].help in out
    assert out.split("LOADED ")[1].strip() == "['xietong.cli', 'xietong.core.cli'] False"


@pytest.mark.parametrize("name", [*sorted(ROOT_COMMANDS), *cli.LAZY])
def test_each_subcommand_shows_its_help(name):
    result = CliRunner().invoke(cli.app, [name, "--help"], terminal_width=200, prog_name="xietong")
    assert result.exit_code == 0, result.output
    assert f"Usage: xietong {name}" in " ".join(result.output.split())


def test_templates_come_from_the_apps_and_the_template_command_writes_one(tmp_path):
    # given
    assert set(cli.templates()) == {
        "orgs", "resources", "prices", "contracts", "talent-profiles", "talent-experts", "talent-agreements",
        "chains", "tasks", "sharing",
    }  # fmt: skip
    out = tmp_path / "orgs.xlsx"
    # when
    result = CliRunner().invoke(cli.app, ["template", "orgs", "--out", str(out)])
    # then
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_an_unknown_template_kind_lists_the_known_ones():
    result = CliRunner().invoke(cli.app, ["template", "nope"])
    assert result.exit_code == 2
    known = "orgs、resources、prices、contracts、talent-profiles、talent-experts、talent-agreements、tasks、sharing、chains"
    assert f"未知的模板类型“nope”，可选：{known}" in result.output.replace("\n", "")


def test_demo_modules_are_found_in_installed_apps_order():
    assert [m.__name__ for m in demo_modules()] == [
        "xietong.orgs.demo",
        "xietong.resources.demo",
        "xietong.vouchers.demo",
        "xietong.transfer.demo",
        "xietong.evaluation.demo",
        "xietong.talent.demo",
        "xietong.chains.demo",
        "xietong.cockpit.demo",
        "xietong.coordination.demo",
        "xietong.sharing.demo",
    ]


def test_accounts_lists_the_extra_accounts_of_the_apps_demos():
    result = CliRunner().invoke(cli.app, ["accounts"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for username in ("provider_sh", "uni_bj", "ent_hb", "park_hb", "bureau_jx_county", "bureau_wj"):
        assert username in result.output
    # an account two demos describe (the orgs demo's expert, the talent demo's reviewer) is one row
    assert [line.split("│")[1].strip() for line in result.output.splitlines() if "│ expert " in line] == [
        "expert"
    ]
