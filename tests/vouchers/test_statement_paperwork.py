"""Statement paperwork: 大写 and signature lines on the PDF, the payee account, 标记已支付 with a payment slip
and the confirmation of the amount in capitals; a refused payment writes nothing, files included."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.clients import client_for
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption, shift_days
from xietong.core.money_words import capitals
from xietong.vouchers import services
from xietong.vouchers.enums import StatementStatus
from xietong.vouchers.models import PayeeAccount, Statement
from xietong.vouchers.services import paperwork
from xietong.vouchers.services.settlement import statements_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(world, grant):
    r = approved_redemption(world, grant, key="s1", fen=123_456)
    with shift_days(10):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=r.pk)
        [s] = statements_generate(period=timezone.localdate().replace(day=1))
    return s


def _proof():
    return SimpleUploadedFile("回单.pdf", vf.PDF, content_type="application/pdf")


def test_payee_account_is_kept_by_the_counterpart_bureau(world, statement):
    with pytest.raises(Exception) as refused:
        paperwork.payee_account_set(
            actor=world.a("jx_bureau"), region_code=statement.counterpart_region_id,
            account_name="x", bank_name="y", account_no="1234567890",
        )  # fmt: skip
    assert getattr(refused.value, "status", None) == 403
    client = client_for(world.sh_bureau)
    bad = client.post(
        f"/vouchers/statements/{statement.pk}/payee/",
        {"account_name": "上海市徐汇区财政局", "bank_name": "中国银行上海徐汇支行", "account_no": "12ab"},
    )
    assert bad.status_code == 400 and "账号应为 8–32 位数字" in bad.content.decode()
    assert not PayeeAccount.objects.exists()
    ok = client.post(
        f"/vouchers/statements/{statement.pk}/payee/",
        {
            "account_name": "上海市徐汇区财政局",
            "bank_name": "中国银行上海徐汇支行",
            "account_no": "4563 1234 5678",
        },
    )
    assert ok.status_code == 302
    assert PayeeAccount.objects.get().account_no == "456312345678"


def test_pdf_shows_capitals_payee_and_signature_lines(world, statement, tmp_path):
    PayeeAccount.objects.create(
        region_id=statement.counterpart_region_id, account_name="上海市徐汇区财政局", bank_name="中国银行上海徐汇支行",
        account_no="456312345678",
    )  # fmt: skip
    response = client_for(world.jx_bureau).get(f"/vouchers/statements/{statement.pk}.pdf")
    assert response.status_code == 200
    path = tmp_path / "s.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    flat = text.replace(" ", "")
    assert capitals(statement.total_fen) in flat
    assert "456312345678" in flat and "经办人" in flat and "复核人" in flat and "盖章" in flat


def test_mark_paid_needs_proof_and_the_confirmation(world, statement, settings):
    client = client_for(world.jx_bureau)
    url = f"/vouchers/statements/{statement.pk}/pay/"
    words = capitals(statement.total_fen)
    page = client.get(f"/vouchers/statements/{statement.pk}/").content.decode()
    assert words in page
    no_confirm = client.post(url, {"reference": "BK-001", "proof": _proof()})
    assert no_confirm.status_code == 400
    no_proof = client.post(url, {"reference": "BK-001", "confirm": words})
    assert no_proof.status_code == 400
    bad_file = client.post(
        url,
        {
            "reference": "BK-001",
            "confirm": words,
            "proof": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert bad_file.status_code == 400
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.ISSUED
    ok = client.post(url, {"reference": "BK-001", "confirm": words, "proof": _proof()})
    assert ok.status_code == 302
    paid = Statement.objects.get(pk=statement.pk)
    assert paid.status == StatementStatus.PAID and paid.paid_proof_name == "回单.pdf"
    proof = client.get(f"/vouchers/statements/{statement.pk}/proof/")
    assert proof.status_code == 200 and b"".join(proof.streaming_content).startswith(b"%PDF")
    assert client_for(world.sc_bureau).get(f"/vouchers/statements/{statement.pk}/proof/").status_code == 404
    assert client_for(world.sh_bureau).post(url, {"reference": "x"}).status_code in (403, 409)


def test_programme_publicity_is_public_searchable_and_exportable(world, tongdui, grant):
    r = approved_redemption(world, grant, key="pub1", fen=150_000)
    anonymous = client_for(None)
    page = anonymous.get(f"/vouchers/programmes/{tongdui.pk}/publicity/")
    assert page.status_code == 200
    body = page.content.decode()
    assert r.enterprise.name in body and "1500.00" in body
    assert world.firm.contact_phone not in body and r.order.number not in body
    assert (
        r.enterprise.name
        not in anonymous.get(
            f"/vouchers/programmes/{tongdui.pk}/publicity/", {"q": "不存在的企业"}
        ).content.decode()
    )
    export = anonymous.get(f"/vouchers/programmes/{tongdui.pk}/publicity/", {"format": "xlsx", "q": "南湖"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert anonymous.get("/vouchers/programmes/999999/publicity/").status_code == 404
