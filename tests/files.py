"""Real files for upload tests: tiny images Pillow can decode, and the polyglots an attacker would send."""

from __future__ import annotations

import io

from PIL import Image

HTML_PAYLOAD = b"<html><body><script>document.title='pwned';window.pwned=1;</script></body></html>"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 6), colour=(31, 111, 235)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def png_bytes(**kwargs) -> bytes:
    return image_bytes("PNG", **kwargs)


def jpeg_bytes(**kwargs) -> bytes:
    return image_bytes("JPEG", **kwargs)


def png_with_html() -> bytes:
    """A valid PNG followed by an HTML document: an image to Pillow, a page to a browser told it is text/html."""
    return png_bytes() + HTML_PAYLOAD
