from django.core.management.base import BaseCommand, CommandError

from xietong.coordination import tally


class Command(BaseCommand):
    help = "核对督办看板的统计（由数据库触发器随事项写入维护）与直接计数是否一致；--rebuild 按事项重新计算。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="按督办事项重新计算看板统计")

    def handle(self, *args, rebuild: bool, **options):
        if rebuild:
            rows = tally.rebuild()
            self.stdout.write(self.style.SUCCESS(f"已按督办事项重新计算看板统计，共 {rows} 行"))
            return
        differences = tally.differences()
        if differences:
            for line in differences[:20]:
                self.stderr.write(line)
            raise CommandError(f"看板统计与直接计数有 {len(differences)} 处不一致；运行 --rebuild 重新计算")
        self.stdout.write(self.style.SUCCESS("看板统计与直接计数一致"))
