from django.core.management.base import BaseCommand

from xietong.core.demos import demo_modules


class Command(BaseCommand):
    help = "载入演示数据（确定性生成，可重复执行）。"

    def handle(self, *args, **options):
        # Each app with demo data ships `<app>/demo.py` with `load() -> str` (a one-line summary).
        for module in demo_modules():
            summary = module.load()
            self.stdout.write(self.style.SUCCESS(f"演示数据：{summary}"))
