"""The root CLI registers what every app's `cli` module exports, from one static list that misses no app."""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from typer.testing import CliRunner

from xietong import cli
from xietong.core.demos import demo_modules

ROOT_COMMANDS = {"setup", "accounts", "serve", "worker", "template", "manage"}


def test_every_app_with_a_cli_module_is_in_the_static_list():
    # given the installed apps that ship `<app>/cli.py` (core's holds the helpers the apps' commands use)
    with_cli = {c.name for c in apps.get_app_configs() if module_has_submodule(c.module, "cli")}
    with_cli.remove("xietong.core")
    # then the root registers exactly those
    assert with_cli == {module.__name__.removesuffix(".cli") for module in cli.APP_CLIS}
    assert "xietong.orgs" in with_cli


def test_the_root_registers_each_exported_command_under_its_name():
    modules = (*cli.APP_CLIS, *cli.ENGINE_CLIS)
    exported = {name: command for module in modules for name, command in module.COMMANDS.items()}
    registered = {c.name or c.callback.__name__: c.callback for c in cli.app.registered_commands}
    assert set(registered) == ROOT_COMMANDS | set(exported)
    assert all(registered[name] is command for name, command in exported.items())
    assert [g.name for g in cli.app.registered_groups] == ["resources", "sharing", "index", "chains"]


def test_templates_come_from_the_apps_and_the_template_command_writes_one(tmp_path):
    # given
    assert set(cli.TEMPLATES) == {
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
    known = "orgs、resources、prices、contracts、talent-profiles、talent-experts、talent-agreements、chains、tasks、sharing"
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
    for username in ("provider_sh", "uni_bj", "ent_hb", "park_hb"):
        assert username in result.output
