from django.core.management.base import BaseCommand

from xietong.chains import services
from xietong.core.actor import SYSTEM


class Command(BaseCommand):
    help = "载入平台预置的六条产业链（已存在的跳过）。"

    def handle(self, *args, **options):
        created = services.chain_presets_load(actor=SYSTEM)
        self.stdout.write(self.style.SUCCESS(f"新增 {created} 条预置产业链"))
