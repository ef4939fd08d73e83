"""Countries by name: the one rule for writing a stored ISO 3166 code ("KZ") as a country's
name in a language ("Kazakhstan", "Казахстан", "Қазақстан"), for every face — the country
box of the person and organisation dialogs, the participation report, the Excel export's
participation sheet.

Names are CLDR's, through Babel (the territories of the language's locale), looked up once
per locale; a code CLDR does not know is printed as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from desktop.core import formats
from desktop.core.language import interface_language, words


def country_name(code: str | None, lang: str | None = None) -> str:
    """The name of the country ``code`` in ``lang`` (else the interface language); the
    code itself when CLDR has no name for it; "Country not given" without a code."""
    if not code:
        return words(lang or interface_language()).p_("report", "Country not given")
    return _territories(formats.locale_of(lang)).get(code.upper(), code)


@cache
def _territories(locale: str) -> Mapping[str, str]:
    from babel import Locale

    return dict(Locale.parse(locale).territories)


__all__ = ["country_name"]
