from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.regions import services


class Command(BaseCommand):
    help = "载入（或更新）GB/T 2260 行政区划：省级、地级、县级（幂等）"

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="区划数据文件（默认使用随附的 regions.json.gz）")

    def handle(self, *args, path=None, **options):
        try:
            count = services.regions_load(path=path)
        except (OSError, ValueError, DomainError) as exc:
            raise CommandError(f"无法载入区划数据：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 个行政区划"))
