"""Voucher evidence (invoices, contracts) is private: generated names outside MEDIA_ROOT, served only to the
two parties and the issuing bureau, every read audited; nothing stays on disk when a claim fails."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.files import png_with_html
from tests.vouchers import factories as vf
from xietong.core.models import AuditEvent
from xietong.vouchers import services
from xietong.vouchers.enums import RedemptionStatus
from xietong.vouchers.models import Evidence, Redemption

pytestmark = pytest.mark.django_db


def _files_under(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def done(world, grant):
    """A redemption whose service is done, ready for the provider's 兑付 claim."""
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    r = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="p",
    )
    vf.complete(order)
    return r


@pytest.fixture
def claimed(world, done, roots):
    services.redemption_claim(actor=world.a("sh_provider_user"), redemption_id=done.pk, files=vf.evidence())
    return done


def test_evidence_is_stored_privately_under_a_generated_name(world, claimed, roots):
    # given a claim with a contract (PDF) and an invoice (PNG)
    stored = list(Evidence.objects.filter(redemption=claimed).order_by("kind"))
    # then nothing is under MEDIA_ROOT, and each file is under the private root with a uuid name
    assert _files_under(roots.MEDIA_ROOT) == []
    assert len(_files_under(roots.XIETONG_PRIVATE_ROOT)) == 2
    for evidence in stored:
        folder, name = evidence.file.name.rsplit("/", 1)
        assert folder == "vouchers/evidence"
        assert len(name) == 32 + len(evidence.extension) and name.endswith(evidence.extension)
        assert str(claimed.pk) not in folder and evidence.kind not in name
        assert (Path(roots.XIETONG_PRIVATE_ROOT) / evidence.file.name).is_file()
    assert [(e.kind, e.original_name, e.extension) for e in stored] == [
        ("contract", "合同.pdf", ".pdf"),
        ("invoice", "发票.png", ".png"),
    ]


def test_the_media_mount_serves_public_photos_but_no_evidence(world, claimed, roots):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.files import png_bytes

    # given a public photo beside the private evidence
    photo = default_storage.save(
        "resources/photos/0123456789abcdef0123456789abcdef.png", ContentFile(png_bytes())
    )
    served = client_for().get(f"/media/{photo}")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    # then no URL under /media/ reaches the evidence, whatever its name
    evidence = Evidence.objects.get(redemption=claimed, kind="invoice")
    for url in (
        f"/media/vouchers/evidence/{claimed.pk}/invoice.png",
        f"/media/{evidence.file.name}",
        f"/media/../private/{evidence.file.name}",
    ):
        assert client_for().get(url).status_code == 404, url


def test_the_parties_and_the_issuer_download_and_each_read_is_audited(world, claimed, roots):
    invoice = Evidence.objects.get(redemption=claimed, kind="invoice")
    contract = Evidence.objects.get(redemption=claimed, kind="contract")
    page = f"/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}/"
    api = f"/api/v1/vouchers/redemptions/{claimed.pk}/evidence/{invoice.pk}"
    for user in (world.sh_provider_user, world.firm_user, world.jx_bureau):
        # when
        document = client_for(user).get(page)
        image = client_for(user).get(api)
        # then: a PDF is an attachment under its original name, an image is inline; both nosniff
        assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
        assert document["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E5%90%88%E5%90%8C.pdf" in document["Content-Disposition"]
        assert b"".join(document.streaming_content) == vf.PDF
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
        assert image["Content-Disposition"].startswith("inline;")
        for response in (document, image):
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]
            assert response["Cache-Control"] == "private, no-store"
    reads = AuditEvent.objects.filter(verb="voucher.evidence_read").order_by("id")
    assert reads.count() == 6
    assert {(e.target_id, e.data["kind"]) for e in reads} == {
        (str(claimed.pk), "contract"),
        (str(claimed.pk), "invoice"),
    }
    assert {e.actor_user_id for e in reads} == {
        world.sh_provider_user.pk,
        world.firm_user.pk,
        world.jx_bureau.pk,
    }


def test_the_redemption_page_links_the_evidence_for_those_who_may_read_it(world, claimed, roots):
    contract = Evidence.objects.get(redemption=claimed, kind="contract")
    link = f'href="/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}/"'
    assert (
        link
        in client_for(world.sh_provider_user).get(f"/vouchers/redemptions/{claimed.pk}/").content.decode()
    )
    # the 上海 bureau reads the redemption (its provider's counterpart) but not the invoices
    other = client_for(world.sh_bureau).get(f"/vouchers/redemptions/{claimed.pk}/")
    assert other.status_code == 200 and link not in other.content.decode()


def test_everyone_else_gets_a_404_and_no_audit_event(world, claimed, roots):
    contract = Evidence.objects.get(redemption=claimed, kind="contract")
    page = f"/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}/"
    api = f"/api/v1/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}"
    for user in (world.other_firm_user, world.sh_bureau, world.sc_bureau, world.jjj_office):
        assert client_for(user).get(page).status_code == 404
        assert client_for(user).get(api).status_code == 404
    assert (
        client_for(world.firm_user).get(f"/vouchers/redemptions/{claimed.pk}/evidence/{10**6}/").status_code
        == 404
    )
    assert client_for().get(page).status_code == 302  # to the login page
    assert client_for().get(api).status_code == 401
    assert not AuditEvent.objects.filter(verb="voucher.evidence_read").exists()


@pytest.mark.parametrize(
    ("mode", "header", "expected"),
    [
        ("x-accel-redirect", "X-Accel-Redirect", "/_private/{name}"),
        ("x-sendfile", "X-Sendfile", "{root}/{name}"),
    ],
)
def test_production_modes_hand_the_file_to_the_web_server(world, claimed, roots, mode, header, expected):
    roots.XIETONG_PRIVATE_SENDFILE = mode
    contract = Evidence.objects.get(redemption=claimed, kind="contract")
    response = client_for(world.firm_user).get(f"/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}/")
    assert response.status_code == 200 and response.content == b""
    assert response[header] == expected.format(name=contract.file.name, root=roots.XIETONG_PRIVATE_ROOT)
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    # and still nobody else
    assert (
        client_for(world.sh_bureau)
        .get(f"/vouchers/redemptions/{claimed.pk}/evidence/{contract.pk}/")
        .status_code
        == 404
    )


def test_an_html_named_evidence_file_is_refused_whatever_its_bytes(world, done, roots):
    upload = SimpleUploadedFile("发票.html", vf.PDF, content_type="application/pdf")
    response = client_for(world.sh_provider_user).post(
        f"/api/v1/vouchers/redemptions/{done.pk}/claim", {"invoice": upload}
    )
    assert response.status_code == 400 and "类型不支持" in response.json()["message"]
    assert not Evidence.objects.exists() and _files_under(roots.XIETONG_PRIVATE_ROOT) == []


def test_an_image_evidence_is_re_encoded(world, done, roots):
    files = [("invoice", SimpleUploadedFile("发票.png", png_with_html(), content_type="image/png"))]
    services.redemption_claim(actor=world.a("sh_provider_user"), redemption_id=done.pk, files=files)
    stored = Path(roots.XIETONG_PRIVATE_ROOT) / Evidence.objects.get().file.name
    assert stored.read_bytes().startswith(b"\x89PNG") and b"<script" not in stored.read_bytes()


def test_a_claim_that_fails_after_storing_leaves_no_file(world, done, roots, monkeypatch):
    # given the claim fails at its last write, after every evidence file was stored
    from xietong.core import audit

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken)
    # when
    with pytest.raises(RuntimeError):
        services.redemption_claim(
            actor=world.a("sh_provider_user"), redemption_id=done.pk, files=vf.evidence()
        )
    # then no row, no file
    assert not Evidence.objects.exists()
    assert Redemption.objects.get(pk=done.pk).status == RedemptionStatus.SERVICE_DONE
    assert _files_under(roots.XIETONG_PRIVATE_ROOT) == [] and _files_under(roots.MEDIA_ROOT) == []


def test_a_nul_in_a_multipart_field_is_refused_before_any_file_is_written(world, done, roots):
    response = client_for(world.sh_provider_user).post(
        f"/api/v1/vouchers/redemptions/{done.pk}/claim",
        {"invoice": SimpleUploadedFile("发票.pdf", vf.PDF), "note": "已完成\x00检测"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "输入中含有不可见字符（NUL），请删除后重试"
    assert not Evidence.objects.exists() and _files_under(roots.XIETONG_PRIVATE_ROOT) == []
    assert _files_under(roots.MEDIA_ROOT) == []
    page = client_for(world.sh_provider_user).post(
        f"/vouchers/redemptions/{done.pk}/claim/",
        {"invoice": SimpleUploadedFile("发票.pdf", vf.PDF), "note": "\x00"},
    )
    assert page.status_code == 400 and "输入中含有不可见字符（NUL）" in page.content.decode()
    assert not Evidence.objects.exists() and _files_under(roots.XIETONG_PRIVATE_ROOT) == []


def test_the_data_migration_moves_public_evidence_into_private_storage(world, claimed, roots):
    # given evidence stored the old way: public, under a predictable name
    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    migration = importlib.import_module("xietong.vouchers.migrations.0003_private_files")

    evidence = Evidence.objects.get(redemption=claimed, kind="contract")
    old = default_storage.save(f"vouchers/evidence/{claimed.pk}/contract.pdf", ContentFile(vf.PDF))
    Evidence.objects.filter(pk=evidence.pk).update(file=old)
    # when
    migration.evidence_to_private(apps, None)
    # then
    evidence.refresh_from_db()
    assert not default_storage.exists(old) and _files_under(roots.MEDIA_ROOT) == []
    assert evidence.file.name.startswith("vouchers/evidence/") and evidence.file.name != old
    assert (Path(roots.XIETONG_PRIVATE_ROOT) / evidence.file.name).read_bytes() == vf.PDF
