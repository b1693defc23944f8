"""Versions across imports: files of one dataset imported in any order, again and again.

The rules (docs/howto/import.md, "Versions and deletions"; import-acled-vintages.md,
"Versions"):

- a correction's id is unique to what it supersedes, so a record corrected to A, to
  B, back to A and to B again gets four corrections, and the summary counts what
  was written;
- GED rows carry no version: the file imported last wins;
- ACLED: the latest version by ACLED's own times wins, a row's ``timestamp`` or a
  deletion's ``deleted_timestamp`` (a deletion at or after a row's timestamp deletes
  it; at one timestamp, the row imported last), whatever order the files come in,
  when deletions of events not held yet are kept (``keep_unheld=True``);
- by default a deletion of an event not held is skipped and counted ("event not
  held"): a deletions list imported before the export leaves the event alive;
- a row absent from a later file is left as it is.

Each expected state is worked out by an oracle written from these rules, never by
the importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_timeline import (
    AnyRecord,
    Attack,
    Correction,
    MemoryStore,
    Retraction,
    SQLiteStore,
    Timeline,
    current_records,
)
from conflict_timeline._serialization import canonical_bytes
from conflict_timeline.errors import ImportDataError
from conflict_timeline.importers import ImportBatch, ImportStream, read_ucdp
from conflict_timeline.importers._apply import CurrentVersions, ImportSummary
from conflict_timeline.importers._batch import (
    _ADDED,
    _CURRENT,
    _KIND_CODES,
    _NOTHING,
    _RETRACTED,
    BatchBuilder,
    _Memo,
    _pack,
    _short_hash,
    _unpack,
)
from conflict_timeline.importers.acled import ACLED
from test_import_acled import COLUMNS

# ------------------------------------------------------------------ helpers


class Ticking:
    """A store clock one second later at every reading, so each import is known
    after the one before it."""

    def __init__(self) -> None:
        self.now = pendulum.datetime(2025, 1, 1, tz="UTC")

    def __call__(self) -> dt.datetime:
        self.now = self.now.add(seconds=1)
        return self.now


def timeline() -> Timeline:
    return Timeline(MemoryStore(clock=Ticking()))


def csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


ACLED_COLUMNS = COLUMNS  # ACLED's export columns, as the ACLED import tests write them


def acled_row(**cells: str) -> dict[str, str]:
    row = {
        "event_id_cnty": "SYN1",
        "event_date": "2023-11-02",
        "year": "2023",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Synthetica",
        "inter1": "1",
        "actor2": "Synthetic Liberation Front",
        "inter2": "2",
        "interaction": "12",
        "country": "Synthetica",
        "admin1": "North Province",
        "location": "Testville",
        "latitude": "10.5",
        "longitude": "20.25",
        "source": "Synthetic Daily",
        "notes": "SYNTHETIC ROW",
        "fatalities": "3",
        "timestamp": "1700000000",
    }
    row.update(cells)
    return row


def acled(*rows: dict[str, str]) -> io.StringIO:
    return io.StringIO(csv_text(ACLED_COLUMNS, list(rows)))


def deletions(*pairs: tuple[str, int]) -> io.StringIO:
    lines = ["event_id_cnty,deleted_timestamp", *(f"{eid},{when}" for eid, when in pairs)]
    return io.StringIO("\n".join(lines) + "\n")


GED_COLUMNS = [
    "id",
    "relid",
    "year",
    "type_of_violence",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "source_office",
    "source_date",
    "source_headline",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_civilians",
    "best",
    "high",
    "low",
]


def ged_row(**cells: str) -> dict[str, str]:
    row = {
        "id": "900001",
        "relid": "SYN-1",
        "year": "2023",
        "type_of_violence": "1",
        "side_a_new_id": "11",
        "side_a": "Government of Synthetica",
        "side_b_new_id": "22",
        "side_b": "SLF",
        "source_office": "Synthetic Daily",
        "source_date": "2023-03-04",
        "source_headline": "Clash near Testville",
        "where_prec": "1",
        "where_coordinates": "Testville",
        "adm_1": "North province",
        "latitude": "10.5",
        "longitude": "20.25",
        "country": "Synthetica",
        "date_prec": "1",
        "date_start": "2023-03-01",
        "date_end": "2023-03-01",
        "deaths_civilians": "0",
        "best": "6",
        "high": "9",
        "low": "5",
    }
    row.update(cells)
    return row


def ged(*rows: dict[str, str]) -> io.StringIO:
    return io.StringIO(csv_text(GED_COLUMNS, list(rows)))


def alive(tl: Timeline, rid: str) -> Attack | None:
    """The event as the timeline's views read it now (None when retracted or absent)."""
    for recorded in current_records(tl):
        if recorded.id == rid:
            assert isinstance(recorded.record, Attack)
            return recorded.record
    return None


def best(tl: Timeline, rid: str) -> int | None:
    event = alive(tl, rid)
    assert event is not None
    assert event.fatalities is not None
    return event.fatalities.best


def kinds(tl: Timeline, start: int) -> dict[str, int]:
    """The records appended from ``start`` on, counted by kind."""
    counts: dict[str, int] = {}
    for recorded in tl.store.read(start=start):
        counts[recorded.kind] = counts.get(recorded.kind, 0) + 1
    return counts


# ------------------------------------------------ corrections: A, B, A, B


def test_ged_releases_imported_a_b_a_b_each_correct_to_the_release_imported_last() -> None:
    tl = timeline()
    releases = {22: ged_row(best="6"), 23: ged_row(best="7", high="9", low="5")}
    tl.import_ucdp(ged(releases[22]))
    corrections_written = 0
    for release in (23, 22, 23, 22, 23):
        head = tl.head
        summary = tl.import_ucdp(ged(releases[release]))
        # Oracle: GED has no version stamp, the file imported last wins, and one
        # correction is written for its changed row, counted as written.
        assert kinds(tl, head + 1) == {"Correction": 1}
        assert (summary.corrections, summary.appended, summary.skipped) == (1, 1, 0)
        assert best(tl, "ucdp:900001") == int(releases[release]["best"])
        corrections_written += 1
        # The same file again: unchanged.
        again = tl.import_ucdp(ged(releases[release]))
        assert (again.appended, again.corrections, again.skipped) == (0, 0, 1)
    ids = [r.id for r in tl.store.read(kinds=("Correction",))]
    assert len(ids) == len(set(ids)) == corrections_written


class ReadOnly:
    """An importer with ``read`` only (read whole, then appended): the other path."""

    def __init__(self, importer: Any) -> None:
        self.importer = importer
        self.name = importer.name
        self.description = importer.description
        self.file_kinds = importer.file_kinds

    def recognises(self, columns: object) -> bool:
        return False

    def read(self, source: Any, **options: Any) -> ImportBatch:
        return self.importer.read(source, **options)  # type: ignore[no-any-return]


@pytest.mark.parametrize("streamed", [True, False])
def test_acled_rows_of_one_timestamp_a_b_a_b_the_row_imported_last_wins(streamed: bool) -> None:
    tl = timeline()
    a = acled_row(fatalities="5", timestamp="1700600000")
    b = acled_row(fatalities="4", timestamp="1700600000")  # the same version stamp
    older = acled_row(fatalities="3", timestamp="1700000000")
    importer = ACLED if streamed else ReadOnly(ACLED)
    tl.import_(importer, acled(older))
    for row in (a, b, a, b, a):
        head = tl.head
        summary = tl.import_(importer, acled(row))
        # Oracle: the latest timestamp wins; at one timestamp, the row imported last;
        # one correction written, and counted.
        assert kinds(tl, head + 1) == {"Correction": 1}
        assert (summary.corrections, summary.appended) == (1, 1)
        assert best(tl, "acled:SYN1") == int(row["fatalities"])
        # An older row changes nothing, and is flagged.
        flagged = tl.import_(importer, acled(older))
        assert (flagged.appended, flagged.skipped) == (0, 1)
        assert flagged.flags == {"older than the stored version (the stored one kept)": 1}
        # The same row again: unchanged.
        same = tl.import_(importer, acled(row))
        assert (same.appended, same.skipped, same.flags) == (0, 1, {})
        assert best(tl, "acled:SYN1") == int(row["fatalities"])


def test_a_correction_says_whether_acled_changed_the_row_or_it_reads_differently() -> None:
    """ACLED changes a row's timestamp with every change it makes: a row that reads
    differently under the stored version's timestamp (an importer that maps it
    differently, or an edited file) was not changed by ACLED, and its correction says
    so; a row under a later timestamp was."""
    changed = "ACLED re-import: row changed"
    reread = (
        "ACLED re-import: same timestamp, read differently (ACLED changes the timestamp "
        "with each change it makes: the importer's mapping, the file or the stored "
        "version changed)"
    )
    cases = {
        # (fatalities, timestamp) imported in turn -> the reasons of the corrections
        "a later instant, then the same instant": (
            [("3", "1700000000"), ("5", "1700600000"), ("4", "1700600000")],
            [changed, reread],
        ),
        # A stamp of a day may hold two of ACLED's versions: not known to be one.
        "the same day": (
            [("3", "2023-11-21"), ("5", "2023-11-21"), ("4", "2023-11-22")],
            [changed, changed],
        ),
        # The same instant read differently twice, back and forth.
        "the same instant again and again": (
            [("3", "1700600000"), ("5", "1700600000"), ("3", "1700600000")],
            [reread, reread],
        ),
    }
    for name, (rows, expected) in cases.items():
        tl = timeline()
        for fatalities, stamp in rows:
            tl.import_(ACLED, acled(acled_row(fatalities=fatalities, timestamp=stamp)))
        corrections = [r.record for r in tl.store.read(kinds=("Correction",))]
        assert [c.reason for c in corrections] == expected, name  # type: ignore[attr-defined]


def test_a_correction_id_is_chained_to_what_it_supersedes() -> None:
    tl = timeline()
    first, second = ged_row(best="6"), ged_row(best="7")
    tl.import_ucdp(ged(first))
    tl.import_ucdp(ged(second))
    tl.import_ucdp(ged(first))
    c1, c2 = (r.record for r in tl.store.read(kinds=("Correction",)))
    assert isinstance(c1, Correction)
    assert isinstance(c2, Correction)
    # The first correction of a record keeps the id it always had (the replacement's
    # hash); a later one differs from the first correction to the same content.
    assert c1.id == f"ucdp:900001#correction-{_short_hash(c1.replacement)}"
    assert c2.id != f"ucdp:900001#correction-{_short_hash(c2.replacement)}"


def test_a_timeline_holding_corrections_ided_the_old_way_reads_and_corrects_on() -> None:
    """Corrections stored before ids were chained (every id the replacement's hash,
    so a flip back to an earlier value repeats an id) keep their ids; the next import
    of a changed row writes a correction that is no repeat."""
    tl = timeline()
    batches = [read_ucdp(ged(ged_row(best=b))) for b in ("6", "7")]
    tl.extend(batches[0].records)
    (six,) = batches[0].events()
    (seven,) = batches[1].events()
    for replacement in (seven, six):  # A -> B -> A, ids as they were made
        tl.append(
            Correction(
                id=f"{replacement.id}#correction-{_short_hash(replacement)}",
                occurred=replacement.occurred,
                sources=tuple(s for s in replacement.sources if s.published is None),
                corrects=replacement.id,
                replacement=replacement,
                reason="UCDP re-import: row changed",
            )
        )
    assert best(tl, "ucdp:900001") == 6
    summary = tl.import_ucdp(ged(ged_row(best="7")))
    assert (summary.corrections, summary.appended) == (1, 1)
    assert best(tl, "ucdp:900001") == 7
    assert tl.verify().ok


@pytest.mark.parametrize("streamed", [True, False])
def test_the_summary_counts_records_written_not_records_produced(streamed: bool) -> None:
    """An importer whose records the store holds already: appended idempotently, so
    not counted as written (streamed, or read whole)."""
    tl = timeline()
    batch = read_ucdp(ged(ged_row()))
    tl.extend(batch.records[:-1])  # all but the event
    (event,) = batch.events()

    def replay(keep: Callable[[BatchBuilder], None]) -> Iterator[AnyRecord]:
        keep(BatchBuilder(file="replay", existing=None, strict=False, reimport_reason=""))
        yield from batch.records

    class Replays:
        name = "replays"
        description = "gives the same records again"
        file_kinds = ("csv",)

        def recognises(self, columns: object) -> bool:
            return False

        def read(self, source: object, **options: object) -> ImportBatch:
            return batch

    class Streams(Replays):
        def stream(self, source: object, **options: object) -> ImportStream:
            return ImportStream(replay)

    summary = tl.import_(Streams() if streamed else Replays(), io.StringIO(""))
    assert (summary.appended, summary.events, summary.definitions) == (1, 1, 0)
    assert summary.first_position == summary.last_position == tl.head
    assert tl.get(event.id) is not None


# ------------------------------------------------------- ACLED deletions


T0, T_DELETED, T1 = 1700000000, 1700700000, 1701000000
FILES = {
    "older export": ("row", T0, "3"),
    "deletions": ("deletion", T_DELETED, ""),
    "newer export": ("row", T1, "4"),
}


def oracle(imported: tuple[str, ...], *, keep_unheld: bool = True) -> str | None:
    """The rule: the latest of the versions imported, by ACLED's times, wins; a
    deletion at or after a row's timestamp deletes it. By default (not
    ``keep_unheld``) a deletion imported while no export has brought the event is
    skipped, as if never imported. The fatalities of the live version, or None
    (deleted, or never held)."""
    if not keep_unheld:
        held = False
        kept = []
        for name in imported:
            held = held or FILES[name][0] == "row"
            if held:
                kept.append(name)
        imported = tuple(kept)
    versions = [FILES[name] for name in imported]
    rows = [v for v in versions if v[0] == "row"]
    if not rows:
        return None
    latest = max(rows, key=lambda v: v[1])
    if any(v[0] == "deletion" and v[1] >= latest[1] for v in versions):
        return None
    return latest[2]


def import_file(tl: Timeline, name: str, *, keep_unheld: bool = True) -> object:
    kind, when, fatalities = FILES[name]
    if kind == "deletion":
        return tl.import_acled_deletions(deletions(("SYN1", when)), keep_unheld=keep_unheld)
    return tl.import_acled(acled(acled_row(fatalities=fatalities, timestamp=str(when))))


def orders() -> Iterator[tuple[str, ...]]:
    for size in (1, 2, 3):
        yield from itertools.permutations(FILES, size)


@pytest.mark.parametrize("order", list(orders()), ids=" > ".join)
def test_acled_exports_and_deletions_in_any_order_leave_the_latest_version(
    order: tuple[str, ...],
) -> None:
    """With ``keep_unheld=True`` (every deletions list imported so here)."""
    tl = timeline()
    for name in order:
        import_file(tl, name)
    expected = oracle(order)
    event = alive(tl, "acled:SYN1")
    if expected is None:
        assert event is None
    else:
        assert event is not None
        assert event.fatalities is not None
        assert event.fatalities.best == int(expected)
    # Once an export brought the event, no deletion waits for it any more.
    if any(FILES[n][0] == "row" for n in order):
        assert tl.dangling_references() == []
    # Any of the files again changes nothing.
    for name in order:
        head = tl.head
        import_file(tl, name)
        assert tl.head == head, name
    assert tl.verify().ok


@pytest.mark.parametrize("order", list(orders()), ids=" > ".join)
def test_by_default_deletions_imported_before_the_export_leave_the_event_alive(
    order: tuple[str, ...],
) -> None:
    """Without ``keep_unheld`` the order matters: a deletion imported before any
    export held the event is skipped, so the export brings the event in alive. The
    deletions list imported again after the exports applies it."""
    tl = timeline()
    for name in order:
        import_file(tl, name, keep_unheld=False)
    expected = oracle(order, keep_unheld=False)
    event = alive(tl, "acled:SYN1")
    if expected is None:
        assert event is None
    else:
        assert event is not None
        assert event.fatalities is not None
        assert event.fatalities.best == int(expected)
    assert tl.dangling_references() == []  # no deletion ever waits for its event
    # The deletions list imported (again) after the exports: the latest version wins.
    import_file(tl, "deletions", keep_unheld=False)
    assert (alive(tl, "acled:SYN1") is None) == (oracle((*order, "deletions")) is None)
    assert tl.verify().ok


def test_by_default_a_deletion_of_an_event_not_held_is_skipped_and_counted() -> None:
    tl = timeline()
    summary = tl.import_acled_deletions(deletions(("SYN1", T_DELETED)), strict=True)
    assert (summary.rows, summary.appended, summary.retractions, summary.skipped) == (1, 0, 0, 0)
    assert (summary.out_of_scope, summary.flags, summary.refused) == (
        {"event not held": 1},
        {},
        (),
    )
    assert "1 skipped by design (event not held 1)" in str(summary)
    assert "event not held" in summary.table()
    assert tl.head == 0
    assert tl.dangling_references() == []
    # The export imported afterwards brings the event in alive (documented: import
    # the deletions list after the exports, or pass keep_unheld=True).
    export = tl.import_acled(acled(acled_row(timestamp=str(T0))))
    assert (export.events, export.flags, export.refused) == (1, {}, ())
    assert alive(tl, "acled:SYN1") is not None
    # The list imported again now retracts it.
    again = tl.import_acled_deletions(deletions(("SYN1", T_DELETED)))
    assert (again.retractions, again.out_of_scope) == (1, {})
    assert alive(tl, "acled:SYN1") is None


def test_keep_unheld_is_an_option_of_the_deletions_importer_only() -> None:
    """Passed through `Timeline.import_`; another importer refuses it by name."""
    tl = timeline()
    kept = tl.import_("acled-deletions", deletions(("SYN1", T_DELETED)), keep_unheld=True)
    assert kept.retractions == 1
    assert [d.ref for d in tl.dangling_references()] == ["acled:SYN1"]
    with pytest.raises(ImportDataError, match="importer 'acled' has no option 'keep_unheld'"):
        tl.import_("acled", acled(acled_row()), keep_unheld=True)
    with pytest.raises(ImportDataError, match="'acled-deletions' has no option 'keep'"):
        tl.import_("acled-deletions", deletions(("SYN2", T_DELETED)), keep=True)


def test_a_deletion_older_than_the_stored_version_changes_nothing_and_is_flagged() -> None:
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T1))))
    summary = tl.import_acled_deletions(deletions(("SYN1", 1690000000)))
    assert (summary.retractions, summary.appended, summary.skipped) == (0, 0, 1)
    assert summary.flags == {"deletion older than the stored version (the stored one kept)": 1}
    assert alive(tl, "acled:SYN1") is not None


def test_a_deletion_at_the_stored_version_deletes() -> None:
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    summary = tl.import_acled_deletions(deletions(("SYN1", T0)))
    assert (summary.retractions, summary.flags) == (1, {})
    assert alive(tl, "acled:SYN1") is None


def test_keep_unheld_keeps_a_deletion_of_an_event_not_held_until_the_export_brings_it() -> None:
    tl = timeline()
    summary = tl.import_acled_deletions(deletions(("SYN1", T_DELETED)), keep_unheld=True)
    assert (summary.retractions, summary.skipped, summary.out_of_scope) == (1, 0, {})
    assert summary.flags == {"event not imported yet (the deletion kept, to retract it)": 1}
    (waiting,) = tl.dangling_references()
    assert waiting.ref == "acled:SYN1"
    export = tl.import_acled(acled(acled_row(timestamp=str(T0))))
    assert (export.events, export.refused) == (1, ())
    assert export.flags == {
        "deleted before it was imported (the stored retraction retracts it)": 1
    }
    assert alive(tl, "acled:SYN1") is None
    assert tl.dangling_references() == []
    # The same records as the other order: the event and its retraction.
    assert {r.kind for r in tl.store.read(kinds=("Attack", "Retraction"))} == {
        "Attack",
        "Retraction",
    }


def test_a_row_newer_than_its_deletion_brings_the_event_back_as_a_correction() -> None:
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    tl.import_acled_deletions(deletions(("SYN1", T_DELETED)))
    summary = tl.import_acled(acled(acled_row(fatalities="4", timestamp=str(T1))), strict=True)
    assert (summary.corrections, summary.refused) == (1, ())
    assert summary.flags == {"newer than its deletion (brought back)": 1}
    assert best(tl, "acled:SYN1") == 4
    # A later deletion deletes it again, under an id of its own.
    again = tl.import_acled_deletions(deletions(("SYN1", T1 + 100)))
    assert again.retractions == 1
    ids = sorted(r.id for r in tl.store.read(kinds=("Retraction",)))
    assert ids == ["acled:SYN1#retraction", f"acled:SYN1#retraction-{(T1 + 100) * 10**6}"]
    assert alive(tl, "acled:SYN1") is None


@pytest.mark.parametrize("stamp", [T0, T_DELETED], ids=["older-export-again", "same-second"])
def test_a_row_not_newer_than_its_deletion_changes_nothing_and_is_flagged(stamp: int) -> None:
    """An export older than the deletions list (or of the deletion's own second),
    imported again: the deletion outdates the row, as a stored version outdates an
    older row. Nothing is appended or refused, in strict mode too."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    tl.import_acled_deletions(deletions(("SYN1", T_DELETED)))
    head = tl.store.head
    summary = tl.import_acled(acled(acled_row(fatalities="4", timestamp=str(stamp))), strict=True)
    assert (summary.appended, summary.skipped, summary.refused) == (0, 1, ())
    assert summary.flags == {"not newer than its deletion (the deletion kept)": 1}
    assert tl.store.head == head
    assert alive(tl, "acled:SYN1") is None


def retracted_by_the_user() -> Timeline:
    """A timeline holding one imported ACLED event, retracted by the user (not by
    ACLED: no deletion row)."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    tl.append(
        Retraction(
            id="mine",
            occurred="2023-11-20",
            reported="2023-11-20",
            retracts="acled:SYN1",
            reason="a duplicate of another event",
        )
    )
    return tl


def test_a_retraction_of_another_kind_blocks_a_newer_row() -> None:
    """Only a deletion by ACLED (dated) is a version a newer row outdates; a
    retraction of the user's own stays."""
    tl = retracted_by_the_user()
    summary = tl.import_acled(acled(acled_row(fatalities="4", timestamp=str(T1))))
    assert summary.appended == 0
    assert "was retracted" in summary.refused[0].reason
    # No version of its own to outdate the row by: the same row again is refused too.
    again = tl.import_acled(acled(acled_row(timestamp=str(T0))))
    assert (again.appended, again.flags) == (0, {})
    assert "was retracted" in again.refused[0].reason


# ------------------------------------------- a row absent from a later file


@pytest.mark.parametrize("dataset", ["ucdp", "acled"])
def test_a_row_absent_from_a_later_file_is_left_as_it_is(dataset: str) -> None:
    """An import adds and corrects; it never retracts what a file does not hold (a
    file may be a subset: one country, one year)."""
    tl = timeline()
    if dataset == "ucdp":
        tl.import_ucdp(ged(ged_row(), ged_row(id="900002")))
        later = tl.import_ucdp(ged(ged_row(best="7")))
        kept = "ucdp:900002"
    else:
        tl.import_acled(acled(acled_row(), acled_row(event_id_cnty="SYN2")))
        later = tl.import_acled(acled(acled_row(fatalities="5", timestamp=str(T1))))
        kept = "acled:SYN2"
    assert (later.retractions, later.corrections) == (0, 1)
    assert alive(tl, kept) is not None
    assert not list(tl.store.read(kinds=("Retraction",)))


def test_a_path_import_counts_the_same(tmp_path: Path) -> None:
    """The same A-B-A-B on a SQLite timeline, through files on disk."""
    tl = Timeline.open(tmp_path / "tl.db")
    paths = []
    for n, b in enumerate(("6", "7")):
        path = tmp_path / f"ged-{n}.csv"
        path.write_text(ged(ged_row(best=b)).getvalue(), encoding="utf-8")
        paths.append(path)
    tl.import_ucdp(paths[0])
    for path, value in ((paths[1], 7), (paths[0], 6), (paths[1], 7)):
        summary = tl.import_ucdp(path)
        assert (summary.corrections, summary.appended) == (1, 1)
        assert best(tl, "ucdp:900001") == value
    tl.close()


# ------------------------------------------- versions of one event in one file
#
# Two downloads joined into one file carry two versions of a revised event. The rule
# (import-acled-vintages.md, "Versions"): a file holding several versions of an event
# imports as the same rows in files of their own, in the file's order, would; only
# versions that their timestamps do not order (the same timestamp, different cells)
# are refused, since within one file no import order says which came last.

VERSIONS = {
    "v0": (T0, "3"),
    "v1": (T_DELETED, "4"),
    "v1'": (T_DELETED, "9"),  # v1's timestamp, other cells
    "v2": (T1, "5"),
}


def version_oracle(
    order: tuple[str, ...], stored: str | None = None
) -> tuple[list[str], str | None, int, list[int]]:
    """From the rule: what one file of the rows ``order`` writes (the kinds), the
    fatalities then current, how many rows are flagged older, and the refused lines
    (line 2 is the first row), when the store held version ``stored`` before.

    A row whose timestamp is the newest earlier row's, with other cells, is refused;
    every other row is taken as a file of its own: against the current version, a
    later timestamp corrects it, an earlier one is flagged, the same one with other
    cells corrects it too (the row imported last wins), the same row changes
    nothing."""
    current = VERSIONS[stored] if stored is not None else None
    newest: tuple[int, str] | None = None  # the newest row of the file so far
    written, flagged, refused = [], 0, []
    for line, name in enumerate(order, start=2):
        version = VERSIONS[name]
        if newest is not None and version[0] == newest[0] and version != newest:
            refused.append(line)
            continue
        if newest is None or version[0] > newest[0]:
            newest = version
        if current is None:
            written.append("Attack")
        elif version == current:
            continue
        elif version[0] < current[0]:
            flagged += 1
            continue
        else:
            written.append("Correction")
        current = version
    return written, None if current is None else current[1], flagged, refused


def _deleted_in_both(keep_unheld: bool) -> tuple[Timeline, Timeline]:
    """Two timelines holding ACLED's deletion of SYN1 (T_DELETED): kept before the
    event (``keep_unheld``), or after the event itself (T0)."""
    pair = timeline(), timeline()
    for each in pair:
        if keep_unheld:
            each.import_acled_deletions(deletions(("SYN1", T_DELETED)), keep_unheld=True)
        else:
            each.import_acled(acled(acled_row(fatalities="2", timestamp=str(T0 - 5))))
            each.import_acled_deletions(deletions(("SYN1", T_DELETED)))
    return pair


def _in_turn(
    tl: Timeline, rows: Sequence[dict[str, str]]
) -> tuple[list[tuple[int, str]], dict[str, int], int]:
    """``rows`` imported into ``tl`` one file each, in turn: the refusals (by the
    line each row has in one file of them all, and reason), the flags and the rows
    skipped, summed."""
    refused: list[tuple[int, str]] = []
    flags: dict[str, int] = {}
    skipped = 0
    for line, row in enumerate(rows, start=2):
        one = tl.import_acled(acled(row))
        refused += [(line, r.reason) for r in one.refused]
        skipped += one.skipped
        for kind, count in one.flags.items():
            flags[kind] = flags.get(kind, 0) + count
    return refused, flags, skipped


def version_rows(order: tuple[str, ...]) -> list[dict[str, str]]:
    return [acled_row(fatalities=VERSIONS[n][1], timestamp=str(VERSIONS[n][0])) for n in order]


def written(tl: Timeline, start: int) -> list[tuple[str, bytes]]:
    """The records appended from ``start`` on: ids and canonical bytes."""
    return [(r.id, canonical_bytes(r.record)) for r in tl.store.read(start=start)]


def version_orders() -> Iterator[tuple[str, ...]]:
    for size in (2, 3):
        yield from itertools.permutations(VERSIONS, size)
    yield ("v0", "v2", "v0", "v2")  # each again, to the letter
    yield ("v2", "v0", "v1", "v2", "v0")
    yield ("v0", "v0", "v1'", "v1", "v1'")


@pytest.mark.parametrize("stored", [None, "v1", "v2"])
@pytest.mark.parametrize("order", list(version_orders()), ids=" > ".join)
def test_versions_in_one_file_import_as_the_same_rows_in_files_in_turn(
    order: tuple[str, ...], stored: str | None
) -> None:
    """Checked against the rule's oracle (what is written, the live version, the
    flags, the refusals), and against the rows not refused imported one file each:
    the same records, ids and bytes, and the same flags counted."""
    tl, apart = timeline(), timeline()
    for each in (tl, apart):
        if stored is not None:
            each.import_acled(acled(*version_rows((stored,))))
    start = tl.head + 1
    summary = tl.import_acled(acled(*version_rows(order)))
    kinds_written, fatalities, flagged, refused = version_oracle(order, stored)
    events_written = [r.kind for r in tl.store.read(start=start) if not r.kind.endswith("Defined")]
    assert events_written == kinds_written
    assert [r.line for r in summary.refused] == refused
    assert summary.flags.get("older than the stored version (the stored one kept)", 0) == flagged
    live = alive(tl, "acled:SYN1")
    assert live is not None
    assert live.fatalities is not None
    assert str(live.fatalities.best) == fatalities
    flags: dict[str, int] = {}
    for line, name in enumerate(order, start=2):
        if line not in refused:
            one = apart.import_acled(acled(*version_rows((name,))))
            for kind, count in one.flags.items():
                flags[kind] = flags.get(kind, 0) + count
    assert written(tl, start) == written(apart, start)
    assert summary.flags == flags
    assert tl.verify().ok


STAMP_T2 = T1 + 100_000


@pytest.mark.parametrize("keep_unheld", [False, True])
@pytest.mark.parametrize(
    "order",
    [
        *itertools.permutations(((T0, "3"), (T1, "4"), (STAMP_T2, "5")), 2),
        *itertools.permutations(((T0, "3"), (T1, "4"), (STAMP_T2, "5"))),
        ((T1, "4"), (T1, "4"), (T0, "3"), (T0, "3")),
    ],
    ids=str,
)
def test_versions_in_one_file_after_a_stored_deletion_import_as_files_in_turn(
    order: tuple[tuple[int, str], ...], keep_unheld: bool
) -> None:
    """ACLED deleted the event (T_DELETED, between T0 and T1) and the deletion is
    stored: after the event itself (T0) or, kept with ``keep_unheld``, before it.
    A file of versions of the event then imports as its rows one file each: the
    same records, ids and bytes, the same flags and refusals, the same live
    version."""
    tl, apart = _deleted_in_both(keep_unheld)
    start = tl.head + 1
    rows = [acled_row(fatalities=f, timestamp=str(t)) for t, f in order]
    summary = tl.import_acled(acled(*rows))
    refused, flags, _ = _in_turn(apart, rows)
    assert written(tl, start) == written(apart, start)
    assert [r.line for r in summary.refused] == [line for line, _ in refused]
    assert summary.flags == flags
    assert alive(tl, "acled:SYN1") == alive(apart, "acled:SYN1")
    assert tl.verify().ok


def _arrest(**cells: str) -> dict[str, str]:
    """A Strategic developments row of event SYN1: a Statement, not an Attack."""
    return acled_row(
        event_type="Strategic developments",
        sub_event_type="Arrests",
        actor2="",
        inter2="",
        interaction="10",
        **cells,
    )


@pytest.mark.parametrize(
    ("keep_unheld", "rows", "refusals"),
    [
        # Kept before the event: the row without a timestamp is appended, retracted;
        # the same row again is refused, as in a file of its own.
        (True, (acled_row(timestamp=""), acled_row(timestamp="")), 1),
        # A version newer than the deletion of another kind is the event's record of
        # that kind (acled:SYN1#as-statement), in one file as in files in turn.
        (True, (acled_row(timestamp=str(T0)), _arrest(timestamp=str(T1))), 0),
        (False, (_arrest(timestamp=str(T1)), acled_row(event_id_cnty="SYN2")), 0),
        # A row that changes nothing under the deletion (not newer than it) keeps what
        # the event is: the row newer than the deletion then brings it back.
        (
            True,
            (
                acled_row(fatalities="3", timestamp=str(T0)),
                acled_row(fatalities="4", timestamp=str(T0 + 100_000)),
                acled_row(fatalities="5", timestamp=str(T1)),
            ),
            0,
        ),
    ],
    ids=["unstamped-repeat", "other-kind-in-file", "other-kind-stored", "back-after-a-no-op"],
)
def test_rows_after_a_stored_deletion_without_a_stamp_or_of_another_kind_as_files_in_turn(
    keep_unheld: bool, rows: tuple[dict[str, str], ...], refusals: int
) -> None:
    """import.md: each row of a file is judged as if it came in a file of its own. A
    row without a timestamp appended under a stored deletion stays retracted (a
    repeat of it is refused, not "unchanged"); a version newer than the deletion
    whose kind differs from the event's comes under the id of its kind, and the rest
    of the file is imported, never the whole import failed."""
    tl, apart = _deleted_in_both(keep_unheld)
    start = tl.head + 1
    summary = tl.import_acled(acled(*rows))
    refused, flags, skipped = _in_turn(apart, rows)
    assert written(tl, start) == written(apart, start)
    assert [(r.line, r.reason) for r in summary.refused] == refused
    assert len(refused) == refusals
    assert (summary.flags, summary.skipped) == (flags, skipped)
    assert alive(tl, "acled:SYN1") == alive(apart, "acled:SYN1")
    assert tl.verify().ok
    if rows[-1]["event_id_cnty"] == "SYN2":
        assert alive(tl, "acled:SYN2") is not None


@pytest.mark.parametrize(
    ("stored", "stamps"),
    [
        ("", (T1, STAMP_T2)),  # a version without a timestamp stored, then a file of two
        (None, (1698000000, 1698100000, 1698200000)),  # every stamp before the event
    ],
)
def test_a_later_version_that_nothing_would_order_in_knowledge_time_is_refused(
    stored: str | None, stamps: tuple[int, ...]
) -> None:
    """A correction whose timestamp is not later than what it corrects is known from
    when it is appended. Two such corrections of one event in one file would share
    that time, and their ids (hashes) would decide which is current. So the later
    version is refused, saying to import it in a file of its own; imported so, it
    is the live version."""
    tl = timeline()
    if stored is not None:
        tl.import_acled(acled(acled_row(fatalities="2", timestamp=stored)))
    rows = [acled_row(fatalities=str(3 + n), timestamp=str(t)) for n, t in enumerate(stamps)]
    summary = tl.import_acled(acled(*rows))
    [refused] = summary.refused
    assert refused.line == len(rows) + 1
    assert "nothing would order them; import the row in a file of its own" in refused.reason
    assert best(tl, "acled:SYN1") == 3 + len(rows) - 2
    tl.import_acled(acled(rows[-1]))
    assert best(tl, "acled:SYN1") == 3 + len(rows) - 1


def test_a_row_refused_counts_none_of_its_flags() -> None:
    """A row refused when judged against the rows before it (one timestamp, other
    cells) leaves the flags as they were before it was read, its converter's
    included (its timestamp before the event), and is not counted as a flagged row."""
    early = "1698000000"  # before the event of 2023-11-02
    tl = timeline()
    summary = tl.import_acled(
        acled(acled_row(timestamp=early), acled_row(fatalities="8", timestamp=early))
    )
    assert [r.line for r in summary.refused] == [3]
    assert summary.flags == {"timestamp rounded or before the event": 1}
    # Rows taken with a flag, each once: line 2 alone, the refused line 3 not.
    assert summary.flagged == 1


def test_a_version_not_later_in_one_file_is_refused_naming_the_first_line() -> None:
    """The same timestamp with other cells: nothing orders the two, so the second is
    refused, the first kept; likewise after a first row that changed nothing."""
    tl = timeline()
    same_stamp = [acled_row(fatalities="3"), acled_row(fatalities="4")]
    summary = tl.import_acled(acled(*same_stamp))
    [refused] = summary.refused
    assert refused.line == 3
    assert "appears again with different content (first at line 2)" in refused.reason
    assert best(tl, "acled:SYN1") == 3
    head = tl.head
    again = tl.import_acled(acled(*same_stamp))  # the first row now changes nothing
    assert tl.head == head
    assert [r.line for r in again.refused] == [3]
    assert "is not a later version of it" in again.refused[0].reason


# ------------------------------------------- rows without a version stamp
#
# The rule (import.md, "Versions and deletions"): a row without a ``timestamp`` (a
# 2017-era file has no such column; a cell may be empty) proves nothing newer than a
# version with one. Against a stamped version it changes nothing: counted unchanged,
# flagged "no timestamp (the stored version kept)". Where neither has a stamp, the
# rules are as before: the file imported last wins, two such rows in one file that
# differ are refused.

UNSTAMPED = "no timestamp (the stored version kept)"


def unstamped_file(fatalities: str, *, column: bool) -> io.StringIO:
    """One row of SYN1 without a timestamp: a file without the column (a 2017-era
    export), or with the cell empty."""
    if column:
        return acled(acled_row(fatalities=fatalities, timestamp=""))
    columns = [c for c in ACLED_COLUMNS if c != "timestamp"]
    return io.StringIO(csv_text(columns, [acled_row(fatalities=fatalities)]))


@pytest.mark.parametrize("column", [False, True], ids=["no-column", "empty-cell"])
def test_a_row_without_a_timestamp_keeps_a_stored_version_with_one(column: bool) -> None:
    """The stored version (3 killed, stamped T1) stays current, the knowledge time it
    has kept; the unstamped row (7 killed) appends nothing, counted and flagged."""
    tl = timeline()
    tl.import_acled(acled(acled_row(fatalities="3", timestamp=str(T1))))
    head = tl.head
    summary = tl.import_acled(unstamped_file("7", column=column))
    assert tl.head == head
    assert (summary.appended, summary.skipped, summary.refused) == (0, 1, ())
    assert summary.flags == {UNSTAMPED: 1}
    current = CurrentVersions(tl.store)("acled:SYN1")
    assert isinstance(current, Attack)
    assert current.fatalities is not None
    assert current.fatalities.best == 3
    assert current.reported is not None
    assert current.reported.last == T1 * 1_000_000  # known by T1, as imported


def test_without_a_timestamp_on_either_side_the_file_imported_last_wins() -> None:
    """Neither version has a stamp: as before, the row imported last corrects."""
    tl = timeline()
    tl.import_acled(unstamped_file("3", column=False))
    summary = tl.import_acled(unstamped_file("7", column=True))
    assert (summary.corrections, summary.flags) == (1, {})
    assert best(tl, "acled:SYN1") == 7


@pytest.mark.parametrize("first", ["stamped", "unstamped"])
def test_in_one_file_the_version_with_a_timestamp_stands_over_one_without(first: str) -> None:
    """A stamped row (5 killed, T1) and an unstamped one (7 killed) of one event in one
    file, in either order: the stamped version is current. Stamped first: the
    unstamped row changes nothing, flagged. Unstamped first: it is appended, and the
    stamped one corrects it (nothing refused)."""
    stamped = acled_row(fatalities="5", timestamp=str(T1))
    bare = acled_row(fatalities="7", timestamp="")
    rows = (stamped, bare) if first == "stamped" else (bare, stamped)
    tl = timeline()
    start = tl.head + 1
    summary = tl.import_acled(acled(*rows))
    assert summary.refused == ()
    assert best(tl, "acled:SYN1") == 5
    events = [r.kind for r in tl.store.read(start=start) if not r.kind.endswith("Defined")]
    if first == "stamped":
        assert events == ["Attack"]
        assert (summary.flags, summary.skipped) == ({UNSTAMPED: 1}, 1)
    else:
        assert events == ["Attack", "Correction"]
        assert (summary.flags, summary.skipped) == ({}, 0)
    assert tl.verify().ok
    # As the rows in files of their own, in turn: the same records, ids and bytes.
    apart = timeline()
    for row in rows:
        apart.import_acled(acled(row))
    assert written(tl, start) == written(apart, start)


# ------------------------------------------- versions recoded out of scope
#
# The rule (import.md, "Versions and deletions"): ACLED overwrites a revised event
# under its id, so a newer version recoded as a protest or a riot (skipped by design)
# retracts the record the timeline holds: "ACLED recoded the event as ..., out of
# scope", counted as a retraction and flagged "recoded out of scope (the record
# retracted)". An older such version changes nothing, flagged as older rows are.

RECODED = "recoded out of scope (the record retracted)"


def _protest(stamp: int) -> dict[str, str]:
    """SYN1 as ACLED recoded it: a peaceful protest (out of scope)."""
    return acled_row(
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Synthetica)",
        inter1="6",
        actor2="",
        inter2="",
        interaction="60",
        fatalities="0",
        timestamp=str(stamp),
    )


@pytest.mark.parametrize("one_file", [False, True], ids=["two-files", "one-file"])
def test_a_newer_version_recoded_out_of_scope_retracts_the_record(one_file: bool) -> None:
    tl = timeline()
    if one_file:
        summary = tl.import_acled(acled(acled_row(timestamp=str(T0)), _protest(T1)))
    else:
        tl.import_acled(acled(acled_row(timestamp=str(T0))))
        summary = tl.import_acled(acled(_protest(T1)))
    assert summary.refused == ()
    assert summary.retractions == 1
    assert summary.flags == {RECODED: 1}
    assert summary.out_of_scope == {}
    assert alive(tl, "acled:SYN1") is None
    current = CurrentVersions(tl.store)("acled:SYN1")
    assert isinstance(current, Retraction)
    assert current.id == "acled:SYN1#withdrawn"
    assert current.reason.startswith(
        "ACLED recoded the event as Protests (Peaceful protest), out of scope"
    )
    # Known from the recoding row's timestamp, which dates it.
    assert current.reported is not None
    assert (current.reported.lo, current.reported.last) == (T1 * 1_000_000, T1 * 1_000_000)
    assert tl.verify().ok
    # The same file again changes nothing; the older battle neither.
    head = tl.head
    tl.import_acled(acled(_protest(T1)))
    older = tl.import_acled(acled(acled_row(timestamp=str(T0))))
    assert tl.head == head
    assert older.skipped == 1
    assert alive(tl, "acled:SYN1") is None


@pytest.mark.parametrize("one_file", [False, True], ids=["two-files", "one-file"])
def test_an_older_version_recoded_out_of_scope_changes_nothing(one_file: bool) -> None:
    tl = timeline()
    if one_file:
        summary = tl.import_acled(acled(acled_row(timestamp=str(T1)), _protest(T0)))
    else:
        tl.import_acled(acled(acled_row(timestamp=str(T1))))
        summary = tl.import_acled(acled(_protest(T0)))
    assert summary.retractions == 0
    assert summary.flags == {"older than the stored version (the stored one kept)": 1}
    assert summary.skipped == 1
    assert best(tl, "acled:SYN1") == 3


def test_a_protest_of_an_event_not_held_is_skipped_by_design_as_before() -> None:
    tl = timeline()
    summary = tl.import_acled(acled(_protest(T1)))
    assert (summary.out_of_scope, summary.appended, summary.flags) == ({"Protests": 1}, 0, {})


def test_ged_rows_of_one_id_in_one_file_are_still_refused() -> None:
    """GED rows carry no version: two of one id that differ are refused, even when the
    first changed nothing (the stored version)."""
    tl = timeline()
    tl.import_ucdp(ged(ged_row()))
    summary = tl.import_ucdp(ged(ged_row(), ged_row(best="7", high="9")))
    assert [r.line for r in summary.refused] == [3]
    assert "appears again with different content (first at line 2)" in summary.refused[0].reason
    assert best(tl, "ucdp:900001") == 6


def test_versions_far_apart_in_a_streamed_file_are_ordered(tmp_path: Path) -> None:
    """The earlier version went to the store slices before the later is read: the
    later still corrects it, the one before it is flagged."""
    store = SQLiteStore(tmp_path / "tl.db")
    store._SLICE = 10  # slices of 10 records: the versions are slices apart
    tl = Timeline(store)
    filler = [acled_row(event_id_cnty=f"SYN{n}", timestamp=str(T0)) for n in range(100, 160)]
    rows = [*version_rows(("v1",)), *filler, *version_rows(("v2", "v0"))]
    summary = tl.import_acled(acled(*rows))
    assert summary.corrections == 1
    assert summary.flags == {"older than the stored version (the stored one kept)": 1}
    assert best(tl, "acled:SYN1") == 5
    assert tl.verify().ok


_US = st.integers(min_value=-62_135_596_800_000_000, max_value=253_402_300_799_999_999)
_SPANS = st.tuples(_US, _US).map(sorted).map(tuple)  # first and last instant


@given(
    st.tuples(
        st.integers(min_value=1, max_value=2**40 - 1),  # line
        st.integers(min_value=0, max_value=2**64 - 1),  # digest
        st.sampled_from([_NOTHING, _ADDED, _CURRENT, _RETRACTED]),
    ),
    st.builds(
        _Memo,
        st.none() | _SPANS,
        st.integers(min_value=0, max_value=len(_KIND_CODES) - 1),
        st.none() | _SPANS,
        st.none() | st.integers(min_value=0, max_value=2**64 - 1).map("{:016x}".format),
    ),
)
def test_what_the_builder_remembers_of_an_event_reads_back_exactly(
    entry: tuple[int, int, int], memo: _Memo
) -> None:
    """The one int kept an event id holds its line, digest, state and version (with
    the hash of the correction that appended it) whole, for any time of the years 1
    to 9999 (epoch microseconds, negative before 1970), and for any line a file can
    have."""
    line, digest, state = entry
    packed = _pack(line, digest, state, memo)
    assert packed >= 0  # the builder tells an entry from "remember nothing" (-1) by sign
    assert _unpack(packed) == (line, digest, state, memo)
    packed = _pack(line, digest, state)
    assert packed >= 0
    assert _unpack(packed) == (line, digest, state, None)


def test_a_later_deletion_of_an_event_not_held_yet_is_kept_too() -> None:
    """Two deletions kept for an event not imported yet (``keep_unheld``), at T0 and
    T1: an export row between them (T_DELETED) is older than the later deletion, so
    the event comes in retracted, as it would if it had been held all along; the
    list again changes nothing."""
    tl = timeline()
    tl.import_acled_deletions(deletions(("SYN1", T0)), keep_unheld=True)
    later = tl.import_acled_deletions(deletions(("SYN1", T1)), keep_unheld=True)
    assert later.retractions == 1
    head = tl.head
    assert tl.import_acled_deletions(deletions(("SYN1", T1)), keep_unheld=True).appended == 0
    assert tl.head == head
    tl.import_acled(acled(acled_row(timestamp=str(T_DELETED))))
    assert alive(tl, "acled:SYN1") is None
    # Held all along, the same files give the same answer.
    held = timeline()
    held.import_acled(acled(acled_row(timestamp=str(T0 - 1000))))
    held.import_acled_deletions(deletions(("SYN1", T0)))
    held.import_acled(acled(acled_row(timestamp=str(T_DELETED))))
    held.import_acled_deletions(deletions(("SYN1", T1)))
    assert alive(held, "acled:SYN1") is None


@pytest.mark.parametrize("retracted_by", ["deletion", "protest"])
def test_a_deletion_after_an_earlier_retraction_is_kept_so_a_row_between_stays_deleted(
    retracted_by: str,
) -> None:
    """An event retracted at T0 (ACLED's deletion, or a version recoded out of scope),
    then deleted again at T1: an export row between the two (T_DELETED) is older than
    the later deletion, so the event stays deleted, as it would had the files come
    in ACLED's order; the list again changes nothing."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0 - 1000))))
    if retracted_by == "deletion":
        tl.import_acled_deletions(deletions(("SYN1", T0)))
    else:
        protest = acled_row(event_type="Protests", sub_event_type="Peaceful protest")
        tl.import_acled(acled({**protest, "timestamp": str(T0)}))
    assert alive(tl, "acled:SYN1") is None
    assert tl.import_acled_deletions(deletions(("SYN1", T1))).retractions == 1
    head = tl.head
    assert tl.import_acled_deletions(deletions(("SYN1", T1))).appended == 0
    assert tl.head == head
    tl.import_acled(acled(acled_row(timestamp=str(T_DELETED))))
    assert alive(tl, "acled:SYN1") is None
    # A deletion no later than the retraction needs nothing.
    assert tl.import_acled_deletions(deletions(("SYN1", T0))).appended == 0


# ------------------------------------------- an event recoded as another kind
#
# The rule (import-acled-vintages.md, "Versions"): ACLED may recode an event as another
# kind of record (a battle recoded as an arrest, a Statement; a Non-violent transfer of
# territory, a ControlChanged). A record keeps its kind, so a newer version of another
# kind retracts the event's current record and comes under the id of its kind,
# ``acled:<id>#as-<kind>`` (``acled:<id>`` stays the id of the kind the event was
# first held as); an older one changes nothing. Whatever order the files come in, the
# latest version by ACLED's times is the one current record of the event, under the id
# of its kind, unless a deletion at or after it deleted the event.

CODINGS: dict[str, tuple[int, str | None]] = {
    "attack": (T0, "Attack"),
    "arrest": (T0 + 100_000, "Statement"),
    "deletion": (T0 + 200_000, None),
    "protest": (T0 + 250_000, None),  # recoded out of scope
    "attack again": (T0 + 300_000, "Attack"),
    "transfer": (T0 + 400_000, "ControlChanged"),
    "won": (T0 + 450_000, "Attack"),  # a territorial battle: also acled:SYN1#control
    "arrest later": (T0 + 500_000, "Statement"),
}
FATALITIES = {"attack": 3, "attack again": 7, "won": 9}


def coding_row(name: str) -> dict[str, str]:
    when = str(CODINGS[name][0])
    if name.startswith("arrest"):
        return _arrest(notes=name, timestamp=when)
    if name == "protest":
        return _protest(int(when))
    if name == "won":
        return acled_row(
            sub_event_type="Government regains territory", fatalities="9", timestamp=when
        )
    if name == "transfer":
        return acled_row(
            event_type="Strategic developments",
            sub_event_type="Non-violent transfer of territory",
            actor2="",
            inter2="",
            interaction="10",
            timestamp=when,
        )
    return acled_row(fatalities=str(FATALITIES[name]), timestamp=when)


def import_coding(tl: Timeline, name: str) -> ImportSummary:
    when = CODINGS[name][0]
    if name == "deletion":
        return tl.import_acled_deletions(deletions(("SYN1", when)), keep_unheld=True)
    return tl.import_acled(acled(coding_row(name)))


def codings(tl: Timeline) -> list[tuple[str, str, object]]:
    """The event's current records: id, kind and what tells its version apart (an
    attack's fatalities, a statement's summary); a control change won in battle as
    ("#control", its kind, None)."""
    won = [
        ("#control", r.record.KIND, None)
        for r in current_records(tl)
        if r.id == "acled:SYN1#control"
    ]
    return won + [
        (
            r.id,
            r.record.KIND,
            getattr(getattr(r.record, "fatalities", None), "best", None)
            or getattr(r.record, "summary", None),
        )
        for r in current_records(tl)
        if r.id.startswith("acled:SYN1") and not r.id.endswith("#control")
    ]


def coding_oracle(order: Sequence[str]) -> list[tuple[str, str, object]]:
    """From the rule alone: the latest version imported wins (a deletion or a version
    out of scope at or after it leaves nothing; a version out of scope of an event
    not held is skipped), under acled:SYN1 when it is of the kind of the first row
    imported, else under acled:SYN1#as-<kind>."""
    rows = [name for name in order if CODINGS[name][1] is not None]
    if not rows:
        return []
    held = order[order.index(rows[0]) :]  # a protest before any row is skipped
    versions = [name for name in order if name in held or name == "deletion"]
    latest = max(versions, key=lambda name: CODINGS[name][0])
    kind = CODINGS[latest][1]
    if kind is None:
        return []
    first = CODINGS[rows[0]][1]
    rid = "acled:SYN1" if kind == first else f"acled:SYN1#as-{kind.lower()}"
    said = latest if kind == "Statement" else None
    won = [("#control", "ControlChanged", None)] if latest == "won" else []
    return [*won, (rid, kind, FATALITIES.get(latest) or said)]


def coding_orders() -> Iterator[tuple[str, ...]]:
    for size in (1, 2, 3):
        yield from itertools.permutations(CODINGS, size)
    yield tuple(CODINGS)
    yield tuple(reversed(CODINGS))
    yield ("arrest", "attack", "transfer", "deletion", "attack again")
    yield ("attack", "arrest", "attack again", "arrest", "transfer", "attack")
    # A newer version of the record of another kind, then an older one of a third kind
    yield ("attack", "arrest", "arrest later", "transfer")


@pytest.mark.parametrize("order", list(coding_orders()), ids=" > ".join)
def test_an_event_recoded_as_another_kind_is_at_its_latest_coding_in_any_order(
    order: tuple[str, ...],
) -> None:
    tl = timeline()
    for name in order:
        summary = import_coding(tl, name)
        assert summary.refused == (), name
    assert codings(tl) == coding_oracle(order)
    for name in order:  # the files again (a version skipped before may now apply)
        import_coding(tl, name)
    assert codings(tl) == coding_oracle(order + order)
    for name in order:  # and again: nothing changes any more
        head = tl.head
        import_coding(tl, name)
        assert tl.head == head, name
    assert tl.verify().ok


RECODED_KIND = "recoded as another kind of record (the record of the kind before retracted)"


def test_a_newer_version_of_another_kind_retracts_the_record_and_comes_under_its_kind() -> None:
    """A battle recoded as an arrest: the attack is retracted, the reason naming the
    new coding; the statement is acled:SYN1#as-statement, known after the attack's
    version (it is a version ACLED made later), no later than its own timestamp."""
    tl = timeline()
    tl.import_acled(acled(coding_row("attack")))
    summary = tl.import_acled(acled(coding_row("arrest")))
    assert (summary.events, summary.retractions, summary.refused) == (1, 1, ())
    assert summary.flags == {RECODED_KIND: 1}
    retraction = tl.get("acled:SYN1#withdrawn")
    assert retraction is not None
    assert isinstance(retraction.record, Retraction)
    assert retraction.record.retracts == "acled:SYN1"
    assert retraction.record.reason == (
        "ACLED recoded the event as Strategic developments, Arrests, another kind of "
        "record: its newer version is event acled:SYN1's Statement"
    )
    assert retraction.record.occurred.lo == CODINGS["arrest"][0] * 1_000_000
    statement = tl.get("acled:SYN1#as-statement")
    assert statement is not None
    reported = statement.record.reported
    assert reported is not None
    assert reported.lo > CODINGS["attack"][0] * 1_000_000
    assert reported.last < CODINGS["arrest"][0] * 1_000_000 + 1_000_000


def test_an_older_version_of_another_kind_changes_nothing() -> None:
    tl = timeline()
    tl.import_acled(acled(coding_row("arrest")))
    head = tl.head
    summary = tl.import_acled(acled(coding_row("attack")))
    assert tl.head == head
    assert summary.skipped == 1
    assert summary.flags == {"older than the stored version (the stored one kept)": 1}
    assert codings(tl) == [("acled:SYN1", "Statement", "arrest")]


def test_an_older_version_out_of_scope_leaves_the_record_of_another_kind() -> None:
    """A protest older than the event's current coding (a statement under
    acled:SYN1#as-statement) changes nothing, flagged as older rows are."""
    tl = timeline()
    tl.import_acled(acled(coding_row("attack")))
    tl.import_acled(acled(coding_row("arrest later")))
    head = tl.head
    summary = tl.import_acled(acled(coding_row("protest")))
    assert tl.head == head
    assert (summary.out_of_scope, summary.skipped) == ({}, 1)
    assert summary.flags == {"older than the stored version (the stored one kept)": 1}
    assert codings(tl) == [("acled:SYN1#as-statement", "Statement", "arrest later")]


@pytest.mark.parametrize(
    "names",
    [
        ("attack", "arrest"),
        ("attack", "arrest", "transfer"),
        ("arrest", "attack again"),
        ("arrest", "protest", "won"),
        ("arrest", "transfer", "won"),
        ("won", "arrest later"),
        ("attack", "transfer", "arrest later", "won"),
    ],
    ids=" > ".join,
)
def test_versions_of_other_kinds_in_one_file_import_as_files_in_turn(
    names: tuple[str, ...],
) -> None:
    tl, apart = timeline(), timeline()
    summary = tl.import_acled(acled(*(coding_row(name) for name in names)))
    for name in names:
        import_coding(apart, name)
    assert summary.refused == ()
    assert written(tl, 1) == written(apart, 1)
    assert codings(tl) == coding_oracle(names)


def _as_in_turn(
    rows: Sequence[dict[str, str]],
    *,
    first: Sequence[dict[str, str]] = (),
    deleted: int | None = None,
) -> tuple[Timeline, Timeline]:
    """import.md, "Versions of one event in one file": ``rows`` in one file import as
    in files in turn (no refusal either way, the same flags, the same records, ids
    and bytes), on timelines holding ``first`` (one file each) and a deletion of SYN1
    kept at ``deleted``. The two timelines: one file, then files in turn."""
    one, apart = timeline(), timeline()
    for each in (one, apart):
        if deleted is not None:
            each.import_acled_deletions(deletions(("SYN1", deleted)), keep_unheld=True)
        for row in first:
            each.import_acled(acled(row))
    summary = one.import_acled(acled(*rows))
    refused, flags, _ = _in_turn(apart, rows)
    assert summary.refused == () == tuple(refused)
    assert summary.flags == flags
    assert written(one, 1) == written(apart, 1)
    return one, apart


@pytest.mark.parametrize(
    "names",
    [
        ("attack", "arrest", "attack again"),
        ("attack", "arrest", "transfer", "arrest later"),
        ("attack", "protest", "attack again"),
    ],
    ids=["back to the first kind", "back to another kind", "back from out of scope"],
)
def test_a_row_of_a_kind_the_file_recoded_the_event_away_from_comes_back_as_in_turn(
    names: tuple[str, ...],
) -> None:
    """import.md: a newer row of a kind a row of the same file recoded the event away
    from brings that record back, as in files of their own: a correction of the
    retraction the file made (known from its timestamp)."""
    tl, _ = _as_in_turn([coding_row(name) for name in names])
    assert codings(tl) == coding_oracle(names)


def test_a_deletion_kept_before_the_event_outdates_rows_of_any_kind_in_one_file() -> None:
    """A deletion newer than both rows: the battle comes in retracted (its control
    change too), the arrest after it changes nothing, flagged, as in files in turn."""
    rows = (coding_row("won"), coding_row("arrest later"))
    tl, apart = timeline(), timeline()
    for each in (tl, apart):
        each.import_acled_deletions(deletions(("SYN1", T0 + 550_000)), keep_unheld=True)
    summary = tl.import_acled(acled(*rows))
    for row in rows:
        apart.import_acled(acled(row))
    assert summary.refused == ()
    assert summary.flags == {
        "deleted before it was imported (the stored retraction retracts it)": 1,
        "not newer than its deletion (the deletion kept)": 1,
    }
    assert written(tl, 2) == written(apart, 2)
    assert codings(tl) == []


def test_a_version_of_another_kind_of_an_event_you_retracted_is_refused() -> None:
    """Your retraction is not the source's: no version of any kind brings it back."""
    tl = retracted_by_the_user()
    head = tl.head
    summary = tl.import_acled(acled(_arrest(timestamp=str(T1))))
    [refused] = summary.refused
    assert refused.reason == (
        "'acled:SYN1' was retracted (mine: a duplicate of another event); a retracted "
        "event is not imported again"
    )
    assert (tl.head, summary.flags) == (head, {})


# ------------------ a territorial battle's control change in one file, under a deletion
#
# import.md, "Versions of one event in one file": the file imports exactly as its rows
# would, one file each, in that order: the same records, ids and bytes, the same flags.
# Under a deletion stored before the event (``keep_unheld``) a territorial battle comes
# in retracted with its control change; the rows after it in the file see that control
# change retracted, as they would in files of their own.


def _won(stamp: int, fatalities: str) -> dict[str, str]:
    return acled_row(
        sub_event_type="Government regains territory",
        fatalities=fatalities,
        timestamp=str(stamp),
    )


@pytest.mark.parametrize(
    ("deleted", "rows"),
    [
        (
            T0 + 200_000,
            (_won(T0 + 50_000, "5"), _arrest(notes="later", timestamp=str(T0 + 500_000))),
        ),
        (
            T0 + 550_000,
            (_won(T0 + 50_000, "5"), acled_row(fatalities="7", timestamp=str(T0 + 300_000))),
        ),
        (
            T0 + 550_000,
            (
                _won(T0 + 50_000, "5"),
                _won(T0 + 450_000, "9"),
                acled_row(fatalities="7", timestamp=str(T0 + 300_000)),
            ),
        ),
        (T0 + 200_000, (_won(T0 + 50_000, "5"), _won(T0 + 450_000, "9"))),
        (
            T0 + 200_000,
            (_won(T0 + 50_000, "5"), _won(T0 + 450_000, "9"), _won(T0 + 500_000, "11")),
        ),
        (
            None,
            (
                acled_row(fatalities="3", timestamp=str(T0)),
                _protest(T0 + 250_000),
                _won(T0 + 50_000, "5"),
            ),
        ),
    ],
    ids=[
        "recoded as a statement after the deletion",
        "an older battle under the deletion",
        "a newer battle then an older one under the deletion",
        "brought back by a newer battle",
        "brought back, then corrected",
        "an older battle after a recoding out of scope",
    ],
)
def test_a_territorial_battle_in_one_file_imports_as_its_rows_in_files_in_turn(
    deleted: int | None, rows: tuple[dict[str, str], ...]
) -> None:
    one, _ = _as_in_turn(rows, deleted=deleted)
    assert one.verify().ok


def test_a_row_after_an_undated_recoding_in_the_same_file_is_refused() -> None:
    """import.md: the file's retraction known only from the import (its version had no
    timestamp), a newer row bringing the record back would be too: nothing would
    order the two, so it is refused, saying to import it in a file of its own."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp="")))
    rows = [{**_protest(T0), "timestamp": ""}, acled_row(fatalities="9", timestamp=str(T0 + 100))]
    summary = tl.import_acled(acled(*rows))
    [refused] = summary.refused
    assert refused.line == 3
    assert "known only from this import" in refused.reason
    assert alive(tl, "acled:SYN1") is None


# ------------------ rows older than the event's record of another kind (review fuzz)


def test_an_older_territorial_battle_after_two_recodings_changes_nothing_at_all() -> None:
    """A battle older than the protest that recoded the event's record of another kind
    out of scope changes nothing, its control change neither (it stopped the import
    with a KeyError)."""
    tl = timeline()
    tl.import_acled(acled(_arrest(timestamp=str(T0 + 100_000))))
    tl.import_acled(acled(_won(T0 + 450_000, "9")))
    head = tl.head
    summary = tl.import_acled(acled(_protest(T0 + 900_000), _won(T0 + 800_000, "12")))
    assert summary.refused == ()
    assert summary.flags["not newer than its deletion (the deletion kept)"] == 1
    retracted = [r.record.retracts for r in tl.store.read(start=head + 1)]  # type: ignore[attr-defined]
    assert retracted == ["acled:SYN1#as-attack", "acled:SYN1#control"]  # by the protest
    assert codings(tl) == []


def test_a_control_change_older_than_the_events_record_of_another_kind_is_not_given() -> None:
    """Files in turn: the event is an arrest, then a battle (acled:SYN1#as-attack), then
    recoded out of scope; a territorial battle older than that protest gives no
    control change, as its battle changes nothing."""
    rows = [
        _arrest(timestamp=""),
        acled_row(fatalities="6", timestamp=str(T0)),
        _protest(T0 + 900_000),
        _won(T0 + 50_000, "5"),
    ]
    _, apart = _as_in_turn(rows)
    assert codings(apart) == []


def test_a_row_without_a_timestamp_does_not_undo_a_dated_recoding_out_of_scope() -> None:
    """import.md: a row without a timestamp proves nothing newer than a version with
    one; the retraction a dated protest made stays, in one file as in files in turn."""
    rows = [acled_row(fatalities="3", timestamp=str(T0)), _protest(T0 + 250_000)]
    unstamped = acled_row(fatalities="4", timestamp="")
    one, apart = timeline(), timeline()
    one.import_acled(acled(rows[0]))
    one.import_acled(acled(rows[1], unstamped))
    for row in (*rows, unstamped):
        summary = apart.import_acled(acled(row))
    assert summary.flags == {"no timestamp (the stored version kept)": 1}
    assert written(one, 1) == written(apart, 1)
    assert alive(apart, "acled:SYN1") is None


def test_a_refused_row_leaves_the_control_changes_knowledge_as_before_it() -> None:
    """A row refused (here: a second row of one event without a timestamp, which
    nothing orders) is as if absent: the control change a later row gives is known
    as it would be without the refused row."""
    first = acled_row(fatalities="4", timestamp="")
    refused = _won(0, "8") | {"timestamp": ""}
    later = _won(T0 + 450_000, "9")
    with_refused, without = timeline(), timeline()
    summary = with_refused.import_acled(acled(first, refused, later))
    without.import_acled(acled(first, later))
    assert [r.line for r in summary.refused] == [3]
    assert written(with_refused, 1) == written(without, 1)


def test_a_record_of_another_kind_brought_back_in_one_file_is_known_as_in_turn() -> None:
    """The event is first a statement; a battle (acled:SYN1#as-attack), recoded out
    of scope, then a newer territorial battle bring it back: in one file as in files
    in turn, its new version is known after the version it follows, not as first
    given."""
    rows = [
        acled_row(fatalities="3", timestamp=str(T0)),
        _protest(T0 + 250_000),
        _won(T0 + 800_000, "12"),
    ]
    _as_in_turn(rows, first=[_arrest(notes="first", timestamp="")])


@pytest.mark.parametrize("stamp", ["", str(T0 + 450_000)], ids=["no timestamp", "older"])
def test_a_territorial_row_not_newer_than_the_events_record_of_another_kind_gives_nothing(
    stamp: str,
) -> None:
    """The event is first a statement, recoded out of scope without timestamps, then a
    battle (acled:SYN1#as-attack) stamped 700,000 seconds after T0: a territorial
    battle without a timestamp (which proves nothing newer) or older changes nothing,
    its control change neither, in one file as in files in turn."""
    rows = [
        {**_protest(T0), "timestamp": ""},
        acled_row(fatalities="7", timestamp=str(T0 + 700_000)),
        _won(0, "8") | {"timestamp": stamp},
    ]
    _, apart = _as_in_turn(rows, first=[_arrest(notes="first", timestamp="")])
    assert "acled:SYN1#control" not in {r.id for r in apart.store.read()}
