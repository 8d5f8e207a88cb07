from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.resources import excel


class Command(BaseCommand):
    help = "生成资源或价目表的导入模板（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="资源导入模板.xlsx")
        parser.add_argument("--prices", action="store_true", help="生成价目表模板")

    def handle(self, *args, out: str, prices: bool, **options):
        Path(out).write_bytes(excel.price_template() if prices else excel.resource_template())
        self.stdout.write(self.style.SUCCESS(f"已写入模板：{out}"))
