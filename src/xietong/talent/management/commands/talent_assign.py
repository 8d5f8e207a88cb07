from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xietong.core.actor import SYSTEM, actor_for
from xietong.core.errors import DomainError
from xietong.talent import services
from xietong.talent.models import ReviewSeat


class Command(BaseCommand):
    help = "为评审轮次抽取并分配专家；无法配齐时列出每个项目的原因并以非零状态退出，不写入。"

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--as", "--username", dest="username", default="")

    def handle(self, *args, round_id, username="", **options):
        actor = SYSTEM
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户“{username}”不存在")
            actor = actor_for(user)
        try:
            rnd = services.round_assign(actor=actor, round_id=round_id)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seats = ReviewSeat.objects.filter(item__round=rnd).count()  # tenancy-ok: the round just assigned
        seed = f"，随机种子 {rnd.seed}" if rnd.seed is not None else ""
        self.stdout.write(self.style.SUCCESS(f"已分配 {seats} 个席位，总匹配度 {rnd.objective:.2f}{seed}"))
