"""Validation as plain data: small rules that give ``Problem``s, and a ``Report`` of them.

A rule looks at one kind of value and returns problems, each naming the field it is about
and saying in one sentence what is wrong, so the person dialog can mark the field and the
command line can print the sentence. Nothing here touches the database or Qt.

Also here: the checks the roster's fields share — e-mail syntax, ISO country codes, phone
numbers, and photos (PNG or JPEG, at most ``MAX_PHOTO_BYTES``, read from their headers).
"""

from __future__ import annotations

import enum
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from desktop.core import formats, vocabulary
from desktop.core.language import N_, _


def language_label(code: str) -> str:
    """A language named for the sentences of problems ("English"): the vocabulary's word,
    in the interface language."""
    return vocabulary.language(code)


class Severity(str, enum.Enum):
    ERROR = "error"      # the edit cannot be saved
    WARNING = "warning"  # it can, but the user should look


@dataclass(frozen=True)
class Problem:
    """Something wrong with one field: ``field`` is the attribute's name (``"email"``,
    ``"position.kk"`` for one language of a per-language text)."""

    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Report:
    """The problems of one record; ``is_valid`` when none of them is an error."""

    problems: tuple[Problem, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def for_field(self, field: str) -> tuple[Problem, ...]:
        """Problems about ``field`` or one of its languages (``"position"`` → ``"position.kk"``)."""
        return tuple(p for p in self.problems if p.field == field or p.field.startswith(field + "."))

    def fields(self) -> set[str]:
        return {p.field for p in self.problems}

    def sentence(self) -> str:
        """The errors (else the warnings) as one text, one sentence a line."""
        chosen = self.errors or self.warnings
        return "\n".join(p.message for p in chosen)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)


class InvalidData(ValueError):
    """An edit that breaks a rule; carries the ``Report``. The message is its first error."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.sentence().splitlines()[0] if report.problems else _("invalid data"))


def collect(problems: Iterable[Problem]) -> Report:
    return Report(tuple(problems))


# -- e-mail -----------------------------------------------------------------------------

# The one e-mail rule of the application: the person editor, the walk-in, the Register
# dialog and the importer all ask ``email_problem`` (or ``is_valid_email``).
# A practical address check: one "@", a local part without spaces of at most 64 characters
# with no dot at either end and no two dots together, a domain of dot-separated labels
# (letters of any script, digits, hyphens inside) ending in a label of two or more letters
# (or a punycode "xn--" label). Quoted local parts and IP-literal domains are not accepted:
# nobody registering for a round table has one.
_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]+$")
_LABEL = re.compile(r"^[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?$")
# A subset of the addresses the rules accept, checked in one go (an import checks 100,000):
# ASCII letters, digits and _%+- in dot-separated runs, "@", labels that neither start nor end
# with a hyphen, a top-level domain of 2 to 63 letters. Anything else goes through the rules.
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
                          r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
_SPACE = re.compile(r"\s")  # what str.isspace calls a space (the same Unicode table), found in C
EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64


def email_problem(email: str) -> str | None:
    """Why ``email`` is not a usable address, or None when it is (empty is fine; spaces
    around it are ignored)."""
    email = email.strip()
    if not email:
        return None
    if len(email) <= EMAIL_MAX and _PLAIN_EMAIL.fullmatch(email) and email.index("@") <= EMAIL_LOCAL_MAX:
        return None  # the common shape, which every rule below accepts, told by one regex
    if len(email) > EMAIL_MAX:
        return _("The e-mail address is longer than {limit} characters.").format(limit=formats.number(EMAIL_MAX))
    # Translators (the e-mail sentences): {email} is what was typed, {domain} its part after "@".
    if _SPACE.search(email):
        return _("“{email}” is not an e-mail address: it holds a space.").format(email=email)
    if email.count("@") != 1:
        return _("“{email}” is not an e-mail address: it needs exactly one “@”.").format(email=email)
    local, domain = email.split("@")
    if len(local) > EMAIL_LOCAL_MAX:
        return _("“{email}” is not an e-mail address: the part before “@” is longer than {limit} "
                 "characters.").format(email=email, limit=formats.number(EMAIL_LOCAL_MAX))
    if not local or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return _("“{email}” is not an e-mail address: the part before “@” is not valid.").format(email=email)
    if not domain:
        return _("“{email}” is not an e-mail address: the part after “@” is missing.").format(email=email)
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return _("“{email}” is not an e-mail address: “{domain}” is not a domain name.").format(
            email=email, domain=domain)
    tld = labels[-1]
    if len(tld) < 2 or not (tld.isalpha() or tld.lower().startswith("xn--")):
        return _("“{email}” is not an e-mail address: “{domain}” does not end in a top-level domain.").format(
            email=email, domain=domain)
    return None


def is_valid_email(email: str) -> bool:
    """Whether ``email`` is a usable, non-empty address (``email_problem`` says why not)."""
    return bool(email.strip()) and email_problem(email) is None


def email_key(email: str | None) -> str:
    """An address as compared for duplicates: no spaces, case folded."""
    return "".join((email or "").split()).casefold()


# -- countries --------------------------------------------------------------------------

# ISO 3166-1 alpha-2, the officially assigned codes, and XK (Kosovo), which the EU, the UN
# system and most passports software use.
COUNTRY_CODES: frozenset[str] = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW XK
""".split())


def normalise_country(code: str | None) -> str | None:
    """``" kz "`` → ``"KZ"``; empty → None (no check: see ``country_problem``)."""
    code = (code or "").strip().upper()
    return code or None


def country_problem(code: str | None) -> str | None:
    """Why ``code`` is not a country code, or None (empty is fine)."""
    value = normalise_country(code)
    if value is None:
        return None
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        # Translators: {code} is what was typed; keep "ISO 3166" and the codes.
        return _("“{code}” is not a country code: use the two letters of ISO 3166 (KZ, RU, DE…).").format(code=code)
    if value not in COUNTRY_CODES:
        return _("“{code}” is not a country code of ISO 3166.").format(code=value)
    return None


# -- phone ------------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"^[0-9+()\-./ \u00a0]*(?:(?:ext\.?|x|доб\.?)\s*[0-9]+)?$", re.IGNORECASE)
PHONE_MAX = 40


def phone_problem(phone: str | None) -> str | None:
    """Why ``phone`` is not a phone number, or None (empty is fine)."""
    value = (phone or "").strip()
    if not value:
        return None
    if len(value) > PHONE_MAX:
        return _("The phone number is longer than {limit} characters.").format(limit=formats.number(PHONE_MAX))
    # Translators (the phone sentences): {phone} is what was typed.
    if not _PHONE_CHARS.match(value):
        return _("“{phone}” is not a phone number: use digits, spaces, “+”, “-” and brackets.").format(phone=value)
    digits = sum(ch.isdigit() for ch in value)
    if digits < 5:
        return _("“{phone}” is too short for a phone number.").format(phone=value)
    if value.count("+") > 1 or ("+" in value and not value.startswith("+")):
        return _("“{phone}”: a “+” may only begin the number.").format(phone=value)
    return None


# -- photos -----------------------------------------------------------------------------

MAX_PHOTO_BYTES = 5 * 1024 * 1024
"""The largest photo (or logo) stored: 5 MiB. A passport-style photo needs far less."""
MAX_PHOTO_SIDE = 12_000
"""Pixels on the longer side: more would need hundreds of MiB to show."""

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass(frozen=True)
class ImageInfo:
    mime: str  # "image/png" or "image/jpeg"
    width: int
    height: int


class ImageError(ValueError):
    """An image that cannot be stored; the message is one sentence."""


# The sentences about an image, one per kind of image (``what``: a person's photo or an
# organisation's or event's logo), so that a translation can inflect the noun.
_IMAGE_SENTENCES: dict[str, dict[str, str]] = {
    "photo": {
        "empty": N_("The photo file is empty."),
        # Translators: {size} and {limit} are numbers of megabytes ("6.2", "5").
        "large": N_("The photo is {size} MB; the most a photo may be is {limit} MB. Save it smaller and try again."),
        "type": N_("The photo must be a PNG or JPEG image; this file is neither."),
        "no pixels": N_("The photo has no pixels."),
        # Translators: {width}, {height} and {limit} are numbers of pixels.
        "huge": N_("The photo is {width} × {height} pixels; the most is {limit} on a side."),
    },
    "logo": {
        "empty": N_("The logo file is empty."),
        # Translators: {size} and {limit} are numbers of megabytes ("6.2", "5").
        "large": N_("The logo is {size} MB; the most a logo may be is {limit} MB. Save it smaller and try again."),
        "type": N_("The logo must be a PNG or JPEG image; this file is neither."),
        "no pixels": N_("The logo has no pixels."),
        # Translators: {width}, {height} and {limit} are numbers of pixels.
        "huge": N_("The logo is {width} × {height} pixels; the most is {limit} on a side."),
    },
}


def _image_sentence(what: str, key: str) -> str:
    return _(_IMAGE_SENTENCES.get(what, _IMAGE_SENTENCES["photo"])[key])


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageError(_("The PNG file is damaged: it has no image header."))
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# JPEG start-of-frame markers (baseline, progressive, lossless…), not DHT/DAC/JPG.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    n = len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            raise ImageError(_("The JPEG file is damaged."))
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if marker == 0xD9:
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2:
            raise ImageError(_("The JPEG file is damaged."))
        if marker in _SOF:
            if pos + 9 > n:
                break
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    raise ImageError(_("The JPEG file is damaged or cut short: its size could not be read."))


def image_info(data: bytes, *, what: str = "photo") -> ImageInfo:
    """Type and size of a PNG or JPEG from its header; ``ImageError`` for anything else,
    for a file over ``MAX_PHOTO_BYTES``, or an image too large to show. ``what`` is
    ``"photo"`` or ``"logo"``: what the sentences call it."""
    if not data:
        raise ImageError(_image_sentence(what, "empty"))
    if len(data) > MAX_PHOTO_BYTES:
        raise ImageError(_image_sentence(what, "large").format(
            size=formats.number(round(len(data) / 1024 / 1024, 1)),
            limit=formats.number(MAX_PHOTO_BYTES // 1024 // 1024)))
    if data.startswith(PNG_MAGIC):
        mime, (width, height) = "image/png", _png_size(data)
    elif data.startswith(JPEG_MAGIC):
        mime, (width, height) = "image/jpeg", _jpeg_size(data)
    else:
        raise ImageError(_image_sentence(what, "type"))
    if width <= 0 or height <= 0:
        raise ImageError(_image_sentence(what, "no pixels"))
    if max(width, height) > MAX_PHOTO_SIDE:
        raise ImageError(_image_sentence(what, "huge").format(
            width=formats.number(width), height=formats.number(height), limit=formats.number(MAX_PHOTO_SIDE)))
    return ImageInfo(mime, width, height)


def image_problem(data: bytes | None, *, what: str = "photo") -> str | None:
    if data is None:
        return None
    try:
        image_info(data, what=what)
    except ImageError as exc:
        return str(exc)
    return None


def length_problem(value: str | None, limit: int, label: str) -> str | None:
    """Why ``value`` is too long, or None; ``label`` names the field (in the interface
    language: the caller translates it)."""
    if value is not None and len(value) > limit:
        # Translators: {field} is the name of a field ("position"); {limit} a number.
        return _("The {field} is longer than {limit} characters.").format(field=label, limit=formats.number(limit))
    return None
