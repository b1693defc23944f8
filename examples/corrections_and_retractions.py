"""A correction and a retraction, seen from different points in knowledge time.

A monitor reports on 3 March that a school was hit on 2 March. On 10 March it corrects
the report (the target was a barracks); on 20 March it withdraws the report. Nothing is
deleted: each question "as known on <date>" sees the record as it stood then. The
events are invented for illustration.
"""

from __future__ import annotations

from typing import ClassVar

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    PlaceDefined,
    Recorded,
    ReportedViolations,
    Retraction,
    Source,
    Timeline,
    View,
)


class AttacksOnRecord(View[tuple[str, ...], tuple[str, ...]]):
    """A one-line view: each attack on record, as "id: target (target class)"."""

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack"})

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        attack = recorded.record
        assert isinstance(attack, Attack)
        return (*state, f"{attack.id}: {attack.target} ({attack.target_class.value})")


def monitor(day: str) -> tuple[Source, ...]:
    return (Source(publisher="Example Monitor", title="daily report", published=day),)


def build() -> Timeline:
    timeline = Timeline()
    timeline.append(
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
        PlaceDefined(id="south-land", name="South", place_kind="country"),
        PlaceDefined(id="river-town", name="River Town", place_kind="town", parent="south-land"),
        Commitment(
            id="truce",
            occurred="2024-03-01",
            sources=monitor("2024-03-01"),
            commitment_kind="ceasefire",
            parties=("north", "south"),
            prohibits=("attacks_on_civilians",),
            text="no attacks on civilians",
        ),
        Attack(
            id="strike",
            occurred="2024-03-02",
            sources=monitor("2024-03-03"),
            perpetrator="north",
            target_class="civilian",
            target="a school",
            place="river-town",
        ),
    )
    original = timeline.get("strike").record
    assert isinstance(original, Attack)
    timeline.append(
        original.corrected(
            id="strike-fix",
            source=monitor("2024-03-10"),
            reason="the monitor's team visited the site",
            target_class="military",
            target="a barracks",
        ),
        Retraction(
            id="strike-withdrawn",
            occurred="2024-03-20",
            sources=monitor("2024-03-20"),
            retracts="strike",
            reason="the report could not be confirmed",
        ),
    )
    return timeline


def main() -> None:
    timeline = build()
    print("The timeline holds every version; each date sees what was known then.")
    for known in ("2024-03-05", "2024-03-12", "2024-03-25"):
        attacks = timeline.state(AttacksOnRecord, known_at=known)
        violations = timeline.state(ReportedViolations, known_at=known)
        print(f"* as known on {known}:")
        print(f"    attacks on record: {', '.join(attacks) or 'none'}")
        print(f"    candidate violations of the truce: {len(violations)}")
    print(f"{len(timeline)} records stored; the report, its correction and retraction all stay.")
    timeline.close()


if __name__ == "__main__":
    main()
