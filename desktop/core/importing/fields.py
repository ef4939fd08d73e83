"""What an attendee list's columns can hold, and the words organisers use for them.

A column is recognised by its header in English, Russian or Kazakh ("ФИО", "Тегі",
"E-mail", "Лауазымы", ...). Headers are compared after ``header_key``: case folded, "ё" read
as "е", Latin look-alikes inside a Cyrillic word and Cyrillic look-alikes inside a Latin
word made to agree ("Е-mail" typed with a Cyrillic "Е"), and everything but letters and
digits dropped, so "Ф.И.О.", "ф и о" and "ФИО" are the same header.

Values of the coded fields (gender, sector, category, status, country) are read with the
same folding; a value this module does not know is left out and the row carries a warning
that says so, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from db.models import Category, Gender, Sector, Status
from desktop.core.language import NP_, p_


@dataclass(frozen=True)
class FieldSpec:
    """A field a column can be mapped to."""

    key: str
    label: str            # English, a message of the catalogs (``shown()`` in the interface language)
    aliases: tuple[str, ...]  # headers that mean this field (natural spelling)

    def shown(self) -> str:
        """The label in the interface language (the wizard's combo boxes)."""
        return p_("import field", self.label)


FULL_NAME = "full_name"
FULL_NAME_GIVEN_FIRST = "full_name_given_first"
FAMILY_NAME = "family_name"
GIVEN_NAME = "given_name"
PATRONYMIC = "patronymic"
HONORIFIC = "honorific"
ORGANISATION = "organisation"
POSITION = "position"
EMAIL = "email"
PHONE = "phone"
COUNTRY = "country"
GENDER = "gender"
SECTOR = "sector"
CATEGORY = "category"
STATUS = "status"
DIETARY = "dietary"
INTERPRETATION = "interpretation"
ACCESSIBILITY = "accessibility"
PHOTO_CONSENT = "photo_consent"
NOTES = "notes"

#: The word ``--map 'Header=ignore'`` uses to leave a column out.
IGNORE = "ignore"

FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec(FULL_NAME, NP_("import field", "Full name (Surname Given Patronymic)"), (
        "ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя, отчество", "Фамилия и имя",
        "Фамилия Имя", "ФИО участника", "Фамилия, имя, отчество участника", "Участник",
        "Т.А.Ә.", "ТАӘ", "Аты-жөні", "Аты жөні", "Тегі, аты, әкесінің аты", "Тегі аты",
        "Қатысушы", "Қатысушының аты-жөні", "Full name", "Fullname", "Name", "Names",
        "Participant", "Participant name", "Name of participant", "Surname and name",
        "Surname, name", "Last name, first name", "Attendee", "Delegate",
    )),
    FieldSpec(FULL_NAME_GIVEN_FIRST, NP_("import field", "Full name (Given Surname)"), (
        "Имя Фамилия", "Имя и фамилия", "Аты мен тегі", "First and last name",
        "First name Last name", "First name and last name", "Name and surname",
        "Given name and surname",
    )),
    FieldSpec(FAMILY_NAME, NP_("import field", "Surname"), (
        "Фамилия", "Тегі", "Surname", "Last name", "Lastname", "Family name",
    )),
    FieldSpec(GIVEN_NAME, NP_("import field", "Given name"), (
        "Имя", "Аты", "Есімі", "First name", "Firstname", "Given name", "Given names",
        "Forename",
    )),
    FieldSpec(PATRONYMIC, NP_("import field", "Patronymic"), (
        "Отчество", "Әкесінің аты", "Әкесінің есімі", "Patronymic", "Middle name",
        "Middlename",
    )),
    FieldSpec(HONORIFIC, NP_("import field", "Honorific (Mr, Dr, …)"), (
        "Обращение", "Форма обращения", "Salutation", "Honorific", "Prefix", "Mr/Ms",
    )),
    FieldSpec(ORGANISATION, NP_("import field", "Organisation"), (
        "Организация", "Наименование организации", "Название организации", "Учреждение",
        "Организация/учреждение", "Место работы", "Ведомство", "Государственный орган",
        "Ұйым", "Ұйымның атауы", "Ұйымның аты", "Мекеме", "Мекеменің атауы", "Жұмыс орны",
        "Organisation", "Organization", "Organisation name", "Organization name", "Company",
        "Institution", "Affiliation", "Agency", "Employer",
    )),
    FieldSpec(POSITION, NP_("import field", "Position"), (
        "Должность", "Занимаемая должность", "Лауазымы", "Лауазым", "Қызметі",
        "Position", "Job title", "Designation", "Post",
    )),
    FieldSpec(EMAIL, NP_("import field", "E-mail"), (
        "E-mail", "Email", "E-mail address", "Email address", "Mail", "Электронная почта",
        "Эл. почта", "Эл.почта", "Адрес электронной почты", "Электронный адрес", "Почта",
        "Эл. пошта", "Электрондық пошта", "Электрондық поштасы", "Пошта",
    )),
    FieldSpec(PHONE, NP_("import field", "Phone"), (
        "Телефон", "Тел", "Тел.", "Моб. телефон", "Мобильный телефон", "Контактный телефон",
        "Номер телефона", "Ұялы телефон", "Телефон нөмірі", "Байланыс телефоны",
        "Phone", "Telephone", "Phone number", "Mobile", "Mobile phone", "Tel", "Cell",
    )),
    FieldSpec(COUNTRY, NP_("import field", "Country"), (
        "Страна", "Гражданство", "Ел", "Елі", "Мемлекет", "Азаматтығы", "Country",
        "Citizenship", "Nationality",
    )),
    FieldSpec(GENDER, NP_("import field", "Gender"), ("Пол", "Жынысы", "Жыныс", "Gender", "Sex")),
    FieldSpec(SECTOR, NP_("import field", "Sector"), (
        "Сектор", "Сфера", "Тип организации", "Сала", "Sector", "Organisation type",
        "Organization type",
    )),
    FieldSpec(CATEGORY, NP_("import field", "Category"), (
        "Категория", "Категория участника", "Роль", "Санаты", "Санат", "Рөлі", "Category",
        "Participant category", "Participant type", "Type of participant", "Role",
    )),
    FieldSpec(STATUS, NP_("import field", "Status"), (
        "Статус", "Статус регистрации", "Мәртебесі", "Мәртебе", "Status",
        "Registration status",
    )),
    FieldSpec(DIETARY, NP_("import field", "Dietary needs"), (
        "Питание", "Диета", "Особенности питания", "Тамақтану", "Dietary",
        "Dietary requirements", "Dietary needs", "Diet",
    )),
    FieldSpec(INTERPRETATION, NP_("import field", "Interpretation language"), (
        "Синхронный перевод", "Перевод", "Язык перевода", "Язык синхронного перевода",
        "Нужен перевод", "Необходим перевод", "Ілеспе аударма", "Аударма", "Аударма тілі",
        "Ілеспе аударма тілі", "Interpretation", "Interpretation language",
        "Language of interpretation", "Simultaneous interpretation", "Interpreting",
    )),
    FieldSpec(ACCESSIBILITY, NP_("import field", "Accessibility needs"), (
        "Доступная среда", "Особые потребности", "Особые требования", "Ограничения по здоровью",
        "Қолжетімділік", "Ерекше қажеттіліктер", "Ерекше қажеттілік", "Accessibility",
        "Accessibility needs", "Accessibility requirements", "Access needs", "Special needs",
        "Special requirements",
    )),
    FieldSpec(PHOTO_CONSENT, NP_("import field", "Photo consent (yes/no)"), (
        "Согласие на фото", "Согласие на фотосъемку", "Согласие на фото- и видеосъемку",
        "Согласие на фото и видеосъемку", "Фотосъемка", "Суретке түсіруге келісім",
        "Суретке түсіру", "Фотоға түсіруге келісім", "Photo consent", "Photography consent",
        "Consent to photography", "Consent to be photographed", "Photo/video consent",
        "Media consent",
    )),
    FieldSpec(NOTES, NP_("import field", "Notes"), (
        "Примечание", "Примечания", "Комментарий", "Комментарии", "Ескерту", "Ескертпе",
        "Notes", "Note", "Comment", "Comments", "Remarks",
    )),
)

FIELDS: dict[str, FieldSpec] = {f.key: f for f in FIELD_SPECS}
NAME_FIELDS = frozenset({FULL_NAME, FULL_NAME_GIVEN_FIRST, FAMILY_NAME, GIVEN_NAME})

# Headers that are recognised as belonging to the table but hold nothing to import
# (a running number); they help find the header row.
NUMBER_HEADERS = ("№", "No", "No.", "Nr", "#", "№ п/п", "П/п", "Р/с", "Reg. no")

# "Title" means an honorific in some lists ("Mr", "Dr") and a job title in others.
AMBIGUOUS_TITLE = ("Title", "Титул")

# Extra words accepted by --map for a field besides its key.
FIELD_SYNONYMS: dict[str, str] = {
    "name": FULL_NAME, "fullname": FULL_NAME, "fio": FULL_NAME,
    "namegivenfirst": FULL_NAME_GIVEN_FIRST,
    "surname": FAMILY_NAME, "lastname": FAMILY_NAME, "family": FAMILY_NAME,
    "given": GIVEN_NAME, "firstname": GIVEN_NAME, "middlename": PATRONYMIC,
    "organization": ORGANISATION, "org": ORGANISATION, "company": ORGANISATION,
    "jobtitle": POSITION, "title": POSITION,
    "mail": EMAIL, "emailaddress": EMAIL, "telephone": PHONE, "mobile": PHONE,
    "sex": GENDER, "diet": DIETARY, "note": NOTES, "comment": NOTES, "comments": NOTES,
    "interpreting": INTERPRETATION, "translation": INTERPRETATION, "access": ACCESSIBILITY,
    "consent": PHOTO_CONSENT, "photoconsent": PHOTO_CONSENT,
    "skip": IGNORE, "none": IGNORE,
}

# Cyrillic letters that look like Latin ones, and back.
_CYR_TO_LAT = str.maketrans("асеокрхуітмнвАСЕОКРХУІТМНВ", "aceokpxyitmhbACEOKPXYITMHB")
_LAT_TO_CYR = str.maketrans("aceokpxyACEOKPXYHBMT", "асеокрхуАСЕОКРХУНВМТ")


_LATIN = re.compile("[a-zA-Z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def _has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


def _has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def fold(value: str) -> str:
    """Case folded, NFKC, "ё" as "е", inner whitespace collapsed: for comparing words."""
    text = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е")
    return " ".join(text.split())


def header_key(header: str) -> str:
    """The comparable form of a header or a coded value: letters and digits only.

    Words that mix scripts are made to agree with the script of most of their letters, so
    "Е-mail" with a Cyrillic "Е" reads as "email".
    """
    text = fold(header)
    words = []
    for word in text.split():
        if _has_latin(word) and _has_cyrillic(word):
            latin = sum(1 for ch in word if "a" <= ch <= "z")
            cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
            word = word.translate(_CYR_TO_LAT) if latin >= cyr else word.translate(_LAT_TO_CYR)
        words.append(word)
    return "".join(ch for ch in "".join(words) if ch.isalnum())


def _index(specs: tuple[FieldSpec, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in specs:
        for alias in (spec.key, spec.label, *spec.aliases):
            index.setdefault(header_key(alias), spec.key)
    return index


HEADER_INDEX: dict[str, str] = _index(FIELD_SPECS)
NUMBER_HEADER_KEYS = frozenset(header_key(h) for h in NUMBER_HEADERS) | {""}
AMBIGUOUS_TITLE_KEYS = frozenset(header_key(h) for h in AMBIGUOUS_TITLE)


# Words too general to name a field when they are only part of a longer header
# ("Name of organisation" is not a name column).
_GENERIC = (
    "name", "names", "имя", "аты", "ел", "елі", "mail", "post", "cell", "tel", "тел", "role",
    "роль", "сала", "сфера", "пол", "sex", "почта", "пошта",
)
_GENERIC_KEYS = frozenset(header_key(word) for word in _GENERIC)


def field_for_header(header: str) -> str | None:
    """The field a header names, or None.

    Tries the whole header, then each part of a bilingual header ("ФИО / Full name"), then
    without a remark in brackets or a trailing "*", then its first or last words
    ("E-mail адрес", "Рабочий телефон") unless those are too general a word.
    """
    candidates = [header]
    for sep in ("/", "\n", "|", "\\"):
        if sep in header:
            candidates.extend(part for part in header.split(sep) if part.strip())
    for text in list(candidates):
        for opener, closer in (("(", ")"), ("[", "]")):
            if opener in text:
                start = text.index(opener)
                end = text.find(closer, start)
                candidates.append(text[:start] + (text[end + 1:] if end >= 0 else ""))
    for text in candidates:
        key = header_key(text.replace("*", ""))
        if key in HEADER_INDEX:
            return HEADER_INDEX[key]
    for text in candidates:
        words = fold(text.replace("*", "")).split()
        for n in range(len(words) - 1, 0, -1):
            for part in (words[:n], words[-n:]):
                key = header_key(" ".join(part))
                if key in HEADER_INDEX and key not in _GENERIC_KEYS:
                    return HEADER_INDEX[key]
    return None


def field_for_name(word: str) -> str | None:
    """The field ``word`` names in ``--map`` (its key, its label or a synonym), or None."""
    key = header_key(word)
    if word.strip() == "-" or key == IGNORE:
        return IGNORE
    for spec in FIELD_SPECS:
        if key in (header_key(spec.key), header_key(spec.label)):
            return spec.key
    return FIELD_SYNONYMS.get(key)


# -- coded values -------------------------------------------------------------------------

def _vocabulary(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, words in pairs.items():
        for word in (value, *words):
            out.setdefault(header_key(word), value)
    return out


GENDER_WORDS = _vocabulary({
    Gender.FEMALE.value: ("ж", "жен", "женский", "женщина", "f", "w", "woman", "әйел", "ә",
                          "қыз", "female"),
    Gender.MALE.value: ("м", "муж", "мужской", "мужчина", "m", "man", "ер", "е", "male"),
    Gender.NOT_STATED.value: ("не указан", "не указано", "көрсетілмеген", "n/a", "other",
                              "prefer not to say", "другое", "not stated"),
})

SECTOR_WORDS = _vocabulary({
    Sector.JUDICIARY.value: ("судебная система", "судебная власть", "суд", "суды", "судья",
                             "сот", "сот жүйесі", "сот билігі", "judicial", "courts", "court"),
    Sector.GOVERNMENT.value: ("государственный орган", "государственные органы", "госорган",
                              "гос. орган", "госорганы", "правительство", "государственный сектор",
                              "мемлекеттік орган", "мемлекеттік органдар", "үкімет",
                              "government", "state body", "state bodies", "public sector"),
    Sector.INTERNATIONAL.value: ("международная организация", "международные организации",
                                 "мо", "халықаралық ұйым", "халықаралық ұйымдар",
                                 "international organisation", "international organization",
                                 "international organisations", "international organizations",
                                 "international", "io"),
    Sector.ACADEMIA.value: ("академия", "академические круги", "академическое сообщество",
                            "наука", "вуз", "университет", "ғылым", "академиялық орта",
                            "жоо", "academia", "academic", "university", "research"),
    Sector.CIVIL_SOCIETY.value: ("гражданское общество", "нпо", "нко", "общественная организация",
                                 "азаматтық қоғам", "үеұ", "civil society", "ngo", "ngos", "cso"),
    Sector.DIPLOMATIC.value: ("дипломатический корпус", "дипкорпус", "посольство",
                              "дипломатиялық корпус", "елшілік", "diplomatic corps",
                              "diplomatic", "embassy", "diplomat"),
    Sector.MEDIA.value: ("сми", "пресса", "журналисты", "бақ", "media", "press", "mass media"),
    Sector.OTHER.value: ("другое", "иное", "прочее", "прочие", "басқа", "other"),
})

CATEGORY_WORDS = _vocabulary({
    Category.PARTICIPANT.value: ("участник", "участница", "қатысушы", "делегат", "слушатель",
                                 "participant", "delegate", "attendee"),
    Category.SPEAKER.value: ("спикер", "докладчик", "выступающий", "модератор", "панелист",
                             "баяндамашы", "сөз сөйлеуші", "speaker", "presenter", "panelist",
                             "panellist", "moderator", "keynote"),
    Category.ORGANISER.value: ("организатор", "организаторы", "ұйымдастырушы", "organiser",
                               "organizer", "staff", "host"),
    Category.PRESS.value: ("пресса", "сми", "журналист", "бақ", "press", "media", "journalist"),
    Category.INTERPRETER.value: ("переводчик", "аудармашы", "тілмаш", "interpreter",
                                 "translator"),
    Category.OBSERVER.value: ("наблюдатель", "бақылаушы", "observer"),
})

STATUS_WORDS = _vocabulary({
    Status.INVITED.value: ("приглашен", "приглашена", "приглашение", "шақырылды", "invited"),
    Status.REGISTERED.value: ("зарегистрирован", "зарегистрирована", "регистрация", "тіркелді",
                              "тіркелген", "registered"),
    Status.CONFIRMED.value: ("подтвержден", "подтверждена", "подтвердил", "подтвердила",
                             "подтверждено", "расталды", "расталған", "confirmed", "да", "иә",
                             "yes"),
    Status.WAITLISTED.value: ("лист ожидания", "в листе ожидания", "резерв", "күту тізімі",
                              "waitlisted", "waitlist", "waiting list", "reserve"),
    Status.DECLINED.value: ("отказ", "отказался", "отказалась", "не придет", "бас тартты",
                            "declined", "no", "нет", "жоқ"),
    Status.CANCELLED.value: ("отменен", "отменена", "отменено", "отмена", "жойылды",
                             "күші жойылды", "cancelled", "canceled"),
})

# Countries organisers in the region meet most; a two-letter code is always accepted.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "KZ": ("Kazakhstan", "Republic of Kazakhstan", "KAZ", "Казахстан", "Республика Казахстан",
           "РК", "Қазақстан", "Қазақстан Республикасы", "ҚР"),
    "RU": ("Russia", "Russian Federation", "RUS", "Россия", "Российская Федерация", "РФ", "Ресей"),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic", "KGZ", "Кыргызстан", "Киргизия",
           "Кыргызская Республика", "Қырғызстан"),
    "UZ": ("Uzbekistan", "UZB", "Узбекистан", "Өзбекстан"),
    "TJ": ("Tajikistan", "TJK", "Таджикистан", "Тәжікстан"),
    "TM": ("Turkmenistan", "TKM", "Туркменистан", "Түрікменстан"),
    "AZ": ("Azerbaijan", "AZE", "Азербайджан", "Әзірбайжан"),
    "AM": ("Armenia", "ARM", "Армения", "Армения"),
    "GE": ("Georgia", "GEO", "Грузия", "Грузия"),
    "BY": ("Belarus", "BLR", "Беларусь", "Белоруссия"),
    "UA": ("Ukraine", "UKR", "Украина", "Украина"),
    "MD": ("Moldova", "MDA", "Молдова", "Молдавия"),
    "MN": ("Mongolia", "MNG", "Монголия", "Моңғолия"),
    "CN": ("China", "CHN", "People's Republic of China", "Китай", "КНР", "Қытай"),
    "TR": ("Turkey", "Türkiye", "TUR", "Турция", "Түркия"),
    "IR": ("Iran", "IRN", "Иран"),
    "AF": ("Afghanistan", "AFG", "Афганистан", "Ауғанстан"),
    "PK": ("Pakistan", "PAK", "Пакистан"),
    "IN": ("India", "IND", "Индия", "Үндістан"),
    "JP": ("Japan", "JPN", "Япония", "Жапония"),
    "KR": ("South Korea", "Republic of Korea", "Korea", "KOR", "Южная Корея",
           "Республика Корея", "Корея", "Оңтүстік Корея"),
    "US": ("United States", "United States of America", "USA", "US", "США",
           "Соединенные Штаты Америки", "Соединённые Штаты", "АҚШ"),
    "CA": ("Canada", "CAN", "Канада"),
    "GB": ("United Kingdom", "UK", "Great Britain", "GBR", "Великобритания",
           "Соединенное Королевство", "Ұлыбритания"),
    "DE": ("Germany", "DEU", "Германия", "Германия", "Deutschland"),
    "FR": ("France", "FRA", "Франция", "Франция"),
    "IT": ("Italy", "ITA", "Италия"),
    "ES": ("Spain", "ESP", "Испания"),
    "NL": ("Netherlands", "The Netherlands", "NLD", "Нидерланды", "Голландия"),
    "BE": ("Belgium", "BEL", "Бельгия"),
    "CH": ("Switzerland", "CHE", "Швейцария"),
    "AT": ("Austria", "AUT", "Австрия"),
    "SE": ("Sweden", "SWE", "Швеция"),
    "NO": ("Norway", "NOR", "Норвегия"),
    "FI": ("Finland", "FIN", "Финляндия"),
    "DK": ("Denmark", "DNK", "Дания"),
    "PL": ("Poland", "POL", "Польша", "Польша"),
    "CZ": ("Czechia", "Czech Republic", "CZE", "Чехия"),
    "LT": ("Lithuania", "LTU", "Литва"),
    "LV": ("Latvia", "LVA", "Латвия"),
    "EE": ("Estonia", "EST", "Эстония"),
    "IE": ("Ireland", "IRL", "Ирландия"),
    "PT": ("Portugal", "PRT", "Португалия"),
    "GR": ("Greece", "GRC", "Греция"),
    "HU": ("Hungary", "HUN", "Венгрия"),
    "RO": ("Romania", "ROU", "Румыния"),
    "BG": ("Bulgaria", "BGR", "Болгария"),
    "RS": ("Serbia", "SRB", "Сербия"),
    "IL": ("Israel", "ISR", "Израиль"),
    "AE": ("United Arab Emirates", "UAE", "ARE", "ОАЭ", "Объединенные Арабские Эмираты", "БАӘ"),
    "SA": ("Saudi Arabia", "SAU", "Саудовская Аравия"),
    "QA": ("Qatar", "QAT", "Катар"),
    "EG": ("Egypt", "EGY", "Египет"),
    "AU": ("Australia", "AUS", "Австралия"),
    "SG": ("Singapore", "SGP", "Сингапур"),
    "MY": ("Malaysia", "MYS", "Малайзия"),
    "ID": ("Indonesia", "IDN", "Индонезия"),
    "BR": ("Brazil", "BRA", "Бразилия"),
    "JO": ("Jordan", "JOR", "Иордания"),
}
COUNTRY_WORDS: dict[str, str] = {
    header_key(word): code for code, words in _COUNTRIES.items() for word in (code, *words)
}


def _lookup(vocabulary: dict[str, str], value: str) -> str | None:
    return vocabulary.get(header_key(value))


def parse_gender(value: str) -> Gender | None:
    found = _lookup(GENDER_WORDS, value)
    return Gender(found) if found else None


def parse_sector(value: str) -> Sector | None:
    found = _lookup(SECTOR_WORDS, value)
    return Sector(found) if found else None


def parse_category(value: str) -> Category | None:
    found = _lookup(CATEGORY_WORDS, value)
    return Category(found) if found else None


def parse_status(value: str) -> Status | None:
    found = _lookup(STATUS_WORDS, value)
    return Status(found) if found else None


def parse_country(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code: a code as given ("kz" → "KZ"), or a known name."""
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return COUNTRY_WORDS.get(header_key(text))


# The languages a headset can carry (the event's languages): a code, or the language's name
# in English, Russian or Kazakh, alone or as "на русский", "орыс тіліне", "into English".
INTERPRETATION_WORDS = _vocabulary({
    "en": ("english", "eng", "англ", "английский", "английский язык", "на английский",
           "на английском", "ағылшын", "ағылшынша", "ағылшын тілі", "ағылшын тіліне", "into english"),
    "ru": ("russian", "rus", "рус", "русский", "русский язык", "на русский", "на русском",
           "орыс", "орысша", "орыс тілі", "орыс тіліне", "into russian"),
    "kk": ("kz", "kazakh", "kaz", "каз", "казахский", "казахский язык", "на казахский",
           "на казахском", "қазақ", "қазақша", "қазақ тілі", "қазақ тіліне", "into kazakh"),
})
# Words that say no interpretation is needed (read as "none", not as an unknown value).
_NO_INTERPRETATION = frozenset(header_key(w) for w in (
    "нет", "не нужен", "не нужно", "не требуется", "жоқ", "қажет емес", "no", "none", "not needed",
    "n/a", "-",
))

# Yes and no in the three languages (and the usual shorthands), for photo consent.
CONSENT_WORDS: dict[str, bool] = {
    header_key(w): answer
    for answer, words in (
        (True, ("yes", "y", "true", "1", "+", "agree", "agreed", "consent", "consents", "да", "д",
                "согласен", "согласна", "согласие", "согласны", "иә", "ия", "иа", "келісемін",
                "келісім бар", "келіседі")),
        (False, ("no", "n", "false", "0", "-", "disagree", "no consent", "нет", "н", "не согласен",
                 "не согласна", "против", "жоқ", "келіспеймін", "келіспейді", "келісім жоқ")),
    )
    for w in words
}


def parse_interpretation(value: str) -> str | None:
    """The language code of the interpretation asked for ("" when the cell says none is
    needed), or None when the value is not a language this module knows."""
    key = header_key(value)
    if key in _NO_INTERPRETATION or value.strip() in ("-", "—", "–"):
        return ""
    return INTERPRETATION_WORDS.get(key)


def parse_consent(value: str) -> bool | None:
    """True or False for a yes or a no in English, Russian or Kazakh; None otherwise."""
    text = value.strip()
    if text in ("+", "-", "—", "–"):
        return text == "+"
    return CONSENT_WORDS.get(header_key(text))


HONORIFIC_KEYS = frozenset(header_key(w) for w in (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "H.E.",
    "Excellency", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "г-н", "г-жа", "господин", "госпожа",
    "д-р", "проф.", "профессор", "доктор", "мырза", "ханым",
))


def looks_like_honorific(value: str) -> bool:
    return header_key(value) in HONORIFIC_KEYS


def text_language(value: str, hint: str | None = None) -> str:
    """The language key a free text is stored under: "kk" for Cyrillic with Kazakh
    letters (or a Kazakh header), "ru" for other Cyrillic, "en" otherwise."""
    if _has_cyrillic(value):
        if hint == "kk" or _KAZAKH.search(value):
            return "kk"
        return "ru"
    return "en"


def header_language(header: str) -> str | None:
    """The language a header is written in, when it says so clearly."""
    if _KAZAKH.search(header):
        return "kk"
    if _has_cyrillic(header):
        return "ru"
    return None
