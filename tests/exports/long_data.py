"""The long-name data set of issue 11: an event whose names, organisations, positions and
titles are as long as real ones get, in English, Russian and Kazakh.

``build_long_event(session)`` adds it to an ORM session (as ``desktop.core.demo.build_demo``
does the demo) and returns the event's id; ``create_long_event(database)`` does it in one
write transaction with the sort keys and search skeletons made, as every core writer does.

What it holds: a two-day event with a long title; the people of the issue — "Дүйсенбекова-
Сатпаева Гүлназ Әбдіқадырқызы" (Kazakh, with a patronymic) and "Karl Friedrich Freiherr von
Hohenzollern-Sigmaringen" — and two more long names, each with a position of 120+ characters
and an organisation of 180+ (one organisation has a short name, the other none); a session
titled in 330+ characters with enough items to run over a page; ordinary people beside them;
registrations (some checked in, on both days); speakers and moderators; organisers,
co-organisers, funders and a partner, two of them with logos.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session as OrmSession

from db.engine import Database
from db.models import (
    AgendaItem,
    AgendaSession,
    Category,
    CheckIn,
    CheckInAction,
    Event,
    EventOrganisation,
    Gender,
    ItemKind,
    NameForm,
    Organisation,
    PartnerRole,
    Person,
    Registration,
    Role,
    RoleKind,
    Room,
    Sector,
    Source,
    Status,
)
from desktop.core.codes import BadgeCodes
from desktop.core.collation import store_sort_keys
from tests.images import png

SEED = 20250311
TIMEZONE = "Asia/Almaty"
FIRST_DAY = dt.date(2025, 3, 13)
DAYS = 2

EVENT_TITLE = {
    "en": "International Conference on Judicial Independence, Accountability and Access to Justice "
          "in Central Asia: Ten Years of the Astana Dialogue",
    "ru": "Международная конференция по вопросам независимости, подотчётности судебной власти и "
          "доступа к правосудию в Центральной Азии: десять лет Астанинского диалога",
    "kk": "Орталық Азиядағы сот билігінің тәуелсіздігі, есептілігі және сот төрелігіне қол жеткізу "
          "мәселелері жөніндегі халықаралық конференция: Астана диалогына он жыл",
}
EVENT_SUBTITLE = {
    "en": "Organised within the extrabudgetary project of judicial reform support",
    "ru": "В рамках внебюджетного проекта поддержки судебной реформы",
    "kk": "Сот реформасын қолдаудың бюджеттен тыс жобасы аясында",
}

# An organisation of 180+ characters in every language, WITH a short name.
ORG_WITH_SHORT = {
    "en": "Department for the Coordination of Judicial Training, Continuing Professional Education and "
          "International Cooperation of the Academy of Justice under the Supreme Court of the Republic of "
          "Kazakhstan",
    "ru": "Департамент координации подготовки судей, непрерывного профессионального образования и "
          "международного сотрудничества Академии правосудия при Верховном Суде Республики Казахстан "
          "(г. Астана)",
    "kk": "Қазақстан Республикасы Жоғарғы Сотының жанындағы Сот төрелігі академиясының судьяларды "
          "даярлауды, үздіксіз кәсіптік білім беруді және халықаралық ынтымақтастықты үйлестіру "
          "департаменті",
}
ORG_SHORT_NAME = {"en": "Academy of Justice", "ru": "Академия правосудия", "kk": "Сот төрелігі академиясы"}

# An organisation of 180+ characters in every language, WITHOUT a short name.
ORG_WITHOUT_SHORT = {
    "en": "Federal Ministry of Justice and Consumer Protection of the Federal Republic of Germany, Division "
          "for International Legal Cooperation with Central Asia, the South Caucasus and Eastern Europe",
    "ru": "Федеральное министерство юстиции и защиты прав потребителей Федеративной Республики Германия, "
          "отдел международного правового сотрудничества со странами Центральной Азии и Восточной Европы",
    "kk": "Германия Федеративтік Республикасының Әділет және тұтынушылардың құқықтарын қорғау федералдық "
          "министрлігі, Орталық Азия және Шығыс Еуропа елдерімен халықаралық құқықтық ынтымақтастық бөлімі",
}

# A position of 120 characters (or a few more) in every language.
LONG_POSITION = {
    "en": "Deputy Head of the Department for International Cooperation and Legal Support of Judicial Reform "
          "Programmes, Lead Expert",
    "ru": "Заместитель руководителя отдела международного сотрудничества и правового сопровождения программ "
          "судебной реформы, эксперт",
    "kk": "Сот реформасы бағдарламаларын халықаралық ынтымақтастық және құқықтық сүйемелдеу бөлімі "
          "басшысының орынбасары, аға сарапшы",
}
LONG_POSITION_2 = {
    "en": "Senior Legal Adviser on the Rule of Law, Judicial Ethics and the Harmonisation of Procedural "
          "Legislation with European Standards",
    "ru": "Старший юридический советник по вопросам верховенства права, судейской этики и гармонизации "
          "процессуального законодательства",
    "kk": "Құқық үстемдігі, судьялық әдеп және іс жүргізу заңнамасын еуропалық стандарттармен үйлестіру "
          "мәселелері жөніндегі аға заң кеңесшісі",
}

# A session title of 330 characters (or a few more) in every language.
LONG_SESSION_TITLE = {
    "en": "Strengthening the Independence, Accountability and Transparency of the Judiciary in Central Asia: "
          "Comparative Experience of the OSCE Participating States in the Selection, Appointment, Evaluation "
          "and Disciplinary Liability of Judges, the Publication of Court Decisions and Access to Justice for "
          "Vulnerable Groups, Including Persons with Disabilities",
    "ru": "Укрепление независимости, подотчётности и прозрачности судебной власти в Центральной Азии: "
          "сравнительный опыт государств — участников ОБСЕ в отборе, назначении, оценке и дисциплинарной "
          "ответственности судей, опубликовании судебных актов и доступе к правосудию для уязвимых групп "
          "населения, включая лиц с инвалидностью и пожилых людей",
    "kk": "Орталық Азиядағы сот билігінің тәуелсіздігін, есептілігін және ашықтығын нығайту: ЕҚЫҰ-ға "
          "қатысушы мемлекеттердің судьяларды іріктеу, тағайындау, бағалау және тәртіптік жауапкершілігі, "
          "сот актілерін жариялау және халықтың осал топтарының, соның ішінде мүгедектігі бар адамдардың "
          "сот төрелігіне қол жеткізуі саласындағы салыстырмалы тәжірибесі",
}

ROOM_NAME = {
    "en": "Large Conference Hall of the Supreme Court (second floor, east wing)",
    "ru": "Большой конференц-зал Верховного Суда (второй этаж, восточное крыло)",
    "kk": "Жоғарғы Соттың үлкен конференц-залы (екінші қабат, шығыс қанаты)",
}


@dataclass(frozen=True)
class LongPerson:
    given: str
    family: str
    patronymic: str | None
    gender: Gender
    country: str
    honorific: str | None = None


# The people of the issue, and two more with long names.
KAZAKH = LongPerson("Гүлназ", "Дүйсенбекова-Сатпаева", "Әбдіқадырқызы", Gender.FEMALE, "KZ")
GERMAN = LongPerson("Karl Friedrich", "Freiherr von Hohenzollern-Sigmaringen", None, Gender.MALE, "DE", "Prof. Dr.")
RUSSIAN = LongPerson("Александр", "Константинопольский-Преображенский", "Владимирович", Gender.MALE, "RU")
KAZAKH_2 = LongPerson("Нұрсұлтанбек", "Мұхамеджанов-Жақсыбеков", "Әбілқайырұлы", Gender.MALE, "KZ")
LONG_PEOPLE = (KAZAKH, GERMAN, RUSSIAN, KAZAKH_2)

# Ordinary people: (given, family, patronymic, gender).
ORDINARY = [
    ("Айгерім", "Оспанова", "Серікқызы", Gender.FEMALE),
    ("Ерлан", "Ахметов", "Болатұлы", Gender.MALE),
    ("Мария", "Ёлкина", "Петровна", Gender.FEMALE),
    ("Дмитрий", "Ефимов", "Игоревич", Gender.MALE),
    ("Anna", "Schmidt", None, Gender.FEMALE),
    ("John", "Adams", None, Gender.MALE),
    ("Әсел", "Жұмабаева", None, Gender.FEMALE),
    ("Тимур", "Ли", None, Gender.NOT_STATED),
    ("Sophie", "Martin", None, Gender.FEMALE),
    ("Бауыржан", "Қасымов", "Маратұлы", Gender.MALE),
    ("Ольга", "Ким", "Викторовна", Gender.FEMALE),
    ("Luca", "Rossi", None, Gender.MALE),
    ("Жанар", "Төлеуова", None, Gender.FEMALE),
    ("Сергей", "Павлов", "Андреевич", Gender.MALE),
    ("Emma", "Wilson", None, Gender.FEMALE),
    ("Нұрлан", "Сейітов", None, Gender.MALE),
]


def build_long_event(session: OrmSession) -> int:
    """Add the long-name event to ``session`` (flushed, not committed); its id."""
    rng = random.Random(SEED)
    tz = ZoneInfo(TIMEZONE)
    days = [FIRST_DAY + dt.timedelta(days=n) for n in range(DAYS)]
    event = Event(
        title=EVENT_TITLE, subtitle=EVENT_SUBTITLE, starts_on=days[0], ends_on=days[-1], timezone=TIMEZONE,
        venue={"en": "Supreme Court of the Republic of Kazakhstan", "ru": "Верховный Суд Республики Казахстан",
               "kk": "Қазақстан Республикасының Жоғарғы Соты"},
        city={"en": "Astana", "ru": "Астана", "kk": "Астана"}, languages=["en", "ru", "kk"],
        badge_name=NameForm.FULL,
    )
    session.add(event)
    hall = Room(name=ROOM_NAME, capacity=200, position=0)
    foyer = Room(name={"en": "Foyer", "ru": "Фойе", "kk": "Фойе"}, capacity=300, position=1)
    event.rooms.extend([hall, foyer])

    academy = Organisation(name=ORG_WITH_SHORT, short_name=ORG_SHORT_NAME, sector=Sector.JUDICIARY, country="KZ",
                           logo=png(120, 60, (0x1f, 0x4e, 0x79)), logo_mime="image/png")
    ministry = Organisation(name=ORG_WITHOUT_SHORT, sector=Sector.GOVERNMENT, country="DE")
    osce = Organisation(
        name={"en": "OSCE Programme Office in Astana", "ru": "Офис программ ОБСЕ в Астане",
              "kk": "ЕҚЫҰ-ның Астанадағы бағдарламалар офисі"},
        short_name={"en": "OSCE POiA", "ru": "ОП ОБСЕ", "kk": "ЕҚЫҰ БО"},
        sector=Sector.INTERNATIONAL, country="KZ", logo=png(80, 80, (0x00, 0x5b, 0x96)), logo_mime="image/png")
    eu = Organisation(name={"en": "European Union", "ru": "Европейский союз", "kk": "Еуропалық одақ"},
                      short_name={"en": "EU", "ru": "ЕС", "kk": "ЕО"}, sector=Sector.INTERNATIONAL)
    university = Organisation(
        name={"en": "Maqsut Narikbayev University", "ru": "Университет имени Максута Нарикбаева",
              "kk": "Мақсұт Нәрікбаев атындағы университет"},
        sector=Sector.ACADEMIA, country="KZ")
    ngo = Organisation(
        name={"en": "Legal Policy Research Centre", "ru": "Центр исследования правовой политики",
              "kk": "Құқықтық саясатты зерттеу орталығы"},
        sector=Sector.CIVIL_SOCIETY, country="KZ")
    session.add_all([academy, ministry, osce, eu, university, ngo])
    for pos, (org, role) in enumerate([(academy, PartnerRole.ORGANISER), (osce, PartnerRole.CO_ORGANISER),
                                       (ministry, PartnerRole.FUNDER), (eu, PartnerRole.FUNDER),
                                       (university, PartnerRole.PARTNER)]):
        event.partners.append(EventOrganisation(organisation=org, role=role, position=pos))

    codes = BadgeCodes(rng)
    people: list[Person] = []
    long_orgs = [academy, ministry, ministry, academy]
    for spec, org, position in zip(LONG_PEOPLE, long_orgs, [LONG_POSITION, LONG_POSITION_2] * 2, strict=True):
        people.append(Person(
            honorific=spec.honorific, given_name=spec.given, family_name=spec.family, patronymic=spec.patronymic,
            position=position, organisation=org, country=spec.country, gender=spec.gender,
            email=f"long{len(people) + 1}@example.org",
        ))
    ordinary_orgs = [osce, university, ngo, academy, eu, ministry]
    for n, (given, family, patronymic, gender) in enumerate(ORDINARY):
        people.append(Person(
            given_name=given, family_name=family, patronymic=patronymic, gender=gender,
            organisation=ordinary_orgs[n % len(ordinary_orgs)], country="KZ",
            position={"en": "Judge", "ru": "Судья", "kk": "Судья"} if n % 3 == 0 else
            {"en": "Legal expert", "ru": "Эксперт-юрист", "kk": "Заңгер-сарапшы"},
            email=f"person{n + 1}@example.org",
        ))
    session.add_all(people)
    kazakh, german, russian, kazakh_2 = people[:4]
    ordinary = people[4:]

    registrations: list[Registration] = []
    for n, person in enumerate(people):
        category = Category.SPEAKER if n < 4 else (Category.PRESS if n == 9 else
                                                   Category.OBSERVER if n == 12 else Category.PARTICIPANT)
        status = Status.CONFIRMED if n < 14 else (Status.REGISTERED if n < 17 else Status.INVITED)
        registrations.append(Registration(
            event=event, person=person, category=category, status=status,
            badge_code=codes.new(), source=Source.MANUAL, photo_consent=True,
        ))
    session.add_all(registrations)

    def at(day: dt.date, hhmm: str) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))

    def roles(target: AgendaSession | AgendaItem, pairs: list[tuple[RoleKind, Person]]) -> None:
        for pos, (kind, person) in enumerate(pairs):
            target.roles.append(Role(person=person, kind=kind, position=pos))

    def item(day: dt.date, start: str, end: str, kind: ItemKind, title: dict[str, str], room: Room,
             within: AgendaSession | None = None, position: int = 0) -> AgendaItem:
        made = AgendaItem(session=within, kind=kind, title=title, starts_at=at(day, start), ends_at=at(day, end),
                          room=room, position=position)
        event.items.append(made)
        return made

    # Day 1: registration, the opening, the long session (long enough to run over a page), a break.
    item(days[0], "08:30", "09:30", ItemKind.REGISTRATION,
         {"en": "Registration of participants", "ru": "Регистрация участников", "kk": "Қатысушыларды тіркеу"}, foyer)
    opening = AgendaSession(
        title={"en": "Opening of the conference", "ru": "Открытие конференции", "kk": "Конференцияның ашылуы"},
        starts_at=at(days[0], "09:30"), ends_at=at(days[0], "10:30"), room=hall, colour="#1f4e79", position=1)
    event.sessions.append(opening)
    roles(opening, [(RoleKind.MODERATOR, kazakh)])
    welcome = item(days[0], "09:30", "10:30", ItemKind.OPENING,
                   {"en": "Welcoming remarks", "ru": "Приветственное слово", "kk": "Құттықтау сөз"},
                   hall, opening)
    roles(welcome, [(RoleKind.SPEAKER, german), (RoleKind.SPEAKER, russian), (RoleKind.SPEAKER, ordinary[1])])
    item(days[0], "10:30", "11:00", ItemKind.BREAK, {"en": "Coffee break", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
         foyer)

    long_session = AgendaSession(
        title=LONG_SESSION_TITLE, starts_at=at(days[0], "11:00"), ends_at=at(days[0], "17:00"), room=hall,
        colour="#7a1f3d", position=3)
    event.sessions.append(long_session)
    roles(long_session, [(RoleKind.MODERATOR, kazakh), (RoleKind.MODERATOR, german)])
    speakers = [german, russian, kazakh_2, kazakh, *ordinary[:8]]
    start = at(days[0], "11:00")
    for n, speaker in enumerate(speakers):
        end = start + dt.timedelta(minutes=30)
        talk = AgendaItem(
            session=long_session, kind=ItemKind.PRESENTATION if n % 4 else ItemKind.PANEL,
            title={
                "en": f"Part {n + 1}: the selection and appointment of judges, their evaluation and disciplinary "
                      "liability in the practice of the highest courts",
                "ru": f"Часть {n + 1}: отбор и назначение судей, их оценка и дисциплинарная ответственность в "
                      "практике высших судебных инстанций",
                "kk": f"{n + 1}-бөлім: жоғары сот инстанцияларының тәжірибесіндегі судьяларды іріктеу, "
                      "тағайындау, бағалау және тәртіптік жауапкершілік",
            },
            starts_at=start, ends_at=end, room=hall, position=n)
        event.items.append(talk)
        pairs = [(RoleKind.SPEAKER, speaker)]
        if n % 4 == 0:
            pairs.append((RoleKind.PANELIST, people[(n + 5) % len(people)]))
        roles(talk, pairs)
        start = end

    # Day 2: the long session's sequel, lunch, the closing.
    second = AgendaSession(
        title=LONG_SESSION_TITLE, starts_at=at(days[1], "10:00"), ends_at=at(days[1], "12:30"), room=hall,
        colour="#2e6b30", position=0)
    event.sessions.append(second)
    roles(second, [(RoleKind.MODERATOR, russian)])
    for n, speaker in enumerate([kazakh_2, german, ordinary[2]]):
        talk = item(days[1], f"{10 + n}:00", f"{10 + n}:50", ItemKind.DISCUSSION, LONG_SESSION_TITLE, hall,
                    second, n)
        roles(talk, [(RoleKind.SPEAKER, speaker), (RoleKind.DISCUSSANT, kazakh)])
    item(days[1], "13:00", "14:00", ItemKind.LUNCH, {"en": "Lunch", "ru": "Обед", "kk": "Түскі ас"}, foyer)
    closing = item(days[1], "14:00", "15:00", ItemKind.CLOSING,
                   {"en": "Closing of the conference and adoption of the recommendations",
                    "ru": "Закрытие конференции и принятие рекомендаций",
                    "kk": "Конференцияның жабылуы және ұсынымдарды қабылдау"}, hall)
    roles(closing, [(RoleKind.MODERATOR, kazakh), (RoleKind.SPEAKER, german)])
    session.flush()

    # Check-ins: the long names and every other confirmed person on day 1, some again on day 2.
    arrived = [r for i, r in enumerate(registrations) if r.status == Status.CONFIRMED and (i < 4 or i % 2 == 0)]
    for n, reg in enumerate(arrived):
        for d, day in enumerate(days):
            if d == 1 and n % 2:
                continue
            happened = dt.datetime.combine(day, dt.time(8, 35), tz) + dt.timedelta(minutes=3 * n + rng.randint(0, 2))
            happened = happened.astimezone(dt.UTC)
            session.add(CheckIn(registration=reg, desk="Desk 1", action=CheckInAction.IN,
                                happened_at=happened, recorded_at=happened))
    session.flush()
    store_sort_keys(session)
    return event.id


def create_long_event(database: Database) -> int:
    """Create the long-name event in one transaction (sort keys and search skeletons made); its id."""
    from desktop.core.person_keys import settle

    with database.write() as session:
        event_id = build_long_event(session)
        settle(session)
        return event_id
