"""The docstring examples of the engine stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xietong.specialisation

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(xietong.specialisation.__path__, "xietong.specialisation.")
)


@pytest.mark.parametrize("name", ["xietong.specialisation", *MODULES])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
