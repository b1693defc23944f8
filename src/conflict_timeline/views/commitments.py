"""Views of commitments: which are active, each one's life, which pledges were triggered."""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs
import immutables

from .._geography import Geography
from .._provenance import Source, sources_text
from .._records import Attack, Commitment, CommitmentEnded, Condition, Scope
from .._time import TimeExtent
from ..stores import Recorded
from ._ends import implied_ends, is_explicit, keep_end
from ._listing import Listing
from ._protocol import Query, View
from ._rules import geography, in_scope, possibly_during
from ._state import GeoState, apply_geo

__all__ = [
    "ActiveCommitment",
    "ActiveCommitments",
    "CommitmentHistory",
    "CommitmentLife",
    "CommitmentStatus",
    "Listing",
    "Trigger",
    "TriggeredCommitments",
]

# --------------------------------------------------------------------- state of both


@attrs.frozen
class _CommitmentState:
    commitments: immutables.Map[str, Recorded] = immutables.Map()
    # commitment id -> the end that wins (an explicit CommitmentEnded, or one implied
    # by a commitment that supersedes it; see ``ends.py``)
    ended: immutables.Map[str, Recorded] = immutables.Map()
    # The commitments with no explicit end folded: the only ones a result can find
    # active, since every explicit end folded has happened by the query's ``at`` (the
    # fold stops there). An implied end may lie after ``at``: results check it.
    unended: immutables.Map[str, Recorded] = immutables.Map()


def _apply_commitments(state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
    record = recorded.record
    if isinstance(record, Commitment):
        ended = state.ended
        for end in implied_ends(recorded):
            ended = keep_end(ended, end)
        unended = state.unended
        if not is_explicit(ended.get(record.id)):
            unended = unended.set(record.id, recorded)
        unended = _drop_explicit(unended, ended, record.supersedes)
        return _CommitmentState(state.commitments.set(record.id, recorded), ended, unended)
    if isinstance(record, CommitmentEnded):
        ended = keep_end(state.ended, recorded)
        if ended is state.ended:
            return state
        unended = _drop_explicit(state.unended, ended, (record.commitment,))
        return _CommitmentState(state.commitments, ended, unended)
    return state


def _drop_explicit(
    unended: immutables.Map[str, Recorded],
    ended: immutables.Map[str, Recorded],
    ids: tuple[str, ...],
) -> immutables.Map[str, Recorded]:
    for cid in ids:
        if cid in unended and is_explicit(ended.get(cid)):
            unended = unended.delete(cid)
    return unended


class CommitmentStatus(enum.Enum):
    """Where a commitment stands at a query's ``at``."""

    PENDING = "pending"  # made, not yet effective
    ACTIVE = "active"
    LAPSED = "lapsed"  # its own ``until`` has passed
    ENDED = "ended"  # a CommitmentEnded has occurred


def _status(commitment: Commitment, end: Recorded | None, query: Query) -> CommitmentStatus:
    # An explicit end folded has happened by ``at``; an implied one is checked here.
    if end is not None and query.happened(end.record.occurred):
        return CommitmentStatus.ENDED
    if commitment.until is not None and query.happened(commitment.until):
        return CommitmentStatus.LAPSED
    if not query.happened(commitment.starts):
        return CommitmentStatus.PENDING
    return CommitmentStatus.ACTIVE


# ------------------------------------------------------------------ ActiveCommitments


@attrs.frozen
class ActiveCommitment:
    """A commitment in force at the query's ``at``.

    Attributes:
        id: The commitment's id.
        commitment: The commitment record (a correction's replacement if corrected).
        since: When it took effect.

    Results carry no store positions, so they are the same for every append order;
    ``timeline.get(id)`` gives the stored envelope.
    """

    id: str
    commitment: Commitment
    since: TimeExtent

    table_columns: ClassVar[tuple[str, ...]] = ("id", "kind", "parties", "since", "sources")

    def table_row(self) -> tuple[str, ...]:
        """The cells under ``table_columns``."""
        return (
            self.id,
            self.commitment.commitment_kind.value,
            ", ".join(self.parties),
            str(self.since),
            sources_text(self.sources),
        )

    @property
    def parties(self) -> tuple[str, ...]:
        """Bound parties (actor ids)."""
        return self.commitment.parties

    @property
    def scope(self) -> Scope:
        """Where it applies."""
        return self.commitment.scope

    @property
    def condition(self) -> Condition | None:
        """What triggers it, for a conditional commitment."""
        return self.commitment.condition

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the commitment."""
        return self.commitment.sources


class ActiveCommitments(View[_CommitmentState, Listing[ActiveCommitment]]):
    """Commitments active at ``at``: effective by then, not lapsed, not ended.

    Result: a :class:`Listing` of :class:`ActiveCommitment`, ordered by when each
    took effect, then id.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Commitment", "CommitmentEnded"})

    def initial(self) -> _CommitmentState:
        """No commitments."""
        return _CommitmentState()

    def apply(self, state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
        """Keep commitments and their first end."""
        return _apply_commitments(state, recorded)

    def result(self, state: _CommitmentState, query: Query) -> Listing[ActiveCommitment]:
        """The active ones at ``query.at``."""
        # ``_status`` with no end, written out: this loop is most of an at-date query.
        at, certain = query.at, query.certain
        out = []
        for cid, recorded in state.unended.items():
            commitment = recorded.record
            assert isinstance(commitment, Commitment)
            starts, until = commitment.starts, commitment.until
            if at is None:
                if until is not None:  # with no cut, every ``until`` has passed
                    continue
            elif (starts.last if certain else starts.lo) > at:
                continue  # pending
            elif until is not None and (until.last if certain else until.lo) <= at:
                continue  # lapsed
            end = state.ended.get(cid)
            if end is not None and query.happened(end.record.occurred):
                continue  # superseded by ``at``
            out.append(ActiveCommitment(cid, commitment, starts))
        out.sort(key=lambda a: (a.since.lo, a.id))
        return Listing(tuple(out), query)


# ------------------------------------------------------------------ CommitmentHistory


@attrs.frozen
class CommitmentLife:
    """One commitment's whole life as known.

    Attributes:
        id: The commitment's id.
        commitment: The commitment record.
        effective: When it took (or takes) effect.
        until: When it lapses by its own terms, if it says.
        ended: The record of how and when it ended, if it has.
        status: Where it stands at the query's ``at`` (at the end of what is
            recorded when there is no ``at``).
    """

    id: str
    commitment: Commitment
    effective: TimeExtent
    until: TimeExtent | None
    ended: CommitmentEnded | None
    status: CommitmentStatus

    table_columns: ClassVar[tuple[str, ...]] = (
        "id",
        "kind",
        "effective",
        "until",
        "status",
        "ended",
    )

    def table_row(self) -> tuple[str, ...]:
        """The cells under ``table_columns``."""
        ended = self.ended
        return (
            self.id,
            self.commitment.commitment_kind.value,
            str(self.effective),
            "" if self.until is None else str(self.until),
            self.status.value,
            "" if ended is None else f"{ended.reason.value} {ended.occurred}",
        )


class CommitmentHistory(View[_CommitmentState, Listing[CommitmentLife]]):
    """Every commitment made by ``at``, with how and when it ended.

    Result: a :class:`Listing` of :class:`CommitmentLife`, ordered by effective date.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Commitment", "CommitmentEnded"})

    def initial(self) -> _CommitmentState:
        """No commitments."""
        return _CommitmentState()

    def apply(self, state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
        """Keep commitments and their first end."""
        return _apply_commitments(state, recorded)

    def result(self, state: _CommitmentState, query: Query) -> Listing[CommitmentLife]:
        """Each commitment with its status at ``query.at``."""
        out = []
        for cid, recorded in state.commitments.items():
            commitment = recorded.record
            assert isinstance(commitment, Commitment)
            end = state.ended.get(cid)
            if end is not None and not (is_explicit(end) or query.happened(end.record.occurred)):
                end = None  # superseded only after ``at``
            end_record = end.record if end is not None else None
            assert end_record is None or isinstance(end_record, CommitmentEnded)
            out.append(
                CommitmentLife(
                    cid,
                    commitment,
                    commitment.starts,
                    commitment.until,
                    end_record,
                    _status(commitment, end, query),
                )
            )
        out.sort(key=lambda c: (c.effective.lo, c.id))
        return Listing(tuple(out), query)


# --------------------------------------------------------------- TriggeredCommitments


_MAX_EXAMPLES = 5


@attrs.frozen
class _TriggerState:
    geo: GeoState = GeoState()
    conditional: immutables.Map[str, Recorded] = immutables.Map()
    ended: immutables.Map[str, Recorded] = immutables.Map()
    attacks: immutables.Map[str, Recorded] = immutables.Map()
    # commitment id -> attack ids that met its condition
    triggered_by: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    # commitment id -> (count, examples) of in-period attacks that did not meet it
    misses: immutables.Map[str, tuple[int, tuple[tuple[str, str], ...]]] = immutables.Map()


@attrs.frozen
class Trigger:
    """Whether a conditional commitment's condition has been met.

    Attributes:
        id: The commitment's id.
        commitment: The commitment record.
        triggered: True when at least one attack met the condition.
        attacks: Ids of the attacks that met it, in replay order.
        considered: How many attacks in its active period were weighed and did not.
        examples: Up to five of those, as ``(attack id, why not)``.
        explanation: The finding in one sentence.
    """

    id: str
    commitment: Commitment
    triggered: bool
    attacks: tuple[str, ...]
    considered: int
    examples: tuple[tuple[str, str], ...]
    explanation: str

    table_columns: ClassVar[tuple[str, ...]] = ("id", "triggered", "attacks", "explanation")

    def table_row(self) -> tuple[str, ...]:
        """The cells under ``table_columns``."""
        triggered = "yes" if self.triggered else "no"
        return (self.id, triggered, ", ".join(self.attacks), self.explanation)


class TriggeredCommitments(View[_TriggerState, Listing[Trigger]]):
    """Conditional commitments active at ``at``, and whether an attack triggered them.

    An attack triggers a commitment's :class:`Condition` when it possibly falls in
    the commitment's active time, lies in its scope, lies de jure within one of the
    condition's places (judged by the de jure tree as recorded when the attack is
    replayed), and was made by one of the condition's actors (any, when it names
    none). Result: a :class:`Listing` of :class:`Trigger`, triggered or not, each
    with the reason.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset(
        {"Commitment", "CommitmentEnded", "Attack", "ActorDefined", "PlaceDefined"}
    )

    def initial(self) -> _TriggerState:
        """Nothing known."""
        return _TriggerState()

    def apply(self, state: _TriggerState, recorded: Recorded) -> _TriggerState:
        """Weigh each attack against every conditional commitment known so far."""
        record = recorded.record
        geo = apply_geo(state.geo, record)
        if geo is not state.geo:
            return attrs.evolve(state, geo=geo)
        if isinstance(record, Commitment):
            ended = state.ended
            for end in implied_ends(recorded):
                ended = keep_end(ended, end)
            if ended is not state.ended:
                state = attrs.evolve(state, ended=ended)
            if record.condition is None:
                return state
            state = attrs.evolve(state, conditional=state.conditional.set(record.id, recorded))
            for attack in state.attacks.values():  # attacks replayed before it was made
                state = self._weigh(state, record.id, attack)
            return state
        if isinstance(record, CommitmentEnded):
            ended = keep_end(state.ended, recorded)
            return state if ended is state.ended else attrs.evolve(state, ended=ended)
        if isinstance(record, Attack):
            state = attrs.evolve(state, attacks=state.attacks.set(record.id, recorded))
            for cid in state.conditional:
                state = self._weigh(state, cid, recorded)
        return state

    def _weigh(self, state: _TriggerState, cid: str, attack_rec: Recorded) -> _TriggerState:
        commitment = state.conditional[cid].record
        attack = attack_rec.record
        assert isinstance(commitment, Commitment)
        assert isinstance(attack, Attack)
        assert commitment.condition is not None
        if not possibly_during(attack.occurred, commitment, _end(state.ended.get(cid))):
            return state
        geo = geography(state.geo.actors, state.geo.places)
        condition = commitment.condition
        reason = None
        if not in_scope(commitment.scope, attack.place, geo):
            reason = "outside the commitment's scope"
        elif (missed := _unmet(condition, attack, geo)) is not None:
            reason = missed
        elif condition.by and not (
            attack.perpetrator is not None
            and any(geo.affiliated(attack.perpetrator, a) for a in condition.by)
        ):
            reason = f"made by {attack.perpetrator or 'an unknown perpetrator'}, not by " + (
                " or ".join(condition.by)
            )
        if reason is None:
            hits = state.triggered_by.get(cid, ())
            if attack.id in hits:
                return state
            return attrs.evolve(
                state, triggered_by=state.triggered_by.set(cid, (*hits, attack.id))
            )
        count, examples = state.misses.get(cid, (0, ()))
        if any(aid == attack.id for aid, _ in examples):
            return state
        # Keep the examples with the smallest ids: the same whatever the replay path.
        examples = tuple(sorted((*examples, (attack.id, reason))))[:_MAX_EXAMPLES]
        return attrs.evolve(state, misses=state.misses.set(cid, (count + 1, examples)))

    def result(self, state: _TriggerState, query: Query) -> Listing[Trigger]:
        """Each conditional commitment active at ``query.at``."""
        out = []
        for cid, recorded in state.conditional.items():
            commitment = recorded.record
            assert isinstance(commitment, Commitment)
            assert commitment.condition is not None
            if _status(commitment, state.ended.get(cid), query) is not CommitmentStatus.ACTIVE:
                continue
            hits = state.triggered_by.get(cid, ())
            count, examples = state.misses.get(cid, (0, ()))
            condition = commitment.condition
            places = ", ".join(condition.attack_within)
            plain = not condition.against  # the place test alone, worded as it always was
            words = f"within {places}" if plain else _words(condition)
            if hits:
                explanation = f"triggered: {len(hits)} reported attack(s) {words}: " + ", ".join(
                    hits
                )
            elif count and plain:
                explanation = (
                    f"not triggered: none of the {count} reported attack(s) in its period "
                    f"lies within {places} (de jure)"
                )
            elif count:
                explanation = (
                    f"not triggered: none of the {count} reported attack(s) in its period "
                    f"is {words}"
                )
            else:
                explanation = "not triggered: no reported attack in its period"
            out.append(Trigger(cid, commitment, bool(hits), hits, count, examples, explanation))
        out.sort(key=lambda t: (t.commitment.starts.lo, t.id))
        return Listing(tuple(out), query)


def _end(recorded: Recorded | None) -> CommitmentEnded | None:
    if recorded is None:
        return None
    assert isinstance(recorded.record, CommitmentEnded)
    return recorded.record


def _unmet(condition: Condition, attack: Attack, geo: Geography) -> str | None:
    """Why an attack fails the condition's place and target tests (None: it passes).

    Each named test (places when ``attack_within`` names some, targets when
    ``against`` does) passes or gives its reason; ``match="all"`` needs every named
    test (the first failure's reason is given, places first), ``match="any"`` one of
    them (all the reasons, joined with "; ", when none passes).
    """
    reasons: list[str] = []
    passed = 0
    if condition.attack_within:
        if attack.place is None:
            reasons.append("its place is not known")
        elif not any(geo.is_within(attack.place, p) for p in condition.attack_within):
            reasons.append(_where(attack.place, geo, condition.attack_within))
        else:
            passed += 1
    if condition.against:
        target = attack.target_actor
        if target is None:
            reasons.append("its target is not known")
        elif not any(geo.affiliated(target, a) for a in condition.against):
            reasons.append(f"aimed at {target}, not at " + " or ".join(condition.against))
        else:
            passed += 1
    if not reasons:
        return None
    if condition.match == "any":
        return None if passed else "; ".join(reasons)
    return reasons[0]


def _words(condition: Condition) -> str:
    """The condition in words: "within X and on A (or its affiliates)"."""
    parts = []
    if condition.attack_within:
        parts.append("within " + ", ".join(condition.attack_within))
    if condition.against:
        parts.append("on " + ", ".join(condition.against) + " (or an affiliate)")
    return (" or " if condition.match == "any" else " and ").join(parts)


def _where(place: str, geo: Geography, within: tuple[str, ...]) -> str:
    chain = " -> ".join((place, *geo.ancestors(place)))
    return f"{chain} is not within {' or '.join(within)} de jure"
