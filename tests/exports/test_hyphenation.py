"""Long words are broken at their hyphens, then between syllables, never inside one."""

from __future__ import annotations

import pytest

from desktop.exports.fonts import BOLD, REGULAR, register_fonts
from desktop.exports.hyphenation import hyphen_points, longest_word_width, wrap_hyphenated
from desktop.exports.print_common import string_width


@pytest.fixture(scope="module", autouse=True)
def fonts() -> None:
    register_fonts()


def syllables(word: str) -> str:
    points = (0, *hyphen_points(word), len(word))
    return "·".join(word[a:b] for a, b in zip(points, points[1:]))


@pytest.mark.parametrize(("word", "expected"), [
    ("Әбдіқадырқызы", "Әб·ді·қа·дыр·қы·зы"),  # Kazakh: no pyphen dictionary, the syllable rules
    ("Гүлназ", "Гүл·наз"),
    ("Дүйсенбекова-Сатпаева", "Дүй·сен·бе·ко·ва-Сат·па·е·ва"),
    ("Крутиков", "Кру·ти·ков"),  # Russian patterns
    ("Министерство", "Ми·ни·стер·ство"),
    # Latin: only where English and German patterns agree (a break right in both languages)
    ("Hohenzollern", "Ho·hen·zollern"),
    ("Administration", "Ad·minis·tra·tion"),
])
def test_syllables(word: str, expected: str) -> None:
    assert syllables(word) == expected


def test_short_words_and_ends_keep_two_letters() -> None:
    for word in ("Ан", "Ирина", "Ақан", "Otto", "Әбдіқадырқызы", "Sigmaringen"):
        for p in hyphen_points(word):
            assert 2 <= p <= len(word) - 2, (word, p)


NAMES = [
    "Дүйсенбекова-Сатпаева Гүлназ Әбдіқадырқызы",
    "Freiherr von Hohenzollern-Sigmaringen",
    "Министерство иностранных дел Республики Казахстан",
    "Қазақстан Республикасының Жоғарғы Сотының жанындағы Сот төрелігі академиясы",
]


@pytest.mark.parametrize("text", NAMES)
@pytest.mark.parametrize("width", [55, 70, 90, 140, 400])
def test_lines_fit_and_break_only_where_allowed(text: str, width: float) -> None:
    lines = wrap_hyphenated(text, BOLD, 10, width)
    assert all(string_width(line, BOLD, 10) <= width for line in lines), lines
    # Read back against the text: a line ends at a space, at the word's own hyphen, or with
    # a hyphen added at one of the word's syllable points.
    pos = 0
    for line in lines:
        if text.startswith(" ", pos):
            pos += 1
        if text.startswith(line, pos):
            pos += len(line)
            continue
        assert line.endswith("-") and text.startswith(line[:-1], pos), (line, text[pos:])
        pos += len(line) - 1
        word_start = text.rfind(" ", 0, pos) + 1
        word = text[word_start:].split()[0]
        assert pos - word_start in hyphen_points(word), (line, word)
    assert pos == len(text)


def test_hyphen_of_the_name_first() -> None:
    # Room for "Дүйсенбекова-Сат-" but the name's own hyphen is where it breaks.
    width = string_width("Дүйсенбекова-Сат-", BOLD, 10) + 1
    assert wrap_hyphenated("Дүйсенбекова-Сатпаева", BOLD, 10, width) == ["Дүйсенбекова-", "Сатпаева"]


def test_a_line_filled_before_a_long_word_is_broken() -> None:
    width = string_width("Гүлназ Әбді-", REGULAR, 10) + 0.5
    assert wrap_hyphenated("Гүлназ Әбдіқадырқызы", REGULAR, 10, width) == ["Гүлназ Әбді-", "қадырқызы"]


def test_longest_word_width_is_the_widest_unbreakable_piece() -> None:
    text = "Дүйсенбекова-Сатпаева Гүлназ"
    narrowest = longest_word_width(text, BOLD, 10)
    assert narrowest < string_width("Сатпаева", BOLD, 10)
    lines = wrap_hyphenated(text, BOLD, 10, narrowest)
    assert all(string_width(line, BOLD, 10) <= narrowest + 1e-6 for line in lines)
    assert all(len(line.rstrip("-")) >= 2 for line in lines)


# -- no-break spaces ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["пятница, 28 февраля 2025\u202fг.", "Всего: 10\u00a0000 человек, 46\u00a0%"])
@pytest.mark.parametrize("width", [400.0, 100.0, 60.0, 45.0])
def test_a_line_never_breaks_at_a_no_break_space_and_keeps_it(text: str, width: float) -> None:
    """A date's "2025\u202fг." and a number's "10\u00a0000" stay on one line with their own space
    (they were rejoined with a plain one, wrapped or not); the other spaces break as before."""
    from desktop.exports.print_common import ellipsize, fit_lines, wrap

    lines = wrap_hyphenated(text, REGULAR, 9, width)
    glued = [w for w in text.split(" ") if "\u202f" in w or "\u00a0" in w]
    for word in glued:
        core = word.rstrip(",.%")
        assert any(core in line for line in lines), (word, lines)
    if len(lines) == 1:
        assert lines == [text]
    assert all(string_width(line, REGULAR, 9) <= width + 0.01 for line in lines)
    assert wrap(text, REGULAR, 9, width) == lines
    _size, fitted = fit_lines(text, REGULAR, 9, 6, width, max_lines=4)
    assert all(any(w.rstrip(",.%") in line for line in fitted) for w in glued), fitted
    assert "\u202f" in ellipsize("28 февраля 2025\u202fг. и ещё много слов", REGULAR, 9, 400)


def test_the_rest_of_a_word_breaks_where_the_whole_word_may() -> None:
    # "меджанов" alone looks Russian to the rules ("ме-джа-нов"); in "Мұхамеджанов" the
    # syllables are "мед-жа-нов". Each line of a narrow column keeps the whole word's breaks.
    word = "Мұхамеджанов"
    for width in (30, 40, 50, 60):
        lines = wrap_hyphenated(word, BOLD, 10, width)
        pos = 0
        for line in lines[:-1]:
            pos += len(line.rstrip("-"))
            assert pos in hyphen_points(word), (width, lines)


def test_pyphen_does_not_remember_every_word_of_a_long_list(monkeypatch) -> None:
    """pyphen keeps its answer for every word it is asked: on badges for 100,000 people,
    every surname (issue 13). What it keeps stays bounded, and a word asked again after
    it was let go breaks the same."""
    import pyphen  # type: ignore[import-untyped]

    from desktop.exports import hyphenation

    monkeypatch.setattr(hyphenation, "_PYPHEN_REMEMBERS", 50)
    first = {word: hyphenation._syllable_points(word) for word in ("Hohenzollern", "Министерство")}
    for n in range(400):  # words no cache of ours has seen: each goes to pyphen
        hyphenation._syllable_points(f"Administration{n}")
        hyphenation._syllable_points(f"Министерство{n}")
    sizes = {path.stem: len(hd.cache) for path, hd in pyphen.hdcache.items()}
    assert {"hyph_en_US", "hyph_de_DE", "hyph_ru_RU"} <= sizes.keys(), sizes
    assert max(sizes.values()) <= 51, sizes
    assert {word: hyphenation._syllable_points(word) for word in first} == first
