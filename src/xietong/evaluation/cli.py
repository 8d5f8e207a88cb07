"""Commands this app adds to the `xietong` CLI."""

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI (called once by xietong.cli)."""
