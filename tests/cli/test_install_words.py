"""The installer's sentences (``desktop.cli.install_words``): install.sh asks the bundled
program for them, so that installing speaks the organiser's language."""

from __future__ import annotations

import io

import pytest

from desktop.cli.install_words import say, sentence
from desktop.core.language import speaking

KEYS = ("installed", "not-on-path", "to-remove", "uninstalled", "unknown-option")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_sentence_of_the_installer_is_translated(lang: str) -> None:
    for key in KEYS:
        with speaking("en"):
            english = sentence(key, "/home/u/.local/bin")
        with speaking(lang):
            translated = sentence(key, "/home/u/.local/bin")
        assert english and translated and translated != english, key
        if key not in ("uninstalled",):
            assert "/home/u/.local/bin" in translated, key


def test_say_prints_in_the_interface_language_and_refuses_an_unknown_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFERENCE_DESK_UI_LANGUAGE", "ru")
    out = io.StringIO()
    assert say(["installed", "/x/conference-desk"], out) == 0
    with speaking("ru"):
        assert out.getvalue() == sentence("installed", "/x/conference-desk") + "\n"
    assert "/x/conference-desk" in out.getvalue() and "installed" not in out.getvalue()
    assert say(["no-such-sentence"], io.StringIO()) == 2
