"""The printed programme (issue 3: ≤ 1.3× bare ReportLab platypus laying out the same strings
with the same fonts, in the same run).

Two synthetic agendas in three languages with long-ish titles: 3 days × 40 items, and
1000 items (10 days × 100). For each, in one process, interleaved, N runs each:

(a) bare: register the DejaVu fonts (not timed), then time a ``SimpleDocTemplate`` built
    from the same strings our export prints — the heading paragraphs, and per row a
    two-column ``Table`` of Paragraphs (time; title, then one paragraph per person line)
    — with the same fonts and the same number of paragraphs, written to a memory buffer;
(b) ours: time ``build_programme(programme, buffer, lang)`` from the same plain data
    (escaping, fallbacks, session bands, keep-with-next, page furniture, "Page N of M",
    the version digest). Ours sets each "Name, position, organisation" line with its own
    small flowable (bold name, regular rest) rather than a Paragraph with markup, which
    measured 2.7× the time of a plain Paragraph for such lines.

Prints the medians and the ratio. Not part of the test suite's pass/fail:

    python tests/bench/programme.py [-n 5] [--lang en]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: import the project from this checkout

from desktop.exports.programme import (  # noqa: E402
    SERVICE_KINDS,
    Entry,
    OnStage,
    Programme,
    Sponsor,
    build_programme,
)

TARGET = 1.3

WORDS = {
    "en": ("judicial reform court administration transparency accountability training education "
           "efficiency policy cooperation evaluation performance procedures digital justice access "
           "international practice experience rule of law independence").split(),
    "ru": ("судебная реформа администрирование прозрачность подотчётность обучение образование "
           "эффективность политика сотрудничество оценка деятельность процедуры цифровое правосудие "
           "доступ международная практика опыт верховенство права независимость").split(),
    "kk": ("сот реформасы әкімшілік ашықтық есептілік оқыту білім тиімділік саясат ынтымақтастық "
           "бағалау қызмет рәсімдер цифрлық сот төрелігі қолжетімділік халықаралық тәжірибе құқық "
           "үстемдігі тәуелсіздік").split(),
}
NAMES = {
    "en": ["Aigerim Bekova", "Daniyar Seitkali", "Olga Petrova", "Marek Nowak", "Ingrid Solberg",
           "Yerlan Abishev", "Saule Nurlanovna", "John Carter"],
    "ru": ["Айгерим Бекова", "Данияр Сейткали", "Ольга Петрова", "Марек Новак", "Ингрид Сульберг",
           "Ерлан Абишев", "Сауле Нурлановна", "Джон Картер"],
    "kk": ["Әйгерім Бекова", "Данияр Сейтқали", "Ольга Петрова", "Марек Новак", "Ингрид Сульберг",
           "Ерлан Әбішев", "Сәуле Нұрланқызы", "Джон Картер"],
}
POSITIONS = {"en": "Judge of the regional court", "ru": "Судья областного суда", "kk": "Облыстық сот судьясы"}
ORGS = {"en": "Supreme Court of the Republic of Kazakhstan", "ru": "Верховный суд Республики Казахстан",
        "kk": "Қазақстан Республикасының Жоғарғы Соты"}


def _title(rng: random.Random, n: int) -> dict[str, str]:
    picks = [rng.randrange(len(WORDS["en"])) for _ in range(n)]
    return {lang: " ".join(WORDS[lang][i % len(WORDS[lang])] for i in picks).capitalize() for lang in WORDS}


def _person(rng: random.Random, role: str = "speaker") -> OnStage:
    i = rng.randrange(len(NAMES["en"]))
    return OnStage(role, {lang: NAMES[lang][i] for lang in NAMES}, dict(POSITIONS), dict(ORGS))


def synthetic_programme(days: int, items_per_day: int, seed: int = 7) -> Programme:
    """``days`` days of sessions of 4 items between coffee breaks; about ``items_per_day``
    entries (items, breaks) a day, titles of 8–18 words, 1–3 speakers an item."""
    rng = random.Random(seed)
    start = dt.date(2025, 3, 3)
    out = []
    colours = ["#2f6fad", "#3b8a5a", "#a0522d", "#6a4c93"]
    for d in range(days):
        day = start + dt.timedelta(days=d)
        at = dt.datetime.combine(day, dt.time(9, 0))
        entries: list[Entry] = []
        count = 0
        s = 0
        while count < items_per_day:
            if count % 5 == 0:
                end = at + dt.timedelta(minutes=15)
                entries.append(Entry("break", {"en": "Coffee break", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
                                     at, end, {"en": "Foyer", "ru": "Фойе", "kk": "Фойе"}))
                at, count = end, count + 1
                continue
            children = []
            s_start = at
            for _ in range(min(4, items_per_day - count)):
                end = at + dt.timedelta(minutes=5)
                children.append(Entry("presentation", _title(rng, rng.randint(8, 18)), at, end,
                                      people=tuple(_person(rng) for _ in range(rng.randint(1, 3)))))
                at, count = end, count + 1
            s += 1
            entries.append(Entry(None, _title(rng, 10), s_start, at, {"en": "Main hall", "ru": "Большой зал",
                                                                       "kk": "Үлкен зал"},
                                 people=(_person(rng, "moderator"),), children=tuple(children),
                                 colour=colours[s % len(colours)]))
        out.append((day, tuple(entries)))
    return Programme(
        title=_title(rng, 12), subtitle=_title(rng, 8), starts_on=start, ends_on=start + dt.timedelta(days=days - 1),
        venue={"en": "Conference centre", "ru": "Конференц-центр", "kk": "Конференция орталығы"},
        city={"en": "Astana", "ru": "Астана", "kk": "Астана"},
        sponsors=(Sponsor("organiser", dict(ORGS)), Sponsor("funder", {"en": "Kingdom of Norway"})),
        days=tuple(out),
    )


def _strings(programme: Programme, lang: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The texts our export prints, in order: heading paragraphs, then (time, lines) rows."""
    def t(texts):  # type: ignore[no-untyped-def]
        return texts.get(lang) or next(iter(v for v in texts.values() if v), "")

    def people(entry: Entry) -> list[str]:
        return [", ".join(x for x in (t(p.name), t(p.position), t(p.organisation)) if x) for p in entry.people]

    head = ["PROGRAMME", t(programme.title), t(programme.subtitle), "3–12 March 2025 · Conference centre, Astana"]
    head += [t(s.name) for s in programme.sponsors] + ["ORGANISED BY", "FUNDED BY"]
    rows: list[tuple[str, list[str]]] = []
    for day, entries in programme.days:
        rows.append(("", [f"Day — {day:%A, %d %B %Y}"]))
        for e in entries:
            times = f"{e.starts_at:%H:%M}–{e.ends_at:%H:%M}"
            if e.kind in SERVICE_KINDS:
                rows.append((times, [f"{t(e.title)} {t(e.room)}"]))
                continue
            rows.append((times, [t(e.title), t(e.room), *people(e)]))
            for c in e.children:
                rows.append((f"{c.starts_at:%H:%M}–{c.ends_at:%H:%M}", [t(c.title), *people(c)]))
    return head, rows


def bare(programme: Programme, lang: str) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from desktop.exports.fonts import register_fonts

    fonts = register_fonts()
    head, rows = _strings(programme, lang)
    start = time.perf_counter()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=10, leading=13)
    bold = ParagraphStyle("bb", fontName=fonts.bold, fontSize=19, leading=23)
    story: list = [Paragraph(h, bold if i == 1 else style) for i, h in enumerate(head)]
    for times, lines in rows:
        table = [[Paragraph(times, style), Paragraph(lines[0], style)]]
        table += [["", Paragraph(line, style)] for line in lines[1:]]
        story.append(Table(table, colWidths=[80, 420], style=[("FONTNAME", (0, 0), (-1, -1), fonts.regular)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return time.perf_counter() - start


def ours(programme: Programme, lang: str) -> tuple[float, int]:
    from desktop.exports.fonts import register_fonts

    register_fonts()
    start = time.perf_counter()
    buffer = io.BytesIO()
    result = build_programme(programme, buffer, lang)
    return time.perf_counter() - start, result.pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--lang", default="en", help="programme language (default en)")
    parser.add_argument("--save", metavar="DIR", help="also write the two programmes as PDFs into DIR")
    args = parser.parse_args()
    cases = {"3 days × 40 items": synthetic_programme(3, 40), "1000 items": synthetic_programme(10, 100)}
    worst = 0.0
    for name, programme in cases.items():
        bare(programme, args.lang)  # warm up: font files, imports
        ours(programme, args.lang)
        b_times, o_times, pages = [], [], 0
        for _ in range(args.n):
            b_times.append(bare(programme, args.lang))
            seconds, pages = ours(programme, args.lang)
            o_times.append(seconds)
        b, o = statistics.median(b_times), statistics.median(o_times)
        worst = max(worst, o / b)
        print(f"{name:<20} ({pages} pages, lang {args.lang}): bare platypus {b * 1000:7.1f} ms, "
              f"ours {o * 1000:7.1f} ms, ratio {o / b:.2f}× (target ≤ {TARGET}×)")
        if args.save:
            build_programme(programme, Path(args.save) / f"bench-{pages}p.pdf", args.lang)
    print(f"worst ratio {worst:.2f}× — {'within' if worst <= TARGET else 'OVER'} the target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
