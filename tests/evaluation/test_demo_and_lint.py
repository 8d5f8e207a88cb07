"""Demo data: deterministic, idempotent, fast (the tenancy lint over this app is tests/core/test_tenancy_lint)."""

import pytest

from xietong.evaluation import demo
from xietong.evaluation.models import Dataset, Framework, Run
from xietong.evaluation.presets import FRAMEWORK_PRESETS


def test_generated_data_is_deterministic_and_plausible():
    first, second = demo.generate(FRAMEWORK_PRESETS["yrd"]), demo.generate(FRAMEWORK_PRESETS["yrd"])
    assert first.equals(second)
    assert (min(demo.YEARS["yrd"]), max(demo.YEARS["yrd"])) == (
        2011,
        demo.LAST_YEAR,
    ) and demo.LAST_YEAR >= 2024
    assert len(first) == 41 * len(demo.YEARS["yrd"])
    latest = first[first["Time"] == 2024].set_index("uCode")
    assert latest.loc["310000", "rs_rd_personnel"] > latest.loc["341700", "rs_rd_personnel"]  # 上海 > 池州
    assert 0.005 < first.drop(columns=["uCode", "Time"]).isna().mean().mean() < 0.02
    assert len(demo.generate(FRAMEWORK_PRESETS["jjj"])) == 13 * len(demo.YEARS["jjj"])


@pytest.mark.django_db
def test_load_is_idempotent():
    summary = demo.load()
    assert "长三角 41 个城市" in summary
    demo.load()
    assert "成渝 16 个城市" in summary
    assert (Framework.objects.count(), Dataset.objects.count(), Run.objects.count()) == (3, 3, 3)
    assert all(run.is_published and run.dataset.is_demo for run in Run.objects.all())


@pytest.mark.django_db
def test_load_with_platform_records_refreshes_and_runs_sobol():
    # given the platform's records: a contract 上海 → 苏州 signed in 2024 and a high-tech enterprise in 北京
    import datetime as dt

    from tests.factories import OrganisationFactory
    from tests.transfer.factories import ContractFactory

    ContractFactory(seller_region_id="310104", buyer_region_id="320505", amount_fen=3 * 10**10,
                    signed_on=dt.date(2024, 5, 1))  # fmt: skip
    OrganisationFactory(region_id="110108", is_high_tech=True)
    # when the demo loads
    demo.load()
    # then version 1 left the platform cells blank and version 2 holds the platform's values
    yrd = Framework.objects.get(preset="yrd")
    first, second = yrd.datasets.order_by("number")
    assert first.name == "长三角演示数据（生成）" and second.name == "长三角演示数据（生成）·平台指标更新"
    assert first.platform_cells == {}
    column = second.columns.index("as_contract_inflow")
    inflow = {(r[0], r[1]): r[column] for r in second.rows}
    assert inflow[("320500", 2024)] == 3.0 and inflow[("310000", 2024)] == 0.0
    assert inflow[("320500", 2023)] is not None and ("320500", 2023) not in map(
        tuple, second.platform_cells.get("as_contract_inflow", [])
    )
    assert second.sources["as_contract_inflow"]["platform:transfer.contract_inflow"] == 41 * (
        demo.LAST_YEAR - 2023
    )
    jjj = Framework.objects.get(preset="jjj")
    high_tech = jjj.datasets.get(number=2)
    j = high_tech.columns.index("ip_high_tech")
    assert {r[0]: r[j] for r in high_tech.rows if r[1] == demo.LAST_YEAR}["110000"] == 1.0
    # and the published run uses version 2, with Sobol' indices and the remove-one analysis
    for framework in (yrd, jjj):
        run = framework.runs.get()
        assert run.is_published and run.dataset.number == 2 and run.status == "done"
        assert (
            run.results["sensitivity"]["method"] == "sobol" and len(run.results["sensitivity"]["sobol"]) == 2
        )
        assert [r["iCode"] for r in run.results["remove_one"]["level1"]] == run.results["level1"]
