"""The printed programme: every item and speaker in order in each language (Kazakh letters
included), two languages side by side, embedded fonts, "Page N of M", wrapping of long
texts inside the page, fallbacks, paper sizes, the version, and the database export."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.engine import Database
from db.models import EventOrganisation, Organisation, PartnerRole
from desktop.core.agenda import load_agenda
from desktop.core.events import EventNotFound
from desktop.exports.programme import (
    BuildCancelled,
    Entry,
    OnStage,
    Programme,
    Sponsor,
    build_programme,
    export_programme,
    format_date,
    format_date_range,
    language_choices,
    load_programme,
    parse_languages,
    role_words,
)
from tests.exports.pdf_tools import Word, page_size, within_margins, words_outside, words_touching_rules
from tests.exports.pdf_tools import words as pdf_words
from tests.images import png

KAZAKH = "ӘҒҚҢӨҰҮҺІ"
PRINTED_ON = dt.date(2025, 2, 20)


def flat(value: str) -> str:
    return " ".join(value.split())


def pdf_text(data: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [flat(page.extract_text() or "") for page in reader.pages]


def build(programme: Programme, lang: str = "en", paper: str = "a4") -> tuple[bytes, int]:
    out = io.BytesIO()
    result = build_programme(programme, out, lang, paper, printed_on=PRINTED_ON)
    return out.getvalue(), result.pages


def assert_in_order(text: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = text.find(flat(needle), at)
        assert found >= 0, f"{needle!r} missing after position {at}"
        at = found + len(flat(needle))


def person(name: dict[str, str], role: str = "speaker", position: dict[str, str] | None = None,
           organisation: dict[str, str] | None = None) -> OnStage:
    return OnStage(role, name, position or {}, organisation or {})


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute)


def sample(*, days: int = 1, titles: dict[str, str] | None = None) -> Programme:
    """A small programme with every Kazakh letter in it."""
    out = []
    for d in range(days):
        day = 3 + d
        out.append((dt.date(2025, 3, day), (
            Entry("registration", {"en": "Registration", "ru": "Регистрация", "kk": "Тіркеу"},
                  at(day, 9), at(day, 9, 30)),
            Entry(None, titles or {"en": "Session on justice", "ru": "Сессия о правосудии",
                                   "kk": "Әділет, ғылым, қоғам, ң, өнер, ұлт, үкімет, һ, ілім туралы сессия"},
                  at(day, 9, 30), at(day, 11), {"en": "Main hall", "ru": "Большой зал", "kk": "Үлкен зал"},
                  people=(person({"en": "Aida Moderova", "ru": "Аида Модерова", "kk": "Аида Модерова"}, "moderator"),),
                  children=(
                      Entry("presentation",
                            {"en": "Courts and data", "ru": "Суды и данные", "kk": "Соттар мен деректер"},
                            at(day, 9, 30), at(day, 10),
                            people=(person({"en": "Ivan Petrov", "ru": "Иван Петров", "kk": "Иван Петров"},
                                           position={"en": "Judge", "ru": "Судья", "kk": "Судья"},
                                           organisation={"en": "Supreme Court", "ru": "Верховный суд",
                                                         "kk": "Жоғарғы Сот"}),)),
                      Entry("panel", {"en": "Panel on ethics", "ru": "Панель об этике", "kk": "Әдеп туралы панель"},
                            at(day, 10), at(day, 11),
                            people=(person({"en": "Ǵalym Sultan", "ru": "Галым Султан", "kk": "Ғалым Сұлтан"}),
                                    person({"en": "Olga Ray", "ru": "Ольга Рай", "kk": "Ольга Рай"}, "discussant"))),
                  ), colour="#3b8a5a"),
            Entry("break", {"en": "Coffee break", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
                  at(day, 11), at(day, 11, 15)),
        )))
    return Programme(
        title={"en": "Justice round table", "ru": "Круглый стол о правосудии", "kk": "Сот төрелігі дөңгелек үстелі"},
        subtitle={"en": "Subtitle here", "ru": "Подзаголовок", "kk": "Тақырыпша"},
        starts_on=dt.date(2025, 3, 3), ends_on=dt.date(2025, 3, 2 + days),
        venue={"en": "Hall", "ru": "Зал", "kk": "Зал"}, city={"en": "Astana", "ru": "Астана", "kk": "Астана"},
        sponsors=(Sponsor("organiser", {"en": "OSCE Office", "ru": "Офис ОБСЕ", "kk": "ЕҚЫҰ офисі"}),
                  Sponsor("funder", {"en": "Kingdom of Norway", "ru": "Королевство Норвегия",
                                     "kk": "Норвегия Корольдігі"})),
        days=tuple(out),
    )


# -- words and choices ------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "28 February 2025"), ("ru", "28 февраля 2025\u202fг."), ("kk", "2025 жылғы 28 ақпан"),
])
def test_dates_are_written_as_each_language_writes_them(lang: str, expected: str) -> None:
    assert format_date(dt.date(2025, 2, 28), lang) == expected


@pytest.mark.parametrize(("start", "end", "lang", "expected"), [
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "en", "3–5 March 2025"),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "ru", "3–5 марта 2025\u202fг."),
    (dt.date(2025, 3, 3), dt.date(2025, 3, 5), "kk", "2025 жылғы 3–5 наурыз"),
    (dt.date(2025, 3, 30), dt.date(2025, 4, 2), "en", "30 March – 2 April 2025"),
    (dt.date(2025, 3, 30), dt.date(2025, 4, 2), "ru", "30 марта – 2 апреля 2025\u202fг."),
    (dt.date(2024, 12, 30), dt.date(2025, 1, 2), "kk", "2024 жылғы 30 желтоқсан – 2025 жылғы 2 қаңтар"),
])
def test_date_ranges(start: dt.date, end: dt.date, lang: str, expected: str) -> None:
    assert format_date_range(start, end, lang) == expected


@pytest.mark.parametrize("spec", ["de", "en+en", "en+ru+kk", "", "en+", "EN-RU"])
def test_an_unknown_language_is_refused_in_one_sentence(spec: str) -> None:
    with pytest.raises(ValueError, match=r"^unknown programme language .*such as en\+ru\.$"):
        parse_languages(spec)
    with pytest.raises(ValueError):
        build_programme(sample(), io.BytesIO(), spec)


def test_language_choices_are_each_language_and_each_pair() -> None:
    choices = language_choices()
    assert choices[:3] == ["en", "ru", "kk"]
    assert {"en+ru", "ru+en", "kk+ru", "ru+kk", "en+kk", "kk+en"} == set(choices[3:])
    assert all(parse_languages(c) for c in choices)


def test_an_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="paper size 'a3'"):
        build_programme(sample(), io.BytesIO(), "en", "a3")


# -- what the page holds --------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_title_and_person_in_order(lang: str) -> None:
    programme = sample()
    data, pages = build(programme, lang)
    text = " ".join(pdf_text(data))
    expected = [programme.title[lang]]
    for _day, entries in programme.days:
        for entry in entries:
            expected.append(entry.title[lang])
            expected += [p.name[lang] for p in entry.people]
            for child in entry.children:
                expected.append(child.title[lang])
                expected += [p.name[lang] for p in child.people]
    assert_in_order(text, expected)
    assert pages >= 1


def test_kazakh_letters_survive_extraction() -> None:
    text = " ".join(pdf_text(build(sample(), "kk")[0]))
    for letter in KAZAKH:
        assert letter in text or letter.lower() in text, letter
    assert "2025 жылғы 3 наурыз" in text


def test_people_lines_name_position_and_organisation() -> None:
    text = " ".join(pdf_text(build(sample(), "ru")[0]))
    assert "Иван Петров, Судья, Верховный суд" in text
    assert "Модератор: Аида Модерова" in text
    assert "Дискуссант: Ольга Рай" in text
    assert "ОРГАНИЗАТОРЫ" in text and "ПРИ ФИНАНСОВОЙ ПОДДЕРЖКЕ" in text


@pytest.mark.parametrize("pair", ["en+ru", "kk+ru", "ru+en"])
def test_two_languages_side_by_side(pair: str) -> None:
    programme = sample()
    first, second = pair.split("+")
    text = " ".join(pdf_text(build(programme, pair)[0]))
    for lang in (first, second):
        for entry in programme.days[0][1]:
            assert flat(entry.title[lang]) in text
            for child in entry.children:
                assert flat(child.title[lang]) in text
                for p in child.people:
                    assert p.name[lang] in text
    # Times are printed once per row, not once per language.
    assert text.count("09:30–10:00") == 1


def test_every_font_is_embedded_and_page_n_of_m() -> None:
    data, pages = build(sample(days=3), "kk+ru")
    reader = PdfReader(io.BytesIO(data))
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, font.get("/BaseFont")
            assert "/FontFile2" in descriptor.get_object(), font.get("/BaseFont")
            assert "DejaVu" in str(font["/BaseFont"])
            fonts += 1
    assert fonts > 0
    texts = pdf_text(data)
    assert len(texts) == pages > 1
    for n, text in enumerate(texts, start=1):
        assert f"{pages} беттің {n}-беті" in text


def test_page_n_of_m_in_english_and_the_version_footer() -> None:
    data, pages = build(sample(days=3), "en")
    texts = pdf_text(data)
    assert f"Page 1 of {pages}" in texts[0]
    assert f"Page {pages} of {pages}" in texts[-1]
    version = sample(days=3).version()
    assert f"Version {version} · printed 20 February 2025" in texts[0]


def test_day_headings_only_when_there_are_several_days() -> None:
    one = " ".join(pdf_text(build(sample(days=1), "en")[0]))
    three = " ".join(pdf_text(build(sample(days=3), "en")[0]))
    assert "Day 1" not in one
    assert_in_order(three, ["Day 1 — Monday, 3 March 2025", "Day 2 — Tuesday, 4 March 2025",
                            "Day 3 — Wednesday, 5 March 2025"])


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_paper_size(paper: str, size: tuple[float, float]) -> None:
    reader = PdfReader(io.BytesIO(build(sample(), "en", paper)[0]))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.05)


def test_a_missing_translation_falls_back_and_nothing_is_blank() -> None:
    base = sample()
    day, entries = base.days[0]
    session = entries[1]
    child = Entry("presentation", {"ru": "Только по-русски"}, at(3, 9, 30), at(3, 10),
                  people=(person({"kk": "Тек Қазақша"}), person({}), person({"en": "  "})))
    untitled = Entry("lunch", {}, at(3, 12), at(3, 13))
    session = Entry(None, session.title, session.starts_at, session.ends_at, session.room, session.people,
                    (child, *session.children[1:]), session.colour)
    programme = Programme(base.title, base.starts_on, base.ends_on, ((day, (entries[0], session, untitled)),),
                          sponsors=(Sponsor("partner", {"kk": "Серіктес"}),))
    text = " ".join(pdf_text(build(programme, "en")[0]))
    assert "Только по-русски" in text
    assert "Тек Қазақша" in text
    assert "Lunch" in text  # an item without a title is called by its kind
    assert "Серіктес" in text
    assert ", ," not in text and " , " not in text


def test_long_titles_and_names_wrap_inside_the_page() -> None:
    import pypdfium2

    long_word = "Верховенство" * 12  # one word far wider than the column
    title = {"en": ("A very long session title that goes on and on about judicial reform " * 8) + long_word}
    entries = []
    for n in range(30):
        entries.append(Entry(None, title, at(3, 9), at(3, 10), colour="#a0522d", people=(
            person({"en": "Moderator " + "Averyverylongsurname" * 6}, "moderator",
                   {"en": "Position " * 20}, {"en": "Organisation " * 20}),),
            children=tuple(Entry("presentation", title, at(3, 9), at(3, 9, 30), people=tuple(
                person({"en": f"Speaker {n}-{k} " + "Longname" * 10}, position={"en": "Chief " * 15},
                       organisation={"en": "Institute " * 15}) for k in range(4))) for _ in range(3))))
    programme = Programme({"en": "Stress " * 40}, dt.date(2025, 3, 3), dt.date(2025, 3, 3),
                          ((dt.date(2025, 3, 3), tuple(entries)),))
    for lang, paper in (("en", "a4"), ("en+ru", "letter")):
        data, pages = build(programme, lang, paper)
        assert pages > 5
        document = pypdfium2.PdfDocument(data)
        try:
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
                for i in range(textpage.count_chars()):
                    left, bottom, right, top = textpage.get_charbox(i)
                    if right - left <= 0:
                        continue
                    assert 40 <= left and right <= width - 40, (index, i, left, right, width)
                    assert 30 <= bottom and top <= height - 30, (index, i, bottom, top)
                textpage.close()
                page.close()
        finally:
            document.close()


def test_a_session_heading_never_ends_a_page() -> None:
    entries = []
    for n in range(40):
        entries.append(Entry(None, {"en": f"Session heading {n:02d} " + "words " * 10}, at(3, 9), at(3, 10),
                             people=(person({"en": f"Mod {n}"}, "moderator"),),
                             children=(Entry("presentation", {"en": f"First item of {n:02d}"}, at(3, 9), at(3, 9, 30),
                                             people=(person({"en": f"Speaker {n}"}),)),
                                       Entry("presentation", {"en": f"Second item of {n:02d}"}, at(3, 9, 30),
                                             at(3, 10)))))
        if n % 3 == 0:
            entries.append(Entry("break", {"en": "Coffee break"}, at(3, 10), at(3, 10, 15)))
    programme = Programme({"en": "Keep together"}, dt.date(2025, 3, 3), dt.date(2025, 3, 3),
                          ((dt.date(2025, 3, 3), tuple(entries)),))
    texts = pdf_text(build(programme, "en")[0])
    assert len(texts) > 3
    for n in range(40):
        heading = f"Session heading {n:02d} " + "words " * 9 + "words"
        pages = [i for i, t in enumerate(texts) if flat(heading) in t]
        # The heading itself is on one page, with the session's first item; a page where
        # the session goes on shows it again, "(continued)", with what follows it.
        first = [i for i in pages if f"{heading} (continued)" not in texts[i]]
        assert len(first) == 1, n
        assert f"First item of {n:02d}" in texts[first[0]], n
        for i in pages:
            if i != first[0]:
                assert i == first[0] + 1, n
                assert texts[i].index(f"{heading} (continued)") < texts[i].index(f"Second item of {n:02d}"), n


def test_logos_are_printed_when_set() -> None:
    base = sample()
    programme = Programme(base.title, base.starts_on, base.ends_on, base.days,
                          sponsors=(Sponsor("organiser", {"en": "With logo"}, png(40, 20)),
                                    Sponsor("organiser", {"en": "Broken logo"}, b"not an image"),
                                    Sponsor("funder", {"en": "No logo"})))
    data, _pages = build(programme, "en")
    reader = PdfReader(io.BytesIO(data))
    images = reader.pages[0].images
    assert len(images) == 1
    text = pdf_text(data)[0]
    assert "With logo" in text and "Broken logo" in text and "No logo" in text


def test_the_version_follows_the_content_not_the_language() -> None:
    one, two = sample(), sample()
    assert one.version() == two.version()
    assert len(one.version()) == 8
    changed = sample(titles={"en": "Another session", "ru": "Другая", "kk": "Басқа"})
    assert changed.version() != one.version()
    out_en, out_ru = io.BytesIO(), io.BytesIO()
    assert (build_programme(one, out_en, "en").version == build_programme(one, out_ru, "ru").version
            == one.version())


# -- from the database ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_demo_programme_holds_its_agenda_in_order(demo: tuple[Database, int], tmp_path: Path, lang: str) -> None:
    database, event_id = demo
    path = tmp_path / f"programme-{lang}.pdf"
    result = export_programme(database, path, event_id, lang, printed_on=PRINTED_ON)
    reader = PdfReader(path)
    assert result.pages == len(reader.pages) > 0
    text = " ".join(pdf_text(path))
    with database.read() as session:
        days = load_agenda(session, event_id, lang)
    expected: list[str] = []
    for entries in days.values():
        for entry in entries:
            expected.append(entry.title[lang])
            if entry.kind is None or entry.kind.value not in ("registration", "break", "lunch"):
                expected += [p.name for p in entry.people]
            for child in entry.children:
                expected.append(child.title[lang])
                expected += [p.name for p in child.people]
    assert_in_order(text, expected)
    assert {"en": "Page 1 of", "ru": "Страница 1 из", "kk": "беттің 1-беті"}[lang] in text
    if lang == "kk":
        assert "2025 жылғы 28 ақпан" in text


def test_the_demo_programme_in_english_and_russian(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    path = tmp_path / "both.pdf"
    export_programme(database, path, event_id, "en+ru", "letter")
    text = " ".join(pdf_text(path))
    assert "Opening of the round table" in text and "Открытие круглого стола" in text
    assert "Organised by".upper() in text and "Организаторы".upper() in text
    assert float(PdfReader(path).pages[0].mediabox.width) == pytest.approx(612)


def test_organisation_logos_from_the_database(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    with database.write() as s:
        org_id = s.scalar(select(EventOrganisation.organisation_id).where(
            EventOrganisation.event_id == event_id, EventOrganisation.role == PartnerRole.ORGANISER))
        org = s.get(Organisation, org_id)
        org.logo, org.logo_mime = png(60, 20), "image/png"
    with database.read() as s:
        programme = load_programme(s, event_id)
    assert any(sp.logo for sp in programme.sponsors)
    path = tmp_path / "logo.pdf"
    export_programme(database, path, event_id, "en")
    assert len(PdfReader(path).pages[0].images) == 1


def test_same_agenda_same_version(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    a = export_programme(database, tmp_path / "a.pdf", event_id, "en")
    b = export_programme(database, tmp_path / "b.pdf", event_id, "kk+ru")
    assert a.version == b.version


def test_failures_leave_no_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValueError):
        export_programme(database, out / "x.pdf", event_id, "de")
    with pytest.raises(EventNotFound):
        export_programme(database, out / "y.pdf", event_id + 99, "en")
    assert list(out.iterdir()) == []


# -- progress and cancel ---------------------------------------------------------------------------


def test_progress_goes_up_to_100_and_cancel_leaves_no_file(demo: tuple[Database, int], tmp_path: Path) -> None:
    database, event_id = demo
    seen: list[tuple[int, int]] = []
    export_programme(database, tmp_path / "done.pdf", event_id, "en+ru",
                     progress=lambda done, total: seen.append((done, total)) or True)
    assert seen[0] == (0, 100) and seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen}), "each percentage once, rising"
    assert len(seen) > 10

    out = tmp_path / "out"
    out.mkdir()
    calls: list[int] = []

    def stop_half_way(done: int, _total: int) -> bool:
        calls.append(done)
        return done < 50

    with pytest.raises(BuildCancelled):
        export_programme(database, out / "cancelled.pdf", event_id, "en", progress=stop_half_way)
    assert calls[-1] >= 50 and max(calls) < 100
    assert list(out.iterdir()) == []  # neither the PDF nor its temporary file


# -- words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "lang", "expected"), [
    ("moderator", "ru", ("Модератор", "Модераторы")),
    ("moderator", "kk", ("Модератор", "Модераторлар")),
    ("speaker", "ru", ("Спикер", "Спикеры")),
    ("speaker", "kk", ("Спикер", "Спикерлер")),
    ("panelist", "ru", ("Участник дискуссии", "Участники дискуссии")),
    ("panelist", "kk", ("Пікірталасқа қатысушы", "Пікірталасқа қатысушылар")),
    ("discussant", "ru", ("Дискуссант", "Дискуссанты")),
    ("discussant", "kk", ("Дискуссант", "Дискуссанттар")),
    ("rapporteur", "ru", ("Докладчик", "Докладчики")),
    ("rapporteur", "kk", ("Баяндамашы", "Баяндамашылар")),
])
def test_role_labels_in_russian_and_kazakh(role: str, lang: str, expected: tuple[str, str]) -> None:
    assert role_words(role, lang) == expected


@pytest.mark.parametrize(("month", "ru", "kk"), [
    (1, "28 января 2025\u202fг.", "2025 жылғы 28 қаңтар"), (2, "28 февраля 2025\u202fг.", "2025 жылғы 28 ақпан"),
    (3, "28 марта 2025\u202fг.", "2025 жылғы 28 наурыз"), (4, "28 апреля 2025\u202fг.", "2025 жылғы 28 сәуір"),
    (5, "28 мая 2025\u202fг.", "2025 жылғы 28 мамыр"), (6, "28 июня 2025\u202fг.", "2025 жылғы 28 маусым"),
    (7, "28 июля 2025\u202fг.", "2025 жылғы 28 шілде"), (8, "28 августа 2025\u202fг.", "2025 жылғы 28 тамыз"),
    (9, "28 сентября 2025\u202fг.", "2025 жылғы 28 қыркүйек"), (10, "28 октября 2025\u202fг.", "2025 жылғы 28 қазан"),
    (11, "28 ноября 2025\u202fг.", "2025 жылғы 28 қараша"), (12, "28 декабря 2025\u202fг.", "2025 жылғы 28 желтоқсан"),
])
def test_every_month_in_russian_genitive_and_in_kazakh(month: int, ru: str, kk: str) -> None:
    day = dt.date(2025, month, 28)
    assert (format_date(day, "ru"), format_date(day, "kk")) == (ru, kk)


# -- issue 11: long text, the weight of an official document, logos by role ---------------------

MM = 72 / 25.4
CONTINUED = {"en": "(continued)", "ru": "(продолжение)", "kk": "(жалғасы)"}
LONG_TITLE = {
    "en": "Strengthening the Independence, Accountability and Transparency of the Judiciary in Central Asia: "
          "Comparative Experience of the OSCE Participating States in the Selection, Appointment, Evaluation "
          "and Disciplinary Liability of Judges, the Publication of Court Decisions and Access to Justice",
    "ru": "Укрепление независимости, подотчётности и прозрачности судебной власти в Центральной Азии: "
          "сравнительный опыт государств — участников ОБСЕ в отборе, назначении, оценке и дисциплинарной "
          "ответственности судей, опубликовании судебных актов и доступе к правосудию",
    "kk": "Орталық Азиядағы сот билігінің тәуелсіздігін, есептілігін және ашықтығын нығайту: ЕҚЫҰ-ға "
          "қатысушы мемлекеттердің судьяларды іріктеу, тағайындау, бағалау және тәртіптік жауапкершілігі "
          "саласындағы салыстырмалы тәжірибесі",
}
LONG_ORG = {"en": "Department for the Coordination of Judicial Training, Continuing Professional Education and "
                  "International Cooperation of the Academy of Justice under the Supreme Court",
            "ru": "Департамент координации подготовки судей, непрерывного профессионального образования и "
                  "международного сотрудничества Академии правосудия при Верховном Суде",
            "kk": "Жоғарғы Сотының жанындағы Сот төрелігі академиясының судьяларды даярлауды, үздіксіз кәсіптік "
                  "білім беруді және халықаралық ынтымақтастықты үйлестіру департаменті"}
LONG_POSITION = {"en": "Deputy Head of the Department for International Cooperation and Legal Support of Judicial "
                       "Reform Programmes",
                 "ru": "Заместитель руководителя отдела международного сотрудничества и правового сопровождения "
                       "программ судебной реформы",
                 "kk": "Сот реформасы бағдарламаларын халықаралық ынтымақтастық және құқықтық сүйемелдеу бөлімі "
                       "басшысының орынбасары"}
GULNAZ = {"en": "Gulnaz Duisenbekova-Satpayeva", "ru": "Гульназ Дуйсенбекова-Сатпаева",
          "kk": "Гүлназ Дүйсенбекова-Сатпаева"}
KARL = {lang: "Karl Friedrich Freiherr von Hohenzollern-Sigmaringen" for lang in ("en", "ru", "kk")}


def long_session(items: int = 14) -> Programme:
    """One day: a session with a title of 330 letters, two long-named moderators and ``items``
    talks by long-named people with long positions and organisations, then a lunch."""
    people = (OnStage("moderator", GULNAZ, LONG_POSITION, LONG_ORG),
              OnStage("moderator", KARL, LONG_POSITION, LONG_ORG, honorific="Prof. Dr."))
    children = tuple(
        Entry("presentation", {lang: f"Part {n + 1} · " + LONG_TITLE[lang][:120] for lang in LONG_TITLE},
              at(3, 9, 0) + dt.timedelta(minutes=20 * n), at(3, 9, 20) + dt.timedelta(minutes=20 * n),
              people=(OnStage("speaker", GULNAZ if n % 2 else KARL, LONG_POSITION, LONG_ORG),
                      OnStage("panelist", KARL if n % 2 else GULNAZ, LONG_POSITION, LONG_ORG)))
        for n in range(items))
    session = Entry(None, LONG_TITLE, at(3, 9), at(3, 14), {"en": "Main hall", "ru": "Большой зал", "kk": "Үлкен зал"},
                    people=people, children=children, colour="#7a1f3d")
    lunch = Entry("lunch", {"en": "Lunch", "ru": "Обед", "kk": "Түскі ас"}, at(3, 14), at(3, 15),
                  {"en": "Foyer", "ru": "Фойе", "kk": "Фойе"})
    return Programme({"en": "Long programme", "ru": "Длинная программа", "kk": "Ұзын бағдарлама"},
                     dt.date(2025, 3, 3), dt.date(2025, 3, 3), ((dt.date(2025, 3, 3), (session, lunch)),))


def write(tmp_path: Path, programme: Programme, lang: str, name: str = "p.pdf") -> Path:
    path = tmp_path / name
    build_programme(programme, path, lang, printed_on=PRINTED_ON)
    return path


def words_of(path: Path) -> list[list[Word]]:
    return pdf_words(path)


def filled(page_words: list[Word], height: float) -> float:
    """The share of the page's text area (between the margins) down to its lowest word above
    the footer."""
    top, bottom = 17 * MM, height - 17 * MM
    body = [w for w in page_words if top - 12 < w.top and w.bottom < bottom]
    return (max(w.bottom for w in body) - top) / (bottom - top) if body else 0.0


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "en+ru", "kk+ru"])
def test_a_long_session_breaks_across_pages_under_its_heading_continued(tmp_path: Path, lang: str) -> None:
    path = write(tmp_path, long_session(), lang)
    texts = pdf_text(path)
    assert len(texts) >= 3
    first, *others = lang.split("+")
    more = CONTINUED[first]
    assert more not in texts[0]
    # Every page after the first begins with the session's heading again, "(continued)" in each
    # language, until the session ends (the lunch comes after it).
    session_pages = [i for i, t in enumerate(texts) if "09:00–14:00" in t]
    assert session_pages == list(range(len(session_pages))) and len(session_pages) >= 2
    for i in session_pages[1:]:
        for language in lang.split("+"):
            assert CONTINUED[language] in texts[i], (i, language)
        assert texts[i].index("09:00–14:00") < texts[i].index("Part ")
    # No page is left with a large part empty: the session fills each page before the last.
    pages = words_of(path)
    height = page_size(path)[1]
    for index, page_words in enumerate(pages[:-1]):
        assert filled(page_words, height) > 0.75, (index, filled(page_words, height))


def test_the_parts_of_a_broken_session_keep_their_order(tmp_path: Path) -> None:
    programme = long_session()
    text = " ".join(pdf_text(write(tmp_path, programme, "en")))
    session = programme.days[0][1][0]
    expected = [LONG_TITLE["en"], "Moderators:", GULNAZ["en"], KARL["en"]]
    for child in session.children:
        expected += [child.title["en"], child.people[0].name["en"], child.people[1].name["en"]]
    assert_in_order(text, [*expected, "Lunch"])


@pytest.mark.parametrize("lang", ["en", "kk", "en+ru", "kk+ru", "ru+en"])
def test_every_word_inside_the_margins_and_clear_of_the_rule(tmp_path: Path, lang: str) -> None:
    base = long_session(6)
    long_word = {"en": "Rechtsschutzversicherungsgesellschaften" * 3, "ru": "Высокопревосходительство" * 4,
                 "kk": "Тәуелсіздіктерімізбен" * 5}
    session = base.days[0][1][0]
    odd = Entry("presentation", long_word, at(3, 13), at(3, 14), people=(
        OnStage("speaker", {lang: "Ms " + v for lang, v in long_word.items()}, LONG_POSITION, LONG_ORG),))
    session = Entry(None, session.title, session.starts_at, session.ends_at, session.room, session.people,
                    (*session.children, odd), session.colour)
    programme = Programme({lang: LONG_TITLE[lang] + " " + long_word[lang] for lang in LONG_TITLE},
                          base.starts_on, base.ends_on, ((base.days[0][0], (session, *base.days[0][1][1:])),),
                          subtitle=LONG_ORG, venue=LONG_ORG,
                          sponsors=(Sponsor("organiser", LONG_ORG, png(120, 60)), Sponsor("funder", long_word)))
    path = write(tmp_path, programme, lang)
    outside = words_outside(path, within_margins(16 * MM, 10 * MM))
    assert not outside, [str(w) for w in outside[:5]]
    touching = words_touching_rules(path, 1.0 * MM)
    assert not touching, [str(w) for w in touching[:5]]
    # A word longer than its column is broken between syllables, with a hyphen, not by letters.
    text = " ".join(pdf_text(path))
    assert "-" in text


def test_side_by_side_the_room_and_the_moderators_stand_level(tmp_path: Path) -> None:
    # The English title is much longer than the Russian one: the lines below it must not drift.
    title = {"en": "Session " + "on the evaluation of judges and their training " * 4, "ru": "Сессия"}
    session = Entry(None, title, at(3, 9), at(3, 10), {"en": "Main hall", "ru": "Большой зал"},
                    people=(person({"en": "Aida Moderova", "ru": "Аида Модерова"}, "moderator",
                                   {"en": "Judge " * 12, "ru": "Судья"}),
                            person({"en": "Ivan Petrov", "ru": "Иван Петров"}, "moderator")),
                    children=(Entry("panel", title, at(3, 9), at(3, 10), people=(
                        person({"en": "Olga Ray", "ru": "Ольга Рай"}, "discussant", {"en": "Expert " * 14}),
                        person({"en": "Ǵalym Sultan", "ru": "Галым Султан"}))),),
                    colour="#3b8a5a")
    programme = Programme({"en": "Level", "ru": "Ровно"}, dt.date(2025, 3, 3), dt.date(2025, 3, 3),
                          ((dt.date(2025, 3, 3), (session,)),))
    page = words_of(write(tmp_path, programme, "en+ru"))[0]

    def top(text: str) -> float:
        found = [w.top for w in page if w.text == text]
        assert found, text
        return found[0]

    for en, ru in [("Main", "Большой"), ("Moderators:", "Модераторы:"), ("Ivan", "Иван"),
                   ("Discussant:", "Дискуссант:"), ("Ǵalym", "Галым")]:
        assert top(en) == pytest.approx(top(ru), abs=0.5), (en, ru)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Monday, 3 March 2025"), ("ru", "Понедельник, 3 марта 2025 г."), ("kk", "2025 жылғы 3 наурыз, дүйсенбі"),
])
def test_a_heading_for_the_day_with_its_weekday(lang: str, expected: str) -> None:
    text = " ".join(pdf_text(build(sample(days=1), lang)[0]))
    assert flat(expected) in text.replace("\u202f", " ")
    assert_in_order(text, [sample().title[lang], flat(expected), sample().days[0][1][0].title[lang]])


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["Day 1 — Monday, 3 March 2025", "Day 2 — Tuesday, 4 March 2025"]),
    ("ru", ["День 1 — понедельник, 3 марта 2025 г.", "День 2 — вторник, 4 марта 2025 г."]),
    ("kk", ["1-күн — 2025 жылғы 3 наурыз, дүйсенбі", "2-күн — 2025 жылғы 4 наурыз, сейсенбі"]),
])
def test_each_day_of_several_has_its_number_and_weekday(lang: str, expected: list[str]) -> None:
    text = " ".join(pdf_text(build(sample(days=2), lang)[0])).replace("\u202f", " ")
    assert_in_order(text, expected)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Coffee break · Foyer"), ("ru", "Кофе-брейк · Фойе"), ("kk+ru", "Кофе-брейк · Фойе"),
])
def test_a_break_and_its_room_are_set_apart(lang: str, expected: str) -> None:
    base = sample()
    day, entries = base.days[0]
    coffee = Entry("break", entries[-1].title, entries[-1].starts_at, entries[-1].ends_at,
                   {"en": "Foyer", "ru": "Фойе", "kk": "Фойе"})
    programme = Programme(base.title, base.starts_on, base.ends_on, ((day, (*entries[:-1], coffee)),))
    assert expected in " ".join(pdf_text(build(programme, lang)[0]))


def test_an_honorific_where_the_language_sets_one() -> None:
    entry = Entry("presentation", {"en": "Talk", "ru": "Доклад", "kk": "Баяндама"}, at(3, 9), at(3, 10), people=(
        OnStage("speaker", {"en": "Karl Hohenzollern", "ru": "Карл Гогенцоллерн", "kk": "Карл Гогенцоллерн"},
                {"en": "Professor", "ru": "Профессор", "kk": "Профессор"},
                {"en": "University", "ru": "Университет", "kk": "Университет"}, honorific="Prof. Dr."),))
    programme = Programme({"en": "T"}, dt.date(2025, 3, 3), dt.date(2025, 3, 3), ((dt.date(2025, 3, 3), (entry,)),))
    assert "Prof. Dr. Karl Hohenzollern, Professor, University" in " ".join(pdf_text(build(programme, "en")[0]))
    for lang in ("ru", "kk", "ru+kk"):
        text = " ".join(pdf_text(build(programme, lang)[0]))
        assert "Карл Гогенцоллерн, Профессор, Университет" in text and "Prof." not in text


def test_the_roster_gives_honorific_position_and_organisation(demo: tuple[Database, int], tmp_path: Path) -> None:
    from db.models import Person, Role

    database, event_id = demo
    with database.write() as s:
        someone = s.scalars(select(Person).join(Role, Role.person_id == Person.id).limit(1)).one()
        someone.honorific = "H.E."
        someone.position = {"en": "Ambassador", "ru": "Посол", "kk": "Елші"}
        name = someone.display_name.get("en") if someone.display_name else None
        name = name or f"{someone.given_name} {someone.family_name}"
    with database.read() as s:
        programme = load_programme(s, event_id)
    found = [p for _d, entries in programme.days for e in entries for x in (e, *e.children) for p in x.people
             if p.honorific == "H.E."]
    assert found and all(p.position["en"] == "Ambassador" for p in found)
    text = " ".join(pdf_text(export_programme(database, tmp_path / "a.pdf", event_id, "en").path or tmp_path))
    assert f"H.E. {name}, Ambassador" in text
    text = " ".join(pdf_text(export_programme(database, tmp_path / "b.pdf", event_id, "ru").path or tmp_path))
    assert "H.E." not in text and "Посол" in text


def test_logos_are_grouped_by_role_each_beside_its_own_name(tmp_path: Path) -> None:
    base = sample()
    sponsors = (
        Sponsor("organiser", {"en": "Supreme Court"}, png(80, 80, (0x1f, 0x4e, 0x79))),
        Sponsor("co_organiser", {"en": "Court Administration"}),
        Sponsor("funder", {"en": "Republic of Poland"}, png(120, 60, (0xc0, 0x10, 0x20))),
        Sponsor("funder", {"en": "Kingdom of Norway"}),
        Sponsor("funder", {"en": "United States of America"}, png(60, 90, (0x20, 0x30, 0x90))),
    )
    programme = Programme(base.title, base.starts_on, base.ends_on, base.days, sponsors=sponsors)
    path = write(tmp_path, programme, "en")
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        images = sorted(pdf.pages[0].images, key=lambda i: float(i["top"]))
    page = words_of(path)[0]
    assert len(images) == 3

    def line(first: str) -> list[Word]:
        found = [w for w in page if w.text == first]
        assert found, first
        return found

    def middle(w: Word | dict[str, Any]) -> float:
        if isinstance(w, Word):
            return (w.top + w.bottom) / 2
        return (float(w["top"]) + float(w["bottom"])) / 2

    def beside(image: dict[str, Any], word: Word) -> bool:
        """The word is level with the logo and just to its right (not across the page)."""
        level = float(image["top"]) - 1 <= middle(word) <= float(image["bottom"]) + 1
        return level and float(image["x1"]) < word.x0 < float(image["x1"]) + 30 * MM

    # Each logo stands beside its own name, and beside no other.
    for image, name in zip(images, ["Supreme", "Poland", "United"], strict=True):
        assert beside(image, line(name)[0]), name
    for other in ("Norway", "Kingdom", "Administration"):
        assert not any(beside(image, line(other)[0]) for image in images), other
    # The names of a group start at one edge, with a logo or without.
    assert line("Kingdom")[0].x0 == pytest.approx(line("Republic")[0].x0, abs=0.5)
    assert line("Kingdom")[0].x0 == pytest.approx(line("United")[0].x0, abs=0.5)
    # Under their role's heading, in the roles' order.
    heads = {text: line(text)[0] for text in ("ORGANISED", "CO-ORGANISED", "WITH")}
    assert heads["ORGANISED"].bottom < float(images[0]["top"])
    assert heads["WITH"].bottom < float(images[1]["top"]) and heads["WITH"].bottom < line("Kingdom")[0].top
    assert heads["CO-ORGANISED"].bottom < line("Court")[0].top


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "kk+ru"])
def test_the_running_head_leaves_whole_words_off_the_title(tmp_path: Path, lang: str) -> None:
    # The event's title is longer than the head's line: it is shortened by whole words, never
    # cut inside one ("…Central Asia: Ten Yea…").
    title = LONG_TITLE[lang.split("+")[0]]
    path = write(tmp_path, Programme(dict(LONG_TITLE), dt.date(2025, 3, 3),
                                     dt.date(2025, 3, 3), long_session().days), lang)
    pages = words_of(path)
    assert len(pages) >= 2
    for page in pages[1:]:
        top = min(w.top for w in page)
        head = sorted((w for w in page if abs(w.top - top) < 1.0), key=lambda w: w.x0)
        cut = [i for i, w in enumerate(head) if w.text.endswith("…")]
        assert cut, [w.text for w in head]
        shown = [w.text for w in head[:cut[0] + 1]]
        shown[-1] = shown[-1].removesuffix("…")
        expected = title.split()[:len(shown)]
        assert shown[:-1] == expected[:-1]
        assert shown[-1] == expected[-1].rstrip(",:;—–-"), (shown[-1], expected[-1])


@pytest.mark.parametrize("lang", ["en", "en+ru", "kk+ru"])
def test_an_item_broken_across_pages_goes_on_under_its_times(lang: str) -> None:
    # A discussant at the top of a page, below the session's "(continued)", must say whose item
    # it is: the rows carried over begin with the item's times, as its first row does.
    import re

    texts = pdf_text(build(long_session(), lang)[0])
    more = CONTINUED[lang.split("+")[-1]]
    carried = 0
    for text in texts[1:]:
        rest = text[text.index(more) + len(more):]
        assert re.match(r"\s*\d\d:\d\d–\d\d:\d\d ", rest), rest[:60]
        carried += not re.match(r"\s*\d\d:\d\d–\d\d:\d\d Part ", rest)
    assert carried  # at least one page goes on inside an item


@pytest.mark.parametrize("lang", ["en", "ru"])  # (the Kazakh title is short enough to stay whole)
def test_a_continued_title_is_never_left_on_a_conjunction(tmp_path: Path, db_templates: Any, lang: str) -> None:
    # The demo's second session goes on over a page; its shortened title ended "…transparency
    # and… (continued)", "…прозрачность и… (продолжение)".
    from desktop.exports.print_common import DANGLING
    from tests.exports.pdf_tools import demo_database

    database, event_id = demo_database(tmp_path, db_templates)
    try:
        path = tmp_path / "demo.pdf"
        export_programme(database, path, event_id, lang, printed_on=PRINTED_ON)
    finally:
        database.close()
    shortened = [t.split("…")[0].split()[-1] for t in pdf_text(path)[1:] if "…" in t]
    assert shortened  # the demo has a session going on over a page
    assert not [w for w in shortened if w.casefold() in DANGLING], shortened
