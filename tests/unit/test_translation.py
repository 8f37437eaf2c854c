"""The translation service: providers per language, timeouts, a full pool, the cache."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bot.translation import CODES, DeepTranslator, Outcome, TranslationService, parse_translator


class Fake:
    def __init__(self, name: str = "fake", *, delay: float = 0, fail: bool = False) -> None:
        self.name = name
        self.delay = delay
        self.fail = fail
        self.calls: list[tuple[str, str, str]] = []
        self.release = threading.Event()

    def supports(self, locale: str) -> bool:
        return locale != "ti"

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        if self.delay:
            self.release.wait(self.delay)
        if self.fail:
            raise RuntimeError("provider down")
        return f"[{target}] {text}"


async def test_translates_and_keeps_rtl_and_emoji() -> None:
    service = TranslationService({"*": Fake()})
    result = await service.translate("سلام 👋 کجا هستید؟", "fa_AF", "de")
    assert result.ok and result.text == "[de] سلام 👋 کجا هستید؟" and result.provider == "fake"
    assert (await service.translate("Hallo", "de", "de")).outcome is Outcome.SAME
    assert (await service.translate("Hallo", "de", "ti")).outcome is Outcome.UNSUPPORTED


async def test_off_when_no_provider() -> None:
    assert (await TranslationService({}).translate("Hallo", "de", "ar")).outcome is Outcome.OFF


async def test_per_language_provider() -> None:
    dari, rest = Fake("microsoft"), Fake("libre")
    service = TranslationService({"fa_AF": dari, "*": rest})
    await service.translate("Hallo", "de", "fa_AF")
    await service.translate("سلام", "fa_AF", "de")
    await service.translate("Hallo", "de", "ar")
    assert len(dari.calls) == 2 and len(rest.calls) == 1


async def test_a_failing_or_hanging_provider_gives_the_original_back_fast() -> None:
    assert (
        await TranslationService({"*": Fake(fail=True)}).translate("x", "de", "ar")
    ).outcome is Outcome.FAILED
    hanging = Fake(delay=30)
    service = TranslationService({"*": hanging}, timeout=0.2, workers=1)
    started = time.monotonic()
    result = await service.translate("x", "de", "ar")
    assert result.outcome is Outcome.TIMEOUT and time.monotonic() - started < 1
    # The hanging call still holds the only worker: the next one is not queued.
    started = time.monotonic()
    assert (await service.translate("y", "de", "ar")).outcome is Outcome.BUSY
    assert time.monotonic() - started < 0.1
    hanging.release.set()
    await asyncio.sleep(0.1)
    hanging.delay = 0
    assert (await service.translate("z", "de", "ar")).ok
    service.close()


async def test_only_cacheable_texts_are_cached() -> None:
    fake = Fake()
    service = TranslationService({"*": fake})
    await service.translate("Deutschkurs", "de", "ar", cacheable=True)
    await service.translate("Deutschkurs", "de", "ar", cacheable=True)
    assert len(fake.calls) == 1
    await service.translate("Ich habe Angst", "de", "ar")
    await service.translate("Ich habe Angst", "de", "ar")
    assert len(fake.calls) == 3


def test_parse_translator_and_codes() -> None:
    assert parse_translator("off") == {}
    providers = parse_translator("fa_AF=microsoft,ps=google,*=libre")
    assert {k: p.name for k, p in providers.items()} == {
        "fa_AF": "microsoft",
        "ps": "google",
        "*": "libre",
    }
    assert providers["fa_AF"].supports("fa_AF") and CODES["microsoft"]["fa_AF"] == "prs"
    assert not DeepTranslator("deepl").supports("ps")
    with pytest.raises(ValueError):
        parse_translator("yandex")
