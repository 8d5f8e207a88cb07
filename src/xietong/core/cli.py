"""What every app's `xietong` commands share: Django set-up, running a management command, the console.

The apps' `cli.py` modules import these helpers from here, never from the root `xietong.cli`: the root is
the composition root that imports the apps, so an app importing it back would be a cycle.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import typer
from rich.console import Console

console = Console()


class ImportTemplate(NamedTuple):
    """An import workbook template an app offers through `xietong template <kind>`."""

    command: str  # the management command that writes it
    default_file: str  # the file name used when `--out` is not given


def django_setup() -> None:
    """Set up Django once; commands call this before touching models (the CLI starts without Django)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xietong.settings")
    import django

    django.setup()


def run_command(name: str, *args: str, **options) -> None:
    """Run a management command, turning its CommandError into a red message and exit code 1."""
    django_setup()
    from django.core.management import CommandError, call_command

    try:
        call_command(name, *args, **options)
    except CommandError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from exc
