from django.core.management.base import BaseCommand

from xietong.orgs import demo


class Command(BaseCommand):
    help = "载入演示数据（确定性生成，可重复执行）。"

    def handle(self, *args, **options):
        created = demo.load()
        self.stdout.write(self.style.SUCCESS(f"演示数据：新增 {created} 家机构；演示账号已就绪"))
