"""``datasets.karabakh_oct_2020``: the rules its docstring states about how the seed
article (Reuters, 31 October 2020) is encoded, each written out by hand."""

from __future__ import annotations

from conflict_timeline import Attack, CasualtyReport, Commitment
from conflict_timeline.datasets import karabakh_oct_2020

SPAN = "2020-09-27..2020-10-31 (month, Asia/Yerevan)"
DEFINITIONS = {"ActorDefined", "PlaceDefined"}


def test_what_the_article_does_not_date_is_the_span_of_the_war_not_a_day() -> None:
    """The docstring: "The article does not date Pashinyan's request, the civilian-protection
    commitment, the strikes on Stepanakert and Shushi or the accusation. ... each is
    recorded as the span 2020-09-27..2020-10-31 (Yerevan), not as an invented day."
    """
    by_id = {r.id: r for r in karabakh_oct_2020()}
    undated = (
        "pashinyan-request",
        "civilian-protection",
        "stepanakert-market",
        "stepanakert-residential",
        "shushi-shelling",
        "nk-accusation",
    )
    assert {rid: str(by_id[rid].occurred) for rid in undated} == dict.fromkeys(undated, SPAN)


def test_what_the_article_dates_keeps_the_date_it_gives() -> None:
    """The docstring: "Russia's foreign-ministry statement is dated Saturday 31 October, in Moscow
    time" (and so is the pledge it makes); "The 1997 pact is dated to its year"; the
    control since "a war there ended in 1994", to its year."""
    by_id = {r.id: r for r in karabakh_oct_2020()}
    assert str(by_id["russia-mfa-statement"].occurred) == "2020-10-31 (day, Europe/Moscow)"
    assert str(by_id["russia-pledge"].occurred) == "2020-10-31 (day, Europe/Moscow)"
    assert str(by_id["pact-1997"].occurred) == "1997 (year, UTC)"
    assert str(by_id["nk-control-1994"].occurred) == "1994 (year, UTC)"


def test_every_claim_keeps_its_source_and_its_claimant() -> None:
    """The docstring: "Every claim keeps its source and its claimant": every record but the
    definitions of actors and places cites the Reuters report; the strikes are the
    Nagorno-Karabakh authorities' claims, the pledge the foreign ministry's, and the
    casualty figure "is the article's own claim (no actor is named as its source)"."""
    records = karabakh_oct_2020()
    claims = [r for r in records if type(r).__name__ not in DEFINITIONS]
    assert len(claims) == 11
    assert {r.id: [s.publisher for s in r.sources] for r in claims} == {
        r.id: ["Reuters"] for r in claims
    }
    assert {r.id: r.claimed_by for r in claims if isinstance(r, Attack)} == {
        "stepanakert-market": "nk-authorities",
        "stepanakert-residential": "nk-authorities",
        "shushi-shelling": "nk-authorities",
    }
    by_id = {r.id: r for r in claims}
    pledge = by_id["russia-pledge"]
    assert isinstance(pledge, Commitment)
    assert pledge.claimed_by == "russia-mfa"
    casualties = by_id["civilian-casualties"]
    assert isinstance(casualties, CasualtyReport)
    assert casualties.claimed_by is None
