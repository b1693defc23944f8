"""Rules an exploratory pass found unsaid or broken, run as an OSINT researcher runs
the library from a notebook (the public API) on the GED sample, the ceasefire files
and records of their own; each checked against values read from the input files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    CasualtyEstimates,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    Figure,
    ImportDataError,
    InvalidRecordError,
    Source,
    TimeExtent,
    Timeline,
    to_dataframe,
)
from test_cli_rules import DATA, cli

GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
NOTE = (
    "(casualty-estimates lists the figures of CasualtyReport records only; the "
    "fatalities of an imported attack (UCDP GED's best, low and high, ACLED's "
    "fatalities) are on the Attack record: export --format csv --kind Attack gives "
    "them in the fatalities_low, fatalities_best and fatalities_high columns)"
)


def _ged_figures() -> dict[str, tuple[int, int, int]]:
    """Each GED row's ``low``, ``best`` and ``high``, by the id the importer gives its
    event (``ucdp:<id>``), read from the file itself."""
    with GED.open(encoding="utf-8", newline="") as handle:
        return {
            f"ucdp:{row['id']}": (int(row["low"]), int(row["best"]), int(row["high"]))
            for row in csv.DictReader(handle)
        }


def test_ged_fatalities_are_on_the_attacks_not_in_casualty_estimates() -> None:
    """claims.md, import.md: `CasualtyEstimates` reads `CasualtyReport` records only,
    so a GED import gives no estimates; each row's ``best`` is its attack's
    ``fatalities.best``, in the data frame's ``fatalities_best`` column (1000 rows,
    9561 deaths in the sample), with ``low`` and ``high`` beside it, but for a row
    published inconsistent (low above best or high below it: 13), whose three
    numbers are in ``fatalities_as_reported``."""
    published = _ged_figures()
    with Timeline() as timeline:
        timeline.import_("ucdp", GED)
        assert len(timeline.state(CasualtyEstimates)) == 0
        frame = to_dataframe(timeline, kinds=["Attack"])
    rows = frame.set_index("id")
    assert set(rows.index) == set(published)
    assert sum(rows["fatalities_best"]) == sum(b for _, b, _ in published.values()) == 9561
    inconsistent = {i for i, (lo, b, hi) in published.items() if lo > b or hi < b}
    assert len(inconsistent) == 13
    for event, (low, best, high) in published.items():
        row = rows.loc[event]
        assert row["fatalities_best"] == best
        if event in inconsistent:
            assert row["fatalities_low"] != row["fatalities_low"]  # NaN: not given
            assert row["fatalities_as_reported"] == (
                f"low {low}, best {best}, high {high} (UCDP GED, inconsistent as published)"
            )
        else:
            assert (row["fatalities_low"], row["fatalities_high"]) == (low, high)


def test_an_empty_casualty_estimates_table_says_where_fatalities_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a ``casualty-estimates`` table with no entries says, under its title,
    that an imported event's fatalities are on its attack and how to export them."""
    into = tmp_path / "GED.db"
    assert cli(capsys, "import", "ucdp", GED, "--into", into)[0] == 0
    status, out, err = cli(capsys, "state", into, "--view", "casualty-estimates")
    assert (status, err) == (0, "")
    assert out.splitlines() == ["casualty-estimates: everything recorded: 0 entries", NOTE]


def test_a_casualty_estimates_table_with_entries_has_no_such_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The note is for an empty answer only: with a figure, the table is as before."""
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            CasualtyReport(
                id="moh-1",
                occurred="2024-05-10",
                sources=(Source(publisher="MoH", published="2024-05-11"),),
                category="civilian",
                measure="killed",
                count=Figure(best=5),
            )
        )
    status, out, _ = cli(capsys, "state", path, "--view", "casualty-estimates")
    assert status == 0
    assert out.splitlines()[0] == "casualty-estimates: everything recorded: 1 entry"
    assert NOTE not in out


@pytest.mark.parametrize(
    ("given", "kind"), [(["truce"], "list"), (("truce",), "tuple"), ({"truce"}, "set")]
)
def test_a_reference_that_takes_one_id_given_several_says_so(given: object, kind: str) -> None:
    """A field naming one record (``breach_of``, ``place``, ``denies``...) given a list
    of ids is refused naming the record, the field and the reason: it takes one id,
    not a list (it said "must be a non-empty id", as if the id were empty)."""
    with pytest.raises(InvalidRecordError) as refused:
        Accusation(
            id="acc",
            occurred="2024-05-12",
            accuser="reb",
            accused=("gov",),
            breach_of=given,  # type: ignore[arg-type]
        )
    assert str(refused.value) == (
        f"Accusation 'acc': breach_of: takes one id (text), not a {kind}: got {given!r}"
    )


@pytest.mark.parametrize("strict", ["no", "yes", 0, 1, None])
def test_an_import_strict_that_is_not_a_bool_is_refused(strict: object) -> None:
    """import.md: ``strict`` is True or False. ``strict="no"`` is truthy: it was taken
    as strict, stopping at the first bad row, the opposite of what its writer meant.
    Refused before the file is read; nothing appended."""
    with Timeline() as timeline:
        with pytest.raises(ImportDataError) as refused:
            timeline.import_("ucdp", GED, strict=strict)  # type: ignore[arg-type]
        assert str(refused.value) == f"import_: strict must be True or False, got {strict!r}"
        assert timeline.head == 0


def test_with_no_at_only_commitments_with_no_until_and_no_end_are_active() -> None:
    """violations.md: asked with no ``at``, ``ActiveCommitments`` lists only the
    commitments with no ``until`` and no recorded end: on the ETH/PRIO sample, none;
    asked at a date, those made, in effect, not lapsed and not ended by then
    (the rule, applied here to the stored records: 36 at the end of 2016)."""
    with Timeline() as timeline:
        timeline.import_("eth-prio", DATA / "ceasefires" / "eth-prio-sample.csv")
        commitments = [r.record for r in timeline.by_kind("Commitment")]
        ends = [r.record for r in timeline.by_kind("CommitmentEnded")]
        assert isinstance(commitments[0], Commitment)
        ended = {end.commitment for end in ends if isinstance(end, CommitmentEnded)}
        never_ending = {
            c.id
            for c in commitments
            if isinstance(c, Commitment) and c.until is None and c.id not in ended
        }
        assert set(timeline.state(ActiveCommitments).ids()) == never_ending == set()

        at = TimeExtent.parse("2016-12-31").latest  # the end of that day, UTC
        by_then = {
            end.commitment
            for end in ends
            if isinstance(end, CommitmentEnded) and end.occurred.earliest < at
        }
        active = {
            c.id
            for c in commitments
            if isinstance(c, Commitment)
            and c.occurred.earliest < at
            and (c.effective is None or c.effective.earliest < at)
            and (c.until is None or c.until.earliest >= at)
            and c.id not in by_then
        }
        assert set(timeline.state(ActiveCommitments, at="2016-12-31").ids()) == active
        assert len(active) == 36
