"""A hand-written two-view projection over plain dicts: the floor's and the peer's fold.

It computes what ``ActiveCommitments`` and ``ReportedViolations`` compute (active
commitments; candidate, alleged and observed violations with denials) with mutable
dicts and nothing of ``conflict_timeline``: the same rules, none of the machinery
(no immutable states, no checkpoints, no typed records). The floor runs it over
payloads decoded with orjson, in replay order; the eventsourcing peer runs it over
its domain events, in notification order.

Each ``apply_*`` takes the record's payload (a dict shaped like our canonical JSON)
and its valid time as integer epoch microseconds.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import Any, Final

__all__ = ["PlainViews", "extent_us"]

_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_WEEK_US: Final = 7 * 86_400_000_000
_NEVER: Final = 1 << 62
_COVERS: Final = {
    "any_attack": frozenset({"civilian", "military", "infrastructure", "mixed", "unknown"}),
    "attacks_on_civilians": frozenset({"civilian", "mixed"}),
    "attacks_on_civilian_objects": frozenset({"infrastructure", "mixed"}),
}


def _us(text: str) -> int:
    delta = _dt.datetime.fromisoformat(text) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def extent_us(extent: dict[str, Any]) -> tuple[int, int]:
    """``(lo, last)`` of an extent payload, as our ``TimeExtent`` defines them."""
    lo = _us(extent["earliest"])
    hi = _us(extent["latest"])
    return lo, (hi - 1 if hi > lo else hi)


class PlainViews:
    """Active commitments and reported violations, folded with mutable dicts."""

    def __init__(self) -> None:
        self.affiliation: dict[str, str | None] = {}
        self.parent: dict[str, str | None] = {}
        self.commitments: dict[str, tuple[dict[str, Any], int, int, int]] = {}
        self.ended: dict[str, int] = {}  # commitment id -> end's last instant
        self.by_party: defaultdict[str, list[str]] = defaultdict(list)
        self.attacks: dict[str, tuple[dict[str, Any], int, int]] = {}
        self.attack_weeks: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
        self.covers: defaultdict[str, list[str]] = defaultdict(list)
        self.accusations: dict[str, dict[str, Any]] = {}
        self.observations: dict[str, tuple[dict[str, Any], int, int]] = {}
        self.denied: defaultdict[str, list[str]] = defaultdict(list)
        self.last_week = -(1 << 62)

    # -- geography ----------------------------------------------------------------------

    def _chain(self, actor: str) -> list[str]:
        out = [actor]
        up = self.affiliation.get(actor)
        while up is not None and up not in out:
            out.append(up)
            up = self.affiliation.get(up)
        return out

    def _within(self, place: str, ancestor: str) -> bool:
        current: str | None = place
        seen = 0
        while current is not None and seen < 1_000:
            if current == ancestor:
                return True
            current = self.parent.get(current)
            seen += 1
        return False

    def _in_scope(self, scope: dict[str, Any] | None, place: str | None) -> bool:
        include = (scope.get("include") or ()) if scope else ()
        exclude = (scope.get("exclude") or ()) if scope else ()
        if place is None:
            return not include and not exclude
        if include and not any(self._within(place, p) for p in include):
            return False
        return not any(self._within(place, p) for p in exclude)

    def _during(self, lo: int, last: int, cid: str) -> bool:
        _, starts, until, _ = self.commitments[cid]
        if last < starts or lo > until:
            return False
        end = self.ended.get(cid)
        return end is None or lo <= end

    def _covers(self, cid: str, aid: str) -> bool:
        commitment, _, _, _ = self.commitments[cid]
        attack, lo, last = self.attacks[aid]
        return (
            self._during(lo, last, cid)
            and any(
                (attack.get("target_class") or "unknown") in _COVERS[p]
                for p in commitment.get("prohibits") or ()
            )
            and self._in_scope(commitment.get("scope"), attack.get("place"))
        )

    # -- the fold -------------------------------------------------------------------------

    def apply(self, kind: str, payload: dict[str, Any], lo: int, last: int) -> None:
        """Take in one record's payload, of ``kind``, valid over ``[lo, last]``."""
        if kind == "Attack":
            self.apply_attack(payload, lo, last)
        elif kind == "Accusation":
            self.accusations[payload["id"]] = payload
        elif kind == "Denial":
            denied = self.denied[payload["denies"]]
            if payload["id"] not in denied:
                denied.append(payload["id"])
        elif kind == "Observation":
            self.observations[payload["id"]] = (payload, lo, last)
        elif kind == "Commitment":
            self.apply_commitment(payload, lo)
        elif kind == "CommitmentEnded":
            self.ended.setdefault(payload["commitment"], last)
        elif kind == "ActorDefined":
            self.affiliation[payload["id"]] = payload.get("affiliation")
        elif kind == "PlaceDefined":
            self.parent[payload["id"]] = payload.get("parent")

    def apply_attack(self, payload: dict[str, Any], lo: int, last: int) -> None:
        aid = payload["id"]
        self.attacks[aid] = (payload, lo, last)
        perpetrator = payload.get("perpetrator")
        if perpetrator is None:
            return
        week = last // _WEEK_US
        self.last_week = max(self.last_week, week)
        hits: set[str] = set()
        for actor in self._chain(perpetrator):
            self.attack_weeks[actor, week].append(aid)
            hits.update(self.by_party.get(actor, ()))
        for cid in hits:
            if self._covers(cid, aid) and cid not in self.covers[aid]:
                self.covers[aid].append(cid)

    def apply_commitment(self, payload: dict[str, Any], lo: int) -> None:
        cid = payload["id"]
        effective = payload.get("effective")
        starts = extent_us(effective)[0] if effective else lo
        until = payload.get("until")
        self.commitments[cid] = (payload, starts, extent_us(until)[1] if until else _NEVER, lo)
        for party in payload["parties"]:
            if cid not in self.by_party[party]:
                self.by_party[party].append(cid)
        if not payload.get("prohibits"):
            return
        # Attacks folded before it that may fall in its active time.
        for party in payload["parties"]:
            for week in range(starts // _WEEK_US, self.last_week + 1):
                for aid in self.attack_weeks.get((party, week), ()):
                    if self._covers(cid, aid) and cid not in self.covers[aid]:
                        self.covers[aid].append(cid)

    # -- results --------------------------------------------------------------------------

    def active(self, at: int | None) -> list[tuple[int, str]]:
        """``(since, id)`` of the commitments active at ``at`` (None: after all), in order."""
        cut = _NEVER - 1 if at is None else at
        out = []
        for cid, (_, starts, until, _) in self.commitments.items():
            end = self.ended.get(cid)
            if starts <= cut and until > cut and (end is None or end > cut):
                out.append((starts, cid))
        out.sort()
        return out

    def violations(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """``(basis, evidence, commitment, denials)`` of every assessment, sorted."""
        out: list[tuple[str, str, str, tuple[str, ...]]] = []
        for aid, covered in self.covers.items():
            denials = tuple(self.denied.get(aid, ()))
            for cid in covered:
                out.append(("candidate", aid, cid, denials))
        for acc_id, accusation in self.accusations.items():
            breach = accusation.get("breach_of")
            cids: set[str] = set()
            if breach is not None:
                cids.add(breach)
            else:  # every commitment binding one of the accused that an incident breaks
                bound = {
                    cid
                    for accused in accusation.get("accused") or ()
                    for party in self._chain(accused)
                    for cid in self.by_party.get(party, ())
                }
                for aid in accusation.get("incidents") or ():
                    if aid in self.attacks:
                        cids.update(cid for cid in bound if self._covers(cid, aid))
            denials = tuple(
                d
                for target in (acc_id, *(accusation.get("incidents") or ()))
                for d in self.denied.get(target, ())
            )
            for cid in cids:
                out.append(("alleged", acc_id, cid, denials))
        for obs_id, (observation, lo, last) in self.observations.items():
            named: str | None = observation.get("commitment")
            if not observation.get("violations"):  # a count of none is evidence of none
                continue
            if named is not None:
                out.append(("observed", obs_id, named, tuple(self.denied.get(obs_id, ()))))
            elif observation.get("attributed_to"):
                for party in self._chain(observation["attributed_to"]):
                    for cid in self.by_party.get(party, ()):
                        if self._during(lo, last, cid) and self._in_scope(
                            self.commitments[cid][0].get("scope"), observation.get("place")
                        ):
                            out.append(("observed", obs_id, cid, ()))
        out.sort()
        return out
