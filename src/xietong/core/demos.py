"""Finding the apps' demo modules: each app that has demo data ships `<app>/demo.py`.

Found through the app registry in `INSTALLED_APPS` order (like `admin.autodiscover`), so neither the
kernel nor the CLI keeps a list of apps; later apps build on the organisations and accounts of earlier
ones, which `INSTALLED_APPS` already orders.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module (with `load() -> str`), in `INSTALLED_APPS` order."""
    return [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "demo")
    ]
