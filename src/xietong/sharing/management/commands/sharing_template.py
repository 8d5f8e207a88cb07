from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.sharing.excel import revenue_template


class Command(BaseCommand):
    help = "生成园区企业收入导入模板。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="园区企业收入导入模板.xlsx")

    def handle(self, *args, out="园区企业收入导入模板.xlsx", **options):
        Path(out).write_bytes(revenue_template())
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
