"""Machine translation: a port, the providers of deep-translator behind it, and a
service that never lets a message wait or get lost.

deep-translator calls block and have no timeout of their own, so each call runs in
a bounded thread pool under a deadline. When every worker is busy the message is
not queued: it goes out untranslated, with a note. Only offer texts (public
catalog data) may be cached; what clients and case managers write never is.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.ports.metrics import NO_METRICS, Metrics

log = logging.getLogger("lotse.translation")

PROVIDERS = ("google", "mymemory", "microsoft", "deepl", "libre")

#: Our locales (and languages clients may write) to each provider's codes, as
#: deep-translator accepts them (a test checks every one offline; Microsoft's list is
#: fetched online). A language a provider lacks is left out: such texts go out
#: untranslated, with a note. Serbian is our Latin-script catalog: Microsoft and
#: MyMemory name the script; Google's `sr` answers in Cyrillic, which is transliterated
#: (`serbian_latin`). Sorani is Microsoft's `ku` (Central Kurdish), Kurmanji its `kmr`.
#: deep-translator's DeepL knows Turkish alone of the new ones, its LibreTranslate none.
CODES: dict[str, dict[str, str]] = {
    "google": {
        "de": "de", "en": "en", "fr": "fr", "ar": "ar", "fa_AF": "fa", "ps": "ps",
        "fa": "fa", "ckb": "ckb", "ku": "ku", "kmr": "ku", "tr": "tr", "sq": "sq",
        "sr": "sr", "mk": "mk", "ti": "ti", "ru": "ru",
    },
    "microsoft": {
        "de": "de", "en": "en", "fr": "fr", "ar": "ar", "fa_AF": "prs", "ps": "ps",
        "fa": "fa", "ckb": "ku", "ku": "kmr", "kmr": "kmr", "tr": "tr", "sq": "sq",
        "sr": "sr-Latn", "mk": "mk", "ti": "ti", "ru": "ru",
    },
    "mymemory": {
        "de": "de-DE", "en": "en-GB", "fr": "fr-FR", "ar": "ar-SA", "fa_AF": "prs-AF",
        "ps": "ps-PK", "fa": "fa-IR", "ckb": "ckb-IQ", "ku": "kmr-TR", "kmr": "kmr-TR",
        "tr": "tr-TR", "sq": "sq-AL", "sr": "sr-Latn-RS", "mk": "mk-MK",
    },
    "deepl": {"de": "de", "en": "en", "fr": "fr", "tr": "tr", "ru": "ru"},
    "libre": {"de": "de", "en": "en", "fr": "fr", "ar": "ar", "tr": "tr", "ru": "ru"},
}  # fmt: skip


#: Serbian Cyrillic to Latin (Gaj's alphabet, one letter for one; љ њ џ are two).
_SERBIAN_LATIN = str.maketrans(
    dict(
        zip(
            "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
            "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
            strict=True,
        )
    )
    | {"љ": "lj", "њ": "nj", "џ": "dž", "Љ": "Lj", "Њ": "Nj", "Џ": "Dž"}
)


def serbian_latin(text: str) -> str:
    """Serbian as our catalog writes it, whichever script a provider answered in."""
    return text.translate(_SERBIAN_LATIN)


class Outcome(StrEnum):
    DONE = "done"
    SAME = "same"  # same language: nothing to do
    OFF = "off"  # translation switched off
    UNSUPPORTED = "unsupported"  # the provider lacks one of the languages
    FAILED = "failed"
    TIMEOUT = "timeout"
    BUSY = "busy"  # every worker busy: not queued


@dataclass(frozen=True)
class Translation:
    outcome: Outcome
    text: str | None = None
    provider: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE and bool(self.text)


class MachineTranslator(Protocol):
    """One provider. `translate` blocks; it is only ever called in a worker thread."""

    name: str

    def supports(self, locale: str) -> bool: ...
    def translate(self, text: str, source: str, target: str) -> str: ...


class DeepTranslator:
    """A deep-translator provider, with our locale codes mapped to its own."""

    def __init__(self, name: str, *, api_key: str | None = None, url: str | None = None) -> None:
        if name not in PROVIDERS:
            raise ValueError(name)
        self.name = name
        self._api_key = api_key
        self._url = url

    def supports(self, locale: str) -> bool:
        return locale in CODES[self.name]

    def translate(self, text: str, source: str, target: str) -> str:
        import deep_translator  # only where translation is switched on

        codes = CODES[self.name]
        src, dst = codes[source], codes[target]
        if self.name == "google":
            engine = deep_translator.GoogleTranslator(source=src, target=dst)
        elif self.name == "mymemory":
            engine = deep_translator.MyMemoryTranslator(source=src, target=dst)
        elif self.name == "microsoft":
            engine = deep_translator.MicrosoftTranslator(
                source=src, target=dst, api_key=self._api_key
            )
        elif self.name == "deepl":
            engine = deep_translator.DeeplTranslator(
                source=src, target=dst, api_key=self._api_key, use_free_api=True
            )
        else:
            engine = deep_translator.LibreTranslator(
                source=src, target=dst, api_key=self._api_key, custom_url=self._url
            )
        result = str(engine.translate(text))
        return serbian_latin(result) if target == "sr" else result


class TranslationService:
    """Chooses the provider per language, bounds the work, and falls back."""

    def __init__(
        self,
        providers: dict[str, MachineTranslator],
        *,
        timeout: float = 4.0,
        workers: int = 4,
        cache_size: int = 500,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self._providers = providers
        self.metrics = metrics
        self._timeout = timeout
        self._workers = workers
        self._busy = 0
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="translate")
        self._cache: OrderedDict[tuple[str, str, str, str], str] = OrderedDict()
        self._cache_size = cache_size

    @property
    def enabled(self) -> bool:
        return bool(self._providers)

    def provider_names(self) -> list[str]:
        return sorted({p.name for p in self._providers.values()})

    def provider_for(self, source: str, target: str) -> MachineTranslator | None:
        """The provider named for the non-German side (the client's language), else '*'."""
        for locale in (target, source):
            if locale in self._providers:
                return self._providers[locale]
        return self._providers.get("*")

    def can_translate(self, source: str, target: str) -> bool:
        """Would a text go from `source` to `target` through a provider (it may still fail)?"""
        if source == target:
            return False
        provider = self.provider_for(source, target)
        return provider is not None and provider.supports(source) and provider.supports(target)

    async def translate(
        self, text: str, source: str, target: str, *, cacheable: bool = False
    ) -> Translation:
        result = await self._translate(text, source, target, cacheable=cacheable)
        if result.outcome not in (Outcome.SAME, Outcome.OFF):
            self.metrics.translation(result.outcome.value)  # a call for a provider
        return result

    async def _translate(
        self, text: str, source: str, target: str, *, cacheable: bool
    ) -> Translation:
        if source == target or not text.strip():
            return Translation(Outcome.SAME)
        provider = self.provider_for(source, target)
        if provider is None:
            return Translation(Outcome.OFF)
        if not (provider.supports(source) and provider.supports(target)):
            return Translation(Outcome.UNSUPPORTED, provider=provider.name)
        key = (provider.name, source, target, text)
        if cacheable and key in self._cache:
            self._cache.move_to_end(key)
            return Translation(Outcome.DONE, self._cache[key], provider.name)
        if self._busy >= self._workers:
            log.warning("translation skipped: all workers busy", extra={"provider": provider.name})
            return Translation(Outcome.BUSY, provider=provider.name)
        self._busy += 1
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, provider.translate, text, source, target)
        # The worker stays counted until its thread really ends, even after a timeout:
        # a hanging provider must not pile up threads.
        future.add_done_callback(self._release)
        try:
            result = await asyncio.wait_for(asyncio.shield(future), self._timeout)
        except TimeoutError:
            log.warning("translation timed out", extra={"provider": provider.name})
            return Translation(Outcome.TIMEOUT, provider=provider.name)
        except Exception as exc:  # noqa: BLE001 - any provider error: deliver the original
            log.warning(
                "translation failed", extra={"provider": provider.name, "error": type(exc).__name__}
            )
            return Translation(Outcome.FAILED, provider=provider.name)
        if not result or not result.strip():
            return Translation(Outcome.FAILED, provider=provider.name)
        if cacheable:
            self._cache[key] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return Translation(Outcome.DONE, result, provider.name)

    def _release(self, _future: object) -> None:
        self._busy -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def parse_translator(
    value: str,
    *,
    api_key: str | None = None,
    url: str | None = None,
    factory: Callable[..., MachineTranslator] = DeepTranslator,
) -> dict[str, MachineTranslator]:
    """`off`, `google`, or per language `fa_AF=microsoft,ps=google,*=libre`."""
    value = value.strip()
    if value in ("", "off"):
        return {}
    providers: dict[str, MachineTranslator] = {}
    made: dict[str, MachineTranslator] = {}
    for part in value.split(","):
        locale, _, name = part.strip().rpartition("=")
        locale, name = (locale.strip() or "*"), name.strip()
        if name == "off":
            continue
        if name not in PROVIDERS:
            raise ValueError(
                f"unknown provider {name!r}; expected off or one of {', '.join(PROVIDERS)}"
            )
        if name not in made:
            made[name] = factory(name, api_key=api_key, url=url)
        providers[locale] = made[name]
    return providers
