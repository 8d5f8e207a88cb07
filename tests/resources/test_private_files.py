"""Resource photos are public but re-encoded under generated names; order reports are private and served
only to the two parties; a request that fails after storing leaves no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.factories import actor, member
from tests.files import HTML_PAYLOAD, jpeg_bytes, png_bytes, png_with_html
from tests.resources.factories import at, next_weekday
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.resources import services
from xietong.resources.models import ResourcePhoto, ServiceOrder

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _files_under(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def _photo_post(user, resource, name: str, content: bytes, content_type: str = "image/png"):
    return client_for(user).post(
        f"/api/v1/resources/{resource.pk}/photos", {"file": SimpleUploadedFile(name, content, content_type)}
    )


# ---------------------------------------------------------------- photos (public)


@pytest.mark.parametrize("name", ["poc.html", "poc.svg", "poc.xhtml", "poc.js", "poc.png.html", "POC.HTM"])
def test_a_photo_with_an_active_name_is_refused_whatever_its_bytes(provider, instrument, settings, name):
    response = _photo_post(provider["admin"], instrument, name, png_with_html(), "text/html")
    assert response.status_code == 400
    assert response.json()["message"] == "图片类型不正确，仅支持 JPG、PNG"
    assert not ResourcePhoto.objects.exists() and _files_under(settings.MEDIA_ROOT) == []


def test_a_photo_is_re_encoded_under_a_generated_name(provider, instrument, settings):
    # given a real PNG with an HTML document after its last chunk, named by the uploader
    response = _photo_post(provider["admin"], instrument, "../../我的 照片.png", png_with_html())
    # then it is stored as resources/photos/<uuid>.png, pixels only
    assert response.status_code == 201
    photo = ResourcePhoto.objects.get()
    folder, name = photo.file.name.rsplit("/", 1)
    assert folder == "resources/photos" and len(name) == 36 and name.endswith(".png")
    stored = (Path(settings.MEDIA_ROOT) / photo.file.name).read_bytes()
    assert stored.startswith(b"\x89PNG\r\n\x1a\n") and HTML_PAYLOAD not in stored and b"<script" not in stored
    assert response.json()["url"] == f"/media/{photo.file.name}"
    served = client_for().get(response.json()["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]


def test_a_jpeg_keeps_the_extension_of_its_detected_type(provider, instrument, settings):
    response = _photo_post(provider["admin"], instrument, "photo.png", jpeg_bytes(), "image/png")
    assert response.status_code == 201
    photo = ResourcePhoto.objects.get()
    assert photo.file.name.endswith(".jpg")
    assert (Path(settings.MEDIA_ROOT) / photo.file.name).read_bytes().startswith(b"\xff\xd8\xff")


def test_a_png_signature_over_garbage_is_not_an_image(provider, instrument, settings):
    response = _photo_post(provider["admin"], instrument, "a.png", b"\x89PNG\r\n\x1a\n" + HTML_PAYLOAD)
    assert response.status_code == 400 and response.json()["message"] == "图片不是有效的 PNG 图片，无法读取"
    assert not ResourcePhoto.objects.exists() and _files_under(settings.MEDIA_ROOT) == []


def test_a_photo_whose_request_fails_after_storing_leaves_no_file(
    provider, instrument, settings, monkeypatch
):
    from xietong.core import audit

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.photo_add(
            actor=actor(provider["admin"]),
            resource_id=instrument.pk,
            upload=SimpleUploadedFile("a.png", png_bytes()),
        )
    assert not ResourcePhoto.objects.exists() and _files_under(settings.MEDIA_ROOT) == []


def test_a_nul_in_the_photo_form_is_refused_and_nothing_is_stored(provider, instrument, settings):
    response = client_for(provider["admin"]).post(
        f"/resources/{instrument.pk}/photos/",
        {"action": "upload", "file": SimpleUploadedFile("a.png", png_bytes()), "caption": "外观\x00"},
    )
    assert response.status_code == 400
    assert response.content.decode() == "输入中含有不可见字符（NUL），请删除后重试"
    assert not ResourcePhoto.objects.exists() and _files_under(settings.MEDIA_ROOT) == []


def test_the_media_view_answers_only_allowed_types_inside_media_root(settings, tmp_path):
    (Path(settings.MEDIA_ROOT) / "resources").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "resources" / "x.html").write_bytes(HTML_PAYLOAD)
    (tmp_path / "secret.png").write_bytes(png_bytes())
    assert client_for().get("/media/resources/x.html").status_code == 404
    assert client_for().get("/media/../secret.png").status_code == 404
    assert client_for().get("/media/%2e%2e/secret.png").status_code == 404


# ---------------------------------------------------------------- order reports (private)


@pytest.fixture
def reported(provider, customer, instrument, settings):
    staff = actor(provider["staff"])
    day = next_weekday(1)
    order = services.order_book(
        actor=actor(customer["admin"]),
        resource_id=instrument.pk,
        starts_at=at(day, "10:00"),
        ends_at=at(day, "12:00"),
    )
    services.order_confirm(actor=staff, order_id=order.pk)
    services.order_start(actor=staff, order_id=order.pk, early_reason="客户提前送达样品")
    upload = SimpleUploadedFile("检测报告.pdf", PDF, content_type="application/pdf")
    services.order_upload_report(actor=staff, order_id=order.pk, upload=upload)
    return ServiceOrder.objects.get(pk=order.pk)


def test_a_report_is_private_under_a_generated_name(reported, settings):
    folder, name = reported.report.name.rsplit("/", 1)
    assert folder == "resources/reports" and len(name) == 36 and name.endswith(".pdf")
    assert reported.number not in name and reported.report_name == "检测报告.pdf"
    assert _files_under(settings.MEDIA_ROOT) == []
    assert (Path(settings.XIETONG_PRIVATE_ROOT) / reported.report.name).read_bytes() == PDF
    assert client_for().get(f"/media/{reported.report.name}").status_code == 404


def test_the_parties_download_the_report_as_an_attachment(reported, provider, customer):
    for user in (customer["admin"], provider["staff"]):
        for url in (
            f"/resources/orders/{reported.pk}/report/",
            f"/api/v1/resources/orders/{reported.pk}/report",
        ):
            response = client_for(user).get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"].startswith("attachment;")
            assert b"".join(response.streaming_content) == PDF


def test_a_reader_of_the_order_who_may_not_download_gets_a_404(reported):
    # the 上海 bureau reads orders of its region's providers, but not their reports
    bureau = member(Role.REGION_BUREAU, region_id="310000")
    assert client_for(bureau).get(f"/resources/orders/{reported.pk}/").status_code == 200
    assert client_for(bureau).get(f"/resources/orders/{reported.pk}/report/").status_code == 404
    assert client_for(bureau).get(f"/api/v1/resources/orders/{reported.pk}/report").status_code == 404


def test_the_report_in_x_accel_redirect_mode(reported, customer, settings):
    settings.XIETONG_PRIVATE_SENDFILE = "x-accel-redirect"
    response = client_for(customer["admin"]).get(f"/resources/orders/{reported.pk}/report/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{reported.report.name}"
    assert response["Content-Type"] == "application/pdf"


def test_a_replaced_report_removes_the_old_file_once_committed(
    reported, provider, settings, django_capture_on_commit_callbacks
):
    old = reported.report.name
    with django_capture_on_commit_callbacks(execute=True):
        services.order_upload_report(
            actor=actor(provider["staff"]),
            order_id=reported.pk,
            upload=SimpleUploadedFile("v2.png", png_bytes(), content_type="image/png"),
        )
    new = ServiceOrder.objects.get(pk=reported.pk).report.name
    assert new.endswith(".png") and new != old
    assert _files_under(settings.XIETONG_PRIVATE_ROOT) == [Path(settings.XIETONG_PRIVATE_ROOT) / new]
    assert AuditEvent.objects.filter(verb="order.report_uploaded").count() == 2


def test_the_data_migration_moves_reports_and_drops_html_photos(reported, instrument, settings):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    migration = importlib.import_module("xietong.resources.migrations.0004_private_files")
    # given files stored the old way: a public report and two photos under the uploader's names
    report = default_storage.save(f"resources/reports/2026/01/{reported.number}.pdf", ContentFile(PDF))
    ServiceOrder.objects.filter(pk=reported.pk).update(report=report)
    good = ResourcePhoto.objects.create(
        resource=instrument,
        file=default_storage.save("resources/photos/2026/01/1-a.png", ContentFile(png_bytes())),
    )
    bad = ResourcePhoto.objects.create(
        resource=instrument,
        file=default_storage.save("resources/photos/2026/01/1-poc.html", ContentFile(png_with_html())),
    )
    # when
    migration.files_to_new_scheme(apps, None)
    # then
    order, photo = ServiceOrder.objects.get(pk=reported.pk), ResourcePhoto.objects.get()
    assert photo.pk == good.pk and not ResourcePhoto.objects.filter(pk=bad.pk).exists()
    assert photo.file.name.startswith("resources/photos/") and photo.file.name.endswith(".png")
    assert _files_under(settings.MEDIA_ROOT) == [Path(settings.MEDIA_ROOT) / photo.file.name]
    assert (Path(settings.XIETONG_PRIVATE_ROOT) / order.report.name).read_bytes() == PDF


def test_the_admin_shows_an_order_with_a_private_report(reported):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="ops", is_staff=True, is_superuser=True)
    response = client_for(admin_user).get(f"/admin/resources/serviceorder/{reported.pk}/change/")
    assert response.status_code == 200 and reported.report.name not in response.content.decode()
