from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xietong.core.actor import SYSTEM
from xietong.core.errors import DomainError
from xietong.talent import selectors


class Command(BaseCommand):
    help = "查询：持某卡某等级在某地可享受哪些服务。"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True)
        parser.add_argument("--tier", required=True)
        parser.add_argument("--region", required=True)
        parser.add_argument("--on", default="")

    def handle(self, *args, scheme, tier, region, on="", **options):
        try:
            found = selectors.scheme_by_name(actor=SYSTEM, name=scheme)
            if found is None:
                raise CommandError(f"制度“{scheme}”不存在")
            found = selectors.scheme_get(actor=SYSTEM, scheme_id=found.pk)
            day = date.fromisoformat(on) if on else None
            answer = selectors.recognition_query(
                actor=SYSTEM, scheme=found, tier=selectors.tier_get(actor=SYSTEM, scheme=found, code=tier),
                region_code=region, on=day,
            )  # fmt: skip
        except ValueError as exc:
            raise CommandError("日期应为 YYYY-MM-DD") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{answer.question}（{answer.on.isoformat()}）")
        if not answer.benefits:
            self.stdout.write("没有可享受的服务")
        for b in answer.benefits:
            version = f" 第 {b.version} 版" if b.version else ""
            self.stdout.write(f"- {b.service}：{b.basis}{version} {b.article}")
