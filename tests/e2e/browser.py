"""The browser tests' one way to Chromium (Debian's, never a downloaded one).

`needs_chromium` skips a test on a developer's machine without Chromium; under CI (CI set,
and .ci/run installs Debian's chromium) the test runs and `chromium()` FAILS it with a
clear message when the browser is missing, so a broken CI image cannot pass by skipping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser, Locator, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def skip_reason(env: Mapping[str, str], executable: str = CHROMIUM) -> str | None:
    """Why a browser test is skipped here, or None when it must run (Chromium is there,
    or this is CI, where a missing browser is a failure, not a skip)."""
    if Path(executable).exists() or env.get("CI"):
        return None
    return "Debian's chromium is not installed (outside CI only)"


_REASON = skip_reason(os.environ)
needs_chromium = pytest.mark.skipif(_REASON is not None, reason=_REASON or "")


@asynccontextmanager
async def chromium(executable: str = CHROMIUM) -> AsyncIterator[Browser]:
    """A headless Chromium for one test; fails the test when the browser is missing."""
    if not os.path.exists(executable):  # noqa: ASYNC240 - a cheap stat, once per test
        pytest.fail(f"Chromium is missing at {executable} (CI must install Debian's chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            await browser.close()


async def image_loaded(image: Locator, *, timeout: float = 10) -> int:
    """The image's natural width once it has loaded (0 if it never does). Polled from
    Python: wait_for_function evaluates a string, which the console's CSP refuses."""
    for _ in range(int(timeout * 10)):
        width = int(await image.evaluate("img => img.complete ? img.naturalWidth : 0"))
        if width:
            return width
        await asyncio.sleep(0.1)
    return 0


async def page_width(page: Page) -> int:
    """How wide the document is: more than the viewport means a horizontal scroll."""
    return int(await page.evaluate("document.documentElement.scrollWidth"))
