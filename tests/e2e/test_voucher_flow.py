"""Playwright, the whole 通兑 story: a 嘉兴 enterprise books a 上海 instrument and pays with its voucher on the order
page; the provider serves, the customer confirms; the provider files the 兑付 claim with evidence; the 嘉兴 bureau
approves; after 公示 it pays; `settle` runs; the statement shows the line. A screenshot of every page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, next_weekday, open_weekdays, with_prices
from tests.vouchers import factories as vf
from tests.vouchers.conftest import shift_days
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.ledger import checks
from xietong.orgs.enums import OrgKind
from xietong.resources.models import ServiceOrder
from xietong.vouchers import services
from xietong.vouchers.models import Redemption, Statement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_categories()
    university = OrganisationFactory(name="上海示范理工大学", kind=OrgKind.UNIVERSITY, region_id="310104")
    firm = OrganisationFactory(name="嘉兴南湖智造有限公司", region_id="330402", is_tech_sme=True)
    sem = ResourceFactory(owner=university, name="场发射扫描电子显微镜", specs="分辨率 1.0 nm @ 15 kV")
    with_prices(sem)
    open_weekdays(sem)
    firm_admin = member(Role.ORG_ADMIN, organisation=firm, username="e2e_vf_firm")
    member(Role.ORG_MEMBER, organisation=university, username="e2e_vf_lab")
    bureau = member(Role.REGION_BUREAU, region_id="330400", username="e2e_vf_jx")
    # the 嘉兴 programme (通兑, providers anywhere in 长三角), with a one-day 公示 so the test can move past it
    programme = vf.programme(
        actor=actor_for(bureau),
        name="嘉兴市科技创新券（通兑·长三角）",
        publicity_days=1,
        full_subsidy_below_fen=0,
    )
    application = services.application_submit(
        actor=actor_for(firm_admin), programme_id=programme.pk, enterprise_id=firm.pk, amount_fen=500_000,
        purpose="委托上海高校做材料表征",
    )  # fmt: skip
    services.application_review(actor=actor_for(bureau), application_id=application.pk, approve=True)
    application.refresh_from_db()
    return {"sem": sem, "grant": application.grant}


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username, PASSWORD)


def _evidence(tmp_path):
    invoice, contract = tmp_path / "发票.pdf", tmp_path / "服务合同.pdf"
    invoice.write_bytes(vf.PDF)
    contract.write_bytes(vf.PDF)
    return invoice, contract


def test_jiaxing_firm_pays_a_shanghai_instrument_with_a_tongdui_voucher(
    live_server, page, shot, data, tmp_path
):
    base, grant = live_server.url, data["grant"]
    day = next_weekday(2).date().isoformat()
    # 1. the enterprise books the 上海 instrument (同协同区 price 480 元/h × 2 h)
    login(page, base, "e2e_vf_firm", PASSWORD)
    page.goto(f"{base}/resources/{data['sem'].pk}/?start={day}")
    page.fill("#id_day", day)
    page.fill("#id_start", "10:00")
    page.fill("#id_end", "12:00")
    page.click("#book-form button[type=submit]")
    page.wait_for_selector("#order-status")
    assert page.inner_text("#quoted") == "960.00 元"
    order = ServiceOrder.objects.get()
    # 2. and pays with its voucher from the order page: 50 % of 960 元 is offered
    panel = page.locator("#voucher-panel")
    assert grant.code in panel.inner_text() and "480.00 元" in page.inner_text("#usable-grants")
    assert page.input_value("#id_voucher_amount") == "480.00"
    shot(page, "voucher-flow-01-order-use-voucher")
    page.click("#voucher-use-form button[type=submit]")
    page.wait_for_selector("text=已在本订单上预留创新券 480.00 元")
    assert "已预留" in page.inner_text("#order-voucher-table")
    assert "已达补贴上限" in page.inner_text("#voucher-capped")
    shot(page, "voucher-flow-02-order-voucher-reserved")
    # 3. the provider confirms, serves, records usage and delivers
    _as(page, base, "e2e_vf_lab")
    page.goto(f"{base}/resources/orders/{order.pk}/")
    page.click("#confirm-button")
    page.wait_for_selector(f"text=已确认订单：{order.number}")
    page.fill("#early-reason", "客户提前到场，设备空闲")  # the slot is next week: serving now needs a reason
    page.click("#actions form[action*='start'] button")
    page.wait_for_selector(f"text=已开始服务：{order.number}")
    page.fill("input[name=minutes]", "120")
    page.click("#actions form[action*='usage'] button")
    page.wait_for_selector(f"text=已登记实际使用量：{order.number}")
    page.click("#actions form[action*='deliver'] button")
    page.wait_for_selector(f"text=已交付，等待客户确认完成：{order.number}")
    shot(page, "voucher-flow-03-provider-delivered")
    # 4. the customer confirms completion: the voucher moves to 服务完成
    _as(page, base, "e2e_vf_firm")
    page.goto(f"{base}/resources/orders/{order.pk}/")
    page.click("#complete-button")
    page.wait_for_selector(f"text=已确认完成：{order.number}")
    assert "服务完成" in page.inner_text("#order-voucher-table")
    shot(page, "voucher-flow-04-customer-completed")
    # 5. the provider files the 兑付 claim with its evidence files
    _as(page, base, "e2e_vf_lab")
    page.goto(f"{base}/resources/orders/{order.pk}/")
    page.click("#order-voucher-table a.redemption-link")
    page.wait_for_selector("#claim-form")
    invoice, contract = _evidence(tmp_path)
    page.set_input_files("#id_invoice", str(invoice))
    page.set_input_files("#id_contract", str(contract))
    page.fill("#id_note", "扫描电镜测试 2 小时，报告已交付")
    shot(page, "voucher-flow-05-provider-claim")
    page.click("#claim-form button")
    page.wait_for_selector("text=兑付申请已提交")
    assert "发票.pdf" in page.content()
    # 6. the 嘉兴 bureau approves: the claim goes on the 公示 list
    _as(page, base, "e2e_vf_jx")
    page.goto(f"{base}/vouchers/review/")
    page.wait_for_selector(f"#claim-queue >> text={order.number}")
    shot(page, "voucher-flow-06-bureau-review")
    page.click("#claim-queue button[value=approve]")
    page.wait_for_selector("text=兑付审核通过，已进入公示")
    page.goto(f"{base}/vouchers/publicity/")
    assert "480.00 元" in page.inner_text("#publicity-table")
    shot(page, "voucher-flow-07-publicity")
    # 7. after the 公示 period the bureau pays (a cross-region payout, settled by statement)
    with shift_days(2):
        page.goto(f"{base}/vouchers/review/")
        page.wait_for_selector(f"#payable-queue >> text={order.number}")
        shot(page, "voucher-flow-08-payable")
        page.click("#payable-queue button")
        page.wait_for_selector("text=已支付")
    assert Redemption.objects.get().status == "paid"
    # 8. settlement runs for the month
    call_command("settle", period=timezone.localdate().strftime("%Y-%m"))
    statement = Statement.objects.get()
    assert (statement.total_fen, statement.counterpart_region_id, statement.issuer_key) == (
        48_000,
        "310000",
        "R330400",
    )
    # 9. the statement page shows the line
    page.goto(f"{base}/vouchers/statements/")
    page.click(f"text={statement.number}")
    page.wait_for_selector("#line-table")
    line = page.inner_text("#line-table")
    assert order.number in line and "上海示范理工大学" in line and "嘉兴南湖智造有限公司" in line
    assert page.inner_text("#statement-total") == "480.00 元"
    shot(page, "voucher-flow-09-statement")
    assert checks.run_all() == []
