from xietong.chains import excel, services
from xietong.core.import_command import ImportCommand


class Command(ImportCommand):
    help = "从 Excel 登记辖区机构挂链与年度数据：逐行校验（含负数、未知环节），全部通过才写入。"

    def importer(self, **options):
        return excel.read_attachments, services.attachments_import, "条机构挂链"
