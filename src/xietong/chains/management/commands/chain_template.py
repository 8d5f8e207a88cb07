from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.chains.excel import attachments_template, chain_template


class Command(BaseCommand):
    help = "生成产业链环节（或机构挂链）导入模板。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="产业链环节导入模板.xlsx")
        parser.add_argument("--attachments", action="store_true", help="生成机构挂链导入模板")

    def handle(self, *args, out="产业链环节导入模板.xlsx", attachments=False, **options):
        Path(out).write_bytes(attachments_template() if attachments else chain_template())
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
