"""The interface language: every sentence a person reads, in English, Russian or Kazakh.

Sentences live in standard gettext catalogs, one per language
(``resources/translations/<lang>/LC_MESSAGES/conference-desk.po``, compiled to ``.mo`` beside it;
``make catalogs`` extracts, merges and compiles them with Babel). English is the source
language: its catalog is the messages themselves. Plural forms follow each language's
CLDR rule through the catalog's ``Plural-Forms`` (Russian: 1 участник, 2 участника,
5 участников; Kazakh has no plural after a numeral).

Two uses, and so two ways in:

* the interface — the window, core's sentences, the command line's messages — speaks the
  *interface language*, set once per process (``set_interface_language``) and read by
  ``_``, ``n_``, ``p_`` and ``np_``;
* printed and exported pages speak their *content language*, chosen per document:
  ``words(lang)`` gives the catalog of one language (``words("ru").p_("sector", "Media")``).

Messages are marked for extraction with these names; ``N_`` marks a message that is
translated later (a table of words kept at import time, translated when shown). No Qt
here: core and the command line use it as the window does.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
"""The interface languages, in the order the menus offer them."""
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
"""Each language in its own words (how the View menu offers it)."""
DOMAIN = "conference-desk"
ENV_LANGUAGE = "CONFERENCE_DESK_UI_LANGUAGE"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""The environment variables that name the system's language, as gettext reads them."""


def locale_dir() -> Path:
    """Where the catalogs are: ``resources/translations``."""
    from resources import path

    return path("translations")


class Words:
    """The catalog of one language, with the four ways to ask it."""

    def __init__(self, lang: str, catalog: gettext.NullTranslations) -> None:
        self.lang = lang
        self._catalog = catalog

    def _(self, message: str) -> str:
        return self._catalog.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def p_(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def np_(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalog.npgettext(context, singular, plural, n)


@cache
def words(lang: str) -> Words:
    """The catalog of ``lang`` (English, or a language without a catalog: the messages)."""
    catalog: gettext.NullTranslations
    if lang == "en" or lang not in LANGUAGES:
        catalog = gettext.NullTranslations()
    else:
        try:
            catalog = gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[lang])
        except OSError:  # a build without the catalog: English rather than a crash
            catalog = gettext.NullTranslations()
    return Words(lang if lang in LANGUAGES else "en", catalog)


_state = threading.local()
_process_language = "en"


def set_interface_language(lang: str) -> str:
    """Make ``lang`` the interface language of this process (from now on); returns the
    language set (English for one there is no catalog of)."""
    global _process_language
    _process_language = lang if lang in LANGUAGES else "en"
    _state.__dict__.pop("lang", None)
    return _process_language


def interface_language() -> str:
    return getattr(_state, "lang", None) or _process_language


class speaking:
    """``with speaking("ru"): ...`` — the interface language for this thread, for a while
    (tests, and a command that reports in a language of its own)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"

    def __enter__(self) -> str:
        self._before = getattr(_state, "lang", None)
        _state.lang = self.lang
        return self.lang

    def __exit__(self, *_exc: object) -> None:
        _state.lang = self._before


def _(message: str) -> str:
    """``message`` in the interface language."""
    return words(interface_language())._(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n``, in the interface language ("{n} people")."""
    return words(interface_language()).n_(singular, plural, n)


def p_(context: str, message: str) -> str:
    """``message`` in the interface language, told apart by ``context`` ("sector", "Other")."""
    return words(interface_language()).p_(context, message)


def np_(context: str, singular: str, plural: str, n: int) -> str:
    return words(interface_language()).np_(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs without translating it now."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks ``message`` of ``context`` for the catalogs without translating it now (the
    table that keeps it knows its context)."""
    return message


def language_of_locale(value: str | None) -> str:
    """The interface language for a POSIX locale name: ``ru_RU.UTF-8`` → ru,
    ``kk_KZ`` → kk, anything else → en."""
    code = (value or "").strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def known_language(value: object) -> str | None:
    """``value`` as one of ``LANGUAGES`` ("RU " → ru), or None when it is none of them."""
    code = str(value).strip().lower() if isinstance(value, str) else ""
    return code if code in LANGUAGES else None


def choose_interface_language(flag: str | None, environ: Mapping[str, str] | None = None,
                              remembered: object = None, system: str | None = None) -> str:
    """The interface language of a run, by the first of these that names one of ours:
    ``--ui-language`` (``flag``), ``CONFERENCE_DESK_UI_LANGUAGE`` in ``environ``, the
    language the window remembers (``remembered``; the command line has none), and last
    the system's (``system``, else ``system_language(environ)``). A value that is not
    one of ``LANGUAGES`` is passed over, not taken for English."""
    env = os.environ if environ is None else environ
    for value in (flag, env.get(ENV_LANGUAGE), remembered):
        lang = known_language(value)
        if lang is not None:
            return lang
    return known_language(system) or system_language(env)


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The interface language the system asks for (``LC_ALL``, ``LC_MESSAGES``, ``LANG``,
    ``LANGUAGE``, as gettext reads them)."""
    env = os.environ if environ is None else environ
    for key in LOCALE_VARIABLES:
        value = env.get(key, "")
        if value:
            first = value.split(":")[0]
            if first and first not in ("C", "POSIX"):
                return language_of_locale(first)
    return "en"


__all__ = [
    "DOMAIN",
    "ENV_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_VARIABLES",
    "NP_",
    "N_",
    "Words",
    "_",
    "choose_interface_language",
    "interface_language",
    "known_language",
    "language_of_locale",
    "locale_dir",
    "n_",
    "np_",
    "p_",
    "set_interface_language",
    "speaking",
    "system_language",
    "words",
]
