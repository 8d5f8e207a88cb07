"""The one upload check in core: type by content, active names refused, images re-encoded, bombs refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.files import HTML_PAYLOAD, jpeg_bytes, png_bytes, png_with_html
from xietong.core.errors import Invalid
from xietong.core.uploads import check_upload, display_name, type_for_name

MB = 1024 * 1024


def _check(name: str, content: bytes, kinds=("jpg", "png"), max_bytes=5 * MB):
    return check_upload(SimpleUploadedFile(name, content), kinds=kinds, max_bytes=max_bytes, label="图片")


def test_the_type_comes_from_the_bytes_not_the_name():
    checked = _check("photo.png", jpeg_bytes())
    assert (checked.type.kind, checked.type.extension, checked.type.content_type) == (
        "jpg",
        ".jpg",
        "image/jpeg",
    )
    assert checked.original_name == "photo.png"


def test_trailing_html_is_dropped_and_metadata_goes_with_it():
    source = Image.new("RGB", (4, 4), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010E] = "GPS 31.2304N 121.4737E"  # ImageDescription
    buffer = io.BytesIO()
    source.save(buffer, format="JPEG", exif=exif)
    checked = _check("a.jpg", buffer.getvalue() + HTML_PAYLOAD)
    stored = checked.content.read()
    assert HTML_PAYLOAD not in stored and b"GPS 31.2304N" not in stored
    assert Image.open(io.BytesIO(stored)).size == (4, 4)
    assert HTML_PAYLOAD not in _check("a.png", png_with_html()).content.read()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.png", b"", "图片为空文件"),
        ("a.png", png_bytes() + b"0" * (5 * MB), "图片过大（上限 5 MB）"),
        ("a.svg", png_bytes(), "图片类型不正确，仅支持 JPG、PNG"),
        ("a.html", png_bytes(), "图片类型不正确，仅支持 JPG、PNG"),
        ("a.png", b"%PDF-1.4 a document", "图片类型不正确，仅支持 JPG、PNG"),
        ("a.png", b"GIF89a\x01\x00\x01\x00", "图片类型不正确，仅支持 JPG、PNG"),
        ("a.png", b"\x89PNG\r\n\x1a\n<html>", "图片不是有效的 PNG 图片，无法读取"),
        ("a.jpg", b"\xff\xd8\xff<script>", "图片不是有效的 JPG 图片，无法读取"),
    ],
)
def test_refusals_are_chinese_400s(name, content, message):
    with pytest.raises(Invalid) as refused:
        _check(name, content)
    assert refused.value.message == message and refused.value.status == 400


def test_a_decompression_bomb_is_refused_before_decoding():
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 0, 0, 0, 0)  # 2.5 G pixels declared in 100 bytes
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(Invalid, match="图片尺寸过大"):
        _check("bomb.png", bomb)


def test_a_pdf_is_kept_as_sent():
    pdf = b"%PDF-1.7\n%%EOF\n"
    checked = _check("报告.PDF", pdf, kinds=("pdf",))
    assert checked.type.kind == "pdf" and checked.content.read() == pdf and checked.size == len(pdf)


def test_names_for_display_and_for_serving():
    assert display_name(SimpleUploadedFile("..\\..\\dir/发票\x00.pdf", b"x")) == "发票.pdf"
    assert type_for_name("x/abc.jpeg").kind == "jpg" and type_for_name("x/abc.html") is None
