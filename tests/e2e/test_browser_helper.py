"""The browser tests' gate (tests/e2e/browser.py): skipped on a developer's machine
without Chromium, never under CI, where the launch helper fails the test instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser import chromium, skip_reason


def test_a_missing_chromium_skips_only_outside_ci(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-chromium")
    assert skip_reason({}, missing) is not None
    assert skip_reason({"CI": "true"}, missing) is None
    there = tmp_path / "chromium"
    there.write_text("")
    assert skip_reason({}, str(there)) is None


async def test_under_ci_a_missing_chromium_fails_the_test(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="Chromium is missing"):
        async with chromium(str(tmp_path / "no-chromium")):
            pass
