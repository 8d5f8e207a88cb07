"""The redemption page is where a 兑付 claim is decided: every evidence file linked for those who may open it, the
通过/驳回 form for whoever may review, a refused decision shown in that form, and the order number linked for those
who may see the order."""

import re

import pytest

from tests.clients import client_for
from tests.vouchers import factories as vf
from xietong.core.models import AuditEvent
from xietong.ledger.models import Entry
from xietong.vouchers import services
from xietong.vouchers.models import Evidence, Redemption

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(world, grant):
    """The firm's voucher on an order at the 上海 provider, served and claimed with a contract and an invoice."""
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    r = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="p",
    )
    vf.complete(order)
    services.redemption_claim(actor=world.a("sh_provider_user"), redemption_id=r.pk, files=vf.evidence())
    return Redemption.objects.get(pk=r.pk)


def _evidence_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" class="evidence-link">', html)


def test_the_reviewer_sees_a_link_to_every_evidence_file_and_each_one_opens(world, claimed):
    bureau = client_for(world.jx_bureau)
    # when the issuing bureau opens the redemption
    html = bureau.get(f"/vouchers/redemptions/{claimed.pk}/").content.decode()
    # then each evidence file is linked, and each link downloads that file
    files = Evidence.objects.filter(redemption=claimed).order_by("pk")
    expected = [f"/vouchers/redemptions/{claimed.pk}/evidence/{e.pk}/" for e in files]
    assert sorted(_evidence_links(html)) == sorted(expected) and len(expected) == 2
    for url, evidence in zip(sorted(expected), files, strict=True):
        response = bureau.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == evidence.file.open("rb").read()


def test_review_buttons_and_order_link_follow_the_policies(world, claimed):
    order_url = f"/resources/orders/{claimed.order_id}/"
    page = f"/vouchers/redemptions/{claimed.pk}/"
    # the issuing bureau: decides here, and sees the order
    html = client_for(world.jx_bureau).get(page).content.decode()
    assert 'id="review-form"' in html and 'value="approve"' in html and 'value="reject"' in html
    assert f'href="{order_url}"' in html
    # the two parties: the evidence and the order, not the review
    for party in (world.firm_user, world.sh_provider_user):
        html = client_for(party).get(page).content.decode()
        assert 'id="review-form"' not in html and f'href="{order_url}"' in html
        assert len(_evidence_links(html)) == 2
    # the 上海 bureau reads the redemption and the order, but neither issued the voucher nor opens its evidence
    html = client_for(world.sh_bureau).get(page).content.decode()
    assert 'id="review-form"' not in html and f'href="{order_url}"' in html
    assert _evidence_links(html) == [] and "发票.png" in html


def test_approving_on_the_page_returns_to_it_with_the_new_status(world, claimed):
    response = client_for(world.jx_bureau).post(
        f"/vouchers/redemptions/{claimed.pk}/review/",
        {"decision": "approve", "note": "", "next": "redemption"},
    )
    assert response.status_code == 302 and response["Location"] == f"/vouchers/redemptions/{claimed.pk}/"
    assert Redemption.objects.get(pk=claimed.pk).status == "publicised"


def test_a_rejection_without_a_reason_comes_back_in_the_form_and_changes_nothing(world, claimed):
    before = (Entry.objects.count(), AuditEvent.objects.count())
    response = client_for(world.jx_bureau).post(
        f"/vouchers/redemptions/{claimed.pk}/review/",
        {"decision": "reject", "note": " ", "next": "redemption"},
    )
    # then the redemption page answers 400 with the message in the review form, evidence still linked
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="review-error">驳回时请填写理由</div>', html)
    assert 'id="review-form"' in html and len(_evidence_links(html)) == 2
    assert Redemption.objects.get(pk=claimed.pk).status == "claimed"
    assert (Entry.objects.count(), AuditEvent.objects.count()) == before


def test_a_reviewer_who_may_not_review_is_refused_not_shown_the_form(world, claimed):
    response = client_for(world.sh_bureau).post(
        f"/vouchers/redemptions/{claimed.pk}/review/",
        {"decision": "reject", "note": "", "next": "redemption"},
    )
    assert response.status_code == 403 and 'id="review-form"' not in response.content.decode()
    assert Redemption.objects.get(pk=claimed.pk).status == "claimed"
