"""Where a peace agreement's commitment applies: the countries its codes name
(docs/howto/import-ceasefires.md, "Where an agreement applies").

The rules:

- a UCDP peace agreement's terms apply in the countries of its ``gwno`` (Gleditsch-
  Ward codes, several listed with commas), a PA-X ceasefire in those of its
  ``Loc1GWNO`` and ``Loc2GWNO``; each country is the place GED gives it
  (``place:<slug>`` of GED 23.1's name), defined under that name;
- no code (empty, ``NA``, ``-99``) is no scope: the commitment applies everywhere, as
  before, with no flag;
- a code with no GED country known here (South Yemen's 680), or no whole number,
  leaves the whole commitment applying everywhere, flagged "country code not known
  here", the notes naming the code: a scope without one of its countries would leave
  that country's events out;
- so an attack by a party outside the agreement's countries is no candidate
  violation of it, and one inside is.

Every expected scope, note and candidate below is written by hand from these rules.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conflict_timeline import Commitment, PlaceDefined, Scope, Timeline
from conflict_timeline.views import ReportedViolations
from conflict_timeline.views.violations import Basis
from test_import_ceasefires import edited
from test_import_versions import ged, ged_row

CEASEFIRES = Path(__file__).parent / "data" / "ceasefires"
PA = CEASEFIRES / "ucdp-peace-agreements-sample.csv"
PAX = CEASEFIRES / "pax-sample.csv"
UNKNOWN = "country code not known here"

# Sample line 1: UCDP peace agreement 1128 (Afghanistan, gwno 700), a ceasefire among
# its terms, 7 March to 12 May 1993, between the government (UCDP actor 130),
# Hizb-i Islami (299) and Hizb-i Wahdat (300).


def _terms(gwno: str) -> tuple[Timeline, Commitment, dict[str, int]]:
    timeline = Timeline()
    summary = timeline.import_("ucdp-peace-agreements", io.StringIO(edited(PA, 1, gwno=gwno)))
    terms = timeline.get("ucdp-pa:1128/terms").record
    assert isinstance(terms, Commitment)
    return timeline, terms, dict(summary.flags)


@pytest.mark.parametrize(
    ("gwno", "include", "line"),
    [
        ("700", ("place:afghanistan",), "scope: the countries of gwno 700 (Afghanistan)"),
        ("700.0", ("place:afghanistan",), "scope: the countries of gwno 700 (Afghanistan)"),
        (
            "625, 626",
            ("place:sudan", "place:south-sudan"),
            "scope: the countries of gwno 625, gwno 626 (Sudan, South Sudan)",
        ),
        (
            "490;500",
            ("place:dr-congo-zaire", "place:uganda"),
            "scope: the countries of gwno 490, gwno 500 (DR Congo (Zaire), Uganda)",
        ),
        (
            "552",
            ("place:zimbabwe-rhodesia",),
            "scope: the countries of gwno 552 (Zimbabwe (Rhodesia))",
        ),
    ],
)
def test_the_terms_apply_in_the_countries_of_gwno(
    gwno: str, include: tuple[str, ...], line: str
) -> None:
    timeline, terms, flags = _terms(gwno)
    assert terms.scope == Scope(include=include)
    assert line in (terms.notes or "").splitlines()
    assert UNKNOWN not in flags
    for pid in include:
        assert isinstance(timeline.get(pid).record, PlaceDefined)


def test_each_country_is_defined_under_geds_name() -> None:
    timeline, _, _ = _terms("490, 700")
    names = {
        pid: record.name
        for pid in ("place:dr-congo-zaire", "place:afghanistan")
        if isinstance(record := timeline.get(pid).record, PlaceDefined)
    }
    assert names == {
        "place:dr-congo-zaire": "DR Congo (Zaire)",
        "place:afghanistan": "Afghanistan",
    }


@pytest.mark.parametrize("gwno", ["", "NA", "-99", ".", "n/a"])
def test_no_code_is_no_scope_and_no_flag(gwno: str) -> None:
    _, terms, flags = _terms(gwno)
    assert terms.scope == Scope()
    assert UNKNOWN not in flags
    assert not any(n.startswith("scope:") for n in (terms.notes or "").splitlines())


@pytest.mark.parametrize(
    ("gwno", "named"),
    [
        ("678, 680", "gwno 680"),
        ("680", "gwno 680"),
        ("700, Afghanistan", "gwno Afghanistan"),
        # A part that is no whole number: not the country it would round or cut to.
        ("700.5", "gwno 700.5"),
        ("625, 626.5", "gwno 626.5"),
    ],
)
def test_a_code_with_no_known_country_leaves_the_terms_everywhere_flagged(
    gwno: str, named: str
) -> None:
    _, terms, flags = _terms(gwno)
    assert terms.scope == Scope()
    assert flags.get(UNKNOWN) == 1
    note = next(n for n in (terms.notes or "").splitlines() if n.startswith(UNKNOWN))
    assert note == (
        f"{UNKNOWN}: {named} (no country of GED's known for it here), "
        "so the commitment applies everywhere"
    )


def test_a_partys_attack_outside_the_agreements_country_is_no_candidate() -> None:
    """The government's clash with Hizb-i Islami in Afghanistan on 1 April 1993 is a
    candidate violation of the ceasefire; its strike in Pakistan the same day is not
    (before, the terms applied everywhere, and both were)."""
    timeline = Timeline()
    timeline.import_("ucdp-peace-agreements", io.StringIO(edited(PA, 1)))
    sides = {
        "side_a_new_id": "130",
        "side_a": "Government of Afghanistan",
        "side_b_new_id": "299",
        "side_b": "Hizb-i Islami-yi Afghanistan",
        "year": "1993",
        "date_start": "1993-04-01",
        "date_end": "1993-04-01",
        "source_date": "1993-04-02",
        "where_prec": "6",
    }
    timeline.import_(
        "ucdp",
        ged(
            ged_row(id="910001", relid="AFG-1", country="Afghanistan", **sides),
            ged_row(id="910002", relid="PAK-1", country="Pakistan", **sides),
        ),
    )
    found = timeline.state(ReportedViolations, commitment="ucdp-pa:1128/terms")
    assert [(v.basis, v.incidents) for v in found.items] == [(Basis.CANDIDATE, ("ucdp:910001",))]


def test_a_pax_ceasefire_applies_in_the_countries_of_its_two_location_codes() -> None:
    """PA-X 1684 (stage Cea): Loc1GWNO 373, Loc2GWNO 371: Azerbaijan and Armenia."""
    timeline = Timeline()
    timeline.import_("pax", PAX)
    ceasefire = timeline.get("pax:1684/ceasefire").record
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.scope == Scope(include=("place:azerbaijan", "place:armenia"))
    assert (
        "scope: the countries of Loc1GWNO 373, Loc2GWNO 371 (Azerbaijan, Armenia)"
        in (ceasefire.notes or "").splitlines()
    )
    one = timeline.get("pax:1316/ceasefire").record  # Angola alone, Loc2GWNO empty
    assert isinstance(one, Commitment)
    assert one.scope == Scope(include=("place:angola",))


@pytest.mark.parametrize(
    ("gwno", "include", "line"),
    [
        # Slashes and spaces separate codes as commas do (the docs' rule).
        (
            "700/770",
            ("place:afghanistan", "place:pakistan"),
            "scope: the countries of gwno 700, gwno 770 (Afghanistan, Pakistan)",
        ),
        (
            "700 770",
            ("place:afghanistan", "place:pakistan"),
            "scope: the countries of gwno 700, gwno 770 (Afghanistan, Pakistan)",
        ),
        # A code listed twice is one country, named once.
        ("625, 625", ("place:sudan",), "scope: the countries of gwno 625 (Sudan)"),
        ("625, 625.0", ("place:sudan",), "scope: the countries of gwno 625 (Sudan)"),
        # A code padded with zeros (a spreadsheet's fixed-width column) is the number.
        ("0625, 625", ("place:sudan",), "scope: the countries of gwno 625 (Sudan)"),
        ("0625", ("place:sudan",), "scope: the countries of gwno 625 (Sudan)"),
        # Each code a whole number as pandas writes it: the number, as alone.
        (
            "625.0, 626.0",
            ("place:sudan", "place:south-sudan"),
            "scope: the countries of gwno 625, gwno 626 (Sudan, South Sudan)",
        ),
        # -99 written as pandas writes it is no code, as -99 is.
        ("700, -99.0", ("place:afghanistan",), "scope: the countries of gwno 700 (Afghanistan)"),
    ],
)
def test_codes_listed_oddly_are_read_each_once_as_their_numbers(
    gwno: str, include: tuple[str, ...], line: str
) -> None:
    _, terms, flags = _terms(gwno)
    assert terms.scope == Scope(include=include)
    assert [n for n in (terms.notes or "").splitlines() if n.startswith("scope:")] == [line]
    assert UNKNOWN not in flags


def test_a_pax_code_with_no_known_country_leaves_the_ceasefire_everywhere_flagged() -> None:
    """PA-X 1316 (stage Cea, Angola) with Loc1GWNO recoded 347 (Kosovo, no GED country
    known here): the ceasefire applies everywhere, flagged, its notes naming the code,
    as a UCDP agreement's gwno does."""
    timeline = Timeline()
    summary = timeline.import_("pax", io.StringIO(edited(PAX, 2, Loc1GWNO="347")))
    ceasefire = timeline.get("pax:1316/ceasefire").record
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.scope == Scope()
    assert dict(summary.flags).get(UNKNOWN) == 1
    assert (
        f"{UNKNOWN}: Loc1GWNO 347 (no country of GED's known for it here), "
        "so the commitment applies everywhere"
    ) in (ceasefire.notes or "").splitlines()
