"""The record kinds: typed, frozen, validated at construction.

Every record is a claim with provenance (``sources``, ``claimed_by``, ``status``) and
three clocks: ``occurred`` (valid time, a [`TimeExtent`][conflict_timeline.TimeExtent]),
``reported``
(knowledge time; defaults to its earliest source's ``published``) and the store's
position / ``recorded_at`` (system time, given at append). A record that exists is
valid: every rule is checked when it is built, and a broken one raises
[`InvalidRecordError`][conflict_timeline.errors.InvalidRecordError] naming the kind, the id, the
field and the reason.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar, Final, Literal, TypeVar

import attrs

from ._provenance import TIME_FORMS, Codes, Figure, Source, Status, UnreadTime, to_extent
from ._time import TimeExtent, wall_clock_text
from .errors import InvalidRecordError, InvalidTimeError

__all__ = [
    "Accusation",
    "ActorDefined",
    "ActorKind",
    "Agreement",
    "AnyRecord",
    "Attack",
    "CasualtyCategory",
    "CasualtyMeasure",
    "CasualtyReport",
    "Commitment",
    "CommitmentEnded",
    "CommitmentKind",
    "Condition",
    "Confirmation",
    "ControlChanged",
    "Coordinates",
    "Correction",
    "Denial",
    "EndReason",
    "Observation",
    "PlaceDefined",
    "PlaceKind",
    "Prohibition",
    "Record",
    "RefKind",
    "Request",
    "Retraction",
    "Scope",
    "Statement",
    "TargetClass",
    "first_report",
    "fix_rank",
    "fix_target",
    "references",
]


class ActorKind(enum.Enum):
    """What sort of actor a record defines."""

    STATE = "state"
    GOVERNMENT = "government"
    ARMED_FORCE = "armed_force"
    DE_FACTO_AUTHORITY = "de_facto_authority"
    MEDIATOR = "mediator"
    PERSON = "person"
    ORGANIZATION = "organization"


class PlaceKind(enum.Enum):
    """What sort of place a record defines."""

    COUNTRY = "country"
    REGION = "region"
    DISTRICT = "district"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    SITE = "site"
    AREA = "area"


class TargetClass(enum.Enum):
    """What an attack hit, as far as the claim says."""

    CIVILIAN = "civilian"
    MILITARY = "military"
    INFRASTRUCTURE = "infrastructure"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class CommitmentKind(enum.Enum):
    """What sort of undertaking a commitment is."""

    CEASEFIRE = "ceasefire"
    HUMANITARIAN_CEASEFIRE = "humanitarian_ceasefire"
    CIVILIAN_PROTECTION = "civilian_protection"
    MUTUAL_DEFENSE = "mutual_defense"
    ASSISTANCE_PLEDGE = "assistance_pledge"
    AGREEMENT = "agreement"


class EndReason(enum.Enum):
    """How a commitment ended.

    ``UNSTATED``: the source records an end but no reason in these terms (DESIGN.md
    lists the other four); the source's own code is kept in the record's notes.
    """

    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"
    COLLAPSED = "collapsed"
    UNSTATED = "unstated"


class Prohibition(enum.Enum):
    """What a commitment forbids its bound parties to do.

    ``ANY_ATTACK`` covers every target class. ``ATTACKS_ON_CIVILIANS`` covers attacks
    whose target class is civilian or mixed; ``ATTACKS_ON_CIVILIAN_OBJECTS`` covers
    infrastructure and mixed ("non-military objects"). An attack of unknown target
    class is covered only by ``ANY_ATTACK``: the rule never guesses.
    """

    ANY_ATTACK = "any_attack"
    ATTACKS_ON_CIVILIANS = "attacks_on_civilians"
    ATTACKS_ON_CIVILIAN_OBJECTS = "attacks_on_civilian_objects"

    def covers(self, target: TargetClass) -> bool:
        """Does this prohibition forbid an attack on ``target``?"""
        return target in COVERS[self]


COVERS: Final = {
    Prohibition.ANY_ATTACK: frozenset(TargetClass),
    Prohibition.ATTACKS_ON_CIVILIANS: frozenset({TargetClass.CIVILIAN, TargetClass.MIXED}),
    Prohibition.ATTACKS_ON_CIVILIAN_OBJECTS: frozenset(
        {TargetClass.INFRASTRUCTURE, TargetClass.MIXED}
    ),
}


class CasualtyCategory(enum.Enum):
    """Whose casualties a report counts."""

    CIVILIAN = "civilian"
    COMBATANT = "combatant"
    UNSPECIFIED = "unspecified"


class CasualtyMeasure(enum.Enum):
    """What a casualty figure counts."""

    KILLED = "killed"
    INJURED = "injured"
    KILLED_OR_INJURED = "killed_or_injured"
    DISPLACED = "displaced"


R = TypeVar("R", bound="Record")

RefKind = Literal["actor", "place", "commitment", "attack", "agreement", "record"]
"""What a referring field must point at: an ``ActorDefined``, a ``PlaceDefined``, a
``Commitment``, an ``Attack``, an ``Agreement``, or any record."""


# ---------------------------------------------------------------------- validators


def _where(inst: Any, name: str) -> str:
    if not isinstance(inst, Record):  # a value (Scope, Condition): it has no id to name
        return f"{type(inst).__name__}.{name}"
    rid = getattr(inst, "id", None)
    return f"{type(inst).__name__} {rid!r}: {name}"


def _fail(inst: Any, name: str, reason: str) -> InvalidRecordError:
    return InvalidRecordError(f"{_where(inst, name)}: {reason}")


def _id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an id: not NFC, or a character that hides or reorders
    text (bidi controls, zero-width characters, other control and format characters);
    None when it can."""
    # isprintable() is False for every Cc and Cf character (and for separators and
    # unassigned ones, which the loop below then lets through), so printable text
    # needs only the NFC check; ASCII text is always NFC. Ids are checked on every
    # record built, and the loop costs ~1 us a character. Plain str only: a subclass
    # may answer isprintable() its own way.
    if (
        type(value) is str
        and value.isprintable()
        and (value.isascii() or unicodedata.is_normalized("NFC", value))
    ):
        return None
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf"):
            name = unicodedata.name(char, "a control character")
            return (
                f"holds U+{ord(char):04X} ({name}), which is invisible or reorders text; "
                f"ids may not hold control or format characters, got {value!r}"
            )
    composed = unicodedata.normalize("NFC", value)
    if composed != value:
        return f"is not in Unicode NFC form; write it as {composed!r} (got {value!r})"
    return None


def _check_id(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        msg = f"{type(inst).__name__}.{attribute.name} must be non-empty text without "
        msg += f"surrounding spaces, got {value!r}"
        raise InvalidRecordError(msg)
    problem = _id_problem(value)
    if problem is not None:
        msg = f"{type(inst).__name__}.{attribute.name} {problem}"
        raise InvalidRecordError(msg)


def _ref(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, list | tuple | set | frozenset):  # several, where one is taken
        kind = type(value).__name__
        raise _fail(inst, attribute.name, f"takes one id (text), not a {kind}: got {value!r}")
    if not isinstance(value, str) or not value.strip():
        raise _fail(inst, attribute.name, f"must be a non-empty id, got {value!r}")
    problem = _id_problem(value)
    if problem is not None:
        raise _fail(inst, attribute.name, problem)


def _optional_ref(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _ref(inst, attribute, value)


def _strings(inst: Any, attribute: attrs.Attribute[Any], value: Any, what: str) -> None:
    """A tuple of non-empty strings, each once; ``what`` one of them is, in the error."""
    if not isinstance(value, tuple):
        raise _fail(inst, attribute.name, f"must be a tuple of {what}s, got {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _fail(
                inst, f"{attribute.name}[{i}]", f"must be a non-empty {what}, got {item!r}"
            )
    if len(set(value)) != len(value):
        raise _fail(
            inst, attribute.name, f"lists a{'n' if what == 'id' else ''} {what} twice: {value!r}"
        )


def _names(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Aliases: names, not ids (no id rule beyond being non-empty text, once each)."""
    _strings(inst, attribute, value, "name")


def _refs(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _strings(inst, attribute, value, "id")
    for i, item in enumerate(value):
        problem = _id_problem(item)
        if problem is not None:
            raise _fail(inst, f"{attribute.name}[{i}]", problem)


def _nonempty_refs(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _refs(inst, attribute, value)
    if not value:
        raise _fail(inst, attribute.name, "must name at least one id")


def _text(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise _fail(inst, attribute.name, f"must be text, got {value!r}")


def _optional_text(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _text(inst, attribute, value)


def _nonempty_text(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _fail(inst, attribute.name, f"must be non-empty text, got {value!r}")


def _instance(cls: type | tuple[type, ...], *, optional: bool = False) -> Any:
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
    names = f"a {names}" if cls is not TimeExtent else TIME_FORMS

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if optional and value is None:
            return
        if not isinstance(value, cls):
            if isinstance(value, UnreadTime):  # text that is no time, a naive datetime
                raise InvalidTimeError(f"{_where(inst, attribute.name)}: {value.reason}")
            raise _fail(inst, attribute.name, f"must be {names}, got {value!r}")

    return check


@functools.lru_cache(maxsize=64)  # one converter per enum class, not one per call
def _lenient_enum(enum_cls: type[enum.Enum]) -> Any:
    def convert(value: Any) -> Any:
        if type(value) is enum_cls:
            return value  # what enum_cls(value) gives a member, without EnumMeta's call
        try:
            return enum_cls(value)
        except ValueError:
            return value  # the validator words the error with the record's id

    return convert


def _enum(enum_cls: type[enum.Enum]) -> Any:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_cls):
            known = ", ".join(str(m.value) for m in enum_cls)
            raise _fail(inst, attribute.name, f"unknown value {value!r}; expected one of {known}")

    return check


def _tuple(value: Any) -> Any:
    if isinstance(value, str):
        return value  # a bare string is a mistake for a tuple of ids; the validator says so
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value


def _enum_tuple(enum_cls: type[enum.Enum]) -> Any:
    def convert(value: Any) -> Any:
        value = _tuple(value)
        if isinstance(value, tuple):
            return tuple(_lenient_enum(enum_cls)(v) for v in value)
        return value

    return convert


def _prohibitions(value: Iterable[Prohibition | str]) -> tuple[Prohibition, ...]:
    return _enum_tuple(Prohibition)(value)  # type: ignore[no-any-return]


def _enum_items(enum_cls: type[enum.Enum]) -> Any:
    known = ", ".join(str(m.value) for m in enum_cls)

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise _fail(inst, attribute.name, f"must be a tuple, got {value!r}")
        for i, item in enumerate(value):
            if not isinstance(item, enum_cls):
                reason = f"unknown value {item!r}; expected one of {known}"
                raise _fail(inst, f"{attribute.name}[{i}]", reason)

    return check


def _sources(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        raise _fail(inst, attribute.name, f"must be a tuple of Source, got {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, Source):
            raise _fail(inst, f"sources[{i}]", f"must be a Source, got {item!r}")


def _to_status(value: Status | str) -> Status:
    return _lenient_enum(Status)(value)  # type: ignore[no-any-return]


def _to_actor_kind(value: ActorKind | str) -> ActorKind:
    return _lenient_enum(ActorKind)(value)  # type: ignore[no-any-return]


def _to_place_kind(value: PlaceKind | str) -> PlaceKind:
    return _lenient_enum(PlaceKind)(value)  # type: ignore[no-any-return]


def _to_target_class(value: TargetClass | str) -> TargetClass:
    return _lenient_enum(TargetClass)(value)  # type: ignore[no-any-return]


def _to_commitment_kind(value: CommitmentKind | str) -> CommitmentKind:
    return _lenient_enum(CommitmentKind)(value)  # type: ignore[no-any-return]


def _to_end_reason(value: EndReason | str) -> EndReason:
    return _lenient_enum(EndReason)(value)  # type: ignore[no-any-return]


def _to_casualty_category(value: CasualtyCategory | str) -> CasualtyCategory:
    return _lenient_enum(CasualtyCategory)(value)  # type: ignore[no-any-return]


def _to_casualty_measure(value: CasualtyMeasure | str) -> CasualtyMeasure:
    return _lenient_enum(CasualtyMeasure)(value)  # type: ignore[no-any-return]


# ------------------------------------------------------------------------- values


def _degrees(name: str, value: Any) -> float:
    """A coordinate as a float: a number, or text that reads as one ("40.1"); a bool,
    None or other text is refused naming the field (``float`` raised its own
    ValueError or TypeError, naming neither)."""
    if not isinstance(value, bool):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    msg = f"Coordinates.{name} must be a number of degrees, got {value!r}"
    raise InvalidRecordError(msg)


def _latitude(value: float | str) -> float:
    return _degrees("lat", value)


def _longitude(value: float | str) -> float:
    return _degrees("lon", value)


@attrs.frozen(kw_only=True)
class Coordinates:
    """A point on the WGS 84 globe.

    Attributes:
        lat: Latitude in degrees, -90 to 90.
        lon: Longitude in degrees, -180 to 180.
    """

    lat: float = attrs.field(converter=_latitude)
    lon: float = attrs.field(converter=_longitude)

    def __attrs_post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:  # also refuses NaN
            msg = f"Coordinates.lat must be within -90..90, got {self.lat!r}"
            raise InvalidRecordError(msg)
        if not -180.0 <= self.lon <= 180.0:
            msg = f"Coordinates.lon must be within -180..180, got {self.lon!r}"
            raise InvalidRecordError(msg)


@attrs.frozen(kw_only=True)
class Scope:
    """Where a commitment applies, by de jure place.

    An attack is in scope when its place lies (de jure) within one of ``include``
    (or ``include`` is empty, meaning everywhere) and within none of ``exclude``.
    An attack with no known place is in scope only of a commitment that applies
    everywhere.

    Attributes:
        include: Place ids the commitment covers; empty means everywhere.
        exclude: Place ids carved out of it.
    """

    include: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)


def _match(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in ("all", "any"):
        raise InvalidRecordError(f"Condition.match must be 'all' or 'any', got {value!r}")


@attrs.frozen(kw_only=True)
class Condition:
    """What triggers a conditional commitment (a pledge of help "if attacked").

    Two tests, each used when it names something: the *place* test (the attack's
    place lies, de jure, within one of ``attack_within``, judged by the de jure tree
    replayed up to the later of the attack and the commitment) and the *target*
    test (the attack's ``target_actor`` is one of ``against`` or affiliated with
    one: "an attack on our forces", "on the territory or forces of X").
    ``match="all"`` (the default) needs every named test, ``match="any"`` one of
    them. Either way the attack must be made by one of ``by`` (any perpetrator when
    empty, including an unknown one).

    Attributes:
        attack_within: Place ids for the place test.
        by: Actor ids whose attacks count; empty means any attacker.
        description: The condition in the source's words.
        against: Actor ids for the target test: an attack on one of them, or on an
            actor affiliated with one.
        match: ``"all"`` or ``"any"``: how the named tests combine.
    """

    attack_within: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    by: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    description: str = attrs.field(default="", validator=_text)
    against: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    match: str = attrs.field(default="all", validator=_match)

    def __attrs_post_init__(self) -> None:
        if not self.attack_within and not self.against:
            msg = "Condition needs attack_within (places), against (target actors) or both"
            raise InvalidRecordError(msg)


# ------------------------------------------------------------------------ records


def first_report(published: Sequence[TimeExtent]) -> TimeExtent:
    """When the first of these publications came out (``published`` not empty).

    Each publication happened at some instant of its extent, so the first of them
    happened no earlier than the earliest first instant among them and no later than
    the earliest last instant: a report dated "2021" beside one of 15 March 2021 was
    certainly out by the end of 15 March. That is the extent with the earliest first
    instant when it also ends first (or as early as any), else the span from its
    first instant to the earliest last instant, at its precision and in its zone.
    """
    first = min(published, key=TimeExtent.sort_key)
    ends = min(published, key=lambda extent: (extent.last, extent.lo))
    if first.last <= ends.last:
        return first
    # One microsecond past the last instant: an instant's own ``latest`` is itself.
    return TimeExtent._of_us(first.lo, ends.last + 1, first.precision, first.tz)


@attrs.frozen(kw_only=True)
class Record:
    """Fields every record kind has.

    Attributes:
        id: The record's id, unique in a store; the same record appended again is a
            no-op.
        occurred: When it happened in the world (valid time).
        sources: The published sources of the claim.
        claimed_by: The actor id asserting it (defaults, per kind, to the accuser,
            speaker, denier or monitor).
        status: How far it is confirmed; never upgraded by the library.
        reported: When the world could know it (knowledge time). Defaults to when
            the first of its sources' ``published`` dates came out (`first_report`:
            of dates of different precision, a span from the earliest first instant
            to the earliest last instant); with no dated source, the store's
            ``recorded_at`` stands in (see ``Recorded.reported``), except for actor
            and place definitions, which are known from their ``occurred``.
        codes: External event codes (CAMEO, PLOVER, ACLED, UCDP).
        notes: Free text from the analyst who coded the record.
    """

    KIND: ClassVar[str] = "Record"
    VERSION: ClassVar[int] = 1
    REFS: ClassVar[dict[str, RefKind]] = {}
    _CLAIMANT: ClassVar[str | None] = None
    _REFERENCE: ClassVar[bool] = False
    _KNOWN_AS_IT_HOLDS: ClassVar[bool] = False

    id: str = attrs.field(validator=_check_id)
    occurred: TimeExtent = attrs.field(converter=to_extent, validator=_instance(TimeExtent))
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_tuple, validator=_sources)
    claimed_by: str | None = attrs.field(default=None, validator=_optional_ref)
    status: Status = attrs.field(
        converter=_to_status, validator=_enum(Status), default=Status.ALLEGED
    )
    reported: TimeExtent | None = attrs.field(
        default=None, converter=to_extent, validator=_instance(TimeExtent, optional=True)
    )
    codes: Codes | None = attrs.field(default=None, validator=_instance(Codes, optional=True))
    notes: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        if self.reported is None and self._KNOWN_AS_IT_HOLDS:
            object.__setattr__(self, "reported", self.occurred)
        if self.reported is None:
            dated = [s.published for s in self.sources if s.published is not None]
            if dated:
                object.__setattr__(self, "reported", first_report(dated))
            elif self._REFERENCE:
                # Reference data (an actor, a place) with no dated source is taken as
                # known from when it holds, not from when someone typed it in.
                object.__setattr__(self, "reported", self.occurred)
        if self.claimed_by is None and self._CLAIMANT is not None:
            object.__setattr__(self, "claimed_by", getattr(self, self._CLAIMANT))
        self._check()

    def _check(self) -> None:
        """Cross-field rules of a kind; raise
        [`InvalidRecordError`][conflict_timeline.errors.InvalidRecordError]."""

    def _derived(self) -> dict[str, object]:
        """The fields construction derives, with the value it would derive now."""
        out: dict[str, object] = {}
        dated = [s.published for s in self.sources if s.published is not None]
        if self._KNOWN_AS_IT_HOLDS:
            out["reported"] = self.occurred
        elif dated:
            out["reported"] = first_report(dated)
        elif self._REFERENCE:
            out["reported"] = self.occurred
        if self._CLAIMANT is not None:
            out["claimed_by"] = getattr(self, self._CLAIMANT)
        return out

    @property
    def kind(self) -> str:
        """The record's kind tag, as written in JSON (``"Attack"``)."""
        return self.KIND

    def corrected(
        self,
        *,
        id: str,  # noqa: A002 - the correction's id, named as on every record
        source: Source | Iterable[Source] = (),
        known: TimeExtent | str | _dt.date | None = None,
        reason: str = "",
        **changes: Any,
    ) -> Correction:
        """A [`Correction`][conflict_timeline.Correction] replacing this record with ``changes``
        applied.

        ``changes`` are fields of this record (``target_class="military"``,
        ``occurred="2020-10-12"``); the replacement keeps this record's id and kind.
        The correction itself is known from ``known`` if given, else from its
        ``source``'s ``published`` date; it occurs then too.

        Raises:
            InvalidRecordError: when a change names no field of this kind, or makes
                the record invalid, or the correction has no date to be known from.
            InvalidTimeError: when ``known`` is text that is no time or a naive
                datetime.
        """
        sources = (source,) if isinstance(source, Source) else tuple(source)
        fields = {f.name for f in attrs.fields(type(self)) if f.init}
        for name in changes:
            if name not in fields or name == "id":
                known_fields = ", ".join(sorted(fields - {"id"}))
                raise _fail(
                    self, name, f"is not a field a correction can change; fields: {known_fields}"
                )
        # Fields this record derived (``reported`` from its sources, ``claimed_by``
        # from its speaker, ``effective`` from ``occurred``) are derived again from the
        # changed fields unless a change gives them.
        for name, derived in self._derived().items():
            if name not in changes and getattr(self, name) == derived:
                changes[name] = None
        replacement = attrs.evolve(self, **changes)
        when = to_extent(known)
        if isinstance(when, UnreadTime):
            msg = f"correction {id!r} of {self.KIND} {self.id!r}: known: {when.reason}"
            raise InvalidTimeError(msg)
        if when is None:
            dated = [s.published for s in sources if s.published is not None]
            if not dated:
                msg = (
                    f"correction {id!r} of {self.KIND} {self.id!r}: give known= or a source "
                    "with a published date, so the correction has a time to be known from"
                )
                raise InvalidRecordError(msg)
            when = min(dated, key=TimeExtent.sort_key)
        return Correction(
            id=id,
            occurred=when,
            reported=when,
            sources=sources,
            corrects=self.id,
            replacement=replacement,  # type: ignore[arg-type]  # a Record is an AnyRecord
            reason=reason,
        )


def read_in_zone(record: R, tz: str) -> R:
    """``record`` with every time it was given as zone-less text read in ``tz``.

    Times given as text without an offset (``occurred="2023-05-22T21:45"``,
    ``Source(published="2023-05-22")``) are wall-clock readings; they were read in
    UTC when the record was built. Here they are read again in ``tz``, and the fields
    construction derived from them (``reported`` from the sources, ``effective`` from
    ``occurred``) are derived again. Anything else (an aware datetime, text with an
    offset, a ``TimeExtent`` built with a zone) is left as it is. The same record when
    nothing changes.
    """
    derived = {n for n, v in record._derived().items() if getattr(record, n) == v}
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(record)):
        if not field.init:
            continue
        value = getattr(record, field.name)
        zoned = _zoned(value, tz)
        if zoned is not value:
            changes[field.name] = zoned
    if not changes:
        return record
    for name in derived:
        if name != "claimed_by":
            changes[name] = None
    return attrs.evolve(record, **changes)


def _zoned(value: Any, tz: str) -> Any:
    if isinstance(value, TimeExtent):
        text = wall_clock_text(value)
        return value if text is None else TimeExtent.parse(text, tz=tz)
    if isinstance(value, Source):
        published = value.published
        zoned = _zoned(published, tz)
        return value if zoned is published else attrs.evolve(value, published=zoned)
    if isinstance(value, tuple) and value and isinstance(value[0], Source):
        items = tuple(_zoned(item, tz) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, Record):
        return read_in_zone(value, tz)
    return value


def references(record: Record) -> Iterator[tuple[str, str, RefKind]]:
    """Every id a record refers to, as ``(field, id, what it must be)``.

    ``claimed_by`` refers to an actor on every kind; a correction also refers to what
    its replacement refers to.
    """
    return iter(reference_list(record))


def reference_list(record: Record) -> list[tuple[str, str, RefKind]]:
    """[`references`][conflict_timeline.references] as a list, built without a generator: the store
    calls it
    once per record on the bulk append path."""
    out: list[tuple[str, str, RefKind]] = []
    if record.claimed_by is not None:
        out.append(("claimed_by", record.claimed_by, "actor"))
    for name, what in record.REFS.items():
        value = getattr(record, name)
        if value is None:
            continue
        if type(value) is str:
            out.append((name, value, what))
        elif isinstance(value, tuple):
            out.extend((name, item, what) for item in value)
        elif isinstance(value, Scope):
            out.extend((name, item, what) for item in (*value.include, *value.exclude))
        elif isinstance(value, Condition):
            out.extend((f"{name}.attack_within", item, "place") for item in value.attack_within)
            out.extend((f"{name}.by", item, "actor") for item in value.by)
            out.extend((f"{name}.against", item, "actor") for item in value.against)
        else:
            out.append((name, value, what))
    if isinstance(record, Correction):
        out.extend(
            (f"replacement.{name}", ref, what)
            for name, ref, what in reference_list(record.replacement)
        )
    return out


@attrs.frozen(kw_only=True)
class ActorDefined(Record):
    """An actor: a state, a government, an armed force, a person...

    ``occurred`` defaults to [`TimeExtent.timeless`][conflict_timeline.TimeExtent.timeless]:
    reference data that holds at
    every date. Aliases let "Azerbaijani forces" and "Azerbaijan Armed Forces" find
    the same actor; ``affiliation`` points at the actor this one acts for
    (Pashinyan -> the government of Armenia -> Armenia).

    Attributes:
        name: The actor's usual name.
        actor_kind: What sort of actor it is.
        aliases: Other names it goes by.
        affiliation: The actor id it belongs to or acts for, if any.
    """

    KIND: ClassVar[str] = "ActorDefined"
    _REFERENCE: ClassVar[bool] = True
    REFS: ClassVar[dict[str, RefKind]] = {"affiliation": "actor"}

    occurred: TimeExtent = attrs.field(
        factory=TimeExtent.timeless, converter=to_extent, validator=_instance(TimeExtent)
    )
    name: str = attrs.field(validator=_nonempty_text)
    actor_kind: ActorKind = attrs.field(converter=_to_actor_kind, validator=_enum(ActorKind))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_names)
    affiliation: str | None = attrs.field(default=None, validator=_optional_ref)

    def _check(self) -> None:
        if self.affiliation == self.id:
            raise _fail(self, "affiliation", "an actor cannot be affiliated with itself")


@attrs.frozen(kw_only=True)
class PlaceDefined(Record):
    """A place, with its aliases, its de jure parent and where it is.

    ``parent`` is the *de jure* relation (Stepanakert -> Nagorno-Karabakh ->
    Azerbaijan); who controls a place de facto is a separate, time-varying relation
    recorded by [`ControlChanged`][conflict_timeline.ControlChanged].

    Attributes:
        name: The place's usual name.
        place_kind: What sort of place it is.
        aliases: Other names (Stepanakert / Khankendi).
        parent: The place id it lies within de jure, if any.
        coordinates: Where it is.
    """

    KIND: ClassVar[str] = "PlaceDefined"
    _REFERENCE: ClassVar[bool] = True
    REFS: ClassVar[dict[str, RefKind]] = {"parent": "place"}

    occurred: TimeExtent = attrs.field(
        factory=TimeExtent.timeless, converter=to_extent, validator=_instance(TimeExtent)
    )
    name: str = attrs.field(validator=_nonempty_text)
    place_kind: PlaceKind = attrs.field(converter=_to_place_kind, validator=_enum(PlaceKind))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_names)
    parent: str | None = attrs.field(default=None, validator=_optional_ref)
    coordinates: Coordinates | None = attrs.field(
        default=None, validator=_instance(Coordinates, optional=True)
    )

    def _check(self) -> None:
        if self.parent == self.id:
            raise _fail(self, "parent", "a place cannot be its own parent")


@attrs.frozen(kw_only=True)
class ControlChanged(Record):
    """From ``occurred`` on, ``controller`` holds ``place`` de facto.

    Control is inherited down the de jure tree: a place with no control record of its
    own is controlled by whoever controls its nearest ancestor that has one.

    Control is a public fact on the ground: unless ``reported`` says otherwise, it is
    known from when it held (``reported`` defaults to ``occurred``, whatever its
    sources' dates), so control since 1994 sourced to a 2020 article is known in
    1994. Give ``reported=`` when it only became known later.

    Attributes:
        place: The place id.
        controller: The actor id now in control.
    """

    KIND: ClassVar[str] = "ControlChanged"
    _KNOWN_AS_IT_HOLDS: ClassVar[bool] = True
    REFS: ClassVar[dict[str, RefKind]] = {"place": "place", "controller": "actor"}

    place: str = attrs.field(validator=_ref)
    controller: str = attrs.field(validator=_ref)


@attrs.frozen(kw_only=True)
class Statement(Record):
    """Something an actor said; it may respond to another record (a request, say).

    Attributes:
        speaker: The actor id who said it (the default ``claimed_by``).
        summary: What was said, in brief.
        quote: The words, where a source quotes them.
        responds_to: The record id it answers, if any.
        place: The place id where it was said or happened, if known (an arrest, a
            base established: ACLED's strategic developments have a place).
    """

    KIND: ClassVar[str] = "Statement"
    REFS: ClassVar[dict[str, RefKind]] = {
        "speaker": "actor",
        "responds_to": "record",
        "place": "place",
    }
    _CLAIMANT: ClassVar[str | None] = "speaker"

    speaker: str = attrs.field(validator=_ref)
    summary: str = attrs.field(validator=_nonempty_text)
    quote: str | None = attrs.field(default=None, validator=_optional_text)
    responds_to: str | None = attrs.field(default=None, validator=_optional_ref)
    place: str | None = attrs.field(default=None, validator=_optional_ref)


@attrs.frozen(kw_only=True)
class Request(Record):
    """One actor asks another for help; it may invoke a commitment.

    Attributes:
        requester: The actor id asking.
        requested_of: The actor id asked.
        summary: What is asked for.
        invokes: The commitment id the request relies on, if any.
    """

    KIND: ClassVar[str] = "Request"
    REFS: ClassVar[dict[str, RefKind]] = {
        "requester": "actor",
        "requested_of": "actor",
        "invokes": "commitment",
    }
    _CLAIMANT: ClassVar[str | None] = "requester"

    requester: str = attrs.field(validator=_ref)
    requested_of: str = attrs.field(validator=_ref)
    summary: str = attrs.field(validator=_nonempty_text)
    invokes: str | None = attrs.field(default=None, validator=_optional_ref)

    def _check(self) -> None:
        if self.requester == self.requested_of:
            raise _fail(self, "requested_of", "an actor cannot request help of itself")


@attrs.frozen(kw_only=True)
class Agreement(Record):
    """A text signed together: its provisions are the commitments that name it.

    An agreement holds no terms of its own: each provision (a ceasefire, a
    withdrawal, a prisoner exchange) is a [`Commitment`][conflict_timeline.Commitment] whose
    ``agreement`` is
    this id, with its own parties, scope and dates. The roles actors play are the
    agreement's: an actor may mediate one agreement and sign the next.

    Attributes:
        title: The agreement's usual name ("Moscow statement of 10 October 2020").
        signatories: Actor ids who signed it (at least one).
        mediators: Actor ids who brokered it.
        guarantors: Actor ids who guarantee it.
        text: Its words, or a summary, from the source.
    """

    KIND: ClassVar[str] = "Agreement"
    REFS: ClassVar[dict[str, RefKind]] = {
        "signatories": "actor",
        "mediators": "actor",
        "guarantors": "actor",
    }

    title: str = attrs.field(validator=_nonempty_text)
    signatories: tuple[str, ...] = attrs.field(converter=_tuple, validator=_nonempty_refs)
    mediators: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    guarantors: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    text: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        both = sorted(set(self.signatories) & set(self.mediators))
        if both:
            raise _fail(self, "mediators", f"{both!r} also sign it: a mediator is not a party")

    def roles(self, actor: str) -> tuple[str, ...]:
        """The roles ``actor`` has in this agreement, in the order signatory, mediator,
        guarantor (empty when it has none)."""
        out = []
        for role, members in (
            ("signatory", self.signatories),
            ("mediator", self.mediators),
            ("guarantor", self.guarantors),
        ):
            if actor in members:
                out.append(role)
        return tuple(out)


@attrs.frozen(kw_only=True)
class Commitment(Record):
    """An undertaking: a ceasefire, a pledge to protect civilians, a defence pact...

    It is active at T when ``effective`` has begun by T, ``until`` (if any) has not
    passed, and it has not ended by T: no [`CommitmentEnded`][conflict_timeline.CommitmentEnded]
    for it has
    occurred by T, and no commitment that ``supersedes`` it has taken effect by T.

    ``supersedes`` ends the listed commitments when this one takes effect, as if a
    ``CommitmentEnded(reason="superseded", superseded_by=<this id>)`` occurred at this
    commitment's ``effective`` and was known when this commitment is known. Where a
    commitment has several ends (explicit or by supersession), it has ended once any
    of them has occurred (possibly or certainly, as the query asks). The end shown is
    the earliest to begin once it has occurred, else the first to have certainly
    occurred; at the same instant an explicit ``CommitmentEnded`` wins over a
    supersession.

    Attributes:
        commitment_kind: What sort of undertaking it is.
        parties: Actor ids bound by it.
        beneficiaries: Actor ids it protects or serves.
        announced_by: Mediators or announcers (the Minsk Group co-chairs).
        prohibits: What it forbids the bound parties to do.
        scope: Where it applies (de jure places).
        condition: For a conditional commitment, what triggers it.
        effective: When it takes effect; defaults to ``occurred``.
        until: When it lapses, if it says.
        text: Its terms in the source's words.
        supersedes: Commitment ids this one replaces: each ends, reason
            superseded, when this one takes effect.
        agreement: The `Agreement` id this commitment is a provision of, if
            any.
    """

    KIND: ClassVar[str] = "Commitment"
    REFS: ClassVar[dict[str, RefKind]] = {
        "parties": "actor",
        "beneficiaries": "actor",
        "announced_by": "actor",
        "scope": "place",
        "condition": "place",
        "supersedes": "commitment",
        "agreement": "agreement",
    }

    commitment_kind: CommitmentKind = attrs.field(
        converter=_to_commitment_kind, validator=_enum(CommitmentKind)
    )
    parties: tuple[str, ...] = attrs.field(converter=_tuple, validator=_nonempty_refs)
    beneficiaries: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    announced_by: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    prohibits: tuple[Prohibition, ...] = attrs.field(
        default=(), converter=_prohibitions, validator=_enum_items(Prohibition)
    )
    scope: Scope = attrs.field(factory=Scope, validator=_instance(Scope))
    condition: Condition | None = attrs.field(
        default=None, validator=_instance(Condition, optional=True)
    )
    effective: TimeExtent | None = attrs.field(
        default=None, converter=to_extent, validator=_instance(TimeExtent, optional=True)
    )
    until: TimeExtent | None = attrs.field(
        default=None, converter=to_extent, validator=_instance(TimeExtent, optional=True)
    )
    text: str = attrs.field(default="", validator=_text)
    supersedes: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    agreement: str | None = attrs.field(default=None, validator=_optional_ref)

    def _check(self) -> None:
        if self.effective is None:
            object.__setattr__(self, "effective", self.occurred)
        if self.until is not None and self.until.last < self.starts.lo:
            raise _fail(self, "until", f"{self.until} is before effective {self.effective}")
        if self.id in self.supersedes:
            raise _fail(self, "supersedes", "a commitment cannot supersede itself")

    def _derived(self) -> dict[str, object]:
        return {**super()._derived(), "effective": self.occurred}

    @property
    def starts(self) -> TimeExtent:
        """``effective`` (always set after construction)."""
        assert self.effective is not None  # set in _check
        return self.effective


@attrs.frozen(kw_only=True)
class CommitmentEnded(Record):
    """A commitment ended at ``occurred``: it expired, was withdrawn, superseded or
    collapsed, or its source records an end without a reason in these terms (unstated).

    Attributes:
        commitment: The commitment id.
        reason: How it ended.
        superseded_by: The commitment id that replaced it, when superseded.
    """

    KIND: ClassVar[str] = "CommitmentEnded"
    REFS: ClassVar[dict[str, RefKind]] = {
        "commitment": "commitment",
        "superseded_by": "commitment",
    }

    commitment: str = attrs.field(validator=_ref)
    reason: EndReason = attrs.field(converter=_to_end_reason, validator=_enum(EndReason))
    superseded_by: str | None = attrs.field(default=None, validator=_optional_ref)

    def _check(self) -> None:
        if self.superseded_by is not None and self.reason is not EndReason.SUPERSEDED:
            raise _fail(self, "superseded_by", f"is set but reason is {self.reason.value!r}")
        if self.superseded_by == self.commitment:
            raise _fail(self, "superseded_by", "a commitment cannot supersede itself")


@attrs.frozen(kw_only=True)
class Attack(Record):
    """An attack, as claimed: the perpetrator may be unknown.

    Attributes:
        perpetrator: The actor id said to have attacked, or None if unknown.
        target_class: What was hit: civilian, military, infrastructure, mixed, unknown
            (the default: an attack that does not say what it hit is not guessed to
            have hit civilians or anything else).
        target: What was hit, in words ("a street market").
        means: How ("rockets", "shelling"), if said.
        place: The place id where it happened, if known.
        target_actor: The actor id attacked, if any.
        fatalities: Deaths as low / best / high, if reported.
        injured: Injuries as low / best / high, if reported.
    """

    KIND: ClassVar[str] = "Attack"
    REFS: ClassVar[dict[str, RefKind]] = {
        "perpetrator": "actor",
        "place": "place",
        "target_actor": "actor",
    }

    perpetrator: str | None = attrs.field(default=None, validator=_optional_ref)
    target_class: TargetClass = attrs.field(
        converter=_to_target_class, validator=_enum(TargetClass), default=TargetClass.UNKNOWN
    )
    target: str = attrs.field(default="", validator=_text)
    means: str | None = attrs.field(default=None, validator=_optional_text)
    place: str | None = attrs.field(default=None, validator=_optional_ref)
    target_actor: str | None = attrs.field(default=None, validator=_optional_ref)
    fatalities: Figure | None = attrs.field(
        default=None, validator=_instance(Figure, optional=True)
    )
    injured: Figure | None = attrs.field(default=None, validator=_instance(Figure, optional=True))

    @property
    def between_sides(self) -> bool:
        """Is it a clash whose dataset names two sides, not an attacker and a target?

        UCDP GED state-based and non-state violence (``codes.ucdp_type_of_violence``
        ``"1"`` or ``"2"``; also a type none of GED's codes 1-3, kept as published:
        GED names two sides and says nothing of who attacked) and ACLED battles
        (``codes.acled_event_type`` "Battles", or a "Battle-..." type of the older
        files, in any case and spacing, as
        `acled_type_key` reads it: ``Battle - No change of territory`` too). The importers put
        side A (``actor1``) in ``perpetrator`` and side B (``actor2``) in
        ``target_actor`` by convention only; views take such an attack as possibly
        made by either side (see docs/explanation/violations.md). Derived from
        ``codes``, never stored.
        """
        codes = self.codes
        if codes is None:
            return False
        return clash_codes(codes.ucdp_type_of_violence, codes.acled_event_type)


_ONE_SIDED_VIOLENCE: Final = "3"
"""UCDP GED's ``type_of_violence`` of one-sided violence: side A is the attacker. Any
other value (1 and 2, the clashes between two sides, or one that is none of GED's
codes, kept as published) names two sides, not an attacker and a target."""


def clash_codes(ucdp_type_of_violence: str | None, acled_event_type: str | None) -> bool:
    """`Attack.between_sides` from the two codes it reads (a view folding glimpses of
    attacks reads them so)."""
    if ucdp_type_of_violence is not None and ucdp_type_of_violence != _ONE_SIDED_VIOLENCE:
        return True
    if acled_event_type is None:
        return False
    key = acled_type_key(acled_event_type)
    return key == "battles" or key.startswith("battle-")


_SPACED_DASH: Final = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*")
"""A dash between words: ASCII's hyphen-minus, or the typographic hyphen, figure
dash, en dash, em dash or minus sign a word processor's autocorrect puts for it."""
_SPACED_SLASH: Final = re.compile(r"\s*/\s*")
_SPACES: Final = re.compile(r"\s+")


@functools.lru_cache(maxsize=1024)
def acled_type_key(event_type: str) -> str:
    """An ACLED ``event_type`` as the importer's type table and `clash_codes` match it:
    case-folded, spaces around it dropped, runs of spaces made one, and a dash (a
    typographic one, an en or em dash, as a hyphen) or a slash spaced as some files
    write it (``Battle - No change of territory``, ``Riots / Protests``) closed up
    (``battle-no change of territory``). The one place that spelling is settled, so a
    type the importer maps is a clash exactly when its table says it is a battle.
    Cached: a file repeats a handful of types (and sub-event types) on every row, and
    an ACLED row asks for its type's key and its sub-event type's."""
    folded = _SPACES.sub(" ", event_type.strip().casefold())
    return _SPACED_SLASH.sub("/", _SPACED_DASH.sub("-", folded))


@attrs.frozen(kw_only=True)
class Accusation(Record):
    """An actor accuses others of incidents, possibly in breach of a commitment.

    Attributes:
        accuser: The actor id accusing (the default ``claimed_by``).
        accused: Actor ids accused.
        incidents: Attack ids the accusation is about.
        breach_of: The commitment id said to be breached, if any.
        summary: The accusation in brief.
    """

    KIND: ClassVar[str] = "Accusation"
    REFS: ClassVar[dict[str, RefKind]] = {
        "accuser": "actor",
        "accused": "actor",
        "incidents": "attack",
        "breach_of": "commitment",
    }
    _CLAIMANT: ClassVar[str | None] = "accuser"

    accuser: str = attrs.field(validator=_ref)
    accused: tuple[str, ...] = attrs.field(converter=_tuple, validator=_nonempty_refs)
    incidents: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_refs)
    breach_of: str | None = attrs.field(default=None, validator=_optional_ref)
    summary: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        if not self.incidents and self.breach_of is None:
            raise _fail(self, "incidents", "an accusation names incidents, a breach, or both")

    @classmethod
    def mutual(
        cls,
        *,
        ids: tuple[str, str],
        sides: tuple[str, str],
        occurred: TimeExtent | str,
        breach_of: str | None = None,
        incidents: tuple[str, ...] = (),
        summaries: tuple[str, str] = ("", ""),
        **common: Any,
    ) -> tuple[Accusation, Accusation]:
        """Two accusations, each side accusing the other (as after every 2020 truce).

        The first, ``ids[0]``, is ``sides[0]`` accusing ``sides[1]``; the second the
        reverse. Both share ``occurred`` (``TimeExtent.after(...)`` says "within
        hours"), ``breach_of``, ``incidents`` and the other record fields in
        ``common`` (``sources=``, ``reported=``, ``status=``...); each is claimed by
        its accuser.

        Raises:
            InvalidRecordError: for two equal ids or sides, or what either accusation
                refuses.
        """
        if len(ids) != 2 or ids[0] == ids[1]:
            msg = f"Accusation.mutual: ids must be two different ids, got {ids!r}"
            raise InvalidRecordError(msg)
        if len(sides) != 2 or sides[0] == sides[1]:
            msg = f"Accusation.mutual: sides must be two different actor ids, got {sides!r}"
            raise InvalidRecordError(msg)
        first, second = (
            cls(
                id=rid,
                occurred=occurred,
                accuser=accuser,
                accused=(accused,),
                breach_of=breach_of,
                incidents=incidents,
                summary=summary,
                **common,
            )
            for rid, accuser, accused, summary in (
                (ids[0], sides[0], sides[1], summaries[0]),
                (ids[1], sides[1], sides[0], summaries[1]),
            )
        )
        return first, second


@attrs.frozen(kw_only=True)
class Denial(Record):
    """An actor denies a record (usually an accusation or an attack claim).

    Attributes:
        denier: The actor id denying (the default ``claimed_by``).
        denies: The record id denied.
        summary: The denial in brief.
    """

    KIND: ClassVar[str] = "Denial"
    REFS: ClassVar[dict[str, RefKind]] = {"denier": "actor", "denies": "record"}
    _CLAIMANT: ClassVar[str | None] = "denier"

    denier: str = attrs.field(validator=_ref)
    denies: str = attrs.field(validator=_ref)
    summary: str = attrs.field(default="", validator=_text)


@attrs.frozen(kw_only=True)
class Confirmation(Record):
    """An actor confirms a record: a third party corroborates it, or the side it is
    against admits it (a state apologising for a shoot-down).

    From when it is known (its ``reported`` time) the claim counts as corroborated,
    unless a denial of it is known that was reported later (see
    docs/explanation/claims.md). It never makes the claim known any earlier.

    Attributes:
        confirmer: The actor id confirming (the default ``claimed_by``).
        confirms: The record id confirmed.
        admission: True when the confirmer is the side the claim is against.
        summary: The confirmation in brief.
    """

    KIND: ClassVar[str] = "Confirmation"
    REFS: ClassVar[dict[str, RefKind]] = {"confirmer": "actor", "confirms": "record"}
    _CLAIMANT: ClassVar[str | None] = "confirmer"

    confirmer: str = attrs.field(validator=_ref)
    confirms: str = attrs.field(validator=_ref)
    admission: bool = attrs.field(default=False, validator=_instance(bool))
    summary: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        if self.confirms == self.id:
            raise _fail(self, "confirms", "a record cannot confirm itself")


@attrs.frozen(kw_only=True)
class Observation(Record):
    """A monitor's count of violations for an area over ``occurred``.

    Attributes:
        monitor: The monitoring actor id (the default ``claimed_by``).
        place: The area observed, if a place id.
        violations: How many violations were counted. Zero ("no violations this
            week") is evidence of none: `ReportedViolations` lists no violation for
            it, whether it names a commitment or attributes the count to an actor.
        commitment: The commitment the count is against, if any.
        attributed_to: The actor id the monitor attributes them to, if it does.
        summary: The observation in brief.
    """

    KIND: ClassVar[str] = "Observation"
    REFS: ClassVar[dict[str, RefKind]] = {
        "monitor": "actor",
        "place": "place",
        "commitment": "commitment",
        "attributed_to": "actor",
    }
    _CLAIMANT: ClassVar[str | None] = "monitor"

    monitor: str = attrs.field(validator=_ref)
    violations: int = attrs.field(validator=_instance(int))
    place: str | None = attrs.field(default=None, validator=_optional_ref)
    commitment: str | None = attrs.field(default=None, validator=_optional_ref)
    attributed_to: str | None = attrs.field(default=None, validator=_optional_ref)
    summary: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        if isinstance(self.violations, bool) or self.violations < 0:
            raise _fail(
                self, "violations", f"must be a whole number >= 0, got {self.violations!r}"
            )
        if self.violations >= 2**63:  # beyond what JSON and SQLite hold exactly
            raise _fail(
                self,
                "violations",
                f"must be below 2**63, got a {self.violations.bit_length()}-bit number",
            )


@attrs.frozen(kw_only=True)
class CasualtyReport(Record):
    """A casualty figure as one claimant reports it; never merged with others' figures.

    Attributes:
        category: Whose casualties (civilian, combatant, unspecified).
        measure: What is counted (killed, injured, killed or injured, displaced).
        count: The figure, low / best / high, with the source's wording.
        place: The area the figure covers, if a place id.
    """

    KIND: ClassVar[str] = "CasualtyReport"
    REFS: ClassVar[dict[str, RefKind]] = {"place": "place"}

    category: CasualtyCategory = attrs.field(
        converter=_to_casualty_category, validator=_enum(CasualtyCategory)
    )
    measure: CasualtyMeasure = attrs.field(
        converter=_to_casualty_measure, validator=_enum(CasualtyMeasure)
    )
    count: Figure = attrs.field(validator=_instance(Figure))
    place: str | None = attrs.field(default=None, validator=_optional_ref)


@attrs.frozen(kw_only=True)
class Correction(Record):
    """Replaces a record, from this correction's ``reported`` time on.

    Known before the correction, queries see the original; after it, the
    replacement. The replacement keeps the original's id and kind, and the original
    is no Correction or Retraction: a store refuses either pair at append, whichever
    of the two comes first (correct or retract the original record instead).

    Attributes:
        corrects: The record id corrected.
        replacement: The record as it should read.
        reason: Why it was corrected.
    """

    KIND: ClassVar[str] = "Correction"
    REFS: ClassVar[dict[str, RefKind]] = {"corrects": "record"}

    corrects: str = attrs.field(validator=_ref)
    replacement: AnyRecord = attrs.field(validator=_instance(Record))
    reason: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        if isinstance(self.replacement, Correction | Retraction):
            raise _fail(
                self, "replacement", "a correction cannot replace with a correction or retraction"
            )
        if self.replacement.id != self.corrects:
            raise _fail(
                self,
                "replacement.id",
                f"{self.replacement.id!r} must equal corrects {self.corrects!r}",
            )
        if self.corrects == self.id:
            raise _fail(self, "corrects", "a correction cannot correct itself")


@attrs.frozen(kw_only=True)
class Retraction(Record):
    """Withdraws a record from this retraction's ``reported`` time on.

    The record withdrawn is no Correction or Retraction: a store refuses such a pair
    at append, whichever of the two comes first (retract the original record, or
    correct it again, instead).

    Attributes:
        retracts: The record id withdrawn.
        reason: Why.
    """

    KIND: ClassVar[str] = "Retraction"
    REFS: ClassVar[dict[str, RefKind]] = {"retracts": "record"}

    retracts: str = attrs.field(validator=_ref)
    reason: str = attrs.field(default="", validator=_text)

    def _check(self) -> None:
        if self.retracts == self.id:
            raise _fail(self, "retracts", "a retraction cannot retract itself")


def fix_target(record: Record) -> str | None:
    """The id a [`Correction`][conflict_timeline.Correction] or
    [`Retraction`][conflict_timeline.Retraction] acts on; None for any other record."""
    if isinstance(record, Correction):
        return record.corrects
    if isinstance(record, Retraction):
        return record.retracts
    return None


def fix_rank(reported_lo: int, reported_last: int, fix_id: str) -> tuple[int, int, str]:
    """The rule for which of a record's corrections and retractions wins: the largest rank.

    The one known latest wins (by the start of its knowledge time, then its end); a
    tie goes to the larger id, never to the later position, so the outcome does not
    depend on append order. Times are epoch microseconds of the fix's ``reported``
    (``recorded_at`` when it has none). The engine, the importers' view of what a
    store holds and the reference model all rank fixes with this one function.
    """
    return (reported_lo, reported_last, fix_id)


AnyRecord = (
    ActorDefined
    | PlaceDefined
    | ControlChanged
    | Statement
    | Request
    | Agreement
    | Commitment
    | CommitmentEnded
    | Attack
    | Accusation
    | Denial
    | Confirmation
    | Observation
    | CasualtyReport
    | Correction
    | Retraction
)
"""The union of every record kind, as cattrs structures it (tagged on ``kind``)."""

RECORD_KINDS: Final[tuple[type[Record], ...]] = (
    ActorDefined,
    PlaceDefined,
    ControlChanged,
    Statement,
    Request,
    Agreement,
    Commitment,
    CommitmentEnded,
    Attack,
    Accusation,
    Denial,
    Confirmation,
    Observation,
    CasualtyReport,
    Correction,
    Retraction,
)
KIND_BY_NAME: Final[dict[str, type[Record]]] = {cls.KIND: cls for cls in RECORD_KINDS}
