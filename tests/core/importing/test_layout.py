"""Which column holds what: headers in three languages, full names split, the user's corrections."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.models import Category, Gender, Sector, Status
from desktop.core.importing import ImportFileError, MappingError, detect_layout, parse_map_option, parse_map_options
from desktop.core.importing.fields import (
    field_for_header,
    field_for_name,
    parse_category,
    parse_consent,
    parse_country,
    parse_gender,
    parse_interpretation,
    parse_sector,
    parse_status,
)
from desktop.core.importing.names import NameParts, split_full_name
from desktop.core.importing.reading import SourceTable


def table(rows: list[list[object]], name: str = "list.csv") -> SourceTable:
    return SourceTable(path=Path(name), kind="text", sheet=None, rows=rows)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ФИО", "full_name"), ("Ф.И.О.", "full_name"), ("Фамилия, имя, отчество", "full_name"),
        ("Аты-жөні", "full_name"), ("Т.А.Ә.", "full_name"), ("Full name", "full_name"), ("Name", "full_name"),
        ("Имя Фамилия", "full_name_given_first"), ("First and last name", "full_name_given_first"),
        ("Фамилия", "family_name"), ("Тегі", "family_name"), ("Surname", "family_name"), ("Last name", "family_name"),
        ("Имя", "given_name"), ("Аты", "given_name"), ("First name", "given_name"),
        ("Отчество", "patronymic"), ("Әкесінің аты", "patronymic"), ("Middle name", "patronymic"),
        ("Организация", "organisation"), ("Ұйым", "organisation"), ("Organization", "organisation"),
        ("Место работы", "organisation"), ("Мекеме", "organisation"),
        ("Должность", "position"), ("Лауазымы", "position"), ("Job title", "position"),
        ("E-mail", "email"), ("Е-mail", "email"),  # the second with a Cyrillic "Е"
        ("Эл. пошта", "email"), ("Электронная почта", "email"), ("EMAIL ADDRESS", "email"),
        ("Телефон", "phone"), ("Тел.", "phone"), ("Mobile", "phone"),
        ("Страна", "country"), ("Ел", "country"), ("Country", "country"),
        ("Пол", "gender"), ("Жынысы", "gender"), ("Sex", "gender"),
        ("Сектор", "sector"), ("Категория", "category"), ("Санаты", "category"), ("Статус", "status"),
        ("Примечание", "notes"), ("Обращение", "honorific"),
        ("Синхронный перевод", "interpretation"), ("Ілеспе аударма", "interpretation"),
        ("Interpretation", "interpretation"), ("Язык перевода", "interpretation"),
        ("Доступная среда", "accessibility"), ("Қолжетімділік", "accessibility"),
        ("Accessibility needs", "accessibility"),
        ("Согласие на фото", "photo_consent"), ("Суретке түсіруге келісім", "photo_consent"),
        ("Photo consent", "photo_consent"), ("Согласие на фото- и видеосъемку", "photo_consent"),
        # bilingual headers, remarks and required-field stars
        ("ФИО / Full name", "full_name"), ("Ұйым / Организация", "organisation"),
        ("Телефон (моб.)", "phone"), ("E-mail*", "email"), ("Должность участника", "position"),
        ("Рабочий телефон", "phone"),
        # not fields
        ("№", None), ("Подпись", None), ("Name of the session", None), ("", None),
    ],
)
def test_headers_in_three_languages(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("  Иванов   Иван  ", ("Иванов", "Иван", "")),
        ("Сәрсенбаева Айгүл Нұрланқызы", ("Сәрсенбаева", "Айгүл", "Нұрланқызы")),
        ("Сәрсенбаева Айгүл Нұрлан қызы", ("Сәрсенбаева", "Айгүл", "Нұрлан қызы")),
        ("Алиев Рашид Мамед оглы", ("Алиев", "Рашид", "Мамед оглы")),
        ("Иванов И.И.", ("Иванов", "И.", "И.")),
        ("Иванов, Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("Петров-Водкин Кузьма Сергеевич", ("Петров-Водкин", "Кузьма", "Сергеевич")),
        ("Иванов", ("Иванов", "", "")),
        ("John Smith", ("Smith", "John", "")),
        ("Mary Ann Jones", ("Jones", "Mary Ann", "")),
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig", "")),
        ("ZHIENBAYEV Yerzhan", ("ZHIENBAYEV", "Yerzhan", "")),
        ("Yerzhan ZHIENBAYEV", ("ZHIENBAYEV", "Yerzhan", "")),
        ("Smith, John", ("Smith", "John", "")),
        ("Ivanov Ivan Ivanovich", ("Ivanov", "Ivan", "Ivanovich")),
        ("Zhienbayev Yerzhan Serikuly", ("Zhienbayev", "Yerzhan", "Serikuly")),
        ("", ("", "", "")),
    ],
)
def test_full_name_split(value: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(value) == NameParts(*parts)


def test_full_name_given_first() -> None:
    assert split_full_name("Иван Иванов", given_first=True) == NameParts("Иванов", "Иван", "")


@pytest.mark.parametrize(
    ("parse", "value", "expected"),
    [
        (parse_gender, "ж", Gender.FEMALE), (parse_gender, "Жен.", Gender.FEMALE),
        (parse_gender, "әйел", Gender.FEMALE),
        (parse_gender, "M", Gender.MALE), (parse_gender, "мужской", Gender.MALE), (parse_gender, "ер", Gender.MALE),
        (parse_gender, "?", None),
        (parse_sector, "Судебная система", Sector.JUDICIARY), (parse_sector, "госорган", Sector.GOVERNMENT),
        (parse_sector, "Международная организация", Sector.INTERNATIONAL), (parse_sector, "НПО", Sector.CIVIL_SOCIETY),
        (parse_sector, "Дипломатиялық корпус", Sector.DIPLOMATIC), (parse_sector, "СМИ", Sector.MEDIA),
        (parse_sector, "academia", Sector.ACADEMIA), (parse_sector, "космос", None),
        (parse_category, "Спикер", Category.SPEAKER), (parse_category, "участник", Category.PARTICIPANT),
        (parse_category, "Аудармашы", Category.INTERPRETER), (parse_category, "VIP", None),
        (parse_status, "Подтвердила", Status.CONFIRMED), (parse_status, "waitlist", Status.WAITLISTED),
        (parse_status, "отказ", Status.DECLINED), (parse_status, "потом", None),
        (parse_country, "Казахстан", "KZ"), (parse_country, "Қазақстан", "KZ"), (parse_country, "kz", "KZ"),
        (parse_country, "Germany", "DE"), (parse_country, "США", "US"), (parse_country, "Атлантида", None),
        (parse_consent, "да", True), (parse_consent, "Нет", False), (parse_consent, "иә", True),
        (parse_consent, "Жоқ", False), (parse_consent, "YES", True), (parse_consent, "no", False),
        (parse_consent, "согласна", True), (parse_consent, "келіспеймін", False), (parse_consent, "+", True),
        (parse_consent, "-", False), (parse_consent, "может быть", None),
        (parse_interpretation, "Русский", "ru"), (parse_interpretation, "орыс тілі", "ru"),
        (parse_interpretation, "казахский", "kk"), (parse_interpretation, "Қазақша", "kk"),
        (parse_interpretation, "English", "en"), (parse_interpretation, "ағылшын тіліне", "en"),
        (parse_interpretation, "нет", ""), (parse_interpretation, "не требуется", ""),
        (parse_interpretation, "французский", None),
    ],
)
def test_coded_values(parse: object, value: str, expected: object) -> None:
    assert parse(value) == expected  # type: ignore[operator]


def test_header_row_is_the_one_naming_most_fields() -> None:
    rows = [
        ["Круглый стол «Правосудие»", None, None],
        ["Дата: 28.02.2025", None, None],
        [],
        ["ФИО", "Организация", "E-mail"],
        ["Иванов Иван", "Минюст", "i@example.kz"],
    ]
    layout = detect_layout(table(rows))
    assert (layout.header_index, layout.header_row, layout.data_start) == (3, 4, 4)
    assert [(c.letter, c.header, c.field) for c in layout.columns] == [
        ("A", "ФИО", "full_name"), ("B", "Организация", "organisation"), ("C", "E-mail", "email")]
    assert layout.columns[0].samples == ("Иванов Иван",)
    assert layout.problem is None


def test_a_field_named_twice_stays_with_the_first_column() -> None:
    layout = detect_layout(table([["ФИО", "Телефон", "Моб. телефон"], ["Иванов Иван", "1", "2"]]))
    assert [c.field for c in layout.columns] == ["full_name", "phone", None]
    assert layout.columns[2].detected == "phone"


@pytest.mark.parametrize(
    ("values", "field"),
    [(["Mr", "Ms", "Dr", "Prof."], "honorific"), (["Judge", "Advisor", "Mr", "Director"], "position")],
)
def test_title_column_is_honorific_or_position_by_its_values(values: list[str], field: str) -> None:
    rows = [["Name", "Title"], *[[f"Person {i}", v] for i, v in enumerate(values)]]
    assert detect_layout(table(rows)).columns[1].field == field


def test_no_header_row_leaves_columns_unmapped_with_a_problem() -> None:
    rows = [["Иванов Иван", "Минюст"], ["Петрова Анна", "Суд"]]
    layout = detect_layout(table(rows))
    assert layout.header_index is None and layout.data_start == 0
    assert all(c.field is None for c in layout.columns)
    assert layout.problem is not None and "header" in layout.problem
    fixed = detect_layout(table(rows), {"A": "full_name", "B": "organisation"})
    assert fixed.problem is None and fixed.data_start == 0


def test_overrides_by_header_letter_and_index() -> None:
    rows = [["Участник мероприятия", "Место", "Почта для связи"], ["Иванов Иван", "Минюст", "i@example.kz"]]
    layout = detect_layout(table(rows), {"участник мероприятия": "full_name", "Почта для связи": "email"})
    assert layout.header_row == 1
    assert [c.field for c in layout.columns] == ["full_name", None, "email"]
    layout = detect_layout(table(rows), {"Участник мероприятия": "full_name", "B": "organisation", 2: "ignore"})
    assert [c.field for c in layout.columns] == ["full_name", "organisation", None]


def test_override_takes_a_field_from_the_column_that_had_it() -> None:
    rows = [["ФИО", "Примечание", "Контакт"], ["Иванов Иван", "-", "i@example.kz"]]
    layout = detect_layout(table(rows), {"Контакт": "notes"})
    assert [c.field for c in layout.columns] == ["full_name", None, "notes"]


def test_override_naming_a_missing_column_names_the_file_and_its_headers() -> None:
    rows = [["ФИО", "E-mail"], ["Иванов Иван", "i@example.kz"]]
    with pytest.raises(ImportFileError) as exc:
        detect_layout(table(rows), {"Организация": "organisation"})
    assert str(exc.value) == "list.csv has no column “Организация”; its headers are: “ФИО”, “E-mail”."


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [("ФИО=full_name", ("ФИО", "full_name")), (" E-mail = email ", ("E-mail", "email")),
     ("Место работы=Organization", ("Место работы", "organisation")), ("№=ignore", ("№", "ignore")),
     ("a=b=surname", ("a=b", "family_name")), ("C=-", ("C", "ignore"))],
)
def test_map_option(spec: str, parsed: tuple[str, str]) -> None:
    assert parse_map_option(spec) == parsed


@pytest.mark.parametrize("spec", ["ФИО", "=email", "ФИО=nonsense", "ФИО="])
def test_bad_map_option(spec: str) -> None:
    with pytest.raises(MappingError):
        parse_map_option(spec)


def test_one_field_for_two_columns_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="two columns"):
        parse_map_options(["A=email", "B=email"])
    assert parse_map_options(["A=ignore", "B=ignore"]) == {"A": "ignore", "B": "ignore"}


@pytest.mark.parametrize(("word", "field"), [("Surname", "family_name"), ("e-mail", "email"), ("x", None)])
def test_field_names_for_map(word: str, field: str | None) -> None:
    assert field_for_name(word) == field
