from pathlib import Path

from django.core.management.base import BaseCommand

from xietong.core.actor import SYSTEM
from xietong.orgs import excel, selectors


class Command(BaseCommand):
    help = "导出机构名录（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default="机构名录.xlsx")
        parser.add_argument("--zone", default="")
        parser.add_argument("--region", default="")

    def handle(self, *args, out: str, zone: str, region: str, **options):
        qs = selectors.organisation_list(actor=SYSTEM, filters=selectors.OrgFilters(zone=zone, region=region))
        Path(out).write_bytes(excel.export_directory(qs.iterator(chunk_size=2000)))
        self.stdout.write(self.style.SUCCESS(f"已导出 {qs.count()} 家机构：{out}"))
