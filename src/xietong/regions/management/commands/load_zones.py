from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.regions import services


class Command(BaseCommand):
    help = (
        "载入（或更新）预置协同区：京津冀、成渝、长三角、G60 科创走廊、嘉昆太、示范区（幂等；需先载入区划）"
    )

    def handle(self, *args, **options):
        try:
            count = services.zone_presets_load()
        except DomainError as exc:
            raise CommandError(f"{exc.message}（请先运行 load_regions 载入行政区划）") from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 个预置协同区"))
