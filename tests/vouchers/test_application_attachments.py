"""Attachments on applications: the enterprise attaches PDF/JPG/PNG files when applying (checked by content,
private storage under generated names), the review page lists them beside the firm's history, and only who may
see the application downloads them; a bad file refuses the whole application and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.files import png_bytes, png_with_html
from tests.vouchers import factories as vf
from xietong.core.models import AuditEvent
from xietong.vouchers.models import Application, ApplicationAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    return settings


def _files(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def _apply(world, programme, *files, user=None):
    return client_for(user or world.firm_user).post(
        f"/vouchers/programmes/{programme.pk}/apply/",
        {"enterprise": world.firm.pk, "amount": "5000", "purpose": "委托检测", "files": list(files)},
    )


def test_attached_when_applying_shown_to_the_reviewer_and_downloaded_only_by_who_sees_it(
    world, tongdui, roots
):
    response = _apply(
        world,
        tongdui,
        SimpleUploadedFile("营业执照.pdf", vf.PDF, content_type="application/pdf"),
        SimpleUploadedFile("报价单.png", png_bytes(), content_type="image/png"),
    )
    assert response.status_code == 302
    app = Application.objects.get()
    stored = list(app.attachments.order_by("id"))
    assert [a.original_name for a in stored] == ["营业执照.pdf", "报价单.png"]
    on_disk = _files(roots.XIETONG_PRIVATE_ROOT)
    assert len(on_disk) == 2 and not any("营业执照" in p.name for p in on_disk)  # generated names
    assert _files(roots.MEDIA_ROOT) == []
    page = client_for(world.jx_bureau).get(f"/vouchers/applications/{app.pk}/").content.decode()
    assert "营业执照.pdf" in page and "报价单.png" in page and 'id="enterprise-history"' in page
    url = f"/vouchers/applications/{app.pk}/attachments/{stored[0].pk}/"
    download = client_for(world.jx_bureau).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(verb="voucher.attachment_read").count() == 1
    for outsider in (world.sh_bureau, world.other_firm_user, world.sh_provider_user):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(world.firm_user).get(url).status_code == 200
    api = client_for(world.yrd_office).get(
        f"/api/v1/vouchers/applications/{app.pk}/attachments/{stored[1].pk}"
    )
    assert api.status_code == 200


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("说明.html", b"<html><script>alert(1)</script></html>", "类型不支持"),
        ("照片.png", b"%PDF-1.4 a pdf named .png", "内容与扩展名不符"),
        ("执照.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
        ("空.pdf", b"", "为空文件"),
    ],
)
def test_a_bad_file_refuses_the_application_and_writes_nothing(world, tongdui, roots, name, content, message):
    response = _apply(
        world,
        tongdui,
        SimpleUploadedFile("营业执照.pdf", vf.PDF, content_type="application/pdf"),
        SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()
    assert _files(roots.XIETONG_PRIVATE_ROOT) == []


def test_an_image_is_stored_re_encoded_without_what_follows_its_pixels(world, tongdui, roots):
    assert (
        _apply(
            world, tongdui, SimpleUploadedFile("图.png", png_with_html(), content_type="image/png")
        ).status_code
        == 302
    )
    (stored,) = _files(roots.XIETONG_PRIVATE_ROOT)
    assert b"<script" not in stored.read_bytes()


def test_too_big_and_too_many_are_refused(world, tongdui, roots):
    roots.XIETONG_VOUCHER_EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("大.pdf", vf.PDF + b"0" * 2048, content_type="application/pdf")
    assert _apply(world, tongdui, big).status_code == 400
    many = [SimpleUploadedFile(f"{i}.pdf", vf.PDF, content_type="application/pdf") for i in range(6)]
    assert _apply(world, tongdui, *many).status_code == 400
    assert not Application.objects.exists() and _files(roots.XIETONG_PRIVATE_ROOT) == []


def test_api_adds_attachments_while_waiting_only(world, tongdui, roots):
    assert _apply(world, tongdui).status_code == 302  # no attachment is fine
    app = Application.objects.get()
    url = f"/api/v1/vouchers/applications/{app.pk}/attachments"
    added = client_for(world.firm_user).post(
        url, {"files": [SimpleUploadedFile("补充.pdf", vf.PDF, content_type="application/pdf")]}
    )
    assert added.status_code == 201 and [a["name"] for a in added.json()["attachments"]] == ["补充.pdf"]
    bureau = client_for(world.jx_bureau).post(
        url, {"files": [SimpleUploadedFile("x.pdf", vf.PDF, content_type="application/pdf")]}
    )
    assert bureau.status_code == 403
    client_for(world.jx_bureau).post(f"/vouchers/applications/{app.pk}/decide/", {"decision": "approve"})
    late = client_for(world.firm_user).post(
        url, {"files": [SimpleUploadedFile("迟.pdf", vf.PDF, content_type="application/pdf")]}
    )
    assert late.status_code == 409 and app.attachments.count() == 1
