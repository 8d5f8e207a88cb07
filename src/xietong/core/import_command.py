"""The management command behind every `xietong import-…`: who imports, the all-or-nothing report, the errors.

Each app's import command names only its reader, its service and what it writes; resolving the `--as`
user, turning a missing file or a refused import into a `CommandError`, and listing every bad row are the
same for organisations, resources, price lists and contracts, so they live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xietong.core.actor import SYSTEM, Actor, actor_for
from xietong.core.errors import DomainError
from xietong.core.excel import ImportReport

Reader = Callable[[BinaryIO], Any]
Importer = Callable[..., ImportReport]


class ImportCommand(BaseCommand):
    """Subclasses set `help` and implement `importer` (reader, service, noun) from the parsed options."""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--as", "--username", dest="username", default="", help="以该用户的权限导入（默认：系统）"
        )

    def importer(self, **options: Any) -> tuple[Reader, Importer, str]:
        raise NotImplementedError

    def handle(self, *args, file: str, username: str, **options):
        read, run, noun = self.importer(**options)
        actor = command_actor(username)
        try:
            with open(file, "rb") as handle:
                report = run(actor=actor, rows=read(handle))
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{file}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"第 {error.row} 行 [{error.column}] {error.message}")
            raise CommandError(
                f"共 {report.total_rows} 行，其中 {len(report.bad_rows)} 行有误，未写入任何数据"
            )
        self.stdout.write(self.style.SUCCESS(f"导入成功：写入 {report.created} {noun}"))


def command_actor(username: str) -> Actor:
    """Who a management command acts as: the `--as` user, or the system when none is named."""
    if not username:
        return SYSTEM
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return actor_for(user)
