"""The site's printable flyer and the invite's QR code (issue 20): the QR codes read back
as the links, the Arabic-script lines are drawn, the PDF is a PDF of that site."""

from __future__ import annotations

import base64
import io
import re

import zxingcpp
from PIL import Image, ImageChops, PdfParser, features

from bot.domain import StaffRole
from bot.flyer import Flyer, FlyerLine, flyer_lines, layout
from bot.i18n import SUPPORTED_LOCALES, Catalogs
from tests.web.conftest import Browser, ConsoleWorld

COORDINATOR = StaffRole.COORDINATOR
LINK = "https://t.me/lotse_test_bot?start=site-essen"
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


async def _bytes(browser: Browser, path: str) -> tuple[int, str, bytes]:
    async with browser.session.get(browser.server.make_url(path)) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.read()


def _qr_texts(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image)]


def _ink(image: Image.Image, top: int, bottom: int) -> int:
    band = image.crop((0, top, image.width, bottom))
    return sum(band.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


async def test_the_site_page_offers_the_flyer_as_png_and_pdf(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(coordinator)
    page = await browser.get("/console/site")
    for path in ("/console/site/flyer.png", "/console/site/flyer.pdf"):
        assert f'href="{path}"' in page.text
    assert 'src="/console/site/flyer.png"' in page.text

    status, kind, png = await _bytes(browser, "/console/site/flyer.png")
    assert status == 200 and kind == "image/png"
    image = Image.open(io.BytesIO(png))
    assert image.size == (1654, 2339)  # A4 at 200 dpi
    assert _qr_texts(image) == [LINK]
    # Printed and photographed smaller still reads.
    assert _qr_texts(image.convert("L").resize((413, 585))) == [LINK]

    status, kind, pdf = await _bytes(browser, "/console/site/flyer.pdf")
    assert status == 200 and kind == "application/pdf" and pdf.startswith(b"%PDF")
    assert PdfParser.PdfParser(buf=pdf).info.Title == "Essen"  # its title, the site's name


def test_each_language_line_comes_from_its_catalog_and_is_drawn() -> None:
    catalogs = Catalogs()
    lines = flyer_lines(catalogs)
    assert [line.locale for line in lines] == list(SUPPORTED_LOCALES)
    english = next(line.text for line in lines if line.locale == "en")
    assert [line.locale for line in lines if line.text == english] == ["en"]  # all translated
    for line in lines:
        assert (
            bool(ARABIC_LETTER.search(line.text))
            == line.rtl
            == (line.locale in {"ar", "fa_AF", "ps", "fa", "ckb"})
        )
    assert CYRILLIC_LETTER.search(next(line.text for line in lines if line.locale == "mk"))
    assert features.check("raqm"), "Arabic script needs Pillow with libraqm (shaping, RTL)"
    image, bands = layout(Flyer("Essen", LINK, lines))
    for line in lines:
        top, bottom = bands[line.locale]
        assert bottom - top > 30 and _ink(image, top, bottom) > 2000, line.locale
    # Thirteen lines, one below the other, all on the page under a QR code that still reads.
    tops = [bands[line.locale] for line in lines]
    assert all(a[1] <= b[0] for a, b in zip(tops, tops[1:], strict=False))
    assert tops[-1][1] <= image.height - 100
    assert _qr_texts(image.convert("L").resize((413, 585))) == [LINK]


def test_arabic_script_is_shaped_not_drawn_letter_by_letter() -> None:
    """Letters that join (shaped, as a reader expects) look unlike the same letters kept
    apart by zero-width non-joiners; unshaped drawing would give the same picture twice."""
    word = "سلام"

    def drawn(text: str) -> tuple[Image.Image, tuple[int, int]]:
        image, bands = layout(Flyer("Essen", LINK, (FlyerLine("fa_AF", text, True),)))
        return image, bands["fa_AF"]

    (joined, (top, bottom)), (apart, (top2, bottom2)) = drawn(word), drawn("\u200c".join(word))
    assert abs(top - top2) <= 1 and abs(bottom - bottom2) <= 1  # the same line, the same place
    box = (0, min(top, top2), joined.width, max(bottom, bottom2))
    joined, apart = joined.crop(box), apart.crop(box)
    changed = ImageChops.difference(joined, apart).point(lambda v: 255 if v > 64 else 0)
    assert changed.histogram()[255] > 500


async def test_a_case_manager_gets_no_flyer(console: ConsoleWorld) -> None:
    ben = await console.staff(101)
    browser = await console.signed_in(ben)
    status, kind, _ = await _bytes(browser, "/console/site/flyer.png")
    assert status == 403 and kind.startswith("text/html")
    status, _, _ = await _bytes(browser, "/console/site/flyer.pdf")
    assert status == 403
    assert [a for a in await console.audit() if a[0] == "refused.role"] == [
        ("refused.role", ben.id, ben.site_id)
    ] * 2


async def test_the_invitation_shows_its_link_as_a_qr_code(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(coordinator)
    staff_page = await browser.get("/console/staff")
    invited = await browser.post("/console/staff/invite", {"role": "thm", "csrf": staff_page.csrf})
    link = re.search(r'href="(https://t\.me/lotse_test_bot\?start=[^"]+)"', invited.text)
    assert link is not None
    # Inline (data:), so the one-time secret is in no URL a browser fetches or logs.
    source = re.search(
        r'<img class="qr" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', invited.text
    )
    assert source is not None
    image = Image.open(io.BytesIO(base64.b64decode(source.group(1))))
    assert _qr_texts(image) == [link.group(1)]
