from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor
from xietong.talent import services
from xietong.talent.models import ReviewSeat


class Command(BaseCommand):
    help = "为评审轮次抽取并分配专家；无法配齐时列出每个项目的原因并以非零状态退出，不写入。"

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--as", "--username", dest="username", default="")

    def handle(self, *args, round_id, username="", **options):
        actor = command_actor(username)
        try:
            rnd = services.round_assign(actor=actor, round_id=round_id)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seats = ReviewSeat.objects.filter(item__round=rnd).count()  # tenancy-ok: the round just assigned
        seed = f"，随机种子 {rnd.seed}" if rnd.seed is not None else ""
        self.stdout.write(self.style.SUCCESS(f"已分配 {seats} 个席位，总匹配度 {rnd.objective:.2f}{seed}"))
