from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.core.actor import SYSTEM
from xietong.resources import excel, selectors


class Command(BaseCommand):
    help = "导出服务订单（Excel，平台全部订单）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="服务订单.xlsx")
        parser.add_argument("--status", default="")

    def handle(self, *args, out: str, status: str, **options):
        qs = selectors.order_list(actor=SYSTEM, filters=selectors.OrderFilters(status=status))
        Path(out).write_bytes(excel.export_orders(qs.iterator(chunk_size=2000)))
        self.stdout.write(self.style.SUCCESS(f"已导出：{out}"))
