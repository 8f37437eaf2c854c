"""The printable flyer of a site: its client link as a QR code, one line in each of the
thirteen client languages and the site's name, on an A4 page as PNG or PDF.

Pillow draws it; with libraqm (in Pillow's wheels; `PIL.features.check("raqm")`) it
shapes Arabic script and lays it out right to left, as a browser would. Fonts: Debian's
fonts-noto-core (Noto Sans for Latin and Cyrillic script, Noto Naskh Arabic for Arabic,
Dari, Farsi, Pashto and Sorani, whose ێ ۆ ڵ ڕ it has). The QR code takes the room the
lines leave. The PDF holds the page as one 1-bit image (crisp QR modules and letters when
printed) with the site's name as its title.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, features

from bot.i18n import SUPPORTED_LOCALES, Catalogs

#: A4 at 200 dpi.
DPI = 200
WIDTH, HEIGHT = 1654, 2339
MARGIN = 120
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/local/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
)
LATIN, LATIN_BOLD = "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"
ARABIC = "NotoNaskhArabic-Regular.ttf"
#: raqm's language tags (BCP 47): they pick the script's local letter forms.
RAQM_LANGUAGE = {"ar": "ar", "fa_AF": "fa-AF", "ps": "ps", "fa": "fa", "ckb": "ckb"}
#: The QR code's side at most, and the room between the language lines.
QR_MAX, LINE_GAP = 1000, 30


class FlyerFontMissingError(RuntimeError):
    """The Noto fonts are not installed (Debian: apt-get install fonts-noto-core)."""


@dataclass(frozen=True)
class FlyerLine:
    locale: str
    text: str
    rtl: bool


@dataclass(frozen=True)
class Flyer:
    site_name: str
    link: str
    lines: tuple[FlyerLine, ...]


def flyer_lines(catalogs: Catalogs) -> tuple[FlyerLine, ...]:
    """The invitation in each client language, each from its own catalog."""
    lines = []
    for locale in SUPPORTED_LOCALES:
        t = catalogs.translator(locale)
        # TRANSLATORS: the one line on the printed flyer under the QR code, in each of the
        # client languages; clients scan the code with their phone and chat with Lotse.
        text = t.p_("flyer", "Scan the code and talk to your case manager in your language")
        lines.append(FlyerLine(locale, str(text), t.is_rtl))
    return tuple(lines)


def _font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise FlyerFontMissingError(f"font {name} not found (install fonts-noto-core)")


@lru_cache(maxsize=32)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(_font_path(name)), size, layout_engine=layout)


@dataclass(frozen=True)
class _Script:
    font: str
    size: int
    direction: str | None = None
    language: str | None = None


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, script: _Script
) -> tuple[ImageFont.FreeTypeFont, tuple[float, float, float, float]]:
    """The font at its size, smaller until `text` fits between the margins."""
    size = script.size
    while True:
        font = _font(script.font, size)
        box = draw.textbbox(
            (0, 0), text, font=font, direction=script.direction, language=script.language
        )
        if box[2] - box[0] <= WIDTH - 2 * MARGIN or size <= 20:
            return font, box
        size -= 4


def _centered(draw: ImageDraw.ImageDraw, top: int, text: str, script: _Script) -> int:
    """Draw `text` centred below `top`; the y below it."""
    font, box = _fitted(draw, text, script)
    x = (WIDTH - (box[2] - box[0])) / 2 - box[0]
    draw.text(
        (x, top - box[1]),
        text,
        font=font,
        fill=0,
        direction=script.direction,
        language=script.language,
    )
    return int(top + (box[3] - box[1]))


def qr_matrix(link: str) -> list[list[bool]]:
    """The QR code's modules (True: dark), without the quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(link)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def render(flyer: Flyer) -> Image.Image:
    """The page, 8-bit grey."""
    return layout(flyer)[0]


def _height(draw: ImageDraw.ImageDraw, text: str, script: _Script) -> int:
    box = _fitted(draw, text, script)[1]
    return int(box[3] - box[1])


def _line_script(line: FlyerLine) -> _Script:
    if line.rtl and features.check("raqm"):
        return _Script(ARABIC, 46, "rtl", RAQM_LANGUAGE.get(line.locale, "ar"))
    if line.rtl:  # no libraqm: unshaped, but not refused
        return _Script(ARABIC, 46)
    return _Script(LATIN, 42)


def layout(flyer: Flyer) -> tuple[Image.Image, dict[str, tuple[int, int]]]:
    """The page and where each language's line is on it (locale: top, bottom)."""
    bands: dict[str, tuple[int, int]] = {}
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(page)
    y = _centered(draw, MARGIN, flyer.site_name, _Script(LATIN_BOLD, 96)) + 70
    below = _height(draw, flyer.link, _Script(LATIN, 34)) + 50
    below += sum(_height(draw, line.text, _line_script(line)) + LINE_GAP for line in flyer.lines)
    room = HEIGHT - MARGIN - y - 40 - below
    matrix = qr_matrix(flyer.link)
    module = max(1, min(QR_MAX, room)) // len(matrix)
    side = module * len(matrix)
    left = (WIDTH - side) // 2
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                x0, y0 = left + column * module, y + row * module
                draw.rectangle((x0, y0, x0 + module - 1, y0 + module - 1), fill=0)
    y += side + 40
    y = _centered(draw, y, flyer.link, _Script(LATIN, 34)) + 50
    for line in flyer.lines:
        top = y
        y = _centered(draw, y, line.text, _line_script(line))
        bands[line.locale] = (top, y)
        y += LINE_GAP
    return page, bands


@lru_cache(maxsize=16)
def flyer_png(flyer: Flyer) -> bytes:
    buffer = io.BytesIO()
    render(flyer).save(buffer, "PNG", optimize=False, dpi=(DPI, DPI))
    return buffer.getvalue()


@lru_cache(maxsize=16)
def flyer_pdf(flyer: Flyer) -> bytes:
    bilevel = render(flyer).point(lambda value: 255 if value >= 140 else 0).convert("1")
    buffer = io.BytesIO()
    bilevel.save(buffer, "PDF", resolution=float(DPI), title=flyer.site_name, author="Lotse")
    return buffer.getvalue()
