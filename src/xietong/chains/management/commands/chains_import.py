from functools import partial

from xietong.chains import excel, services
from xietong.core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "从 Excel 导入产业链结构：整表校验（重复代码、未知上级/上游环节、循环关系），全部通过才写入新版本。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code", required=True, help="产业链代码，如 nev")
        parser.add_argument("--name", required=True, help="产业链名称，如 新能源汽车")
        parser.add_argument("--industry", default="", help="所属领域代码（选填）")

    def importer(self, *, code, name, industry, **options):
        run = partial(services.chain_import, code=code, name=name, industry=industry)
        return excel.read_chain, run, "个产业链环节"
