"""The ceasefire importers' rules left unpinned after the first mutation audit of
``conflict_timeline.importers.ceasefires``, one test a rule, found by a second pass.

Rows are synthetic, written under the published files' own headers (read from the
real rows copied into tests/data/ceasefires: the ETH/PRIO 2020 file, UCDP PA 22.1,
PA-X v4). Each expected value is written from the rule docs/howto/import-ceasefires.md
or the module's docstrings state, never computed by the importer.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conflict_timeline import Agreement, Commitment, CommitmentEnded, TimeExtent
from conflict_timeline.importers import ImportBatch, get_importer
from test_ceasefire_mapping_rules import REBELS, _by_id

DATA = Path(__file__).parent / "data" / "ceasefires"


def _header(name: str) -> list[str]:
    """The header of a real file copied into tests/data/ceasefires, as published."""
    with (DATA / name).open(encoding="utf-8-sig", newline="") as file:
        return next(csv.reader(file))


ETH_HEADER = _header("eth-prio-sample.csv")
PA_HEADER = _header("ucdp-peace-agreements-sample.csv")
PAX_HEADER = _header("pax-sample.csv")


def _csv(header: list[str], rows: list[dict[str, str]]) -> io.StringIO:
    unknown = {k for row in rows for k in row} - set(header)
    assert not unknown, unknown
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return io.StringIO(out.getvalue())


# ------------------------------------------------------------------ ETH/PRIO

ETH_ROW = {
    **{c: "0" for c in ETH_HEADER if c.startswith(("link_id", "p_"))},
    "cc": "70",
    "cf_id": "1",
    "uniq_id": "70001",
    "location": "Synthetica",
    "region": "5",
    "link": "0",
    "ucdp_actor_id": "11",
    "actor_name": "Government of Synthetica",
    "ucdp_acd_id": "400",
    "ucdp_dyad": "850",
    "pax_id": "-1",
    "cf_dec_yr": "2001",
    "cf_dec_month": "3",
    "cf_dec_day": "4",
    "cf_effect_yr": "2001",
    "cf_effect_month": "3",
    "cf_effect_day": "5",
    "side": "2",
    "fixed": "0",
    "fixed_time": "0",
    "p_peaceprocess": "1",
    "ended": "0",
    "end_yr": "0",
    "end_month": "0",
    "end_day": "0",
    "mediator_send": "0",
    "comment": "A synthetic truce.",
    "coder": "XX",
}


def _eth(*rows: dict[str, str], header: list[str] = ETH_HEADER) -> ImportBatch:
    full = [{**ETH_ROW, "id": str(n), **row} for n, row in enumerate(rows, start=1)]
    full = [{k: v for k, v in row.items() if k in header} for row in full]
    return get_importer("eth-prio").read(_csv(header, full))


def _ceasefire(*rows: dict[str, str], cid: str = "eth-prio:70001") -> Commitment:
    batch = _eth(*rows)
    assert batch.refused == (), batch.refused
    found = _by_id(batch)[cid]
    assert isinstance(found, Commitment)
    return found


# An earlier release (as PRIO's own visualisation code reads it): a purpose code per
# ``purpose_<N>`` column instead of the ``p_*`` columns, and ``ceasefire_type`` and
# ``geography``; the 2020 file's other columns as published.
OLD_ETH_HEADER = [
    *(c for c in ETH_HEADER if not c.startswith("p_")),
    "purpose_1",
    "purpose_2",
    "ceasefire_type",
    "geography",
]


def test_an_earlier_releases_purpose_labels_name_their_own_purposes() -> None:
    """Rule (how-to, ETH/PRIO table, ``purpose_1``, ``purpose_2``): each code its
    codebook lists, or its Stata label, is the purpose of that ``p_*`` column: 3
    (``Holiday``) holiday, 4 (``Election``) election, 5 (``Other``) other,
    1 (``Humanitarian``) humanitarian."""
    old = {"purpose_2": "-1", "ceasefire_type": "2", "geography": "1"}
    expected = {
        "Holiday": "holiday",
        "Election": "election",
        "Other": "other",
        "Humanitarian": "humanitarian",
    }
    for label, purpose in expected.items():
        batch = _eth({**old, "purpose_1": label}, header=OLD_ETH_HEADER)
        assert batch.refused == (), batch.refused
        (commitment,) = batch.events()
        assert isinstance(commitment, Commitment)
        assert f"purposes: {purpose}" in commitment.notes.splitlines(), label


def test_ended_0_with_the_end_year_unknown_is_not_flagged_when_another_row_codes_an_end() -> None:
    """Rule (how-to, "What is flagged": ``ended 0 with the end year unknown``): flagged
    when a row codes ``ended`` 0 and ``end_yr`` -1 *and no row an end date*; a row
    coding an end date gives the end (one row's known end wins over another's
    unknown end), so nothing disagrees to flag."""
    unknown = {"ended": "0", "end_yr": "-1", "end_month": "-1", "end_day": "-1"}
    ended = {**REBELS, "ended": "2", "end_yr": "2002", "end_month": "5", "end_day": "6"}
    batch = _eth(unknown, ended)
    assert batch.refused == (), batch.refused
    assert "ended 0 with the end year unknown" not in batch.flags, dict(batch.flags)
    commitment = _by_id(batch)["eth-prio:70001"]
    assert isinstance(commitment, Commitment)
    assert "ended 0 with the end year unknown" not in commitment.notes
    assert commitment.until is None  # the end is its CommitmentEnded, not its until
    assert _by_id(batch)["eth-prio:70001/end"].occurred == TimeExtent.parse("2002-05-06")
    # Without the other row's end, the same row is flagged.
    alone = _eth(unknown)
    assert alone.flags.get("ended 0 with the end year unknown") == 1, dict(alone.flags)


def test_an_undated_rows_effect_in_the_month_of_the_declaration_it_takes_is_not_flagged() -> None:
    """Rule (how-to, "What is flagged": ``effect before the declaration``): for a row
    whose declaration year is unknown, flagged when its effect ends before the
    declaration the ceasefire takes from its other rows; "an effect that may fall on
    the declaration (the same day, a month or year holding it) is not"."""
    undated = {**REBELS, "cf_dec_yr": "-1", "cf_dec_month": "-1", "cf_dec_day": "-1"}
    # Declared 2001-03-04 (the first row); the undated row in effect in March 2001.
    in_the_month = _ceasefire({}, {**undated, "cf_effect_month": "3", "cf_effect_day": "-1"})
    assert "effect before the declaration" not in in_the_month.notes
    in_the_year = _ceasefire({}, {**undated, "cf_effect_month": "-1", "cf_effect_day": "-1"})
    assert "effect before the declaration" not in in_the_year.notes
    # February 2001 has ended before 4 March: flagged.
    before = _ceasefire({}, {**undated, "cf_effect_month": "2", "cf_effect_day": "-1"})
    assert "effect before the declaration" in before.notes


def test_an_effect_month_without_a_year_is_kept_in_the_notes_and_flagged() -> None:
    """Rule (how-to, "What is flagged": ``month or day without a year``): "an effect
    or end codes a month or day with an unknown year": the date is unknown, the parts
    as coded in the notes. The effect, not only the end."""
    batch = _eth({"cf_effect_yr": "-1", "cf_effect_month": "6", "cf_effect_day": "-1"})
    assert batch.refused == (), batch.refused
    assert batch.flags.get("month or day without a year") == 1, dict(batch.flags)
    commitment = _by_id(batch)["eth-prio:70001"]
    assert isinstance(commitment, Commitment)
    (line,) = (x for x in commitment.notes.splitlines() if "month or day without a year" in x)
    assert "cf_effect" in line
    assert "month 6" in line
    # The effect is unknown: ``effective`` is the declaration (the how-to's table).
    assert commitment.effective == TimeExtent.parse("2001-03-04")


def test_free_text_cells_coded_minus_1_are_the_datasets_none_and_left_out() -> None:
    """Rule (how-to, ETH/PRIO table): ``p_other_comment``, ``evidence_onset``,
    ``evidence_end``, ``factivia_source``, ``factivia_page`` are ``<column>: <text>``
    in the notes, "a line for each text its rows give (a cell 0 or -1, the
    dataset's "none", left out)"."""
    texts = ("p_other_comment", "evidence_onset", "evidence_end", "factivia_source")
    commitment = _ceasefire(
        {**dict.fromkeys(texts, "-1"), "factivia_page": "-1"},
        {**REBELS, **dict.fromkeys(texts, "0"), "factivia_page": "0"},
    )
    lines = commitment.notes.splitlines()
    for column in (*texts, "factivia_page"):
        assert not [x for x in lines if x.startswith(f"{column}:")], column
    # A text is kept.
    kept = _ceasefire({"evidence_end": "Reuters, 6 May 2002"}, {**REBELS, "evidence_end": "-1"})
    assert [x for x in kept.notes.splitlines() if x.startswith("evidence_end:")] == [
        "evidence_end: Reuters, 6 May 2002"
    ]


def test_a_mediator_cell_written_as_missing_names_no_mediator() -> None:
    """Rule (how-to, "Files as users save them"): missing values as the datasets and
    tools write them, ``-1``, ``-99``, Stata's ``.``, R's ``NA``, an empty cell, are
    read as missing; ``mediator_send`` gives "mediators: ..." for each text its rows
    give, so a missing one gives no line."""
    commitment = _ceasefire(
        {"mediator_send": "-99"},
        {**REBELS, "mediator_send": "."},
        {"ucdp_actor_id": "33", "actor_name": "SLA", "mediator_send": "NA"},
    )
    assert not [x for x in commitment.notes.splitlines() if x.startswith("mediators:")]
    named = _ceasefire({"mediator_send": "Norway"}, {**REBELS, "mediator_send": "-99"})
    assert [x for x in named.notes.splitlines() if x.startswith("mediators:")] == [
        "mediators: Norway"
    ]


def test_a_pax_id_list_holding_the_datasets_none_names_only_the_agreement() -> None:
    """Rule (how-to, ETH/PRIO table, ``pax_id``): "PA-X agreements: pax:704" names
    "each whole number its rows give, in their order; -1 and 0, the dataset's
    "none", name none", inside a cell listing several too."""
    commitment = _ceasefire({"pax_id": "704, 0"}, {**REBELS, "pax_id": "-1"})
    lines = commitment.notes.splitlines()
    assert [x for x in lines if x.startswith("PA-X agreements:")] == ["PA-X agreements: pax:704"]


def test_the_ended_codes_of_every_row_are_the_ends_notes() -> None:
    """Rule (how-to, "Ends"): the `CommitmentEnded` keeps "the rows' ``ended`` codes
    kept raw as its notes (``ended=4``; ``ended=4|2`` when the rows differ)"."""
    end = {"end_yr": "2002", "end_month": "5", "end_day": "6"}
    batch = _eth({**end, "ended": "4"}, {**REBELS, **end, "ended": "2"})
    assert batch.refused == (), batch.refused
    ended = _by_id(batch)["eth-prio:70001/end"]
    assert isinstance(ended, CommitmentEnded)
    assert ended.notes == "ended=4|2"
    assert ended.occurred == TimeExtent.parse("2002-05-06")


def test_an_effect_with_day_0_is_its_month_not_an_effect_coded_0() -> None:
    """Rules (how-to, ETH/PRIO dates and "Effects coded 0"): "-1 (or 0, or an empty
    cell) for the day gives the month, for the month the year"; only an effect coded
    0/0/0 "as a whole" is read as declared, never in effect."""
    batch = _eth({"cf_effect_month": "3", "cf_effect_day": "0"})
    assert batch.refused == (), batch.refused
    assert "effect coded 0: not in effect" not in batch.flags, dict(batch.flags)
    commitment = _by_id(batch)["eth-prio:70001"]
    assert isinstance(commitment, Commitment)
    assert commitment.effective == TimeExtent.parse("2001-03")
    # Not ended (end 0/0/0, ended 0): from 2021 on, not the declaration.
    assert commitment.until is not None
    assert commitment.until.earliest == TimeExtent.parse("2021").earliest
    by_year = _ceasefire({"cf_effect_month": "0", "cf_effect_day": "0"})
    assert by_year.effective == TimeExtent.parse("2001")


def test_every_eth_prio_code_column_is_kept_as_code_value() -> None:
    """Rule (how-to, ETH/PRIO table): ``ended``, ``ceasefire_class``, ``timing``,
    ``written``, ``partial``, ``fixed``, ``fixed_time``, ``implement``,
    ``enforcement``, ``ddr``, ``truce``, ``mediator_nego``, ``ucdp_acd_id``,
    ``ucdp_dyad``, ``pax_id``, ``nsa_frac``, ``splinter``, ``link``, ``region``,
    ``recentadditions``, ``coder`` are "kept in the notes as ``code=value``"; the
    notes' second line holds the codes, joined by ``; ``."""
    codes = {
        "ended": "0",
        "ceasefire_class": "3",
        "timing": "2",
        "written": "1",
        "partial": "1",
        "fixed": "0",
        "fixed_time": "0",
        "implement": "2",
        "enforcement": "1",
        "ddr": "1",
        "truce": "1",
        "mediator_nego": "4",
        "ucdp_acd_id": "401",
        "ucdp_dyad": "851",
        "pax_id": "704",
        "nsa_frac": "1",
        "splinter": "1",
        "link": "2",
        "region": "4",
        "recentadditions": "1",
        "coder": "AB",
    }
    commitment = _ceasefire(codes)
    line = set(commitment.notes.splitlines()[1].split("; "))
    assert {f"{k}={v}" for k, v in codes.items()} <= line, line


def test_one_country_spelled_two_ways_by_the_rows_is_one_place_of_the_scope() -> None:
    """Rule (how-to, ETH/PRIO table, ``location``): the scope is "each country its
    rows name, ``place:<slug>`` as GED names it: ETH/PRIO's ``Macedonia`` is GED's
    ``Macedonia, FYR`` (``place:macedonia-fyr``)": rows spelling the one country
    both ways name one place, once; the notes' first line names them as published."""
    commitment = _ceasefire({"location": "Macedonia"}, {**REBELS, "location": "Macedonia, FYR"})
    assert commitment.scope.include == ("place:macedonia-fyr",)
    assert commitment.notes.splitlines()[0] == (
        "ETH/PRIO ceasefire 70001 (Macedonia|Macedonia, FYR)"
    )


# ------------------------------------------------------------ UCDP agreements

PA_ROW = {
    **dict.fromkeys(PA_HEADER[PA_HEADER.index("cease") : PA_HEADER.index("co_impl") + 1], "0"),
    "paid": "5001",
    "region": "3",
    "gwno": "700",
    "conflict_id": "333",
    "conflict_name": "Synthetica: Government",
    "dyad_id": "729",
    "dyad_name": "Government of Synthetica - SLF",
    "actor_id": "11, 22",
    "actor_name": "Government of Synthetica, SLF",
    "incompatibility": "2",
    "pa_name": "Testville Accord",
    "year": "2001",
    "pa_date": "2001-03-04",
    "pa_comment": "Signed at Testville.",
    "ended": "",
    "duration": "",
    "cease": "1",
    "termdur": "1",
    "noconf17": "0",
    "txt": "1",
    "inclusive": "2",
    "no_dyad": "1",
    "pa_type": "2",
    "out_iss": "2",
    "procID": "105",
    "frame": "1",
    "version": "22.1",
    "dateintervalstart_meta": "1975-01-01",
    "dateintervalend_meta": "2021-12-31",
}


def _pa(*rows: dict[str, str], today: str = "2026-06-01") -> ImportBatch:
    full = [{**PA_ROW, **row} for row in rows]
    return get_importer("ucdp-peace-agreements").read(_csv(PA_HEADER, full), today=today)


def _agreement_and_terms(**changes: str) -> tuple[Agreement, Commitment]:
    batch = _pa(changes)
    assert batch.refused == (), batch.refused
    agreement, terms = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    return agreement, terms


def test_every_peace_agreement_code_column_is_kept_as_code_value() -> None:
    """Rule (how-to, UCDP table): ``conflict_id``, ``dyad_id``, ``pa_type``,
    ``incompatibility``, ``gwno``, ``region``, ``inclusive``, ``no_dyad``,
    ``out_iss``, ``termdur``, ``frame``, ``procID``, ``txt``, ``noconf17`` are "the
    agreement's notes as ``code=value``" (its second line, joined by ``; ``)."""
    codes = {
        "conflict_id": "334",
        "dyad_id": "730",
        "pa_type": "3",
        "incompatibility": "1",
        "gwno": "700",
        "region": "3",
        "inclusive": "1",
        "no_dyad": "2",
        "out_iss": "1",
        "termdur": "2",
        "frame": "0",
        "procID": "106",
        "txt": "1",
        "noconf17": "1",
    }
    agreement, _ = _agreement_and_terms(**codes)
    line = set(agreement.notes.splitlines()[1].split("; "))
    assert {f"{k}={v}" for k, v in codes.items()} <= line, line


def test_every_peace_agreement_text_is_a_line_of_its_notes() -> None:
    """Rule (how-to, UCDP table): ``pa_sign``, ``c_sign``, ``c_3rd``,
    ``linktofulltextagreement`` are each "``<column>: <text>`` in the agreement's
    notes"."""
    texts = {
        "pa_sign": "Signed by both parties.",
        "c_sign": "Signed in Testville.",
        "c_3rd": "Norway facilitated the talks.",
        "linktofulltextagreement": "http://example.org/accord.pdf",
    }
    agreement, _ = _agreement_and_terms(**texts)
    lines = agreement.notes.splitlines()
    for column, text in texts.items():
        assert f"{column}: {text}" in lines, column


def test_an_agreement_signed_in_the_current_year_is_no_year_after_it() -> None:
    """Rule (how-to, "Ends"): a year *after* the current one (the ``today=`` option's)
    is kept as coded, flagged "year after the current year"; "the same holds for the
    UCDP peace agreements' ``pa_date``": one in the current year is not flagged."""
    this_year = _pa({"year": "2030", "pa_date": "2030-05-01"}, today="2030-06-01")
    assert this_year.refused == (), this_year.refused
    assert "year after the current year" not in this_year.flags, dict(this_year.flags)
    next_year = _pa({"year": "2031", "pa_date": "2031-05-01"}, today="2030-06-01")
    assert next_year.flags.get("year after the current year") == 1, dict(next_year.flags)


def test_an_empty_provision_cell_is_not_coded_and_flags_nothing() -> None:
    """Rule (how-to, UCDP table, a provision coded neither 1 nor 0): flagged
    "provision code not understood" for ``-99``, ``.``, ``2``; "An empty cell is not
    coded": no flag, no line, not listed among the provisions coded 1."""
    batch = _pa({"intarmy": "", "pko": "", "ddr": "1"})
    assert batch.refused == (), batch.refused
    assert "provision code not understood" not in batch.flags, dict(batch.flags)
    agreement = _by_id(batch)["ucdp-pa:5001"]
    assert isinstance(agreement, Agreement)
    assert "provision code not understood" not in agreement.notes
    assert "provisions: cease, ddr" in agreement.notes.splitlines()


# ---------------------------------------------------------------------- PA-X

PAX_ROW = {
    **dict.fromkeys(PAX_HEADER[PAX_HEADER.index("GCh") :], "0"),
    "Con": "Synthetica",
    "Contp": "Government",
    "PP": "2",
    "PPName": "Synthetica: peace process",
    "Reg": "Africa (excl MENA)",
    "AgtId": "9001",
    "Ver": "1",
    "Agt": "Testville Ceasefire",
    "Dat": "2001-03-04",
    "Status": "Multiparty signed/agreed",
    "Lgt": "2",
    "N_characters": "5235",
    "Agtp": "Intra",
    "Stage": "Cea",
    "StageSub": "Ceas",
    "Part": "Government of Synthetica; SLF",
    "Loc1ISO": "AFG",
    "Loc1GWNO": "700",
    "UcdpCon": "333",
    "UcdpAgr": "NA",
    "PamAgr": "NA",
    "CowWar": "225",
    "Ce": "1",
}


def _pax(*rows: dict[str, str]) -> ImportBatch:
    full = [{**PAX_ROW, **row} for row in rows]
    return get_importer("pax").read(_csv(PAX_HEADER, full))


def test_a_ucdp_agreement_id_of_six_digits_is_linked_and_of_seven_is_not() -> None:
    """Rule (how-to, PA-X table, ``UcdpCon``, ``UcdpAgr``): "a whole number of *more
    than 6 digits* is no UCDP id": kept as coded, not linked as ``ucdp-pa:``,
    flagged "UCDP id too long to be one"; one of 6 digits is linked."""
    six = _pax({"UcdpAgr": "123456"})
    assert six.refused == (), six.refused
    assert "UCDP id too long to be one" not in six.flags, dict(six.flags)
    agreement = _by_id(six)["pax:9001"]
    assert isinstance(agreement, Agreement)
    assert "ucdp-pa:123456" in agreement.notes
    seven = _pax({"UcdpAgr": "1234567"})
    assert seven.flags.get("UCDP id too long to be one") == 1, dict(seven.flags)
    agreement = _by_id(seven)["pax:9001"]
    assert isinstance(agreement, Agreement)
    assert "ucdp-pa:1234567" not in agreement.notes


def test_an_end_month_or_day_beside_end_year_0_is_kept_in_the_notes_and_flagged() -> None:
    """import-ceasefires.md, flag "month or day without a year": "an end codes one
    beside ``end_yr`` 0 (no end year)": the date is unknown, and the parts as coded
    are kept in the notes, whether the row says the ceasefire ended (``ended`` 1: its
    end unknown) or not (``ended`` 0: in force to the end of coverage). Before, the
    month and day were dropped without a word."""
    for ended, day in (("0", "0"), ("1", "3")):
        batch = _eth({**ETH_ROW, "ended": ended, "end_yr": "0", "end_month": "5", "end_day": day})
        assert batch.refused == ()
        ceasefire = _by_id(batch)["eth-prio:70001"]
        assert isinstance(ceasefire, Commitment)
        assert ceasefire.notes is not None
        assert (
            "month or day without a year, not used (the date is unknown): "
            f"Government of Synthetica (row 1): end coded year 0, month 5, day {day}"
        ) in ceasefire.notes
        assert "eth-prio:70001/end" not in _by_id(batch)  # no end date: no end record
    untouched = _eth({**ETH_ROW, "ended": "0", "end_yr": "0", "end_month": "0", "end_day": "0"})
    notes = _by_id(untouched)["eth-prio:70001"].notes  # type: ignore[attr-defined]
    assert "without a year" not in notes
