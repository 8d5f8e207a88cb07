"""The layers in `.importlinter` hold on the real tree, and each contract fails when a planted import breaks it.

`lint-imports` runs in a subprocess so that `xietong` resolves to the tree under test (the real one, or a
temporary copy of its Python files with one planted module) rather than to the package already imported.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract_names() -> dict[str, str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    prefix = "importlinter:contract:"
    return {s.removeprefix(prefix): parser[s]["name"] for s in parser.sections() if s.startswith(prefix)}


def _lint(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(CONFIG)],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _statuses(output: str) -> dict[str, str]:
    """Contract name -> KEPT/BROKEN, from the summary (long names wrap onto a second line)."""
    text = " ".join(output.split())
    return {
        name: m.group(1)
        for name in _contract_names().values()
        if (m := re.search(re.escape(name) + r" (KEPT|BROKEN)", text))
    }


def _not_python(folder: str, names: list[str]) -> list[str]:
    """What copytree skips: data files (fonts, fixtures, templates) and bytecode; the graph needs only .py."""
    return [n for n in names if n == "__pycache__" or not (n.endswith(".py") or (Path(folder) / n).is_dir())]


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The package's Python files, copied once; each test plants into its own copy of this copy."""
    src = tmp_path_factory.mktemp("pristine") / "src"
    shutil.copytree(ROOT / "src" / "xietong", src / "xietong", ignore=_not_python)
    return src


def test_the_real_tree_keeps_every_contract():
    # when
    result = _lint(ROOT / "src")
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(_statuses(result.stdout).values()) == {"KEPT"}
    assert set(_statuses(result.stdout)) == set(_contract_names().values())


# What is planted -> (the contracts it breaks, {path under xietong/: module text, "+…" = appended}).
# An import back into a package that already imports the planter also closes a cycle between the two.
PLANTS = {
    "an engine importing the kernel": (
        {"engines"},
        {"composite/planted.py": "from xietong.core import errors\n"},
    ),
    "the matching engine importing the composite engine": (
        {"engines"},
        {"matching/planted.py": "from xietong.composite import stats\n"},
    ),
    "the specialisation engine importing the kernel": (
        {"engines"},
        {"specialisation/planted.py": "from xietong.core import errors\n"},
    ),
    "the kernel importing an app": (
        {"core", "top-level-cycles"},
        {
            "core/planted.py": "def build(user):\n    from xietong.orgs import selectors\n\n    return selectors\n"
        },
    ),
    "an app importing the pages app": (
        {"roots", "top-level-cycles"},
        {"vouchers/planted.py": "from xietong.web import views\n"},
    ),
    "an app importing the root CLI": (  # no cycle since the root imports the apps' CLIs lazily (importlib)
        {"roots"},
        {"resources/planted.py": "from xietong.cli import TEMPLATES\n"},
    ),
    "a new app, not named anywhere in the config, importing the pages app": (
        {"roots"},
        {"talent/__init__.py": "", "talent/views.py": "from xietong.web.views import home\n"},
    ),
    "two modules of an app importing each other": (
        {"app-cycles"},
        {
            "transfer/planted_a.py": "from xietong.transfer import planted_b\n",
            "transfer/planted_b.py": "def later():\n    from xietong.transfer import planted_a\n",
        },
    ),
    "a cycle through three modules of an app (planted -> services -> selectors -> planted)": (
        {"app-cycles"},
        {
            "evaluation/planted.py": "from xietong.evaluation import services\n",
            "evaluation/selectors.py": "+def _planted():\n    from xietong.evaluation import planted\n",
        },
    ),
    "two apps importing each other": (
        {"top-level-cycles"},
        {"regions/planted.py": "from xietong.orgs import models\n"},
    ),
}


@pytest.mark.parametrize("plant", PLANTS, ids=list(PLANTS))
def test_a_planted_import_breaks_its_contracts(plant, tree_copy, tmp_path):
    # given a copy of the tree with the planted modules
    contracts, files = PLANTS[plant]
    src = tmp_path / "src"
    shutil.copytree(tree_copy, src)
    for relative, text in files.items():
        path = src / "xietong" / relative
        path.parent.mkdir(exist_ok=True)
        if text.startswith("+"):  # appended to an existing module
            text = path.read_text(encoding="utf-8") + "\n\n" + text[1:]
        path.write_text(text, encoding="utf-8")
    # when
    result = _lint(src)
    # then
    names = _contract_names()
    statuses = _statuses(result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(statuses) == len(names)
    assert {name for name, status in statuses.items() if status == "BROKEN"} == {names[c] for c in contracts}


def test_make_test_and_make_lint_run_the_contracts_right_after_ruff():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "lint"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1).splitlines()
        ruff = next(i for i, line in enumerate(recipe) if "ruff check" in line)
        assert recipe[ruff + 1].strip() == "$(BIN)/lint-imports --no-cache --no-logo"
