"""Merging two records of the same person into one.

The rule (``plan_merge`` shows it before ``merge_people`` does it):

* One record is **kept** (its id, uuid, and every value it has); each field it lacks is
  filled from the **other** record — per language for per-language texts, "not stated" counts
  as empty for gender, and the photo comes over only when the kept record has none.
* Every role of the other record moves to the kept one; a role that would repeat one the
  kept record already has (same session or item, same kind) is dropped as a duplicate.
* Every registration of the other record moves to the kept one. When both are registered for
  the same event, one registration stays: the one with check-in records, else the one with
  the better status (confirmed, registered, waitlisted, invited, declined, cancelled), else the
  kept record's. It takes the better of the two statuses and fills its empty needs and notes
  from the other; the other's check-in records move to it (same uuids), and the other
  registration is deleted.
* Then the other record is deleted. All of this is one transaction (the caller's).

``merge_people`` returns a ``desktop.core.changes.Change`` about the kept record;
``desktop.core.changes.revert`` puts every row back where it was (the same uuids), leaving
alone any check-in recorded on the kept registration since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from db.models import CheckIn, CheckInAction, Event, Gender, Organisation, Person, Registration, Role, Status
from db.types import LANGUAGES
from desktop.core import formats, vocabulary
from desktop.core.changes import Change, Recorder, RowRef, take_images
from desktop.core.checks import ImageError, image_info, language_label
from desktop.core.i18n import full_name, text
from desktop.core.language import N_, _, n_, p_
from desktop.core.people import (
    KEEP,
    Keep,
    PersonData,
    PersonNotFound,
    field_label,
    load_person,
    update_person,
)

# Better first: which of two registrations of one person for one event to keep.
STATUS_RANK: dict[Status, int] = {
    Status.CONFIRMED: 0,
    Status.REGISTERED: 1,
    Status.WAITLISTED: 2,
    Status.INVITED: 3,
    Status.DECLINED: 4,
    Status.CANCELLED: 5,
}
# Registration fields filled from the other registration when empty on the one kept.
NEEDS = ("interpretation", "dietary", "accessibility", "photo_consent", "notes")
# Why, of two registrations for one event, the one kept stays.
WHY_KEPT = {
    "check-ins": N_("it has check-ins"),
    "status": N_("its status is better"),
    "kept": N_("it is the kept record's"),
}


class MergeError(ValueError):
    """Two records that cannot be merged; the message is one sentence."""


Source = Literal["kept", "other", "both", "none"]


@dataclass(frozen=True)
class FieldChoice:
    """One line of the side-by-side comparison: both values and what the merged record gets."""

    field: str     # "given_name", "position.ru", "photo"
    label: str     # "Given name", "Position (Russian)"
    kept: str
    other: str
    source: Source  # where the result comes from ("both": the two are the same)

    @property
    def result(self) -> str:
        return self.other if self.source == "other" else self.kept

    @property
    def differs(self) -> bool:
        return self.kept != self.other and bool(self.kept) and bool(self.other)


@dataclass(frozen=True)
class RegistrationBrief:
    id: int
    badge_code: str
    status: Status
    check_ins: int


@dataclass(frozen=True)
class RegistrationChoice:
    """What happens to one event's registrations."""

    event_title: dict[str, str]
    kept: RegistrationBrief | None
    other: RegistrationBrief | None
    winner: Literal["kept", "other"]  # whose registration stays

    def describe(self, lang: str = "en") -> str:
        """What happens to the event's registrations, in the interface language (``lang``:
        the language of the event's title)."""
        title = text(self.event_title, lang)
        # Translators (the merge's registration sentences): {title} is an event's title,
        # {code}, {kept} and {dropped} badge codes.
        if self.kept is None and self.other is not None:
            return _("“{title}”: the other record's registration (badge {code}) moves over.").format(
                title=title, code=self.other.badge_code)
        if self.other is None and self.kept is not None:
            return _("“{title}”: the kept record's registration (badge {code}) stays.").format(
                title=title, code=self.kept.badge_code)
        assert self.kept is not None and self.other is not None
        win, lose = (self.kept, self.other) if self.winner == "kept" else (self.other, self.kept)
        why = "check-ins" if win.check_ins and not lose.check_ins else (
            "status" if STATUS_RANK[win.status] < STATUS_RANK[lose.status] else "kept")
        values = {"title": title, "kept": win.badge_code, "dropped": lose.badge_code, "reason": _(WHY_KEPT[why])}
        if not lose.check_ins:
            # Translators: {reason} is why that one stays ("its status is better").
            return _("“{title}”: both are registered — badge {kept} stays ({reason}), badge {dropped} goes.").format(
                **values)
        return n_("“{title}”: both are registered — badge {kept} stays ({reason}), badge {dropped} goes; "
                  "{n} check-in record moves to it.",
                  "“{title}”: both are registered — badge {kept} stays ({reason}), badge {dropped} goes; "
                  "{n} check-in records move to it.", lose.check_ins).format(
            n=formats.number(lose.check_ins), **values)


@dataclass(frozen=True)
class MergePlan:
    keep_id: int
    drop_id: int
    keep_name: str
    drop_name: str
    fields: tuple[FieldChoice, ...]
    result: PersonData
    roles_moved: int
    roles_duplicate: int
    registrations: tuple[RegistrationChoice, ...]

    def summary(self) -> str:
        """"2 roles move over; 1 registration moves over." — what moves, in the interface language."""
        moved = sum(1 for r in self.registrations if r.other is not None and r.kept is None)
        both = sum(1 for r in self.registrations if r.other is not None and r.kept is not None)
        parts = [n_("{n} role moves over.", "{n} roles move over.", self.roles_moved).format(
            n=formats.number(self.roles_moved))]
        if self.roles_duplicate:
            parts.append(n_("{n} repeated role is dropped.", "{n} repeated roles are dropped.",
                            self.roles_duplicate).format(n=formats.number(self.roles_duplicate)))
        parts.append(n_("{n} registration moves over.", "{n} registrations move over.", moved).format(
            n=formats.number(moved)))
        if both:
            parts.append(n_("In {n} event both are registered: one registration is kept.",
                            "In {n} events both are registered: one registration is kept in each.", both).format(
                n=formats.number(both)))
        return " ".join(parts)


def _photo_label(photo: bytes | None | Keep) -> str:
    if not isinstance(photo, bytes):
        return ""
    try:
        info = image_info(photo)
    except ImageError:
        return _("a photo")
    kind = "PNG" if info.mime == "image/png" else "JPEG"
    return f"{kind}, {info.width} × {info.height}"


def _org_names(session: OrmSession, ids: set[int | None], lang: str) -> dict[int | None, str]:
    names: dict[int | None, str] = {None: ""}
    real = {i for i in ids if i is not None}
    if real:
        for oid, name in session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(real))):
            names[oid] = text(name, lang)
    return names


def _pick(kept: str, other: str) -> Source:
    if kept and other:
        return "both" if kept == other else "kept"
    if kept:
        return "kept"
    if other:
        return "other"
    return "none"


def merged_data(kept: PersonData, other: PersonData) -> PersonData:
    """The kept record's values, each empty one filled from the other record."""
    def local(a: Mapping[str, str], b: Mapping[str, str]) -> dict[str, str]:
        out = dict(b)
        out.update({k: v for k, v in a.items() if v})
        return {k: v for k, v in out.items() if v}

    photo: bytes | None | Keep = KEEP
    if kept.photo is None and isinstance(other.photo, bytes):
        photo = other.photo
    return replace(
        kept,
        given_name=kept.given_name or other.given_name,
        family_name=kept.family_name or other.family_name,
        patronymic=kept.patronymic or other.patronymic,
        honorific=kept.honorific or other.honorific,
        display_name=local(kept.display_name, other.display_name),
        position=local(kept.position, other.position),
        bio=local(kept.bio, other.bio),
        organisation_id=kept.organisation_id if kept.organisation_id is not None else other.organisation_id,
        country=kept.country or other.country,
        email=kept.email or other.email,
        phone=kept.phone or other.phone,
        gender=kept.gender if kept.gender != Gender.NOT_STATED else other.gender,
        photo=photo,
    )


def _registrations(session: OrmSession, person_id: int) -> dict[int, RegistrationBrief]:
    """The person's registrations by event, with their number of check-in (IN) records."""
    counts: dict[int, int] = {}
    for rid, action in session.execute(
        select(CheckIn.registration_id, CheckIn.action)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(Registration.person_id == person_id)
    ):
        if action == CheckInAction.IN:
            counts[rid] = counts.get(rid, 0) + 1
    return {
        ev: RegistrationBrief(rid, code, status, counts.get(rid, 0))
        for rid, ev, code, status in session.execute(
            select(Registration.id, Registration.event_id, Registration.badge_code, Registration.status)
            .where(Registration.person_id == person_id)
        )
    }


def _winner(kept: RegistrationBrief, other: RegistrationBrief) -> Literal["kept", "other"]:
    if bool(kept.check_ins) != bool(other.check_ins):
        return "kept" if kept.check_ins else "other"
    if STATUS_RANK[other.status] < STATUS_RANK[kept.status]:
        return "other"
    return "kept"


def _local_label(name: str, code: str) -> str:
    """"Position (Russian)": a field of one language, in the interface language."""
    # Translators: {field} is a field's name ("Position"), {language} a language's ("Russian").
    return p_("field in a language", "{field} ({language})").format(field=field_label(name),
                                                                     language=language_label(code))


def plan_merge(session: OrmSession, keep_id: int, drop_id: int, lang: str = "en") -> MergePlan:
    """What merging ``drop_id`` into ``keep_id`` would do, field by field."""
    if keep_id == drop_id:
        raise MergeError(_("A record cannot be merged with itself: choose two different people."))
    kept = load_person(session, keep_id)
    other = load_person(session, drop_id)
    result = merged_data(kept, other)
    orgs = _org_names(session, {kept.organisation_id, other.organisation_id}, lang)
    gender_label = {g: vocabulary.gender(g) if g != Gender.NOT_STATED else "" for g in Gender}
    choices: list[FieldChoice] = []
    for name in ("honorific", "given_name", "family_name", "patronymic"):
        a, b = getattr(kept, name), getattr(other, name)
        choices.append(FieldChoice(name, field_label(name), a, b, _pick(a, b)))
    for name in ("display_name", "position"):
        for code in LANGUAGES:
            a, b = getattr(kept, name).get(code, ""), getattr(other, name).get(code, "")
            label = _local_label(name, code)
            choices.append(FieldChoice(f"{name}.{code}", label, a, b, _pick(a, b)))
    org_source = _pick(orgs.get(kept.organisation_id, ""), orgs.get(other.organisation_id, ""))
    if kept.organisation_id is not None and kept.organisation_id != other.organisation_id \
            and other.organisation_id is not None:
        org_source = "kept"
    choices.append(FieldChoice("organisation_id", field_label("organisation_id"),
                               orgs.get(kept.organisation_id, ""), orgs.get(other.organisation_id, ""),
                               org_source))
    for name in ("country", "email", "phone"):
        a, b = getattr(kept, name), getattr(other, name)
        choices.append(FieldChoice(name, field_label(name), a, b, _pick(a, b)))
    choices.append(FieldChoice("gender", field_label("gender"), gender_label[kept.gender],
                               gender_label[other.gender],
                               _pick(gender_label[kept.gender], gender_label[other.gender])))
    for code in LANGUAGES:
        a, b = kept.bio.get(code, ""), other.bio.get(code, "")
        label = _local_label("bio", code)
        choices.append(FieldChoice(f"bio.{code}", label, a, b, _pick(a, b)))
    pa, pb = _photo_label(kept.photo), _photo_label(other.photo)
    photo_source: Source = "kept" if pa else ("other" if pb else "none")
    choices.append(FieldChoice("photo", field_label("photo"), pa, pb, photo_source))

    kept_roles = {
        (s, i, k) for s, i, k in session.execute(
            select(Role.session_id, Role.item_id, Role.kind).where(Role.person_id == keep_id))
    }
    other_roles = session.execute(
        select(Role.session_id, Role.item_id, Role.kind).where(Role.person_id == drop_id)).all()
    duplicate = sum(1 for r in other_roles if tuple(r) in kept_roles)

    kept_regs, other_regs = _registrations(session, keep_id), _registrations(session, drop_id)
    events = set(kept_regs) | set(other_regs)
    titles = dict(session.execute(select(Event.id, Event.title).where(Event.id.in_(events))).all()) \
        if events else {}
    regs = []
    for ev in sorted(events):
        a, b = kept_regs.get(ev), other_regs.get(ev)
        winner: Literal["kept", "other"] = _winner(a, b) if a and b else ("kept" if a else "other")
        regs.append(RegistrationChoice(titles.get(ev, {}), a, b, winner))
    return MergePlan(
        keep_id, drop_id, kept.name(lang), other.name(lang), tuple(choices), result,
        len(other_roles) - duplicate, duplicate, tuple(regs),
    )


# -- doing it ---------------------------------------------------------------------------------


def _better(a: Status, b: Status) -> Status:
    return a if STATUS_RANK[a] <= STATUS_RANK[b] else b


def merge_people(session: OrmSession, keep_id: int, drop_id: int) -> Change:
    """Merge the record ``drop_id`` into ``keep_id`` (the module docstring has the rule),
    in the caller's transaction; the change is about the kept record."""
    plan = plan_merge(session, keep_id, drop_id)
    keep_uuid = session.scalar(select(Person.uuid).where(Person.id == keep_id))
    if keep_uuid is None:
        raise PersonNotFound(_("That person is no longer in the roster."))
    session.expunge_all()  # nothing loaded may be flushed over the rows changed below
    rec = Recorder(session)

    # Roles: move, or drop those the kept record has already.
    kept_roles = {
        (s, i, k) for s, i, k in session.execute(
            select(Role.session_id, Role.item_id, Role.kind).where(Role.person_id == keep_id))
    }
    for image in take_images(session, "role", Role.person_id == drop_id):
        place = (image.values["session_id"], image.values["item_id"], image.values["kind"])
        if place in kept_roles:
            rec.delete("role", Role.id == image.id)
        else:
            kept_roles.add(place)
            rec.update("role", Role.id == image.id, {"person_id": keep_id})

    # Registrations.
    kept_regs = {img.values["event_id"]: img for img in
                 take_images(session, "registration", Registration.person_id == keep_id)}
    choices = {c.kept.id if c.kept else None: c for c in plan.registrations}
    for reg in take_images(session, "registration", Registration.person_id == drop_id):
        mine = kept_regs.get(reg.values["event_id"])
        if mine is None:
            rec.update("registration", Registration.id == reg.id, {"person_id": keep_id})
            continue
        win, lose = (mine, reg) if choices[mine.id].winner == "kept" else (reg, mine)
        rec.update("check_in", CheckIn.registration_id == lose.id, {"registration_id": win.id})
        changes: dict[str, Any] = {}
        status = _better(win.values["status"], lose.values["status"])
        if status != win.values["status"]:
            changes["status"] = status
        for name in NEEDS:
            if win.values[name] in (None, "") and lose.values[name] not in (None, ""):
                changes[name] = lose.values[name]
        rec.delete("registration", Registration.id == lose.id)
        if int(win.values["person_id"]) != keep_id:
            changes["person_id"] = keep_id
        if changes:
            rec.update("registration", Registration.id == win.id, changes)

    fields = update_person(session, keep_id, plan.result)
    rec.delete("person", Person.id == drop_id)
    return (rec.change() + fields).about(RowRef("person", keep_id, keep_uuid))


def describe_person(session: OrmSession, person_id: int, lang: str = "en") -> str:
    row = session.execute(
        select(Person.given_name, Person.family_name, Person.display_name).where(Person.id == person_id)
    ).one_or_none()
    if row is None:
        raise PersonNotFound(_("There is no person with id {id} (any more).").format(id=person_id))
    return full_name(row[0], row[1], None, row[2], lang)
