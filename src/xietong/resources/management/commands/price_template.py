from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.resources import excel


class Command(BaseCommand):
    help = "生成价目表导入模板（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="价目表导入模板.xlsx")

    def handle(self, *args, out: str, **options):
        Path(out).write_bytes(excel.price_template())
        self.stdout.write(self.style.SUCCESS(f"已写入模板：{out}"))
