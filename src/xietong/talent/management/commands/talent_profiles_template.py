from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.talent.excel import TEMPLATES, template


class Command(BaseCommand):
    help = "生成导入模板。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default=TEMPLATES["profiles"][3])

    def handle(self, *args, out="", **options):
        Path(out).write_bytes(template("profiles"))
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
