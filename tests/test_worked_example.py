"""The worked example of DESIGN.md, asserted through the public API.

The records are the Reuters report of 31 October 2020 (``datasets.karabakh_oct_2020``);
every answer DESIGN.md lists is checked on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_timeline import (
    ActiveCommitments,
    Basis,
    CasualtyEstimates,
    Gazetteer,
    OpenRequests,
    ReportedViolations,
    RequestLog,
    Status,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.datasets import karabakh_oct_2020

YEREVAN = "Asia/Yerevan"
DAY = "2020-10-31"


@pytest.fixture(params=["memory", "sqlite"])
def timeline(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Timeline]:
    tl = Timeline() if request.param == "memory" else Timeline.open(tmp_path / "k.db")
    tl.append(*karabakh_oct_2020())
    yield tl
    tl.close()


def test_active_commitments_on_31_october(timeline: Timeline) -> None:
    active = timeline.state(ActiveCommitments, at=DAY, tz=YEREVAN)
    assert active.ids() == ("pact-1997", "civilian-protection", "russia-pledge")
    pact = active.get("pact-1997")
    assert pact is not None
    assert pact.parties == ("armenia", "russia")
    assert pact.condition is not None
    assert pact.condition.attack_within == ("armenia-territory",)
    protection = active.get("civilian-protection")
    assert protection is not None
    assert protection.commitment.announced_by == ("minsk-group",)
    assert [s.publisher for s in protection.sources] == ["Reuters"]


def test_the_request_invokes_the_pact_and_russia_responds(timeline: Timeline) -> None:
    log = timeline.state(RequestLog, at=DAY, tz=YEREVAN)
    (request,) = log
    assert request.request.requester == "pashinyan"
    assert request.request.requested_of == "putin"
    assert request.invokes == "pact-1997"
    assert [s.id for s in request.responses] == ["russia-mfa-statement"]
    # By DESIGN's rule a request with a response is no longer open at 31 October...
    assert timeline.state(OpenRequests, at=DAY, tz=YEREVAN).ids() == ()
    # ...but the undated request was possibly open before Russia's statement.
    assert timeline.state(OpenRequests, at="2020-10-30", tz=YEREVAN).ids() == (
        "pashinyan-request",
    )


def test_reported_violations(timeline: Timeline) -> None:
    found = timeline.state(ReportedViolations, at=DAY, tz=YEREVAN)
    alleged = [v for v in found if v.basis is Basis.ALLEGED]
    assert len(alleged) == 1
    (accusation,) = alleged
    assert accusation.commitment == "civilian-protection"
    assert accusation.accuser == "nk-authorities"
    assert accusation.accused == ("azerbaijani-forces",)
    assert accusation.incidents == (
        "stepanakert-market",
        "stepanakert-residential",
        "shushi-shelling",
    )
    assert accusation.status is Status.ALLEGED
    assert [s.publisher for s in accusation.sources] == ["Reuters"]
    assert str(accusation.first_reported) == "2020-10-31 (day, UTC)"
    # By rule: the two strikes on civilian targets are candidates; the Shushi shelling
    # is not, since the article does not say what was hit.
    candidates = sorted(v.evidence for v in found if v.basis is Basis.CANDIDATE)
    assert candidates == ["stepanakert-market", "stepanakert-residential"]
    assert {v.commitment for v in found} == {"civilian-protection"}


def test_no_assistance_pledge_is_triggered(timeline: Timeline) -> None:
    triggers = timeline.state(TriggeredCommitments, at=DAY, tz=YEREVAN)
    assert triggers.ids() == ("pact-1997", "russia-pledge")
    for trigger in triggers:
        assert not trigger.triggered
        assert trigger.considered == 3
        assert "none of the 3 reported attack(s)" in trigger.explanation
        assert dict(trigger.examples)["stepanakert-market"] == (
            "stepanakert -> nagorno-karabakh -> azerbaijan-territory is not within "
            "armenia-territory de jure"
        )


def test_sovereignty_and_control_are_different_relations(timeline: Timeline) -> None:
    places = timeline.state(Gazetteer, at=DAY, tz=YEREVAN)
    assert places.is_within("stepanakert", "azerbaijan-territory")
    assert not places.is_within("stepanakert", "armenia-territory")
    assert places.controller("stepanakert") == "nk-authorities"
    assert places.resolve_place("Khankendi") == "stepanakert"
    assert places.affiliated("azerbaijani-forces", "azerbaijan")


def test_casualty_figure_is_a_claim(timeline: Timeline) -> None:
    (estimate,) = timeline.state(CasualtyEstimates, at=DAY, tz=YEREVAN)
    assert estimate.claimant == "Reuters"
    assert estimate.figure.low == 5000
    assert estimate.figure.best is None
    assert estimate.figure.as_reported == "more than 5,000 innocent civilians"


def test_known_on_30_october_versus_31_october(timeline: Timeline) -> None:
    before = timeline.state(ActiveCommitments, at=DAY, known_at="2020-10-30", tz=YEREVAN)
    after = timeline.state(ActiveCommitments, at=DAY, known_at=DAY, tz=YEREVAN)
    assert before.ids() == ("pact-1997",)
    assert after.ids() == ("pact-1997", "civilian-protection", "russia-pledge")
    assert len(timeline.state(ReportedViolations, at=DAY, known_at="2020-10-30", tz=YEREVAN)) == 0
    assert len(timeline.state(ReportedViolations, at=DAY, known_at=DAY, tz=YEREVAN)) == 3


def test_dates_keep_the_precision_the_article_gives() -> None:
    by_id = {r.id: r for r in karabakh_oct_2020()}
    assert str(by_id["pact-1997"].occurred) == "1997 (year, UTC)"
    assert str(by_id["russia-mfa-statement"].occurred) == "2020-10-31 (day, Europe/Moscow)"
    assert str(by_id["stepanakert-market"].occurred) == (
        "2020-09-27..2020-10-31 (month, Asia/Yerevan)"
    )
