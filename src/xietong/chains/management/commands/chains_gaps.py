from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xietong.chains import excel, reports
from xietong.core.actor import SYSTEM
from xietong.core.errors import DomainError


class Command(BaseCommand):
    help = "计算地区（协同区成员）的补链、强链、延链清单与推荐；可导出 Excel。"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="协同区代码，如 chengyu")
        parser.add_argument("--region", default="", help="6 位区划代码；留空则为协同区整体")
        parser.add_argument("--chain", default="", help="产业链代码；留空为全部")
        parser.add_argument("--out", default="", help="导出 Excel 的路径（选填）")
        parser.add_argument(
            "--members",
            action="store_true",
            help="协同区全体成员清单：每个环节谁缺链、谁有优势可补链、谁宜延链（一条产业链，默认第一条）",
        )

    def handle(self, *args, zone, region, chain, out, members=False, **options):
        if members:
            return self._members(zone, chain, out)
        try:
            if region:
                report = reports.region_report(
                    actor=SYSTEM, zone_code=zone, region_code=region, chain_code=chain
                )
            else:
                report = reports.zone_report(actor=SYSTEM, zone_code=zone, chain_code=chain)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for gap in report.gaps:
            self.stdout.write(f"[{gap.kind_label}] {gap.chain_name} · {gap.segment_name}：{gap.reason}")
            for r in gap.recommendations[:3]:
                self.stdout.write(f"    → {r.what_label} {r.name}（{r.region_name}）：{r.reason}")
        if out:
            Path(out).write_bytes(excel.export_gaps(report))
            self.stdout.write(self.style.SUCCESS(f"已导出 {out}"))
        self.stdout.write(self.style.SUCCESS(f"{report.region_name}：共 {len(report.gaps)} 个环节"))

    def _members(self, zone, chain, out):
        try:
            result = reports.zone_list(actor=SYSTEM, zone_code=zone, chain_code=chain)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for row in result.rows:
            lacking = "、".join(m.name for m in row.lacking) or "—"
            strong = "、".join(f"{m.name}（{m.rca:.2f}）" for m in row.strong) or "—"
            extending = "、".join(m.name for m in row.extending) or "—"
            self.stdout.write(
                f"{row.segment_name}：缺链 {lacking}；优势（可补链）{strong}；宜延链 {extending}"
            )
            for p in row.recommendations[:3]:
                self.stdout.write(f"    → {p.name}（{p.region_name}）：{p.reason}")
        if out:
            Path(out).write_bytes(excel.export_zone_list(result))
            self.stdout.write(self.style.SUCCESS(f"已导出 {out}"))
        self.stdout.write(
            self.style.SUCCESS(f"{result.zone.name} · {result.chain.name}：{len(result.rows)} 个环节")
        )
