"""The numpydoc examples of the engine stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xietong.composite

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(xietong.composite.__path__, "xietong.composite.")
    if not name.endswith(".cli")
)


@pytest.mark.parametrize("name", ["xietong.composite", *MODULES])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
