"""Agreements, imports and settlement through the services, with the ledger checked after every step."""

import pytest

from tests.factories import actor
from tests.sharing.conftest import CHONGQING, SICHUAN, rows
from xietong import ledger
from xietong.core.errors import DomainError, Forbidden
from xietong.core.models import AuditEvent
from xietong.ledger.checks import run_all
from xietong.ledger.models import Entry
from xietong.sharing import services
from xietong.sharing.errors import BadRules, ClosedPeriod, OverlappingVersions
from xietong.sharing.models import AgreementVersion, RevenueRecord, Settlement


def _balance(agreement, party):
    from xietong.ledger.models import Account

    account = Account.objects.filter(code=f"sharing:{agreement.code}:{party}:income").first()
    return ledger.balance_of(account) if account else 0


def test_worked_example_settled_and_posted(park, sc):
    # given: baseline 2024 = 1,000,000.00 元, 2025-12 brings the year to 1,300,000.01 元
    report = services.records_import(
        actor=sc, agreement=park,
        rows=rows(("甲公司", "增值税", "2024-06", "1000000.00"), ("甲公司", "增值税", "2025-12", "1300000.01")),
    )  # fmt: skip
    assert report.ok and report.created == 2
    # when
    [settlement] = services.settle(actor=sc, agreement=park, period="2025-12")
    # then
    lines = {(line.party_id, line.part): line.amount_fen for line in settlement.lines.all()}
    assert lines == {
        (SICHUAN, "stock"): 100_000_000,
        (SICHUAN, "increment"): 15_000_001,
        (CHONGQING, "increment"): 15_000_000,
    }
    assert _balance(park, SICHUAN) == 115_000_001
    assert _balance(park, CHONGQING) == 15_000_000
    assert run_all() == []


def test_settling_twice_posts_once(park, sc):
    services.records_import(actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-01", "10.01")))
    first = services.settle(actor=sc, agreement=park)
    entries = Entry.objects.count()
    again = services.settle(actor=sc, agreement=park)
    assert [s.pk for s in again] == [s.pk for s in first]
    assert Entry.objects.count() == entries
    assert Settlement.objects.count() == 1


def test_correction_then_resettlement_posts_only_the_difference_referencing_the_original(park, sc):
    # given a settled month
    services.records_import(
        actor=sc, agreement=park, rows=rows(("乙公司", "企业所得税", "2025-02", "100.00"))
    )
    [original] = services.settle(actor=sc, agreement=park, period="2025-02")
    # when the amount is corrected (a new version of the record) and the month re-settled
    services.records_import(
        actor=sc, agreement=park, rows=rows(("乙公司", "企业所得税", "2025-02", "150.01"))
    )
    [adjusted] = services.settle(actor=sc, agreement=park, period="2025-02")
    # then only the difference is posted, as an adjustment naming the original
    assert RevenueRecord.objects.filter(period="2025-02").count() == 2
    assert RevenueRecord.objects.get(period="2025-02", is_current=True).version == 2
    assert adjusted.adjusts_id == original.pk
    assert adjusted.entry.kind == "sharing.adjustment"
    assert adjusted.entry.data["adjusts_entry"] == original.entry_id
    assert sum(p.amount_fen for p in adjusted.entry.postings.all() if p.amount_fen > 0) == 5_001
    # baseline 0 (no 2024 record): all is increment, 150.01 → 乙 (重庆, origin) … split 50:50 first-listed 四川
    assert _balance(park, SICHUAN) == 7_501
    assert _balance(park, CHONGQING) == 7_500
    assert run_all() == []


def test_correct_then_resettle_equals_settling_corrected_data_from_scratch(park, sc, people):
    services.records_import(
        actor=sc,
        agreement=park,
        rows=rows(("甲公司", "增值税", "2025-01", "0.01"), ("甲公司", "增值税", "2025-02", "0.01")),
    )
    services.settle(actor=sc, agreement=park)
    services.records_import(actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-01", "0.02")))
    services.settle(actor=sc, agreement=park)
    got = (_balance(park, SICHUAN), _balance(park, CHONGQING))
    # from scratch: 2025 total 0.03 元 → 四川 2 分, 重庆 1 分
    assert got == (2, 1)
    assert run_all() == []


def test_twelve_monthly_one_fen_settlements_end_six_six(park, sc):
    services.records_import(
        actor=sc,
        agreement=park,
        rows=rows(*[("乙公司", "增值税", f"2025-{m:02d}", "0.01") for m in range(1, 13)]),
    )
    for month in range(1, 13):
        services.settle(actor=sc, agreement=park, period=f"2025-{month:02d}")
    assert (_balance(park, SICHUAN), _balance(park, CHONGQING)) == (6, 6)
    assert Settlement.objects.count() == 12


def test_revenue_for_an_enterprise_outside_the_park_is_refused_and_nothing_written(park, sc):
    report = services.records_import(
        actor=sc,
        agreement=park,
        rows=rows(("甲公司", "增值税", "2025-01", "1"), ("丙公司", "增值税", "2025-01", "1")),
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "企业名称")]
    assert "不在“遂潼先行区”的园区范围内" in report.errors[0].message
    assert RevenueRecord.objects.count() == 0


def _written():
    return AgreementVersion.objects.count(), AuditEvent.objects.count()


def test_rules_with_no_positive_weight_are_refused(park, sc):
    before = _written()
    with pytest.raises(BadRules) as caught:
        services.version_save_draft(
            actor=sc,
            agreement=park,
            rules=[{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: 0, CHONGQING: 0}}],
        )
    assert "没有大于零的权重" in caught.value.message
    assert _written() == before  # nothing written


def test_unknown_method_is_refused(park, sc):
    before = _written()
    with pytest.raises(BadRules) as caught:
        services.version_save_draft(
            actor=sc, agreement=park, rules=[{"revenue_type": "*", "method": "coin", "ratios": {SICHUAN: 1}}]
        )
    assert "未知的分配方法" in caught.value.message
    assert _written() == before  # nothing written


def test_overlapping_versions_are_refused(park, sc):
    draft = services.version_save_draft(
        actor=sc,
        agreement=park,
        rules=[{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: 6, CHONGQING: 4}}],
    )
    before = _written()
    with pytest.raises(OverlappingVersions) as caught:
        services.version_adopt(actor=sc, agreement=park, version=draft, effective_from="2024-07")
    assert "重叠" in caught.value.message
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.effective_from is None
    assert _written() == before  # nothing written


def test_an_amendment_never_rewrites_a_settled_period_and_a_closed_period_refuses_corrections(park, sc):
    services.records_import(actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-03", "100")))
    services.settle(actor=sc, agreement=park)
    draft = services.version_save_draft(
        actor=sc,
        agreement=park,
        rules=[{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: 6, CHONGQING: 4}}],
    )
    with pytest.raises(ClosedPeriod):
        services.version_adopt(actor=sc, agreement=park, version=draft, effective_from="2025-03")
    services.version_adopt(actor=sc, agreement=park, version=draft, effective_from="2025-04")
    report = services.records_import(
        actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-03", "200"))
    )
    assert not report.ok
    assert "已按已关闭的第 1 版结算" in report.errors[0].message
    assert RevenueRecord.objects.count() == 1


def test_other_bureaus_may_not_import_or_settle(park, people):
    beijing = actor(people["bj"])
    events = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        services.records_import(
            actor=beijing, agreement=park, rows=rows(("甲公司", "增值税", "2025-01", "1"))
        )
    with pytest.raises(Forbidden):
        services.settle(actor=beijing, agreement=park)
    assert RevenueRecord.objects.count() == 0 and AuditEvent.objects.count() == events


def test_whatif_compares_without_posting(park, sc):
    services.records_import(actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-01", "100.00")))
    services.settle(actor=sc, agreement=park)
    entries = Entry.objects.count()
    result = services.whatif(
        actor=sc,
        agreement=park,
        rules=[{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: 7, CHONGQING: 3}}],
        periods=["2025-01"],
    )
    assert result == {"2025-01": {SICHUAN: (5_000, 7_000), CHONGQING: (5_000, 3_000)}}
    assert Entry.objects.count() == entries


def test_cost_sharing_settles_to_cost_accounts(sc):
    from xietong.ledger.models import Account

    fund = services.agreement_create(actor=actor_admin(), code="FUND-1", name="示范区投资开发基金", kind="fund", park_name="示范区",
                                     host_region="310118", party_regions=["310118", "320509", "330421"])  # fmt: skip
    draft = services.version_save_draft(
        actor=actor_admin(),
        agreement=fund,
        rules=[
            {
                "revenue_type": "fund",
                "method": "proportional",
                "ratios": {"310118": 1, "320509": 1, "330421": 1},
            }
        ],
    )
    services.version_adopt(actor=actor_admin(), agreement=fund, version=draft, effective_from="2025-01")
    import datetime as dt

    services.enterprise_add(
        actor=actor_admin(),
        agreement=fund,
        name="示范区开发公司",
        origin="310118",
        entry_date=dt.date(2025, 1, 1),
    )
    services.records_import(
        actor=actor_admin(), agreement=fund, rows=rows(("示范区开发公司", "共同出资", "2025-01", "100.00"))
    )
    services.settle(actor=actor_admin(), agreement=fund)
    costs = dict(Account.objects.filter(kind="sharing.cost").values_list("code", "balance_fen"))
    assert costs == {
        "sharing:FUND-1:310118:cost": 3_334,
        "sharing:FUND-1:320509:cost": 3_333,
        "sharing:FUND-1:330421:cost": 3_333,
    }
    assert run_all() == []


def actor_admin():
    from xietong.core.actor import SYSTEM

    return SYSTEM


def test_bad_period_in_a_row_is_reported(park, sc):
    report = services.records_import(
        actor=sc, agreement=park, rows=rows(("甲公司", "增值税", "2025-13", "1"))
    )
    assert [e.column for e in report.errors] == ["期间"]
    with pytest.raises(DomainError):
        services.settle(actor=sc, agreement=park, period="2025-13")


def test_platform_indicators_count_shared_revenue_and_active_agreements(park, sc):
    from xietong.evaluation import platform_indicators

    services.records_import(
        actor=sc,
        agreement=park,
        rows=rows(
            ("甲公司", "增值税", "2025-01", "100.00"), ("甲公司", "地区生产总值", "2025-01", "9999.00")
        ),
    )
    services.settle(actor=sc, agreement=park)
    revenue = platform_indicators.compute("sharing.shared_revenue", units=[SICHUAN, CHONGQING], years=[2025])
    # 100.00 元 split 50:50 = 0.005 万元 each; GDP is a statistic, not revenue
    assert revenue == {2025: {SICHUAN: 0.005, CHONGQING: 0.005}}
    active = platform_indicators.compute(
        "sharing.active_agreements", units=[SICHUAN, CHONGQING, "110000"], years=[2024, 2025]
    )
    assert active == {2025: {SICHUAN: 1.0, CHONGQING: 1.0, "110000": 0.0}}


def test_rule_errors_read_in_english_when_the_request_is_english(park, sc):
    from django.utils import translation

    before = _written()
    with translation.override("en"), pytest.raises(BadRules) as caught:
        services.version_save_draft(
            actor=sc,
            agreement=park,
            rules=[{"revenue_type": "*", "method": "proportional", "ratios": {SICHUAN: 0, CHONGQING: 0}}],
        )
    assert caught.value.message == "The shares of “All other revenue types” have no weight above zero"
    assert _written() == before  # nothing written


def test_every_rule_message_has_english_with_the_same_placeholders():
    import string

    from django.utils import translation

    from xietong.sharing.rule_messages import _MESSAGES, ANY_TYPE, FALLBACK

    def names(text):
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    texts = [*_MESSAGES.values(), ANY_TYPE, FALLBACK]
    with translation.override("en"):
        english = {zh: translation.gettext(zh) for zh in texts}
    assert [zh for zh, en in english.items() if en == zh or names(en) != names(zh)] == []


@pytest.mark.parametrize(
    ("language", "version", "settlement"),
    [("en", "Version 2", "2025-03 settlement"), ("zh-hans", "第 2 版", "2025-03 结算")],
)
def test_names_of_versions_and_settlements_follow_the_language(language, version, settlement):
    from django.utils import translation

    from xietong.sharing.models import AgreementVersion, Settlement

    with translation.override(language):
        assert str(AgreementVersion(number=2)) == version
        assert str(Settlement(period="2025-03")) == settlement
