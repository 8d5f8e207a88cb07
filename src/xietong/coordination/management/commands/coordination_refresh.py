from django.core.management.base import BaseCommand

from xietong.coordination import refresh


class Command(BaseCommand):
    help = "重新计算督办事项的红黄绿灯与平台实测进度，并发送到期、逾期提醒和每周汇总（可重复运行，不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-notify", action="store_true", help="只更新灯色，不发送提醒")

    def handle(self, *args, no_notify: bool, **options):
        result = refresh.run(send=not no_notify)
        self.stdout.write(
            self.style.SUCCESS(
                f"督办事项 {result.tasks} 项，灯色或状态变化 {result.changed} 项，"
                f"实测指标 {result.measured} 个，新发提醒 {result.notices} 条"
            )
        )
