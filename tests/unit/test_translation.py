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


def _engine(provider: str, source: str, target: str) -> object:
    """deep-translator's engine for two of its codes, built as DeepTranslator builds it
    (offline: only Microsoft fetches its language list when built, and is left out)."""
    import deep_translator

    if provider == "google":
        return deep_translator.GoogleTranslator(source=source, target=target)
    if provider == "mymemory":
        return deep_translator.MyMemoryTranslator(source=source, target=target)
    if provider == "deepl":
        return deep_translator.DeeplTranslator(
            source=source, target=target, api_key="k", use_free_api=True
        )
    return deep_translator.LibreTranslator(
        source=source, target=target, api_key="k", custom_url="http://127.0.0.1:9"
    )


@pytest.mark.parametrize(
    ("provider", "locale"),
    [(p, loc) for p, codes in CODES.items() if p != "microsoft" for loc in codes],
)
def test_every_code_is_one_deep_translator_takes(provider: str, locale: str) -> None:
    """A code the library refuses would fail every message at run time (issue 24: the
    seven new languages; MyMemory wanted prs-AF, not fa-AF)."""
    other = "en" if locale == "de" else "de"
    _engine(provider, CODES[provider][locale], CODES[provider][other])


def test_the_new_languages_per_provider() -> None:
    google, microsoft = CODES["google"], CODES["microsoft"]
    assert {loc: google[loc] for loc in ("fa", "ckb", "ku", "tr", "sq", "sr", "mk")} == {
        "fa": "fa", "ckb": "ckb", "ku": "ku", "tr": "tr", "sq": "sq", "sr": "sr", "mk": "mk",
    }  # fmt: skip
    # Microsoft: Dari and Farsi apart, Sorani is its "ku", Kurmanji its "kmr".
    assert (microsoft["fa_AF"], microsoft["fa"]) == ("prs", "fa")
    assert (microsoft["ckb"], microsoft["ku"], microsoft["sr"]) == ("ku", "kmr", "sr-Latn")
    assert DeepTranslator("deepl").supports("tr")
    for locale in ("fa", "ckb", "ku", "sq", "sr", "mk"):
        assert not DeepTranslator("deepl").supports(locale), locale


def test_serbian_is_given_out_in_latin_script(monkeypatch: pytest.MonkeyPatch) -> None:
    import deep_translator

    class Cyrillic:
        def __init__(self, **codes: str) -> None:
            assert codes == {"source": "de", "target": "sr"}

        def translate(self, text: str) -> str:
            return "Љубазно, Ђорђе: ваш термин је у среду."

    monkeypatch.setattr(deep_translator, "GoogleTranslator", Cyrillic)
    text = DeepTranslator("google").translate("Hallo", "de", "sr")
    assert text == "Ljubazno, Đorđe: vaš termin je u sredu."
