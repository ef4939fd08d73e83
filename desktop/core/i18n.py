"""Texts in several languages: choosing one, falling back, and people's names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from db.types import LANGUAGES
from desktop.core.language import LANGUAGE_NAMES  # noqa: F401  (each language in its own words; kept there)

# Which language to try next when a text lacks the wanted one.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "en": ("en", "ru", "kk"),
    "ru": ("ru", "kk", "en"),
    "kk": ("kk", "ru", "en"),
}


@dataclass(frozen=True)
class Localised:
    """A text chosen for a language; ``fallback`` is set when another language stood in."""

    text: str
    lang: str | None
    fallback: bool

    def __str__(self) -> str:
        return self.text


def pick(texts: Mapping[str, str] | None, lang: str = "en") -> Localised:
    """The text in ``lang``, else in the nearest other language, flagged; never blank
    unless there is no text at all."""
    texts = texts or {}
    order: Sequence[str] = FALLBACKS.get(lang, (lang, *LANGUAGES))
    for candidate in (*order, *sorted(texts)):
        value = (texts.get(candidate) or "").strip()
        if value:
            return Localised(value, candidate, candidate != lang)
    return Localised("", None, True)


def text(texts: Mapping[str, str] | None, lang: str = "en") -> str:
    """Shorthand for ``pick(...).text``."""
    return pick(texts, lang).text


def missing_languages(texts: Mapping[str, str] | None, wanted: Sequence[str] = LANGUAGES) -> list[str]:
    """The languages of ``wanted`` that have no text."""
    texts = texts or {}
    return [lang for lang in wanted if not (texts.get(lang) or "").strip()]


def full_name(
    given: str | None,
    family: str | None,
    patronymic: str | None = None,
    display: Mapping[str, str] | None = None,
    lang: str = "en",
    *,
    with_patronymic: bool = False,
) -> str:
    """A person's name for print or screen: "Given [Patronymic] Family".

    ``display`` holds the name as written in another script, per language; it wins when it
    has the wanted language (an English programme prints "Yerzhan Zhienbayev").
    """
    if display and (display.get(lang) or "").strip():
        return display[lang].strip()
    parts = [given or ""]
    if with_patronymic and patronymic:
        parts.append(patronymic)
    parts.append(family or "")
    return " ".join(p.strip() for p in parts if p and p.strip())


def sort_name(given: str | None, family: str | None, patronymic: str | None = None) -> str:
    """"Family Given Patronymic", the order of lists sorted by surname."""
    return " ".join(p.strip() for p in (family, given, patronymic) if p and p.strip())
