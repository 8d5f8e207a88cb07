import time

from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor
from xietong.sharing import selectors, services


class Command(BaseCommand):
    help = "结算利益共享协议的一个或全部待结算期间并记账（幂等：数据未变则不重复记账）。"

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True)
        parser.add_argument("--period", default="")
        parser.add_argument("--as", "--username", dest="username", default="")

    def handle(self, *args, agreement: str, period: str, username: str, **options):
        actor = command_actor(username)
        started = time.perf_counter()
        try:
            found = selectors.agreement_get_by_code(actor=actor, code=agreement)
            settlements = services.settle(actor=actor, agreement=found, period=period)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"已结算 {len(settlements)} 个期间（{seconds:.1f} 秒）"))
