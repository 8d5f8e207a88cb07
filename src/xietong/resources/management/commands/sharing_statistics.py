from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xietong.core import clock
from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor
from xietong.orgs.models import Organisation
from xietong.resources import selectors, sharing_excel, sharing_region


class Command(BaseCommand):
    help = "导出大型科研仪器开放共享统计（评价考核报表格式）：一个单位或一个地区的各单位。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="", help="单位的统一社会信用代码")
        parser.add_argument("--region", default="", help="地区的 6 位区划代码（导出该地区各单位）")
        parser.add_argument("--year", type=int, default=0, help="年度（默认今年）")
        parser.add_argument("--out", default="", help="输出文件")
        parser.add_argument(
            "--as", "--username", dest="username", default="", help="以该用户的权限导出（默认：系统）"
        )

    def handle(self, *args, unit: str, region: str, year: int, out: str, username: str, **options):
        if bool(unit) == bool(region):
            raise CommandError("请指定 --unit（统一社会信用代码）或 --region（区划代码）之一")
        actor, year = command_actor(username), year or clock.today().year
        try:
            if unit:
                org = Organisation.objects.filter(  # tenancy-ok: open_sharing below checks who may read it
                    credit_code=unit.strip().upper()
                ).first()
                if org is None:
                    raise CommandError(f"统一社会信用代码为“{unit}”的单位不存在")
                data = selectors.open_sharing(actor=actor, organisation_id=org.pk, year=year)
                content, name = sharing_excel.workbook(data), org.name
            else:
                data = sharing_region.region_sharing(actor=actor, region_code=region.strip(), year=year)
                content, name = sharing_excel.region_workbook(data), data["region"].name
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        target = Path(out or f"{name}-{year}-开放共享统计.xlsx")
        target.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"已导出：{target}（{name}，{year} 年）"))
