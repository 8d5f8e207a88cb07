from xietong.core.import_command import ImportCommand
from xietong.transfer import excel, services


class Command(ImportCommand):
    help = "从 Excel 导入技术合同：先逐行校验，全部通过才写入（全部或全无）。"

    def importer(self, **options):
        return excel.read_contracts, services.contracts_import, "份技术合同"
