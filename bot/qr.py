"""QR codes as PNG bytes (for deep links shown on a phone or printed)."""

from __future__ import annotations

import io

import qrcode
from qrcode.image.pure import PyPNGImage


def qr_png(text: str, *, box_size: int = 8) -> bytes:
    image = qrcode.make(text, image_factory=PyPNGImage, box_size=box_size, border=3)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
