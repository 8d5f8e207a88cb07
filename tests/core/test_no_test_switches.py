"""Shipped code carries no test knowledge: nothing in src/ imports mock or asks whether it runs under tests."""

import ast
from pathlib import Path

import xietong

SRC = Path(xietong.__file__).resolve().parent
MOCK_MODULES = {"mock", "unittest.mock", "pytest", "freezegun", "time_machine"}
TEST_FLAGS = {"TESTING", "XIETONG_TESTING", "IS_TEST", "RUNNING_TESTS"}
TELLTALE_STRINGS = TEST_FLAGS | {"pytest", "PYTEST_CURRENT_TEST"}


def problems_in(source: str) -> list[str]:
    """What in `source` imports a mocking library or detects tests (line: finding)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            out += [f"{line}: imports {a.name}" for a in node.names if a.name in MOCK_MODULES]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in MOCK_MODULES or (module == "unittest" and any(a.name == "mock" for a in node.names)):
                out.append(f"{line}: imports from {module}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in TEST_FLAGS
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
        ):
            out.append(f"{line}: reads settings.{node.attr}")
        elif isinstance(node, ast.Constant) and node.value in TELLTALE_STRINGS:
            out.append(
                f"{line}: mentions {node.value!r}"
            )  # getattr(settings, "TESTING"), environ, sys.modules
    for node in ast.parse(source).body:  # a module-level flag of its own (TESTING = ...)
        if isinstance(node, ast.Assign):
            out += [
                f"{node.lineno}: defines {t.id}" for t in node.targets if getattr(t, "id", "") in TEST_FLAGS
            ]
    return out


def test_the_scan_catches_each_kind_of_switch():
    planted = [
        "from unittest import mock\n",
        "import unittest.mock\n",
        "import pytest\n",
        "from django.conf import settings\nif settings.TESTING:\n    pass\n",
        "from django.conf import settings\nx = getattr(settings, 'TESTING', False)\n",
        "import os\nx = os.environ.get('XIETONG_TESTING')\n",
        "import sys\nTESTING = 'pytest' in sys.modules\n",
    ]
    assert [bool(problems_in(source)) for source in planted] == [True] * len(planted)


def test_the_scan_leaves_ordinary_code_alone():
    clean = (
        "from xietong.core import clock\n"
        "from xietong.orgs.enums import OrgKind\n"
        "class Kind:\n    TESTING = 'testing'\n"
        "kinds = [OrgKind.TESTING]\n"
        "now = clock.now()\n"
    )
    assert problems_in(clean) == []


def test_nothing_in_src_imports_mock_or_reads_a_testing_flag():
    found = {
        str(path.relative_to(SRC)): problems
        for path in sorted(SRC.rglob("*.py"))
        if (problems := problems_in(path.read_text(encoding="utf-8")))
    }
    assert found == {}
