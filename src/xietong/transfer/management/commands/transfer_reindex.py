from django.core.management.base import BaseCommand, CommandError

from xietong.transfer import search


class Command(BaseCommand):
    help = "从数据库重建技术交易的匹配索引（科技成果、技术需求）。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[str(k) for k in search.INDEXED_KINDS], default="")

    def handle(self, *args, kind="", **options):
        for name in [kind] if kind else search.INDEXED_KINDS:
            try:
                count = search.rebuild(name)
            except Exception as exc:
                raise CommandError(f"重建 {name} 索引失败：{exc}") from exc
            self.stdout.write(self.style.SUCCESS(f"{name}：已索引 {count} 条"))
