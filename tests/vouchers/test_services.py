"""The voucher lifecycle service by service, with exact ledger effects and the bad-input refusals."""

import pytest

from tests.vouchers import factories as vf
from tests.vouchers.conftest import grant_for, shift_days
from xietong.core.actor import SYSTEM
from xietong.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from xietong.core.models import AuditEvent
from xietong.ledger import checks
from xietong.ledger import selectors as ledger_selectors
from xietong.ledger.models import Entry
from xietong.vouchers import selectors, services
from xietong.vouchers.enums import ApplicationStatus, RedemptionStatus
from xietong.vouchers.models import Application, Evidence, Redemption

pytestmark = pytest.mark.django_db


def _sound():
    assert checks.run_all() == []


def test_programme_funds_its_budget(world, tongdui):
    assert ledger_selectors.balance_of(tongdui.budget_account) == 10_000_000
    assert ledger_selectors.balance_of(tongdui.funding_account) == 10_000_000
    _sound()


def test_a_bureau_cannot_set_up_a_programme_for_another_region(world):
    with pytest.raises(Forbidden):
        vf.programme(actor=world.a("sh_bureau"))
    assert not Entry.objects.exists()


def test_apply_approve_grants_code_and_moves_budget(world, tongdui):
    # when
    grant = grant_for(world, tongdui, fen=2_000_000)
    # then
    assert grant.code.startswith(f"XT-330400-{tongdui.year}-")
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 2_000_000
    assert ledger_selectors.balance_of(tongdui.budget_account) == 8_000_000
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "voucher.applied",
        "voucher.application_approved",
        "voucher.granted",
    }
    _sound()


@pytest.mark.parametrize(
    ("fen", "error"),
    [(0, Invalid), (-5, Invalid), (3_000_001, Invalid)],
    ids=["zero", "negative", "over-application-cap"],
)
def test_bad_amounts_are_refused_and_nothing_is_written(world, tongdui, fen, error):
    with pytest.raises(error) as caught:
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=tongdui.pk,
            enterprise_id=world.firm.pk,
            amount_fen=fen,
            purpose="检测",
        )
    assert caught.value.status == 400 and caught.value.message
    assert not Application.objects.exists()


def test_yearly_cap_counts_earlier_applications(world, tongdui):
    grant_for(world, tongdui, fen=3_000_000)
    with pytest.raises(Invalid, match="年度上限"):
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=tongdui.pk,
            enterprise_id=world.firm.pk,
            amount_fen=2_000_001,
            purpose="再次",
        )


def test_eligibility_by_flag_and_region(world):
    programme = vf.programme(actor=world.a("jx_bureau"), require_high_tech=True)
    with pytest.raises(Invalid, match="高新技术企业"):
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=programme.pk,
            enterprise_id=world.firm.pk,
            amount_fen=100,
            purpose="检测",
        )
    shanghai = vf.programme(actor=world.a("sh_bureau"), issuer_region="310000", name="上海券")
    with pytest.raises(Invalid, match="上海市"):
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=shanghai.pk,
            enterprise_id=world.firm.pk,
            amount_fen=100,
            purpose="检测",
        )


def test_cannot_apply_for_another_firm(world, tongdui):
    with pytest.raises((Forbidden, NotFound)):
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=tongdui.pk,
            enterprise_id=world.other_firm.pk,
            amount_fen=100,
            purpose="检测",
        )


def test_reject_needs_a_reason(world, tongdui):
    app = services.application_submit(
        actor=world.a("firm_user"),
        programme_id=tongdui.pk,
        enterprise_id=world.firm.pk,
        amount_fen=100,
        purpose="检测",
    )
    with pytest.raises(Invalid, match="理由"):
        services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=False)
    services.application_review(
        actor=world.a("jx_bureau"), application_id=app.pk, approve=False, note="材料不全"
    )
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.REJECTED


def test_budget_is_never_overrun(world):
    programme = vf.programme(
        actor=world.a("jx_bureau"), budget_fen=3_000_000, per_firm_year_cap_fen=3_000_000
    )
    grant_for(world, programme, fen=2_000_000)
    app = services.application_submit(
        actor=world.a("other_firm_user"),
        programme_id=programme.pk,
        enterprise_id=world.other_firm.pk,
        amount_fen=1_500_000,
        purpose="检测",
    )
    with pytest.raises(Conflict, match="预算不足") as caught:
        services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=True)
    assert caught.value.status == 409
    # a lower approved amount fits
    services.application_review(
        actor=world.a("jx_bureau"), application_id=app.pk, approve=True, amount_fen=1_000_000
    )
    assert ledger_selectors.balance_of(programme.budget_account) == 0
    _sound()


def test_tampered_voucher_code_is_refused():
    from xietong.vouchers.services.common import voucher_code, voucher_code_verify

    code = voucher_code(issuer="330400", year=2026, serial=42)
    assert voucher_code_verify(code.lower()) == code
    tampered = code.replace("000042", "000043")
    with pytest.raises(Invalid, match="券码无效"):
        voucher_code_verify(tampered)


def _reserve(world, grant, order, fen, key="k1", who="firm_user"):
    return services.redemption_reserve(
        actor=world.a(who), grant_id=grant.pk, order_id=order.pk, amount_fen=fen, idempotency_key=key
    )


def test_full_tongdui_flow_cross_region(world, tongdui, grant):
    # given an order of 3 000 元 at a 上海 provider (ratio 50 %: at most 1 500 元)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    # when the firm reserves 1 500 元, the service is done, the provider claims, the bureau approves
    redemption = _reserve(world, grant, order, 150_000)
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).reserved_fen == 150_000
    assert vf.complete(order) == 1
    services.redemption_claim(
        actor=world.a("sh_provider_user"), redemption_id=redemption.pk, files=vf.evidence()
    )
    assert Evidence.objects.filter(redemption=redemption).count() == 2
    services.redemption_review(actor=world.a("jx_bureau"), redemption_id=redemption.pk, approve=True)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.PUBLICISED
    # paying during 公示 is refused; after it, the payout goes to the inter-region receivable
    with pytest.raises(Conflict, match="公示期"):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=redemption.pk)
    with shift_days(5):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=redemption.pk)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.PAID
    assert [p.account.code for p in redemption.pay_entry.postings.filter(amount_fen__gt=0)] == [
        "xr:R330400:310000:receivable"
    ]
    _sound()


def test_over_ratio_and_ineligible_provider_are_refused(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    with pytest.raises(Invalid, match="补贴上限"):
        _reserve(world, grant, order, 150_001)
    beijing = vf.order(
        provider=__import__("tests.factories", fromlist=["x"]).OrganisationFactory(
            region_id="110108", kind="testing"
        ),
        customer=world.firm,
        quoted_fen=300_000,
    )
    with pytest.raises(Invalid, match="不在本方案认可的范围"):
        _reserve(world, grant, beijing, 1_000)
    assert not Redemption.objects.exists()


def test_small_orders_are_covered_in_full(world, tongdui, grant):
    order = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=99_999)
    assert _reserve(world, grant, order, 99_999).amount_fen == 99_999


def test_idempotent_reserve_and_key_reuse(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    first = _reserve(world, grant, order, 10_000, key="same")
    again = _reserve(world, grant, order, 10_000, key="same")
    assert again.pk == first.pk
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).reserved_fen == 10_000
    with pytest.raises(Conflict, match="幂等键"):
        _reserve(world, grant, order, 20_000, key="same")


def test_overdraw_is_a_409_with_chinese_message(world, tongdui):
    grant = grant_for(world, tongdui, fen=50_000)
    order = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=300_000)
    with pytest.raises(Conflict, match="创新券余额不足") as caught:
        _reserve(world, grant, order, 60_000)
    assert caught.value.status == 409
    assert not Redemption.objects.exists()


def test_someone_elses_grant_or_order_is_not_found(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.other_firm, quoted_fen=300_000)
    with pytest.raises(NotFound):
        _reserve(world, grant, order, 1_000, who="other_firm_user")  # not their grant
    with pytest.raises(NotFound):
        _reserve(world, grant, order, 1_000)  # not their order
    assert not Redemption.objects.exists()


def test_bundling_two_firms_on_one_order(world, tongdui, grant):
    other_grant = grant_for(world, tongdui, fen=1_000_000, who="other_firm")
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=400_000)
    _reserve(world, grant, order, 120_000)
    with pytest.raises(NotFound):
        _reserve(world, other_grant, order, 80_000, who="other_firm_user")
    services.bundle_invite(actor=world.a("firm_user"), order_id=order.pk, enterprise_id=world.other_firm.pk)
    _reserve(world, other_grant, order, 80_000, who="other_firm_user")
    with pytest.raises(Invalid, match="补贴上限"):
        _reserve(world, other_grant, order, 1, key="k2", who="other_firm_user")
    assert vf.complete(order) == 2
    _sound()


def test_cheaper_actual_charge_trims_the_reservation(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = _reserve(world, grant, order, 150_000)
    vf.complete(order, actual_fen=200_000)
    redemption.refresh_from_db()
    assert redemption.amount_fen == 100_000
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 1_900_000
    _sound()


def test_replay_after_a_trimmed_reservation_returns_it_and_changes_nothing(world, tongdui, grant):
    # given a reservation trimmed by a cheaper final charge (found by the Hypothesis test)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    first = _reserve(world, grant, order, 150_000)
    vf.complete(order, actual_fen=200_000)
    entries = Entry.objects.count()
    # when the original request is replayed with its key
    again = _reserve(world, grant, order, 150_000)
    # then it is the same redemption, nothing written; the same key with other figures is still a 409
    assert again.pk == first.pk and again.amount_fen == 100_000 and Entry.objects.count() == entries
    with pytest.raises(Conflict):
        _reserve(world, grant, order, 100_000)
    _sound()


def test_cancelled_order_releases(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    _reserve(world, grant, order, 100_000)
    assert services.on_order_cancelled(order=order) == 1
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 2_000_000
    _sound()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("发票.exe", vf.PDF, "类型不支持"),
        ("发票.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
        ("发票.pdf", b"", "大小"),
    ],
    ids=["wrong-type", "wrong-content", "empty"],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(world, tongdui, grant, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = _reserve(world, grant, order, 100_000)
    vf.complete(order)
    with pytest.raises(Invalid, match=message):
        services.redemption_claim(
            actor=world.a("sh_provider_user"),
            redemption_id=redemption.pk,
            files=[("invoice", SimpleUploadedFile(name, content))],
        )
    assert not Evidence.objects.exists()
    assert Redemption.objects.get(pk=redemption.pk).status == RedemptionStatus.SERVICE_DONE


def test_oversized_evidence_is_refused(world, tongdui, grant, settings):
    settings.XIETONG_VOUCHER_EVIDENCE_MAX_BYTES = 50
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = _reserve(world, grant, order, 100_000)
    vf.complete(order)
    with pytest.raises(Invalid, match="大小"):
        services.redemption_claim(
            actor=world.a("sh_provider_user"), redemption_id=redemption.pk, files=vf.evidence()
        )


def test_objection_upheld_revokes_and_returns_funds(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = _reserve(world, grant, order, 100_000)
    vf.complete(order)
    services.redemption_claim(
        actor=world.a("sh_provider_user"), redemption_id=redemption.pk, files=vf.evidence()
    )
    services.redemption_review(actor=world.a("jx_bureau"), redemption_id=redemption.pk, approve=True)
    objection = services.objection_raise(
        actor=world.a("other_firm_user"), redemption_id=redemption.pk, text="该服务实际未开展"
    )
    with shift_days(10), pytest.raises(Conflict, match="异议"):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=redemption.pk)
    services.objection_resolve(
        actor=world.a("jx_bureau"), objection_id=objection.pk, upheld=True, note="经核实属实"
    )
    assert Redemption.objects.get(pk=redemption.pk).status == RedemptionStatus.REVOKED
    assert selectors.grant_balance(actor=SYSTEM, grant=grant).available_fen == 2_000_000
    _sound()


def test_expiry_lapses_unused_and_forfeit_blocks_next_year(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    _reserve(world, grant, order, 100_000)  # never completed
    with shift_days(91):
        result = services.grants_expire()
    assert result == {"released": 1, "lapsed_grants": 1, "lapsed_fen": 2_000_000}
    grant.refresh_from_db()
    assert grant.lapsed_fen == 2_000_000
    assert ledger_selectors.balance_of(tongdui.budget_account) == 10_000_000
    with shift_days(92):
        assert services.grants_expire()["lapsed_fen"] == 0  # idempotent
    _sound()
    next_year = vf.programme(actor=world.a("jx_bureau"), year=tongdui.year + 1, forfeit_lapse_bp=3_000)
    with pytest.raises(DomainError, match="不得申领"):
        services.application_submit(
            actor=world.a("firm_user"),
            programme_id=next_year.pk,
            enterprise_id=world.firm.pk,
            amount_fen=100,
            purpose="检测",
        )
