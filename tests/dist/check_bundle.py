"""Checks the tarball ``make dist`` wrote, as an organiser's machine would run it (issue 14).

    python tests/dist/check_bundle.py dist/conference-desk-VERSION-linux-x86_64.tar.gz

A plain script (not collected by pytest: tests/dist is in norecursedirs), run by .ci/dist.
It unpacks the tarball into a temporary folder and:

1. checks its layout and that the bundle holds every file the app finds at run time (the
   repository's fonts, icons, demo data, catalogs and Alembic scripts — listed from the
   checkout, so a new file that the spec misses fails), Qt's plugins and catalogs, Babel's,
   pyphen's, ICU's, pdfium's and psycopg's data and libraries, the build's facts; and that
   the Qt modules left out (QML, Quick, WebEngine, PDF) and what was trimmed for size are not
   in it: pyphen's dictionaries are exactly those desktop/exports/hyphenation.py asks for; both
   ICUs' data is trimmed and still collates ru, kk and en by their own rules (each ICU loaded
   by path, in its own interpreter); Qt's CUPS plugin finds the machine's libcups;
2. runs the bundle with no Python of ours anywhere: ``PATH=/usr/bin:/bin``, no VIRTUAL_ENV or
   PYTHONPATH, HOME an empty folder and no XDG_* variable: ``--version``; the window (offscreen)
   until it is shown and its database (the default one, created in the data folder, with the
   demo) is ready, in English, Russian and Kazakh; ``--help`` in Russian and Kazakh; ``demo``,
   ``export-program``, ``export-badges``, ``export-attendees``, ``check-in``, the window on a
   database given as a bare file, ``import-attendees`` then ``attendees --lang ru|kk|en`` in
   each alphabet's order, ``desk-export`` and ``desk-merge --dry-run`` (a signed desk file);
   with CONFERENCE_DESK_TEST_PG_URL, ``demo`` and ``events`` on a new PostgreSQL database;
3. checks what they wrote: every font of the PDFs embedded (``pdffonts``), the workbook opens
   with openpyxl;
4. runs ``install.sh`` into another empty HOME: the command, the menu entry
   (``desktop-file-validate`` where present), the icons and the MIME type land, the installed
   command runs; then ``install.sh --uninstall`` removes them all.

Prints each check, the sizes (unpacked, packed) and the start-up time of the bundle's window;
exit status 1 when anything failed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
failures: list[str] = []


def ok(what: str) -> None:
    print(f"ok: {what}", flush=True)


def fail(what: str) -> None:
    print(f"FAIL: {what}", flush=True)
    failures.append(what)


def check(condition: bool, what: str, detail: str = "") -> bool:
    if condition:
        ok(what)
    else:
        fail(f"{what}{': ' + detail if detail else ''}")
    return condition


def clean_environment(home: Path, **extra: str) -> dict[str, str]:
    """An organiser's session: no Python of ours, an empty HOME, no XDG_* variable."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "TMPDIR": str(home / "tmp")}
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


def run(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(list(argv), env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(list(argv), -9, str(exc.stdout or ""), f"timed out after {TIMEOUT} s")


def said(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}; stdout {done.stdout.strip()[-300:]!r}; stderr {done.stderr.strip()[-600:]!r}"


# -- 1. what is inside ------------------------------------------------------------------------------


def repository_files() -> list[str]:
    """The app's own files it reads at run time, as the bundle must hold them."""
    wanted: list[str] = []
    for folder, pattern in (("resources/fonts", "*"), ("resources/icons", "*.svg"), ("resources/demo", "*"),
                            ("resources/translations", "*/LC_MESSAGES/*.mo"), ("db/migrations", "*.py"),
                            ("db/migrations", "*.mako"), ("db/migrations/versions", "*.py")):
        wanted += [str(p.relative_to(ROOT)) for p in sorted((ROOT / folder).glob(pattern)) if p.is_file()]
    return wanted


REQUIRED = (
    # Qt: the windowing systems, SVG, printing, Qt's own catalogs (ui_language.QT_CATALOGS)
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/translations/qtbase_ru.qm",
    "PySide6/Qt/translations/qtbase_kk.qm",
    "PySide6/QtSvg.abi3.so",
    "PySide6/QtPrintSupport.abi3.so",
    # CLDR (Babel), hyphenation, ICU, PDF rendering, PostgreSQL, ReportLab
    "babel/global.dat",
    "babel/locale-data/root.dat",
    "babel/locale-data/en.dat",
    "babel/locale-data/en_GB.dat",
    "babel/locale-data/ru.dat",
    "babel/locale-data/kk.dat",
    "pyphen/dictionaries/hyph_ru_RU.dic",
    "pyphen/dictionaries/hyph_en_US.dic",
    "pyphen/dictionaries/hyph_de_DE.dic",
    "pypdfium2_raw/libpdfium.so",
    "reportlab/fonts",
    "psycopg_binary",
    "icu",
    "desktop/build_info.json",
)
LEFT_OUT = ("libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt6Pdf", "libQt6Multimedia", "libQt63D",
            "libQt6VirtualKeyboard", "QtQml.abi3", "QtWebEngine", "QtNetwork.abi3",
            # trimmed for size (the spec says why): readline, the CJK codecs, LittleCMS; CUPS's
            # client library and what only it links come from the machine
            "readline.", "libreadline", "_codecs_jp.",
            "_codecs_cn.", "_imagingcms.", "liblcms2", "libcups.so", "libgnutls.so", "libavahi-client.so")
ICU_DATA_MAX = 8_000_000  # bytes of each trimmed libicudata (the full data: 32 MB)


def hyphenation_languages() -> set[str]:
    """The languages desktop/exports/hyphenation.py asks pyphen for."""
    text = (ROOT / "desktop" / "exports" / "hyphenation.py").read_text(encoding="utf-8")
    return set(re.findall(r'_pyphen_points\("([A-Za-z_]+)"', text))


def check_dictionaries(internal: Path) -> None:
    """pyphen's dictionaries in the bundle are those the hyphenation asks for, found the way
    pyphen finds them (its language fallback over the venv's full set, mapped to file names)."""
    import pyphen  # type: ignore[import-untyped]  # the checker's own (the .venv's): the full set of dictionaries

    languages = hyphenation_languages()
    wanted = {Path(pyphen.LANGUAGES[pyphen.language_fallback(lang)]).name for lang in languages}
    present = {p.name for p in (internal / "pyphen" / "dictionaries").glob("*.dic")}
    check(len(languages) >= 3 and wanted <= present,
          f"pyphen's dictionaries for {sorted(languages)} are in the bundle ({sorted(present)})",
          f"missing {sorted(wanted - present)}")
    check(present <= wanted, "no other pyphen dictionary is in the bundle", f"extra {sorted(present - wanted)}")


# Both ICUs (Qt's and PyICU's), their data trimmed by resources/packaging/icu_data.py, must
# still collate by each language's own tailoring. The words tell the tailorings apart from the
# root order (what ICU falls back to when a locale's data is missing): Russian puts Cyrillic
# before Latin and Ё with Е; Kazakh has Ё, Ұ, Ү and І as letters of their own (Е < Ё, Ұ < Ү,
# Ы < І); English (the root's order) puts Latin first.
COLLATION_WORDS = ("Елисеев", "Ёжиков", "Үсенов", "Ұлықов", "Ыбыраев", "Іскаков", "Smith", "Абаев")
COLLATION_ORDERS = {
    "ru": ("Абаев", "Ёжиков", "Елисеев", "Іскаков", "Үсенов", "Ұлықов", "Ыбыраев", "Smith"),
    "kk": ("Абаев", "Елисеев", "Ёжиков", "Ұлықов", "Үсенов", "Ыбыраев", "Іскаков", "Smith"),
    "en": ("Smith", "Абаев", "Ёжиков", "Елисеев", "Іскаков", "Үсенов", "Ұлықов", "Ыбыраев"),
}
# Run in a fresh interpreter (its own ICU only): loads an ICU's three libraries by path and
# sorts the words with ucol_open/ucol_getSortKey in each language.
_ICU_PROBE = r"""
import ctypes, json, sys
folder, data, uc, i18n, suffix, words = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
for name in (data, uc):
    ctypes.CDLL(f"{folder}/{name}", mode=ctypes.RTLD_GLOBAL)
lib = ctypes.CDLL(f"{folder}/{i18n}")
ucol_open, key_of = getattr(lib, "ucol_open" + suffix), getattr(lib, "ucol_getSortKey" + suffix)
located = getattr(lib, "ucol_getLocaleByType" + suffix)
ucol_open.restype, located.restype = ctypes.c_void_p, ctypes.c_char_p
key_of.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32]
located.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
said = {}
for lang in ("ru", "kk", "en"):
    status = ctypes.c_int(0)
    coll = ucol_open(lang.encode(), ctypes.byref(status))
    if not coll or status.value > 0:
        said[lang] = {"error": status.value}
        continue
    def key(word):
        text = word.encode("utf-16-le")
        out = ctypes.create_string_buffer(1024)
        n = key_of(coll, text, len(text) // 2, out, 1024)
        return out.raw[:n]
    valid = located(coll, 1, ctypes.byref(status))  # ULOC_VALID_LOCALE
    said[lang] = {"order": sorted(words, key=key), "valid": (valid or b"").decode(), "status": status.value}
print(json.dumps(said))
"""


def icu_libraries(internal: Path) -> dict[str, tuple[Path, str, str, str, str]]:
    """The bundle's ICUs: {which: (folder, data, uc, i18n, symbol suffix)}."""
    found = {}
    for which, folder in (("Qt's", internal / "PySide6" / "Qt" / "lib"), ("PyICU's", internal / "pyicu_wheels.libs")):
        names = {part: next((p.name for p in sorted(folder.glob(f"libicu{part}*.so*")) if not p.is_symlink()), "")
                 for part in ("data", "uc", "i18n")}
        version = re.search(r"\.so\.(\d+)", names["data"])
        if all(names.values()) and version:
            found[which] = (folder, names["data"], names["uc"], names["i18n"], f"_{version.group(1)}")
        else:
            fail(f"{which} ICU libraries are in the bundle: {names}")
    return found


def check_icu(internal: Path) -> None:
    for which, (folder, data, uc, i18n, suffix) in icu_libraries(internal).items():
        size = (folder / data).stat().st_size
        check(size < ICU_DATA_MAX, f"{which} ICU data is trimmed ({size / 1e6:.1f} MB)",
              f"{size / 1e6:.1f} MB, more than {ICU_DATA_MAX / 1e6:.0f} MB")
        done = subprocess.run([sys.executable, "-I", "-c", _ICU_PROBE, str(folder), data, uc, i18n, suffix,
                               *COLLATION_WORDS], capture_output=True, text=True, check=False, timeout=60)
        try:
            said = json.loads(done.stdout)
        except ValueError:
            fail(f"{which} ICU collates: {said(done)}")
            continue
        for lang, expected in COLLATION_ORDERS.items():
            got = said.get(lang, {})
            check(tuple(got.get("order", ())) == expected and (lang == "en" or got.get("valid") == lang),
                  f"{which} ICU collates {lang} by its own rules ({got.get('valid') or 'root'})",
                  f"{got}; expected {' '.join(expected)}")


def check_host_libraries(internal: Path) -> None:
    """CUPS's client library is the machine's (see HOST_LIBS in the spec): the print plugin's
    libraries all resolve here, with the bundle's own folder first as when it runs."""
    plugin = internal / "PySide6" / "Qt" / "plugins" / "printsupport" / "libcupsprintersupport.so"
    done = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(internal)})
    missing = [line.split()[0] for line in done.stdout.splitlines() if "not found" in line]
    check(done.returncode == 0 and "libcups.so.2" in done.stdout and not missing,
          "Qt's CUPS print plugin finds libcups on this machine", f"not found: {missing}; {done.stderr.strip()}")


def check_contents(stage: Path, version: str) -> Path:
    for name in ("install.sh", "conference-desk.desktop", "conference-desk.svg", "conference-desk-mime.xml",
                 "app/conference-desk"):
        check((stage / name).is_file(), f"the tarball holds {name}")
    internal = stage / "app" / "_internal"
    missing = [f for f in repository_files() if not (internal / f).is_file()]
    check(not missing, f"the bundle holds the app's {len(repository_files())} data files "
          "(fonts, icons, demo, catalogs, migrations)", f"missing {missing}")
    missing = [f for f in REQUIRED if not (internal / f).exists()]
    check(not missing, f"the bundle holds Qt's plugins and catalogs and the libraries' data ({len(REQUIRED)})",
          f"missing {missing}")
    icu_libs = list(internal.glob("**/libicudata*"))
    check(len(icu_libs) >= 1, "ICU's data library is in the bundle", "no libicudata*")
    present = sorted(str(p.relative_to(internal)) for p in internal.rglob("*") if p.name.startswith(LEFT_OUT))
    check(not present, "Qt modules the app does not use are left out", f"found {present[:8]}")
    check_dictionaries(internal)
    check_icu(internal)
    check_host_libraries(internal)
    locales = {p.stem for p in (internal / "babel" / "locale-data").glob("*.dat")}
    check(len(locales) < 20, f"Babel's locales: only ours ({len(locales)})", f"{sorted(locales)[:20]}")
    try:
        info = json.loads((internal / "desktop" / "build_info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"the build's facts: {exc}")
        info = {}
    check(info.get("version") == version and bool(info.get("date")),
          f"the build's facts: version {info.get('version')}, commit {info.get('commit')}, date {info.get('date')}")
    return stage / "app" / "conference-desk"


# -- 2. and 3. running it --------------------------------------------------------------------------------


def pdf_fonts_embedded(pdf: Path, what: str) -> None:
    if shutil.which("pdffonts") is None:
        fail("pdffonts (poppler-utils) is missing: the PDFs' fonts cannot be checked")
        return
    done = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=False)
    rows = done.stdout.splitlines()[2:]
    # columns: name type encoding emb sub uni object ID — "emb" is the 4th from the right
    not_embedded = [r.split()[0] for r in rows if len(r.split()) >= 7 and r.split()[-5] != "yes"]
    check(done.returncode == 0 and bool(rows) and not not_embedded,
          f"{what}: {len(rows)} fonts, every one embedded", f"not embedded {not_embedded}; {done.stderr.strip()}")


def check_window(app: Path, home: Path, lang: str, *args: str) -> float | None:
    """The window until it is shown and its database ready; the seconds to 'shown'."""
    env = clean_environment(home, CONFERENCE_DESK_EXIT_WHEN_SHOWN=repr(time.time()))
    done = run([str(app), "--ui-language", lang, *args], env)
    lines = dict(line.split(maxsplit=1) for line in done.stdout.splitlines() if line.startswith(("shown", "ready")))
    what = f"the window ({lang}{', ' + ' '.join(args) if args else ''}) is shown and its database ready"
    if check(done.returncode == 0 and {"shown", "ready"} <= set(lines), what, said(done)):
        return float(lines["shown"])
    return None


def check_commands(app: Path, work: Path) -> None:
    home = work / "home"
    home.mkdir()
    env = clean_environment(home)
    version = run([str(app), "--version"], env)
    check(version.returncode == 0 and version.stdout.startswith("conference-desk ")
          and "Build of" in version.stdout, f"--version: {version.stdout.strip()!r}", said(version))

    shown = check_window(app, home, "en")
    if shown is not None:
        print(f"bundle: window shown {shown:.2f} s after the start (first start: the demo is made after)")
    default = home / ".local" / "share" / "conference-desk" / "conference-desk.sqlite"
    check(default.is_file(), f"the default database is in the user's data folder ({default.relative_to(home)})")
    for lang, letters in (("ru", "ЖЗИЙКЛ"), ("kk", "ӘҒҚҢӨҰҮҺІ")):
        check_window(app, home, lang)
        helped = run([str(app), "--ui-language", lang, "--help"], env)
        check(helped.returncode == 0 and "COMMAND" in helped.stdout
              and any(c in helped.stdout.upper() for c in letters) and "Without a command" not in helped.stdout,
              f"--help speaks {lang} (the catalogs load)", said(helped))

    db = work / "demo.sqlite"
    done = run([str(app), "--db", str(db), "demo"], env)
    check(done.returncode == 0 and done.stdout.strip().isdigit(), "demo", said(done))
    check_window(app, home, "en", str(db))  # a database given as a bare file (Open with)

    programme, badges, attendees = work / "programme.pdf", work / "badges.pdf", work / "attendees.xlsx"
    for argv, target in ((["export-program", "--lang", "ru", "-o", str(programme)], programme),
                         (["export-badges", "--lang", "kk", "-o", str(badges)], badges),
                         (["export-attendees", "--lang", "ru", "-o", str(attendees)], attendees)):
        done = run([str(app), "--db", str(db), *argv], env)
        check(done.returncode == 0 and target.is_file() and target.stat().st_size > 1000, argv[0], said(done))
    if programme.is_file():
        pdf_fonts_embedded(programme, "export-program")
    if badges.is_file():
        pdf_fonts_embedded(badges, "export-badges")
    if attendees.is_file():
        try:
            import openpyxl

            book = openpyxl.load_workbook(attendees, read_only=True)
            rows = sum(1 for _ in book.worksheets[0].iter_rows())
            check(rows > 10, f"export-attendees: the workbook opens ({rows} rows)")
        except Exception as exc:  # noqa: BLE001 - any failure to read it is the finding
            fail(f"export-attendees: the workbook does not open: {exc}")

    check_sorting(app, env, work, db)
    check_desk_file(app, env, work, db)

    listed = run([str(app), "--db", str(db), "attendees"], env)
    lines = listed.stdout.splitlines() if listed.returncode == 0 else []
    code = lines[1].split("\t")[0] if len(lines) > 1 else ""
    done = run([str(app), "--db", str(db), "check-in", code], env)
    check(bool(code) and done.returncode == 0 and done.stdout.strip() != "", f"check-in {code}", said(done))
    again = run([str(app), "--db", str(db), "check-in", code], env)
    check(again.returncode == 0 and again.stdout != done.stdout, "check-in again: said it was before", said(again))
    check(not list(home.glob("*.pyc")) and not (home / ".cache" / "pip").exists(), "nothing of Python's in HOME")
    check_postgres(app, env)


def check_sorting(app: Path, env: dict[str, str], work: Path, db: Path) -> None:
    """The lists sort by each language's alphabet (PyICU with the trimmed data): people named
    by COLLATION_WORDS imported, then listed by ``attendees --lang``."""
    table = work / "collation.csv"
    table.write_text("Family name,Given name,Organisation\n"
                     + "".join(f"{word},Арман,Zzcollation\n" for word in COLLATION_WORDS), encoding="utf-8")
    done = run([str(app), "--db", str(db), "import-attendees", str(table)], env)
    if not check(done.returncode == 0, "import-attendees (a CSV)", said(done)):
        return
    for lang, expected in COLLATION_ORDERS.items():
        done = run([str(app), "--db", str(db), "attendees", "--lang", lang, "--search", "Zzcollation"], env)
        names = [w for line in done.stdout.splitlines()[1:] for w in line.split("\t")[1].split()
                 if w in COLLATION_WORDS] if done.returncode == 0 else []
        check(tuple(names) == expected, f"attendees --lang {lang} sorts by the {lang} alphabet",
              f"{' '.join(names)}; expected {' '.join(expected)}; {said(done)}")


def check_desk_file(app: Path, env: dict[str, str], work: Path, db: Path) -> None:
    """A desk file written and checked back: its signature (HMAC-SHA-256), its merge."""
    desk = work / "desk.deskdb"
    done = run([str(app), "--db", str(db), "desk-export", str(desk)], env)
    check(done.returncode == 0 and desk.is_file(), "desk-export (a signed desk file)", said(done))
    done = run([str(app), "--db", str(db), "desk-merge", "--dry-run", str(desk)], env)
    check(done.returncode == 0, "desk-merge --dry-run (its signature checks)", said(done))


def check_postgres(app: Path, env: dict[str, str]) -> None:
    url = os.environ.get("CONFERENCE_DESK_TEST_PG_URL")
    if not url:
        print("bundle: PostgreSQL not checked (CONFERENCE_DESK_TEST_PG_URL is not set)")
        return
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(url)
    name = f"cd_bundle_{os.getpid()}"
    plain = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        target = server.set(database=name).render_as_string(hide_password=False)
        done = run([str(app), "--db", target, "demo"], env)
        check(done.returncode == 0 and done.stdout.strip().isdigit(), "demo on PostgreSQL (psycopg)", said(done))
        done = run([str(app), "--db", target, "events"], env)
        check(done.returncode == 0 and done.stdout.count("\n") == 2, "events on PostgreSQL", said(done))
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- 4. installing it -----------------------------------------------------------------------------------


def check_install(stage: Path, work: Path) -> None:
    home = work / "install-home"
    home.mkdir()
    env = clean_environment(home)
    env["CONFERENCE_DESK_UI_LANGUAGE"] = "ru"  # the installer speaks the organiser's language
    done = run(["sh", str(stage / "install.sh")], env)
    check(done.returncode == 0, "install.sh", said(done))
    check("установлен" in done.stdout and "installed" not in done.stdout,
          "install.sh said it in Russian (CONFERENCE_DESK_UI_LANGUAGE=ru)", said(done))
    share = home / ".local" / "share"
    launcher = home / ".local" / "bin" / "conference-desk"
    desktop_file = share / "applications" / "conference-desk.desktop"
    placed = [launcher, desktop_file, share / "conference-desk" / "app" / "conference-desk",
              share / "icons" / "hicolor" / "scalable" / "apps" / "conference-desk.svg",
              share / "icons" / "hicolor" / "scalable" / "mimetypes" / "application-x-conference-desk.svg",
              share / "mime" / "packages" / "conference-desk.xml", share / "conference-desk" / "install.sh"]
    missing = [str(p.relative_to(home)) for p in placed if not p.exists()]
    check(not missing, "install.sh placed the command, the menu entry, the icons and the MIME type",
          f"missing {missing}")
    if desktop_file.is_file():
        text = desktop_file.read_text(encoding="utf-8")
        check(f"Exec={launcher} %f" in text and "application/x-conference-desk;" in text,
              "the menu entry runs the installed command on a file, for .deskdb and spreadsheets")
        if shutil.which("desktop-file-validate"):
            valid = subprocess.run(["desktop-file-validate", str(desktop_file)], capture_output=True, text=True,
                                   check=False)
            check(valid.returncode == 0 and not valid.stdout.strip(), "desktop-file-validate",
                  valid.stdout + valid.stderr)
        else:
            print("bundle: desktop-file-validate is not installed: the menu entry was not validated")
    if shutil.which("update-mime-database"):
        check((share / "mime" / "application" / "x-conference-desk.xml").is_file(),
              "update-mime-database registered application/x-conference-desk")
    if launcher.is_file():
        done = run([str(launcher), "--version"], env)
        check(done.returncode == 0 and done.stdout.startswith("conference-desk "), "the installed command runs",
              said(done))
    env["CONFERENCE_DESK_UI_LANGUAGE"] = "kk"
    done = run(["sh", str(share / "conference-desk" / "install.sh"), "--uninstall"], env)
    left = [str(p.relative_to(home)) for p in placed if p.exists()]
    check(done.returncode == 0 and not left, "install.sh --uninstall removed it all", f"{said(done)}; left {left}")
    check("жойылды" in done.stdout, "install.sh --uninstall said it in Kazakh", said(done))


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or not argv[0].endswith(".tar.gz"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    tarball = Path(argv[0]).resolve()
    match = re.fullmatch(r"conference-desk-(.+)-linux-x86_64\.tar\.gz", tarball.name)
    if not tarball.is_file() or match is None:
        print(f"check_bundle: no tarball {tarball}", file=sys.stderr)
        return 2
    version = match.group(1)
    with tempfile.TemporaryDirectory(prefix="conference-desk-bundle-") as tmp:
        work = Path(tmp)
        with tarfile.open(tarball) as tar:
            tar.extractall(work, filter="tar")
        stage = work / tarball.name.removesuffix(".tar.gz")
        app = check_contents(stage, version)
        if app.is_file():
            check_commands(app, work)
        check_install(stage, work)
        unpacked = folder_size(stage)
    print(f"bundle: {unpacked / 1e6:.1f} MB unpacked, {tarball.stat().st_size / 1e6:.1f} MB packed ({tarball.name})")
    if failures:
        print(f"check_bundle: {len(failures)} check(s) FAILED", file=sys.stderr)
        return 1
    print("check_bundle: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
