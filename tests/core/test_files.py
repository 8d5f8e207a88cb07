"""Files written through core.files are removed when the transaction that wrote them fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files import png_bytes
from xietong.core import files
from xietong.core.errors import NotFound
from xietong.core.models import AuditEvent
from xietong.core.uploads import check_upload

pytestmark = pytest.mark.django_db


def _checked():
    upload = SimpleUploadedFile("a.png", png_bytes())
    return check_upload(upload, kinds=("png",), max_bytes=1 << 20, label="图片")


def _create_event():
    AuditEvent.objects.create(actor_label="t", verb="t.x", target_type="t", target_id="1", data={})


def test_a_failed_block_deletes_its_files_and_nested_blocks_hand_theirs_up(settings, tmp_path):
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    storage = files.private_storage()
    with pytest.raises(RuntimeError), files.atomic():
        kept_until_failure = files.store(storage, "t/outer.png", _checked())
        with files.atomic():
            inner = files.store(storage, "t/inner.png", _checked())
            _create_event()
        assert storage.exists(inner) and storage.exists(kept_until_failure)
        raise RuntimeError("a later step fails")
    assert not storage.exists(inner) and not storage.exists(kept_until_failure)
    assert not AuditEvent.objects.exists()
    with files.atomic():
        done = files.store(storage, "t/done.png", _checked())
        _create_event()
    assert storage.exists(done) and (Path(tmp_path) / "private" / done).is_file()


def test_store_outside_a_files_block_is_a_programming_error(settings, tmp_path):
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    with pytest.raises(RuntimeError, match=r"files\.atomic"):
        files.store(files.private_storage(), "t/x.png", _checked())
    assert not (tmp_path / "private").exists()


def test_private_storage_has_no_url_and_stays_out_of_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    with pytest.raises(ValueError):
        files.private_storage().url("x.pdf")
    assert Path(files.private_storage().path("a/b.pdf")) == tmp_path / "private" / "a" / "b.pdf"


def test_a_missing_or_unknown_file_is_a_404(settings, tmp_path):
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
    for name in ("", "x/missing.pdf", "x/evil.html", "../../etc/passwd.pdf"):
        with pytest.raises(NotFound):
            files.private_file_response(storage=files.private_storage(), name=name, filename="a.pdf")


def test_the_download_name_ends_in_the_stored_type():
    assert files.download_name("发票", "v/0a.pdf") == "发票.pdf"
    assert files.download_name("发票.html", "v/0a.png") == "发票.html.png"
    assert files.download_name("scan.jpeg", "v/0a.jpg") == "scan.jpeg"
    assert files.download_name("", "v/0a.pdf") == "0a.pdf"
