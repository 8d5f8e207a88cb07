from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.core.money import format_yuan
from xietong.vouchers.services.settlement import parse_period


class Command(BaseCommand):
    help = "生成某月的跨区结算单（每个发券方 × 服务机构所在地区一张；可重复执行，不会重复生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="结算期，格式 YYYY-MM")
        parser.add_argument("--expire", action="store_true", help="先执行到期收回")

    def handle(self, *args, period: str, expire: bool, **options):
        from xietong.vouchers import tasks
        from xietong.vouchers.services import grants_expire

        try:
            parse_period(period)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if expire:
            result = grants_expire()
            self.stdout.write(
                f"到期收回：{result['lapsed_grants']} 张券，{format_yuan(result['lapsed_fen'])}"
            )
        numbers = tasks.settle_period.call_local(period)
        if numbers:
            for number in numbers:
                self.stdout.write(f"已生成结算单 {number}")
        self.stdout.write(self.style.SUCCESS(f"{period} 结算完成：新生成 {len(numbers)} 张结算单"))
