"""PDFs written in parts joined into one file, one part at a time.

ReportLab keeps every page of a document in memory until it saves it (and then the whole
file as well): 100,000 badges, 12,515 pages, took 976 MiB. ``PageWriter`` therefore writes
a long document as parts of a few hundred pages, each a complete PDF saved and let go, and
:func:`join_parts` puts them together: each part's objects are copied to the file as they
are read — renumbered, their streams as stored (never decoded) — so the join holds one
part at a time; the page tree, the cross-reference table and the trailer come last. Memory
stays what one part needs, however long the list.

* The first part's catalog (the document's language) and information (title, author) are
  the file's; the other parts' are left out.
* Each part embeds the subsets of the fonts its own pages use. Two parts' subsets of one
  font carry the same tag (ReportLab's "AAAAAA+DejaVuSans") but not the same glyphs, so the
  tags are renamed to be unique in the file: a viewer may take fonts of one name for one.
* Late forms: a form a page names but that is defined only after the last page ("Page N of
  M": M is known at the end) is an empty placeholder in every part. The definitions are in
  the last files, ``forms``, each of whose one page names the late forms it defines (that
  page is not copied); each part's uses are pointed at them and its placeholders left out.

pypdf reads each part's structure (cross-reference table, trailer, page tree). An object
is copied as its bytes, only its references renumbered (and a subset's tag renamed) in the
text before its stream: parsing every page and content stream into objects and writing
them back took a millisecond a page, as much as a tenth of drawing the sign-in sheet. An
object that holds a text string (the document's information) goes through pypdf's objects,
where a string that reads like "5 0 R" stays a string.
"""

from __future__ import annotations

import io
import os
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

_TAGGED = re.compile(r"^/([A-Z]{6})\+")
_XREF_FREE = b"0000000000 65535 f \n"
_REF = re.compile(rb"(?<![\w.])(\d+)\s+0\s+R(?![\w.])")
_RAW_TAG = re.compile(rb"/(BaseFont|FontName)(\s*)/([A-Z]{6})\+")
_STREAM = re.compile(rb">>\s*stream(\r\n|\n)")
_STRINGS = re.compile(rb"\(|(?<![<>])<[0-9A-Fa-f\s]*>(?!>)")
_OBJ = re.compile(rb"\s*\d+\s+0\s+obj\s*")
_CONTENTS = re.compile(rb"/Contents\s+(\d+)\s+0\s+R")
_FORMS = re.compile(rb"/(FormXob\.[^\s/<>\[\]()]+)\s+(\d+)\s+0\s+R")


class _Output:
    """The joined file as it is written: object numbers handed out, each object's offset."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.offsets = array("q", [0])  # by object number; -1: handed out, not yet written
        self.position = 0

    def reserve(self) -> int:
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.position += len(data)

    def put(self, number: int, obj: Any) -> None:
        buffer = io.BytesIO()
        buffer.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(buffer)
        buffer.write(b"\nendobj\n")
        self.offsets[number] = self.position
        self.write(buffer.getvalue())


class _Tags:
    """New subset tags, unique in the joined file."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        n, letters = self.count, []
        self.count += 1
        for _i in range(6):
            n, r = divmod(n, 26)
            letters.append(chr(ord("A") + r))
        return "".join(reversed(letters))


def _page_tree(reader: Any, raw: Callable[[int], bytes]) -> tuple[list[int], list[int]]:
    """The part's pages' object numbers in order, and its page tree's nodes'."""
    from pypdf.generic import IndirectObject

    catalog = reader.get_object(reader.trailer.raw_get("/Root"))
    pages: list[int] = []
    nodes: list[int] = []
    stack = [catalog.raw_get("/Pages")]
    while stack:
        ref = stack.pop()
        assert isinstance(ref, IndirectObject)
        if re.search(rb"/Type\s*/Pages\b", raw(ref.idnum)):
            nodes.append(ref.idnum)
            stack.extend(reversed(list(list.__iter__(reader.get_object(ref)["/Kids"]))))
        else:
            pages.append(ref.idnum)
    return pages, nodes


def _spans(data: bytes, offsets: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Where each object's text lies in a part: from its offset to the end of its "endobj"
    (objects follow one another; the last is followed by the cross-reference table)."""
    order = sorted(offsets.items(), key=lambda item: item[1])
    spans: dict[int, tuple[int, int]] = {}
    for i, (number, start) in enumerate(order):
        stop = order[i + 1][1] if i + 1 < len(order) else len(data)
        end = data.rfind(b"endobj", start, stop)
        if end < 0:
            raise ValueError(f"object {number} has no end")
        spans[number] = (start, end + len(b"endobj"))
    return spans


def _copy_raw(text: bytes, number: int, numbers: dict[int, int], tags: dict[str, str],
              new_tag: Callable[[], str]) -> bytes | None:
    """An object's text with its number and references renumbered and its subset tags
    renamed, the stream after its dictionary as it was; None when the text before the
    stream holds a string (pypdf copies it)."""
    header = _OBJ.match(text)
    if header is None:
        return None
    stream = _STREAM.search(text, header.end())
    head_end = stream.end() if stream else len(text) - len(b"endobj")
    head = text[header.end():head_end]
    if _STRINGS.search(head):
        return None

    def tag(found: re.Match[bytes]) -> bytes:
        old = found.group(3).decode()
        if old not in tags:
            tags[old] = new_tag()
        return b"/%s%s/%s+" % (found.group(1), found.group(2), tags[old].encode())

    head = _REF.sub(lambda found: b"%d 0 R" % numbers[int(found.group(1))], head)
    head = _RAW_TAG.sub(tag, head)
    return b"%d 0 obj\n" % number + head + text[head_end:] + b"\n"


def _renumber(obj: Any, numbers: dict[int, int], tags: dict[str, str], new_tag: Callable[[], str]) -> Any:
    """``obj`` with its references renumbered (in place where it is a container) and its
    font subsets' tags renamed."""
    from pypdf.generic import IndirectObject, NameObject

    if isinstance(obj, IndirectObject):
        return IndirectObject(numbers[obj.idnum], 0, None)
    if isinstance(obj, dict):
        for key, value in dict.items(obj):
            if isinstance(value, IndirectObject | dict | list):
                dict.__setitem__(obj, key, _renumber(value, numbers, tags, new_tag))
            elif key in ("/BaseFont", "/FontName") and isinstance(value, NameObject):
                found = _TAGGED.match(value)
                if found:
                    tag = tags.get(found.group(1))
                    if tag is None:
                        tag = tags[found.group(1)] = new_tag()
                    dict.__setitem__(obj, key, NameObject(f"/{tag}+{value[found.end():]}"))
    elif isinstance(obj, list):
        for i, value in enumerate(list.__iter__(obj)):
            if isinstance(value, IndirectObject | dict | list):
                list.__setitem__(obj, i, _renumber(value, numbers, tags, new_tag))
    return obj


def join_parts(parts: Sequence[Path], target: str | os.PathLike[str], *, forms: Sequence[Path] = (),
               late: Iterable[str] = (), check: Callable[[], None] | None = None) -> int:
    """Join the PDFs ``parts`` (in order) into ``target``; returns the number of pages.

    ``late`` names the late forms (ReportLab's XObject names, "/FormXob.page12") whose
    definitions are in ``forms`` (see the module docstring). ``check`` is called before each
    part (it raises to stop: a cancel).
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

    late_names = set(late)
    tags = _Tags()
    kids = array("q")
    with open(target, "wb") as fh:
        out = _Output(fh)
        pages_number = out.reserve()
        late_numbers: dict[str, int] = {}
        root_number = info_number = 0
        trailer_id: Any = None
        header = b"%PDF-1.4"
        for index, path in enumerate([*parts, *forms]):
            if check is not None:
                check()
            is_forms = index >= len(parts)
            data = Path(path).read_bytes()
            with PdfReader(io.BytesIO(data)) as reader:  # closing it lets go of what it read
                if any(reader.xref_objStm):
                    raise ValueError("a part with object streams")  # ReportLab writes none
                offsets = {n: at for entries in reader.xref.values() for n, at in entries.items()}
                spans = _spans(data, offsets)

                def raw(n: int, spans: dict[int, tuple[int, int]] = spans, data: bytes = data) -> bytes:
                    start, end = spans[n]
                    return data[start:end]

                first = index == 0
                page_numbers, nodes = _page_tree(reader, raw)
                numbers: dict[int, int] = dict.fromkeys(nodes, pages_number)
                skip = set(nodes)
                root_ref, info_ref = reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")
                if first:
                    header = reader.pdf_header.encode("latin-1")
                    trailer_id = reader.trailer.get("/ID")
                    out.write(header + b"\n%\x93\x8c\x8b\x9e\n")
                else:
                    skip.add(root_ref.idnum)
                    if isinstance(info_ref, IndirectObject):
                        skip.add(info_ref.idnum)
                # Late forms: every use pointed at the one definition (the forms file's).
                if late_names:
                    for page in page_numbers:
                        for found in _FORMS.finditer(raw(page)):
                            name, number = "/" + found.group(1).decode("latin-1"), int(found.group(2))
                            if name in late_names:
                                if name not in late_numbers:
                                    late_numbers[name] = out.reserve()
                                numbers[number] = late_numbers[name]
                                if not is_forms:
                                    skip.add(number)
                if is_forms:
                    # Its page only names the forms: neither it nor its content is copied.
                    for page in page_numbers:
                        skip.add(page)
                        skip.update(int(found.group(1)) for found in _CONTENTS.finditer(raw(page)))
                stored = sorted(offsets)
                for n in stored:
                    if n not in numbers and n not in skip:
                        numbers[n] = out.reserve()
                if not is_forms:
                    kids.extend(numbers[p] for p in page_numbers)
                if first:
                    root_number = numbers[root_ref.idnum]
                    info_number = numbers[info_ref.idnum] if isinstance(info_ref, IndirectObject) else 0
                part_tags: dict[str, str] = {}
                for n in stored:
                    if n in skip:
                        continue
                    number = numbers[n]
                    if out.offsets[number] != -1:
                        continue  # a late form a part defined too
                    copied = _copy_raw(raw(n), number, numbers, part_tags, tags.next)
                    if copied is not None:
                        out.offsets[number] = out.position
                        out.write(copied)
                        continue
                    obj = reader.get_object(n)
                    if obj is not None:
                        out.put(number, _renumber(obj, numbers, part_tags, tags.next))
        missing = [name for name, n in late_numbers.items() if out.offsets[n] == -1]
        if missing:
            raise ValueError(f"late forms never defined: {', '.join(sorted(missing)[:5])}")
        if -1 in out.offsets[1:pages_number] or -1 in out.offsets[pages_number + 1:]:
            raise ValueError("an object was numbered but never written")
        tree = DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"),
            NameObject("/Count"): NumberObject(len(kids)),
            NameObject("/Kids"): ArrayObject(IndirectObject(k, 0, None) for k in kids),
        })
        out.put(pages_number, tree)
        xref = out.position
        size = len(out.offsets)
        out.write(b"xref\n0 %d\n" % size)
        out.write(_XREF_FREE)
        block = bytearray()
        for number in range(1, size):
            block += b"%010d 00000 n \n" % out.offsets[number]
            if len(block) > 1 << 16:
                out.write(bytes(block))
                block.clear()
        out.write(bytes(block))
        trailer = DictionaryObject({
            NameObject("/Size"): NumberObject(size),
            NameObject("/Root"): IndirectObject(root_number, 0, None),
        })
        if info_number:
            trailer[NameObject("/Info")] = IndirectObject(info_number, 0, None)
        if trailer_id is not None:
            trailer[NameObject("/ID")] = trailer_id
        buffer = io.BytesIO()
        buffer.write(b"trailer\n")
        trailer.write_to_stream(buffer)
        buffer.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        out.write(buffer.getvalue())
    return len(kids)


__all__ = ["join_parts"]
