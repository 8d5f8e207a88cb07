from xietong.core.import_command import ImportCommand
from xietong.resources import excel, services


class Command(ImportCommand):
    help = "从 Excel 批量导入资源或价目表：先逐行校验，全部通过才写入（全部或全无）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--prices", action="store_true", help="导入价目表（默认导入资源）")

    def importer(self, *, prices: bool = False, **options):
        if prices:
            return excel.read_prices, services.price_lists_import, "份价目表"
        return excel.read_resources, services.resources_import, "个资源"
