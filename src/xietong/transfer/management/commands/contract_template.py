from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.transfer.excel import contract_template


class Command(BaseCommand):
    help = "生成技术合同导入模板。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="技术合同导入模板.xlsx")

    def handle(self, *args, out="技术合同导入模板.xlsx", **options):
        Path(out).write_bytes(contract_template())
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
