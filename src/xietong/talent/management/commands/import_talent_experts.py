from xietong.core.import_command import ImportCommand
from xietong.talent import excel, services


class Command(ImportCommand):
    help = "从 Excel 导入：先逐行校验，全部通过才写入（全部或全无）。"

    def importer(self, **options):
        return excel.read_experts, services.experts_import, "位专家"
