from django.core.management.base import BaseCommand, CommandError

from xietong.ledger import checks


class Command(BaseCommand):
    help = (
        "校验账本：分录平衡、余额非负、余额与过账一致，以及各应用登记的校验（如额度不超预算、结算单合计）。"
    )

    def handle(self, *args, **options):
        problems = checks.run_all()
        for problem in problems:
            self.stderr.write(f"[{problem.check}] {problem.message}")
        if problems:
            raise CommandError(f"账本校验未通过：发现 {len(problems)} 个问题")
        self.stdout.write(self.style.SUCCESS(f"账本校验通过（{len(checks.names())} 项检查）"))
