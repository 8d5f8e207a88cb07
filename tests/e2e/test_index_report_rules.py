"""Issue 12 item 5 on the page: after a 平台指标更新 data version the 定基指数 has no cliff where the platform's
indicators begin (it states which indicators it keeps), 优势/短板 follow the stated rules, and a year not over
when the run finished is marked as partial."""

import datetime as dt
import itertools
import json

import pytest

from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.evaluation import demo, services
from xietong.evaluation.presets import FRAMEWORK_PRESETS
from xietong.transfer.models import Contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAIRS = [
    ("110000", "130100"),
    ("110000", "120000"),
    ("120000", "130200"),
    ("110000", "130600"),
    ("130100", "110000"),
]


def _platform_contracts():
    """A few contracts a year since 2024: the platform's records, on a far smaller scale than the statistics."""
    n = 0
    for year in (2024, 2025, 2026):
        for i, (seller, buyer) in enumerate(PAIRS):
            n += 1
            amount = (30 + 10 * i + 5 * (year - 2024)) * 1_000_000
            Contract.objects.create(
                registration_no=f"{year}{seller}{n:06d}", title="联合开发合同", kind="development",
                seller_name="卖方单位", seller_region_id=seller, buyer_name="买方有限公司", buyer_region_id=buyer,
                amount_fen=amount, tech_amount_fen=amount, signed_on=dt.date(year, 3 + i, 10),
            )  # fmt: skip


@pytest.fixture
def published_run(db):
    with clock.travel_to(dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        _platform_contracts()
        preset = FRAMEWORK_PRESETS["jjj"]
        framework = services.framework_create_from_preset(actor=SYSTEM, preset="jjj")
        frame = demo.generate(preset)
        frame = frame[frame["Time"].between(2019, 2026)].reset_index(drop=True)
        frame.index = frame.index + 2
        assert demo.blank_platform_years(frame, preset) > 0
        services.dataset_import(
            actor=SYSTEM, framework_id=framework.pk, frame=frame, fill_platform=False, name="统计数据"
        )
        services.dataset_refresh_platform(actor=SYSTEM, framework_id=framework.pk)
        run = services.run_create(
            actor=SYSTEM, framework_id=framework.pk, options={"sensitivity_runs": 0}, background=False
        )
        run = services.run_execute(run_id=run.pk)
        services.run_publish(actor=SYSTEM, run_id=run.pk)
        return run


def test_the_report_compares_like_with_like_and_marks_the_partial_year(
    live_server, page, shot, published_run
):
    page.goto(f"{live_server.url}/evaluation/runs/{published_run.pk}/")
    page.wait_for_selector("#chart-trend canvas")
    # the partial year is marked at the top and on the ranking
    assert "2026 年数据截至 12 月 5 日，为不完整年度" in page.inner_text("#partial-year")
    assert page.locator("#partial-badge").is_visible()
    # the base-year index states what it compares, and has no cliff where the platform's data begin
    note = page.inner_text("#fixed-base-note")
    assert "只用各年口径一致的" in note
    assert "吸纳京津冀其他城市技术合同成交额（2024 年起改为平台数据）" in note
    results = json.loads(page.inner_text("#results-data"))
    zone = results["fixed_base"]["zone"][results["root"]]
    assert all(later / earlier > 0.95 for earlier, later in itertools.pairwise(zone))
    years = json.loads(page.inner_text("#year-labels"))
    assert years[-1] == "2026（截至 12 月 5 日）"
    page.locator("#chart-trend").scroll_into_view_if_needed()
    shot(page, "evaluation-report-like-with-like")
    # 优势与短板: the rule is on the page; a first place is never a 短板, a last place never a 优势
    assert "并列的名次不计为优势或短板" in page.inner_text("#strength-rule")
    units = len(results["units"])
    for row in page.locator("#strengths-table tbody tr").all():
        _, good, bad = (cell.inner_text() for cell in row.locator("td").all())
        assert "（第 1 名）" not in bad and f"（第 {units} 名）" not in good
    page.locator("#strengths-table").scroll_into_view_if_needed()
    shot(page, "evaluation-report-strengths")
