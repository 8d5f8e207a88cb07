"""Tenancy matrix of innovation vouchers: every role × the 嘉兴 programme's objects through pages and API.

The programme is issued by the 嘉兴 bureau; enterprise A (嘉兴) holds its grant and uses it on orders at the
上海 provider P, so the 上海 bureau is the counterpart of the cross-region statement. The other side — the
四川 bureau, the 京津冀 office, enterprise B in 成都 and an expert — must be refused (404 where the object
is hidden from them, 403 where they see it but may not act) and leave nothing behind.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import tenancy_matrix as m
from tests.factories import actor
from tests.vouchers import factories as vf
from xietong.core.money_words import capitals
from xietong.vouchers import services
from xietong.vouchers.models import Redemption
from xietong.vouchers.services.settlement import statements_generate

pytestmark = pytest.mark.django_db


def _redemption(world: m.World, grant, key: str, *, to: str):
    """A redemption of A's grant on a new order at P, walked to state `to` (reserved … paid)."""
    a, p = world.orgs["a"], world.orgs["p"]
    order = vf.order(provider=p, customer=a, quoted_fen=300_000)
    r = services.redemption_reserve(
        actor=actor(world.users["a_admin"]),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=100_000,
        idempotency_key=key,
    )
    if to == "reserved":
        return r
    vf.complete(order)
    if to == "completed":
        return Redemption.objects.get(pk=r.pk)
    services.redemption_claim(actor=actor(world.users["p_admin"]), redemption_id=r.pk, files=vf.evidence())
    if to == "claimed":
        return Redemption.objects.get(pk=r.pk)
    services.redemption_review(actor=actor(world.users["bureau_jx"]), redemption_id=r.pk, approve=True)
    if to == "publicised":
        return Redemption.objects.get(pk=r.pk)
    today = timezone.localdate()
    Redemption.objects.filter(pk=r.pk).update(
        publicity_starts_on=today - timedelta(days=10), publicity_ends_on=today - timedelta(days=5)
    )
    if to == "payable":
        return Redemption.objects.get(pk=r.pk)
    services.redemption_pay(actor=actor(world.users["bureau_jx"]), redemption_id=r.pk)
    return Redemption.objects.get(pk=r.pk)


def build(world: m.World) -> None:
    a = world.orgs["a"]
    bureau, firm = actor(world.users["bureau_jx"]), actor(world.users["a_admin"])
    programme = vf.programme(actor=bureau)
    app = services.application_submit(
        actor=firm, programme_id=programme.pk, enterprise_id=a.pk, amount_fen=2_000_000, purpose="检测服务"
    )
    services.application_review(actor=bureau, application_id=app.pk, approve=True)
    app.refresh_from_db()
    grant = app.grant
    other_programme = vf.programme(actor=bureau, name="嘉兴市科技创新券（第二批）")
    pending = services.application_submit(
        actor=firm,
        programme_id=other_programme.pk,
        enterprise_id=a.pk,
        amount_fen=100_000,
        purpose="第二次检测",
        files=[SimpleUploadedFile("营业执照.pdf", vf.PDF, content_type="application/pdf")],
    )
    levelled_programme = vf.programme(
        actor=bureau, name="嘉兴市科技创新券（分级审核）", review_levels="county"
    )
    levelled = services.application_submit(
        actor=firm,
        programme_id=levelled_programme.pk,
        enterprise_id=a.pk,
        amount_fen=100_000,
        purpose="分级审核",
    )
    paid = _redemption(world, grant, "paid", to="paid")
    statement = statements_generate(period=timezone.localdate().replace(day=1))[0]
    publicised = _redemption(world, grant, "publicised", to="publicised")
    objection = services.objection_raise(
        actor=actor(world.users["b_admin"]), redemption_id=publicised.pk, text="该笔服务价格明显偏高，请核实"
    )
    world.objects.update(
        programme=programme,
        grant=grant,
        pending=pending,
        attachment=pending.attachments.get(),
        levelled=levelled,
        paid=paid,
        paid_invoice=paid.evidence.order_by("id").first(),
        statement=statement,
        reserved=_redemption(world, grant, "reserved", to="reserved"),
        completed=_redemption(world, grant, "completed", to="completed"),
        claimed=_redemption(world, grant, "claimed", to="claimed"),
        publicised=publicised,
        payable=_redemption(world, grant, "payable", to="payable"),
        objection=objection,
        order=vf.order(provider=world.orgs["p"], customer=a, quoted_fen=300_000),
    )


# ------------------------------------------------------------------------------------------------ who sees what

# A's grant and applications: the platform, the issuing 嘉兴 bureau, the 长三角 office, A's own people.
SEES_GRANT = ("platform_admin", "bureau_jx", "zone_yrd", "a_admin", "a_member")
# A redemption at P: the above, plus P and the 上海 bureau (the provider's side).
SEES_REDEMPTION = (*SEES_GRANT, "p_admin", "bureau_sh")
# The statement 嘉兴 → 上海: the platform, both bureaus, the 长三角 office.
SEES_STATEMENT = ("platform_admin", "bureau_jx", "bureau_sh", "zone_yrd")
# An order of A at P: both parties, the bureaus of both regions, the 长三角 office.
SEES_ORDER = SEES_REDEMPTION
ISSUER = ("platform_admin", "bureau_jx")  # manages the programme
A_PEOPLE = ("a_admin", "a_member")
# Invoices and contracts of a redemption: its two parties and the issuer; anyone else gets 404 (a private file).
READS_EVIDENCE = (*ISSUER, *A_PEOPLE, "p_admin")


def api(sees, allowed, status=m.OK):
    """Hidden → 404, seen but not allowed → 403, allowed → `status`; anonymous → 401."""
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    return m.expect(m.NOT_FOUND, anonymous=m.UNAUTHENTICATED, **out)


def page(sees, allowed, status=m.REDIRECT, anonymous=m.LOGIN):
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    return m.expect(m.NOT_FOUND, anonymous=anonymous, **out)


def read_api(sees):
    return api(sees, sees)


def read_page(sees, anonymous=m.LOGIN):
    return page(sees, sees, m.OK, anonymous)


def objects(**names):
    return lambda w: {key: getattr(w, name) for key, name in names.items()}


def use_body(w):
    return {"order_id": w.order.pk, "amount_fen": 50_000, "idempotency_key": "matrix-use"}


def attachment_files(w):
    return {"files": SimpleUploadedFile("报价单.pdf", vf.PDF, content_type="application/pdf")}


def claim_files(w):
    contract, invoice = (f for _, f in vf.evidence())
    return {"contract": contract, "invoice": invoice, "note": "服务已完成"}


# 公示 objections come from accountable parties (a verified organisation's people, public offices): the expert,
# who acts for no organisation, is refused; B's admin already has one open on it (raised in `build`).
OBJECTORS_API = m.expect(m.CREATED, anonymous=m.UNAUTHENTICATED, expert=m.FORBIDDEN, b_admin=m.CONFLICT)
OBJECTORS_PAGE = m.expect(m.REDIRECT, anonymous=m.LOGIN, expert=m.FORBIDDEN, b_admin=m.CONFLICT)

CASES = [
    # programmes are public notices; applying, the dashboard and the grants export are not
    m.Case(
        "GET",
        "api/v1/vouchers/programmes/<int:programme_id>",
        m.expect(m.OK),
        objects(programme_id="programme"),
    ),
    m.Case(
        "GET", "vouchers/programmes/<int:programme_id>/", m.expect(m.OK), objects(programme_id="programme")
    ),
    m.Case(  # the 公示 is public
        "GET",
        "vouchers/programmes/<int:programme_id>/publicity/",
        m.expect(m.OK),
        objects(programme_id="programme"),
    ),
    m.Case(
        "GET",
        "vouchers/programmes/<int:programme_id>/dashboard/",
        m.expect(m.FORBIDDEN, platform_admin=m.OK, bureau_jx=m.OK, zone_yrd=m.OK),
        objects(programme_id="programme"),
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/programmes/<int:programme_id>/dashboard",
        m.expect(
            m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK, bureau_jx=m.OK, zone_yrd=m.OK
        ),
        objects(programme_id="programme"),
    ),
    m.Case(
        "POST",
        "vouchers/programmes/<int:programme_id>/apply/",
        m.expect(m.FORBIDDEN, anonymous=m.LOGIN, a_admin=m.REDIRECT, a_member=m.REDIRECT),
        objects(programme_id="programme"),
        lambda w: {"enterprise": w.orgs["a"].pk, "amount": "500", "purpose": "委托检测"},
    ),
    m.Case(
        "GET",
        "vouchers/programmes/<int:programme_id>/grants.xlsx",
        m.expect(m.OK, anonymous=m.LOGIN),
        objects(programme_id="programme"),
        secret=lambda w: w.grant.code,
        shown_to=SEES_GRANT,
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/programmes/<int:programme_id>/grants.xlsx",
        m.expect(m.OK, anonymous=m.UNAUTHENTICATED),
        objects(programme_id="programme"),
        secret=lambda w: w.grant.code,
        shown_to=SEES_GRANT,
    ),
    # applications
    m.Case(
        "POST",
        "api/v1/vouchers/applications/<int:application_id>/review",
        api(SEES_GRANT, ISSUER),
        objects(application_id="pending"),
        lambda w: {"approve": True},
    ),
    m.Case(
        "POST",
        "vouchers/applications/<int:application_id>/review/",
        page(SEES_GRANT, ISSUER),
        objects(application_id="pending"),
        lambda w: {"decision": "approve"},
    ),
    m.Case(  # waiting at the district's 初审: the city bureau sees it but may not review in the district's place
        "POST",
        "api/v1/vouchers/applications/<int:application_id>/review",
        api(SEES_GRANT, ("platform_admin",)),
        objects(application_id="levelled"),
        lambda w: {"approve": True},
        name="levelled, at the district",
    ),
    m.Case(
        "GET",
        "vouchers/applications/<int:application_id>/",
        read_page(SEES_GRANT),
        objects(application_id="pending"),
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/applications/<int:application_id>",
        read_api(SEES_GRANT),
        objects(application_id="pending"),
    ),
    # attachments: added by the enterprise while the application waits, read by whoever sees the application
    m.Case(
        "POST",
        "api/v1/vouchers/applications/<int:application_id>/attachments",
        api(SEES_GRANT, A_PEOPLE, m.CREATED),
        objects(application_id="pending"),
        attachment_files,
    ),
    m.Case(
        "POST",
        "vouchers/applications/<int:application_id>/attachments/",
        page(SEES_GRANT, A_PEOPLE),
        objects(application_id="pending"),
        attachment_files,
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/applications/<int:application_id>/attachments/<int:attachment_id>",
        read_api(SEES_GRANT),
        objects(application_id="pending", attachment_id="attachment"),
    ),
    m.Case(
        "GET",
        "vouchers/applications/<int:application_id>/attachments/<int:attachment_id>/",
        read_page(SEES_GRANT),
        objects(application_id="pending", attachment_id="attachment"),
    ),
    m.Case(
        "POST",
        "vouchers/applications/<int:application_id>/decide/",
        page(SEES_GRANT, ISSUER),
        objects(application_id="pending"),
        lambda w: {"decision": "approve", "amount": "500"},
    ),
    # grants
    m.Case("GET", "api/v1/vouchers/grants/<int:grant_id>", read_api(SEES_GRANT), objects(grant_id="grant")),
    m.Case("GET", "vouchers/grants/<int:grant_id>/", read_page(SEES_GRANT), objects(grant_id="grant")),
    m.Case(
        "POST",
        "api/v1/vouchers/grants/<int:grant_id>/redemptions",
        api(SEES_GRANT, A_PEOPLE, m.CREATED),
        objects(grant_id="grant"),
        use_body,
    ),
    m.Case(
        "POST",
        "vouchers/grants/<int:grant_id>/use/",
        page(SEES_GRANT, A_PEOPLE),
        objects(grant_id="grant"),
        lambda w: {"order_id": w.order.pk, "amount": "500", "idempotency_key": "matrix-use"},
    ),
    # redemptions, their claims, reviews, payments and the 公示
    m.Case(
        "GET",
        "vouchers/redemptions/<int:redemption_id>/",
        read_page(SEES_REDEMPTION, m.NOT_FOUND),
        objects(redemption_id="paid"),
    ),
    m.Case(
        "GET",
        "vouchers/redemptions/<int:redemption_id>/evidence/<int:evidence_id>/",
        read_page(READS_EVIDENCE),
        objects(redemption_id="paid", evidence_id="paid_invoice"),
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/redemptions/<int:redemption_id>/evidence/<int:evidence_id>",
        read_api(READS_EVIDENCE),
        objects(redemption_id="paid", evidence_id="paid_invoice"),
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/redemptions/<int:redemption_id>/release",
        api(SEES_REDEMPTION, (*ISSUER, *A_PEOPLE)),
        objects(redemption_id="reserved"),
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/redemptions/<int:redemption_id>/claim",
        api(SEES_REDEMPTION, ("p_admin",), m.CREATED),
        objects(redemption_id="completed"),
        claim_files,
    ),
    m.Case(
        "POST",
        "vouchers/redemptions/<int:redemption_id>/claim/",
        page(SEES_REDEMPTION, ("p_admin",)),
        objects(redemption_id="completed"),
        claim_files,
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/redemptions/<int:redemption_id>/review",
        api(SEES_REDEMPTION, ISSUER),
        objects(redemption_id="claimed"),
        lambda w: {"approve": True},
    ),
    m.Case(
        "POST",
        "vouchers/redemptions/<int:redemption_id>/review/",
        page(SEES_REDEMPTION, ISSUER),
        objects(redemption_id="claimed"),
        lambda w: {"decision": "approve"},
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/redemptions/<int:redemption_id>/pay",
        api(SEES_REDEMPTION, ISSUER),
        objects(redemption_id="payable"),
        lambda w: {"reference": "ZJ-2026-001"},
    ),
    m.Case(
        "POST",
        "vouchers/redemptions/<int:redemption_id>/pay/",
        page(SEES_REDEMPTION, ISSUER),
        objects(redemption_id="payable"),
        lambda w: {"reference": "ZJ-2026-001"},
    ),
    # anyone signed in may object to a publicised redemption (the 公示 is public)
    m.Case(
        "POST",
        "api/v1/vouchers/redemptions/<int:redemption_id>/objections",
        OBJECTORS_API,
        objects(redemption_id="publicised"),
        lambda w: {"text": "服务与合同内容不一致，请核实"},
    ),
    m.Case(
        "POST",
        "vouchers/redemptions/<int:redemption_id>/object/",
        OBJECTORS_PAGE,
        objects(redemption_id="publicised"),
        lambda w: {"text": "服务与合同内容不一致，请核实"},
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/objections/<int:objection_id>/resolve",
        api(SEES_REDEMPTION, ISSUER),
        objects(objection_id="objection"),
        lambda w: {"upheld": False, "note": "经核实价格合理"},
    ),
    m.Case(
        "POST",
        "vouchers/objections/<int:objection_id>/resolve/",
        page(SEES_REDEMPTION, ISSUER),
        objects(objection_id="objection"),
        lambda w: {"decision": "dismissed", "note": "经核实价格合理"},
    ),
    # vouchers on A's order at P, and inviting a partner firm onto it
    m.Case(
        "POST",
        "vouchers/orders/<int:order_id>/use/",
        page(SEES_GRANT, A_PEOPLE),
        objects(order_id="order"),
        lambda w: {"grant": w.grant.pk, "amount": "500", "idempotency_key": "matrix-order-use"},
    ),
    m.Case(
        "GET", "vouchers/orders/<int:order_id>/partners/", read_page(SEES_ORDER), objects(order_id="order")
    ),
    m.Case(
        "POST",
        "vouchers/orders/<int:order_id>/partners/",
        page(SEES_ORDER, A_PEOPLE),
        objects(order_id="order"),
        lambda w: {"credit_code": w.orgs["b"].credit_code},
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/orders/<int:order_id>/partners",
        api(SEES_ORDER, A_PEOPLE, m.CREATED),
        objects(order_id="order"),
        lambda w: {"enterprise_id": w.orgs["b"].pk},
    ),
    # the cross-region statement 嘉兴 → 上海
    m.Case(
        "GET",
        "api/v1/vouchers/statements/<int:statement_id>",
        read_api(SEES_STATEMENT),
        objects(statement_id="statement"),
    ),
    m.Case(
        "GET",
        "api/v1/vouchers/statements/<int:statement_id>/export.xlsx",
        read_api(SEES_STATEMENT),
        objects(statement_id="statement"),
    ),
    m.Case(
        "GET",
        "vouchers/statements/<int:statement_id>/",
        read_page(SEES_STATEMENT),
        objects(statement_id="statement"),
    ),
    m.Case(
        "GET",
        "vouchers/statements/<int:statement_id>.xlsx",
        read_page(SEES_STATEMENT),
        objects(statement_id="statement"),
    ),
    m.Case(
        "GET",
        "vouchers/statements/<int:statement_id>.pdf",
        read_page(SEES_STATEMENT),
        objects(statement_id="statement"),
    ),
    m.Case(
        "POST",
        "api/v1/vouchers/statements/<int:statement_id>/paid",
        api(SEES_STATEMENT, ISSUER),
        objects(statement_id="statement"),
        lambda w: {"reference": "ZJ-JS-001"},
    ),
    m.Case(
        "POST",
        "vouchers/statements/<int:statement_id>/paid/",
        page(SEES_STATEMENT, ISSUER),
        objects(statement_id="statement"),
        lambda w: {"reference": "ZJ-JS-001"},
    ),
    m.Case(
        "POST",
        "vouchers/statements/<int:statement_id>/pay/",
        page(SEES_STATEMENT, ISSUER),
        objects(statement_id="statement"),
        lambda w: {
            "reference": "ZJ-JS-002",
            "confirm": capitals(w.statement.total_fen),
            "proof": SimpleUploadedFile("回单.pdf", vf.PDF, content_type="application/pdf"),
        },
    ),
    m.Case(
        "GET",
        "vouchers/statements/<int:statement_id>/proof/",
        m.expect(m.NOT_FOUND, anonymous=m.LOGIN),  # no slip before payment: missing and hidden look alike
        objects(statement_id="statement"),
    ),
    m.Case(
        "POST",
        "vouchers/statements/<int:statement_id>/payee/",
        page(SEES_STATEMENT, ("platform_admin", "bureau_sh")),
        objects(statement_id="statement"),
        lambda w: {
            "account_name": "上海市财政局",
            "bank_name": "中国银行上海分行",
            "account_no": "4563123456",
        },
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_voucher_object(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_voucher_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("vouchers", CASES)
