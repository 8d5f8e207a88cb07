from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xietong.resources.services.list_prices import list_prices_refresh


class Command(BaseCommand):
    help = "按当日生效的价目表刷新资源目录的公开价（提前发布的价目表到生效日起作用）。"

    def add_arguments(self, parser):
        parser.add_argument("--on", default="", help="按该日期（YYYY-MM-DD）生效的价目表，默认今天")

    def handle(self, *args, on: str, **options):
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from exc
        changed = list_prices_refresh(on=day)
        self.stdout.write(self.style.SUCCESS(f"已刷新 {changed} 个资源的公开价"))
