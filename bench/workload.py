"""A seeded generator of realistic workloads: many conflicts, each a consistent history.

``generate(n, seed=...)`` returns exactly ``n`` records, built with the public API
(so every record is validated), in an order that appends cleanly in strict mode:
every id a record refers to was generated before it. The same ``n`` and ``seed``
always give the same records.

Shape (per conflict; there are ``n // 1000`` conflicts, at least 10 and at most
1,000, so the 1M workload has about 1,000 of them):

* reference data: two states, each with a government, a leader and armed forces
  (affiliated up to the state), a de facto authority and a militia affiliated with
  it, and a de jure place tree of 2 countries, 6 regions, 12 districts and 36 towns;
* de facto control changes of the disputed regions;
* commitments: ceasefires (scoped to the disputed regions, any attack prohibited),
  humanitarian ceasefires with an ``until``, civilian-protection commitments
  announced by a mediator, and conditional assistance pledges; most of them end
  later (collapsed, superseded, withdrawn, expired) with a ``CommitmentEnded``;
* attacks (about two thirds of all records), a quarter of them on civilian targets,
  at a town, a district or an unknown place, with day, week or month precision,
  reported a few days after they occurred (sometimes weeks);
* accusations naming recent attacks by the other side (some name the commitment
  they breach), denials of accusations, statements (some answering requests),
  requests for help invoking a defence pact, monitors' observations, casualty
  reports, corrections of attacks and accusations, and a few retractions.

Global actors (mediators and monitors) come first. The records of all conflicts are
merged in the order an analyst would append them: by the day they were reported.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Iterator
from typing import Final

import attrs

import conflict_timeline as ct

__all__ = ["conflict_count", "generate"]

_ZONES: Final = (
    "Asia/Yerevan",
    "Asia/Baku",
    "Europe/Kyiv",
    "Africa/Khartoum",
    "Asia/Damascus",
    "Africa/Addis_Ababa",
    "Asia/Kabul",
    "America/Bogota",
    "Africa/Lagos",
    "Asia/Yangon",
    "UTC",
)
_PUBLISHERS: Final = (
    "Reuters",
    "AP",
    "AFP",
    "BBC",
    "Al Jazeera",
    "ACLED",
    "UCDP",
    "OCHA",
    "Local monitor",
)
_MEANS: Final = ("shelling", "rockets", "drone strike", "airstrike", "small arms", "mortar", None)
_TARGETS: Final = {
    ct.TargetClass.CIVILIAN: ("a street market", "a residential block", "a school", "a bus"),
    ct.TargetClass.MILITARY: ("an artillery position", "a checkpoint", "a supply column"),
    ct.TargetClass.INFRASTRUCTURE: ("a power station", "a bridge", "a water plant"),
    ct.TargetClass.MIXED: ("the town centre", "a hospital and a barracks"),
    ct.TargetClass.UNKNOWN: ("", "neighbouring areas"),
}
_TARGET_WEIGHTS: Final = (
    (ct.TargetClass.CIVILIAN, 25),
    (ct.TargetClass.MILITARY, 45),
    (ct.TargetClass.INFRASTRUCTURE, 12),
    (ct.TargetClass.MIXED, 8),
    (ct.TargetClass.UNKNOWN, 10),
)

# Share of the event records (after reference data) by kind, in per mille.
_MIX: Final = (
    ("attack", 690),
    ("accusation", 110),
    ("denial", 55),
    ("statement", 30),
    ("casualties", 35),
    ("observation", 25),
    ("commitment", 14),
    ("request", 6),
    ("control", 5),
    ("correction", 25),
    ("retraction", 5),
)

_FIRST_YEAR: Final = 1995
_LAST_YEAR: Final = 2023


def conflict_count(n: int) -> int:
    """How many conflicts a workload of ``n`` records has."""
    return max(10, min(1_000, n // 1_000))


@attrs.define
class _Times:
    """Day extents of one timezone, cached: most days repeat across records."""

    tz: str
    days: dict[_dt.date, ct.TimeExtent] = attrs.field(factory=dict)
    weeks: dict[_dt.date, ct.TimeExtent] = attrs.field(factory=dict)
    months: dict[tuple[int, int], ct.TimeExtent] = attrs.field(factory=dict)

    def day(self, day: _dt.date) -> ct.TimeExtent:
        found = self.days.get(day)
        if found is None:
            found = ct.TimeExtent.from_dates(day, day, "day", tz=self.tz)
            self.days[day] = found
        return found

    def week(self, day: _dt.date) -> ct.TimeExtent:
        found = self.weeks.get(day)
        if found is None:
            start = day - _dt.timedelta(days=3)
            found = ct.TimeExtent.from_dates(
                start, start + _dt.timedelta(days=6), "week", tz=self.tz
            )
            self.weeks[day] = found
        return found

    def month(self, day: _dt.date) -> ct.TimeExtent:
        key = (day.year, day.month)
        found = self.months.get(key)
        if found is None:
            found = ct.TimeExtent.parse(f"{day.year:04d}-{day.month:02d}", tz=self.tz)
            self.months[key] = found
        return found


_GLOBAL_ACTORS: Final = (
    ct.ActorDefined(id="un", name="United Nations", actor_kind="organization"),
    ct.ActorDefined(
        id="un-monitors",
        name="UN monitoring mission",
        actor_kind="organization",
        affiliation="un",
    ),
    ct.ActorDefined(id="osce", name="OSCE", actor_kind="mediator", aliases=("OSCE Minsk Group",)),
    ct.ActorDefined(id="au", name="African Union", actor_kind="mediator"),
    ct.ActorDefined(id="icrc", name="ICRC", actor_kind="organization"),
    ct.ActorDefined(id="hrw", name="Human Rights Watch", actor_kind="organization"),
)
_MEDIATORS: Final = ("un", "osce", "au")
_MONITORS: Final = ("un-monitors", "icrc", "hrw")


class _Conflict:
    """One conflict's history, generated day by day."""

    def __init__(self, index: int, budget: int, rng: random.Random, times: list[_Times]) -> None:
        self.index = index
        self.rng = rng
        self.budget = budget
        self.p = f"c{index}"
        self.times = times[rng.randrange(len(times))]
        year = rng.randrange(_FIRST_YEAR, _LAST_YEAR)
        self.start = _dt.date(year, 1, 1) + _dt.timedelta(days=rng.randrange(365))
        self.days = rng.randrange(365, 4 * 365)
        self.counter = 0
        self.attacks: list[ct.Attack] = []  # recent attacks (a window)
        self.accusations: list[ct.Accusation] = []
        self.corrected: set[str] = set()
        self.retracted: set[str] = set()
        self.open: list[ct.Commitment] = []  # commitments not yet ended
        self.pacts: list[str] = []
        self.requests: list[str] = []

    def _id(self, kind: str) -> str:
        self.counter += 1
        return f"{self.p}-{kind}-{self.counter}"

    def _sources(self, day: _dt.date, title: str) -> tuple[ct.Source, ...]:
        rng = self.rng
        first = ct.Source(
            publisher=rng.choice(_PUBLISHERS),
            title=title,
            url=f"https://news.example.org/{self.p}/{self.counter}",
            published=self.times.day(day),
        )
        if rng.random() < 0.25:
            second = ct.Source(
                publisher=rng.choice(_PUBLISHERS),
                title=title,
                published=self.times.day(day + _dt.timedelta(days=rng.randrange(1, 4))),
            )
            return (first, second)
        return (first,)

    # -- reference data -----------------------------------------------------------------

    def reference(self) -> list[ct.Record]:
        p, rng = self.p, self.rng
        out: list[ct.Record] = []
        self.sides: list[dict[str, str]] = []
        for side in ("a", "b"):
            state = f"{p}-{side}"
            out.append(ct.ActorDefined(id=state, name=f"State {p}{side}", actor_kind="state"))
            gov = f"{state}-gov"
            out.append(
                ct.ActorDefined(
                    id=gov,
                    name=f"Government of {p}{side}",
                    actor_kind="government",
                    affiliation=state,
                )
            )
            out.append(
                ct.ActorDefined(
                    id=f"{state}-leader",
                    name=f"Leader of {p}{side}",
                    actor_kind="person",
                    affiliation=gov,
                )
            )
            forces = f"{state}-forces"
            out.append(
                ct.ActorDefined(
                    id=forces,
                    name=f"Armed forces of {p}{side}",
                    actor_kind="armed_force",
                    aliases=(f"{p}{side} forces",),
                    affiliation=state,
                )
            )
            self.sides.append({"state": state, "gov": gov, "forces": forces})
        authority = f"{p}-df"
        out.append(
            ct.ActorDefined(
                id=authority, name=f"De facto authority {p}", actor_kind="de_facto_authority"
            )
        )
        militia = f"{p}-militia"
        out.append(
            ct.ActorDefined(
                id=militia,
                name=f"Militia {p}",
                actor_kind="armed_force",
                affiliation=authority,
            )
        )
        self.sides[0]["proxy"] = militia
        self.sides[1]["proxy"] = f"{p}-b-forces"
        self.authority = authority
        self.countries: list[str] = []
        self.regions: list[str] = []
        self.districts: list[str] = []
        self.towns: list[str] = []
        lat0, lon0 = rng.uniform(-30, 50), rng.uniform(-80, 120)
        for side in ("a", "b"):
            country = f"{p}-{side}-territory"
            self.countries.append(country)
            out.append(
                ct.PlaceDefined(id=country, name=f"Country {p}{side}", place_kind="country")
            )
            for r in range(3):
                region = f"{country}-r{r}"
                self.regions.append(region)
                out.append(
                    ct.PlaceDefined(
                        id=region, name=f"Region {p}{side}{r}", place_kind="region", parent=country
                    )
                )
                for d in range(2):
                    district = f"{region}-d{d}"
                    self.districts.append(district)
                    out.append(
                        ct.PlaceDefined(
                            id=district,
                            name=f"District {p}{side}{r}{d}",
                            place_kind="district",
                            parent=region,
                        )
                    )
                    for t in range(3):
                        town = f"{district}-t{t}"
                        self.towns.append(town)
                        out.append(
                            ct.PlaceDefined(
                                id=town,
                                name=f"Town {p}{side}{r}{d}{t}",
                                place_kind="town",
                                aliases=(f"Town {p}-{side}{r}{d}{t}",),
                                parent=district,
                                coordinates=ct.Coordinates(
                                    lat=round(lat0 + rng.uniform(-1, 1), 4),
                                    lon=round(lon0 + rng.uniform(-1, 1), 4),
                                ),
                            )
                        )
        # The disputed regions lie de jure in country b, held de facto by the authority.
        self.disputed = [r for r in self.regions if r.startswith(f"{p}-b-territory-r")][:2]
        return out

    # -- events ---------------------------------------------------------------------------

    def days_iter(self) -> Iterator[tuple[_dt.date, list[ct.Record]]]:
        """Each reporting day with the records reported on it, in append order."""
        rng = self.rng
        events_left = self.budget
        day_index = 0
        kinds = [k for k, _ in _MIX]
        weights = [w for _, w in _MIX]
        # Start with a ceasefire, a pact and the control of the disputed regions.
        first: list[ct.Record] = []
        for region in self.disputed:
            if events_left > 0:
                first.append(self._control(self.start, region, self.authority))
                events_left -= 1
        for maker in (self._pact, self._ceasefire):
            if events_left > 0:
                first.append(maker(self.start))
                events_left -= 1
        yield self.start, first
        while events_left > 0:
            day_index += 1
            remaining_days = max(1, self.days - day_index)
            per_day = events_left / remaining_days
            count = int(per_day) + (1 if rng.random() < per_day - int(per_day) else 0)
            count = min(count, events_left)
            if count == 0:
                continue
            day = self.start + _dt.timedelta(days=day_index)
            out: list[ct.Record] = []
            for kind in rng.choices(kinds, weights, k=count):
                out.append(self._make(kind, day))
            events_left -= count
            yield day, out

    def _make(self, kind: str, day: _dt.date) -> ct.Record:
        if kind == "accusation" and self.attacks:
            return self._accusation(day)
        if kind == "denial" and self.accusations:
            return self._denial(day)
        if kind == "statement":
            return self._statement(day)
        if kind == "casualties":
            return self._casualties(day)
        if kind == "observation":
            return self._observation(day)
        if kind == "commitment":
            return self._commitment(day)
        if kind == "request" and self.pacts:
            return self._request(day)
        if kind == "control":
            return self._control(day, self.rng.choice(self.disputed), self._controller())
        if kind == "correction" and self.attacks:
            return self._correction(day)
        if kind == "retraction" and self.accusations:
            return self._retraction(day)
        return self._attack(day)

    def _controller(self) -> str:
        return self.rng.choice((self.authority, self.sides[1]["state"]))

    def _control(self, day: _dt.date, region: str, who: str) -> ct.ControlChanged:
        return ct.ControlChanged(
            id=self._id("control"),
            occurred=self.times.day(day),
            place=region,
            controller=who,
            sources=self._sources(day, f"{who} takes control of {region}"),
            claimed_by=who,
        )

    def _side(self) -> tuple[dict[str, str], dict[str, str]]:
        i = self.rng.randrange(2)
        return self.sides[i], self.sides[1 - i]

    def _attack(self, day: _dt.date) -> ct.Attack:
        rng = self.rng
        attacker, victim = self._side()
        lag = rng.choice((0, 0, 1, 1, 2, 3, 5, 12))
        when = day - _dt.timedelta(days=lag)
        roll = rng.random()
        occurred = (
            self.times.day(when)
            if roll < 0.85
            else self.times.week(when)
            if roll < 0.95
            else self.times.month(when)
        )
        target_class = rng.choices(
            [t for t, _ in _TARGET_WEIGHTS], [w for _, w in _TARGET_WEIGHTS]
        )[0]
        roll = rng.random()
        perpetrator = (
            attacker["forces"] if roll < 0.6 else attacker["proxy"] if roll < 0.9 else None
        )
        place_roll = rng.random()
        place = (
            rng.choice(self.towns)
            if place_roll < 0.8
            else rng.choice(self.districts)
            if place_roll < 0.95
            else None
        )
        killed = rng.randrange(0, 30) if rng.random() < 0.5 else None
        aid = self._id("attack")
        attack = ct.Attack(
            id=aid,
            occurred=occurred,
            sources=self._sources(day, f"Attack on {place or 'an unknown place'}"),
            claimed_by=victim["gov"] if rng.random() < 0.7 else rng.choice(_MONITORS),
            perpetrator=perpetrator,
            target_class=target_class,
            target=rng.choice(_TARGETS[target_class]),
            means=rng.choice(_MEANS),
            place=place,
            target_actor=victim["state"] if target_class is ct.TargetClass.MILITARY else None,
            fatalities=ct.Figure(low=killed, best=killed + rng.randrange(3))
            if killed is not None
            else None,
        )
        self.attacks.append(attack)
        if len(self.attacks) > 40:
            del self.attacks[:20]
        return attack

    def _accusation(self, day: _dt.date) -> ct.Accusation:
        rng = self.rng
        attack = rng.choice(self.attacks)
        perpetrator = attack.perpetrator or self.sides[rng.randrange(2)]["forces"]
        same = [a for a in self.attacks if a.perpetrator == perpetrator]
        incidents = tuple(dict.fromkeys(a.id for a in rng.sample(same, min(len(same), 3))))
        if not incidents:
            incidents = (attack.id,)
        accuser = next(
            s["gov"] for s in self.sides if perpetrator not in (s["forces"], s["proxy"])
        )
        breach = rng.choice(self.open).id if self.open and rng.random() < 0.3 else None
        accusation = ct.Accusation(
            id=self._id("accusation"),
            occurred=self.times.day(day),
            sources=self._sources(day, f"{accuser} accuses {perpetrator}"),
            accuser=accuser,
            accused=(perpetrator,),
            incidents=incidents,
            breach_of=breach,
            summary="Strikes on civilians in breach of the ceasefire"
            if breach
            else "Deliberate shelling",
        )
        self.accusations.append(accusation)
        if len(self.accusations) > 30:
            del self.accusations[:15]
        return accusation

    def _denial(self, day: _dt.date) -> ct.Denial:
        rng = self.rng
        accusation = rng.choice(self.accusations)
        accused = accusation.accused[0]
        denier = next(s["gov"] for s in self.sides if accused in (s["forces"], s["proxy"]))
        if accused == self.sides[0]["proxy"]:
            denier = self.authority
        return ct.Denial(
            id=self._id("denial"),
            occurred=self.times.day(day),
            sources=self._sources(day, f"{denier} denies the accusation"),
            denier=denier,
            denies=accusation.id if rng.random() < 0.8 else rng.choice(accusation.incidents),
            summary="Denies any involvement",
        )

    def _statement(self, day: _dt.date) -> ct.Statement:
        rng = self.rng
        side, _ = self._side()
        responds = self.requests.pop() if self.requests and rng.random() < 0.5 else None
        return ct.Statement(
            id=self._id("statement"),
            occurred=self.times.day(day),
            sources=self._sources(day, "Statement"),
            speaker=side["state"] + "-leader",
            summary="Calls for restraint" if responds is None else "Answers the request",
            quote="We remain committed to peace." if rng.random() < 0.5 else None,
            responds_to=responds,
        )

    def _casualties(self, day: _dt.date) -> ct.CasualtyReport:
        rng = self.rng
        low = rng.randrange(10, 5_000)
        return ct.CasualtyReport(
            id=self._id("casualties"),
            occurred=self.times.month(day),
            sources=self._sources(day, "Casualty figures"),
            claimed_by=rng.choice((*_MONITORS, self.sides[0]["gov"], self.sides[1]["gov"])),
            category=rng.choice(("civilian", "combatant", "unspecified")),
            measure=rng.choice(("killed", "injured", "displaced")),
            count=ct.Figure(low=low, best=low + rng.randrange(100), as_reported=f"over {low}"),
            place=rng.choice(self.regions) if rng.random() < 0.7 else None,
        )

    def _observation(self, day: _dt.date) -> ct.Observation:
        rng = self.rng
        week = self.times.week(day - _dt.timedelta(days=4))
        commitment = rng.choice(self.open).id if self.open and rng.random() < 0.4 else None
        side, _ = self._side()
        return ct.Observation(
            id=self._id("observation"),
            occurred=week,
            sources=self._sources(day, "Monitoring report"),
            monitor=rng.choice(_MONITORS),
            violations=rng.randrange(0, 60),
            place=rng.choice(self.disputed),
            commitment=commitment,
            attributed_to=side["forces"] if rng.random() < 0.5 else None,
        )

    def _commitment(self, day: _dt.date) -> ct.Record:
        rng = self.rng
        if self.open and rng.random() < 0.55:
            return self._end(day)
        roll = rng.random()
        if roll < 0.45:
            return self._ceasefire(day)
        if roll < 0.7:
            return self._humanitarian(day)
        if roll < 0.9:
            return self._protection(day)
        return self._pact(day)

    def _parties(self) -> tuple[str, ...]:
        return (self.sides[0]["state"], self.sides[1]["state"], self.authority)

    def _commit(self, commitment: ct.Commitment) -> ct.Commitment:
        self.open.append(commitment)
        return commitment

    def _ceasefire(self, day: _dt.date) -> ct.Commitment:
        effective = self.times.day(day + _dt.timedelta(days=self.rng.randrange(0, 3)))
        return self._commit(
            ct.Commitment(
                id=self._id("ceasefire"),
                occurred=self.times.day(day),
                sources=self._sources(day, "Ceasefire agreed"),
                claimed_by=self.rng.choice(_MEDIATORS),
                commitment_kind="ceasefire",
                parties=self._parties(),
                announced_by=(self.rng.choice(_MEDIATORS),),
                prohibits=("any_attack",),
                scope=ct.Scope(include=tuple(self.disputed)),
                effective=effective,
                text="The parties agree to cease all hostilities in the disputed regions.",
            )
        )

    def _humanitarian(self, day: _dt.date) -> ct.Commitment:
        until = self.times.day(day + _dt.timedelta(days=self.rng.randrange(2, 8)))
        return self._commit(
            ct.Commitment(
                id=self._id("humanitarian"),
                occurred=self.times.day(day),
                sources=self._sources(day, "Humanitarian truce"),
                claimed_by=self.rng.choice(_MEDIATORS),
                commitment_kind="humanitarian_ceasefire",
                parties=self._parties(),
                beneficiaries=(self.sides[1]["state"],),
                prohibits=("any_attack",),
                until=until,
                text="A humanitarian truce to exchange prisoners and bodies.",
            )
        )

    def _protection(self, day: _dt.date) -> ct.Commitment:
        mediator = self.rng.choice(_MEDIATORS)
        return self._commit(
            ct.Commitment(
                id=self._id("protection"),
                occurred=self.times.day(day),
                sources=self._sources(day, "Parties commit not to target civilians"),
                claimed_by=mediator,
                commitment_kind="civilian_protection",
                parties=self._parties(),
                announced_by=(mediator,),
                prohibits=("attacks_on_civilians", "attacks_on_civilian_objects"),
                text="Not to deliberately target civilian populations or objects.",
            )
        )

    def _pact(self, day: _dt.date) -> ct.Commitment:
        a, b = self.sides[0], self.sides[1]
        pact = ct.Commitment(
            id=self._id("pact"),
            occurred=self.times.month(day),
            sources=self._sources(day, "Assistance pledged"),
            claimed_by=a["gov"],
            commitment_kind="assistance_pledge",
            parties=(a["state"],),
            beneficiaries=(b["state"],),
            condition=ct.Condition(
                attack_within=(self.countries[1],),
                by=(self.authority,),
                description="if the sovereign territory of the beneficiary is attacked",
            ),
            text="All necessary assistance if attacked.",
        )
        self.pacts.append(pact.id)
        return pact

    def _end(self, day: _dt.date) -> ct.CommitmentEnded:
        rng = self.rng
        commitment = self.open.pop(rng.randrange(len(self.open)))
        reason = rng.choice(("collapsed", "collapsed", "withdrawn", "expired", "superseded"))
        superseded_by = None
        if reason == "superseded":
            if self.open:
                superseded_by = self.open[-1].id
            else:
                reason = "collapsed"
        return ct.CommitmentEnded(
            id=self._id("ended"),
            occurred=self.times.day(day),
            sources=self._sources(day, "Commitment ends"),
            claimed_by=rng.choice(_MEDIATORS),
            commitment=commitment.id,
            reason=reason,
            superseded_by=superseded_by,
        )

    def _request(self, day: _dt.date) -> ct.Request:
        a, b = self.sides[0], self.sides[1]
        rid = self._id("request")
        self.requests.append(rid)
        return ct.Request(
            id=rid,
            occurred=self.times.day(day),
            sources=self._sources(day, "Help requested"),
            requester=b["state"] + "-leader",
            requested_of=a["state"] + "-leader",
            summary="Asks for urgent consultations on assistance",
            invokes=self.rng.choice(self.pacts),
        )

    def _correction(self, day: _dt.date) -> ct.Record:
        rng = self.rng
        candidates = [a for a in self.attacks if a.id not in self.corrected]
        if not candidates:
            return self._attack(day)
        original = rng.choice(candidates)
        self.corrected.add(original.id)
        killed = rng.randrange(0, 40)
        replacement = attrs.evolve(
            original,
            fatalities=ct.Figure(low=killed, best=killed + 1),
            target_class=rng.choice(("civilian", "military", "mixed")),
        )
        return ct.Correction(
            id=self._id("correction"),
            occurred=original.occurred,
            sources=self._sources(day, "Correction"),
            claimed_by=original.claimed_by,
            corrects=original.id,
            replacement=replacement,
            reason="Revised casualty figures and target",
        )

    def _retraction(self, day: _dt.date) -> ct.Record:
        rng = self.rng
        candidates = [a for a in self.accusations if a.id not in self.retracted]
        if not candidates:
            return self._attack(day)
        target = rng.choice(candidates)
        self.retracted.add(target.id)
        return ct.Retraction(
            id=self._id("retraction"),
            occurred=self.times.day(day),
            sources=self._sources(day, "Retraction"),
            claimed_by=target.claimed_by,
            retracts=target.id,
            reason="The accuser withdrew the claim",
        )


def generate(n: int, *, seed: int = 20201031) -> list[ct.Record]:
    """Exactly ``n`` valid records that append cleanly (strict) in the order given."""
    if n < 1_000:
        msg = f"a workload needs at least 1,000 records, got {n}"
        raise ValueError(msg)
    rng = random.Random(seed)
    conflicts = conflict_count(n)
    out: list[ct.Record] = list(_GLOBAL_ACTORS)
    generators = []
    times = [_Times(tz) for tz in _ZONES]  # shared: records of a day share its extent
    reference: list[ct.Record] = []
    for index in range(conflicts):
        conflict = _Conflict(index, 0, random.Random(rng.getrandbits(64)), times)
        reference.extend(conflict.reference())
        generators.append(conflict)
    out.extend(reference)
    events = n - len(out)
    if events < conflicts:
        msg = f"{n} records is too few for {conflicts} conflicts"
        raise ValueError(msg)
    for index, conflict in enumerate(generators):
        conflict.budget = events // conflicts + (1 if index < events % conflicts else 0)
    keyed: list[tuple[_dt.date, int, int, ct.Record]] = []
    for conflict in generators:
        seq = 0
        for day, records in conflict.days_iter():
            for record in records:
                keyed.append((day, conflict.index, seq, record))
                seq += 1
    keyed.sort(key=lambda item: item[:3])
    out.extend(item[3] for item in keyed)
    assert len(out) == n, (len(out), n)
    return out
