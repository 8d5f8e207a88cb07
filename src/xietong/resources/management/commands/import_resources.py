from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xietong.core.actor import SYSTEM, actor_for
from xietong.core.errors import DomainError
from xietong.resources import excel, services


class Command(BaseCommand):
    help = "从 Excel 批量导入资源或价目表：先逐行校验，全部通过才写入（全部或全无）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--prices", action="store_true", help="导入价目表（默认导入资源）")
        parser.add_argument("--as", dest="username", default="", help="以该用户的权限导入（默认：系统）")

    def handle(self, *args, file: str, prices: bool, username: str, **options):
        actor = SYSTEM
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户“{username}”不存在")
            actor = actor_for(user)
        read, run = (
            (excel.read_prices, services.price_lists_import)
            if prices
            else (excel.read_resources, services.resources_import)
        )
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
        what = "份价目表" if prices else "个资源"
        self.stdout.write(self.style.SUCCESS(f"导入成功：写入 {report.created} {what}"))
