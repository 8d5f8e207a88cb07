"""Issue 12, item 12: a 兑付 claim without an invoice comes back to the claim form with the message (400),
not to the bare error page, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.vouchers import factories as vf
from tests.vouchers.test_private_files import done, roots  # noqa: F401 (fixtures)
from xietong.vouchers.enums import RedemptionStatus
from xietong.vouchers.models import Evidence, Redemption

pytestmark = pytest.mark.django_db


def test_a_claim_without_an_invoice_is_answered_in_the_claim_form(world, done, roots):  # noqa: F811
    contract = SimpleUploadedFile("合同.pdf", vf.PDF, content_type="application/pdf")
    response = client_for(world.sh_provider_user).post(
        f"/vouchers/redemptions/{done.pk}/claim/", {"contract": contract}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="claim-error"' in html and "发票" in html and 'id="claim-form"' in html
    assert Redemption.objects.get(pk=done.pk).status == RedemptionStatus.SERVICE_DONE
    assert not Evidence.objects.filter(redemption_id=done.pk).exists()
    assert [p for p in roots.XIETONG_PRIVATE_ROOT.rglob("*") if p.is_file()] == []
