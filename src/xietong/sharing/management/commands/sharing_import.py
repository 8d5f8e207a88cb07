from xietong.core.import_command import ImportCommand
from xietong.sharing import excel, selectors, services


class Command(ImportCommand):
    help = "导入园区企业收入明细（Excel 或 CSV）：先逐行校验，全部通过才写入（全部或全无）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--agreement", required=True)

    def importer(self, *, agreement: str, **options):
        code = agreement

        def run(*, actor, rows):
            found = selectors.agreement_get_by_code(actor=actor, code=code)
            return services.records_import(actor=actor, agreement=found, rows=rows)

        return excel.read_revenue, run, "条收入记录"
