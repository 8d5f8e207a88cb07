from django.core.management.base import BaseCommand

from xietong.chains import services
from xietong.chains.selectors import organisations_without_links
from xietong.core.actor import SYSTEM


class Command(BaseCommand):
    help = "为尚未挂链的已认证机构，根据名称与简介生成挂链建议（待确认）。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        created = 0
        for org_id in organisations_without_links(limit=limit):
            created += len(services.attachments_suggest(actor=SYSTEM, org_id=org_id))
        self.stdout.write(self.style.SUCCESS(f"生成 {created} 条挂链建议"))
