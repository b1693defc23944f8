"""UCDP GED import, on 1,000 real GED 23.1 rows (see tests/data/README.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Correction,
    ImportDataError,
    PlaceDefined,
    Precision,
    TargetClass,
    TimeExtent,
    Timeline,
    from_json,
    references,
    to_json,
    to_timelinejs,
)
from conflict_timeline.importers import ImportBatch, read_ucdp
from conflict_timeline.importers.ucdp import article_date, published_figures

GED = Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv"
PRECISION = {
    "1": Precision.DAY,
    "2": Precision.WEEK,
    "3": Precision.WEEK,
    "4": Precision.MONTH,
    "5": Precision.YEAR,
}


@pytest.fixture(scope="module")
def batch() -> ImportBatch:
    return read_ucdp(GED)


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, str]]:
    with GED.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def event(batch: ImportBatch, gid: str) -> Attack:
    found = [r for r in batch.records if r.id == f"ucdp:{gid}"]
    assert len(found) == 1
    assert isinstance(found[0], Attack)
    return found[0]


def test_every_row_becomes_an_event_or_a_refusal(batch: ImportBatch) -> None:
    assert batch.rows == 1000
    assert batch.skipped == 0
    assert len(batch.events()) + len(batch.refused) == 1000
    assert all(isinstance(r, Attack) for r in batch.events())
    assert len({r.id for r in batch.events()}) == len(batch.events())


def test_default_import_takes_all_1000_rows(batch: ImportBatch) -> None:
    assert (batch.rows, len(batch.events()), batch.refused) == (1000, 1000, ())


def test_inconsistent_figures_are_kept_verbatim_and_flagged(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    # The oracle: the rows of the real file where low <= best <= high does not hold.
    broken = {
        gid: (int(r["low"]), int(r["best"]), int(r["high"]))
        for gid, r in raw.items()
        if not int(r["low"]) <= int(r["best"]) <= int(r["high"])
    }
    assert len(broken) == 13  # GED 23.1 has 13 such rows in this sample
    assert batch.flags["figure inconsistent"] == 13
    for gid, (low, best, high) in broken.items():
        figure = event(batch, gid).fatalities
        assert figure is not None
        assert figure.best == best  # what views count
        assert published_figures(figure) == (low, best, high)  # all three, retrievable
        assert "figure inconsistent as published" in event(batch, gid).notes
    consistent = next(gid for gid in raw if gid not in broken)
    figure = event(batch, consistent).fatalities
    assert figure is not None
    assert published_figures(figure) is None
    assert "figure inconsistent" not in event(batch, consistent).notes


def test_source_date_before_the_event_is_flagged_not_believed(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    for gid, row in raw.items():
        dates = [d.strip() for d in row["source_date"].split(";") if d.strip()[:4].isdigit()]
        earliest = min((d[:10] for d in dates), default=None)
        record = event(batch, gid)
        assert record.reported is not None
        # Never reported before the event began.
        assert record.reported.lo >= record.occurred.lo, gid
        if earliest is not None and earliest < row["date_start"][:10]:
            assert "is before the event" in record.notes, gid
            assert record.reported == TimeExtent.parse(row["date_start"][:10])


def test_rows_without_source_office_read_the_date_in_source_article() -> None:
    assert article_date("Reuters, 4/13/1998") == "1998-04-13"
    assert article_date('AFP 2005-01-27 "Air raid in Darfur kills 100') == "2005-01-27"
    assert article_date('Svenska Dagbladet 6 May 1992  "Dödsoffer') == "1992-05-06"
    # UCDP's day-first form, the year after a space, a comma or a dash: four digits,
    # or two, the year ending in them nearest the event's (so no date without it).
    assert article_date("Reuters 30/5 2004") == "2004-05-30"
    assert article_date("Reuters ,5/12 2005", event_start=dt.date(2005, 12, 5)) == "2005-12-05"
    assert article_date("AFP 13/7 00", event_start=dt.date(2000, 7, 11)) == "2000-07-13"
    assert article_date("AFP 13/7 00", event_start=dt.date(1951, 7, 11)) == "2000-07-13"
    assert article_date("AFP 13/7 00", event_start=dt.date(1949, 7, 11)) == "1900-07-13"
    assert article_date("BBC Monitoring 31/3-07: Libya", event_start=dt.date(2007, 3, 28)) == (
        "2007-03-31"
    )
    assert article_date("Reuters , 8/4 00") == ""  # a two-digit year and no event: no date
    assert article_date("Reuters , 8/4 2000") == "2000-04-08"  # day first unless settled
    record = read_ucdp(
        altered(
            source_office="",
            source_date="",
            source_headline="",
            source_article="Reuters, 4/13/1998",
        )
    ).events()[0]
    assert record.sources[0].published == TimeExtent.parse("1998-04-13")


# The oracle's forms: every date form import.md lists for source_article, as
# (pattern, which group is the month, which the day, the year's group (0: none),
# numeric), the numeric ones with the form's usual order.
_MONTH_NAMES = {
    name: n
    for n, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_SPACED_YEAR = r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:\s*,\s*|\s+|-)(\d{4}|\d{2})(?![\d/])"
_NAMED_NO_YEAR = r"(?<!\d)(\d{1,2}) ([A-Z][a-z]+)\b(?!\.?[ -]?(?:\d{4}|\d{2})(?!\d|:\d))"
_ORACLE_FORMS = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), 2, 3, 1, False),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])"), 1, 2, 3, True),
    (re.compile(r"(?<!\d)(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4}|\d{2})(?!\d|:\d)"), 2, 1, 3, False),
    (re.compile(r"\b([A-Za-z]+)\.? (\d{1,2}),? (\d{4})(?!\d)"), 1, 2, 3, False),
    (re.compile(_SPACED_YEAR), 2, 1, 3, True),
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])"), 2, 1, 3, False),
    (re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{2})(?![\d-])"), 2, 1, 3, True),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"), 2, 3, 1, False),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])"), 2, 1, 0, True),
    (re.compile(_NAMED_NO_YEAR), 2, 1, 0, False),
    (re.compile(r"(?<!\d )\b([A-Z][a-z]+)\.? (\d{1,2})\b(?!,? ?\d|:)"), 1, 2, 0, False),
]


def _oracle_article_date(article: str, start: dt.date) -> tuple[str, bool, bool] | None:
    """From import.md's rule, for an article of one part (no ``;``): the date taken,
    whether it reads both ways, whether its year was not written."""
    found: list[tuple[int, int, list[dt.date], bool]] = []
    for rank, (pattern, mg, dg, yg, numeric) in enumerate(_ORACLE_FORMS):
        for m in pattern.finditer(article):
            raw_month, raw_day = m.group(mg), m.group(dg)
            month = int(raw_month) if raw_month.isdigit() else _MONTH_NAMES.get(raw_month.lower())
            if month is None:
                continue
            day = int(raw_day)
            orders = [(month, day), (day, month)] if numeric else [(month, day)]
            readings: list[dt.date] = []
            for mo, d in orders:
                years: list[int]
                if yg == 0:  # no year: the first such day on or after the event
                    years = list(range(start.year, start.year + 5))
                elif len(m.group(yg)) == 2:
                    digits = int(m.group(yg))
                    near = range(start.year - 60, start.year + 60)
                    years = [
                        min(
                            (y for y in near if y % 100 == digits),
                            key=lambda y: (abs(y - start.year), y),
                        )
                    ]
                else:
                    years = [int(m.group(yg))]
                for y in years:
                    try:
                        when = dt.date(y, mo, d)
                    except ValueError:
                        continue
                    if yg != 0 or when >= start:
                        if when not in readings:
                            readings.append(when)
                        break
            if readings:
                found.append((m.start(), rank, readings, yg == 0))
                break
    if not found:
        return None
    _, _, readings, yearless = min(found, key=lambda f: (f[0], f[1]))
    after = [d for d in readings if d >= start]
    taken = min(after) if after else readings[0]
    return taken.isoformat(), len(readings) > 1, yearless


def test_an_ambiguous_date_in_source_article_is_settled_by_the_event(batch: ImportBatch) -> None:
    """Real row ucdp:10611 (event 2000-04-02): "The British Broadcasting Corporation
    07/04/2000" is 4 July month first, 7 April day first; a report comes on or after
    the event, nearest to it: 7 April, flagged with both readings."""
    attack = event(batch, "10611")
    assert attack.sources[0].title == "The British Broadcasting Corporation 07/04/2000"
    assert attack.sources[0].published == TimeExtent.parse("2000-04-07")
    assert attack.reported == TimeExtent.parse("2000-04-07")
    assert attack.notes.endswith(
        "source date '07/04/2000' in source_article is ambiguous (month first 2000-07-04, "
        "day first 2000-04-07); 2000-04-07 taken, the nearest reading on or after the "
        "event's first day"
    )


def test_every_date_in_source_article_is_read_and_flagged_by_the_rule(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    """import.md's rule for rows that give no source_office, source_date or
    source_headline, checked row by row on the real sample against an oracle written
    from it (rows whose source_article cites several ``;``-separated articles are
    checked by `test_several_articles_in_source_article_take_the_earliest`): the
    first date written is the report date; one that reads both ways is settled by the
    event and flagged; one without a year is the first such day on or after the
    event's first day, flagged; none read is flagged too."""
    checked = ambiguous = yearless = unread = 0
    for gid, row in raw.items():
        article = row["source_article"]
        given = ("source_office", "source_date", "source_headline")
        no_source = not any(row[c].strip() for c in given)
        if not no_source or not article.strip() or ";" in article:
            continue
        checked += 1
        start = dt.date.fromisoformat(row["date_start"][:10])
        expected = _oracle_article_date(article, start)
        attack = event(batch, gid)
        flags = attack.notes
        if expected is None:
            unread += 1
            assert attack.sources[0].published is None, gid
            assert "no date read in source_article" in flags, gid
            continue
        day, both, no_year = expected
        ambiguous += both
        yearless += no_year
        assert attack.sources[0].published == TimeExtent.parse(day), (gid, article)
        assert ("in source_article is ambiguous" in flags) == both, gid
        assert ("in source_article has no year" in flags) == no_year, gid
    assert (checked, ambiguous, yearless, unread) == (318, 27, 15, 50)
    assert event(batch, "10611").sources[0].published == TimeExtent.parse("2000-04-07")
    assert event(batch, "3231").sources[0].published == TimeExtent.parse("2000-04-08")
    assert event(batch, "72790").sources[0].published == TimeExtent.parse("2007-04-24")
    assert event(batch, "55870").reported.earliest.date() == dt.date(2007, 7, 15)


def test_several_articles_in_source_article_take_the_earliest(batch: ImportBatch) -> None:
    """Real row ucdp:34658 (event 2003-08-21): "BBC Monitoring Africa 30/8-03; Radio
    Freedom ... 29 Aug 03: ..." cites two articles: reported on 29 August, the
    earlier, though written second; a ``;`` inside a headline (ucdp:17159) changes
    nothing."""
    assert event(batch, "34658").reported == TimeExtent.parse("2003-08-29")
    assert event(batch, "17159").reported == TimeExtent.parse("2010-07-14")


def test_all_five_date_precisions_come_through(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    seen = set()
    for record in batch.events():
        row = raw[record.id.removeprefix("ucdp:")]
        seen.add(row["date_prec"])
        assert record.occurred.precision is PRECISION[row["date_prec"]]
        expected = TimeExtent.from_ucdp(row["date_start"], row["date_end"], row["date_prec"])
        assert record.occurred == expected
    assert seen == {"1", "2", "3", "4", "5"}
    assert {r.occurred.precision for r in batch.events()} == {
        Precision.DAY,
        Precision.WEEK,
        Precision.MONTH,
        Precision.YEAR,
    }


def test_every_date_prec_of_the_real_sample_spans_its_codebook_range(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    """GED's codebook ranges of days (``date_start``..``date_end``, both counted):
    1 one day, 2 2-6, 3 the week (2-7), 4 8-30 or the month (8-31), 5 more than 30.
    Every row of the real sample lies in its code's range (the least and most days
    of each code, pinned below), so none is flagged for it."""
    spans: dict[str, list[int]] = {}
    for row in raw.values():
        first = dt.date.fromisoformat(row["date_start"][:10])
        last = dt.date.fromisoformat(row["date_end"][:10])
        spans.setdefault(row["date_prec"], []).append((last - first).days + 1)
    assert {code: (min(days), max(days)) for code, days in sorted(spans.items())} == {
        "1": (1, 1),
        "2": (2, 6),
        "3": (7, 7),
        "4": (8, 31),
        "5": (34, 356),
    }
    assert "date_prec 1 over several days" not in batch.flags
    assert "span outside date_prec's range" not in batch.flags
    assert not any("as published over" in e.notes for e in batch.events())


def test_extent_is_date_start_through_date_end(batch: ImportBatch) -> None:
    attack = event(batch, "1648")  # 1998-04-11 .. 1998-04-12, date_prec 2
    assert attack.occurred.earliest.isoformat() == "1998-04-11T00:00:00+00:00"
    assert attack.occurred.latest.isoformat() == "1998-04-13T00:00:00+00:00"


def test_multi_source_row_yields_one_source_each(batch: ImportBatch) -> None:
    attack = event(batch, "193312")
    publishers = [s.publisher for s in attack.sources]
    assert publishers == [
        "Agence France Presse",
        "Reuters News",
        "All Africa",
        "UCDP Georeferenced Event Dataset",
    ]
    assert attack.sources[1].title == (
        "Nigeria military says kills 300 Boko Haram militants in counter offensive"
    )
    assert [str(s.published) for s in attack.sources[:3]] == [
        "2015-02-18 (day, UTC)",
        "2015-02-18 (day, UTC)",
        "2015-02-19 (day, UTC)",
    ]
    assert attack.reported == TimeExtent.parse("2015-02-18")


def test_reported_is_the_earliest_source_date_not_the_first(batch: ImportBatch) -> None:
    attack = event(batch, "23308")  # source_date 1993-12-23;1993-04-23;1993-08-24;1998-06-29
    assert attack.reported == TimeExtent.parse("1993-04-23")
    assert len([s for s in attack.sources if s.published is not None]) == 4


def test_headline_with_a_semicolon_keeps_its_title(batch: ImportBatch) -> None:
    attack = event(batch, "215929")
    assert [s.title for s in attack.sources[:3]] == [
        "Baby, 7-year-old girl among six killed in south Mexico",
        "Southern Mexico state hit by more killings; 6 dead",
        "Police make no effort to stop killings in Mexican city, activist says",
    ]


def test_row_without_source_office_is_reported_at_the_extent_end(batch: ImportBatch) -> None:
    attack = event(batch, "12989")  # no source_date, no date in source_article
    assert attack.sources[0].publisher == "unknown"
    assert attack.sources[0].title.startswith("Humphreys and ag Mohamed")
    assert attack.reported == TimeExtent.parse("1991-05-20")  # date_end


def test_a_day_first_source_article_date_is_the_report_date(batch: ImportBatch) -> None:
    """Real rows in UCDP's day-first form (the year after a space or a dash): ucdp:25195
    "Reuters 30/5 2004" (event 29 May) and ucdp:2537 "BBC Monitoring ... 31/3-07"
    (event 28 March 2007) are reported on 30 May and 31 March, not at the event."""
    assert event(batch, "25195").sources[0].published == TimeExtent.parse("2004-05-30")
    assert event(batch, "2537").sources[0].published == TimeExtent.parse("2007-03-31")


def test_one_sided_violence_targets_civilians(batch: ImportBatch) -> None:
    attack = event(batch, "3231")
    assert attack.codes is not None
    assert attack.codes.ucdp_type_of_violence == "3"
    assert attack.perpetrator == "actor:ucdp-538"  # GIA's UCDP actor id (side_a_new_id)
    assert attack.target_class is TargetClass.CIVILIAN
    assert attack.target == "Civilians"
    assert attack.target_actor is None


def test_state_based_with_civilian_deaths_is_mixed(batch: ImportBatch) -> None:
    attack = event(batch, "1648")
    assert attack.perpetrator == "actor:ucdp-109"  # Government of Algeria
    assert attack.target_actor == "actor:ucdp-538"  # GIA
    assert attack.target_class is TargetClass.MIXED
    assert attack.fatalities is not None
    assert (attack.fatalities.low, attack.fatalities.best, attack.fatalities.high) == (2, 2, 2)
    no_civilians = event(batch, "2435")
    assert no_civilians.target_class is TargetClass.MILITARY


def test_place_chain_is_de_jure_with_coordinates_on_the_location(batch: ImportBatch) -> None:
    places = {r.id: r for r in batch.records if isinstance(r, PlaceDefined)}
    attack = event(batch, "1648")
    assert attack.place == "place:algeria/batna-province/batna-commune/batna-town"
    chain = []
    pid: str | None = attack.place
    while pid is not None:
        chain.append(places[pid])
        pid = places[pid].parent
    assert [p.name for p in chain] == ["Batna town", "Batna commune", "Batna province", "Algeria"]
    assert chain[0].coordinates is not None
    assert (chain[0].coordinates.lat, chain[0].coordinates.lon) == (35.555278, 6.178611)
    assert all(p.coordinates is None for p in chain[1:])
    assert event(batch, "3231").place == "place:algeria"  # where_prec 6: the country
    assert event(batch, "2435").place == "place:algeria/setif-province"  # where_prec 4


def test_the_real_samples_event_in_international_waters_is_in_no_country(
    batch: ImportBatch, raw: dict[str, dict[str, str]]
) -> None:
    """where_prec 7 is "international waters or airspace" in GED's codebook. Real
    event 23893 (Lake Albert, off Irumu; country DR Congo) is the sample's one such
    row: its place is its own, with no parent, holding its point; the notes keep the
    country and the admin levels it names."""
    assert [gid for gid, row in raw.items() if row["where_prec"] == "7"] == ["23893"]
    places = {r.id: r for r in batch.records if isinstance(r, PlaceDefined)}
    attack = event(batch, "23893")
    assert attack.place == "place:international/lake-albert-off-irumu"
    lake = places[attack.place]
    assert (lake.name, lake.parent) == ("Lake Albert (off Irumu)", None)
    assert lake.coordinates is not None
    assert (lake.coordinates.lat, lake.coordinates.lon) == (1.3, 30.5)
    assert (
        "international waters or airspace (where_prec 7): placed in no country; "
        "country=DR Congo (Zaire); adm_1=Orientale province; adm_2=Irumu territory"
    ) in attack.notes


def test_definitions_come_once_and_before_use(batch: ImportBatch) -> None:
    defined: set[str] = set()
    for record in batch.records:
        if isinstance(record, ActorDefined | PlaceDefined):
            assert record.id not in defined
        for _field, ref, what in references(record):
            if what in {"actor", "place"}:
                assert ref in defined, (record.id, ref)
        defined.add(record.id)


def test_records_survive_json(batch: ImportBatch) -> None:
    for record in batch.records:
        assert from_json(to_json(record)) == record


def test_strict_mode_imports_the_real_file_and_raises_at_bad_data() -> None:
    assert len(read_ucdp(GED, strict=True).events()) == 1000
    with pytest.raises(ImportDataError, match=r"line 2: best: 'x' is not a whole number"):
        read_ucdp(altered(best="x"), strict=True)


def test_reimport_of_the_same_file_adds_nothing(batch: ImportBatch) -> None:
    store = {r.id: r for r in batch.records}
    again = read_ucdp(GED, existing=store.get)
    assert again.records == ()
    assert again.skipped == len(batch.events())
    assert again.refused == ()


def test_reimport_of_a_changed_row_appends_a_correction(batch: ImportBatch) -> None:
    store = {r.id: r for r in batch.records}
    # A deliberately altered copy of one real row, standing in for a newer GED
    # release; it exists only in memory for this test.
    again = read_ucdp(altered(best="3", high="4"), existing=store.get)
    assert len(again.records) == 1
    correction = again.records[0]
    assert isinstance(correction, Correction)
    assert correction.corrects == "ucdp:1648"
    assert correction.id.startswith("ucdp:1648#correction-")
    assert correction.reason == "UCDP re-import: row changed, or read differently by this importer"
    assert isinstance(correction.replacement, Attack)
    assert correction.replacement.fatalities is not None
    assert correction.replacement.fatalities.high == 4
    # The change was not known at the original sources' date: the store's clock decides.
    assert correction.reported is None


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    lines = GED.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = tmp_path / "ged-no-best.csv"
    broken.write_text(",".join(h if h != "best" else "best_estimate" for h in header) + "\n")
    with pytest.raises(ImportDataError, match=r"ged-no-best\.csv: missing required column 'best'"):
        read_ucdp(broken)


def test_the_zip_archive_ucdp_publishes_reads_as_the_csv_inside(
    tmp_path: Path, batch: ImportBatch
) -> None:
    """UCDP publishes GED as a zip archive holding the one CSV (``ged231-csv.zip``):
    imported as it is downloaded, as a path or a binary stream, it gives the records
    of the CSV inside; a message about a row names the archive and the file."""
    archive = tmp_path / "ged231-csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(GED, "GEDEvent_v23_1.csv")
    assert read_ucdp(archive).records == batch.records
    assert read_ucdp(io.BytesIO(archive.read_bytes())).records == batch.records
    broken = tmp_path / "broken-csv.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr(
            "ged.csv",
            GED.read_text(encoding="utf-8").replace(",1,2,1998-04-11", ",1,2,1998-13-11", 1),
        )
    (refused,) = read_ucdp(broken).refused
    assert (refused.line, refused.field) == (2, "date_start")
    with pytest.raises(ImportDataError, match=r"broken-csv\.zip/ged\.csv, line 2: date_start"):
        read_ucdp(broken, strict=True)


def test_a_zip_archive_of_several_files_is_refused_naming_them(tmp_path: Path) -> None:
    """An archive holding several data files, or none, is not guessed at."""
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(GED, "a.csv")
        zf.write(GED, "b.csv")
    with pytest.raises(ImportDataError, match=r"two\.zip is a zip archive holding a\.csv, b\.csv"):
        read_ucdp(archive)
    empty = tmp_path / "readme.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("README.pdf", "not data")
    with pytest.raises(ImportDataError, match=r"holding README\.pdf: expected one data file"):
        read_ucdp(empty)


def altered(**changes: str) -> io.StringIO:
    """One real row with deliberate changes, as an in-memory file for this test only."""
    with GED.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        row = next(r for r in reader if r["id"] == "1648")
    row.update(changes)
    text = io.StringIO()
    writer = csv.DictWriter(text, fields)
    writer.writeheader()
    writer.writerow(row)
    text.seek(0)
    return text


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"best": "20000000000000000000", "high": "20000000000000000000"}, "best", "too large"),
        ({"date_end": "9999-12-31"}, "date_end", "the last day of the calendar"),
        ({"date_start": "2020-02-30"}, "date_start", "is not a date"),
    ],
)
def test_a_bad_cell_is_refused_naming_its_column(
    changes: dict[str, str], field: str, reason: str
) -> None:
    batch = read_ucdp(altered(**changes))
    (refused,) = batch.refused
    assert refused.line == 2
    assert refused.field == field
    assert reason in refused.reason


def test_a_real_row_with_a_death_count_that_is_no_count_is_imported_and_flagged() -> None:
    """Real event 1648 (deaths 1, 0, 1, 0; best 2) with ``deaths_civilians`` -1: no
    count, so imported as published, flagged naming it, the sum not compared."""
    batch = read_ucdp(altered(deaths_civilians="-1"))
    assert batch.refused == ()
    (attack,) = batch.events()
    parts = attack.notes.split("; ")
    assert "deaths_civilians=-1" in parts
    assert parts[-2:] == [
        "deaths_civilians as published: -1 (not a count of deaths)",
        "deaths not compared with best: deaths_civilians is not a count",
    ]
    assert batch.flags == {"deaths not a count": 1}


OLDER_GED_DROPPED = (
    "relid",
    "code_status",
    "conflict_dset_id",
    "dyad_dset_id",
    "side_a_dset_id",
    "side_b_dset_id",
    "where_description",
    "number_of_sources",
)


def test_an_older_41_column_ged_release_imports(raw: dict[str, dict[str, str]]) -> None:
    # Older GED releases lack relid, code_status, the *_dset_id columns and
    # where_description: the same real rows cut to that layout.
    with GED.open(encoding="utf-8", newline="") as fh:
        fields = [f for f in csv.DictReader(fh).fieldnames or [] if f not in OLDER_GED_DROPPED]
    assert len(fields) == 41
    text = io.StringIO()
    writer = csv.DictWriter(text, fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(raw.values())
    text.seek(0)
    older = read_ucdp(text)
    assert (older.rows, len(older.events()), older.refused) == (1000, 1000, ())
    attack = next(r for r in older.events() if r.id == "ucdp:1648")
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:ucdp-109"


# The first GED releases (1.x, 2.x) spell their columns in capitals, give the sides'
# ids as Side_A_ID / Side_B_ID (and Conflict_ID, Dyad_ID), numbered before today's UCDP
# ids, and the figures as Best_est, Low_est, High_est.
FIRST_GED_RENAMED = {
    "conflict_dset_id": "Conflict_ID",
    "dyad_dset_id": "Dyad_ID",
    "side_a_dset_id": "Side_A_ID",
    "side_b_dset_id": "Side_B_ID",
    "best": "Best_est",
    "low": "Low_est",
    "high": "High_est",
}
FIRST_GED_DROPPED = (
    "relid",
    "code_status",
    "conflict_new_id",
    "dyad_new_id",
    "side_a_new_id",
    "side_b_new_id",
    "where_description",
)


def test_a_first_ged_release_keeps_its_old_ids_and_names_its_sides_by_slug(
    raw: dict[str, dict[str, str]],
) -> None:
    """A release of the first layout imports every row; its old ids are kept in the
    notes as written (``side_a_id=...``), and never read as UCDP actor ids: its sides
    are named by the slug of their names (``actor:<slug>``), whatever number the old
    id is."""
    with GED.open(encoding="utf-8", newline="") as fh:
        current = csv.DictReader(fh).fieldnames or []
    fields = [
        FIRST_GED_RENAMED.get(f, f.capitalize()) for f in current if f not in FIRST_GED_DROPPED
    ]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(fields)
    for row in raw.values():
        writer.writerow([row[f] for f in current if f not in FIRST_GED_DROPPED])
    text.seek(0)
    first = read_ucdp(text)
    assert (first.rows, len(first.events()), first.refused) == (1000, 1000, ())
    row = raw["1648"]
    attack = next(r for r in first.events() if r.id == "ucdp:1648")
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:government-of-algeria"
    assert attack.perpetrator != f"actor:ucdp-{row['side_a_dset_id']}"
    for column, old in (
        ("conflict_id", "conflict_dset_id"),
        ("dyad_id", "dyad_dset_id"),
        ("side_a_id", "side_a_dset_id"),
        ("side_b_id", "side_b_dset_id"),
    ):
        assert f"{column}={row[old]}" in attack.notes.replace("\n", "; ").split("; ")
    assert attack.fatalities.best == int(row["best"])


def test_ged_sides_are_not_written_as_attacker_and_target() -> None:
    timeline = Timeline()
    timeline.import_("ucdp", GED)
    headlines = {e["unique_id"]: e["text"]["headline"] for e in to_timelinejs(timeline)["events"]}
    clash = headlines["ucdp:1648"]  # state-based: Government of Algeria vs GIA
    assert clash.startswith("Fighting between Government of Algeria and GIA")
    assert ": attack on" not in clash
    one_sided = headlines["ucdp:3231"]  # type 3: GIA against civilians is one-sided
    assert one_sided.startswith("GIA: attack on Civilians")
