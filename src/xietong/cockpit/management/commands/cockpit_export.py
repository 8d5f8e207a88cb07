from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xietong.cockpit import exports, selectors
from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor


class Command(BaseCommand):
    help = "导出协同区驾驶舱（流向、合计、月度趋势、成员待办）为 Excel。"

    def add_arguments(self, parser):
        parser.add_argument("zone", help="协同区代码，如 yrd")
        parser.add_argument("--month", default="", help="只统计该月（YYYY-MM）；默认近 12 个月")
        parser.add_argument("--out", default="", help="输出文件（默认：<协同区简称>驾驶舱.xlsx）")
        parser.add_argument(
            "--as", "--username", dest="username", default="", help="以该用户的权限导出（默认：系统）"
        )

    def handle(self, *args, zone: str, month: str, out: str, username: str, **options):
        actor = command_actor(username)
        try:
            found = selectors.zone_get(actor=actor, code=zone)
            window = selectors.Window.month(month) if month else selectors.Window.last_months(12)
            data = selectors.cockpit(actor=actor, zone=found, window=window)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        target = Path(out or f"{found.short_name}驾驶舱.xlsx")
        target.write_bytes(exports.cockpit_workbook(data))
        totals = data["kinds"]["orders"]["totals"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出：{target}（{found.name}，{window.start:%Y-%m} 至 {window.end:%Y-%m} 前；"
                f"仪器共享订单 {totals['count']} 笔，其中成员间 {totals['cross_count']} 笔）"
            )
        )
