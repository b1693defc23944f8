"""Record kinds: every rule is checked at construction, with a message that says where."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given

from conflict_timeline import (
    Accusation,
    ActorDefined,
    AnyRecord,
    Attack,
    CasualtyCategory,
    CasualtyMeasure,
    CasualtyReport,
    Codes,
    Commitment,
    CommitmentEnded,
    CommitmentKind,
    Condition,
    ControlChanged,
    Coordinates,
    Correction,
    Denial,
    EndReason,
    Figure,
    InvalidRecordError,
    InvalidTimeError,
    Observation,
    PlaceDefined,
    PlaceKind,
    Precision,
    Prohibition,
    Request,
    Retraction,
    Scope,
    Source,
    Statement,
    Status,
    TargetClass,
    TimeExtent,
    references,
    to_json,
)
from conflict_timeline.strategies import records

DAY = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")


def attack(**changes: Any) -> Attack:
    fields: dict[str, Any] = {"id": "attack-1", "occurred": DAY}
    fields.update(changes)
    return Attack(**fields)


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("bad", ["", "   ", " attack-1", "attack-1\n", None, 7])
def test_ids_must_be_non_empty_text_without_surrounding_spaces(bad: object) -> None:
    with pytest.raises(
        InvalidRecordError,
        match=r"Attack\.id must be non-empty text without surrounding spaces, got "
        + re.escape(repr(bad)),
    ):
        attack(id=bad)


@pytest.mark.parametrize("bad", ["", "  ", None])
def test_required_references_must_be_non_empty_ids(bad: object) -> None:
    with pytest.raises(
        InvalidRecordError, match=r"ControlChanged 'c1': place: must be a non-empty id, got"
    ):
        ControlChanged(id="c1", occurred=DAY, place=bad, controller="nk")  # type: ignore[arg-type]


def test_id_tuples_refuse_a_bare_string_duplicates_and_blanks() -> None:
    with pytest.raises(
        InvalidRecordError, match=r"Accusation 'acc': accused: must be a tuple of ids, got 'az'"
    ):
        Accusation(id="acc", occurred=DAY, accuser="nk", accused="az", incidents=("attack-1",))
    with pytest.raises(InvalidRecordError, match=r"accused: lists an id twice: \('az', 'az'\)"):
        Accusation(id="acc", occurred=DAY, accuser="nk", accused=["az", "az"], incidents=["a"])
    with pytest.raises(InvalidRecordError, match=r"accused\[1\]: must be a non-empty id, got ''"):
        Accusation(id="acc", occurred=DAY, accuser="nk", accused=("az", ""), incidents=("a",))
    with pytest.raises(InvalidRecordError, match=r"accused: must name at least one id"):
        Accusation(id="acc", occurred=DAY, accuser="nk", accused=(), incidents=("a",))


def test_lists_and_sets_of_ids_become_tuples() -> None:
    accusation = Accusation(
        id="acc",
        occurred=DAY,
        accuser="nk",
        accused=["az"],
        incidents={"attack-1"},
    )
    assert accusation.accused == ("az",)
    assert accusation.incidents == ("attack-1",)


# ------------------------------------------------------------------------- enums


def test_enum_values_may_be_given_as_their_text() -> None:
    record = attack(target_class="civilian", status="corroborated")
    assert record.target_class is TargetClass.CIVILIAN
    assert record.status is Status.CORROBORATED


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (
            lambda: attack(target_class="school"),
            (
                r"Attack 'attack-1': target_class: unknown value 'school'; expected one of "
                r"civilian, military, infrastructure, mixed, unknown"
            ),
        ),
        (
            lambda: attack(status="confirmed"),
            (
                r"Attack 'attack-1': status: unknown value 'confirmed'; expected one of "
                r"alleged, disputed, corroborated, verified"
            ),
        ),
        (
            lambda: ActorDefined(id="a", name="A", actor_kind="militia"),
            (
                r"ActorDefined 'a': actor_kind: unknown value 'militia'; expected one of state, "
                r"government, armed_force, de_facto_authority, mediator, person, organization"
            ),
        ),
        (
            lambda: PlaceDefined(id="p", name="P", place_kind="planet"),
            (
                r"place_kind: unknown value 'planet'; expected one of country, region, district, "
                r"city, town, village, site, area"
            ),
        ),
        (
            lambda: Commitment(id="c", occurred=DAY, commitment_kind="truce", parties=("a",)),
            (
                r"Commitment 'c': commitment_kind: unknown value 'truce'; expected one of "
                r"ceasefire, humanitarian_ceasefire, civilian_protection, mutual_defense, "
                r"assistance_pledge, agreement"
            ),
        ),
        (
            lambda: Commitment(
                id="c",
                occurred=DAY,
                commitment_kind="ceasefire",
                parties=("a",),
                prohibits=("any_attack", "looting"),
            ),
            (
                r"Commitment 'c': prohibits\[1\]: unknown value 'looting'; expected one of "
                r"any_attack, attacks_on_civilians, attacks_on_civilian_objects"
            ),
        ),
        (
            lambda: CommitmentEnded(id="e", occurred=DAY, commitment="c", reason="forgotten"),
            (
                r"CommitmentEnded 'e': reason: unknown value 'forgotten'; expected one of "
                r"expired, withdrawn, superseded, collapsed, unstated"
            ),
        ),
        (
            lambda: CasualtyReport(
                id="r",
                occurred=DAY,
                category="animals",
                measure="killed",
                count=Figure(best=1),
            ),
            r"category: unknown value 'animals'; expected one of civilian, combatant, unspecified",
        ),
        (
            lambda: CasualtyReport(
                id="r",
                occurred=DAY,
                category="civilian",
                measure="missing",
                count=Figure(best=1),
            ),
            (
                r"measure: unknown value 'missing'; expected one of killed, injured, "
                r"killed_or_injured, displaced"
            ),
        ),
    ],
)
def test_unknown_enum_values_list_the_allowed_ones(build: Any, match: str) -> None:
    with pytest.raises(InvalidRecordError, match=match):
        build()


def test_prohibitions_cover_target_classes() -> None:
    assert Prohibition.ANY_ATTACK.covers(TargetClass.UNKNOWN)
    assert Prohibition.ATTACKS_ON_CIVILIANS.covers(TargetClass.MIXED)
    assert not Prohibition.ATTACKS_ON_CIVILIANS.covers(TargetClass.MILITARY)
    assert not Prohibition.ATTACKS_ON_CIVILIANS.covers(TargetClass.UNKNOWN)
    assert Prohibition.ATTACKS_ON_CIVILIAN_OBJECTS.covers(TargetClass.INFRASTRUCTURE)
    assert not Prohibition.ATTACKS_ON_CIVILIAN_OBJECTS.covers(TargetClass.CIVILIAN)


# ----------------------------------------------------------------------- figures


def test_figures_keep_low_best_high_and_the_wording() -> None:
    figure = Figure(low=5000, as_reported="more than 5,000 civilians")
    assert (figure.low, figure.best, figure.high) == (5000, None, None)
    assert Figure(low=1, best=1, high=1).best == 1
    # The largest count JSON and SQLite hold exactly is the largest a figure takes.
    assert Figure(high=9_223_372_036_854_775_807).high == 9_223_372_036_854_775_807


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"low": 10, "best": 5}, r"Figure: low 10 > best 5; expected low <= best <= high"),
        ({"best": 10, "high": 5}, r"Figure: best 10 > high 5; expected low <= best <= high"),
        ({"low": 10, "high": 5}, r"Figure: low 10 > high 5; expected low <= best <= high"),
        ({"low": 6, "best": 5}, r"Figure: low 6 > best 5; expected low <= best <= high"),
        ({}, r"Figure needs at least one of low, best, high"),
        ({"as_reported": "many"}, r"Figure needs at least one of low, best, high"),
        ({"low": -1}, r"Figure\.low must be a whole number >= 0, got -1"),
        ({"best": 2.5}, r"Figure\.best must be a whole number >= 0, got 2\.5"),
        ({"high": True}, r"Figure\.high must be a whole number >= 0, got True"),
        ({"best": 2**63}, r"Figure\.best must be below 2\*\*63, got a 64-bit number"),
    ],
)
def test_figure_rules(fields: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidRecordError, match=match):
        Figure(**fields)


def test_casualty_report_needs_a_figure() -> None:
    with pytest.raises(InvalidRecordError, match=r"CasualtyReport 'r': count: must be a Figure"):
        CasualtyReport(
            id="r",
            occurred=DAY,
            category=CasualtyCategory.CIVILIAN,
            measure=CasualtyMeasure.KILLED,
            count=5,  # type: ignore[arg-type]
        )


# ------------------------------------------------------------------- commitments


def test_commitment_effective_defaults_to_occurred() -> None:
    pact = Commitment(
        id="pact-1997",
        occurred="1997-08-29",
        commitment_kind="mutual_defense",
        parties=("ru", "am"),
    )
    assert pact.effective == TimeExtent.parse("1997-08-29")
    assert pact.starts == pact.effective
    assert pact.until is None
    assert pact.scope == Scope()


def test_commitment_until_may_not_be_before_effective() -> None:
    with pytest.raises(
        InvalidRecordError,
        match=r"Commitment 'truce': until: 2020-10-01 \(day, UTC\) is before effective "
        r"2020-10-10 \(day, UTC\)",
    ):
        Commitment(
            id="truce",
            occurred="2020-10-10",
            commitment_kind="ceasefire",
            parties=("am", "az"),
            until="2020-10-01",
        )


def test_commitment_until_may_overlap_its_start() -> None:
    truce = Commitment(
        id="truce",
        occurred="2020-10-10",
        effective="2020-10-10T12",
        commitment_kind="humanitarian_ceasefire",
        parties=("am", "az"),
        until="2020-10-10",
    )
    assert truce.until == TimeExtent.parse("2020-10-10")


def test_commitment_needs_parties() -> None:
    with pytest.raises(InvalidRecordError, match=r"Commitment 'c': parties: must name at least"):
        Commitment(id="c", occurred=DAY, commitment_kind="ceasefire", parties=())


def test_condition_needs_a_place_or_a_target() -> None:
    with pytest.raises(InvalidRecordError, match=r"needs attack_within \(places\), against"):
        Condition(attack_within=())


def test_commitment_ended_rules() -> None:
    ended = CommitmentEnded(
        id="e", occurred=DAY, commitment="c1", reason="superseded", superseded_by="c2"
    )
    assert ended.reason is EndReason.SUPERSEDED
    with pytest.raises(
        InvalidRecordError,
        match=r"CommitmentEnded 'e': superseded_by: is set but reason is 'collapsed'",
    ):
        CommitmentEnded(
            id="e", occurred=DAY, commitment="c1", reason="collapsed", superseded_by="c2"
        )
    with pytest.raises(InvalidRecordError, match=r"a commitment cannot supersede itself"):
        CommitmentEnded(
            id="e", occurred=DAY, commitment="c1", reason="superseded", superseded_by="c1"
        )


# -------------------------------------------------------------- other kind rules


def test_request_of_oneself_is_refused() -> None:
    with pytest.raises(
        InvalidRecordError,
        match=r"Request 'r': requested_of: an actor cannot request help of itself",
    ):
        Request(id="r", occurred=DAY, requester="am", requested_of="am", summary="help")


def test_accusation_names_incidents_or_a_breach() -> None:
    with pytest.raises(
        InvalidRecordError,
        match=r"Accusation 'acc': incidents: an accusation names incidents, a breach, or both",
    ):
        Accusation(id="acc", occurred=DAY, accuser="nk", accused=("az",))
    assert (
        Accusation(id="acc", occurred=DAY, accuser="nk", accused=("az",), breach_of="c1").incidents
        == ()
    )


def test_observation_counts_are_whole_numbers() -> None:
    with pytest.raises(
        InvalidRecordError, match=r"Observation 'o': violations: must be a whole number >= 0"
    ):
        Observation(id="o", occurred=DAY, monitor="osce", violations=-1)
    with pytest.raises(InvalidRecordError, match=r"violations: must be a whole number >= 0"):
        Observation(id="o", occurred=DAY, monitor="osce", violations=True)
    with pytest.raises(InvalidRecordError, match=r"violations: must be a int, got '3'"):
        Observation(id="o", occurred=DAY, monitor="osce", violations="3")  # type: ignore[arg-type]


def test_actors_and_places_do_not_point_at_themselves() -> None:
    with pytest.raises(
        InvalidRecordError,
        match=r"ActorDefined 'am': affiliation: an actor cannot be affiliated with itself",
    ):
        ActorDefined(id="am", name="Armenia", actor_kind="state", affiliation="am")
    with pytest.raises(
        InvalidRecordError, match=r"PlaceDefined 'stp': parent: a place cannot be its own parent"
    ):
        PlaceDefined(id="stp", name="Stepanakert", place_kind="city", parent="stp")


def test_actor_and_place_definitions_are_timeless_by_default() -> None:
    actor = ActorDefined(id="am", name="Armenia", actor_kind="state")
    place = PlaceDefined(id="stp", name="Stepanakert", place_kind=PlaceKind.CITY)
    assert actor.occurred.is_timeless
    assert place.occurred.is_timeless


def test_names_and_summaries_must_not_be_blank() -> None:
    with pytest.raises(InvalidRecordError, match=r"ActorDefined 'am': name: must be non-empty"):
        ActorDefined(id="am", name="  ", actor_kind="state")
    with pytest.raises(InvalidRecordError, match=r"Statement 's': summary: must be non-empty"):
        Statement(id="s", occurred=DAY, speaker="ru", summary="")
    with pytest.raises(InvalidRecordError, match=r"Attack 'attack-1': target: must be text"):
        attack(target=None)


def test_coordinates_are_on_the_globe() -> None:
    assert Coordinates(lat="39.8", lon=46.75).lat == 39.8
    with pytest.raises(InvalidRecordError, match=r"Coordinates\.lat must be within -90\.\.90"):
        Coordinates(lat=91, lon=0)
    with pytest.raises(InvalidRecordError, match=r"Coordinates\.lon must be within -180\.\.180"):
        Coordinates(lat=0, lon=-181)
    with pytest.raises(InvalidRecordError, match=r"Coordinates\.lat must be within .* got nan"):
        Coordinates(lat=float("nan"), lon=0)
    with pytest.raises(InvalidRecordError, match=r"coordinates: must be a Coordinates"):
        PlaceDefined(id="p", name="P", place_kind="city", coordinates=(39.8, 46.75))  # type: ignore[arg-type]


def test_occurred_is_parsed_from_text_and_must_be_an_extent() -> None:
    assert attack(occurred="2020-10-31").occurred == TimeExtent.parse("2020-10-31")
    with pytest.raises(InvalidTimeError, match=r"cannot parse time 'last week'"):
        attack(occurred="last week")
    with pytest.raises(InvalidRecordError, match=r"Attack 'attack-1': occurred: must be a"):
        attack(occurred=20201031)


# ------------------------------------------------------------------- provenance


def test_sources_rules() -> None:
    source = Source(publisher="Reuters", published="2020-10-31")
    assert source.published == TimeExtent.parse("2020-10-31")
    with pytest.raises(InvalidRecordError, match=r"Source\.publisher must be non-empty text"):
        Source(publisher=" ")
    with pytest.raises(InvalidRecordError, match=r"Source\.published must be a TimeExtent"):
        Source(publisher="Reuters", published=2020)
    with pytest.raises(InvalidRecordError, match=r"Attack 'attack-1': sources\[1\]: must be"):
        attack(sources=(source, "Reuters"))
    with pytest.raises(InvalidRecordError, match=r"sources: must be a tuple of Source"):
        attack(sources=source)
    # tz reads a published date given as text or a date; an extent already has its zone.
    day = TimeExtent.parse("2020-10-31")
    for published in (day, None):
        with pytest.raises(
            InvalidRecordError,
            match=rf"^Source 'Azertac': tz='Asia/Baku' reads a published date given as "
            rf"text or a date, got {re.escape(repr(published))} \(a TimeExtent or an aware "
            r"datetime already has its zone\)$",
        ):
            Source(publisher="Azertac", published=published, tz="Asia/Baku")


def test_reported_defaults_to_the_earliest_sources_published() -> None:
    reuters = Source(publisher="Reuters", published="2020-10-31")
    armenpress = Source(publisher="Armenpress", published="2020-10-30T09:15")
    undated = Source(publisher="Telegram")
    record = attack(sources=(reuters, undated, armenpress))
    assert record.reported == TimeExtent.parse("2020-10-30T09:15")


def test_reported_is_when_the_first_publication_came_out_whatever_the_precisions() -> None:
    """three-clocks.md: with sources of different precision, ``reported`` runs from
    the earliest first instant among their dates to the earliest last instant: a
    report dated "2021" beside one of 15 March 2021 was certainly out by the end of
    15 March, not only by the end of 2021."""
    annual = Source(publisher="Annual report", published="2021")
    wire = Source(publisher="Wire", published="2021-03-15")
    record = attack(sources=(wire, annual))
    assert record.reported is not None
    assert (record.reported.lo, record.reported.last) == (
        TimeExtent.parse("2021-01-01").lo,
        TimeExtent.parse("2021-03-15").last,
    )
    assert record.reported.precision is Precision.YEAR  # the coarser, whose start it is
    assert record.reported.certainly_by("2021-03-15T23:59:59.999999Z")
    assert not record.reported.certainly_by("2021-03-15T23:59:59.999998Z")
    assert record.reported.possibly_by("2021-01-01")
    # The earliest end is itself included: an instant's, a minute's last instant.
    instant = TimeExtent.instant(_dt.datetime(2021, 3, 15, 10, tzinfo=_dt.UTC))
    timed = attack(sources=(annual, Source(publisher="Wire", published=instant)))
    assert timed.reported is not None
    assert timed.reported.last == instant.lo
    minute = attack(sources=(annual, Source(publisher="Wire", published="2021-03-15T10:00Z")))
    assert minute.reported is not None
    assert minute.reported.last == TimeExtent.parse("2021-03-15T10:00Z").last
    # The extent that starts first and ends first is the answer itself: a report of
    # February beside one of 15 March came out in February.
    february = Source(publisher="Monthly", published="2021-02")
    assert attack(sources=(wire, february)).reported == TimeExtent.parse("2021-02")


def test_reported_without_dated_sources_is_left_to_the_store() -> None:
    assert attack().reported is None
    assert attack(sources=(Source(publisher="Telegram"),)).reported is None


def test_explicit_reported_is_kept() -> None:
    reuters = Source(publisher="Reuters", published="2020-10-31")
    record = attack(sources=(reuters,), reported="2020-11-02")
    assert record.reported == TimeExtent.parse("2020-11-02")


@pytest.mark.parametrize(
    ("record", "claimant"),
    [
        (Statement(id="s", occurred=DAY, speaker="ru-mfa", summary="will help"), "ru-mfa"),
        (
            Request(
                id="r", occurred=DAY, requester="pashinyan", requested_of="putin", summary="x"
            ),
            "pashinyan",
        ),
        (
            Accusation(id="a", occurred=DAY, accuser="nk", accused=("az",), incidents=("x",)),
            "nk",
        ),
        (Denial(id="d", occurred=DAY, denier="az-mod", denies="a"), "az-mod"),
        (Observation(id="o", occurred=DAY, monitor="osce", violations=3), "osce"),
        (attack(), None),
        (ControlChanged(id="c", occurred=DAY, place="stp", controller="nk"), None),
    ],
)
def test_claimed_by_defaults_per_kind(record: AnyRecord, claimant: str | None) -> None:
    assert record.claimed_by == claimant


def test_explicit_claimed_by_is_kept() -> None:
    statement = Statement(
        id="s", occurred=DAY, speaker="peskov", summary="x", claimed_by="ru-government"
    )
    assert statement.claimed_by == "ru-government"
    assert attack(claimed_by="nk").claimed_by == "nk"


def test_status_defaults_to_alleged_and_is_never_upgraded() -> None:
    assert attack().status is Status.ALLEGED
    reuters = Source(publisher="Reuters", published="2020-10-31")
    assert attack(sources=(reuters, reuters)).status is Status.ALLEGED


def test_codes_are_kept() -> None:
    codes = Codes(cameo="195", acled_event_type="Explosions/Remote violence")
    assert attack(codes=codes).codes == codes
    with pytest.raises(InvalidRecordError, match=r"codes: must be a Codes"):
        attack(codes={"cameo": "195"})


# ------------------------------------------------------------ corrections


def test_correction_replacement_keeps_the_id() -> None:
    fixed = attack(target_class="civilian")
    correction = Correction(id="fix-1", occurred=DAY, corrects="attack-1", replacement=fixed)
    assert correction.replacement is fixed
    with pytest.raises(
        InvalidRecordError,
        match=r"Correction 'fix-1': replacement\.id: 'attack-2' must equal corrects 'attack-1'",
    ):
        Correction(
            id="fix-1", occurred=DAY, corrects="attack-1", replacement=attack(id="attack-2")
        )


def test_a_correction_cannot_replace_with_a_correction_or_correct_itself() -> None:
    retraction = Retraction(id="attack-1", occurred=DAY, retracts="attack-0")
    with pytest.raises(
        InvalidRecordError,
        match=r"replacement: a correction cannot replace with a correction or retraction",
    ):
        Correction(id="fix-1", occurred=DAY, corrects="attack-1", replacement=retraction)
    correction = Correction(
        id="attack-1", occurred=DAY, corrects="attack-0", replacement=attack(id="attack-0")
    )
    with pytest.raises(
        InvalidRecordError,
        match=r"replacement: a correction cannot replace with a correction or retraction",
    ):
        Correction(id="fix-1", occurred=DAY, corrects="attack-1", replacement=correction)
    with pytest.raises(InvalidRecordError, match=r"corrects: a correction cannot correct itself"):
        Correction(id="attack-1", occurred=DAY, corrects="attack-1", replacement=attack())
    with pytest.raises(InvalidRecordError, match=r"replacement: must be a Record"):
        Correction(id="fix-1", occurred=DAY, corrects="attack-1", replacement="attack-1")  # type: ignore[arg-type]


def test_a_retraction_cannot_retract_itself() -> None:
    with pytest.raises(
        InvalidRecordError, match=r"Retraction 'r': retracts: a retraction cannot retract itself"
    ):
        Retraction(id="r", occurred=DAY, retracts="r")


# --------------------------------------------------------------- references


def test_references_name_field_id_and_what_it_must_be() -> None:
    record = attack(perpetrator="az-forces", place="stp", claimed_by="nk")
    assert list(references(record)) == [
        ("claimed_by", "nk", "actor"),
        ("perpetrator", "az-forces", "actor"),
        ("place", "stp", "place"),
    ]


def test_references_of_a_commitment_include_scope_and_condition() -> None:
    pledge = Commitment(
        id="pledge",
        occurred=DAY,
        commitment_kind="assistance_pledge",
        parties=("ru",),
        beneficiaries=("am",),
        announced_by=("ru-mfa",),
        scope=Scope(include=("am-territory",), exclude=("nk",)),
        condition=Condition(attack_within=("am-territory",), by=("az",)),
    )
    assert list(references(pledge)) == [
        ("parties", "ru", "actor"),
        ("beneficiaries", "am", "actor"),
        ("announced_by", "ru-mfa", "actor"),
        ("scope", "am-territory", "place"),
        ("scope", "nk", "place"),
        ("condition.attack_within", "am-territory", "place"),
        ("condition.by", "az", "actor"),
    ]


def test_references_of_a_correction_include_its_replacements() -> None:
    correction = Correction(
        id="fix-1",
        occurred=DAY,
        corrects="attack-1",
        replacement=attack(perpetrator="az-forces"),
    )
    assert list(references(correction)) == [
        ("corrects", "attack-1", "record"),
        ("replacement.perpetrator", "az-forces", "actor"),
    ]


def test_references_of_accusations_denials_and_statements() -> None:
    accusation = Accusation(
        id="acc",
        occurred=DAY,
        accuser="nk",
        accused=("az",),
        incidents=("attack-1", "attack-2"),
        breach_of="civilians",
    )
    assert list(references(accusation)) == [
        ("claimed_by", "nk", "actor"),
        ("accuser", "nk", "actor"),
        ("accused", "az", "actor"),
        ("incidents", "attack-1", "attack"),
        ("incidents", "attack-2", "attack"),
        ("breach_of", "civilians", "commitment"),
    ]
    denial = Denial(id="d", occurred=DAY, denier="az", denies="acc")
    assert ("denies", "acc", "record") in list(references(denial))
    statement = Statement(id="s", occurred=DAY, speaker="ru", summary="x", responds_to="r")
    assert ("responds_to", "r", "record") in list(references(statement))


def test_a_statement_may_point_at_a_place() -> None:
    """A statement's optional ``place`` refers to a place (an arrest, a base
    established happen somewhere); left out, it is None, refers to nothing and is
    not written, so a statement without a place keeps the payload it always had."""
    placed = Statement(id="s", occurred=DAY, speaker="ru", summary="x", place="town")
    assert list(references(placed)) == [
        ("claimed_by", "ru", "actor"),
        ("speaker", "ru", "actor"),
        ("place", "town", "place"),
    ]
    unplaced = Statement(id="s", occurred=DAY, speaker="ru", summary="x")
    assert unplaced.place is None
    assert [ref for _, ref, what in references(unplaced) if what == "place"] == []
    assert '"place"' not in to_json(unplaced)
    assert '"place":"town"' in to_json(placed)
    with pytest.raises(InvalidRecordError, match=r"Statement 's': place: must be a non-empty id"):
        Statement(id="s", occurred=DAY, speaker="ru", summary="x", place=" ")


# ------------------------------------------------------------------ properties


def test_records_are_frozen_and_know_their_kind() -> None:
    record = attack()
    assert record.kind == "Attack"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.id = "attack-2"  # type: ignore[misc]


@given(records())
def test_every_drawn_record_rebuilds_equal(record: AnyRecord) -> None:
    again = attrs.evolve(record)
    assert again == record
    assert hash(record.occurred) == hash(again.occurred)
    for field, ref, what in references(record):
        assert isinstance(ref, str)
        assert ref.strip()
        assert what in {"actor", "place", "commitment", "attack", "agreement", "record"}
        assert field


@given(records(kinds=[Commitment]))
def test_drawn_commitments_never_end_before_they_start(commitment: Commitment) -> None:
    assert commitment.kind == "Commitment"
    assert isinstance(commitment.commitment_kind, CommitmentKind)
    if commitment.until is not None:
        assert commitment.until.last >= commitment.starts.lo
