from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xietong.core.errors import DomainError
from xietong.core.import_command import command_actor
from xietong.talent import selectors, services


def _day(text: str, what: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise CommandError(f"{what}应为 YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "向一位人才发放人才卡（制度中的一个等级）；由制度发放地区的主管部门执行（--as）。"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="制度名称，如 天府英才卡")
        parser.add_argument("--tier", required=True, help="等级代码，如 B")
        parser.add_argument("--name", required=True, help="人才姓名")
        parser.add_argument("--org", default="", help="所在单位名称或统一社会信用代码（同名时必填）")
        parser.add_argument("--number", default="")
        parser.add_argument("--issued-on", dest="issued_on", default="")
        parser.add_argument("--expires-on", dest="expires_on", default="")
        parser.add_argument("--as", "--username", dest="username", default="")

    def handle(self, *args, scheme, tier, name, org="", number="", issued_on="", expires_on="", username="",
               **options):  # fmt: skip
        actor = command_actor(username)
        found = selectors.scheme_by_name(actor=actor, name=scheme)
        if found is None:
            raise CommandError(f"制度“{scheme}”不存在")
        people = selectors.profiles_named(actor=actor, name=name, organisation=org)
        if not people:
            raise CommandError(f"没有找到“{name}”的人才档案")
        if len(people) > 1:
            raise CommandError(f"有 {len(people)} 份名为“{name}”的人才档案，请用 --org 指明所在单位")
        try:
            card = services.card_issue(
                actor=actor, profile_id=people[0].pk, scheme_id=found.pk, tier_code=tier, number=number,
                issued_on=_day(issued_on, "发放日期"), expires_on=_day(expires_on, "有效期"),
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已向 {name} 发放{found.name}（{card.tier.name}），发放日期 {card.issued_on:%Y-%m-%d}"
            )
        )
