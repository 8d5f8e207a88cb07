from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xietong.coordination import exports, selectors
from xietong.core import clock
from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor


class Command(BaseCommand):
    help = "导出督办事项（Excel）或督办通报（PDF，含各成员单位灯情表）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["tasks", "bulletin"])
        parser.add_argument("--body", type=int, default=None, help="只导出该议事机构")
        parser.add_argument("--as", dest="username", default="", help="以该用户的权限导出（默认：系统）")
        parser.add_argument("--out", default="")

    def handle(self, *args, kind: str, body, username: str, out: str, **options):
        actor = command_actor(username)
        try:
            if kind == "tasks":
                qs = selectors.task_list(actor=actor, filters=selectors.TaskFilters(body=body))
                content, default = exports.tasks_workbook(qs), f"督办事项-{clock.today():%Y%m%d}.xlsx"
            else:
                bodies = [b for b in selectors.managed_bodies(actor=actor) if body is None or b.pk == body]
                stats = selectors.dashboard(actor=actor, body_ids=[b.pk for b in bodies])
                names = "、".join(b.name for b in bodies) or "督办事项"
                content = exports.bulletin_pdf(title=f"督办通报 · {names}", stats=stats)
                default = f"督办通报-{clock.today():%Y%m%d}.pdf"
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        path = Path(out or default)
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"已导出：{path}"))
