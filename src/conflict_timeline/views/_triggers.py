"""The fold behind [`TriggeredCommitments`][conflict_timeline.TriggeredCommitments], linear in the
number of records.

Every attack is weighed only against the conditional commitments it concerns:

* a commitment *considers* the attacks that possibly fall in its active time and lie
  in its scope (de jure, as replayed). Attacks outside its scope are not weighed at
  all (they are, most of the time, attacks of other conflicts);
* it is *triggered* by the considered attacks that lie de jure within one of its
  condition's places and were made by one of the condition's actors (any, when it
  names none).

An attack between sides (`Attack.between_sides`: a UCDP GED clash, an ACLED battle)
names two sides, side A in ``perpetrator`` and side B in ``target_actor`` by
convention only: it is read as an attack by A on B or by B on A, and meets a
condition when it meets it either way round (``by`` and ``against`` read the same
way round). It is found through the index by target under either side.

Each attack is judged by the geography (the de jure ancestors of its place, the
actors its perpetrator is affiliated with) replayed up to the later of the attack and
the commitment, as the candidate rule of ``ReportedViolations`` is.

How it stays linear. Replay order is by ``occurred.lo``, so once a commitment has
started (``starts.lo`` at or before the attack being replayed) every later attack
possibly falls in its active time until its deadline (the earliest of ``until``'s last
instant and the last instants of its ends, see ``_ends``) has passed. A new end can
only bring the deadline earlier. A commitment therefore goes through three phases:

* *pending*: made, not started. Each attack in its scope is weighed on its own (an
  attack of coarse precision can reach into its start).
* *watching*: every attack in its scope counts. Attacks are counted per scope (the
  include and exclude sets), once per attack whatever the number of commitments
  sharing that scope; a commitment keeps the count when it began watching. Only the
  attacks within its condition's places (found through an index by place) and its
  first five misses (for the examples) are weighed one by one.
* *done*: its deadline has passed; its count is frozen.

An end replayed late can bring the deadline before attacks already weighed (an end
implied by a backdated successor): the commitment has then ended by ``at`` under either
certainty (that end's last instant lies before an attack replayed, so at most ``at``),
so it is never listed and its count is never read.

Attacks replayed before a commitment (its effective date before its announcement,
or a coarse date) are found in an `AttackLog`: in replay order, with the running
maximum of their last instants, so a look-back starts at the first attack that can
reach the commitment's start.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable
from typing import Final, NamedTuple, TypeVar

import attrs
import immutables

from .._geography import Geography
from .._records import Attack, Commitment, CommitmentEnded, Condition, clash_codes
from ..stores import Recorded
from ._attacklog import AttackLog
from ._ends import implied_ends, keep_closing, keep_end
from ._protocol import Glimpse
from ._rules import Memos, lineage, makers, memos
from ._rules import chain as place_chain

__all__ = [
    "GLIMPSED",
    "MAX_EXAMPLES",
    "Facts",
    "Seen",
    "TriggerState",
    "Watch",
    "apply_attack",
    "apply_trigger",
    "attack_facts",
    "considered",
    "glimpsed_facts",
    "meets",
    "reason",
]

MAX_EXAMPLES: Final = 5
_NEVER: Final = 1 << 62

PENDING: Final = 0
WATCHING: Final = 1
DONE: Final = 2

Sig = tuple[frozenset[str], frozenset[str]]  # a scope's include and exclude sets
Order = tuple[int, int, str]  # (occurred.lo, reported.lo, id): replay order
K = TypeVar("K")
V = TypeVar("V")


class Seen(NamedTuple):
    """An attack as replayed: what the rule needs of it, with the geography then.

    A named tuple rather than an attrs class: one is made for every attack a fold
    replays, and kept; a tuple is made, and loaded from a saved state, several times
    faster."""

    id: str
    occ_lo: int
    occ_last: int
    order: Order
    place: str | None
    chain: tuple[str, ...]  # the place and its de jure ancestors (empty: unknown place)
    within: frozenset[str]
    perpetrator: str | None
    makers: frozenset[str]
    target: str | None = None
    targets: frozenset[str] = frozenset()  # the target actor and those it is affiliated with
    sides: bool = False  # between sides (`Attack.between_sides`): either may be the maker


@attrs.frozen
class Watch:
    """One conditional commitment's progress through the attacks."""

    sig: Sig
    starts: int
    phase: int = PENDING
    pre: int = 0  # considered attacks counted one by one (before watching)
    snapshot: int = 0  # the scope's count when watching began
    total: int = 0  # the frozen count, once done
    hits: tuple[str, ...] = ()
    examples: tuple[tuple[Order, str, str], ...] = ()


class TriggerState(NamedTuple):
    """The fold's state (immutable maps and tuples only; the log only grows, see
    `AttackLog`).

    A named tuple rather than an attrs class: a fold makes one for every attack it
    takes in, and a tuple is made several times faster (``_replace`` stands for
    ``attrs.evolve``)."""

    log: AttackLog[Seen]  # the attacks replayed
    geo: Geography = Geography()
    conditional: immutables.Map[str, Recorded] = immutables.Map()
    ended: immutables.Map[str, Recorded] = immutables.Map()  # the winning ends
    closing: immutables.Map[str, Recorded] = immutables.Map()  # the closing ends
    replayed: int = 0  # how many of the log's entries this state has replayed
    # Entries of the log from ``judged_from`` on were replayed with the places and
    # actors as they stand: their group (the outermost place of theirs) and their
    # lineage and affiliations are current. Earlier ones may not be.
    judged_from: int = 0
    watch: immutables.Map[str, Watch] = immutables.Map()
    by_place: immutables.Map[str, tuple[str, ...]] = immutables.Map()  # condition place
    by_target: immutables.Map[str, tuple[str, ...]] = immutables.Map()  # condition target
    sigs: immutables.Map[str, tuple[Sig, ...]] = immutables.Map()  # scope key -> scopes
    counts: immutables.Map[Sig, int] = immutables.Map()
    hungry: immutables.Map[Sig, tuple[str, ...]] = immutables.Map()  # want examples
    pending_by_key: immutables.Map[str, tuple[str, ...]] = immutables.Map()
    pending: tuple[tuple[int, str], ...] = ()  # (starts.lo, id), sorted
    deadlines: tuple[tuple[int, str], ...] = ()  # (deadline, id), sorted


def considered(state: TriggerState, cid: str) -> int:
    """How many attacks the commitment has considered (hits included)."""
    w = state.watch[cid]
    if w.phase == DONE:
        return w.total
    if w.phase == WATCHING:
        return w.pre + state.counts.get(w.sig, 0) - w.snapshot
    return w.pre


def apply_trigger(state: TriggerState, recorded: Recorded) -> TriggerState:
    """``state`` with ``recorded`` taken in (records come in replay order)."""
    record = recorded.record
    geo = state.geo.with_record(record)
    if geo is not state.geo:
        if geo.places is not state.geo.places or geo.actors is not state.geo.actors:
            return state._replace(geo=geo, judged_from=state.replayed)
        return state._replace(geo=geo)
    if isinstance(record, Attack):
        return apply_attack(state, attack_facts(recorded, record))
    if isinstance(record, Commitment):
        for end in implied_ends(recorded):  # it ends the commitments it supersedes
            state = _take_end(state, end)
        if record.condition is None:
            return state
        return _commitment(state, recorded, record)
    if isinstance(record, CommitmentEnded):
        return _take_end(state, recorded)
    return state


def _take_end(state: TriggerState, end: Recorded) -> TriggerState:
    """``state`` with an end taken in (see ``_ends``): kept if it wins, or if it closes
    the commitment earlier than the ends known. An earlier closing end brings the
    deadline earlier, into the agenda (the entry of the later deadline stays: it finds
    the commitment done)."""
    ended = keep_end(state.ended, end)
    closing = keep_closing(state.closing, end)
    if closing is state.closing:
        return state if ended is state.ended else state._replace(ended=ended)
    record = end.record
    assert isinstance(record, CommitmentEnded)
    cid = record.commitment
    state = state._replace(ended=ended, closing=closing)
    w = state.watch.get(cid)
    if w is None or w.phase == DONE:
        return state
    return state._replace(deadlines=_insort(state.deadlines, (_deadline(state, cid), cid)))


# ------------------------------------------------------------------ helpers


def _keys(sig: Sig) -> tuple[str, ...]:
    include = sig[0]
    return tuple(sorted(include)) if include else ("",)


def _in_scope(sig: Sig, seen: Seen) -> bool:
    return _place_in_scope(sig, seen.place, seen.within)


def _place_in_scope(sig: Sig, place: str | None, within: frozenset[str]) -> bool:
    """Is an attack at ``place`` (``within`` those places de jure) in the scope?"""
    include, exclude = sig
    if place is None:
        return not include and not exclude
    if include and within.isdisjoint(include):
        return False
    return within.isdisjoint(exclude)


def _deadline(state: TriggerState, cid: str) -> int:
    commitment = state.conditional[cid].record
    assert isinstance(commitment, Commitment)
    deadline = _NEVER if commitment.until is None else commitment.until.last
    ended = state.closing.get(cid)
    if ended is not None:
        assert isinstance(ended.record, CommitmentEnded)
        deadline = min(deadline, ended.record.occurred.last)
    return deadline


def _during(seen: Seen, starts: int, deadline: int) -> bool:
    return seen.occ_last >= starts and seen.occ_lo <= deadline


def _named(condition: Condition, seen: Seen) -> tuple[bool, bool | None, bool | None]:
    """Do the named tests pass as ``match`` combines them? With the place test's and
    the target test's own outcomes (None: the condition names no such test)."""
    place = target = None
    if condition.attack_within:
        place = seen.place is not None and not seen.within.isdisjoint(condition.attack_within)
    if condition.against:
        target = seen.target is not None and not seen.targets.isdisjoint(condition.against)
    if condition.match == "all":
        return place is not False and target is not False, place, target
    return place is True or target is True or place is target is None, place, target


def _swapped(seen: Seen) -> Seen:
    """An attack between sides the other way round: side B on side A."""
    return seen._replace(
        perpetrator=seen.target, makers=seen.targets, target=seen.perpetrator, targets=seen.makers
    )


def _meets(condition: Condition, seen: Seen) -> bool:
    """Does the attack meet the condition, read the way round ``seen`` says?"""
    if not _named(condition, seen)[0]:
        return False
    return not (condition.by and seen.makers.isdisjoint(condition.by))


def meets(commitment: Commitment, seen: Seen) -> bool:
    """Does a considered attack meet the condition? (``reason`` is None), without
    putting the reasons into words. An attack between sides meets it when it does
    either way round."""
    condition = commitment.condition
    assert condition is not None
    if _meets(condition, seen):
        return True
    return seen.sides and _meets(condition, _swapped(seen))


def reason(commitment: Commitment, seen: Seen) -> str | None:
    """Why a considered attack does not meet the condition (None: it does).

    The named tests (places when ``attack_within`` names some, targets when
    ``against`` does) each pass or give a reason: ``match="all"`` needs every one
    (the first failure is given, places first), ``match="any"`` one of them (all the
    reasons, joined with "; ", when none passes). Then the attack must be made by
    one of ``by`` (or an affiliate), when ``by`` names any.

    An attack between sides is weighed both ways round (side B on side A too): it
    meets the condition when either way does; otherwise the reason is the one for
    its sides as recorded, followed by "; nor the other way round: " and the one
    for them swapped, when the two differ.
    """
    condition = commitment.condition
    assert condition is not None
    why = _reason(condition, seen)
    if why is None or not seen.sides:
        return why
    other = _reason(condition, _swapped(seen))
    if other is None:
        return None
    return why if other == why else f"{why}; nor the other way round: {other}"


def _reason(condition: Condition, seen: Seen) -> str | None:
    """`reason`, read the way round ``seen`` says."""
    passed, place, target = _named(condition, seen)
    if not passed:
        reasons: list[str] = []
        if place is False:
            if seen.place is None:
                reasons.append("its place is not known")
            else:
                chain = " -> ".join(seen.chain)
                within = " or ".join(condition.attack_within)
                reasons.append(f"{chain} is not within {within} de jure")
        if target is False:
            if seen.target is None:
                reasons.append("its target is not known")
            else:
                reasons.append(f"aimed at {seen.target}, not at " + " or ".join(condition.against))
        return reasons[0] if condition.match == "all" else "; ".join(reasons)
    if condition.by and seen.makers.isdisjoint(condition.by):
        return f"made by {seen.perpetrator or 'an unknown perpetrator'}, not by " + (
            " or ".join(condition.by)
        )
    return None


def condition_words(condition: Condition) -> str:
    """The condition's place and target tests in words: "within P" alone, or
    "within P and|or on A (or an affiliate)"."""
    parts = []
    if condition.attack_within:
        parts.append("within " + " or ".join(condition.attack_within))
    if condition.against:
        parts.append("on " + " or ".join(condition.against) + " (or an affiliate)")
    return (" or " if condition.match == "any" else " and ").join(parts)


def _insort(
    items: tuple[tuple[int, str], ...], item: tuple[int, str]
) -> tuple[tuple[int, str], ...]:
    out = list(items)
    bisect.insort(out, item)
    return tuple(out)


def _add(
    table: immutables.Map[K, tuple[str, ...]], key: K, cid: str
) -> immutables.Map[K, tuple[str, ...]]:
    known = table.get(key, ())
    return table if cid in known else table.set(key, (*known, cid))


def _drop(
    table: immutables.Map[K, tuple[str, ...]], key: K, cid: str
) -> immutables.Map[K, tuple[str, ...]]:
    known = table.get(key, ())
    if cid not in known:
        return table
    rest = tuple(c for c in known if c != cid)
    return table.set(key, rest) if rest else table.delete(key)


def _weighed(w: Watch, commitment: Commitment, seens: Iterable[Seen]) -> Watch:
    """``w`` with each of ``seens`` (considered attacks, in replay order) weighed one
    by one: a hit (once each), or an example while it has fewer than `MAX_EXAMPLES`.
    One new `Watch` at the end, none when nothing changed."""
    hits, examples = list(w.hits), list(w.examples)
    known = set(hits)
    # A condition that names places and no targets is met only by an attack within
    # one of them, either way round (the place test alone decides `_named`): the
    # others are passed over without the full test, once the examples are full.
    condition = commitment.condition
    assert condition is not None
    places = condition.attack_within if not condition.against else ()
    for seen in seens:
        if len(examples) < MAX_EXAMPLES:
            why = reason(commitment, seen)
            if why is not None:
                examples.append((seen.order, seen.id, why))
                continue
        elif (places and seen.within.isdisjoint(places)) or not meets(commitment, seen):
            continue
        if seen.id not in known:
            known.add(seen.id)
            hits.append(seen.id)
    if len(hits) == len(w.hits) and len(examples) == len(w.examples):
        return w
    return attrs.evolve(w, hits=tuple(hits), examples=tuple(examples))


# ---------------------------------------------------------------- the phases


def _advance(state: TriggerState, now: int) -> TriggerState:
    """Start the commitments whose start ``now`` has reached; close the overdue
    (`apply_attack` calls it only when one is: a state with none due comes back
    equal)."""
    watch, counts, sigs, hungry = state.watch, state.counts, state.sigs, state.hungry
    pending_by_key, by_place = state.pending_by_key, state.by_place
    by_target = state.by_target
    pending, deadlines = list(state.pending), list(state.deadlines)
    started = 0
    while started < len(pending) and pending[started][0] <= now:
        cid = pending[started][1]
        started += 1
        w = watch[cid]
        if w.phase != PENDING:
            continue
        for key in _keys(w.sig):
            pending_by_key = _drop(pending_by_key, key, cid)
        for key in _keys(w.sig):
            known = sigs.get(key, ())
            if w.sig not in known:
                sigs = sigs.set(key, (*known, w.sig))
        w = attrs.evolve(w, phase=WATCHING, snapshot=counts.get(w.sig, 0))
        if len(w.examples) < MAX_EXAMPLES:
            hungry = hungry.set(w.sig, (*hungry.get(w.sig, ()), cid))
        watch = watch.set(cid, w)
    closed = 0
    while closed < len(deadlines) and deadlines[closed][0] < now:
        cid = deadlines[closed][1]
        closed += 1
        w = watch[cid]
        if w.phase == DONE:
            continue  # closed by an earlier entry (an end that closes it earlier)
        if w.phase == WATCHING:
            total = w.pre + counts.get(w.sig, 0) - w.snapshot
            hungry = _drop(hungry, w.sig, cid)
        else:
            total = w.pre
            for key in _keys(w.sig):
                pending_by_key = _drop(pending_by_key, key, cid)
        watch = watch.set(cid, attrs.evolve(w, phase=DONE, total=total))
        commitment = state.conditional[cid].record
        assert isinstance(commitment, Commitment)
        assert commitment.condition is not None
        for place in commitment.condition.attack_within:
            by_place = _drop(by_place, place, cid)
        for actor in commitment.condition.against:
            by_target = _drop(by_target, actor, cid)
    return state._replace(
        watch=watch,
        counts=counts,
        sigs=sigs,
        hungry=hungry,
        pending_by_key=pending_by_key,
        by_place=by_place,
        by_target=by_target,
        pending=tuple(pending[started:]),
        deadlines=tuple(deadlines[closed:]),
    )


class Facts(NamedTuple):
    """What the fold reads of an attack: from the decoded record, or from a glimpse
    of it (its index row and five of its fields), the same either way."""

    id: str
    occ_lo: int
    occ_last: int
    rep_lo: int
    place: str | None
    perpetrator: str | None
    target: str | None
    sides: bool = False  # `Attack.between_sides`


GLIMPSED: Final = (
    "place",
    "perpetrator",
    "target_actor",
    "codes.ucdp_type_of_violence",
    "codes.acled_event_type",
)
"""The fields of an attack the fold reads, besides its id and times (the two codes
say whether it is between sides, as `Attack.between_sides` does)."""


def attack_facts(recorded: Recorded, attack: Attack) -> Facts:
    """The facts of a decoded attack."""
    occurred = attack.occurred
    return Facts(
        attack.id,
        occurred.lo,
        occurred.last,
        recorded.reported.lo,
        attack.place,
        attack.perpetrator,
        attack.target_actor,
        attack.codes is not None and attack.between_sides,
    )


def glimpsed_facts(glimpse: Glimpse) -> Facts:
    """The facts of a glimpsed attack (its fields in the order of `GLIMPSED`)."""
    rid, _, occ_lo, occ_last, rep_lo, _, (place, perpetrator, target, ucdp, acled) = glimpse
    return _FACTS(
        (
            rid,
            occ_lo,
            occ_last,
            rep_lo,
            place,
            perpetrator,
            target,
            (ucdp is not None or acled is not None) and clash_codes(ucdp, acled),
        )
    )


def _seen(geo: Geography, attack: Facts) -> Seen:
    # Written for speed (once an attack): the memo tables read here, the functions
    # called on a miss (see `memos`), for the geography the last attack had too.
    global _last_memos  # noqa: PLW0603 - a one-entry memo of the memo tables
    last = _last_memos
    if last[0] is geo:
        chains, lineages, actors = last[1]
    else:
        tables = memos(geo)
        _last_memos = (geo, tables)
        chains, lineages, actors = tables
    rid, occ_lo, occ_last, rep_lo, place, perpetrator, target, sides = attack
    if place is None:
        chain: tuple[str, ...] = ()
        within: frozenset[str] = _NOBODY
    else:
        chain = (chains.get(place) if chains is not None else None) or _miss(
            chains, place_chain, geo, place
        )
        within = (lineages.get(place) if lineages is not None else None) or _miss(
            lineages, lineage, geo, place
        )
    who = _NOBODY
    if perpetrator is not None:
        who = (actors.get(perpetrator) if actors is not None else None) or _miss(
            actors, makers, geo, perpetrator
        )
    targets = _NOBODY
    if target is not None:
        targets = (actors.get(target) if actors is not None else None) or _miss(
            actors, makers, geo, target
        )
    return _SEEN(
        (
            rid,
            occ_lo,
            occ_last,
            (occ_lo, rep_lo, rid),
            place,
            chain,
            within,
            perpetrator,
            who,
            target,
            targets,
            sides,
        )
    )


def _miss(
    table: dict[str, V] | None, compute: Callable[[Geography, str], V], geo: Geography, key: str
) -> V:
    """``compute(geo, key)``, kept in ``table`` too (the one `_seen` holds may be one
    its memo has since let go, and no longer fills)."""
    found = compute(geo, key)
    if table is not None:
        table[key] = found
    return found


_NOBODY: Final[frozenset[str]] = frozenset()
# ``Seen(...)`` and ``Facts(...)`` without the named tuples' Python-level ``__new__``
# (every field given: each is made once for every attack a fold takes in).
_SEEN: Final = functools.partial(tuple.__new__, Seen)
_FACTS: Final = functools.partial(tuple.__new__, Facts)
# The geography `_seen` last read the memo tables of, and those tables (each a pure
# function of its map, so tables a memo has since let go still answer right).
_last_memos: tuple[Geography | None, Memos] = (None, (None, None, None))


def _rejudged(seen: Seen, geo: Geography) -> Seen:
    """``seen`` with its place's ancestors and its perpetrator's and target's
    affiliations as ``geo`` knows them."""
    place, perpetrator, target = seen.place, seen.perpetrator, seen.target
    return Seen(
        seen.id,
        seen.occ_lo,
        seen.occ_last,
        seen.order,
        place,
        seen.chain if place is None else place_chain(geo, place),
        seen.within if place is None else lineage(geo, place),
        perpetrator,
        seen.makers if perpetrator is None else makers(geo, perpetrator),
        target,
        seen.targets if target is None else makers(geo, target),
        seen.sides,
    )


def apply_attack(state: TriggerState, attack: Facts) -> TriggerState:
    """``state`` with an attack taken in (in replay order)."""
    now, pending, deadlines = attack.occ_lo, state.pending, state.deadlines
    if (pending and pending[0][0] <= now) or (deadlines and deadlines[0][0] < now):
        state = _advance(state, now)
    seen = _seen(state.geo, attack)
    chain = seen.chain
    keys = (*chain, "")
    # Count it once per scope it lies in.
    scopes: list[Sig] = []
    sigs = state.sigs
    if sigs:
        for key in keys:
            for sig in sigs.get(key, ()):
                if sig not in scopes and _in_scope(sig, seen):
                    scopes.append(sig)
    counts, watch, hungry = state.counts, state.watch, state.hungry
    done: set[str] = set()
    for sig in scopes:
        counts = counts.set(sig, counts.get(sig, 0) + 1)
        # Watching commitments of the scope that still want examples weigh it whole
        # (a commitment is hungry under its own scope only).
        eager = hungry.get(sig)
        if eager:
            for cid in eager:
                done.add(cid)
                watch = watch.set(cid, _weighed(watch[cid], _record(state, cid), (seen,)))
            wanting = tuple(c for c in eager if len(watch[c].examples) < MAX_EXAMPLES)
            if wanting != eager:
                hungry = hungry.set(sig, wanting) if wanting else hungry.delete(sig)
    # So do pending ones that it possibly falls in the active time of.
    pending_by_key = state.pending_by_key
    if pending_by_key:
        for key in keys:
            for cid in pending_by_key.get(key, ()):
                if cid in done:
                    continue
                done.add(cid)
                w = watch[cid]
                if _during(seen, w.starts, _deadline(state, cid)) and _in_scope(w.sig, seen):
                    w = attrs.evolve(w, pre=w.pre + 1)
                    watch = watch.set(cid, _weighed(w, _record(state, cid), (seen,)))
    # Watching commitments whose condition names one of its places or one of the
    # actors its target is (or is affiliated with): a hit or not. An attack that meets
    # a condition passes its place test or its target test, so one of them finds it.
    # An attack between sides may be aimed at either side: both are looked up.
    by_place, by_target = state.by_place, state.by_target
    if by_place:
        for place in chain:
            for cid in by_place.get(place, ()):
                watch = _hit(state, watch, done, cid, seen)
    if by_target:
        aimed = seen.targets | seen.makers if seen.sides else seen.targets
        for actor in sorted(aimed):
            for cid in by_target.get(actor, ()):
                watch = _hit(state, watch, done, cid, seen)
    replayed = state.replayed
    return _STATE(
        (
            state.log.appended(replayed, seen, chain[-1] if chain else None),
            state.geo,
            state.conditional,
            state.ended,
            state.closing,
            replayed + 1,
            state.judged_from,
            watch,
            by_place,
            by_target,
            sigs,
            counts,
            hungry,
            pending_by_key,
            state.pending,
            state.deadlines,
        )
    )


# Made by ``tuple.__new__``, in field order: ``TriggerState(...)`` runs the named
# tuple's Python-level ``__new__``, once for every attack a fold takes in.
_STATE: Final = functools.partial(tuple.__new__, TriggerState)


def _hit(
    state: TriggerState,
    watch: immutables.Map[str, Watch],
    done: set[str],
    cid: str,
    seen: Seen,
) -> immutables.Map[str, Watch]:
    """``watch`` with ``seen`` recorded as a hit of ``cid`` if it meets the condition
    (once per attack and commitment: ``done``)."""
    if cid in done:
        return watch
    done.add(cid)
    w = watch[cid]
    if w.phase != WATCHING or not _in_scope(w.sig, seen):
        return watch
    if meets(_record(state, cid), seen):
        return watch.set(cid, attrs.evolve(w, hits=(*w.hits, seen.id)))
    return watch


def _record(state: TriggerState, cid: str) -> Commitment:
    commitment = state.conditional[cid].record
    assert isinstance(commitment, Commitment)
    return commitment


def _commitment(state: TriggerState, recorded: Recorded, commitment: Commitment) -> TriggerState:
    cid = commitment.id
    condition = commitment.condition
    assert condition is not None
    if cid in state.watch:  # a second copy in one replay cannot happen; keep the first
        return state
    state = state._replace(conditional=state.conditional.set(cid, recorded))
    sig: Sig = (frozenset(commitment.scope.include), frozenset(commitment.scope.exclude))
    starts = commitment.starts.lo
    deadline = _deadline(state, cid)
    w = Watch(sig, starts)
    # Attacks replayed before it that possibly fall in its active time, judged by
    # the geography known now, the later of the two records. Those replayed since
    # the places and actors last changed were judged so already; only the groups
    # the scope can reach are read (an attack within an included place is in the
    # group of its outermost place, which that place's lineage holds, even in a
    # cycle of parents). Earlier ones are read from every group and judged again.
    if state.replayed:
        regeo = state.geo
        include, exclude = sig
        groups = {g for place in include for g in lineage(regeo, place)} if include else None
        log, since = state.log, state.judged_from
        reached = log.reaching(state.replayed, starts, groups, since)
        if since:
            reached += (_rejudged(seen, regeo) for seen in log.reaching(since, starts))
        if include or exclude:
            reached = [seen for seen in reached if _in_scope(sig, seen)]
        if groups is not None or since:  # else read in replay order from one run
            reached.sort(key=lambda s: s.order)
        during = [s for s in reached if s.occ_lo <= deadline]
        w = _weighed(attrs.evolve(w, pre=w.pre + len(during)), commitment, during)
    by_place = state.by_place
    for place in condition.attack_within:
        by_place = _add(by_place, place, cid)
    by_target = state.by_target
    for actor in condition.against:
        by_target = _add(by_target, actor, cid)
    pending_by_key = state.pending_by_key
    for key in _keys(sig):
        pending_by_key = _add(pending_by_key, key, cid)
    deadlines = state.deadlines
    if deadline < _NEVER:
        deadlines = _insort(deadlines, (deadline, cid))
    return state._replace(
        watch=state.watch.set(cid, w),
        by_place=by_place,
        by_target=by_target,
        pending_by_key=pending_by_key,
        pending=_insort(state.pending, (starts, cid)),
        deadlines=deadlines,
    )
