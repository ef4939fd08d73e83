"""Texts in several languages: choosing one, falling back, and people's names.

People's names, in one place for every face (lists, tables, exports, printed papers):

* ``full_name`` — the name in a sentence or on a programme: "Alexey Krutikov",
  "Алексей Крутиков" (given name first in every language);
* ``listed_name`` — the name as lists, tables, exports and official papers write it in a
  language: surname first with the patronymic in Russian and Kazakh ("Крутиков Алексей
  Сергеевич", so that two people with the same given name and surname are told apart),
  given name first in English ("Alexey Krutikov");
* ``name_in_form`` — either, as an event chose for its badges and name cards
  (``db.models.NameForm``);
* ``name_parts`` — (family, given, patronymic) as a list sorts them
  (``desktop.core.collation.name_key`` makes the sort key of them).

A display name in the wanted language (the name as written in another script, "Yerzhan
Zhienbayev") wins over the name fields in every form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from db.enums import LANGUAGES, NameForm
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


SURNAME_FIRST: frozenset[str] = frozenset({"ru", "kk"})
"""The languages whose lists and official papers write "Surname Given Patronymic"."""


def surname_first(lang: str) -> bool:
    """Whether ``lang`` writes and asks a name surname first (lists, papers, forms)."""
    return lang in SURNAME_FIRST


def _display(display: Mapping[str, str] | None, lang: str) -> str:
    return " ".join(((display or {}).get(lang) or "").split())


def listed_name(
    given: str | None,
    family: str | None,
    patronymic: str | None = None,
    display: Mapping[str, str] | None = None,
    lang: str = "en",
) -> str:
    """A person's name as lists, tables, exports and official papers write it in ``lang``:
    "Крутиков Алексей Сергеевич" in Russian and Kazakh, "Alexey Krutikov" in English; the
    display name in ``lang`` when there is one."""
    shown = _display(display, lang)
    if shown:
        return shown
    if lang in SURNAME_FIRST:
        return sort_name(given, family, patronymic)
    return full_name(given, family, None, None, lang)


def sheet_name(
    given: str | None,
    family: str | None,
    patronymic: str | None = None,
    display: Mapping[str, str] | None = None,
    lang: str = "en",
) -> str:
    """A person's name as a spreadsheet's Name column writes it, so that sorting the column
    sorts by surname: as :func:`listed_name` where the language lists surname first, and
    "Krutikov, Alexey" in English (the display name in ``lang`` when there is one)."""
    if lang in SURNAME_FIRST or _display(display, lang):
        return listed_name(given, family, patronymic, display, lang)
    family, given = " ".join((family or "").split()), " ".join((given or "").split())
    if family and given:  # the patronymic is not written in English, as in listed_name
        return f"{family}, {given}"
    return listed_name(given, family, patronymic, display, lang)


def name_in_form(
    form: NameForm | str,
    given: str | None,
    family: str | None,
    patronymic: str | None = None,
    display: Mapping[str, str] | None = None,
    lang: str = "en",
) -> str:
    """The name in ``form`` (an event's choice for badges and name cards): ``short``, given
    name and surname ("Алексей Крутиков"); ``full``, as ``listed_name``."""
    if NameForm(form) is NameForm.FULL:
        return listed_name(given, family, patronymic, display, lang)
    return full_name(given, family, None, display, lang)


def name_parts(
    given: str | None,
    family: str | None,
    patronymic: str | None = None,
    display: Mapping[str, str] | None = None,
    lang: str = "en",
) -> tuple[str, str, str]:
    """(family, given, patronymic) of the name shown in ``lang``, in the order a list by
    surname compares them. From a display name in ``lang``: its last word is the family
    name, the words before it the given name (a display name is written given name
    first). A person with only a given name is listed by it, as if it were a surname."""
    shown = _display(display, lang)
    if shown:
        words = shown.split(" ")
        return words[-1], " ".join(words[:-1]), ""
    family_ = (family or "").strip()
    given_ = (given or "").strip()
    patronymic_ = (patronymic or "").strip()
    if not family_:
        return given_, "", patronymic_
    return family_, given_, patronymic_
