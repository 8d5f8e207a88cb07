from django.core.management.base import BaseCommand

from xietong.core.money import format_yuan


class Command(BaseCommand):
    help = "到期处理：释放逾期预留，收回到期创新券的未用额度（可重复执行）。"

    def handle(self, *args, **options):
        from xietong.vouchers.services import grants_expire

        result = grants_expire()
        self.stdout.write(
            self.style.SUCCESS(
                f"释放预留 {result['released']} 笔；收回 {result['lapsed_grants']} 张券共 {format_yuan(result['lapsed_fen'])}"
            )
        )
