from xietong.coordination import excel, services
from xietong.core.import_command import ImportCommand


class Command(ImportCommand):
    help = "从 Excel 导入督办事项到一个议事机构：先逐行校验，全部通过才写入（全部或全无）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--body", type=int, required=True, help="议事机构编号（见 xietong coordination-bodies）"
        )

    def importer(self, *, body: int, **options):
        def run(*, actor, rows):
            return services.tasks_import(actor=actor, body_id=body, rows=rows)

        return excel.read_tasks, run, "项督办事项"
