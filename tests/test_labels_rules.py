"""How records read to a person (``_labels``, ``figure_text``, ``sources_text``): each
rule their docstrings state, against text written out by hand."""

from __future__ import annotations

import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Confirmation,
    ControlChanged,
    Figure,
    Observation,
    PlaceDefined,
    Source,
    Statement,
    TimeExtent,
)
from conflict_timeline._labels import Names, credit, detail, headline, shorten
from conflict_timeline._provenance import figure_text, sources_text

NAMES = Names(
    {"az": ActorDefined(id="az", name="Azerbaijan", actor_kind="state")},
    {"stk": PlaceDefined(id="stk", name="Stepanakert", place_kind="city")},
)


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (Figure(low=5000, as_reported="more than 5,000 civilians"), "more than 5,000 civilians"),
        (Figure(best=2), "2"),
        (Figure(low=2, best=2, high=2), "2"),
        (Figure(low=1, best=2), "2 (1-?)"),
        (Figure(low=2, best=2, high=5), "2 (2-5)"),
        (Figure(low=1, best=5, high=5), "5 (1-5)"),
        (Figure(low=5000), "5000-?"),
        (Figure(high=10), "?-10"),
        (Figure(low=3, high=10), "3-10"),
    ],
)
def test_a_figure_reads_as_its_wording_or_best_then_low_high(figure: Figure, text: str) -> None:
    assert figure_text(figure) == text


def test_sources_in_one_cell_are_their_publishers_separated_by_semicolons() -> None:
    sources = (Source(publisher="Reuters"), Source(publisher="APA", title="Shelling"))
    assert sources_text(sources) == "Reuters; APA"


def test_an_unknown_actor_or_place_reads_as_its_id_and_none_as_documented() -> None:
    assert NAMES.actor("az") == "Azerbaijan"
    assert NAMES.actor("hy") == "hy"
    assert NAMES.actor(None) == "unknown"
    assert NAMES.place("stk") == "Stepanakert"
    assert NAMES.place("nowhere") == "nowhere"
    assert NAMES.place(None) == ""


def test_an_admission_is_headlined_as_one() -> None:
    fields = {"id": "c", "occurred": "2020-10-31", "confirmer": "az", "confirms": "strike"}
    assert headline(Confirmation(**fields, admission=True), NAMES) == "Azerbaijan admits strike"  # type: ignore[arg-type]
    assert headline(Confirmation(**fields), NAMES) == "Azerbaijan confirms strike"  # type: ignore[arg-type]


def test_an_observation_is_headlined_with_its_place() -> None:
    seen = Observation(id="o", occurred="2020-10-31", monitor="az", violations=3, place="stk")
    assert headline(seen, NAMES) == "Azerbaijan observes 3 violation(s) in Stepanakert"


def test_the_detail_of_a_statement_is_its_summary_then_its_quote() -> None:
    said = Statement(
        id="s", occurred="2020-10-31", speaker="az", summary="Rejects it.", quote="Lies."
    )
    assert detail(said, NAMES) == 'Rejects it. "Lies."'
    unquoted = Statement(id="s", occurred="2020-10-31", speaker="az", summary="Rejects it.")
    assert detail(unquoted, NAMES) == "Rejects it."


def test_the_detail_of_an_attack_is_its_fatalities() -> None:
    raid = Attack(id="a", occurred="2020-10-31", fatalities=Figure(low=1, best=2))
    assert detail(raid, NAMES) == "Fatalities: 2 (1-?)"


@pytest.mark.parametrize(
    ("text", "width", "short"),
    [
        ("ten chars!", 10, "ten chars!"),  # exactly the width: kept whole
        ("eleven char", 10, "eleven ch\u2026"),  # one over: cut to the width
        ("a  b\n c", 10, "a b c"),  # on one line
        ("abcd efgh", 6, "abcd\u2026"),  # no space before the ellipsis
    ],
)
def test_shorten_cuts_to_the_width_with_an_ellipsis(text: str, width: int, short: str) -> None:
    assert shorten(text, width) == short
    assert len(short) <= width


def test_a_credit_line_names_publisher_title_and_date() -> None:
    sources = (
        Source(publisher="Reuters", title="Shelling", published="2020-10-31"),
        Source(publisher="APA"),
        Source(publisher="Azertac", published=TimeExtent.parse("2020-10")),
    )
    assert credit(sources) == 'Reuters, "Shelling" (2020-10-31); APA; Azertac (2020-10)'


def test_a_control_change_is_headlined_with_actor_and_place_names() -> None:
    change = ControlChanged(id="cc", occurred="2020-10-31", place="stk", controller="az")
    assert headline(change, NAMES) == "Azerbaijan controls Stepanakert"


def test_the_detail_of_an_observation_is_its_summary() -> None:
    """``detail``: the record's own words (an observation's are its summary)."""
    seen = Observation(
        id="o", occurred="2020-10-31", monitor="az", violations=3, summary="Shelling at night."
    )
    assert detail(seen, NAMES) == "Shelling at night."


def test_an_accusation_is_headlined_with_the_accused_by_name_one_with_a_comma_quoted() -> None:
    names = Names(
        {
            "az": ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
            "hy": ActorDefined(id="hy", name="Armenia", actor_kind="state"),
            "drc": ActorDefined(id="drc", name="Congo, Democratic Republic", actor_kind="state"),
        }
    )
    claim = Accusation(
        id="c", occurred="2020-10-31", accuser="az", accused=("hy", "drc"), breach_of="pact"
    )
    assert headline(claim, names) == 'Azerbaijan accuses Armenia, "Congo, Democratic Republic"'


def test_the_names_of_a_timeline_headline_an_end_by_its_commitment_as_known_then() -> None:
    """``Names.of`` reads the commitments (when an end is first headlined) under the
    same cuts as the names: an end reads "End of <kind>: <parties> (<reason>)" by the
    commitment as known then, and by the commitment's id where it is not known."""
    from conflict_timeline import Commitment, CommitmentEnded, Timeline

    tl = Timeline()
    tl.append(
        ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
        Commitment(
            id="truce",
            occurred="2020-10-10",
            sources=(Source(publisher="Wire", published="2020-10-10"),),
            commitment_kind="humanitarian_ceasefire",
            parties=("az",),
        ),
        CommitmentEnded(
            id="truce-end",
            occurred="2020-10-11",
            sources=(Source(publisher="Wire", published="2020-10-12"),),
            commitment="truce",
            reason="collapsed",
        ),
    )
    end = tl.get("truce-end").record
    assert headline(end, Names.of(tl)) == "End of humanitarian ceasefire: Azerbaijan (collapsed)"
    # As known on 9 October neither the commitment nor its end was reported.
    assert headline(end, Names.of(tl, known_at="2020-10-09")) == "truce ends (collapsed)"
