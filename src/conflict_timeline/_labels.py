"""How records read to a person: actor and place names, headlines, figures, credits.

Shared by the exports (TimelineJS text, CSV), the picture (tooltips, lane titles)
and the command line (tables), so a record is described the same way everywhere.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping

from ._provenance import Source, figure_text
from ._records import (
    Accusation,
    ActorDefined,
    Agreement,
    Attack,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    Confirmation,
    ControlChanged,
    Denial,
    EndReason,
    Observation,
    PlaceDefined,
    Record,
    Request,
    Statement,
)
from ._time import Precision, TimeExtent
from ._timeline import Timeline, record_as_known
from .views import CommitmentHistory, CommitmentLife, Gazetteer
from .views._listing import listed

__all__ = [
    "Names",
    "compact_when",
    "credit",
    "detail",
    "enum_label",
    "figure_text",
    "headline",
    "shorten",
]


class Names:
    """Actor and place names by id, as a timeline's gazetteer knows them, its
    commitments, which an end is headlined by, and (made by `of`) its records, which
    a denial or a confirmation is headlined by (`record`).

    Args:
        actors: Actor id -> definition.
        places: Place id -> definition.
        commitments: Commitment id -> the commitment.
    """

    def __init__(
        self,
        actors: Mapping[str, ActorDefined] | None = None,
        places: Mapping[str, PlaceDefined] | None = None,
        commitments: Mapping[str, Commitment] | None = None,
    ) -> None:
        self.actors = actors or {}
        self.places = places or {}
        self._commitments = commitments
        # `of` reads the commitments only when an end is first headlined: most
        # callers (the tables of attacks, the drawing) headline none.
        self._load: Callable[[], Mapping[str, Commitment]] | None = None
        # `of`: a record by id, as known under its cuts (`record`)
        self._find: Callable[[str], Record | None] | None = None

    @property
    def commitments(self) -> Mapping[str, Commitment]:
        """Commitment id -> the commitment."""
        if self._commitments is None:
            self._commitments = {} if self._load is None else self._load()
            self._load = None
        return self._commitments

    @classmethod
    def of(
        cls,
        timeline: Timeline,
        *,
        known_at: object = None,
        as_of: int | None = None,
        tz: str | None = None,
        lives: Iterable[CommitmentLife] | None = None,
    ) -> Names:
        """The names a timeline defines, and its commitments (`CommitmentHistory`), as
        known at ``known_at``, read in ``tz`` (by default the timeline's own zone), as
        stored by the position ``as_of``. ``lives``: that `CommitmentHistory`, when the
        caller has it; else it is read when an end is first headlined."""
        gazetteer = timeline.state(Gazetteer, known_at=known_at, as_of=as_of, tz=tz)
        names = cls(gazetteer.actors, gazetteer.places, None if lives is None else _by_id(lives))
        if lives is None:
            names._load = lambda: _by_id(
                timeline.state(CommitmentHistory, known_at=known_at, as_of=as_of, tz=tz)
            )
        names._find = _finder(timeline, known_at=known_at, as_of=as_of, tz=tz)
        return names

    def record(self, record_id: str) -> Record | None:
        """The record with that id as the timeline knows it under the cuts `of` was
        given (corrections applied, retractions obeyed); None when it holds none
        then, and for names not made by `of`. Each record is read when first asked
        for, once, with its corrections and retractions only."""
        return None if self._find is None else self._find(record_id)

    def without_records(self) -> Names:
        """These names, but `record` finds nothing: what a denied or confirmed record
        is headlined with (a denial of a denial names the one it denies by its id, so
        no chain of denials or confirmations is followed)."""
        plain = Names(self.actors, self.places, self._commitments)
        plain._load = self._load
        return plain

    def actor(self, actor_id: str | None) -> str:
        """The actor's name, or its id when it has no definition; "unknown" for None."""
        if actor_id is None:
            return "unknown"
        found = self.actors.get(actor_id)
        return found.name if found is not None else actor_id

    def actors_(self, ids: Iterable[str]) -> str:
        """Several actors' names, joined with commas (a name holding one quoted:
        `listed`)."""
        return listed(ids, self)

    def place(self, place_id: str | None) -> str:
        """The place's name, or its id when it has no definition; "" for None."""
        if place_id is None:
            return ""
        found = self.places.get(place_id)
        return found.name if found is not None else place_id


def _by_id(lives: Iterable[CommitmentLife]) -> dict[str, Commitment]:
    return {life.id: life.commitment for life in lives}


def _finder(
    timeline: Timeline, *, known_at: object, as_of: int | None, tz: str | None
) -> Callable[[str], Record | None]:
    """`Names.record` of ``timeline`` under these cuts: each record read once, with its
    corrections and retractions only (`record_as_known`), when first asked for."""
    query = timeline.query(known_at=known_at, as_of=as_of, tz=tz)
    held: dict[str, Record | None] = {}

    def find(record_id: str) -> Record | None:
        if record_id not in held:
            found = record_as_known(timeline, query, record_id)
            held[record_id] = None if found is None else found.record
        return held[record_id]

    return find


def _kind_words(kind: str) -> str:
    """A record kind as words: ``CasualtyReport`` is "casualty report"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def _named_record(record_id: str, names: Names) -> str:
    """The record a denial denies or a confirmation confirms, in words: its kind and
    headline as the timeline knows it (`Names.record`), ``the accusation "Armenia
    accuses Azerbaijani forces"``; its id when the timeline does not hold it (as
    known). The named record is headlined without records, so no chain of denials or
    confirmations is followed."""
    named = names.record(record_id)
    if named is None:
        return record_id
    what = headline(named, names.without_records())
    return f'the {_kind_words(named.KIND)} "{what}"'


def enum_label(value: enum.Enum) -> str:
    return str(value.value).replace("_", " ")


def headline(record: Record, names: Names) -> str:
    """A one-line description of a record, with actor and place names."""
    if isinstance(record, Attack):
        what = record.means or "attack"
        target = record.target or f"{enum_label(record.target_class)} target"
        where = f", {names.place(record.place)}" if record.place else ""
        if record.between_sides:  # no side is coded as the attacker
            # The other side by its name when it is an actor, as the first side is.
            other = names.actor(record.target_actor) if record.target_actor else target
            return f"Fighting between {names.actor(record.perpetrator)} and {other}{where}"
        return f"{names.actor(record.perpetrator)}: {what} on {target}{where}"
    if isinstance(record, Commitment):
        kind = enum_label(record.commitment_kind).capitalize()
        return f"{kind}: {names.actors_(record.parties)}"
    if isinstance(record, CommitmentEnded):
        why = "no reason stated" if record.reason is EndReason.UNSTATED else record.reason.value
        ended = names.commitments.get(record.commitment)
        if ended is None:  # not known (or not among those given): by its id
            return f"{record.commitment} ends ({why})"
        kind = enum_label(ended.commitment_kind)
        return f"End of {kind}: {names.actors_(ended.parties)} ({why})"
    if isinstance(record, Request):
        return f"{names.actor(record.requester)} asks {names.actor(record.requested_of)}"
    if isinstance(record, Statement):
        where = f" in {names.place(record.place)}" if record.place else ""
        return f"{names.actor(record.speaker)}{where}: {shorten(record.summary, 90)}"
    if isinstance(record, Accusation):
        return f"{names.actor(record.accuser)} accuses {names.actors_(record.accused)}"
    if isinstance(record, Denial):
        return f"{names.actor(record.denier)} denies {_named_record(record.denies, names)}"
    if isinstance(record, Confirmation):
        verb = "admits" if record.admission else "confirms"
        return f"{names.actor(record.confirmer)} {verb} {_named_record(record.confirms, names)}"
    if isinstance(record, Agreement):
        return f"{record.title}: {names.actors_(record.signatories)}"
    if isinstance(record, Observation):
        where = f" in {names.place(record.place)}" if record.place else ""
        return f"{names.actor(record.monitor)} observes {record.violations} violation(s){where}"
    if isinstance(record, CasualtyReport):
        what = f"{enum_label(record.category)} {enum_label(record.measure)}"
        return f"{what.capitalize()}: {figure_text(record.count)}"
    if isinstance(record, ControlChanged):
        return f"{names.actor(record.controller)} controls {names.place(record.place)}"
    if isinstance(record, ActorDefined):
        return f"{record.name} ({enum_label(record.actor_kind)})"
    if isinstance(record, PlaceDefined):
        return f"{record.name} ({enum_label(record.place_kind)})"
    return f"{record.KIND} {record.id}"


def detail(record: Record, names: Names) -> str:
    """The record's own words: summary, terms, quote."""
    if isinstance(record, Commitment):
        return record.text
    if isinstance(record, Statement):
        return record.summary + (f' "{record.quote}"' if record.quote else "")
    if isinstance(record, Request | Accusation | Denial | Confirmation | Observation):
        return record.summary
    if isinstance(record, Agreement):
        return record.text
    if isinstance(record, Attack) and record.fatalities is not None:
        return f"Fatalities: {figure_text(record.fatalities)}"
    del names
    return ""


def shorten(text: str, width: int) -> str:
    """The text on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "\u2026"


def credit(sources: Iterable[Source]) -> str:
    """Sources as a credit line: ``Reuters, "Title" (2020-10-31); ...``."""
    parts = []
    for source in sources:
        text = source.publisher
        if source.title:
            text += f', "{source.title}"'
        if source.published is not None:
            text += f" ({compact_when(source.published)})"
        parts.append(text)
    return "; ".join(parts)


def compact_when(extent: TimeExtent) -> str:
    """An extent compactly: its local date (or span), without the precision note."""
    found = _WHEN.get(extent)
    if found is None:
        text = str(extent)
        found = text.split(" (", 1)[0] if extent.precision is not Precision.INSTANT else text
        if len(_WHEN) >= _WHEN_MAX:
            _WHEN.clear()
        _WHEN[extent] = found
    return found


# Writing an extent out converts it to its zone and parses the text back to check it
# names that one unit (~100 us); the sources of a large export share few dates.
_WHEN_MAX = 4_096
_WHEN: dict[TimeExtent, str] = {}
