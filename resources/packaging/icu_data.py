"""ICU's data in the bundle, cut down to what the app uses (``make dist``, Linux; binutils only).

    python resources/packaging/icu_data.py FOLDER     # every libicudata*.so* under FOLDER

Both ICUs in the bundle — Qt's (``PySide6/Qt/lib/libicudata.so.73``) and PyICU's
(``pyicu_wheels.libs/libicudata-*.so.77.1``) — are ICU's "common data package" (some 4,000
items, 32 MB each) exported as one symbol, ``icudtNN_dat``. The app asks ICU for collation
only (desktop/core/collation.py: ``icu.Collator`` in en, ru and kk); Qt asks it for QCollator,
QLocale's case mapping and time-zone names, and for codecs the app never names (its files are
UTF-8). So each library is made again, with the same soname and symbol, from the items kept:

* ICU's own tables it loads by itself (``*.nrm``, ``*.icu`` but the character names, the
  locale-independent ``*.res``: likely subtags, key types, plurals, zones' metadata...);
* of the locale trees read — the locales' own data, collation, time-zone names — the root,
  the pool and the index, and the locales en, ru and kk (with the parents and regions ICU
  falls back through);
* the converters' alias table, but no converter (UTF-8/16 are built into ICU's code).

Left out: the other ~750 locales' data, every codepage converter, the break iterators (rules
and dictionaries), transliteration, the names of currencies, languages, regions and units,
numbers spelt out, StringPrep profiles, the character names.
tests/dist/check_bundle.py proves both trimmed ICUs still collate ru and kk by their own
tailoring (and as the full data does), and the window runs in ru and kk.

The package format (ICU's ``CmnD``): a header, then a table of contents — the count, then per
item (sorted by name) the offsets of its name and of its data from the table's start — then
the names, then the items, each at a 16-byte boundary. Items are copied byte for byte.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# The app's languages (desktop/exports/programme.py LANGUAGES; the catalogs) and the locales
# ICU falls back through from them (en_GB → en_001 → en, kk_KZ → kk, ru_KZ → ru...).
LOCALES = frozenset({"root", "en", "en_001", "en_150", "en_GB", "en_US", "en_US_POSIX", "ru", "ru_RU", "ru_KZ",
                     "kk", "kk_KZ", "kk_Cyrl", "kk_Cyrl_KZ"})
TREE_FILES = frozenset({"pool.res", "res_index.res"})     # each tree's shared keys and its list of locales
# Trees neither the app nor Qt reads: transliterators (the app has its own, translit.py), break
# iterators (Qt breaks text itself), names of currencies, languages, regions and units,
# numbers spelt out. Kept: collation (``coll``), time-zone names (``zone``: QTimeZone).
DROP_TREES = frozenset({"translit", "brkitr", "curr", "lang", "region", "unit", "rbnf"})
DROP_SUFFIXES = (".cnv", ".spp", ".dict")                 # codepages, StringPrep, break dictionaries
DROP_NAMES = frozenset({"unames.icu"})                    # the characters' names
_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*|root")
_SYMBOL = re.compile(r"icudt\d+_dat")


def keep(item: str) -> bool:
    """Whether the package's item ``icudtNNl/[tree/]name`` stays."""
    parts = item.split("/")[1:]
    name = parts[-1]
    if (len(parts) > 1 and parts[0] in DROP_TREES) or name in DROP_NAMES or name.endswith(DROP_SUFFIXES):
        return False
    stem, _, suffix = name.rpartition(".")
    if suffix == "res" and name not in TREE_FILES and _LOCALE.fullmatch(stem):
        return stem in LOCALES
    return True


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """``(header, [(name, item bytes)])`` of a common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[8] != 0 or data[12:16] != b"CmnD":  # little-endian, "common data"
        raise ValueError("not a little-endian ICU common data package")
    toc = data[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at:toc.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of ``items`` (their order kept: ICU looks names up by binary search)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    start = 4 + 8 * len(items) + len(names)
    start += -start % 16
    entries, body, name_at = [], bytearray(), 4 + 8 * len(items)
    for name, item in items:
        entries.append(struct.pack("<II", name_at, start + len(body)))
        name_at += len(name) + 1
        body += item + b"\0" * (-len(item) % 16)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    return header + toc + b"\0" * (start - len(toc)) + bytes(body)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"icu_data: {name} (binutils) is missing: install binutils")
    return found


def _exported_data(library: Path) -> tuple[str, bytes]:
    """The ``icudtNN_dat`` symbol of ``library`` and its bytes (from the ELF's dynamic symbols)."""
    symbols = subprocess.run([_tool("readelf"), "-W", "--dyn-syms", str(library)], capture_output=True, text=True,
                             check=True).stdout
    found = [fields for fields in map(str.split, symbols.splitlines()) if fields and _SYMBOL.fullmatch(fields[-1])]
    if len(found) != 1:
        raise SystemExit(f"icu_data: {library.name}: no single icudt*_dat symbol")
    _num, value, size, _type, _bind, _vis, section, symbol = found[0][:8]
    sections = subprocess.run([_tool("readelf"), "-W", "-S", str(library)], capture_output=True, text=True,
                              check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[0] == f"[{section}]":
            address, offset = int(fields[3], 16), int(fields[4], 16)
            break
    else:
        raise SystemExit(f"icu_data: {library.name}: no section {section}")
    at = int(value, 16) - address + offset
    with library.open("rb") as f:
        f.seek(at)
        return symbol, f.read(int(size, 0))


def _soname(library: Path) -> str:
    dynamic = subprocess.run([_tool("readelf"), "-W", "-d", str(library)], capture_output=True, text=True,
                             check=True).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
    if match is None:
        raise SystemExit(f"icu_data: {library.name}: no soname")
    return match.group(1)


def trim(library: Path) -> tuple[int, int, int, int]:
    """Makes ``library`` again with only the items ``keep`` keeps.

    Returns (items before, items after, bytes before, bytes after) of the data package."""
    symbol, data = _exported_data(library)
    header, items = read_package(data)
    kept = [(name, item) for name, item in items if keep(name)]
    package = write_package(header, kept)
    if read_package(package)[1] != kept:
        raise SystemExit(f"icu_data: {library.name}: the package written does not read back")
    soname = _soname(library)
    with tempfile.TemporaryDirectory(prefix="icu-data-") as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(package)
        (work / "data.s").write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.size {symbol}, {len(package)}\n"
            f'{symbol}:\n\t.incbin "{work / "data.bin"}"\n'
            '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run([_tool("as"), "-o", str(work / "data.o"), str(work / "data.s")], check=True)
        subprocess.run([_tool("ld"), "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(work / "lib.so"),
                        str(work / "data.o")], check=True)
        mode = library.stat().st_mode
        shutil.copyfile(work / "lib.so", library)
        library.chmod(mode)
    return len(items), len(kept), len(data), len(package)


def trim_all(folder: Path) -> list[str]:
    """Trims every ICU data library under ``folder``; a line per library saying what it did."""
    said = []
    for library in sorted(folder.rglob("libicudata*.so*")):
        if library.is_symlink() or not library.is_file():
            continue
        before_items, after_items, before, after = trim(library)
        said.append(f"{library.relative_to(folder)}: {before_items} → {after_items} items, "
                    f"{before / 1e6:.1f} → {after / 1e6:.1f} MB")
    return said


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    for line in trim_all(Path(sys.argv[1])):
        print(f"icu_data: {line}")
