"""Commands and import templates this app adds to the `xietong` CLI (registered by the root `xietong.cli`)."""

import typer

from xietong.core.cli import ImportTemplate, run_command

TEMPLATES = {
    "talent-profiles": ImportTemplate("talent_profiles_template", "人才档案导入模板.xlsx"),
    "talent-experts": ImportTemplate("talent_experts_template", "专家入库导入模板.xlsx"),
    "talent-agreements": ImportTemplate("talent_agreements_template", "互认协议导入模板.xlsx"),
}
AS_USER = typer.Option("", "--as", help="以该用户的权限执行")


def import_profiles(file: str, as_user: str = AS_USER) -> None:
    """从 Excel 导入人才档案（全部成功或全部不写入）。"""
    run_command("import_talent_profiles", file, username=as_user)


def import_experts(file: str, as_user: str = AS_USER) -> None:
    """从 Excel 批量专家入库（全部成功或全部不写入）。"""
    run_command("import_talent_experts", file, username=as_user)


def import_agreements(file: str, as_user: str = AS_USER) -> None:
    """从 Excel 导入互认协议版本（全部成功或全部不写入；有效期重叠的版本被拒绝）。"""
    run_command("import_talent_agreements", file, username=as_user)


def recognition(
    scheme: str = typer.Option(..., help="制度名称，如 天府英才卡"),
    tier: str = typer.Option(..., help="等级代码，如 B"),
    region: str = typer.Option(..., help="6 位区划代码，如 500000"),
    on: str = typer.Option("", help="日期 YYYY-MM-DD，默认今天"),
) -> None:
    """查询：持某卡某等级在某地可享受哪些服务（附协议与条款）。"""
    run_command("talent_recognition", scheme=scheme, tier=tier, region=region, on=on)


def issue_card(
    scheme: str = typer.Option(..., help="制度名称，如 天府英才卡"),
    tier: str = typer.Option(..., help="等级代码，如 B"),
    name: str = typer.Option(..., help="人才姓名"),
    org: str = typer.Option("", help="所在单位名称或统一社会信用代码（同名时必填）"),
    number: str = typer.Option("", help="证号（选填）"),
    issued_on: str = typer.Option("", help="发放日期 YYYY-MM-DD，默认今天"),
    expires_on: str = typer.Option("", help="有效期至 YYYY-MM-DD（选填）"),
    as_user: str = AS_USER,
) -> None:
    """向一位人才发放人才卡（制度中的一个等级）；须由制度发放地区的主管部门执行。"""
    run_command("talent_issue_card", scheme=scheme, tier=tier, name=name, org=org, number=number,
                issued_on=issued_on, expires_on=expires_on, username=as_user)  # fmt: skip


def assign_round(round_id: int, as_user: str = AS_USER) -> None:
    """为评审轮次抽取并分配专家（无法配齐时列出原因，不写入）。"""
    run_command("talent_assign", str(round_id), username=as_user)


COMMANDS = {
    "import-talent-profiles": import_profiles,
    "import-talent-experts": import_experts,
    "import-talent-agreements": import_agreements,
    "talent-recognition": recognition,
    "talent-issue-card": issue_card,
    "talent-assign": assign_round,
}
