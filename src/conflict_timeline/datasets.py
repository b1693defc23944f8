"""Small, real datasets encoded as records, for examples, tutorials and tests.

``karabakh_oct_2020()`` encodes the Reuters report of 31 October 2020, "Russia Will
Give Armenia 'All Necessary Assistance' If Azerbaijan Attacks Them". Every claim keeps
its source and its claimant, and every date has the precision the article gives:

* The article does not date Pashinyan's request, the civilian-protection commitment,
  the strikes on Stepanakert and Shushi or the accusation. It says they came after the
  war began on 27 September and before the report, so each is recorded as the span
  2020-09-27..2020-10-31 (Yerevan), not as an invented day.
* Russia's foreign-ministry statement is dated Saturday 31 October, in Moscow time.
* The 1997 pact is dated to its year. As a published treaty it is taken as known
  from 1997, not from this article (``reported`` says so, with a note).
* The article says "neighboring areas in the town of Shushi also were affected"; it
  does not say what was hit, so that attack's target class is ``unknown``.
* "More than 5,000" civilian casualties is the article's own claim (no actor is
  named as its source), kept as ``low=5000`` with the wording.
"""

from __future__ import annotations

import datetime as _dt

from ._provenance import Figure, Source
from ._records import (
    Accusation,
    ActorDefined,
    AnyRecord,
    Attack,
    CasualtyReport,
    Commitment,
    Condition,
    ControlChanged,
    PlaceDefined,
    Request,
    Statement,
)
from ._time import TimeExtent

__all__ = ["karabakh_oct_2020"]

YEREVAN = "Asia/Yerevan"
MOSCOW = "Europe/Moscow"

REUTERS = Source(
    publisher="Reuters",
    title="Russia Will Give Armenia 'All Necessary Assistance' If Azerbaijan Attacks Them",
    published=TimeExtent.parse("2020-10-31"),
)


def _since_war_began() -> TimeExtent:
    """From the war's start (27 September) to the report (31 October), in Yerevan."""
    return TimeExtent.from_dates(
        _dt.date(2020, 9, 27), _dt.date(2020, 10, 31), "month", tz=YEREVAN
    )


def karabakh_oct_2020() -> tuple[AnyRecord, ...]:
    """The seed article as records, in an order that appends cleanly (strict mode)."""
    src = (REUTERS,)
    span = _since_war_began()
    return (
        # -- actors -------------------------------------------------------------------
        ActorDefined(id="armenia", name="Armenia", actor_kind="state"),
        ActorDefined(id="azerbaijan", name="Azerbaijan", actor_kind="state"),
        ActorDefined(id="russia", name="Russia", actor_kind="state"),
        ActorDefined(
            id="pashinyan",
            name="Nikol Pashinyan",
            actor_kind="person",
            affiliation="armenia",
            notes="Prime minister of Armenia",
        ),
        ActorDefined(
            id="putin",
            name="Vladimir Putin",
            actor_kind="person",
            affiliation="russia",
            notes="President of Russia",
        ),
        ActorDefined(
            id="russia-mfa",
            name="Russian foreign ministry",
            actor_kind="organization",
            aliases=("the foreign ministry in Moscow",),
            affiliation="russia",
        ),
        ActorDefined(
            id="azerbaijani-forces",
            name="Azerbaijani forces",
            actor_kind="armed_force",
            affiliation="azerbaijan",
        ),
        ActorDefined(
            id="nk-authorities",
            name="Nagorno-Karabakh authorities",
            actor_kind="de_facto_authority",
        ),
        ActorDefined(
            id="minsk-group",
            name="Minsk Group co-chairs",
            actor_kind="mediator",
            aliases=("OSCE Minsk Group co-chairs",),
        ),
        # -- places (de jure tree) ----------------------------------------------------
        PlaceDefined(id="armenia-territory", name="Armenia", place_kind="country"),
        PlaceDefined(id="azerbaijan-territory", name="Azerbaijan", place_kind="country"),
        PlaceDefined(
            id="nagorno-karabakh",
            name="Nagorno-Karabakh",
            place_kind="region",
            parent="azerbaijan-territory",
        ),
        PlaceDefined(
            id="stepanakert",
            name="Stepanakert",
            place_kind="city",
            aliases=("Khankendi",),
            parent="nagorno-karabakh",
            notes="The separatist region's capital",
        ),
        PlaceDefined(
            id="shushi",
            name="Shushi",
            place_kind="town",
            aliases=("Shusha",),
            parent="nagorno-karabakh",
        ),
        ControlChanged(
            id="nk-control-1994",
            occurred=TimeExtent.parse("1994"),
            place="nagorno-karabakh",
            controller="nk-authorities",
            sources=src,
            notes="Ethnic Armenians 'have been taking control of their own affairs ever "
            "since a war there ended in 1994'",
        ),
        # -- commitments --------------------------------------------------------------
        Commitment(
            id="pact-1997",
            occurred=TimeExtent.parse("1997"),
            reported=TimeExtent.parse("1997"),
            sources=src,
            commitment_kind="mutual_defense",
            parties=("armenia", "russia"),
            beneficiaries=("armenia", "russia"),
            condition=Condition(
                attack_within=("armenia-territory",),
                description="an attack on Armenia's sovereign territory; it does not "
                "include Nagorno-Karabakh or the other occupied regions of Azerbaijan",
            ),
            text="1997 mutual defense and security assistance pact between Russia and Armenia",
            notes="A published treaty: known from 1997, not only from this article.",
        ),
        Commitment(
            id="civilian-protection",
            occurred=span,
            sources=src,
            commitment_kind="civilian_protection",
            parties=("armenia", "azerbaijan"),
            announced_by=("minsk-group",),
            prohibits=("attacks_on_civilians", "attacks_on_civilian_objects"),
            text="will not deliberately target civilian populations or non-military objects "
            "in accordance with international humanitarian law",
        ),
        Request(
            id="pashinyan-request",
            occurred=span,
            sources=src,
            requester="pashinyan",
            requested_of="putin",
            summary="urgent talks over security assistance, the first time Armenia calls for "
            "help from Russia under the 1997 pact",
            invokes="pact-1997",
        ),
        Statement(
            id="russia-mfa-statement",
            occurred=TimeExtent.parse("2020-10-31", tz=MOSCOW),
            sources=src,
            speaker="russia-mfa",
            summary="Russia will give Armenia all necessary assistance if clashes take place "
            "directly on Armenia's territory; it asks both sides to halt fire immediately",
            quote="Russia will render Yerevan all necessary assistance if clashes take place "
            "directly on the territory of Armenia",
            responds_to="pashinyan-request",
        ),
        Commitment(
            id="russia-pledge",
            occurred=TimeExtent.parse("2020-10-31", tz=MOSCOW),
            sources=src,
            claimed_by="russia-mfa",
            commitment_kind="assistance_pledge",
            parties=("russia",),
            beneficiaries=("armenia",),
            announced_by=("russia-mfa",),
            condition=Condition(
                attack_within=("armenia-territory",),
                description="if clashes take place directly on the territory of Armenia",
            ),
            text="Russia will render Yerevan all necessary assistance",
        ),
        # -- the strikes the Nagorno-Karabakh authorities report ---------------------------
        Attack(
            id="stepanakert-market",
            occurred=span,
            sources=src,
            claimed_by="nk-authorities",
            perpetrator="azerbaijani-forces",
            target_class="civilian",
            target="a street market",
            means="rockets",
            place="stepanakert",
        ),
        Attack(
            id="stepanakert-residential",
            occurred=span,
            sources=src,
            claimed_by="nk-authorities",
            perpetrator="azerbaijani-forces",
            target_class="civilian",
            target="a residential building",
            means="rockets",
            place="stepanakert",
        ),
        Attack(
            id="shushi-shelling",
            occurred=span,
            sources=src,
            claimed_by="nk-authorities",
            perpetrator="azerbaijani-forces",
            target_class="unknown",
            target="neighboring areas in the town",
            means="shelling",
            place="shushi",
            notes="The article says the areas were affected; it does not say what was hit.",
        ),
        Accusation(
            id="nk-accusation",
            occurred=span,
            sources=src,
            accuser="nk-authorities",
            accused=("azerbaijani-forces",),
            incidents=("stepanakert-market", "stepanakert-residential", "shushi-shelling"),
            breach_of="civilian-protection",
            summary="Shortly after the Minsk Group co-chairs announced the agreement, the "
            "Nagorno-Karabakh authorities accused Azerbaijani forces of firing rockets at "
            "a street market and a residential building in Stepanakert, and of shelling "
            "that affected Shushi",
        ),
        CasualtyReport(
            id="civilian-casualties",
            occurred=span,
            sources=src,
            category="civilian",
            measure="killed_or_injured",
            count=Figure(low=5000, as_reported="more than 5,000 innocent civilians"),
        ),
    )
