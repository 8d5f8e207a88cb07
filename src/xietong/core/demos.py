"""Finding the apps' demo modules: each app that has demo data ships `<app>/demo.py`.

Found through the app registry in `INSTALLED_APPS` order (like `admin.autodiscover`), so neither the
kernel nor the CLI keeps a list of apps; later apps build on the organisations and accounts of earlier
ones, which `INSTALLED_APPS` already orders.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from xietong.core import clock
from xietong.core.models import AuditEvent


def demo_modules() -> list[ModuleType]:
    """Each installed app's `demo` module (with `load() -> str`), in `INSTALLED_APPS` order."""
    return [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "demo")
    ]


@contextmanager
def dated(moment: datetime) -> Iterator[clock.Travel]:
    """Demo data only: run the block as if it were `moment` (`clock.travel_to`) and date the audit events it
    records at `moment` too. Services date their own records through the clock, but an audit event takes the
    database's real time, so a history line of a suspension "twelve days ago" would read today.

    Only the events the block itself wrote in real time are moved: those of a nested `dated` block keep the
    nested moment. A moment ahead of the real time dates them now."""
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True)  # tenancy-ok: demo loader
    last = newest.first() or 0
    started = timezone.now()
    with clock.travel_to(moment) as travel:
        yield travel
    # a block run ahead of today (a settlement on the 20th of next month) is recorded today, never in the future
    AuditEvent.objects.filter(  # tenancy-ok: demo loader, the events its own block just wrote
        id__gt=last, created_at__gte=started
    ).update(created_at=min(moment, started))
