from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.coordination import excel


class Command(BaseCommand):
    help = "生成督办事项导入模板（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="督办事项导入模板.xlsx")

    def handle(self, *args, out: str, **options):
        Path(out).write_bytes(excel.task_template())
        self.stdout.write(self.style.SUCCESS(f"已生成：{out}"))
