"""Demo data (deterministic, idempotent, labelled) and the operators' commands."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import member
from xietong.core.roles import Role
from xietong.orgs import demo as org_demo
from xietong.transfer import demo, search
from xietong.transfer.enums import ListingKind
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Achievement.objects.order_by("id").values_list("title", "owner__credit_code", "trl", "price_fen")),
        list(Contract.objects.order_by("id").values_list("registration_no", "amount_fen", "seller_region_id", "buyer_region_id")),
    )  # fmt: skip


def test_demo_is_labelled_idempotent_and_shows_three_years_of_flows(frozen_clock):
    org_demo.load()
    summary = demo.load()
    assert summary.startswith("科技成果 160 项、技术需求 90 项")
    first = _snapshot()
    assert demo.load() == "技术交易演示数据已存在，未重复写入"
    assert _snapshot() == first
    assert (
        not Achievement.objects.filter(is_demo=False).exists()
        and not Demand.objects.filter(is_demo=False).exists()
    )
    # two full years before today (2026-03-02) and this year so far: 120 + 140 + 160 × 61/365
    assert AcceptanceList.objects.count() >= 1 and Contract.objects.filter(is_demo=True).count() == 287
    years = sorted({d.year for d in Contract.objects.values_list("signed_on", flat=True)})
    assert years == [2024, 2025, 2026]
    assert max(Contract.objects.values_list("signed_on", flat=True)).isoformat() <= "2026-03-02"
    provinces = {
        (s[:2], b[:2]) for s, b in Contract.objects.values_list("seller_region_id", "buyer_region_id")
    }
    assert ("11", "13") in provinces and ("11", "12") in provinces  # 北京 → 河北, 北京 → 天津
    assert search.stats()["achievement"]["documents"] == 160
    # the demo 河北 enterprise gets recommendations from other members with reasons
    from django.contrib.auth import get_user_model

    from xietong.core.actor import actor_for
    from xietong.transfer import services

    ent = actor_for(get_user_model().objects.get(username="ent_hb"))
    own = Demand.objects.filter(owner_id__in=ent.organisation_ids).first()
    suggestions = services.recommend(actor=ent, kind=ListingKind.DEMAND, pk=own.pk)
    assert len(suggestions) == 10 and all(s.reasons for s in suggestions)


def test_demo_contracts_lists_and_accounts_read_like_real_ones(frozen_clock):
    from xietong.orgs.enums import OrgKind
    from xietong.orgs.models import Membership

    org_demo.load()
    demo.load()
    for amount, tech, kind in Contract.objects.values_list("amount_fen", "tech_amount_fen", "kind"):
        assert amount % 1_000_000 == 0  # round 万元
        assert (
            tech % 100_000 == 0 and 0.7 * amount <= tech <= amount
        )  # 1 000 元 steps, 70–100 % of the amount
        if kind in ("assignment", "license", "consulting"):
            assert tech == amount
    assert Contract.objects.exclude(buyer_name__contains="有限公司").count() == 0
    assert not Contract.objects.filter(buyer_name__contains="科技科技").exists()
    # the current year's 承接清单, by the platform clock
    assert all(
        title.endswith("2026年科技成果承接清单")
        for title in AcceptanceList.objects.values_list("title", flat=True)
    )
    # vocational colleges sell few contracts, research universities many
    sold = {}
    for name, kind in Contract.objects.filter(seller_org__isnull=False).values_list(
        "seller_org__name", "seller_org__kind"
    ):
        sold.setdefault((kind, "职业" in name), []).append(name)
    per_org = {key: len(names) / len(set(names)) for key, names in sold.items()}
    assert per_org[(OrgKind.UNIVERSITY, False)] > 3 * per_org.get((OrgKind.UNIVERSITY, True), 0)
    # uni_bj is a researcher in a 北京 university; ent_hb and park_hb are what their names say
    for username, kind, province in (("uni_bj", OrgKind.UNIVERSITY, "11"), ("ent_hb", OrgKind.ENTERPRISE, "13"),
                                     ("park_hb", OrgKind.PARK, "13")):  # fmt: skip
        org = Membership.objects.get(user__username=username).organisation
        assert org.kind == kind and org.region_id.startswith(province), username
    assert "大学" in Membership.objects.get(user__username="uni_bj").organisation.name
    # each enterprise's demands are in its own industry
    for industry, owner_industry in Demand.objects.values_list("industry", "owner__industry"):
        assert industry == demo._demand_industry(type("O", (), {"industry": owner_industry})())


def test_reindex_command_rebuilds_from_the_database(world):
    from tests.transfer.factories import AchievementFactory, DemandFactory

    AchievementFactory(owner=world["bj_uni"])
    DemandFactory(owner=world["hb_ent"])
    out = io.StringIO()
    call_command("transfer_reindex", stdout=out)
    assert "achievement：已索引 1 条" in out.getvalue() and "demand：已索引 1 条" in out.getvalue()


def test_import_contracts_command_reports_rows(tmp_path):
    from tests.transfer.test_contracts import GOOD, _workbook

    member(Role.REGION_BUREAU, region_id="110000", username="bj_bureau")
    path = tmp_path / "c.xlsx"
    path.write_bytes(_workbook([GOOD[0], [*GOOD[1][:9], "abc", "1", "2024-01-01"]]))
    with pytest.raises(Exception) as err:
        call_command("import_contracts", str(path), username="bj_bureau", stdout=io.StringIO())
    assert "未写入任何数据" in str(err.value)
    assert Contract.objects.count() == 0
    path.write_bytes(_workbook(GOOD))
    out = io.StringIO()
    call_command("import_contracts", str(path), username="bj_bureau", stdout=out)
    assert "导入成功：写入 2 份技术合同" in out.getvalue()


def test_template_command_and_eval_command(tmp_path):
    out_file = tmp_path / "t.xlsx"
    call_command("contract_template", out=str(out_file), stdout=io.StringIO())
    assert load_workbook(out_file).sheetnames == ["技术合同", "说明"]
    out = io.StringIO()
    call_command("transfer_eval", stdout=out)
    assert "查询数 0" in out.getvalue()


def test_cli_registers_the_commands():
    from xietong.cli import LAZY, templates

    assert {name for name, entry in LAZY.items() if entry.module == "xietong.transfer.cli"} == {
        "import-contracts", "reindex", "transfer-eval"
    }  # fmt: skip
    assert templates()["contracts"] == ("contract_template", "技术合同导入模板.xlsx")
