"""Upload checks by size and by the file's first bytes (never by its name alone)."""

from __future__ import annotations

from xietong.core.errors import Invalid

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}


def check_upload(upload, *, kinds: tuple[str, ...], max_bytes: int, label: str) -> str:
    """The detected kind of `upload`, or Invalid with a Chinese message (wrong type, empty or too big)."""
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise Invalid(f"{label}为空文件", field="file")
    if size > max_bytes:
        raise Invalid(f"{label}过大（上限 {max_bytes // 1024 // 1024} MB）", field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if any(head.startswith(sig) for sig in SIGNATURES[kind]):
            return kind
    allowed = "、".join(k.upper() for k in kinds)
    raise Invalid(f"{label}类型不正确，仅支持 {allowed}", field="file")
