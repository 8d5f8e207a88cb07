from xietong.core.import_command import ImportCommand
from xietong.orgs import excel, services


class Command(ImportCommand):
    help = "从 Excel 批量导入机构：先逐行校验，全部通过才写入（全部或全无）。"

    def importer(self, **options):
        return excel.read_import, services.organisations_import, "家机构"
