"""The booking code as a QR code, on the confirmation page: the kiosk's
scanner reads it and types the code, so nobody needs to type it."""

import segno
from django.utils.safestring import SafeString, mark_safe


def booking_code_svg(*, code: str) -> SafeString:
    """An inline SVG QR code of `code` (letters and digits only, so the SVG
    holds nothing a page could misread)."""
    if not code.isalnum():
        raise ValueError("A booking code has letters and digits only.")
    picture = segno.make_qr(code, error="m").svg_inline(scale=5, border=4, omitsize=False)
    return mark_safe(picture)  # noqa: S308 - made here from letters and digits
