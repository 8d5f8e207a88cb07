import importlib

from django.core.management.base import BaseCommand

# Each app that has demo data ships `<app>/demo.py` with `load() -> str` (a one-line summary); order matters:
# later apps build on the organisations and accounts of earlier ones.
DEMO_MODULES = (
    "xietong.orgs.demo",
    "xietong.resources.demo",
    "xietong.vouchers.demo",
    "xietong.transfer.demo",
    "xietong.evaluation.demo",
)


class Command(BaseCommand):
    help = "载入演示数据（确定性生成，可重复执行）。"

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            summary = module.load()
            self.stdout.write(self.style.SUCCESS(f"演示数据：{summary}"))
