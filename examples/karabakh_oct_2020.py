"""The seed article, asked what was in force, claimed and known on 31 October 2020.

The Reuters report "Russia Will Give Armenia 'All Necessary Assistance' If Azerbaijan
Attacks Them" (31 October 2020) is encoded as records in
``conflict_timeline/datasets.py``: every claim with its source and its claimant, every
date with the precision the article gives. This script loads those records into a
timeline and prints, in words, what the timeline answers for 31 October 2020 (Yerevan
time), then what changes between "as known on 30 October" and "as known on 31 October".

Run it with ``python3 tasks.py example`` (or ``python examples/karabakh_oct_2020.py``
inside the project's environment). Pass a file name to keep the timeline in SQLite.
"""

from __future__ import annotations

import sys

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    Basis,
    CasualtyEstimates,
    Gazetteer,
    ReportedViolations,
    RequestLog,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.datasets import karabakh_oct_2020

DAY = "2020-10-31"
TZ = "Asia/Yerevan"


def names(timeline: Timeline) -> dict[str, str]:
    """Display names for actor and place ids, from the timeline's own records."""
    places = timeline.state(Gazetteer, tz=TZ)
    return {i: a.name for i, a in places.actors.items()} | {
        i: p.name for i, p in places.places.items()
    }


def and_join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def heading(text: str) -> None:
    print()
    print(text)
    print("-" * len(text))


class Report:
    """Prints the answers for one timeline, section by section."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.who = names(timeline)
        self.places = timeline.state(Gazetteer, at=DAY, tz=TZ)

    def people(self, ids: tuple[str, ...]) -> str:
        return and_join([self.who.get(i, i) for i in ids])

    def attack(self, attack_id: str) -> Attack:
        record = self.timeline.get(attack_id).record
        assert isinstance(record, Attack)
        return record

    def incident(self, attack_id: str) -> str:
        attack = self.attack(attack_id)
        return f"{attack.target}, {self.who.get(attack.place or '', '?')} ({attack.means})"

    def where(self, place: str) -> str:
        return " in ".join(self.who[p] for p in (place, *self.places.ancestors(place)))

    def commitments(self) -> None:
        timeline = self.timeline
        heading("Commitments in force")
        for active in timeline.state(ActiveCommitments, at=DAY, tz=TZ):
            c = active.commitment
            print(f'* "{c.text}"')
            if c.beneficiaries and c.beneficiaries != c.parties:
                print(f"    given by {self.people(c.parties)} to {self.people(c.beneficiaries)}")
            else:
                print(f"    between {self.people(c.parties)}")
            print(f"    in force since {active.since}")
            if c.announced_by:
                print(f"    announced by {self.people(c.announced_by)}")
            if c.condition is not None:
                print(f"    on condition of {c.condition.description.removeprefix('if ')}")
            print(f"    source: {', '.join(s.publisher for s in active.sources)}")

    def requests(self) -> None:
        timeline, who = self.timeline, self.who
        heading("Requests for help")
        for status in timeline.state(RequestLog, at=DAY, tz=TZ):
            r = status.request
            print(f"* {who[r.requester]} asked {who[r.requested_of]} for {r.summary}.")
            print(f"    when: {r.occurred}: after the war began; the article gives no day")
            if status.open:
                print("    No response is recorded: the request is open.")
            else:
                for answer in status.responses:
                    print(f"    Answered by {who[answer.speaker]} on {answer.occurred}:")
                    print(f'      "{answer.quote}"')
            was_open = timeline.state(RequestLog, at="2020-10-30", tz=TZ).get(status.id)
            if was_open is not None and was_open.open:
                print("    On 30 October it was still open: no response had been made.")

    def violations(self) -> None:
        timeline, who = self.timeline, self.who
        heading("Reported violations")
        found = timeline.state(ReportedViolations, at=DAY, tz=TZ)
        for v in found:
            if v.basis is Basis.ALLEGED:
                print(f"* ALLEGED by {who[v.accuser or '']} against {self.people(v.accused)},")
                print(f"    as a breach of the commitment '{v.commitment}':")
                for attack_id in v.incidents:
                    print(f"      - {self.incident(attack_id)}")
                print(f"    status: {v.status.value}; first reported {v.first_reported}")
                print(f"    source: {', '.join(s.publisher for s in v.sources)}")
        for v in found:
            if v.basis is Basis.CANDIDATE:
                print(f"* CANDIDATE: {self.incident(v.evidence)}: an attack on civilians, by")
                print(f"    a party to '{v.commitment}' while it was in force (derived by rule,")
                print("    not a finding: nobody has verified it)")
        print("  (The Shushi shelling is alleged but not a candidate: the article does not say")
        print("   what was hit, so the rule cannot tell whether civilians were targeted.)")

    def triggers(self) -> None:
        timeline = self.timeline
        heading("Triggered pledges")
        for trigger in timeline.state(TriggeredCommitments, at=DAY, tz=TZ):
            verdict = "TRIGGERED" if trigger.triggered else "not triggered"
            condition = trigger.commitment.condition
            print(f'* "{trigger.commitment.text}": {verdict}')
            if condition is not None:
                print(f"    on condition of {condition.description.removeprefix('if ')}")
            print(
                f"    {trigger.considered} attack(s) reported in its period and scope, "
                "none on that territory:"
            )
            for attack_id, _why in trigger.examples:
                attack = timeline.get(attack_id).record
                assert isinstance(attack, Attack)
                print(f"      - {attack_id}: {self.where(attack.place or '')} (de jure)")

    def casualties(self) -> None:
        timeline = self.timeline
        heading("Casualties (claims, not facts)")
        for estimate in timeline.state(CasualtyEstimates, at=DAY, tz=TZ):
            f = estimate.figure
            print(
                f"* {estimate.claimant} reports {f.as_reported!r} "
                f"({estimate.category.value}, {estimate.measure.value.replace('_', ' ')}),"
            )
            print(f"    kept as at least {f.low}, with no best estimate; the report names no")
            print("    one behind the figure, so the claim is the publisher's own")

    def knowledge(self) -> None:
        timeline = self.timeline
        heading("As known on 30 October, and on 31 October")
        for known in ("2020-10-30", DAY):
            active = timeline.state(ActiveCommitments, at=DAY, known_at=known, tz=TZ)
            violations = timeline.state(ReportedViolations, at=DAY, known_at=known, tz=TZ)
            print(
                f"* known on {known}: {len(active)} commitment(s) in force "
                f"({', '.join(active.ids())}); {len(violations)} reported violation(s)"
            )
        print("  The pact of 1997 was public long before; everything else in the timeline")
        print("  became known through the report of 31 October.")
        found = timeline.changes(ReportedViolations, known_from="2020-10-30", known_to=DAY, at=DAY)
        entered = [change.id for change in found.of("entered")]
        print(f"  Reported violations that became known on 31 October: {', '.join(entered)}")

    def integrity(self) -> None:
        verification = self.timeline.verify()
        print()
        state = "intact" if verification.ok else f"BROKEN at {verification.first_bad}"
        print(f"Hash chain: {state} over {verification.checked} records.")


def main(path: str | None = None) -> None:
    # Dates in questions are read in Yerevan time unless a question says otherwise.
    timeline = Timeline.open(path, tz=TZ) if path else Timeline(tz=TZ)
    timeline.append(*karabakh_oct_2020())  # appending the same records again is a no-op
    print(f"A timeline of {len(timeline)} records from one Reuters report (31 October 2020).")
    print(f"Questions are asked for {DAY}, Yerevan time, with everything recorded.")
    report = Report(timeline)
    for section in (
        report.commitments,
        report.requests,
        report.violations,
        report.triggers,
        report.casualties,
        report.knowledge,
        report.integrity,
    ):
        section()
    timeline.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
