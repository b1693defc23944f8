"""The built-in views, re-derived naively from the rules in docs/explanation/*.md.

Every function takes the full list of stored envelopes and a :class:`Query` and
returns the tuple of result entries the view must give (or, for the gazetteer, its
three mappings). The rule each one follows is quoted from the docs in its docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from conflict_timeline import (
    Accusation,
    ActiveCommitment,
    ActorDefined,
    Agreement,
    AgreementEntry,
    Attack,
    Basis,
    CasualtyEstimate,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    CommitmentLife,
    CommitmentStatus,
    Confirmation,
    ControlChanged,
    Denial,
    Observation,
    PlaceDefined,
    Query,
    Recorded,
    Request,
    RequestStatus,
    Statement,
    Status,
    TimeExtent,
    Trigger,
    ViolationAssessment,
)

from .replay import Replayed, by, replayed

# ------------------------------------------------------------------ shared rules


def _happened(extent: TimeExtent | None, query: Query) -> bool:
    """ "Has happened by ``at``": the earliest bound (``possible``) or the latest
    (``certain``) is at most ``at``; with no ``at`` everything has; no extent never."""
    if extent is None:
        return False
    return by(extent, query.at, query.certainty == "certain")


def _chain(start: str, parent_of: Mapping[str, str | None]) -> list[str]:
    """``start`` then its parents, stopping at a missing entry or a cycle."""
    out = [start]
    current = parent_of.get(start)
    while current is not None and current not in out:
        out.append(current)
        current = parent_of.get(current)
    return out


class _Geo:
    """Actors and places as the last definitions replayed among ``records``."""

    def __init__(self, records: Iterable[Replayed]) -> None:
        self.actors: dict[str, ActorDefined] = {}
        self.places: dict[str, PlaceDefined] = {}
        for r in records:
            if isinstance(r.record, ActorDefined):
                self.actors[r.id] = r.record
            elif isinstance(r.record, PlaceDefined):
                self.places[r.id] = r.record

    def lineage(self, place: str) -> list[str]:
        """The place and every place it lies within de jure, nearest first."""
        return _chain(place, {p: d.parent for p, d in self.places.items()})

    def makers(self, actor: str) -> list[str]:
        """The actor and every actor it is (transitively) affiliated with."""
        return _chain(actor, {a: d.affiliation for a, d in self.actors.items()})

    def binds(self, commitment: Commitment, actor: str | None) -> bool:
        """A commitment binds its parties and the actors affiliated with them."""
        return actor is not None and any(m in commitment.parties for m in self.makers(actor))

    def in_scope(self, commitment: Commitment, place: str | None) -> bool:
        """De jure scope: empty ``include`` is everywhere; an unknown place is in
        scope only of a commitment that applies everywhere with no exclusions."""
        scope = commitment.scope
        if place is None:
            return not scope.include and not scope.exclude
        lineage = self.lineage(place)
        if scope.include and not any(p in scope.include for p in lineage):
            return False
        return not any(p in scope.exclude for p in lineage)


def _possibly_during(
    extent: TimeExtent, commitment: Commitment, ends: Sequence[_End] = ()
) -> bool:
    """Could any part of ``extent`` fall in the active time: from ``effective`` until
    the earlier of ``until`` and the ends (all bounds inclusive). The commitment has
    certainly ended once *any* of its ends has certainly occurred, so the earliest last
    instant among them bounds it, whatever the others say."""
    if extent.last < commitment.starts.lo:
        return False
    if commitment.until is not None and extent.lo > commitment.until.last:
        return False
    return all(extent.lo <= e.end.occurred.last for e in ends)


_TARGETS = {
    "any_attack": {"civilian", "mixed", "infrastructure", "military", "unknown"},
    "attacks_on_civilians": {"civilian", "mixed"},
    "attacks_on_civilian_objects": {"infrastructure", "mixed"},
}


def _prohibited(commitment: Commitment, attack: Attack) -> bool:
    """``any_attack`` covers every attack whatever its target (``unknown`` included);
    the other prohibitions cover their target classes, never ``unknown``."""
    return any(attack.target_class.value in _TARGETS[p.value] for p in commitment.prohibits)


class _End(NamedTuple):
    """One end of a commitment, as replayed."""

    end: CommitmentEnded
    implied: bool  # implied by a supersession (not a stored CommitmentEnded)
    reported: int  # the earliest instant of its knowledge time


def _all_ends(records: Sequence[Replayed]) -> dict[str, list[_End]]:
    """Commitment id -> all its ends: its replayed ``CommitmentEnded`` records and the
    ends implied by replayed commitments that supersede it (occurring when the
    superseding one takes effect, known when it is)."""
    ends: dict[str, list[_End]] = {}
    for r in records:
        if isinstance(r.record, CommitmentEnded):
            end = r.record
            ends.setdefault(end.commitment, []).append(_End(end, False, r.reported.lo))
        elif isinstance(r.record, Commitment):
            b = r.record
            for earlier in b.supersedes:
                end = CommitmentEnded(
                    id=f"{b.id}~supersedes~{earlier}",
                    occurred=b.starts,
                    sources=b.sources,
                    claimed_by=b.claimed_by,
                    status=b.status,
                    reported=r.reported,
                    commitment=earlier,
                    reason="superseded",
                    superseded_by=b.id,
                )
                ends.setdefault(earlier, []).append(_End(end, True, r.reported.lo))
    return ends


def _ended_by(ends: Sequence[_End], query: Query) -> CommitmentEnded | None:
    """The end a commitment has ended by at ``at``, None when no end of it has
    happened: "no CommitmentEnded for it has occurred by T" (DESIGN.md), so one end
    that has happened is enough. The end shown is the winning end (the smallest by
    earliest instant of ``occurred``, explicit before implied, ``reported``, id) when
    that has happened, else, of those that have, the one with the earliest last
    instant (same ties)."""
    happened = [e for e in ends if _happened(e.end.occurred, query)]
    if not happened:
        return None
    winning = min(ends, key=lambda e: (e.end.occurred.lo, e.implied, e.reported, e.end.id))
    if winning in happened:
        return winning.end
    return min(happened, key=lambda e: (e.end.occurred.last, e.implied, e.reported, e.end.id)).end


def _of(records: Sequence[Replayed], kind: type[Any]) -> list[Replayed]:
    return [r for r in records if isinstance(r.record, kind)]


# ------------------------------------------------------------------ commitments


def _status(commitment: Commitment, end: CommitmentEnded | None, query: Query) -> CommitmentStatus:
    """ended if an end has happened; else lapsed if ``until`` has; else pending if
    ``effective`` has not; else active."""
    if end is not None and _happened(end.occurred, query):
        return CommitmentStatus.ENDED
    if _happened(commitment.until, query):
        return CommitmentStatus.LAPSED
    if not _happened(commitment.starts, query):
        return CommitmentStatus.PENDING
    return CommitmentStatus.ACTIVE


def active_commitments(
    envelopes: Iterable[Recorded], query: Query
) -> tuple[ActiveCommitment, ...]:
    """Commitments made by ``at`` (replayed), effective by ``at``, whose ``until`` has
    not happened and with no end replayed; ordered by effective start, then id."""
    records = replayed(envelopes, query)
    ends = _all_ends(records)
    out = []
    for r in _of(records, Commitment):
        c = r.record
        assert isinstance(c, Commitment)
        if _status(c, _ended_by(ends.get(c.id, ()), query), query) is CommitmentStatus.ACTIVE:
            out.append(ActiveCommitment(c.id, c, c.starts))
    return tuple(sorted(out, key=lambda a: (a.since.lo, a.id)))


def commitment_history(envelopes: Iterable[Recorded], query: Query) -> tuple[CommitmentLife, ...]:
    """Every commitment replayed, with its first end replayed and its status."""
    records = replayed(envelopes, query)
    ends = _all_ends(records)
    out = []
    for r in _of(records, Commitment):
        c = r.record
        assert isinstance(c, Commitment)
        end = _ended_by(ends.get(c.id, ()), query)
        out.append(CommitmentLife(c.id, c, c.starts, c.until, end, _status(c, end, query)))
    return tuple(sorted(out, key=lambda c: (c.effective.lo, c.id)))


def triggered_commitments(envelopes: Iterable[Recorded], query: Query) -> tuple[Trigger, ...]:
    """Each conditional commitment active at ``at``: the attacks (in replay order)
    that possibly fell in its active time, in its scope, de jure within a condition
    place and by a condition actor (any when none is named; an attack between sides
    either way round, see `_why_not`), judged with the places
    and actors replayed up to the later of the attack and the commitment; the
    others in its period and scope counted, the first five (in replay order) kept as
    examples. Attacks outside its scope are not weighed."""
    records = replayed(envelopes, query)
    ends = _all_ends(records)
    index = {id(r): i for i, r in enumerate(records)}
    out = []
    for rc in _of(records, Commitment):
        c = rc.record
        assert isinstance(c, Commitment)
        if c.condition is None:
            continue
        if _status(c, _ended_by(ends.get(c.id, ()), query), query) is not CommitmentStatus.ACTIVE:
            continue
        hits: list[str] = []
        misses: list[tuple[str, str]] = []
        for ra in _of(records, Attack):
            a = ra.record
            assert isinstance(a, Attack)
            if not _possibly_during(a.occurred, c, ends.get(c.id, ())):
                continue
            geo = _Geo(records[: max(index[id(ra)], index[id(rc)]) + 1])
            if not geo.in_scope(c, a.place):
                continue
            reason = _why_not(c, a, geo)
            if reason is None:
                hits.append(a.id)
            else:
                misses.append((a.id, reason))
        cond = c.condition
        places = " or ".join(cond.attack_within)
        by = f" by {' or '.join(cond.by)}" if cond.by else ""
        # In words: "within P" alone, or "within P and|or on A (or an affiliate)".
        parts = [f"within {places}"] if cond.attack_within else []
        if cond.against:
            parts.append("on " + " or ".join(cond.against) + " (or an affiliate)")
        words = (" or " if cond.match == "any" else " and ").join(parts)
        if hits:
            explanation = f"triggered: {len(hits)} reported attack(s) {words}{by}: " + (
                ", ".join(hits)
            )
        elif misses and not cond.against:
            explanation = (
                f"not triggered: none of the {len(misses)} reported attack(s) in its period "
                f"and scope lies within {places} (de jure)" + (f" and was made{by}" if by else "")
            )
        elif misses:
            explanation = (
                f"not triggered: none of the {len(misses)} reported attack(s) in its period "
                f"and scope is {words}" + (f" and was made{by}" if by else "")
            )
        else:
            explanation = "not triggered: no reported attack in its period and scope"
        out.append(
            Trigger(
                c.id,
                c,
                bool(hits),
                tuple(hits),
                len(misses),
                tuple(misses[:5]),
                explanation,
            )
        )
    return tuple(sorted(out, key=lambda t: (t.commitment.starts.lo, t.id)))


def _why_not(c: Commitment, a: Attack, geo: _Geo) -> str | None:
    """Why the attack does not meet the condition (None: it does). An attack between
    sides (UCDP GED type_of_violence 1 or 2, or none of GED's codes 1-3, an ACLED
    battle) names two sides, not an attacker and a target: it is an attack by side A
    on side B or by B on A, and meets
    the condition when either does; when neither, the reason as recorded, then the
    reason the other way round (when it differs)."""
    why = _why_not_one_way(c, a, geo, a.perpetrator, a.target_actor)
    codes = a.codes
    clash = codes is not None and (
        codes.ucdp_type_of_violence not in (None, "3")
        or (codes.acled_event_type or "").lower() == "battles"
        or (codes.acled_event_type or "").lower().startswith("battle-")
    )
    if why is None or not clash:
        return why
    other = _why_not_one_way(c, a, geo, a.target_actor, a.perpetrator)
    if other is None:
        return None
    return why if other == why else f"{why}; nor the other way round: {other}"


def _why_not_one_way(
    c: Commitment, a: Attack, geo: _Geo, perpetrator: str | None, target_actor: str | None
) -> str | None:
    """`_why_not` with ``perpetrator`` as the attacker and ``target_actor`` as its
    target."""
    assert c.condition is not None
    cond = c.condition
    reasons: list[str] = []  # of the named tests that fail, places first
    named = 0
    if cond.attack_within:
        named += 1
        if a.place is None:
            reasons.append("its place is not known")
        else:
            lineage = geo.lineage(a.place)
            if not any(p in lineage for p in cond.attack_within):
                within = " or ".join(cond.attack_within)
                reasons.append(f"{' -> '.join(lineage)} is not within {within} de jure")
    if cond.against:
        named += 1
        if target_actor is None:
            reasons.append("its target is not known")
        elif not any(x in geo.makers(target_actor) for x in cond.against):
            reasons.append(f"aimed at {target_actor}, not at " + " or ".join(cond.against))
    if cond.match == "all" and reasons:
        return reasons[0]
    if cond.match == "any" and len(reasons) == named:
        return "; ".join(reasons)
    if c.condition.by and not (
        perpetrator is not None and any(x in geo.makers(perpetrator) for x in c.condition.by)
    ):
        return f"made by {perpetrator or 'an unknown perpetrator'}, not by " + " or ".join(
            c.condition.by
        )
    return None


# ------------------------------------------------------------------ violations


_BASIS_ORDER = {Basis.ALLEGED: 0, Basis.OBSERVED: 1, Basis.CANDIDATE: 2}


def reported_violations(  # noqa: PLR0915 - one rule after another, plainly
    envelopes: Iterable[Recorded], query: Query
) -> tuple[ViolationAssessment, ...]:
    """docs/explanation/violations.md, basis by basis, over the replayed records."""
    records = replayed(envelopes, query)
    ends = _all_ends(records)
    final = _Geo(records)
    index = {id(r): i for i, r in enumerate(records)}
    commitments = _of(records, Commitment)
    by_id: dict[str, Commitment] = {}
    for r in commitments:
        assert isinstance(r.record, Commitment)
        by_id[r.id] = r.record
    attacks: dict[str, Attack] = {}
    for r in _of(records, Attack):
        assert isinstance(r.record, Attack)
        attacks[r.id] = r.record
    denials: dict[str, list[str]] = {}
    confirmations: dict[str, list[str]] = {}
    said: dict[str, int] = {}
    for r in records:
        if isinstance(r.record, Denial):
            denials.setdefault(r.record.denies, []).append(r.id)
            said[r.id] = r.reported.lo
        elif isinstance(r.record, Confirmation):
            confirmations.setdefault(r.record.confirms, []).append(r.id)
            said[r.id] = r.reported.lo

    def status(own: Status, denied: Sequence[str], confirmed: Sequence[str]) -> Status:
        """With no denial or confirmation, the evidence's own status; else the latest
        known (by ``reported``) decides: a denial ``disputed``, a confirmation
        ``corroborated`` (``verified`` stays); a tie is ``disputed``."""
        if not denied and not confirmed:
            return own
        last_denial = max((said[d] for d in denied), default=None)
        last_confirmation = max((said[c] for c in confirmed), default=None)
        if last_denial is not None and (
            last_confirmation is None or last_denial >= last_confirmation
        ):
            return Status.DISPUTED
        return own if own is Status.VERIFIED else Status.CORROBORATED

    def covers(c: Commitment, a: Attack, geo: _Geo, actors: Iterable[str | None]) -> bool:
        return (
            _possibly_during(a.occurred, c, ends.get(c.id, ()))
            and _prohibited(c, a)
            and any(geo.binds(c, actor) for actor in actors)
            and geo.in_scope(c, a.place)
        )

    def sides(a: Attack) -> tuple[str | None, ...]:
        """Who possibly made the attack: its perpetrator; for an attack between sides
        (UCDP GED type_of_violence 1, 2 or none of GED's codes 1-3, an ACLED battle:
        the dataset names two sides, not an attacker and a target) either side, so its
        target actor too."""
        codes = a.codes
        clash = codes is not None and (
            codes.ucdp_type_of_violence not in (None, "3")
            or (codes.acled_event_type or "").lower() == "battles"
            or (codes.acled_event_type or "").lower().startswith("battle-")
        )
        if clash and a.target_actor is not None and a.target_actor != a.perpetrator:
            return (a.perpetrator, a.target_actor)
        return (a.perpetrator,)

    out: list[ViolationAssessment] = []
    # candidate: each (attack, commitment) pair weighed with the geography replayed up
    # to the later of the two; made by any of the attack's sides, all of them accused.
    for ra in _of(records, Attack):
        a = ra.record
        assert isinstance(a, Attack)
        for rc in commitments:
            c = rc.record
            assert isinstance(c, Commitment)
            geo = _Geo(records[: max(index[id(ra)], index[id(rc)]) + 1])
            if not covers(c, a, geo, sides(a)):
                continue
            denied = tuple(denials.get(a.id, ()))
            confirmed = tuple(confirmations.get(a.id, ()))
            out.append(
                ViolationAssessment(
                    id=f"candidate:{a.id}:{c.id}",
                    commitment=c.id,
                    basis=Basis.CANDIDATE,
                    evidence=a.id,
                    incidents=(a.id,),
                    accuser=None,
                    accused=tuple(x for x in sides(a) if x),
                    status=status(a.status, denied, confirmed),
                    first_reported=ra.reported,
                    sources=a.sources,
                    denials=denied,
                    confirmations=confirmed,
                    occurred=(a.occurred,),
                )
            )
    # alleged: the named commitment, or each commitment covering one of the named
    # incidents for one of the accused (with the geography at the end of the replay).
    for r in _of(records, Accusation):
        acc = r.record
        assert isinstance(acc, Accusation)
        if acc.breach_of is not None:
            named = {acc.breach_of}
        else:
            named = {
                c.id
                for c in by_id.values()
                for incident in acc.incidents
                if incident in attacks and covers(c, attacks[incident], final, acc.accused)
            }
        targets = (acc.id, *acc.incidents)
        denied = tuple(d for target in targets for d in denials.get(target, ()))
        confirmed = tuple(c for target in targets for c in confirmations.get(target, ()))
        for cid in named:
            out.append(
                ViolationAssessment(
                    id=f"alleged:{acc.id}:{cid}",
                    commitment=cid,
                    basis=Basis.ALLEGED,
                    evidence=acc.id,
                    incidents=acc.incidents,
                    accuser=acc.accuser,
                    accused=acc.accused,
                    status=status(acc.status, denied, confirmed),
                    first_reported=r.reported,
                    sources=acc.sources,
                    denials=denied,
                    confirmations=confirmed,
                    # each incident's time, as replayed (None: not in the timeline)
                    occurred=tuple(
                        attacks[i].occurred if i in attacks else None for i in acc.incidents
                    ),
                )
            )
    # observed: for a non-zero count only, the named commitment, or each commitment
    # binding the actor a monitor attributes the violations to, in scope, during its
    # active time.
    for r in _of(records, Observation):
        obs = r.record
        assert isinstance(obs, Observation)
        if not obs.violations:
            named = set()
        elif obs.commitment is not None:
            named = {obs.commitment}
        elif obs.attributed_to is None:
            named = set()
        else:
            named = {
                c.id
                for c in by_id.values()
                if final.binds(c, obs.attributed_to)
                and _possibly_during(obs.occurred, c, ends.get(c.id, ()))
                and final.in_scope(c, obs.place)
            }
        denied = tuple(denials.get(obs.id, ()))
        confirmed = tuple(confirmations.get(obs.id, ()))
        for cid in named:
            out.append(
                ViolationAssessment(
                    id=f"observed:{obs.id}:{cid}",
                    commitment=cid,
                    basis=Basis.OBSERVED,
                    evidence=obs.id,
                    incidents=(),
                    accuser=obs.monitor,
                    accused=(obs.attributed_to,) if obs.attributed_to else (),
                    status=status(obs.status, denied, confirmed),
                    first_reported=r.reported,
                    sources=obs.sources,
                    denials=denied,
                    confirmations=confirmed,
                )
            )
    out.sort(key=lambda v: (v.first_reported.lo, v.commitment, _BASIS_ORDER[v.basis], v.evidence))
    return tuple(out)


# ------------------------------------------------------------------ requests


def request_log(envelopes: Iterable[Recorded], query: Query) -> tuple[RequestStatus, ...]:
    """Every request replayed, with the statements that respond to it (in replay
    order); open when there is none. Ordered by the request's occurred, then id."""
    records = replayed(envelopes, query)
    out = []
    for r in _of(records, Request):
        request = r.record
        assert isinstance(request, Request)
        responses = tuple(
            s.record
            for s in _of(records, Statement)
            if isinstance(s.record, Statement) and s.record.responds_to == request.id
        )
        out.append(RequestStatus(request.id, request, responses, not responses))
    return tuple(sorted(out, key=lambda s: (s.request.occurred.lo, s.id)))


def open_requests(envelopes: Iterable[Recorded], query: Query) -> tuple[RequestStatus, ...]:
    """The requests with no response."""
    return tuple(s for s in request_log(envelopes, query) if s.open)


# ------------------------------------------------------------------ casualties


def casualty_estimates(
    envelopes: Iterable[Recorded], query: Query
) -> tuple[CasualtyEstimate, ...]:
    """Per claimant (``claimed_by``, else the first source's publisher, else
    "unattributed"), category, measure and place: the report covering the latest
    time (the latest last instant of its ``occurred``), then the latest reported (the
    start of its knowledge time), then the larger id. Ordered by claimant, category, measure,
    place."""
    latest: dict[tuple[str, str, str, str], Replayed] = {}
    for r in replayed(envelopes, query):
        report = r.record
        if not isinstance(report, CasualtyReport):
            continue
        if report.claimed_by is not None:
            claimant = report.claimed_by
        elif report.sources:
            claimant = report.sources[0].publisher
        else:
            claimant = "unattributed"
        key = (claimant, report.category.value, report.measure.value, report.place or "")
        kept = latest.get(key)
        # The last instant each covers (an instant at midnight covers later time than
        # the whole day before it, whose extent ends there, exclusive).
        if kept is None or (
            report.occurred.last,
            r.reported.lo,
            report.id,
        ) > (kept.record.occurred.last, kept.reported.lo, kept.record.id):
            latest[key] = r
    out = []
    for key in sorted(latest):
        r = latest[key]
        report = r.record
        assert isinstance(report, CasualtyReport)
        out.append(
            CasualtyEstimate(
                report.id,
                key[0],
                report.category,
                report.measure,
                report.place,
                report.count,
                report.occurred,
                r.reported,
                report.sources,
            )
        )
    return tuple(out)


# ------------------------------------------------------------------ gazetteer


def gazetteer(
    envelopes: Iterable[Recorded], query: Query
) -> tuple[dict[str, ActorDefined], dict[str, PlaceDefined], dict[str, str | None]]:
    """Actors and places (the last definition replayed), and each place's controller
    at ``at``: among the control changes replayed that happened by ``at`` (no ``at``:
    all), on the place or an area containing it de jure, the one with the latest
    ``occurred`` (earliest bound, then latest) decides; a tie goes to the smaller area,
    then the larger record id. None when there is none."""
    records = replayed(envelopes, query)
    geo = _Geo(records)
    changes = [r.record for r in _of(records, ControlChanged)]
    controllers: dict[str, str | None] = {}
    for place in geo.places:
        lineage = geo.lineage(place)
        best: tuple[int, int, int, str] | None = None
        holder = None
        for change in changes:
            assert isinstance(change, ControlChanged)
            if change.place not in lineage or not _happened(change.occurred, query):
                continue
            key = (
                change.occurred.lo,
                change.occurred.last,
                -lineage.index(change.place),
                change.id,
            )
            if best is None or key > best:
                best, holder = key, change.controller
        controllers[place] = holder
    return geo.actors, geo.places, controllers


# ------------------------------------------------------------------ agreements


def agreements(envelopes: Iterable[Recorded], query: Query) -> tuple[AgreementEntry, ...]:
    """Each agreement replayed, with the replayed commitments naming it (ordered by
    effective start, then id); ordered by the agreement's occurred start, then id."""
    records = replayed(envelopes, query)
    out = []
    for r in _of(records, Agreement):
        provisions = sorted(
            (c.record.starts.lo, c.id)
            for c in _of(records, Commitment)
            if c.record.agreement == r.id  # type: ignore[union-attr]
        )
        out.append(AgreementEntry(r.id, r.record, tuple(cid for _, cid in provisions)))  # type: ignore[arg-type]
    return tuple(sorted(out, key=lambda e: (e.agreement.occurred.lo, e.id)))
