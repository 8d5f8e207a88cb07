from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xietong.chains import excel, selectors
from xietong.core.errors import DomainError


class Command(BaseCommand):
    help = "导出产业链结构为 Excel（与导入模板同格式）。"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--out", default="")

    def handle(self, *args, code, out="", **options):
        try:
            chain = selectors.chain_get(code=code)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        segments = selectors.chain_segments(chain)
        names = {s.pk: s.code for s in segments}
        upstream: dict[int, list[str]] = {}
        for up, down in selectors.chain_edges(chain):
            upstream.setdefault(down, []).append(names[up])
        path = Path(out or f"{chain.name}产业链.xlsx")
        path.write_bytes(excel.export_chain(chain, segments, upstream))
        self.stdout.write(self.style.SUCCESS(f"已导出 {path}（{len(segments)} 个环节）"))
