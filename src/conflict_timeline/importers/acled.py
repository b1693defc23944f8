"""Import ACLED exports (CSV, the codebook's columns) as records.

Reads the columns of ACLED's codebook: ``event_id_cnty, event_date, year,
time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1,
inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region,
country, admin1, admin2, admin3, location, latitude, longitude, geo_precision,
source, source_scale, notes, fatalities, tags, timestamp``. Required are
``event_id_cnty, event_date, time_precision, event_type, sub_event_type, actor1,
actor2, country, fatalities``; the others are read when present, and columns that
are not listed (``population_best``, ...) are ignored. A leading byte-order mark is
fine.

Mapping (the importer is pure: it returns an :class:`ImportBatch`, see ``_batch``):

- ``Battles``, ``Explosions/Remote violence`` and ``Violence against civilians``
  become an :class:`Attack` with id ``acled:<event_id_cnty>``: ``perpetrator`` is
  actor1 and ``target_actor`` actor2. ACLED does not code who started a battle, so
  for battles "perpetrator" only means ACLED's first actor. ``target_class`` is
  civilian when the event type is violence against civilians, when
  ``civilian_targeting`` is set, or when actor2 is civilians (inter 7); otherwise
  military for battles and for explosions against an armed actor (inter 1-4, 8),
  and unknown for other explosions. Civilians are not made actors: for them
  ``target`` names actor2 ("Civilians (Nigeria)") and ``target_actor`` stays empty.
  ``means`` is the sub-event type; ``fatalities`` a :class:`Figure` with ``best``.
- ``Strategic developments`` become a :class:`Statement` (speaker actor1, summary the
  notes), except the ``Agreement`` sub-event, which becomes a :class:`Commitment` of
  kind ``agreement`` between actor1 and actor2, status alleged, its notes starting
  "imported from ACLED for review:" (ACLED does not code what was agreed).
- ``Protests`` and ``Riots`` are outside this library's record kinds: each such row
  is refused with that reason (in strict mode too, where it is not an error), so
  nothing is dropped silently.
- ``event_date`` + ``time_precision`` become the ``occurred`` extent
  (:meth:`TimeExtent.from_acled`: 1 day, 2 the week centred on the date, 3 month).
- Knowledge time: ``timestamp`` (Unix seconds, when ACLED published or last changed
  the row) is the ``published`` instant of a source for ACLED itself, so it is the
  record's ``reported`` time. The publishers in ``source`` (split on ``;``) are
  sources too, undated: the export does not say when each one published.
- Actors: ``actor:<slug of name>``, kind from inter1/inter2 (numbers 1-8 or their
  labels, "State forces", "Rebel group(s)", ...): state forces, rebels, militias
  and external/other forces are ``armed_force`` (a name starting "Government of" is
  ``government``); rioters, protesters and civilians ``organization``. The first row
  to name an actor defines it. Associated actors are named in the notes.
- Places: the admin hierarchy is the de jure chain ``place:<country>`` >
  ``place:<country>/<admin1>`` > ... > ``.../<location>`` (empty levels skipped),
  with the coordinates on the location, which is where the record points.
- ``event_type``/``sub_event_type`` are kept in :class:`Codes`.

Re-import: a row whose record differs from ``existing("acled:<id>")`` (the current
version in the store) yields a :class:`Correction` with id
``acled:<id>#correction-<hash of the replacement>``, distinct for each version; an
unchanged row yields nothing. :func:`read_acled_deletions` turns ACLED's deletions
list into :class:`Retraction` records.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

from .._provenance import Codes, Figure, Source
from .._records import (
    ActorDefined,
    ActorKind,
    Attack,
    Commitment,
    CommitmentKind,
    Coordinates,
    PlaceDefined,
    PlaceKind,
    Retraction,
    Statement,
    TargetClass,
)
from .._time import Precision, TimeExtent, epoch_us, from_epoch_us
from ..errors import ConflictTimelineError
from ._batch import BatchBuilder, Existing, ImportBatch, Refusal, RowOutcome, run_rows, slug
from ._rows import PathOrFile, Table, open_table

__all__ = ["read_acled", "read_acled_deletions"]

REQUIRED: Final = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "fatalities",
)
DELETION_COLUMNS: Final = ("event_id_cnty", "deleted_timestamp")

_ATTACKS: Final = frozenset(
    {"battles", "explosions/remote violence", "violence against civilians"}
)
_OUT_OF_SCOPE: Final = frozenset({"protests", "riots"})
_STRATEGIC: Final = "strategic developments"

_CIVILIANS: Final = 7
_ARMED: Final = frozenset({1, 2, 3, 4, 8})

_INTER_LABELS: Final = {
    "state forces": 1,
    "state force": 1,
    "rebel groups": 2,
    "rebel group": 2,
    "political militias": 3,
    "political militia": 3,
    "identity militias": 4,
    "identity militia": 4,
    "communal/identity militias": 4,
    "communal/identity militia": 4,
    "rioters": 5,
    "rioter": 5,
    "protesters": 6,
    "protester": 6,
    "civilians": 7,
    "civilian": 7,
    "external/other forces": 8,
    "external/other force": 8,
}
_TITLE: Final = "ACLED event data"
_CACHE_SIZE: Final = 100_000  # entries per cache of sources; beyond, build each time
_NO_TARGETING: Final = frozenset({"", "no", "false", "0"})


# ------------------------------------------------------------------- cell parsing


def _inter(field: str, raw: str) -> int | None:
    """An inter code from a number or a label; None for "no actor"."""
    text = raw.strip()
    if not text:
        return None
    code = _INTER_LABELS.get(text.casefold())
    if code is None:
        try:
            number = float(text)
        except ValueError:
            number = -1.0
        if number.is_integer() and 0 <= number <= 8:
            code = int(number)
        else:
            labels = "State forces, Rebel group, Political militia, Identity militia, "
            labels += "Rioters, Protesters, Civilians, External/Other forces"
            reason = f"{raw!r} is not an ACLED actor type: expected 0-8 or one of {labels}"
            raise Refusal(field, reason)
    return code or None


def _actor_kind(name: str, code: int | None) -> ActorKind:
    if name.startswith("Government of"):
        return ActorKind.GOVERNMENT
    if code is None or code in _ARMED:
        return ActorKind.ARMED_FORCE
    return ActorKind.ORGANIZATION


def _float(field: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise Refusal(field, f"{raw!r} is not a number") from None


def _count(field: str, raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise Refusal(field, f"{raw!r} is not a whole number") from None
        if not number.is_integer():
            raise Refusal(field, f"{raw!r} is not a whole number") from None
        value = int(number)
    if value < 0:
        raise Refusal(field, f"{raw!r} is negative")
    if value >= 2**63:  # a stored count is a signed 64-bit integer
        raise Refusal(field, f"{text[:40]!r} is too large (counts must be below 2**63)")
    return value


def _instant(field: str, raw: str) -> TimeExtent | None:
    """Unix seconds (ACLED's form), or an ISO 8601 timestamp with an offset."""
    text = raw.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            reason = f"{raw!r} is not Unix seconds (or an ISO 8601 timestamp with an offset)"
            raise Refusal(field, reason) from None
        try:
            return TimeExtent.instant(from_epoch_us(epoch_us(parsed)))
        except (ValueError, OverflowError):  # in UTC it falls past 9999-12-31
            reason = f"{raw!r} falls outside the years 1 to 9999 in UTC"
            raise Refusal(field, reason) from None
    if not abs(seconds) <= 1e11:  # NaN, or beyond the year 5000
        raise Refusal(field, f"{raw!r} is not a plausible Unix time in seconds")
    utc = from_epoch_us(round(seconds * 1_000_000))
    return TimeExtent(utc, utc, Precision.INSTANT)


def _split(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in raw.split(";"):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


# ------------------------------------------------------------- the importer


class _Acled:
    """One import: column indices, caches, and the row converter."""

    def __init__(self, table: Table, builder: BatchBuilder, source_name: str) -> None:
        self.t = table
        self.b = builder
        self.source_name = source_name
        self.extents: dict[tuple[str, str], TimeExtent] = {}
        self.publishers: dict[str, tuple[Source, ...]] = {}
        self.own: dict[str, Source] = {}
        self.sources: dict[tuple[str, str], tuple[Source, ...]] = {}
        self.codes: dict[tuple[str, str], Codes] = {}
        self.places: dict[tuple[str, ...], tuple[str, tuple[PlaceDefined, ...]]] = {}
        self.actors: dict[str, ActorDefined] = {}
        self.figures: dict[int, Figure] = {}
        ix = table.index
        self.i_id = ix("event_id_cnty")
        self.i_date = ix("event_date")
        self.i_prec = ix("time_precision")
        self.i_type = ix("event_type")
        self.i_sub = ix("sub_event_type")
        self.i_a1 = ix("actor1")
        self.i_as1 = ix("assoc_actor_1")
        self.i_inter1 = ix("inter1")
        self.i_a2 = ix("actor2")
        self.i_as2 = ix("assoc_actor_2")
        self.i_inter2 = ix("inter2")
        self.i_civ = ix("civilian_targeting")
        self.i_geo = tuple(
            ix(c)
            for c in ("country", "admin1", "admin2", "admin3", "location", "latitude", "longitude")
        )
        self.i_source = ix("source")
        self.i_notes = ix("notes")
        self.i_fat = ix("fatalities")
        self.i_ts = ix("timestamp")

    # ------------------------------------------------------------ cached parts

    def occurred(self, date: str, precision: str) -> TimeExtent:
        key = (date, precision)
        extent = self.extents.get(key)
        if extent is None:
            if precision.strip() not in {"1", "2", "3"}:
                raise Refusal("time_precision", f"{precision!r} is not 1, 2 or 3")
            try:
                extent = TimeExtent.from_acled(date, precision.strip())
            except ConflictTimelineError as exc:
                raise Refusal("event_date", str(exc)) from None
            self.extents[key] = extent
        return extent

    def row_sources(self, publishers: str, timestamp: str) -> tuple[Source, ...]:
        key = (publishers, timestamp)
        found = self.sources.get(key)
        if found is None:
            named = self.publishers.get(publishers)
            if named is None:
                named = tuple(Source(publisher=p) for p in _split(publishers))
                self.publishers[publishers] = named
            own = self.own.get(timestamp)
            if own is None:
                published = _instant("timestamp", timestamp)
                own = Source(publisher=self.source_name, title=_TITLE, published=published)
                if len(self.own) < _CACHE_SIZE:
                    self.own[timestamp] = own
            found = (*named, own)
            if len(self.sources) < _CACHE_SIZE:
                self.sources[key] = found
        return found

    def row_codes(self, event_type: str, sub: str) -> Codes:
        key = (event_type, sub)
        codes = self.codes.get(key)
        if codes is None:
            codes = Codes(acled_event_type=event_type or None, acled_sub_event_type=sub or None)
            self.codes[key] = codes
        return codes

    def figure(self, best: int) -> Figure:
        found = self.figures.get(best)
        if found is None:
            found = self.figures[best] = Figure(best=best)
        return found

    def place(self, out: RowOutcome, cells: list[str]) -> str:
        key = tuple(cells[i] for i in self.i_geo)
        found = self.places.get(key)
        if found is None:
            found = self._place_chain(key)
            self.places[key] = found
        pid, chain = found
        if not self.b.has(pid):  # a known place's parents are known too
            for record in chain:
                self.b.define(out, record)
        return pid

    def _place_chain(self, key: tuple[str, ...]) -> tuple[str, tuple[PlaceDefined, ...]]:
        country, admin1, admin2, admin3, location, lat, lon = (k.strip() for k in key)
        if not country:
            raise Refusal("country", "is empty; every ACLED event names its country")
        coordinates = None
        if lat or lon:
            if not lat or not lon:
                empty = "latitude" if not lat else "longitude"
                raise Refusal(empty, "is empty but the other coordinate is given")
            try:
                coordinates = Coordinates(
                    lat=_float("latitude", lat), lon=_float("longitude", lon)
                )
            except ConflictTimelineError as exc:
                field = "latitude" if "lat" in str(exc) else "longitude"
                raise Refusal(field, str(exc)) from None
        chain: list[PlaceDefined] = []
        pid = f"place:{slug(country)}"
        chain.append(PlaceDefined(id=pid, name=country, place_kind=PlaceKind.COUNTRY))
        levels = (
            (admin1, PlaceKind.REGION),
            (admin2, PlaceKind.DISTRICT),
            (admin3, PlaceKind.DISTRICT),
        )
        for name, kind in levels:
            if name:
                parent, pid = pid, f"{pid}/{slug(name)}"
                chain.append(PlaceDefined(id=pid, name=name, place_kind=kind, parent=parent))
        if location:
            parent, pid = pid, f"{pid}/{slug(location)}"
            chain.append(
                PlaceDefined(
                    id=pid,
                    name=location,
                    place_kind=PlaceKind.AREA,
                    parent=parent,
                    coordinates=coordinates,
                )
            )
        return pid, tuple(chain)

    def actor(self, out: RowOutcome, name: str, code: int | None) -> str:
        record = self.actors.get(name)
        if record is None:
            record = ActorDefined(
                id=f"actor:{slug(name)}", name=name, actor_kind=_actor_kind(name, code)
            )
            self.actors[name] = record
        self.b.define(out, record)
        return record.id

    # -------------------------------------------------------------------- rows

    def row(self, cells: list[str]) -> RowOutcome:
        eid = cells[self.i_id].strip()
        if not eid:
            raise Refusal("event_id_cnty", "is empty; every ACLED row has an event id")
        event_type = cells[self.i_type].strip()
        kind = event_type.casefold()
        if kind in _OUT_OF_SCOPE:
            reason = f"event type {event_type} is outside this library's record kinds"
            raise Refusal("event_type", reason, in_scope=False)
        if kind not in _ATTACKS and kind != _STRATEGIC:
            known = "Battles, Explosions/Remote violence, Violence against civilians, "
            known += "Strategic developments, Protests, Riots"
            raise Refusal("event_type", f"{event_type!r} is not an ACLED event type ({known})")
        sub = cells[self.i_sub].strip()
        occurred = self.occurred(cells[self.i_date], cells[self.i_prec])
        out = RowOutcome()
        place = self.place(out, cells)
        actor1 = cells[self.i_a1].strip()
        actor2 = cells[self.i_a2].strip()
        inter1 = _inter("inter1", cells[self.i_inter1])
        inter2 = _inter("inter2", cells[self.i_inter2])
        fatalities = _count("fatalities", cells[self.i_fat])
        sources = self.row_sources(cells[self.i_source], cells[self.i_ts])
        codes = self.row_codes(event_type, sub)
        notes = cells[self.i_notes].strip()
        extra = self.associates(cells)
        rid = f"acled:{eid}"

        if kind in _ATTACKS:
            civilian = (
                kind == "violence against civilians"
                or cells[self.i_civ].strip().casefold() not in _NO_TARGETING
                or inter2 == _CIVILIANS
            )
            if civilian:
                target_class = TargetClass.CIVILIAN
            elif kind == "battles" or inter2 in _ARMED:
                target_class = TargetClass.MILITARY
            else:
                target_class = TargetClass.UNKNOWN
            perpetrator = self.actor(out, actor1, inter1) if actor1 else None
            target_actor = (
                self.actor(out, actor2, inter2) if actor2 and inter2 != _CIVILIANS else None
            )
            out.event = Attack(
                id=rid,
                occurred=occurred,
                sources=sources,
                codes=codes,
                notes=_join(notes, extra),
                perpetrator=perpetrator,
                target_class=target_class,
                target=actor2,
                means=sub or None,
                place=place,
                target_actor=target_actor,
                fatalities=None if fatalities is None else self.figure(fatalities),
            )
            return out

        if not actor1:
            raise Refusal("actor1", "is empty; a strategic development needs its actor")
        speaker = self.actor(out, actor1, inter1)
        if sub.casefold() == "agreement":
            parties = [speaker]
            if actor2:
                other = self.actor(out, actor2, inter2)
                if other != speaker:
                    parties.append(other)
            out.event = Commitment(
                id=rid,
                occurred=occurred,
                sources=sources,
                codes=codes,
                notes=_join(f"imported from ACLED for review: {notes}", extra),
                commitment_kind=CommitmentKind.AGREEMENT,
                parties=tuple(parties),
            )
            return out
        if actor2:
            extra = _join(f"actor2: {actor2}", extra)
        out.event = Statement(
            id=rid,
            occurred=occurred,
            sources=sources,
            codes=codes,
            notes=extra,
            speaker=speaker,
            summary=notes or f"{sub or 'Strategic development'} (ACLED, no notes)",
        )
        return out

    def associates(self, cells: list[str]) -> str:
        parts = []
        for label, i in (("actor1", self.i_as1), ("actor2", self.i_as2)):
            names = cells[i].strip()
            if names:
                parts.append(f"associated with {label}: {'; '.join(_split(names))}")
        return "; ".join(parts)


def _join(first: str, second: str) -> str:
    if first and second:
        return f"{first}\n\n{second}"
    return first or second


def read_acled(
    path_or_file: PathOrFile,
    *,
    existing: Existing | None = None,
    source_name: str | None = None,
    strict: bool = False,
) -> ImportBatch:
    """Read an ACLED export (CSV) into records, without touching any store.

    Args:
        path_or_file: A path, or an open file (text or binary).
        existing: ``existing(id)`` returns the *current* stored version of a record
            (the latest correction's replacement), or ``None``. Known actors and
            places are then not defined again, and a changed row becomes a
            :class:`Correction`. Without it, every row is new.
        source_name: The publisher named on each record's ACLED source (the one
            dated by ``timestamp``); ``"ACLED"`` by default. Keep it the same across
            re-imports, or every row reads as changed.
        strict: Raise :class:`ImportDataError` at the first row with bad data
            instead of collecting it in ``refused``.

    Returns:
        The records in append order, the refused rows and the counts.

    Raises:
        ImportDataError: a required column is missing, the file is not UTF-8 CSV,
            or (strict) a row has bad data: "file.csv, line 12: latitude: 'abc'
            is not a number".
    """
    with open_table(path_or_file, required=REQUIRED) as table:
        builder = BatchBuilder(
            file=table.name,
            existing=existing,
            strict=strict,
            reimport_reason="ACLED re-import: row changed",
        )
        importer = _Acled(table, builder, source_name or "ACLED")
        run_rows(table, builder, importer.row)
    return builder.build()


def read_acled_deletions(
    path_or_file: PathOrFile,
    *,
    existing: Existing,
    source_name: str | None = None,
    strict: bool = False,
) -> ImportBatch:
    """Read ACLED's list of deleted events into :class:`Retraction` records.

    The file has ``event_id_cnty`` and ``deleted_timestamp`` (Unix seconds). An id
    ``existing`` knows gets ``Retraction(id="acled:<id>#retraction")``, occurring
    and reported at the deletion time; an id the store never had, or has already
    retracted, needs nothing and is counted in ``skipped``.

    Raises:
        ImportDataError: as :func:`read_acled`.
    """
    with open_table(path_or_file, required=DELETION_COLUMNS) as table:
        builder = BatchBuilder(
            file=table.name, existing=existing, strict=strict, reimport_reason=""
        )
        publisher = source_name or "ACLED"
        i_id, i_ts = table.index("event_id_cnty"), table.index("deleted_timestamp")

        def convert(cells: list[str]) -> RowOutcome:
            out = RowOutcome()
            eid = cells[i_id].strip()
            if not eid:
                raise Refusal("event_id_cnty", "is empty")
            when = _instant("deleted_timestamp", cells[i_ts])
            if when is None:
                raise Refusal("deleted_timestamp", "is empty; ACLED dates every deletion")
            rid = f"acled:{eid}"
            current = existing(rid)
            if current is None or isinstance(current, Retraction):
                return out  # nothing (more) to retract: counted as skipped
            out.event = Retraction(
                id=f"{rid}#retraction",
                occurred=when,
                sources=(
                    Source(publisher=publisher, title="ACLED deleted events", published=when),
                ),
                retracts=rid,
                reason="listed in ACLED's deleted events",
            )
            return out

        run_rows(table, builder, convert)
    return builder.build()
