"""Rules of the records' values and of the geography they build, each stated in the
docs and pinned here against an answer written from the rule (found unpinned by a
mutation audit on 7 December 2026).

- docs/explanation/claims.md, "Ids": an id, and every field that refers to one, is
  in Unicode NFC form and holds no control or format character: list fields of ids
  too (parties, accused, signatories, a scope's places, a condition's actors...).
- A record that breaks a rule raises `InvalidRecordError` naming the field (never a
  bare ``TypeError``), nested values (`Codes`, `Figure`, `Source`) included.
- docs/explanation/sovereignty.md: affiliation and the de jure tree are transitive,
  at any depth; the latest definition of an id is the one taken in.
- docs/explanation/violations.md: a clash between sides is ACLED's "Battles", or a
  "Battle-..." type of the older files, however the dash is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Agreement,
    Attack,
    Commitment,
    Condition,
    Coordinates,
    Gazetteer,
    InvalidRecordError,
    PlaceDefined,
    Scope,
    Source,
    Timeline,
    affiliated,
    is_within,
)
from conflict_timeline._provenance import Codes, Figure, figure_text
from conflict_timeline._records import acled_type_key, clash_codes

NOT_NFC = unicodedata.normalize("NFD", "café")  # "cafe" + a combining accent
HIDDEN = "arm\u202eenia"  # a right-to-left override inside an id


def _ceasefire(parties: tuple[str, ...] = ("az",), **fields: Any) -> Commitment:
    return Commitment(
        id="c", occurred="2020-10-10", commitment_kind="ceasefire", parties=parties, **fields
    )


# Every list field of ids, each made with one bad id (``bad``) among good ones.
LIST_FIELDS: dict[str, Callable[[str], object]] = {
    "Commitment.parties": lambda bad: _ceasefire(parties=("az", bad)),
    "Commitment.beneficiaries": lambda bad: _ceasefire(beneficiaries=(bad,)),
    "Commitment.supersedes": lambda bad: _ceasefire(supersedes=(bad,)),
    "Accusation.accused": lambda bad: Accusation(
        id="a", occurred="2020-10-10", accuser="am", accused=(bad,), breach_of="c"
    ),
    "Accusation.incidents": lambda bad: Accusation(
        id="a", occurred="2020-10-10", accuser="am", accused=("az",), incidents=(bad,)
    ),
    "Agreement.signatories": lambda bad: Agreement(
        id="ag", occurred="2020-10-10", title="T", signatories=("az", bad)
    ),
    "Agreement.mediators": lambda bad: Agreement(
        id="ag", occurred="2020-10-10", title="T", signatories=("az",), mediators=(bad,)
    ),
    "Scope.include": lambda bad: Scope(include=(bad,)),
    "Scope.exclude": lambda bad: Scope(exclude=(bad,)),
    "Condition.by": lambda bad: Condition(by=(bad,), against=("am",)),
    "Condition.against": lambda bad: Condition(against=(bad,)),
    "Condition.attack_within": lambda bad: Condition(attack_within=(bad,)),
}


@pytest.mark.parametrize("field", sorted(LIST_FIELDS))
@pytest.mark.parametrize(
    ("bad", "said"),
    [(NOT_NFC, "NFC"), (HIDDEN, r"U\+202E"), ("nk\u200b", r"U\+200B")],
    ids=["not NFC", "right-to-left override", "zero width space"],
)
def test_every_id_in_a_list_of_ids_is_checked_as_an_id(field: str, bad: str, said: str) -> None:
    make = LIST_FIELDS[field]
    make("fine-id")  # the same record with good ids is made
    with pytest.raises(InvalidRecordError, match=said) as info:
        make(bad)
    assert field.split(".")[1] in str(info.value)


@pytest.mark.parametrize("field", sorted(LIST_FIELDS))
@pytest.mark.parametrize(
    ("bad", "said"),
    [("", "non-empty id"), ("  ", "non-empty id"), ("fine-id", "lists an id twice")],
    ids=["empty", "blank", "twice"],
)
def test_a_list_of_ids_holds_each_id_once_and_no_empty_one(
    field: str, bad: str, said: str
) -> None:
    make = LIST_FIELDS[field]
    name = field.split(".")[1]
    call = (lambda: _twice(make, name)) if said == "lists an id twice" else (lambda: make(bad))
    with pytest.raises(InvalidRecordError, match=said):
        call()


def _twice(make: Callable[[str], object], name: str) -> object:
    """The record ``make`` makes, its list of ids ``name`` holding one id twice."""
    made = make("fine-id")
    return attrs.evolve(made, **{name: (*getattr(made, name), "fine-id")})  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Codes(ucdp_type_of_violence=3), "Codes.ucdp_type_of_violence"),
        (lambda: Codes(acled_event_type=["Battles"]), "Codes.acled_event_type"),
        (lambda: Figure(best=1, as_reported=5), "Figure.as_reported"),
        (lambda: Source(publisher="R", title=None), "Source.title"),  # type: ignore[arg-type]
        # A coordinate that is no number: float's own ValueError / TypeError before.
        (lambda: Coordinates(lat="north", lon=0), "Coordinates.lat"),
        (lambda: Coordinates(lat=0, lon=None), "Coordinates.lon"),  # type: ignore[arg-type]
        (lambda: Coordinates(lat=True, lon=0), "Coordinates.lat"),
        # A value with no id is named by its class ("Scope None: include" before).
        (lambda: Scope(include="am"), "Scope.include"),
        (lambda: Condition(against=("am", "am")), "Condition.against"),
    ],
)
def test_a_nested_value_of_the_wrong_type_is_an_invalid_record_naming_its_field(
    make: Callable[[], object], field: str
) -> None:
    with pytest.raises(InvalidRecordError, match=field.replace(".", r"\.")):
        make()


def test_aliases_are_names_and_are_called_names() -> None:
    """An actor's or place's aliases are names, not ids: the errors say so."""
    with pytest.raises(
        InvalidRecordError, match=r"^ActorDefined 'a': aliases: must be a tuple of names, got 'A'$"
    ):
        ActorDefined(id="a", name="A", actor_kind="state", aliases="A")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidRecordError, match=r"^PlaceDefined 'p': aliases: lists a name twice: \('X', 'X'\)$"
    ):
        PlaceDefined(id="p", name="P", place_kind="city", aliases=("X", "X"))
    with pytest.raises(
        InvalidRecordError, match=r"^ActorDefined 'a': aliases\[0\]: must be a non-empty name"
    ):
        ActorDefined(id="a", name="A", actor_kind="state", aliases=(" ",))


def test_coordinates_take_every_latitude_and_longitude_on_earth_and_no_other() -> None:
    # The docstring: latitude -90 to 90, longitude -180 to 180, both bounds included.
    for lat, lon in [(90, 0), (-90, 0), (0, 180), (0, -180), (89.5, 179.5)]:
        assert (Coordinates(lat=lat, lon=lon).lat, Coordinates(lat=lat, lon=lon).lon) == (lat, lon)
    for lat, lon in [(90.001, 0), (-90.001, 0), (0, 180.001), (0, -180.001)]:
        with pytest.raises(InvalidRecordError):
            Coordinates(lat=lat, lon=lon)


@pytest.mark.parametrize("match", ["", "ALL", "either", "none"])
def test_a_condition_matches_all_or_any_and_nothing_else(match: str) -> None:
    assert Condition(against=("armenia",), match="all").match == "all"
    assert Condition(against=("armenia",), match="any").match == "any"
    with pytest.raises(InvalidRecordError, match="match must be 'all' or 'any'"):
        Condition(against=("armenia",), match=match)


@pytest.mark.parametrize(
    ("event_type", "clash"),
    [
        ("Battles", True),
        ("battles", True),
        ("Battle-No change of territory", True),
        ("Battle - Government regains territory", True),
        ("Battle \u2212 Non-state actor overtakes territory", True),  # a minus sign
        ("Battle \u2013 No change of territory", True),  # an en dash
        ("Battle \u2014 No change of territory", True),  # an em dash
        ("Battle", False),  # no such ACLED type: no dash, no "s"
        ("Battlefield drone strike", False),
        ("Explosions/Remote violence", False),
        ("Violence against civilians", False),
    ],
)
def test_a_clash_between_sides_is_an_acled_battle_however_its_dash_is_written(
    event_type: str, clash: bool
) -> None:
    assert clash_codes(None, event_type) is clash
    if clash and event_type.lower() != "battles":
        assert acled_type_key(event_type).startswith("battle-")
    attack = Attack(id="x", occurred="2020-10-05", codes=Codes(acled_event_type=event_type))
    assert attack.between_sides is clash


def test_a_figure_is_shown_in_the_sources_words_unless_it_gave_none() -> None:
    assert figure_text(Figure(low=2, best=3, high=5, as_reported="at least two")) == "at least two"
    # Empty wording is no wording: the numbers are shown.
    assert figure_text(Figure(low=2, best=3, high=5, as_reported="")) == "3 (2-5)"
    assert figure_text(Figure(low=2, best=3, high=5)) == "3 (2-5)"


def test_mutual_accusations_each_keep_their_own_summary() -> None:
    first, second = Accusation.mutual(
        ids=("a1", "a2"),
        sides=("az", "am"),
        occurred="2020-10-11",
        breach_of="cf",
        summaries=("AZ says AM fired", "AM says AZ fired"),
    )
    assert (first.accuser, first.summary) == ("az", "AZ says AM fired")
    assert (second.accuser, second.summary) == ("am", "AM says AZ fired")


def _chain(depth: int, kind: str) -> tuple[list[Any], str, str]:
    """``depth`` links of affiliation (actors) or de jure parents (places): the
    records, the first id and the last."""
    ids = [f"{kind}{i}" for i in range(depth + 1)]
    if kind == "actor":
        records: list[Any] = [ActorDefined(id=ids[-1], name="Top", actor_kind="state")]
        records += [
            ActorDefined(id=ids[i], name=f"A{i}", actor_kind="armed_force", affiliation=ids[i + 1])
            for i in range(depth)
        ]
    else:
        records = [PlaceDefined(id=ids[-1], name="Top", place_kind="country")]
        records += [
            PlaceDefined(id=ids[i], name=f"P{i}", place_kind="region", parent=ids[i + 1])
            for i in range(depth)
        ]
    return records, ids[0], ids[-1]


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 6, 9])
def test_affiliation_and_the_de_jure_tree_are_transitive_at_any_depth(depth: int) -> None:
    actors, first, top = _chain(depth, "actor")
    assert affiliated(first, top, actors)
    assert not affiliated(top, first, actors)  # not the other way round
    places, inner, outer = _chain(depth, "place")
    assert is_within(inner, outer, places)
    assert not is_within(outer, inner, places)


def test_the_latest_definition_of_an_id_is_the_one_taken_in() -> None:
    records = [
        ActorDefined(id="arm", name="Armenia", actor_kind="state"),
        ActorDefined(id="x", name="X", actor_kind="armed_force"),
        ActorDefined(id="x", name="X", actor_kind="armed_force", affiliation="arm"),
    ]
    assert affiliated("x", "arm", records)
    assert not affiliated("x", "arm", records[:2])
    places = [
        PlaceDefined(id="az", name="Azerbaijan", place_kind="country"),
        PlaceDefined(id="t", name="T", place_kind="town"),
        PlaceDefined(id="t", name="T", place_kind="town", parent="az"),
    ]
    assert is_within("t", "az", places)


def test_changes_keep_both_questions_asked() -> None:
    tl = Timeline()
    tl.append(PlaceDefined(id="az", name="Azerbaijan", place_kind="country"))
    found = tl.changes(Gazetteer, at="2020-10-31", known_from="2020-10-01", known_to="2020-11-30")
    want_before = tl.query(at="2020-10-31", known_at="2020-10-01")
    want_after = tl.query(at="2020-10-31", known_at="2020-11-30")
    assert (found.before.known_at, found.before.at) == (want_before.known_at, want_before.at)
    assert (found.after.known_at, found.after.at) == (want_after.known_at, want_after.at)
    assert found.after.known_at != found.before.known_at
