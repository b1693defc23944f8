"""Views of commitments: which are active, each one's life, which pledges were triggered."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import ClassVar, NamedTuple

import attrs
import immutables

from .._provenance import Source, sources_text
from .._records import Commitment, CommitmentEnded, Condition, Scope
from .._time import TimeExtent
from ..stores import Recorded
from ._attacklog import AttackLog
from ._ends import ended_by, implied_ends, is_explicit, keep_closing, keep_end
from ._listing import Listing, listed
from ._protocol import Glimpse, Labels, Query, View
from ._triggers import (
    GLIMPSED,
    MAX_EXAMPLES,
    TriggerState,
    apply_attack,
    apply_trigger,
    condition_words,
    considered,
    glimpsed_facts,
)

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
    # commitment id -> its winning end and its closing end (an explicit
    # CommitmentEnded, or one implied by a commitment that supersedes it; see
    # ``_ends.py``): it has ended by ``at`` when either has happened (`ended_by`).
    ended: immutables.Map[str, Recorded] = immutables.Map()
    closing: immutables.Map[str, Recorded] = immutables.Map()
    # The commitments with no explicit end folded: the only ones a result can find
    # active, since every explicit end folded has happened by the query's ``at`` (the
    # fold stops there), and one end that has happened ends it whatever the others
    # say. An implied end may lie after ``at``: results check it. (One explicitly ended
    # before it was folded may stay in: results find it ended.)
    unended: immutables.Map[str, Recorded] = immutables.Map()


def _apply_commitments(state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
    record = recorded.record
    if isinstance(record, Commitment):
        ended, closing = state.ended, state.closing
        for end in implied_ends(recorded):
            ended = keep_end(ended, end)
            closing = keep_closing(closing, end)
        commitments = state.commitments.set(record.id, recorded)
        unended = state.unended
        if not (is_explicit(ended.get(record.id)) or is_explicit(closing.get(record.id))):
            unended = unended.set(record.id, recorded)
        return _CommitmentState(commitments, ended, closing, unended)
    if isinstance(record, CommitmentEnded):
        ended = keep_end(state.ended, recorded)
        closing = keep_closing(state.closing, recorded)
        unended = state.unended
        if record.commitment in unended:
            unended = unended.delete(record.commitment)
        elif ended is state.ended and closing is state.closing:
            return state
        return _CommitmentState(state.commitments, ended, closing, unended)
    return state


class CommitmentStatus(enum.Enum):
    """Where a commitment stands at a query's ``at``."""

    PENDING = "pending"  # made, not yet effective
    ACTIVE = "active"
    LAPSED = "lapsed"  # its own ``until`` has passed
    ENDED = "ended"  # a CommitmentEnded has occurred


def _status(commitment: Commitment, end: Recorded | None, query: Query) -> CommitmentStatus:
    # ``end`` is the one `ended_by` gives: it has happened by ``at`` (None: none has).
    if end is not None:
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
    named_columns: ClassVar[tuple[str, ...]] = ("parties",)

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The cells under ``table_columns``; with ``names``, the parties' names."""
        return (
            self.id,
            self.commitment.commitment_kind.value,
            listed(self.parties, names),
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

    With no ``at``, everything recorded has happened: every ``until`` has passed and
    every recorded end has come, so only the commitments with neither are listed (on
    ETH/PRIO data, where nearly every ceasefire has an end, almost none). Pass ``at``
    to ask about a date.

    Result: a [`Listing`][conflict_timeline.Listing] of
        [`ActiveCommitment`][conflict_timeline.ActiveCommitment], ordered by when each
    took effect (the first instant of its ``effective``), then id.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Commitment", "CommitmentEnded"})

    def initial(self) -> _CommitmentState:
        """No commitments."""
        return _CommitmentState()

    def apply(self, state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
        """Keep commitments and their winning and closing ends."""
        return _apply_commitments(state, recorded)

    def result(self, state: _CommitmentState, query: Query) -> Listing[ActiveCommitment]:
        """The active ones at ``query.at``."""
        # ``_status`` with no end, written out: this loop is most of an at-date query.
        # Each commitment's bounds are read once into `_Bounds` (kept while its record
        # is the same object): an at-date question weighs every unended one.
        at, certain = query.at, query.certain
        ended, closing = state.ended, state.closing
        made = self._made
        found: list[tuple[int, str, ActiveCommitment]] = []
        for cid, recorded in state.unended.items():
            commitment: Commitment = recorded.record  # type: ignore[assignment]  # unended
            bounds = made.get(cid)
            if bounds is None or bounds.commitment is not commitment:
                bounds = made[cid] = _bounds(cid, commitment)
            if at is None:
                if bounds.until_lo is not None:  # with no cut, every ``until`` has passed
                    continue
            elif certain:
                if bounds.starts_last > at:
                    continue  # pending
                if bounds.until_last is not None and bounds.until_last <= at:
                    continue  # lapsed
            else:
                if bounds.starts_lo > at:
                    continue  # pending
                if bounds.until_lo is not None and bounds.until_lo <= at:
                    continue  # lapsed
            if (cid in ended or cid in closing) and ended_by(
                ended.get(cid), closing.get(cid), query
            ) is not None:
                continue  # superseded by ``at``
            found.append((bounds.starts_lo, cid, bounds.item))
        found.sort()  # by when each took effect, then id (ids are unique)
        return Listing(tuple([item for _, _, item in found]), query)

    @property
    def _made(self) -> dict[str, _Bounds]:
        """The bounds and item made for each commitment, to give again while its
        record is the same object (an item depends on nothing else): most of a
        commitment's answers at other dates weigh and list it again."""
        made: dict[str, _Bounds] | None = self.__dict__.get("_items")
        if made is None:
            made = self.__dict__["_items"] = {}
        return made


class _Bounds(NamedTuple):
    """What an at-date answer reads of a commitment, and its item."""

    commitment: Commitment
    item: ActiveCommitment
    starts_lo: int
    starts_last: int
    until_lo: int | None
    until_last: int | None


def _bounds(cid: str, commitment: Commitment) -> _Bounds:
    starts, until = commitment.effective, commitment.until
    assert starts is not None  # set when a commitment is made
    return _Bounds(
        commitment,
        ActiveCommitment(cid, commitment, starts),
        starts.lo,
        starts.last,
        None if until is None else until.lo,
        None if until is None else until.last,
    )


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

    Result: a [`Listing`][conflict_timeline.Listing] of
        [`CommitmentLife`][conflict_timeline.CommitmentLife], ordered by effective date (its
    first instant), then id.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Commitment", "CommitmentEnded"})

    def initial(self) -> _CommitmentState:
        """No commitments."""
        return _CommitmentState()

    def apply(self, state: _CommitmentState, recorded: Recorded) -> _CommitmentState:
        """Keep commitments and their winning and closing ends."""
        return _apply_commitments(state, recorded)

    def result(self, state: _CommitmentState, query: Query) -> Listing[CommitmentLife]:
        """Each commitment with its status at ``query.at``."""
        out = []
        for cid, recorded in state.commitments.items():
            commitment = recorded.record
            assert isinstance(commitment, Commitment)
            end = ended_by(state.ended.get(cid), state.closing.get(cid), query)
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


@attrs.frozen
class Trigger:
    """Whether a conditional commitment's condition has been met.

    Attributes:
        id: The commitment's id.
        commitment: The commitment record.
        triggered: True when at least one attack met the condition.
        attacks: Ids of the attacks that met it, in replay order.
        considered: How many attacks possibly in its active period and in its scope
            (de jure) did not meet it. Attacks outside its scope are not weighed:
            with a scope that names places, those are other conflicts' attacks.
        examples: Up to five of those, the first in replay order, as
            ``(attack id, why not)``.
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


class TriggeredCommitments(View[TriggerState, Listing[Trigger]]):
    """Conditional commitments active at ``at``, and whether an attack triggered them.

    An attack triggers a commitment's [`Condition`][conflict_timeline.Condition] when it possibly
    falls in
    the commitment's active time, lies in its scope, lies de jure within one of the
    condition's places (judged by the places and affiliations replayed up to the later
    of the attack and the commitment: a pledge made after an attack judges it by what
    is known when the pledge is), and was made by one of the condition's actors (any,
    when it names none). An attack between sides (`Attack.between_sides`: a UCDP GED clash, an
    ACLED battle) is read as an attack by either side on the other: it meets the
    condition when it does either way round. Result: a [`Listing`][conflict_timeline.Listing] of
    [`Trigger`][conflict_timeline.Trigger], triggered or not, each
    with the reason, ordered by when each takes effect (the first instant of its
    ``effective``), then id.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset(
        {"Commitment", "CommitmentEnded", "Attack", "ActorDefined", "PlaceDefined"}
    )

    def initial(self) -> TriggerState:
        """Nothing known."""
        return TriggerState(AttackLog())

    glimpses: ClassVar[Mapping[str, tuple[str, ...]]] = immutables.Map({"Attack": GLIMPSED})
    """Attacks are folded from their id, times, place, perpetrator, target actor and
    the two codes that say whether they are between sides (see
    [`GlimpseView`][conflict_timeline.GlimpseView])."""

    def apply(self, state: TriggerState, recorded: Recorded) -> TriggerState:
        """Weigh each attack against the conditional commitments whose scope it lies in."""
        return apply_trigger(state, recorded)

    def apply_glimpse(self, state: TriggerState, glimpse: Glimpse) -> TriggerState:
        """`apply` for an attack read as a glimpse (the same state)."""
        return apply_attack(state, glimpsed_facts(glimpse))

    def result(self, state: TriggerState, query: Query) -> Listing[Trigger]:
        """Each conditional commitment active at ``query.at``."""
        out = []
        for cid, recorded in state.conditional.items():
            commitment = recorded.record
            assert isinstance(commitment, Commitment)
            condition = commitment.condition
            assert condition is not None
            end = ended_by(state.ended.get(cid), state.closing.get(cid), query)
            if _status(commitment, end, query) is not CommitmentStatus.ACTIVE:
                continue
            w = state.watch[cid]
            hits = w.hits
            count = considered(state, cid) - len(hits)
            examples = tuple((aid, why) for _, aid, why in sorted(w.examples))[:MAX_EXAMPLES]
            places = " or ".join(condition.attack_within)
            by = f" by {' or '.join(condition.by)}" if condition.by else ""
            words = condition_words(condition)
            made = by and " and was made" + by
            if hits:
                explanation = (
                    f"triggered: {len(hits)} reported attack(s) {words}{by}: " + ", ".join(hits)
                )
            elif count and not condition.against:
                explanation = (
                    f"not triggered: none of the {count} reported attack(s) in its period "
                    f"and scope lies within {places} (de jure){made}"
                )
            elif count:
                explanation = (
                    f"not triggered: none of the {count} reported attack(s) in its period "
                    f"and scope is {words}{made}"
                )
            else:
                explanation = "not triggered: no reported attack in its period and scope"
            out.append(Trigger(cid, commitment, bool(hits), hits, count, examples, explanation))
        out.sort(key=lambda t: (t.commitment.starts.lo, t.id))
        return Listing(tuple(out), query)
