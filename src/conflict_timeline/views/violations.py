"""Reported violations: an assessment derived from records, never a record itself.

Three bases, each kept with its evidence:

* ``alleged``: an [`Accusation`][conflict_timeline.Accusation] names the commitment
  (``breach_of``), or names
  incidents that the commitment covers for one of the accused.
* ``candidate``: by rule, an [`Attack`][conflict_timeline.Attack] that possibly fell in the
  commitment's
  active time, by a bound party (or an actor affiliated with one), inside its scope
  (de jure), of a prohibited kind. An attack between sides (`Attack.between_sides`:
  a UCDP GED clash, an ACLED battle) was possibly made by either side, so it is a
  candidate when its perpetrator or its target actor is bound (or affiliated with a
  bound party), and both sides are its accused.
* ``observed``: a monitor's [`Observation`][conflict_timeline.Observation] of a non-zero
  number of violations names the commitment, or attributes them to a bound party
  inside its scope during its active time. An observation of zero violations is
  evidence of none: it is about no commitment.

An assessment's status weighs what is known of its evidence and incidents: the
denials ([`Denial`][conflict_timeline.Denial]) and confirmations (`Confirmation`) of its
accusation, observation or any of its incidents. With neither, it carries its
evidence's own status. Otherwise the latest known of them (by ``reported``
earliest instant) decides: a confirmation makes it ``corroborated`` (``verified``
evidence stays ``verified``), a denial ``disputed``; a denial and a confirmation
known at the same instant leave it ``disputed``.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import threading
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final, NamedTuple, TypeVar

import attrs
import immutables

from .._gc import gc_paused
from .._geography import Geography
from .._provenance import Source, Status, sources_text
from .._records import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    Confirmation,
    Denial,
    Observation,
)
from .._time import TimeExtent
from ..errors import QueryError
from ..stores import Recorded, Store
from ._attacklog import AttackLog
from ._ends import implied_ends, keep_closing
from ._focus import FocusedStore, commitment_window
from ._listing import Listing, listed
from ._protocol import Labels, Query, View
from ._rules import (
    bound,
    chain,
    covered_targets,
    in_scope,
    lapsed,
    lineage,
    makers,
    possibly_during,
    prohibited,
)

__all__ = ["Basis", "ReportedViolations", "Selection", "ViolationAssessment"]


class Basis(enum.Enum):
    """Why an assessment exists."""

    ALLEGED = "alleged"
    CANDIDATE = "candidate"
    OBSERVED = "observed"


@attrs.frozen
class ViolationAssessment:
    """One possible violation of one commitment, with its basis kept.

    Attributes:
        id: ``"<basis>:<evidence id>:<commitment id>"``.
        commitment: The commitment id.
        basis: alleged, candidate or observed.
        evidence: The record the assessment rests on (accusation, attack or
            observation id).
        incidents: Attack ids concerned.
        accuser: Who alleges it (the accuser or monitor), or None for a candidate.
        accused: Actor ids held responsible.
        status: See the module docstring: the evidence's own status, or
            ``disputed`` / ``corroborated`` by the latest known denial or
            confirmation.
        first_reported: When the evidence was first reported.
        sources: The evidence's sources.
        denials: Ids of denials known.
        confirmations: Ids of confirmations known.
        occurred: When each of ``incidents`` occurred (the attack's ``occurred``,
            one per incident, in order), None for an incident the timeline does not
            hold (as the query's cuts see it); empty for an observation.
    """

    id: str
    commitment: str
    basis: Basis
    evidence: str
    incidents: tuple[str, ...]
    accuser: str | None
    accused: tuple[str, ...]
    status: Status
    first_reported: TimeExtent
    sources: tuple[Source, ...]
    denials: tuple[str, ...]
    confirmations: tuple[str, ...] = ()
    occurred: tuple[TimeExtent | None, ...] = ()

    table_columns: ClassVar[tuple[str, ...]] = (
        "commitment",
        "basis",
        "evidence",
        "occurred",
        "accused",
        "evidence status",
        "reported",
        "sources",
    )
    named_columns: ClassVar[tuple[str, ...]] = ("accused",)

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The cells under ``table_columns``; with ``names``, the accused's names.
        ``occurred`` is each incident's extent as `TimeExtent` writes it (its
        precision and zone said), joined by ``; ``, ``?`` for an incident the timeline
        does not hold."""
        return (
            self.commitment,
            self.basis.value,
            self.evidence,
            "; ".join("?" if when is None else str(when) for when in self.occurred),
            listed(self.accused, names),
            self.status.value,
            str(self.first_reported),
            sources_text(self.sources),
        )


class _State(NamedTuple):
    """The fold's state: persistent maps, tuples and the shared log (see
    `AttackLog`). A named tuple rather than an attrs class: the fold makes one for
    nearly every record it takes in, and a tuple is made several times faster."""

    log: AttackLog[_Logged]
    geo: Geography = Geography()
    commitments: immutables.Map[str, Recorded] = immutables.Map()
    # commitment id -> its closing end (the earliest last instant, see ``_ends``): the
    # active time runs no later than that instant, whatever its other ends say.
    ended: immutables.Map[str, Recorded] = immutables.Map()
    by_party: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    # ``log``: the attacks replayed, in a log the fold's states share (see
    # `AttackLog`): a state sees its first ``replayed`` entries, each found by the
    # attack's id and grouped under every actor that possibly made it (see `_sides`:
    # the perpetrator, for an attack between sides the target actor too, and those
    # they are affiliated with, as replayed). A new commitment looks up its
    # parties' attacks since its start, instead of weighing every attack replayed.
    replayed: int = 0
    # attack id -> commitment ids it is a candidate violation of
    covers: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    accusations: immutables.Map[str, Recorded] = immutables.Map()
    observations: immutables.Map[str, Recorded] = immutables.Map()
    denied: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    # record id -> ids of the confirmations of it; confirmation or denial id -> the
    # earliest instant of its knowledge time
    confirmed: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    said: immutables.Map[str, int] = immutables.Map()
    # Set once an actor is defined after an attack was replayed: the log's groups hold
    # the affiliations known when each attack was replayed, so they may miss an attack
    # whose maker joined a party later; new commitments then weigh every attack.
    stale_index: bool = False
    # party -> the commitments binding it that an attack replayed from now on may still
    # fall under: one whose ``until`` or closing end an attack began after is dropped
    # (later attacks begin no earlier; a new end only closes it earlier).
    live: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    # Kept so that a question about one commitment or actor reads only its own
    # evidence: commitment id -> the attacks that are candidate violations of it;
    # accusation or observation id -> the commitments it is evidence about (as the
    # fold stands: re-derived whenever a record it depends on is replayed);
    # commitment id -> those accusations and observations; and ``watch``: an id (an
    # incident not replayed yet, an actor among the makers of the accused or of the
    # observed actor, a place not defined yet at the end of a lineage) -> the
    # accusations and observations whose assessment depends on it.
    candidates: immutables.Map[str, immutables.Map[str, None]] = immutables.Map()
    assessed: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    by_commitment: immutables.Map[str, immutables.Map[str, None]] = immutables.Map()
    watch: immutables.Map[str, immutables.Map[str, None]] = immutables.Map()
    # incident id -> the accusations naming it (replayed or not): a denial or
    # confirmation of the incident changes their status.
    citing: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    # The answer, kept with the fold: evidence id (an attack that is a candidate
    # violation, an accusation or observation that is evidence about a commitment) ->
    # its assessments as they stand (see `_Listed`). Every fold step that changes
    # what an assessment depends on lists its evidence afresh (`_relisted`), so an
    # unfiltered question reads this map and nothing else.
    listing: immutables.Map[str, _Listed] = immutables.Map()
    # How many assessments ``listing`` holds (so an unfiltered answer knows its length
    # before it is ordered).
    listed: int = 0


def _evolve(
    s: _State,
    *,
    geo: Geography | None = None,
    commitments: immutables.Map[str, Recorded] | None = None,
    ended: immutables.Map[str, Recorded] | None = None,
    by_party: immutables.Map[str, tuple[str, ...]] | None = None,
    log: AttackLog[_Logged] | None = None,
    replayed: int | None = None,
    covers: immutables.Map[str, tuple[str, ...]] | None = None,
    accusations: immutables.Map[str, Recorded] | None = None,
    observations: immutables.Map[str, Recorded] | None = None,
    denied: immutables.Map[str, tuple[str, ...]] | None = None,
    stale_index: bool | None = None,
    confirmed: immutables.Map[str, tuple[str, ...]] | None = None,
    said: immutables.Map[str, int] | None = None,
    candidates: immutables.Map[str, immutables.Map[str, None]] | None = None,
    live: immutables.Map[str, tuple[str, ...]] | None = None,
    assessed: immutables.Map[str, tuple[str, ...]] | None = None,
    by_commitment: immutables.Map[str, immutables.Map[str, None]] | None = None,
    watch: immutables.Map[str, immutables.Map[str, None]] | None = None,
    citing: immutables.Map[str, tuple[str, ...]] | None = None,
    listing: immutables.Map[str, _Listed] | None = None,
    listed: int | None = None,
) -> _State:
    """``_replace`` written out, made by ``tuple.__new__`` (the hottest path)."""
    return tuple.__new__(
        _State,
        (
            s.log if log is None else log,
            s.geo if geo is None else geo,
            s.commitments if commitments is None else commitments,
            s.ended if ended is None else ended,
            s.by_party if by_party is None else by_party,
            s.replayed if replayed is None else replayed,
            s.covers if covers is None else covers,
            s.accusations if accusations is None else accusations,
            s.observations if observations is None else observations,
            s.denied if denied is None else denied,
            s.confirmed if confirmed is None else confirmed,
            s.said if said is None else said,
            s.stale_index if stale_index is None else stale_index,
            s.live if live is None else live,
            s.candidates if candidates is None else candidates,
            s.assessed if assessed is None else assessed,
            s.by_commitment if by_commitment is None else by_commitment,
            s.watch if watch is None else watch,
            s.citing if citing is None else citing,
            s.listing if listing is None else listing,
            s.listed if listed is None else listed,
        ),
    )


class _Logged(NamedTuple):
    """An attack as the log keeps it: its last instant (what the log orders by) and
    its record."""

    occ_last: int
    recorded: Recorded


def _attack(state: _State, aid: str) -> Recorded | None:
    """Attack ``aid`` as replayed so far (None: not replayed)."""
    found = state.log.find(state.replayed, aid)
    return None if found is None else found.recorded


def _end(state: _State, cid: str) -> CommitmentEnded | None:
    recorded = state.ended.get(cid)
    if recorded is None:
        return None
    assert isinstance(recorded.record, CommitmentEnded)
    return recorded.record


def _commitment(state: _State, cid: str) -> Commitment | None:
    recorded = state.commitments.get(cid)
    if recorded is None:
        return None
    assert isinstance(recorded.record, Commitment)
    return recorded.record


def _party_commitments(state: _State, actors: Iterable[str | None], geo: Geography) -> set[str]:
    """Commitments binding any of ``actors`` or the actors they are affiliated with."""
    out: set[str] = set()
    for actor in actors:
        if actor is None:
            continue
        for who in makers(geo, actor):
            out.update(state.by_party.get(who, ()))
    return out


def _sides(attack: Attack) -> tuple[str | None, ...]:
    """The actors who possibly made ``attack``: its perpetrator; for an attack between
    sides (`Attack.between_sides`), its target actor too, since either side may have
    struck. Its accused, as a candidate."""
    other = attack.target_actor
    if other is not None and attack.codes is not None and attack.between_sides:
        return (attack.perpetrator, other) if attack.perpetrator != other else (other,)
    return (attack.perpetrator,)


def _covered(
    state: _State,
    commitment: Commitment,
    attack: Attack,
    actors: Iterable[str | None],
    geo: Geography,
) -> bool:
    # Cheapest test first: most commitments binding a party are over by the attack.
    return (
        possibly_during(attack.occurred, commitment, _end(state, commitment.id))
        and prohibited(commitment, attack)
        and bound(commitment, actors, geo)
        and in_scope(commitment.scope, attack.place, geo)
    )


class ReportedViolations(View[_State, Listing[ViolationAssessment]]):
    """Violation assessments with their basis, status and first report.

    Result: a [`Listing`][conflict_timeline.Listing] of
        [`ViolationAssessment`][conflict_timeline.ViolationAssessment], ordered by first
    report, then commitment, basis and evidence.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset(
        {
            "ActorDefined",
            "PlaceDefined",
            "Commitment",
            "CommitmentEnded",
            "Attack",
            "Accusation",
            "Denial",
            "Confirmation",
            "Observation",
        }
    )
    # Its state (every assessment with its evidence, and every attack) takes seconds
    # to load at a million records; its answer, read a page at a time, does not: a
    # saved state keeps the answer beside it (see `_saved`).
    saves_answer: ClassVar[bool] = True

    def __init__(self) -> None:
        self._made: _Made = {}
        self._ranks = _Ranks()

    def initial(self) -> _State:
        """Nothing known."""
        return _State(AttackLog())

    def apply(self, state: _State, recorded: Recorded) -> _State:
        """Index the record; weigh attacks against the commitments binding their makers,
        re-derive what the evidence depending on the record is about, and list afresh
        the assessments of every evidence whose inputs the record may change."""
        touched: set[str] = set()
        state = self._taken(state, recorded, touched)
        return _relisted(state, touched, self._made) if touched else state

    def _taken(self, state: _State, recorded: Recorded, touched: set[str]) -> _State:
        """``state`` with ``recorded`` folded in; adds to ``touched`` the evidence ids
        whose assessments may have changed (more is harmless, fewer is a bug)."""
        record = recorded.record
        if isinstance(record, Attack):  # first: most records are, and none changes the map
            # The accusations naming it list its occurred time: listed afresh.
            touched.update(state.citing.get(record.id, ()))
            return _reassess(_add_attack(state, recorded, record, touched), (record.id,), touched)
        geo_state = state.geo.with_record(record)
        if geo_state is not state.geo:
            stale = state.stale_index or (isinstance(record, ActorDefined) and state.replayed > 0)
            state = _evolve(state, geo=geo_state, stale_index=stale)
            return _reassess(state, (record.id,), touched)
        if isinstance(record, Commitment):
            return self._add_commitment(state, recorded, record, touched)
        if isinstance(record, CommitmentEnded):
            # Evidence replayed before this end keeps what it is about: an extent
            # replayed earlier begins no later than the end does, so it possibly falls
            # in the active time the end leaves exactly when it did before, and no
            # assessment changes (an end implied by a backdated successor can lie
            # before what was replayed: see `_add_commitment`).
            ended = keep_closing(state.ended, recorded)
            return state if ended is state.ended else _evolve(state, ended=ended)
        if isinstance(record, Accusation):
            citing = state.citing
            for aid in record.incidents:
                citing = citing.set(aid, (*citing.get(aid, ()), record.id))
            state = _evolve(
                state, accusations=state.accusations.set(record.id, recorded), citing=citing
            )
            return _assess(state, record.id, touched)
        if isinstance(record, Observation):
            state = _evolve(state, observations=state.observations.set(record.id, recorded))
            return _assess(state, record.id, touched)
        if isinstance(record, Denial):
            known = state.denied.get(record.denies, ())
            if record.id in known:
                return state
            touched.add(record.denies)
            touched.update(state.citing.get(record.denies, ()))
            return _evolve(
                state,
                denied=state.denied.set(record.denies, (*known, record.id)),
                said=state.said.set(record.id, recorded.reported.lo),
            )
        if isinstance(record, Confirmation):
            known = state.confirmed.get(record.confirms, ())
            if record.id in known:
                return state
            touched.add(record.confirms)
            touched.update(state.citing.get(record.confirms, ()))
            return _evolve(
                state,
                confirmed=state.confirmed.set(record.confirms, (*known, record.id)),
                said=state.said.set(record.id, recorded.reported.lo),
            )
        return state

    def _add_commitment(
        self, state: _State, recorded: Recorded, commitment: Commitment, touched: set[str]
    ) -> _State:
        by_party = _listed(state.by_party, commitment)
        old_ends = state.ended
        ended = old_ends
        for end in implied_ends(recorded):
            ended = keep_closing(ended, end)
        for earlier in commitment.supersedes:
            # B's start can precede attacks replayed before B: those that begin after
            # the end it implies for A are A's candidates no more.
            if ended.get(earlier) is not old_ends.get(earlier):
                touched.update(state.candidates.get(earlier, _NONE).keys())
        state = _evolve(
            state,
            commitments=state.commitments.set(commitment.id, recorded),
            by_party=by_party,
            ended=ended,
            live=_revived(state, commitment),
        )
        state = _reassess(state, commitment.parties, touched, only=commitment.id)
        for earlier in commitment.supersedes:  # each may have a new end
            state = _reassess(state, _parties(state, earlier), touched, only=earlier)
        if not commitment.prohibits:
            return state
        # Attacks replayed before the commitment was made can still fall in its
        # active time (a coarse date, or an effective date before the announcement).
        return _backfill(state, commitment, touched)

    filters: ClassVar[frozenset[str]] = frozenset(
        {"commitment", "accused", "accuser", "place", "basis", "between"}
    )

    def result(self, state: _State, query: Query) -> Listing[ViolationAssessment]:
        """All assessments from what the cuts let the fold see."""
        return self.select(state, query)

    def focus_key(self, filters: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The commitments filtered on, else the accused actors, else the places, else
        the accusers, else the period (``between``), else the bases when candidates
        are not among them (the kinds of their evidence: accusations, observations):
        a question with one of these filters, asked before the view has been folded,
        folds only the records its evidence can depend on (see `commitment_window`);
        None without any of them."""
        none: frozenset[str] = frozenset()
        commitments = _names("commitment", filters.get("commitment"))
        if commitments is not None:
            return commitments, none, none, none, None, none
        accused = _names("accused", filters.get("accused"))
        if accused is not None:
            return none, accused, none, none, None, none
        place = _names("place", filters.get("place"))
        if place is not None:
            return none, none, place, none, None, none
        accuser = _names("accuser", filters.get("accuser"))
        if accuser is not None:
            return none, none, none, accuser, None, none
        between = filters.get("between")
        if between is not None:
            start, end = between
            return none, none, none, none, (int(start), int(end)), none
        bases = Selection.of(basis=filters.get("basis")).basis
        if bases is None or Basis.CANDIDATE in bases:
            return None  # candidates: every attack of every party
        return none, none, none, none, None, frozenset(_EVIDENCE_KINDS[b] for b in bases)

    def focus(self, store: Store, key: Hashable) -> FocusedStore:
        """The window of ``store`` for the commitments, actors, places, accusers,
        period or kinds of evidence ``key`` names."""
        assert isinstance(key, tuple)
        commitments, actors, places, accusers, between, evidence = key
        return commitment_window(
            store,
            self.kinds or (),
            commitments=commitments,
            actors=actors,
            places=places,
            accusers=accusers,
            between=between,
            evidence=evidence,
        )

    def select(
        self,
        state: _State,
        query: Query,
        *,
        commitment: str | Iterable[str] | None = None,
        accused: str | Iterable[str] | None = None,
        accuser: str | Iterable[str] | None = None,
        place: str | Iterable[str] | None = None,
        basis: Basis | str | Iterable[Basis | str] | None = None,
        between: tuple[int, int] | None = None,
    ) -> Listing[ViolationAssessment]:
        """The assessments that pass every filter given (see `Selection`).

        The assessments are kept with the fold, by evidence. A commitment filter reads
        only that commitment's candidates and evidence, and an ``accused`` filter only
        the accusations and observations involving those actors (indexes kept by the
        fold); every other filter is checked on each assessment that remains.
        """
        pick = Selection.of(
            commitment=commitment,
            accused=accused,
            accuser=accuser,
            place=place,
            basis=basis,
            between=between,
        )
        listing = state.listing
        if pick == _EVERYTHING:
            if not state.listed:
                return Listing((), query)
            return Listing.paged(_InOrder(self, listing, state.listed), query)
        out: list[ViolationAssessment] = []
        geo, wanted = state.geo, pick.commitment
        attacks: Iterable[str] = ()
        if pick.wants(Basis.CANDIDATE) and pick.accuser is None:  # a candidate has no accuser
            attacks = state.covers.keys() if wanted is None else _union(state.candidates, wanted)
        evidence: Iterable[str]
        if wanted is not None:
            evidence = _union(state.by_commitment, wanted)
        elif pick.accused is not None:
            evidence = _union(state.watch, pick.accused)
        else:
            evidence = state.assessed.keys()
        alleged, observed = pick.wants(Basis.ALLEGED), pick.wants(Basis.OBSERVED)
        held: tuple[str | None, ...]
        places: tuple[str | None, ...]
        for ids in (attacks, evidence):
            for eid in ids:
                listed = listing.get(eid)
                if listed is None:
                    continue
                record = listed[0].record
                if isinstance(record, Accusation):
                    if not alleged:
                        continue
                    accuser_, held = record.accuser, record.accused
                    places = tuple(_attack_place(state, a) for a in record.incidents)
                elif isinstance(record, Observation):
                    if not observed:
                        continue
                    accuser_, held, places = (
                        record.monitor,
                        (record.attributed_to,),
                        (record.place,),
                    )
                else:
                    assert isinstance(record, Attack)
                    accuser_, held, places = None, _sides(record), (record.place,)
                if not pick.keeps(geo, held, accuser_, places, record):
                    continue
                out.extend(a for a in listed[4] if wanted is None or a.commitment in wanted)
        return Listing(self._ordered([out]), query)

    def _ordered(
        self, groups: list[Sequence[ViolationAssessment]]
    ) -> tuple[ViolationAssessment, ...]:
        """The assessments of ``groups`` in the documented order (`_key`; unique in
        one answer).

        Sorting a large answer costs more than gathering it: each comparison of two
        keys reads objects scattered over the memory. But an assessment, once made, is
        shared by every state of the fold in which its inputs hold, and by later
        answers. So the view ranks every assessment it has listed, once, in key order
        (`_Ranks`), and places each assessment of a large answer at its rank: a
        counting sort, comparing nothing. The few an answer holds that were made since
        (a fold's tail onto a checkpoint makes some) are sorted and each put in by a
        binary search of the ranked keys; many new ones are ranked first.
        """
        ranks = self._ranks
        # Each group (an evidence's assessments) holds one or a few: a small answer,
        # or one far smaller than the ranks, is sorted.
        if len(groups) < _RANKED_FROM or len(groups) * _RANKED_DENSITY < len(ranks.order):
            return tuple(sorted(itertools.chain.from_iterable(groups), key=_key))
        slots, missing, count = _placed(ranks, groups)
        if len(missing) * _RANK_NEW > len(ranks.order):
            # Many new assessments (a first answer, another era): rank them all.
            if len(ranks.order) + len(missing) > _RANKS_MAX:
                ranks, missing = _Ranks(), list(itertools.chain.from_iterable(groups))
            first = not ranks.order
            ranks = self._ranks = ranks.with_assessments(missing)
            if first and len(ranks.order) == count:
                # Ranked from nothing, with every assessment of the answer, each once:
                # the ranks are the answer, in order.
                return tuple(ranks.order)
            slots, missing, count = _placed(ranks, groups)
        # A few unranked ones (made since the ranks) go in after every ranked key not
        # above their own. An assessment is never falsy (no __len__ or __bool__):
        # compress keeps the filled slots, in rank order.
        fresh = sorted(missing, key=_key)
        merged = _spliced(slots, _points(ranks.order, list(map(_key, fresh))), fresh)
        out: list[ViolationAssessment] = list(itertools.compress(merged, merged))  # type: ignore[arg-type]
        if len(out) != count:  # one assessment twice: never by the fold's rules
            return tuple(sorted(itertools.chain.from_iterable(groups), key=_key))
        return tuple(out)


class _InOrder:
    """The pages of an unfiltered answer (`Pages`): one page, every assessment
    ``listing`` holds, put in the documented order (`ReportedViolations._ordered`)
    when first read, then kept. The answer knows its length without it: a question
    that counts, or never reads the entries, does not pay for ordering them."""

    __slots__ = ("_listing", "_lock", "_ordered", "_view", "count", "size")

    def __init__(
        self, view: ReportedViolations, listing: immutables.Map[str, _Listed], count: int
    ) -> None:
        self._view: ReportedViolations | None = view
        self._listing: immutables.Map[str, _Listed] | None = listing
        self._ordered: tuple[ViolationAssessment, ...] | None = None
        self._lock = threading.Lock()
        self.count = count
        self.size = max(count, 1)

    def page(self, number: int) -> tuple[ViolationAssessment, ...]:
        """Every assessment, in order (``number`` is 0: there is one page)."""
        found = self._ordered
        if found is not None:
            return found
        with self._lock:  # threads reading it first at once order it once
            found = self._ordered
            if found is not None:
                return found
            view, listing = self._view, self._listing
            assert view is not None
            assert listing is not None
            # Outside the fold now, whose pause of the collector covered it: the
            # ordered answer and the ranks outlive this, as the checkpoints do.
            with gc_paused(self.count, promote=True):
                found = view._ordered([each[4] for each in listing.values()])
            if len(found) != self.count:  # never by the fold's rules
                msg = f"the fold counted {self.count} assessments and listed {len(found)}"
                raise AssertionError(msg)
            self._ordered = found
            self._view = self._listing = None
            return found


def _placed(
    ranks: _Ranks, groups: list[Sequence[ViolationAssessment]]
) -> tuple[list[ViolationAssessment | None], list[ViolationAssessment], int]:
    """A slot per rank, holding the assessment of ``groups`` of that rank (None where
    none is); the assessments that have no rank; how many there are in all."""
    get = ranks.index.get
    missing: list[ViolationAssessment] = []
    slots: list[ViolationAssessment | None] = [None] * len(ranks.order)
    count = 0
    for group in groups:
        count += len(group)
        for assessment in group:
            rank = get(id(assessment))
            if rank is None:
                missing.append(assessment)
            else:
                slots[rank] = assessment
    return slots, missing, count


@attrs.frozen
class _Ranks:
    """Assessments a view has listed, in key order (``order``), and each one's place
    in it, by its ``id()`` (``index``): ``order`` holds every assessment indexed, so
    no id is reused while it is. Replaced, never changed in place, so an answer being
    ordered keeps the ranks it started with. The keys are not kept: a new assessment
    finds its place by a binary search that makes the keys of the few ranks it
    compares with (at a million records the keys would take some 35 MB)."""

    order: list[ViolationAssessment] = attrs.field(factory=list)
    index: dict[int, int] = attrs.field(factory=dict)

    def with_assessments(self, assessments: Iterable[ViolationAssessment]) -> _Ranks:
        """These ranks with ``assessments`` among them: the new ones sorted, then
        merged in one pass (each placed after the ranked keys equal to or below its
        own), so adding a few costs a walk of the ranks, not a sort."""
        index = self.index
        new = {id(a): a for a in assessments if id(a) not in index}.values()
        fresh = sorted(new, key=_key)  # each key made once, and dropped once sorted
        if self.order:
            order = _spliced(self.order, _points(self.order, list(map(_key, fresh))), fresh)
        else:  # the first ranks: the new ones are all of them
            order = fresh
        return _Ranks(order, {id(assessment): rank for rank, assessment in enumerate(order)})


_T = TypeVar("_T")
_U = TypeVar("_U")


def _points(
    ranked: list[ViolationAssessment], fresh: list[tuple[int, str, int, str]]
) -> list[int]:
    """Where each of the ``fresh`` keys (sorted) goes among the ``ranked`` assessments
    (in key order): after every one whose key is equal to or below it."""
    points: list[int] = []
    done = 0
    for key in fresh:
        done = bisect.bisect_right(ranked, key, lo=done, key=_key)
        points.append(done)
    return points


def _spliced(ranked: list[_T], points: list[int], fresh: list[_U]) -> list[_T | _U]:
    """``ranked`` with each of ``fresh`` put in at its point (see `_points`), in one
    pass; ``ranked`` itself when there is nothing to put in."""
    if not fresh:
        return ranked  # type: ignore[return-value]
    out: list[_T | _U] = []
    done = 0
    for at, item in zip(points, fresh, strict=True):
        out += ranked[done:at]
        out.append(item)
        done = at
    out += ranked[done:]
    return out


_BASIS_ORDER: Final = {Basis.ALLEGED: 0, Basis.OBSERVED: 1, Basis.CANDIDATE: 2}
# The kind of the evidence of an alleged or observed assessment (a basis window; a
# candidate's, an attack of any party, leaves no window).
_EVIDENCE_KINDS: Final = {Basis.ALLEGED: "Accusation", Basis.OBSERVED: "Observation"}


def _key(assessment: ViolationAssessment) -> tuple[int, str, int, str]:
    """An assessment's place in the answer: first report, commitment, basis (alleged,
    observed, candidate), evidence."""
    return (
        assessment.first_reported.lo,
        assessment.commitment,
        _BASIS_ORDER[assessment.basis],
        assessment.evidence,
    )


_RANKED_FROM: Final = 1024  # evidence: below, a sort is as fast
_RANKED_DENSITY: Final = 8  # a counting sort walks every rank: worth it for dense answers
_RANK_NEW: Final = 8  # new assessments beyond an eighth of the ranks are ranked first
_RANKS_MAX: Final = 2_000_000  # assessments ranked before the ranks start afresh


def _union(
    index: immutables.Map[str, immutables.Map[str, None]], keys: Iterable[str]
) -> Iterable[str]:
    """The ids kept under any of ``keys`` (each once)."""
    found: dict[str, None] = {}
    for key in keys:
        found.update(index.get(key, _NONE))
    return found.keys()


_Listed = tuple[
    Recorded, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[ViolationAssessment, ...]
]
"""The assessments of one evidence as the fold stands: its envelope, the commitments
it is assessed against, the denials and the confirmations weighed, and the
assessments made from them (one per commitment)."""

_Made = dict[
    tuple[int, int | None, tuple[str, ...], tuple[str, ...], str, tuple[TimeExtent | None, ...]],
    tuple[Recorded, tuple[str, ...], tuple[ViolationAssessment, ...]],
]
"""The assessments made of an attack, accusation or observation, by what goes into them:
the stored record replayed (its position, and the correction whose replacement is
replayed in its place), the denials and confirmations weighed and the status they
give, and an accusation's incidents' times (`_occurred`); then (envelope, the
commitments it is assessed against, their assessments). So the states at other dates,
other folds of the same records (a tail replayed onto a checkpoint decodes its records
afresh; a correction refolded; a knowledge-time cut) and the answers' ranks (`_Ranks`)
share one assessment instead of building it again. A hit needs the same commitments
and the same envelope (`_same`: the very one, or one of the same stored record). One
per view instance (so per timeline, unless a view instance is shared), cleared when it
holds `_MADE_MAX` entries."""


def _same(kept: Recorded, recorded: Recorded) -> bool:
    """Are two envelopes of one cache key (so of one position and correction) the same
    stored record replayed alike (the same hash in the chain and store time, and for
    a corrected record the same replacement: the hash is the original's)? Only then
    do they make the same assessments."""
    return kept is recorded or (
        kept.hash == recorded.hash
        and kept.recorded_at == recorded.recorded_at
        and (kept.corrected_by is None or kept.record == recorded.record)
    )


_MADE_MAX: Final = 1_000_000


def _relisted(state: _State, touched: Iterable[str], made: _Made) -> _State:
    """``state`` with the assessments of each evidence id in ``touched`` as the fold
    now gives them (see `_State.listing`)."""
    listing, count = state.listing, state.listed
    for eid in touched:
        old = listing.get(eid)
        now = _listed_of(state, eid, old, made)
        if now is old:
            continue
        if old is not None:
            count -= len(old[4])
        if now is None:
            listing = listing.delete(eid)
        else:
            listing = listing.set(eid, now)
            count += len(now[4])
    if listing is state.listing:
        return state
    return _evolve(state, listing=listing, listed=count)


def _listed_of(state: _State, eid: str, old: _Listed | None, made: _Made) -> _Listed | None:
    """The assessments of evidence ``eid`` in ``state`` (``old`` itself when its inputs
    are unchanged), or None when it is evidence of nothing."""
    cids = state.covers.get(eid)
    denied, confirmed = state.denied, state.confirmed
    occurred: tuple[TimeExtent | None, ...] = ()
    if cids is not None:  # an attack, a candidate violation
        recorded = _attack(state, eid)
        assert recorded is not None  # ``covers`` names only attacks replayed
        lo, ended = recorded.record.occurred.lo, state.ended
        # An end implied by a supersession replayed after the pair was weighed can
        # lie before the attack (B's effective precedes B).
        cids = tuple(
            c for c in cids if (end := ended.get(c)) is None or lo <= end.record.occurred.last
        )
        denials, confirmations = denied.get(eid, ()), confirmed.get(eid, ())
    else:
        cids = state.assessed.get(eid)
        if cids is None:
            return None
        said = state.accusations.get(eid)
        if said is not None:
            accusation = said.record
            assert isinstance(accusation, Accusation)
            recorded, targets = said, (eid, *accusation.incidents)
            occurred = _occurred(state, accusation.incidents)
            denials = tuple(d for target in targets for d in denied.get(target, ()))
            confirmations = tuple(c for target in targets for c in confirmed.get(target, ()))
        else:
            recorded = state.observations[eid]
            denials, confirmations = denied.get(eid, ()), confirmed.get(eid, ())
    if not cids:
        return None
    if (
        old is not None
        and old[0] is recorded
        and old[1] == cids
        and old[2] == denials
        and old[3] == confirmations
        and (not occurred or old[4][0].occurred == occurred)
    ):
        return old
    made_now = _assessments(state, made, recorded, cids, (denials, confirmations), occurred)
    return (recorded, cids, denials, confirmations, made_now)


def _assessments(  # noqa: PLR0917 - one call site
    state: _State,
    made: _Made,
    recorded: Recorded,
    cids: tuple[str, ...],
    answers: tuple[tuple[str, ...], tuple[str, ...]],
    occurred: tuple[TimeExtent | None, ...],
) -> tuple[ViolationAssessment, ...]:
    """The assessments of the attack (a candidate), accusation or observation in
    ``recorded`` against ``cids``, one each, with the status its denials and
    confirmations (``answers``) give and, for an accusation, its incidents' times
    (``occurred``, `_occurred`; a candidate's is its own); made once for the same
    inputs (see `_Made`)."""
    record = recorded.record
    status = record.status
    denials, confirmations = answers
    if denials or confirmations:
        status = _weighed(state, status, denials, confirmations)
    key = (
        recorded.position,
        recorded.corrected_by,
        denials,
        confirmations,
        status.value,
        occurred,
    )
    hit = made.get(key)
    if hit is not None and hit[1] == cids and _same(hit[0], recorded):
        return hit[2]
    eid, reported, sources = record.id, recorded.reported, record.sources
    incidents: tuple[str, ...]
    accuser: str | None
    accused: tuple[str, ...]
    if isinstance(record, Attack):
        basis, incidents, accuser = Basis.CANDIDATE, (eid,), None
        accused = tuple(actor for actor in _sides(record) if actor)
        occurred = (record.occurred,)
    elif isinstance(record, Accusation):
        basis, incidents = Basis.ALLEGED, record.incidents
        accuser, accused = record.accuser, record.accused
    else:
        assert isinstance(record, Observation)
        basis, incidents, accuser = Basis.OBSERVED, (), record.monitor
        accused = (record.attributed_to,) if record.attributed_to else ()
    made_now = tuple(
        ViolationAssessment(
            f"{basis.value}:{eid}:{cid}",
            cid,
            basis,
            eid,
            incidents,
            accuser,
            accused,
            status,
            reported,
            sources,
            denials,
            confirmations,
            occurred,
        )
        for cid in cids
    )
    if len(made) >= _MADE_MAX:
        made.clear()
    made[key] = (recorded, cids, made_now)
    return made_now


def _weighed(
    state: _State, own: Status, denials: tuple[str, ...], confirmations: tuple[str, ...]
) -> Status:
    """The status the latest known denial or confirmation gives (see the module)."""
    if not confirmations:
        return Status.DISPUTED if denials else own
    confirmed = max(state.said[c] for c in confirmations)
    if denials and max(state.said[d] for d in denials) >= confirmed:
        return Status.DISPUTED
    return own if own is Status.VERIFIED else Status.CORROBORATED


def _attack_place(state: _State, aid: str) -> str | None:
    recorded = _attack(state, aid)
    if recorded is None:
        return None
    attack = recorded.record
    assert isinstance(attack, Attack)
    return attack.place


@attrs.frozen
class Selection:
    """The filters of a [`ReportedViolations`][conflict_timeline.ReportedViolations] question, each
    optional.

    An assessment is kept when it passes every filter given:

    * ``commitment``: it concerns one of these commitment ids;
    * ``accused``: one of its accused is one of these actors, or affiliated with one
      (as the gazetteer of the cut knows it); a candidate's accused is its attack's
      perpetrator, and for an attack between sides its target actor too;
    * ``accuser``: its accuser (the accusation's accuser, the observation's monitor)
      is one of these; candidates have none, so they never pass;
    * ``place``: its place lies de jure in one of these places (or is one): the
      attack's place for a candidate, the place of any of an accusation's incidents
      (as known under the cuts) for an allegation, the observation's place for an
      observation. An unknown place never passes;
    * ``basis``: its basis is one of these;
    * ``between``: its evidence (the attack, accusation or observation) possibly
      occurred between ``start`` and ``end`` (inclusive epoch microseconds).
    """

    commitment: frozenset[str] | None = None
    accused: frozenset[str] | None = None
    accuser: frozenset[str] | None = None
    place: frozenset[str] | None = None
    basis: frozenset[Basis] | None = None
    between: tuple[int, int] | None = None

    @classmethod
    def of(
        cls,
        *,
        commitment: str | Iterable[str] | None = None,
        accused: str | Iterable[str] | None = None,
        accuser: str | Iterable[str] | None = None,
        place: str | Iterable[str] | None = None,
        basis: Basis | str | Iterable[Basis | str] | None = None,
        between: tuple[int, int] | None = None,
    ) -> Selection:
        """The selection for these filter arguments (a string or several of them)."""
        bases: frozenset[Basis] | None = None
        if basis is not None:
            if isinstance(basis, str | Basis):
                items: list[object] = [basis]
            elif isinstance(basis, Iterable) and not isinstance(basis, bytes | Mapping):
                items = list(basis)
            else:
                msg = f"basis: expected a basis or a list of them, got {basis!r}"
                raise QueryError(msg)
            try:
                bases = frozenset(Basis(b) for b in items)
            except ValueError as exc:
                known = ", ".join(b.value for b in Basis)
                values = {x.value for x in Basis}
                wrong = next(
                    b
                    for b in items
                    if not isinstance(b, Basis) and not (isinstance(b, str) and b in values)
                )
                msg = f"basis: {wrong!r} is not one of {known}"
                raise QueryError(msg) from exc
        return cls(
            _names("commitment", commitment),
            _names("accused", accused),
            _names("accuser", accuser),
            _names("place", place),
            bases,
            between,
        )

    def wants(self, basis: Basis) -> bool:
        """Can an assessment of this basis pass?"""
        return self.basis is None or basis in self.basis

    def keeps(
        self,
        geo: Geography,
        accused: Iterable[str | None],
        accuser: str | None,
        places: Iterable[str | None],
        evidence: Accusation | Attack | Observation,
    ) -> bool:
        """Does evidence with these accused, accuser and places pass the filters?"""
        if self.accuser is not None and accuser not in self.accuser:
            return False
        if self.accused is not None and not any(
            actor is not None and not makers(geo, actor).isdisjoint(self.accused)
            for actor in accused
        ):
            return False
        if self.place is not None and not any(
            where is not None and not lineage(geo, where).isdisjoint(self.place)
            for where in places
        ):
            return False
        if self.between is not None:
            start, end = self.between
            occurred = evidence.occurred
            if occurred.last < start or occurred.lo > end:
                return False
        return True


_EVERYTHING: Final = Selection()


def _names(name: str, value: str | Iterable[str] | None) -> frozenset[str] | None:
    """The ids a filter names: one string or an iterable of strings.

    Raises:
        QueryError: naming the filter, when ``value`` is neither.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        found = list(value)
        if all(isinstance(item, str) for item in found):
            return frozenset(found)
    msg = f"{name}: expected an id or a list of ids (strings), got {value!r}"
    raise QueryError(msg)


def _add_attack(state: _State, recorded: Recorded, attack: Attack, touched: set[str]) -> _State:
    """``state`` with the attack logged under its makers and weighed against the
    commitments binding one of them: its perpetrator (for an attack between sides,
    either side: see `_sides`) and the actors it is affiliated with."""
    geo = state.geo
    sides = _sides(attack)
    if len(sides) == 1:  # the perpetrator alone (the common case)
        actors = () if sides[0] is None else tuple(makers(geo, sides[0]))
    else:  # an attack between sides: either side, and their affiliates
        actors = tuple(frozenset().union(*(makers(geo, side) for side in sides if side)))
    log = state.log.appended(
        state.replayed,
        tuple.__new__(_Logged, (attack.occurred.last, recorded)),
        actors,
        attack.id,
    )
    replayed = state.replayed + 1
    live = state.live
    # Each live commitment binding one of its makers, weighed once (an actor and its
    # affiliate may share one), its record and end read once: lapsed or ended before
    # the attack (dropped from ``live``), else whether it covers it (`_weigh`).
    # Every commitment met here binds one of its makers: ``bound`` holds already.
    weighed: dict[str, bool] = {}
    commitments, ends = state.commitments, state.ended
    for actor in actors:  # none when it has no maker: nothing can cover it
        members = live.get(actor)
        if not members:
            continue
        keep = []
        for cid in members:
            found = weighed.get(cid)
            if found is None:
                # ``live`` names only commitments replayed, ``ended`` holds their ends.
                end = ends.get(cid)
                found = _weigh(
                    commitments[cid].record,  # type: ignore[arg-type]
                    None if end is None else end.record,  # type: ignore[arg-type]
                    attack,
                    geo,
                )
                if found is None:
                    continue
                weighed[cid] = found
            keep.append(cid)
        if len(keep) < len(members):
            live = live.set(actor, tuple(keep))
    hits = tuple(sorted(cid for cid, found in weighed.items() if found)) if weighed else ()
    if not hits:
        return _evolve(state, log=log, replayed=replayed, live=live)
    candidates = state.candidates
    for cid in hits:
        candidates = candidates.set(cid, candidates.get(cid, _NONE).set(attack.id, None))
    touched.add(attack.id)
    return _evolve(
        state,
        log=log,
        replayed=replayed,
        covers=state.covers.set(attack.id, hits),
        candidates=candidates,
        live=live,
    )


def _covered_by(state: _State, commitment: Commitment, attack: Attack, geo: Geography) -> bool:
    """``_covered`` for an attack whose maker the commitment is known to bind."""
    return _weigh(commitment, _end(state, commitment.id), attack, geo) is True


def _weigh(
    commitment: Commitment, end: CommitmentEnded | None, attack: Attack, geo: Geography
) -> bool | None:
    """None when the commitment has lapsed or ended (``end``: its closing end so far)
    before the attack begins (`lapsed`), else whether it covers the attack: the
    attack possibly falls in its active time (`possibly_during`), on a target class it
    prohibits (`prohibited`), in its scope (`in_scope`).

    The period and target tests are written out (the same as those functions, which
    the rest of the view calls) because a fold weighs every live commitment binding
    an attack's makers: 2.5 million pairs at 1M records, each otherwise some eight
    calls; most fail one of them, and the few left take the scope test's call.
    """
    occurred = attack.occurred
    lo = occurred.lo
    until = commitment.until
    if (until is not None and lo > until.last) or (end is not None and lo > end.occurred.last):
        return None
    if occurred.last < commitment.starts.lo:
        return False
    if attack.target_class._value_ not in covered_targets(commitment):
        return False
    return in_scope(commitment.scope, attack.place, geo)


def _backfill(state: _State, commitment: Commitment, touched: set[str]) -> _State:
    """``state`` with every attack replayed so far weighed against ``commitment``
    (those it newly covers added to ``touched``)."""
    geo = state.geo
    covers = state.covers
    found: dict[str, None] = {}
    for aid, attack_rec in _attacks_since(state, commitment):
        attack = attack_rec.record
        assert isinstance(attack, Attack)
        if attack.occurred.last < commitment.starts.lo:
            continue
        if _covered(state, commitment, attack, _sides(attack), geo):
            hits = covers.get(aid, ())
            if commitment.id not in hits:
                covers = covers.set(aid, tuple(sorted((*hits, commitment.id))))
                found[aid] = None
    if not found:
        return state
    touched.update(found)
    kept = state.candidates.get(commitment.id, _NONE).update(found)
    return _evolve(state, covers=covers, candidates=state.candidates.set(commitment.id, kept))


def _revived(state: _State, commitment: Commitment) -> immutables.Map[str, tuple[str, ...]]:
    """``state.live`` with ``commitment`` live again for its parties (if it prohibits
    anything: one that does not is never weighed)."""
    return _listed(state.live, commitment) if commitment.prohibits else state.live


def _listed(
    index: immutables.Map[str, tuple[str, ...]], commitment: Commitment
) -> immutables.Map[str, tuple[str, ...]]:
    """``index`` (party -> commitment ids) with ``commitment`` under each of its parties."""
    for party in commitment.parties:
        members = index.get(party, ())
        if commitment.id not in members:
            index = index.set(party, (*members, commitment.id))
    return index


def _attacks_since(state: _State, commitment: Commitment) -> Iterable[tuple[str, Recorded]]:
    """Attacks replayed so far that a party to ``commitment`` could have made (every
    one, when the groups may be stale), and that end at or after its start (a
    superset; the caller weighs each)."""
    groups = None if state.stale_index else commitment.parties
    found: dict[str, Recorded] = {}
    for logged in state.log.reaching(state.replayed, commitment.starts.lo, groups):
        found[logged.recorded.record.id] = logged.recorded  # an attack of two parties once
    return found.items()


def _commitment_of(state: _State, cid: str) -> Commitment:
    commitment = _commitment(state, cid)
    assert commitment is not None  # by_party only lists commitments already applied
    return commitment


_NONE: Final[immutables.Map[str, None]] = immutables.Map()


def _parties(state: _State, cid: str) -> tuple[str, ...]:
    """The parties of commitment ``cid`` as replayed, or none when it is not (yet)."""
    commitment = _commitment(state, cid)
    return () if commitment is None else commitment.parties


def _reassess(
    state: _State, keys: Iterable[str], touched: set[str], *, only: str | None = None
) -> _State:
    """``state`` with every accusation and observation watching one of ``keys``
    re-derived (see `_assess`; those whose commitments change are added to
    ``touched``); with ``only``, when only that
    commitment (just replayed, or given a new end) can have changed, whether each is
    evidence about it."""
    watch = state.watch
    due: set[str] = set()
    for key in keys:
        found = watch.get(key)
        if found is not None:
            due.update(found.keys())
    if not due:
        return state
    for eid in sorted(due):
        state = (
            _assess(state, eid, touched)
            if only is None
            else _assess_one(state, eid, only, touched)
        )
    return state


def _assess_one(state: _State, eid: str, cid: str, touched: set[str]) -> _State:
    """``state`` with whether ``eid`` is evidence about commitment ``cid`` weighed
    afresh (the other commitments it is about unchanged; ``eid`` added to ``touched``
    when that changes)."""
    geo = state.geo
    commitment = _commitment(state, cid)
    recorded = state.accusations.get(eid)
    if recorded is not None:
        accusation = recorded.record
        assert isinstance(accusation, Accusation)
        if accusation.breach_of is not None:
            return state
        incidents = _incidents(state, accusation)
        # Cheapest first: most accusations a new commitment meets are about incidents
        # over before it starts (see `_alleged`).
        about = (
            commitment is not None
            and any(attack.occurred.last >= commitment.starts.lo for attack in incidents)
            and bound(commitment, accusation.accused, geo)
            and _alleges(state, commitment, incidents, geo)
        )
    else:
        observation = state.observations[eid].record
        assert isinstance(observation, Observation)
        if observation.commitment is not None:
            return state
        about = commitment is not None and _observes(state, commitment, observation, geo)
    old = state.assessed.get(eid, ())
    if (cid in old) == about:
        return state
    cids = tuple(sorted((*old, cid))) if about else tuple(c for c in old if c != cid)
    touched.add(eid)
    return _evolve(state, **_indexed(state, eid, old, cids))


def _assess(state: _State, eid: str, touched: set[str]) -> _State:
    """``state`` with the commitments accusation or observation ``eid`` is evidence
    about derived afresh (``eid`` added to ``touched`` when they change), and the
    evidence watching every id they depend on.

    What an accusation alleges depends on its incidents (as replayed), the
    commitments binding its accused or an actor they are affiliated with, those
    commitments' ends, and the places around its incidents; what an observation is
    about, on the same for its actor and place. A fold calls this when the evidence is
    replayed and again whenever a record with one of the ids it watches is, so the
    derived commitments are always those the rules give for the fold as it stands.
    """
    geo = state.geo
    recorded = state.accusations.get(eid)
    keys: list[str] = []
    if recorded is not None:
        accusation = recorded.record
        assert isinstance(accusation, Accusation)
        cids = _alleged(state, accusation, _incidents(state, accusation), geo, keys)
    else:
        recorded = state.observations[eid]
        observation = recorded.record
        assert isinstance(observation, Observation)
        cids = _observed(state, observation, geo, keys)
    old = state.assessed.get(eid, ())
    changed: dict[str, Any] = {}
    if cids != old:
        touched.add(eid)
        changed = _indexed(state, eid, old, cids)
    watch = state.watch
    for key in keys:
        watching = watch.get(key, _NONE)
        if eid not in watching:
            watch = watch.set(key, watching.set(eid, None))
    return _evolve(state, watch=watch, **changed)


def _indexed(
    state: _State, eid: str, old: tuple[str, ...], cids: tuple[str, ...]
) -> dict[str, Any]:
    """The ``assessed`` and ``by_commitment`` maps with ``eid`` about ``cids`` (it was
    about ``old``)."""
    by_commitment = state.by_commitment
    for cid in old:
        if cid not in cids:
            by_commitment = by_commitment.set(cid, by_commitment[cid].delete(eid))
    for cid in cids:
        if cid not in old:
            by_commitment = by_commitment.set(cid, by_commitment.get(cid, _NONE).set(eid, None))
    assessed = state.assessed.set(eid, cids) if cids else state.assessed.delete(eid)
    return {"assessed": assessed, "by_commitment": by_commitment}


def _alleged(
    state: _State,
    accusation: Accusation,
    incidents: list[Attack],
    geo: Geography,
    keys: list[str],
) -> tuple[str, ...]:
    """The commitments the accusation alleges a breach of (sorted), of its
    ``incidents`` replayed so far; adds to ``keys`` the ids the answer depends on
    (and those the filters look it up by)."""
    for actor in accusation.accused:
        keys.extend(makers(geo, actor))
    if len(incidents) < len(accusation.incidents):
        keys.extend(aid for aid in accusation.incidents if _attack(state, aid) is None)
    for attack in incidents:
        keys.extend(_undefined_end(geo, attack.place))
    if accusation.breach_of is not None:
        return (accusation.breach_of,)
    if not incidents:
        return ()
    # Each of these binds one of the accused (or an actor they are affiliated with),
    # so ``bound`` holds for all of them: weigh the rest of the rule, the cheapest
    # tests first for every incident at once (as `_weigh` makes them for one): a
    # commitment that starts after the last instant any incident may reach, or that
    # lapsed or ended before the first begins, covers none of them.
    reach = max(attack.occurred.last for attack in incidents)
    first = min(attack.occurred.lo for attack in incidents)
    found = []
    for cid in _party_commitments(state, accusation.accused, geo):
        commitment = _commitment_of(state, cid)
        if commitment.starts.lo > reach or lapsed(commitment, _end(state, cid), first):
            continue
        if _alleges(state, commitment, incidents, geo):
            found.append(cid)
    return tuple(sorted(found))


def _undefined_end(geo: Geography, place: str | None) -> tuple[str, ...]:
    """The id whose definition would add to ``place``'s lineage (the place itself, or
    the last place named as a parent and not defined yet), if any.

    Within one fold each id is defined at most once (a correction replaces a record
    in its place), so a lineage can only grow at that end: evidence watches that id,
    not every place around it.
    """
    if place is None:
        return ()
    last = chain(geo, place)[-1]  # the walk's last place (memoized per gazetteer)
    return () if last in geo.places else (last,)


def _occurred(state: _State, incidents: tuple[str, ...]) -> tuple[TimeExtent | None, ...]:
    """When each of ``incidents`` occurred, as replayed so far (None: not replayed)."""
    out: list[TimeExtent | None] = []
    for aid in incidents:
        found = _attack(state, aid)
        out.append(None if found is None else found.record.occurred)
    return tuple(out)


def _incidents(state: _State, accusation: Accusation) -> list[Attack]:
    """The accusation's incidents replayed so far."""
    out = []
    for aid in accusation.incidents:
        attack_rec = _attack(state, aid)
        if attack_rec is not None:
            attack = attack_rec.record
            assert isinstance(attack, Attack)
            out.append(attack)
    return out


def _alleges(
    state: _State, commitment: Commitment, incidents: list[Attack], geo: Geography
) -> bool:
    """Does one of the incidents fall under ``commitment`` (which binds an accused)?"""
    return any(_covered_by(state, commitment, attack, geo) for attack in incidents)


def _observes(
    state: _State, commitment: Commitment, observation: Observation, geo: Geography
) -> bool:
    """Are the violations the observation attributes about ``commitment``?"""
    return (
        observation.attributed_to is not None
        and observation.violations > 0
        and bound(commitment, (observation.attributed_to,), geo)
        and possibly_during(observation.occurred, commitment, _end(state, commitment.id))
        and in_scope(commitment.scope, observation.place, geo)
    )


def _observed(
    state: _State, observation: Observation, geo: Geography, keys: list[str]
) -> tuple[str, ...]:
    """The commitments the observation is evidence about (sorted); adds to ``keys``
    the ids the answer depends on (and those the filters look it up by).

    A count of zero ("no violations this week") is evidence of no violation: about no
    commitment, whether it names one or attributes the count to an actor."""
    if observation.violations == 0:
        return ()
    if observation.attributed_to is not None:
        keys.extend(makers(geo, observation.attributed_to))
    keys.extend(_undefined_end(geo, observation.place))
    if observation.commitment is not None:
        return (observation.commitment,)
    if observation.attributed_to is None:
        return ()
    binding = _party_commitments(state, (observation.attributed_to,), geo)
    return tuple(
        sorted(
            cid
            for cid in binding
            if _observes(state, _commitment_of(state, cid), observation, geo)
        )
    )
