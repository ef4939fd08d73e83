"""The field checks the roster shares: e-mail, country, phone, photos; and name folding."""

from __future__ import annotations

import pytest

from desktop.core.checks import (
    COUNTRY_CODES,
    MAX_PHOTO_BYTES,
    ImageError,
    country_problem,
    email_problem,
    image_info,
    phone_problem,
)
from desktop.core.folding import guess_language, matches, name_key, search_fold, search_terms
from tests.images import jpeg_header, png


@pytest.mark.parametrize(("email", "ok"), [
    ("", True),
    ("aliya@court.kz", True),
    ("a.b-c+tag@sub.example.org", True),
    ("  padded@example.kz  ", True),
    ("иван@пример.рф", True),
    ("user@xn--e1afmkfd.xn--p1ai", True),
    ("no-at-sign.example.kz", False),
    ("two@@example.kz", False),
    ("a@b@example.kz", False),
    ("space in@example.kz", False),
    ("user@localhost", False),
    ("user@example.k", False),
    ("user@example.123", False),
    (".dot@example.kz", False),
    ("dot.@example.kz", False),
    ("do..t@example.kz", False),
    ("user@-bad.kz", False),
    ("user@bad-.kz", False),
    ("user@exa_mple.kz", False),
    ("<user@example.kz>", False),
    ("a" * 250 + "@example.kz", False),
])
def test_email_syntax(email: str, ok: bool) -> None:
    assert (email_problem(email) is None) is ok, email_problem(email)


@pytest.mark.parametrize(("code", "ok"), [
    ("", True), (None, True), ("KZ", True), ("kz", True), (" de ", True), ("XK", True),
    ("KAZ", False), ("K", False), ("ZZ", False), ("K1", False), ("ҚЗ", False), ("UK", False),
])
def test_country_codes(code: str | None, ok: bool) -> None:
    assert (country_problem(code) is None) is ok, country_problem(code)


def test_the_country_list_is_iso_3166_plus_kosovo() -> None:
    assert len(COUNTRY_CODES) == 250
    assert {"KZ", "RU", "KG", "UZ", "NO", "PL", "BE", "US", "XK"} <= COUNTRY_CODES


@pytest.mark.parametrize(("phone", "ok"), [
    ("", True), ("+7 701 123 45 67", True), ("8 (7172) 55-66-77", True), ("+49 30 1234567 ext 12", True),
    ("+7 7172 55 66 77 доб. 123", True), ("12 34", False), ("call me", False), ("7+701", False),
    ("+7 701 +123", False), ("1" * 41, False),
])
def test_phone_numbers(phone: str, ok: bool) -> None:
    assert (phone_problem(phone) is None) is ok, phone_problem(phone)


def test_a_png_and_a_jpeg_are_read_from_their_headers() -> None:
    info = image_info(png(3, 2))
    assert (info.mime, info.width, info.height) == ("image/png", 3, 2)
    info = image_info(jpeg_header(640, 480))
    assert (info.mime, info.width, info.height) == ("image/jpeg", 640, 480)


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"GIF89a" + b"\x00" * 20, "PNG or JPEG"),
    (b"%PDF-1.7 not an image", "PNG or JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 4, "damaged"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "damaged or cut short"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_PHOTO_BYTES), "MB"),
    (jpeg_header(20_000, 100), "pixels"),
])
def test_what_is_not_a_storable_photo_is_refused_with_a_sentence(data: bytes, words: str) -> None:
    with pytest.raises(ImageError, match=words):
        image_info(data)


@pytest.mark.parametrize(("a", "b"), [
    ("ВЕРХОВНЫЙ СУД", "Верховный суд"),
    ("ЖОҒАРҒЫ СОТ", "жоғарғы сот"),
    ("Әділет министрлігі", "ӘДІЛЕТ МИНИСТРЛІГІ"),
    ("SUPREME  court ", "Supreme Court"),
    ("ТОО «Альфа»", "тоо \"альфа\""),
    ("Объединённые нации", "объединенные нации"),
    ("Université Libre", "UNIVERSITÉ LIBRE"),
])
def test_name_keys_ignore_case_in_every_script(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_keys_keep_different_letters_apart() -> None:
    assert name_key("Қазақ") != name_key("Казак")
    assert name_key("Université") != name_key("Universite")


def test_search_folding_finds_across_case_and_latin_diacritics() -> None:
    hay = search_fold("Сәрсенбаева Айгүл Wiśniewska Agnieszka")
    assert matches(hay, search_terms("сәрс"))
    assert matches(hay, search_terms("WISNIEWSKA айгүл"))
    assert not matches(hay, search_terms("сарс"))
    assert not matches(hay, search_terms("wiśniewska nowak"))


@pytest.mark.parametrize(("name", "lang"), [
    ("Supreme Court", "en"), ("Верховный суд", "ru"), ("Жоғарғы Сот", "kk"), ("", "en"),
])
def test_guess_language(name: str, lang: str) -> None:
    assert guess_language(name) == lang
