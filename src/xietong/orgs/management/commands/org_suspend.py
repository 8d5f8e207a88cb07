"""`xietong orgs suspend|reinstate`: the same service as the organisation page and the API, from a terminal."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor
from xietong.orgs import selectors, services


class Command(BaseCommand):
    help = "暂停或恢复一家机构（按统一社会信用代码或全称查找；暂停须填写理由）。"

    def add_arguments(self, parser):
        parser.add_argument("org", help="统一社会信用代码或机构全称")
        parser.add_argument("--reason", default="", help="理由：暂停时必填，恢复时选填")
        parser.add_argument("--reinstate", action="store_true", help="恢复（默认为暂停）")
        parser.add_argument(
            "--as", "--username", dest="username", default="", help="以该用户的权限执行（默认：系统）"
        )

    def handle(self, *args, org: str, reason: str, reinstate: bool, username: str, **options):
        actor = command_actor(username)
        try:
            found = selectors.organisation_find(actor=actor, text=org)
            done = services.organisation_suspend(
                actor=actor, org_id=found.pk, suspend=not reinstate, note=reason
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        message = _("已恢复：%(name)s（%(code)s）") if reinstate else _("已暂停：%(name)s（%(code)s）")
        self.stdout.write(self.style.SUCCESS(message % {"name": done.name, "code": done.credit_code}))
