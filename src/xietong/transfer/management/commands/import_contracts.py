from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xietong.core.actor import SYSTEM, actor_for
from xietong.core.errors import DomainError
from xietong.transfer import excel, services


class Command(BaseCommand):
    help = "从 Excel 导入技术合同（全部成功或全部不写入，逐行报告问题）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--username", default="", help="以该用户的权限导入（默认：系统）")

    def handle(self, *args, file, username="", **options):
        actor = SYSTEM
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户 {username} 不存在")
            actor = actor_for(user)
        try:
            with open(file, "rb") as handle:
                report = services.contracts_import(actor=actor, rows=excel.read_contracts(handle))
        except (OSError, DomainError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        if not report.ok:
            for error in report.errors:
                self.stdout.write(f"第 {error.row} 行 {error.column}：{error.message}")
            raise CommandError(f"共 {len(report.bad_rows)} 行有误，未写入任何数据")
        self.stdout.write(self.style.SUCCESS(f"导入成功：共登记 {report.created} 份技术合同"))
