"""QR codes of our own links (rating links, binding codes), as SVG for pages and PNG for chat apps."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(url: str) -> bytes:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(buffer, format="PNG")  # type: ignore[call-arg]  # stubs say PyPNG; with Pillow it is a PilImage
    return buffer.getvalue()
