"""Stored files: public and private storage, generated names, writes tied to the transaction, safe responses.

- Public media (resource photos) lives in the default storage under MEDIA_ROOT and may be served by nginx.
- Private files (voucher evidence, order reports) live in the "private" storage under
  XIETONG_PRIVATE_ROOT, which has no URL: they leave the server only through a view that asked the policy,
  by `private_file_response` (streamed, or handed to nginx by X-Accel-Redirect / X-Sendfile).
- Names are generated (uuid4 + the extension of the detected type); the uploader's name stays in the
  database for display and as the download's filename.
- A file is written inside `files.atomic()` by `store`: if the block fails (a service error, a database
  error), every file it wrote is deleted, so a refused request leaves nothing on disk.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from xietong.core.errors import Invalid, NotFound
from xietong.core.uploads import CheckedUpload, check_upload, type_for_name

log = logging.getLogger(__name__)

SENDFILE_MODES = ("", "x-accel-redirect", "x-sendfile")
#: Sent with every stored file: a document opened by accident renders nothing active from our origin.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


class PrivateStorage(FileSystemStorage):
    """Files with no URL at all, under XIETONG_PRIVATE_ROOT (outside MEDIA_ROOT and its public mount)."""

    def __init__(self, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.XIETONG_PRIVATE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "XIETONG_PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view that asks the policy")


def private_storage() -> Storage:
    """The storage of private files (a callable, so FileFields follow settings changes and migrations stay stable)."""
    return storages["private"]


def public_storage() -> Storage:
    return default_storage


def generated_name(folder: str, checked: CheckedUpload) -> str:
    """`folder/<uuid4 hex><extension of the detected type>`: unguessable, and never the uploader's name."""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{checked.type.extension}"


# ---------------------------------------------------------------- writes tied to the transaction

_frames = threading.local()


@contextlib.contextmanager
def atomic():
    """`transaction.atomic()` that also owns the files `store` writes inside it: they are deleted if it fails.

    Nested blocks hand their files to the enclosing one, so a failure further out removes them too. A plain
    `transaction.atomic()` around this block cannot report its rollback; services are the outermost
    transaction, so that case does not arise in the platform's own code paths.
    """
    stack = _frames.__dict__.setdefault("stack", [])
    written: list[tuple[Storage, str]] = []
    stack.append(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        stack.pop()
        for storage, name in written:
            delete_quietly(storage, name)
        raise
    stack.pop()
    if stack:
        stack[-1].extend(written)


def store(storage: Storage, name: str, checked: CheckedUpload) -> str:
    """Write the checked content under `name`; only inside `files.atomic()`, which removes it on failure."""
    stack = getattr(_frames, "stack", None)
    if not stack:
        raise RuntimeError("files.store must run inside files.atomic()")
    checked.content.seek(0)
    stored = storage.save(name, checked.content)
    stack[-1].append((storage, stored))
    return stored


def delete_on_commit(storage: Storage, name: str) -> None:
    """Remove a replaced or deleted file once the change is committed (a rollback keeps it)."""
    if name:
        transaction.on_commit(lambda: delete_quietly(storage, name))


def delete_quietly(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # pragma: no cover - a file already gone or a read-only disk must not mask the real error
        log.warning("could not delete stored file %s", name, exc_info=True)


# ---------------------------------------------------------------- responses


def field_file_response(file, *, filename: str) -> HttpResponse:
    """`private_file_response` for a model's FileField value: served from the storage the field names."""
    return private_file_response(storage=file.storage, name=file.name, filename=filename)


def private_file_response(*, storage: Storage, name: str, filename: str) -> HttpResponse:
    """The stored file as a download, in the serving mode XIETONG_PRIVATE_SENDFILE names.

    The caller has asked the policy. "x-accel-redirect" hands the file to nginx's `internal` location at
    XIETONG_PRIVATE_ACCEL_PREFIX (the process never reads it); "x-sendfile" gives Apache/lighttpd its path;
    "" streams it from Python. The Content-Type comes from the stored name, which the platform generated
    from the detected type; documents are attachments, images inline, both with nosniff and a sandbox CSP.
    """
    found = type_for_name(name)
    if not name or found is None or not _exists(storage, name):
        raise NotFound(_("文件不存在"))
    mode = getattr(settings, "XIETONG_PRIVATE_SENDFILE", "")
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=found.content_type)
        response["X-Accel-Redirect"] = settings.XIETONG_PRIVATE_ACCEL_PREFIX.rstrip("/") + "/" + quote(name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=found.content_type)
        response["X-Sendfile"] = storage.path(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(
        not found.is_image, download_name(filename, name)
    )
    response["Cache-Control"] = "private, no-store"
    return protect(response)


def download_name(filename: str, stored_name: str) -> str:
    """The uploader's name for the download, ending in the extension of the type actually stored."""
    found = type_for_name(stored_name)
    base = (filename or "").strip() or stored_name.rsplit("/", 1)[-1]
    if found and type_for_name(base) is not found:
        base += found.extension
    return base


def public_media_response(name: str) -> HttpResponse:
    """A public stored file (a resource photo) served by Django where no proxy serves MEDIA_URL.

    Only names of an allowed type are answered, with the type the name stands for; anything else is a 404.
    """
    storage = public_storage()
    found = type_for_name(name)
    if found is None or not _exists(storage, name):
        raise NotFound(_("文件不存在"))
    response = FileResponse(storage.open(name, "rb"), content_type=found.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return protect(response)


def _exists(storage: Storage, name: str) -> bool:
    try:
        return storage.exists(name)
    except SuspiciousFileOperation:  # "../" and absolute paths answer like a missing file
        return False


def protect(response: HttpResponse) -> HttpResponse:
    """Headers every stored file is sent with, whoever serves it: no sniffing, no script, no embedding elsewhere."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# ---------------------------------------------------------------- files stored before this scheme


def relocate(
    *, source: Storage, target: Storage, name: str, folder: str, kinds: tuple[str, ...]
) -> str | None:
    """Move a file stored the old way (the uploader's name, public) to `target` under a generated name.

    The content is checked again as a new upload would be (images re-encoded). Returns the new name, the
    old one if the file is missing (nothing to move), or None if the content is refused: the file is then
    deleted, and the caller drops its row. Used by the data migrations of resources and vouchers.
    """
    if not name or not _exists(source, name):
        return name
    try:
        with source.open(name, "rb") as handle:
            checked = check_upload(File(handle, name=name), kinds=kinds, max_bytes=1 << 40, label="文件")
            new_name = target.save(generated_name(folder, checked), checked.content)
    except Invalid:
        delete_quietly(source, name)
        return None
    delete_quietly(source, name)
    return new_name
