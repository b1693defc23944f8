"""The ceasefire importers (eth-prio, ucdp-peace-agreements, pax) on real rows.

Rows are copied unchanged from the real files (tests/data/README.md). Every expected
value below is read from the CSV with the csv module and the codebook rule the
importer documents, never computed by the importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Agreement,
    AnyRecord,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentKind,
    Correction,
    ImportDataError,
    PlaceDefined,
    Prohibition,
    Retraction,
    Source,
    Statement,
    TimeExtent,
    Timeline,
)
from conflict_timeline.importers import ImportBatch, get_importer
from conflict_timeline.views import ActiveCommitments, ReportedViolations
from conflict_timeline.views.violations import Basis

DATA = Path(__file__).parent / "data"
CEASEFIRES = DATA / "ceasefires"
ETH = CEASEFIRES / "eth-prio-sample.csv"
PA = CEASEFIRES / "ucdp-peace-agreements-sample.csv"
PAX = CEASEFIRES / "pax-sample.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
# ../shared beside the checkout (as on the developers' machines and in CI)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ceasefires"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(fh)]


def by_id(batch: ImportBatch) -> dict[str, AnyRecord]:
    return {r.id: r for r in batch.records}


@pytest.fixture(scope="module")
def eth() -> ImportBatch:
    return get_importer("eth-prio").read(ETH)


def extent(y: str, m: str, d: str) -> TimeExtent | None:
    """The codebook rule: -1 (or 0) unknown; an unknown day is the month, an unknown
    month the year."""
    year, month, day = int(y), int(m), int(d)
    if year <= 0:
        return None
    if month <= 0:
        return TimeExtent.parse(f"{year:04d}")
    if day <= 0:
        return TimeExtent.parse(f"{year:04d}-{month:02d}")
    try:
        dt.date(year, month, day)
    except ValueError:  # "1994-02-31" as coded: the month
        return TimeExtent.parse(f"{year:04d}-{month:02d}")
    return TimeExtent.parse(f"{year:04d}-{month:02d}-{day:02d}")


# ------------------------------------------------------------------ ETH/PRIO


def test_eth_prio_one_commitment_per_ceasefire_every_row_counted(eth: ImportBatch) -> None:
    rows = rows_of(ETH)
    ceasefires = {r["uniq_id"] for r in rows}
    assert eth.rows == len(rows) == 996
    assert eth.refused == ()
    ids = {r.id for r in eth.events()}
    assert {f"eth-prio:{u}" for u in ceasefires} <= ids
    commitments = [r for r in eth.events() if isinstance(r, Commitment)]
    assert len(commitments) + eth.merged == len(rows)  # the actors' rows fold into one


def test_eth_prio_parties_are_ucdp_actor_ids(eth: ImportBatch) -> None:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows_of(ETH):
        groups[row["uniq_id"]].append(row)
    records = by_id(eth)
    for uniq, rows in groups.items():
        commitment = records[f"eth-prio:{uniq}"]
        if len({r["cf_dec_yr"] for r in rows}) > 1:
            continue  # an id shared by two ceasefires: see the split test
        assert isinstance(commitment, Commitment)
        expected = {
            f"actor:ucdp-{r['ucdp_actor_id']}" for r in rows if int(r["ucdp_actor_id"]) > 0
        }
        assert expected <= set(commitment.parties), uniq
        assert commitment.prohibits == (Prohibition.ANY_ATTACK,)
        if rows[0]["side"] == "1":  # unilateral: announced by its party
            assert commitment.announced_by == commitment.parties
    gov_mexico = records["actor:ucdp-10"]
    assert isinstance(gov_mexico, ActorDefined)
    assert gov_mexico.name == "Government of Mexico"


def test_eth_prio_dates_keep_their_precision(eth: ImportBatch) -> None:
    records = by_id(eth)
    for row in rows_of(ETH):
        commitment = records[f"eth-prio:{row['uniq_id']}"]
        assert isinstance(commitment, Commitment)
        declared = extent(row["cf_dec_yr"], row["cf_dec_month"], row["cf_dec_day"])
        assert declared is not None
        # The earliest declaration among the ceasefire's rows.
        assert commitment.occurred.sort_key() <= declared.sort_key()
    mexico = records["eth-prio:70001"]
    assert isinstance(mexico, Commitment)
    assert mexico.occurred == TimeExtent.parse("1994-01-12")
    # end_yr/month/day: its end, not its until (known when declared, before the end)
    assert mexico.until is None
    assert records["eth-prio:70001/end"].occurred == TimeExtent.parse("1995-02-09")
    assert mexico.scope.include == ("place:mexico",)
    assert mexico.reported == mexico.occurred  # public when declared


def test_eth_prio_impossible_day_is_read_as_its_month_and_flagged(eth: ImportBatch) -> None:
    row = next(r for r in rows_of(ETH) if r["uniq_id"] == "570002")
    assert (row["cf_effect_yr"], row["cf_effect_month"], row["cf_effect_day"]) == (
        "1994",
        "2",
        "31",
    )
    commitment = by_id(eth)["eth-prio:570002"]
    assert isinstance(commitment, Commitment)
    assert commitment.effective == TimeExtent.parse("1994-02")
    assert "cf_effect coded as 1994-02-31, not a day: read as the month" in commitment.notes
    assert eth.flags["date adjusted"] >= 1


def test_eth_prio_id_shared_by_two_ceasefires_years_apart_is_split(eth: ImportBatch) -> None:
    rows = [r for r in rows_of(ETH) if r["uniq_id"] == "100032"]
    assert [(r["actor_name"], r["cf_dec_yr"], r["id"]) for r in rows] == [
        ("ELN", "2000", "98"),
        ("ELN", "2019", "99"),
    ]
    first, second = by_id(eth)["eth-prio:100032"], by_id(eth)["eth-prio:100032-99"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    assert first.occurred == TimeExtent.parse("2000-12-16")
    assert second.occurred == TimeExtent.parse("2019-04-11")
    assert by_id(eth)["eth-prio:100032-99/end"].occurred == TimeExtent.parse("2019-04-21")
    assert "is shared with a ceasefire declared more than 90 days apart" in second.notes


def test_eth_prio_not_ended_is_in_force_to_the_end_of_coverage_code_kept(eth: ImportBatch) -> None:
    records = by_id(eth)
    all_rows = rows_of(ETH)
    for row in all_rows:
        uniq = row["uniq_id"]
        its_rows = [r for r in all_rows if r["uniq_id"] == uniq]
        unknown_end = all(
            r["end_yr"] == "-1" or (r["end_yr"] == "0" and r["ended"] != "0") for r in its_rows
        )
        # An effect coded 0/0/0 on every row: declared, never in effect (see below).
        idle = all(
            (r["cf_effect_yr"], r["cf_effect_month"], r["cf_effect_day"]) == ("0", "0", "0")
            for r in its_rows
        )
        mine = [
            r
            for rid, r in records.items()
            if (rid == f"eth-prio:{uniq}" or rid.startswith(f"eth-prio:{uniq}-"))
            and not rid.endswith("/end")
        ]
        coded: set[str] = set()
        for commitment in mine:
            assert isinstance(commitment, Commitment)
            found = re.search(r"(?:^|; )ended=([^;\n]*)", commitment.notes)
            assert found is not None
            coded.update(found.group(1).split("|"))
        assert row["ended"] in coded, uniq
        if idle and len(mine) == 1:  # ends on its declaration, whatever the ends say
            (commitment,) = mine
            assert isinstance(commitment, Commitment)
            assert commitment.until is None
            assert records[f"{commitment.id}/end"].occurred == commitment.occurred
        elif unknown_end and len(mine) == 1:
            (commitment,) = mine
            assert isinstance(commitment, Commitment)
            assert commitment.until is not None
            assert commitment.until.earliest == commitment.starts.earliest
            # Declared for a fixed number of days by every row (fixed 1, fixed_time
            # a whole number): possibly in force to the last day of that term, the
            # start its first day (the longest of the rows' terms).
            terms = [r["fixed_time"] for r in its_rows if r["fixed"] == "1"]
            if len(terms) == len(its_rows) and all(t.isdigit() and int(t) > 0 for t in terms):
                days = max(int(t) for t in terms) - 1
                last = commitment.starts.latest + dt.timedelta(days=days)
                assert commitment.until.latest == last, uniq
            else:  # end unknown: possibly in force until 2020
                assert commitment.until.latest == TimeExtent.parse("2020").latest
        if uniq in {"90008", "93013", "100002"}:  # end_yr 0 and ended 0: not ended
            assert (row["end_yr"], row["ended"]) == ("0", "0")
            (commitment,) = mine
            assert isinstance(commitment, Commitment)
            # Not ended by the end of 2020, ETH/PRIO's coverage; after it, unknown.
            assert commitment.until is not None
            assert commitment.until.earliest == TimeExtent.parse("2021").earliest
            assert commitment.until.latest.year == 9999


def _one_ceasefire(uniq: str, rows: list[dict[str, str]]) -> tuple[Timeline, Commitment]:
    """A timeline holding the sample's ``rows`` of ceasefire ``uniq``, and its record."""
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(out.getvalue()))
    commitment = timeline.get(f"eth-prio:{uniq}").record
    assert isinstance(commitment, Commitment)
    return timeline, commitment


def test_an_unknown_end_is_possible_from_the_start_to_the_end_of_coverage() -> None:
    # A real ceasefire of the sample whose end is unknown (end_yr -1 on every row),
    # with a GED-like attack by one of its parties in its country in 2019.
    all_rows = rows_of(ETH)
    by_uniq: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in all_rows:
        by_uniq[row["uniq_id"]].append(row)
    uniq, rows = next(
        (u, rs)
        for u, rs in by_uniq.items()
        if all(r["end_yr"] == "-1" for r in rs)
        and int(rs[0]["cf_effect_yr"]) < 2018
        and all(int(r["cf_effect_yr"]) > 0 and int(r["cf_effect_month"]) > 0 for r in rs)
    )
    timeline, commitment = _one_ceasefire(uniq, rows)
    cid = commitment.id
    (country,) = commitment.scope.include
    timeline.append(
        Attack(
            id="attack:2019",
            occurred=TimeExtent.parse("2019-06-01"),
            sources=(Source(publisher="test", published="2019-06-02"),),
            perpetrator=commitment.parties[0],
            target_class="military",
            place=country,
        )
    )
    later = "2019-06-30"  # after its start, before the end of coverage
    assert cid in {c.id for c in timeline.state(ActiveCommitments, at=later, certainty="certain")}
    assert cid not in {c.id for c in timeline.state(ActiveCommitments, at=later)}
    for certainty in ("possible", "certain"):
        found = timeline.state(ReportedViolations, at=later, certainty=certainty)
        assert [(v.commitment, v.incidents) for v in found] == [(cid, ("attack:2019",))]
    # After the end of coverage it has certainly lapsed.
    assert cid not in {
        c.id for c in timeline.state(ActiveCommitments, at="2021-01-01", certainty="certain")
    }


def test_a_ceasefire_not_ended_is_in_force_to_the_end_of_coverage_and_unknown_after() -> None:
    # ETH/PRIO codes "not ended" (end_yr 0, ended 0) as of the end of its coverage,
    # 2020: certainly in force to then; the dataset says nothing of later years.
    all_rows = rows_of(ETH)
    uniq = "90008"  # a real ceasefire of the sample coded not ended on every row
    rows = [r for r in all_rows if r["uniq_id"] == uniq]
    assert all((r["end_yr"], r["ended"]) == ("0", "0") for r in rows)
    timeline, commitment = _one_ceasefire(uniq, rows)
    cid = commitment.id
    (country,) = commitment.scope.include
    for day in ("2020-06-01", "2022-06-01"):
        timeline.append(
            Attack(
                id=f"attack:{day}",
                occurred=TimeExtent.parse(day),
                sources=(Source(publisher="test", published=day),),
                perpetrator=commitment.parties[0],
                target_class="military",
                place=country,
            )
        )

    def active(at: str | None, certainty: Literal["possible", "certain"] = "possible") -> bool:
        found = timeline.state(ActiveCommitments, at=at, certainty=certainty)
        return cid in {c.id for c in found}

    # In force at the end of 2020 at either certainty.
    assert active("2020-12-31")
    assert active("2020-12-31", "certain")
    # After it: possibly ended (the default certainty counts it as lapsed), not
    # certainly (certain lists it).
    assert not active("2021-01-01")
    assert active("2021-01-01", "certain")
    assert active("2035-01-01", "certain")
    # With no cut every until has passed.
    assert not active(None)
    # An attack by a party in its country is a candidate violation before the end of
    # coverage and after it (possibly in force then), at either certainty.
    for certainty in ("possible", "certain"):
        found = timeline.state(ReportedViolations, at="2022-12-31", certainty=certainty)
        assert sorted(i for v in found if v.commitment == cid for i in v.incidents) == [
            "attack:2020-06-01",
            "attack:2022-06-01",
        ]


PURPOSES = (
    "p_humanitarian",
    "p_peaceprocess",
    "p_holiday",
    "p_election",
    "p_other",
    "p_unclear",
)


def test_eth_prio_links_and_humanitarian_purpose(eth: ImportBatch) -> None:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows_of(ETH):
        groups[row["uniq_id"]].append(row)
    records = by_id(eth)
    for uniq, rows in groups.items():
        if any(rid.startswith(f"eth-prio:{uniq}-") for rid in records):
            continue  # an id shared by two ceasefires: see the split test
        commitment = records[f"eth-prio:{uniq}"]
        assert isinstance(commitment, Commitment)
        for row in rows:
            for link in (row[f"link_id{n}"] for n in range(1, 36)):
                if link not in {"0", "-1", ""}:
                    linked = f"eth-prio:{int(row['cc']) * 1000 + int(link)}"
                    assert linked in commitment.notes
        # The purposes any of its rows codes; humanitarian alone: a humanitarian one.
        purposes = [p for p in PURPOSES if any(row[p] == "1" for row in rows)]
        listed = ", ".join(p.removeprefix("p_") for p in purposes) or "none coded"
        assert f"purposes: {listed}" in commitment.notes.splitlines(), uniq
        humanitarian = purposes == ["p_humanitarian"]
        assert (commitment.commitment_kind is CommitmentKind.HUMANITARIAN_CEASEFIRE) == (
            humanitarian
        )


# ------------------------------------------- real rows the rules single out
#
# eth-prio-odd-rows.csv: every row of eight ceasefires of the full file, copied byte
# for byte (tests/data/README.md). Expectations read from the rows with the csv module
# and the rules of the how-to.

ODD = CEASEFIRES / "eth-prio-odd-rows.csv"
PAX_ODD = CEASEFIRES / "pax-odd-rows.csv"


@pytest.fixture(scope="module")
def odd() -> ImportBatch:
    return get_importer("eth-prio").read(ODD)


def _odd_rows(uniq: str) -> list[dict[str, str]]:
    return [r for r in rows_of(ODD) if r["uniq_id"] == uniq]


def _odd(batch: ImportBatch, uniq: str) -> Commitment:
    found = by_id(batch)[f"eth-prio:{uniq}"]
    assert isinstance(found, Commitment)
    return found


def test_real_odd_rows_import_flagged_none_dropped(odd: ImportBatch) -> None:
    rows = rows_of(ODD)
    assert (odd.rows, odd.refused) == (len(rows), ())
    commitments = [r.id for r in odd.events() if isinstance(r, Commitment)]
    assert len(commitments) == len({r["uniq_id"] for r in rows}) == 8
    # Each ceasefire whose end is known ends: all but 345015 (end year -1), 343003 at
    # its declaration (effect coded 0).
    ended = sorted(r.id for r in odd.events() if isinstance(r, CommitmentEnded))
    assert ended == [
        f"eth-prio:{u}/end"
        for u in ("343003", "344041", "369045", "490009", "645036", "775029", "775058")
    ]
    assert {k: v for k, v in odd.flags.items() if k != "end unknown"} == {
        "effect coded 0: not in effect": 1,  # 343003
        "effect before the declaration": 2,  # 645036, 490009
        "ended 0 with an end date": 1,  # 369045
        "month or day without a year": 1,  # 345015
        # 775058 links 775055 to 775057, which this file of odd rows does not hold
        "link_id names no ceasefire of the file": 1,
    }


def test_a_real_ceasefire_with_its_effect_coded_0_is_active_on_its_declaration_alone(
    odd: ImportBatch,
) -> None:
    # 343003: Macedonia's 5-hour ceasefire of 2001-05-09, ended 3, end 0/0/0.
    (row,) = _odd_rows("343003")
    assert [row[k] for k in ("cf_effect_yr", "cf_effect_month", "cf_effect_day")] == ["0"] * 3
    assert (row["ended"], row["end_yr"], row["end_month"], row["end_day"]) == ("3", "0", "0", "0")
    declared = extent(row["cf_dec_yr"], row["cf_dec_month"], row["cf_dec_day"])
    commitment = _odd(odd, "343003")
    assert commitment.occurred == commitment.starts == declared
    # Ends on its declaration: a CommitmentEnded known then, no until.
    assert commitment.until is None
    end = by_id(odd)["eth-prio:343003/end"]
    assert (end.occurred, end.reported) == (declared, declared)
    assert "effect coded 0: not in effect" in commitment.notes
    # With GED-like attacks by its party in its country on the day and after it.
    text = io.StringIO()
    with ODD.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    writer = csv.DictWriter(text, header, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(text.getvalue()))
    party = f"actor:ucdp-{row['ucdp_actor_id']}"
    for day in ("2001-05-09", "2001-05-10", "2001-08-01", "2015-01-01"):
        timeline.append(
            Attack(
                id=f"attack:{day}",
                occurred=TimeExtent.parse(day),
                sources=(Source(publisher="test", published=day),),
                perpetrator=party,
                target_class="military",
                place="place:macedonia-fyr",  # as GED names it (_GED_COUNTRY)
            )
        )
    found = timeline.state(ReportedViolations)
    assert [(v.commitment, v.incidents) for v in found] == [
        ("eth-prio:343003", ("attack:2001-05-09",))
    ]
    for at in ("2001-05-10", "2001-08-01", "2015-01-01"):
        for certainty in ("possible", "certain"):
            active = timeline.state(ActiveCommitments, at=at, certainty=certainty)
            assert "eth-prio:343003" not in active.ids()


def test_a_real_effect_before_the_declaration_is_kept_and_flagged(odd: ImportBatch) -> None:
    (row,) = _odd_rows("645036")
    declared = extent(row["cf_dec_yr"], row["cf_dec_month"], row["cf_dec_day"])
    effect = extent(row["cf_effect_yr"], row["cf_effect_month"], row["cf_effect_day"])
    assert declared is not None
    assert effect is not None
    assert effect.last < declared.lo  # 1990-01-20 before 1993-01-20, as published
    commitment = _odd(odd, "645036")
    assert (commitment.occurred, commitment.effective) == (declared, effect)
    assert f"Government of Iraq (row {row['id']}): cf_effect {effect}, cf_dec {declared}" in (
        commitment.notes
    )
    # 490009: rows 1280 and 1283 in effect before their own declarations, though not
    # before the ceasefire's earliest.
    notes = _odd(odd, "490009").notes
    for row in _odd_rows("490009"):
        own = extent(row["cf_dec_yr"], row["cf_dec_month"], row["cf_dec_day"])
        took = extent(row["cf_effect_yr"], row["cf_effect_month"], row["cf_effect_day"])
        assert own is not None
        assert took is not None
        assert (f"(row {row['id']}): cf_effect" in notes) == (took.last < own.lo), row["id"]


def test_a_real_not_ended_row_with_an_end_keeps_it_flagged(odd: ImportBatch) -> None:
    rows = _odd_rows("369045")
    assert {(r["ended"], r["end_yr"], r["end_month"], r["end_day"]) for r in rows} == {
        ("0", "2016", "-1", "-1")
    }
    commitment = _odd(odd, "369045")
    assert commitment.until is None  # its end, 2016, is the record below
    assert by_id(odd)["eth-prio:369045/end"].occurred == TimeExtent.parse("2016")
    line = next(x for x in commitment.notes.splitlines() if x.startswith("ended 0 with"))
    assert all(f"DPR (row {r['id']}): end 2016 (year, UTC)" in line for r in rows)


def test_a_real_end_month_without_a_year_is_kept_flagged(odd: ImportBatch) -> None:
    (row,) = _odd_rows("345015")
    assert (row["id"], row["end_yr"], row["end_month"], row["end_day"]) == ("212", "-1", "6", "-1")
    commitment = _odd(odd, "345015")
    assert commitment.until is not None  # unknown: possibly in force until 2020
    assert commitment.until.latest == TimeExtent.parse("2020").latest
    assert "(row 212): end coded year -1, month 6, day -1" in commitment.notes


def test_every_real_rows_purposes_peace_process_and_mediators_are_kept(
    odd: ImportBatch,
) -> None:
    for uniq in ("775058", "344041", "775029"):
        rows = _odd_rows(uniq)
        lines = _odd(odd, uniq).notes.splitlines()
        purposes = [p for p in PURPOSES if any(r[p] == "1" for r in rows)]
        assert "purposes: " + ", ".join(p.removeprefix("p_") for p in purposes) in lines
        texts = list(dict.fromkeys(r["cf_pp"].strip() for r in rows if r["cf_pp"].strip()))
        assert [x for x in lines if x.startswith("peace process: ")] == [
            f"peace process: {t}" for t in texts
        ]
        sent = list(
            dict.fromkeys(
                r["mediator_send"].strip() for r in rows if r["mediator_send"] not in {"0", "-1"}
            )
        )
        assert [x for x in lines if x.startswith("mediators: ")] == [
            f"mediators: {m}" for m in sent
        ]
    # 775058: MNDAA alone codes p_humanitarian.
    assert [r["actor_name"] for r in _odd_rows("775058") if r["p_humanitarian"] == "1"] == [
        "MNDAA"
    ]
    assert "purposes: humanitarian, peaceprocess, election, other" in _odd(odd, "775058").notes
    assert len({r["cf_pp"] for r in _odd_rows("344041")}) == 2
    assert len({r["mediator_send"] for r in _odd_rows("775029")}) == 2


# ------------------------------------------------------------- UCDP agreements


PA_PROVISION_COLUMNS = [
    "intarmy",
    "ddr",
    "withd",
    "mil_prov",
    "pp",
    "intgov",
    "intciv",
    "elections",
    "interim",
    "natalks",
    "shagov",
    "pol_prov",
    "aut",
    "fed",
    "ind",
    "ref",
    "shaloc",
    "regdev",
    "cul",
    "demarcation",
    "locgov",
    "terr_prov",
    "amn",
    "pris",
    "recon",
    "return",
    "justice_prov",
    "reaffirm",
    "outlin",
    "pko",
    "gender",
    "co_impl",
]


def test_ucdp_peace_agreement_is_an_agreement_with_its_provision() -> None:
    batch = get_importer("ucdp-peace-agreements").read(PA)
    rows = rows_of(PA)
    # Every row is accepted, and yields two events: the agreement and its provision,
    # and a third, the provision's end, for the 4 rows whose duration dates an end on
    # or after pa_date (1128, 1132, 1131, 1021; 1024's is before it, not used).
    assert (batch.rows, batch.accepted, batch.refused) == (len(rows), len(rows), ())
    assert len(batch.events()) == 2 * len(rows) + 4
    records = by_id(batch)
    order = [r.id for r in batch.records]
    for row in rows:
        aid = f"ucdp-pa:{row['paid']}"
        agreement = records[aid]
        assert isinstance(agreement, Agreement)
        ids = [x.strip() for x in row["actor_id"].split(",")]
        assert set(agreement.signatories) == {f"actor:ucdp-{x}" for x in ids}
        assert agreement.title == row["pa_name"].strip()
        assert agreement.text == row["pa_comment"].strip()
        assert agreement.occurred == TimeExtent.parse(row["pa_date"])
        coded = [k for k in ["cease", *PA_PROVISION_COLUMNS] if row.get(k, "").strip() == "1"]
        assert "provisions: " + (", ".join(coded) or "none coded") in (
            agreement.notes.splitlines()
        )
        codes = agreement.notes.splitlines()[1].split("; ")
        assert f"gwno={row['gwno']}" in codes
        # One provision, under one id whatever cease says (and its end, when dated).
        provision = records[f"{aid}/terms"]
        assert isinstance(provision, Commitment)
        mine = [r for r in records if r.startswith(f"{aid}/")]
        assert mine[0] == provision.id
        assert mine[1:] in ([], [f"{provision.id}/end"])
        if row["cease"] == "1":
            assert provision.commitment_kind is CommitmentKind.CEASEFIRE
            assert provision.prohibits == (Prohibition.ANY_ATTACK,)
        else:
            assert provision.commitment_kind is CommitmentKind.AGREEMENT
            assert provision.prohibits == ()
        # The provision names its agreement, which comes first in the batch.
        assert provision.agreement == aid
        assert order.index(aid) < order.index(provision.id)
        assert set(provision.parties) == set(agreement.signatories)
        if row["c_duration"].strip():  # UCDP's account of the end: the provision's
            assert f"c_duration: {row['c_duration'].strip()}" in provision.notes
        assert provision.occurred == provision.starts == agreement.occurred
        _check_the_provisions_end(records, provision, row)
    # 1024 ends "2000-01-01", before its own pa_date: kept in the provision's notes
    # (the end is the provision's), not used.
    assert "is before pa_date as coded" in records["ucdp-pa:1024/terms"].notes


def _check_the_provisions_end(
    records: dict[str, AnyRecord], provision: Commitment, row: dict[str, str]
) -> None:
    """A duration date is the end whatever ended says (the sample's are on rows coding
    ended True, as every one of 22.1's): a `CommitmentEnded`, known when it came, not
    the provision's until (known from pa_date); else no end record, and an until."""
    dated = row["duration"].strip() != ""
    if dated and row["duration"] >= row["pa_date"]:
        assert provision.until is None
        end = records[f"{provision.id}/end"]
        assert isinstance(end, CommitmentEnded)
        assert end.occurred == end.reported == TimeExtent.parse(row["duration"])
        told = row["c_duration"].strip()  # UCDP's account of the end, with the cells
        lines = [f"ended=True; duration={row['duration']}", f"c_duration: {told}"]
        assert end.notes.splitlines() == lines[: 2 if told else 1]
        return
    assert f"{provision.id}/end" not in records
    if row["ended"] == "True" or dated:  # ended, date unknown or coded before the start
        assert provision.until == TimeExtent.between(
            provision.occurred.earliest, TimeExtent.parse("2021").latest, "year"
        )
    else:  # not ended by the end of 2021 (PA 22.1's coverage): possibly after it
        assert provision.until == TimeExtent.between(
            TimeExtent.parse("2022").earliest,
            dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
            "year",
        )
        assert "not ended by the end of 2021" in provision.notes


def edited(path: Path, line: int, **cells: str) -> str:
    """``path``'s header and its data row ``line`` (0 = the first), with ``cells``
    changed, as CSV text."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    row = rows[line]
    for column, value in cells.items():
        row[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, row])
    return out.getvalue()


def corrections_of(timeline: Timeline, rid: str) -> list[Correction]:
    return [
        r.record
        for r in timeline.read(kinds=["Correction"])
        if isinstance(r.record, Correction) and r.record.corrects == rid
    ]


def test_a_changed_peace_agreement_corrects_only_what_changed() -> None:
    timeline = Timeline()
    first = timeline.import_("ucdp-peace-agreements", PA)
    rows = rows_of(PA)
    ends = 4  # the rows whose duration dates an end on or after pa_date
    assert (first.accepted, first.events, first.refused) == (len(rows), 2 * len(rows) + ends, ())
    again = timeline.import_("ucdp-peace-agreements", PA)
    assert (again.accepted, again.skipped, again.appended) == (0, len(rows), 0)
    i = next(i for i, row in enumerate(rows) if row["cease"] == "1" and row["ended"] != "True")
    paid = rows[i]["paid"]
    changed = edited(PA, i, ended="True", duration="2030-01-01")
    summary = timeline.import_("ucdp-peace-agreements", io.StringIO(changed))
    # The end is the provision's: it alone is corrected (its notes keep the cells; its
    # until, not ended by the coverage, is now none), and its end is new; the
    # agreement is unchanged.
    assert (summary.rows, summary.accepted, summary.corrections) == (1, 1, 1)
    assert (summary.events, summary.skipped) == (1, 0)
    (fix,) = corrections_of(timeline, f"ucdp-pa:{paid}/terms")
    assert isinstance(fix.replacement, Commitment)
    assert fix.replacement.until is None
    end = timeline.get(f"ucdp-pa:{paid}/terms/end").record
    assert end.occurred == TimeExtent.parse("2030-01-01")  # type: ignore[attr-defined]
    assert corrections_of(timeline, f"ucdp-pa:{paid}") == []


def test_a_peace_agreement_recoded_without_a_ceasefire_no_longer_prohibits_attacks() -> None:
    rows = rows_of(PA)
    i = next(i for i, row in enumerate(rows) if row["cease"] == "1" and row["ended"] != "True")
    pid = f"ucdp-pa:{rows[i]['paid']}/terms"
    timeline = Timeline()
    timeline.import_("ucdp-peace-agreements", PA)
    # In force at the end of PA 22.1's coverage (after it, possibly ended).
    at = "2021-12-31"
    assert pid in {c.id for c in timeline.state(ActiveCommitments, at=at)}
    summary = timeline.import_("ucdp-peace-agreements", io.StringIO(edited(PA, i, cease="0")))
    # Its provision is corrected in place (the agreement too: its notes list "cease").
    assert (summary.accepted, summary.corrections, summary.refused) == (1, 2, ())
    (fix,) = corrections_of(timeline, pid)
    assert isinstance(fix.replacement, Commitment)
    assert fix.replacement.commitment_kind is CommitmentKind.AGREEMENT
    assert fix.replacement.prohibits == ()
    assert (
        "provisions: cease"
        not in corrections_of(timeline, pid[: -len("/terms")])[0].replacement.notes
    )
    # Still active, as an agreement: no longer a ceasefire any attack would violate.
    (active,) = [c for c in timeline.state(ActiveCommitments, at=at) if c.id == pid]
    assert active.commitment.commitment_kind is CommitmentKind.AGREEMENT
    assert active.commitment.prohibits == ()


def test_a_peace_agreement_row_whose_provision_is_refused_adds_nothing() -> None:
    # The provision id is held by a record of another kind: the whole row is refused,
    # and its agreement is not written either; strict mode stops and writes nothing.
    rows = rows_of(PA)
    paid = rows[0]["paid"]
    blocked = Timeline()
    speaker = ActorDefined(id="actor:x", name="X", actor_kind=ActorKind.ORGANIZATION)
    blocked.extend(
        [
            speaker,
            Statement(
                id=f"ucdp-pa:{paid}/terms",
                occurred=TimeExtent.parse("1990"),
                sources=(Source(publisher="test"),),
                speaker=speaker.id,
                summary="an unrelated statement under the provision's id",
            ),
        ]
    )
    head = blocked.head
    with pytest.raises(ImportDataError, match=r"line 2: row: .* is stored as Statement"):
        blocked.import_("ucdp-peace-agreements", PA, strict=True)
    assert blocked.head == head
    summary = blocked.import_("ucdp-peace-agreements", PA)
    assert [r.line for r in summary.refused] == [2]
    assert "stored as Statement" in summary.refused[0].reason
    assert blocked.store.get(f"ucdp-pa:{paid}") is None
    assert summary.accepted == len(rows) - 1


def test_every_peace_agreement_row_is_counted_once() -> None:
    # Rows: the sample; its first row again, the same to the letter (merged into it);
    # its second row again with another end (two versions of one agreement: refused);
    # a new agreement with a broken date (refused).
    rows = rows_of(PA)
    with PA.open(encoding="utf-8-sig", newline="") as fh:
        header, *cells = list(csv.reader(fh))
    twin = list(cells[1])
    twin[header.index("ended")], twin[header.index("duration")] = "True", "2030-01-01"
    broken = list(cells[2])
    broken[header.index("paid")], broken[header.index("pa_date")] = "999999", "1999-02-31"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *cells, cells[0], twin, broken])
    text = out.getvalue()
    reader = csv.reader(io.StringIO(text))
    starts, last = [], 0  # the physical line each row starts on (notes span lines)
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    batch = get_importer("ucdp-peace-agreements").read(io.StringIO(text))
    n = len(rows)
    assert batch.rows == n + 3
    assert (batch.accepted, batch.merged, batch.skipped, len(batch.refused)) == (n - 1, 2, 0, 2)
    assert batch.rows == (
        batch.accepted
        + batch.skipped
        + batch.merged
        + sum(batch.out_of_scope.values())
        + len(batch.refused)
    )
    refused = {r.field: r for r in batch.refused}
    assert refused["paid"].line == starts[2]  # the second row's, where it first stands
    assert "appears in 2 rows that differ" in refused["paid"].reason
    assert refused["pa_date"].line == starts[-1]
    # Two records a row taken, and the ends of the 3 of them whose duration dates one
    # (1128 left out, refused).
    assert len(batch.events()) == 2 * (n - 1) + 3
    assert {r.id for r in batch.events()} >= {f"ucdp-pa:{rows[0]['paid']}"}
    assert f"ucdp-pa:{rows[1]['paid']}" not in {r.id for r in batch.events()}


def test_the_builder_refuses_a_row_repeating_one_record_of_another_but_not_the_rest() -> None:
    # Importers that do not group rows by id meet this in the shared builder: a row
    # whose agreement repeats an earlier row's while its provision differs is two
    # versions of one agreement.
    from conflict_timeline.importers._batch import BatchBuilder, RowOutcome

    day = TimeExtent.parse("2001-01-01")
    builder = BatchBuilder(file="f.csv", existing=None, strict=False, reimport_reason="r")
    party = ActorDefined(id="actor:p", name="P", actor_kind=ActorKind.ORGANIZATION)
    agreement = Agreement(id="a", occurred=day, title="A", signatories=(party.id,))

    def row(provision: str) -> RowOutcome:
        out = RowOutcome()
        builder.define(out, party)
        terms = Commitment(
            id=provision,
            occurred=day,
            commitment_kind=CommitmentKind.AGREEMENT,
            parties=(party.id,),
            agreement="a",
        )
        out.events += (agreement, terms)
        return out

    for line, provision in ((2, "a/terms"), (3, "a/terms"), (4, "a/other")):
        builder.rows += 1
        builder.accept(line, row(provision))
    batch = builder.build()
    assert (batch.accepted, batch.skipped) == (1, 1)  # line 3 repeats line 2 whole
    (refused,) = batch.refused
    # Refused whole, under the field "row" (mutants ``accept`` 33, 37, 38 of the
    # eleventh mutation run).
    assert (refused.line, refused.field) == (4, "row")
    assert "'a' repeats line 2" in refused.reason
    assert [r.id for r in batch.records] == ["actor:p", "a", "a/terms"]


# ---------------------------------------------------------------------- PA-X


def test_pax_every_agreement_is_an_agreement_and_ceasefire_stages_bind() -> None:
    batch = get_importer("pax").read(PAX)
    rows = rows_of(PAX)
    ceasefires = sum(row["Stage"] == "Cea" for row in rows)
    assert 0 < ceasefires < len(rows)
    assert (batch.rows, batch.accepted, batch.refused) == (len(rows), len(rows), ())
    assert len(batch.events()) == len(rows) + ceasefires
    records = by_id(batch)
    for row in rows:
        aid = f"pax:{row['AgtId']}"
        agreement = records[aid]
        assert isinstance(agreement, Agreement)
        assert agreement.title == row["Agt"].strip()
        assert agreement.occurred == TimeExtent.parse(row["Dat"])
        party = records[f"actor:pax-{row['AgtId']}-parties"]
        assert isinstance(party, ActorDefined)
        assert party.name == (row["Part"].strip() or "parties not named in PA-X")
        assert agreement.signatories == (party.id,)
        if row["Stage"] == "Cea":
            provision = records[f"{aid}/ceasefire"]
            assert isinstance(provision, Commitment)
            assert provision.agreement == aid
            assert provision.commitment_kind is CommitmentKind.CEASEFIRE
            assert provision.parties == (party.id,)
            assert provision.prohibits == (Prohibition.ANY_ATTACK,)
            # PA-X codes no end: possibly in force to the end of its coverage (2020).
            assert provision.until == TimeExtent.between(
                provision.occurred.earliest, TimeExtent.parse("2020").latest, "year"
            )
        else:  # no stage that binds: the agreement alone, never an open commitment
            assert f"{aid}/ceasefire" not in records
        if row["UcdpAgr"] not in {"", "NA"}:
            assert f"ucdp-pa:{row['UcdpAgr']}" in agreement.notes
        # The ceasefire provision codes, raw, whatever the stage.
        codes = agreement.notes.splitlines()[1].split("; ")
        assert {f"{k}={row[k]}" for k in ("Ce", "CeProv", "CeGen")} <= set(codes)
    assert not [r for r in batch.records if isinstance(r, Statement)]


def test_real_pax_rows_coding_ceasefires_at_any_stage() -> None:
    # pax-odd-rows.csv: four rows of the full file, copied byte for byte: two at stage
    # Cea coding no ceasefire provision (Ce, CeProv, CeGen 0), one at stage Imp coding
    # Ce 3, one at stage Pre coding none.
    batch = get_importer("pax").read(PAX_ODD)
    rows = rows_of(PAX_ODD)
    assert (batch.rows, batch.accepted, batch.refused) == (4, 4, ())
    records = by_id(batch)
    flagged = 0
    for row in rows:
        aid = f"pax:{row['AgtId']}"
        codes = [row[k] for k in ("Ce", "CeProv", "CeGen")]
        if row["Stage"] == "Cea":
            ceasefire = records[f"{aid}/ceasefire"]
            assert isinstance(ceasefire, Commitment)
            assert ceasefire.commitment_kind is CommitmentKind.CEASEFIRE
            if codes == ["0", "0", "0"]:
                flagged += 1
                assert "ceasefire stage without a ceasefire provision coded" in ceasefire.notes
        else:
            assert f"{aid}/ceasefire" not in records
    assert sorted((r["Stage"], r["Ce"]) for r in rows) == [
        ("Cea", "0"),
        ("Cea", "0"),
        ("Imp", "3"),
        ("Pre", "0"),
    ]
    assert flagged == 2
    assert batch.flags == {"ceasefire stage without a ceasefire provision coded": flagged}


def test_an_eth_prio_ceasefire_with_a_known_end_gets_a_commitment_ended() -> None:
    # Real row 1 (70001, Government of Mexico): declared 1994-01-12, end 1995-02-09,
    # ended 2 (a code whose meaning is not known here): the end is a CommitmentEnded,
    # reason unstated, the code kept raw in its notes, known when it ends, with the
    # commitment's source; not its until (known when declared, before the end).
    batch = get_importer("eth-prio").read(io.StringIO(edited(ETH, 0)))
    commitment, end = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is None
    assert end == CommitmentEnded(
        id="eth-prio:70001/end",
        commitment="eth-prio:70001",
        occurred=TimeExtent.parse("1995-02-09"),
        reported=TimeExtent.parse("1995-02-09"),
        sources=(
            Source(publisher="ETH/PRIO Civil Conflict Ceasefire Dataset", title="ceasefire 70001"),
        ),
        notes="ended=2",
        reason="unstated",
    )
    # Not ended (row 4, 90008 URNG: end 0, ended 0) or ended at an unknown date (row
    # 12, 100032 ELN 2000: end -1): no CommitmentEnded.
    for line in (3, 11):
        kinds = [
            r.kind for r in get_importer("eth-prio").read(io.StringIO(edited(ETH, line))).events()
        ]
        assert kinds == ["Commitment"], line


def test_an_eth_prio_end_recoded_by_a_newer_release_is_corrected_or_retracted() -> None:
    # Real row 1 (70001, end 1995-02-09, ended 2), as a newer release may recode it.
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(edited(ETH, 0)))
    same = timeline.import_("eth-prio", io.StringIO(edited(ETH, 0)))
    assert (same.skipped, same.appended) == (1, 0)  # the same file changes nothing
    # Another end day: its end is corrected (the commitment, which holds no end, is
    # unchanged).
    moved = timeline.import_("eth-prio", io.StringIO(edited(ETH, 0, end_day="10")))
    assert (moved.accepted, moved.corrections, moved.retractions) == (1, 1, 0)
    (end,) = [r.record for r in timeline.read(kinds=["CommitmentEnded"])]
    corrected = corrections_of(timeline, "eth-prio:70001/end")[-1].replacement
    assert isinstance(corrected, CommitmentEnded)
    assert corrected.occurred == TimeExtent.parse("1995-02-10")
    # No end coded any more (end -1): the commitment corrected, its end retracted.
    gone = edited(ETH, 0, end_yr="-1", end_month="-1", end_day="-1", ended="-1")
    summary = timeline.import_("eth-prio", io.StringIO(gone))
    assert (summary.accepted, summary.corrections, summary.retractions) == (1, 1, 1)
    (withdrawn,) = [r.record for r in timeline.read(kinds=["Retraction"])]
    assert isinstance(withdrawn, Retraction)
    assert withdrawn.retracts == end.id == "eth-prio:70001/end"
    again = timeline.import_("eth-prio", io.StringIO(gone))
    assert (again.skipped, again.appended) == (1, 0)


def _eth_rows(lines: list[int], **cells: Callable[[str], str]) -> io.StringIO:
    """The sample's header and its data rows ``lines``, each cell in ``cells``
    rewritten by its function, as CSV text."""
    with ETH.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for line in lines:
        row = rows[line]
        for column, change in cells.items():
            row[header.index(column)] = change(row[header.index(column)])
        writer.writerow(row)
    return io.StringIO(out.getvalue())


def test_a_newer_release_renumbering_its_rows_keeps_a_shared_ids_ceasefire_once() -> None:
    # Real rows 98 (ELN, declared 2000-12-16) and 99 (ELN, declared 2019-04-11), both
    # uniq_id 100032: eth-prio:100032 and eth-prio:100032-99. A newer release
    # inserting a row before them numbers them 99 and 100.
    def renumbered() -> io.StringIO:
        return _eth_rows([11, 12], id=lambda cell: str(int(cell) + 1))

    timeline = Timeline()
    timeline.import_("eth-prio", _eth_rows([11, 12]))
    timeline.import_("eth-prio", renumbered())
    stored = [r.record for r in timeline.read(kinds=["Commitment", "Retraction"])]
    retracted = {r.retracts for r in stored if isinstance(r, Retraction)}
    live = sorted(r.id for r in stored if isinstance(r, Commitment) and r.id not in retracted)
    assert live == ["eth-prio:100032", "eth-prio:100032-99"]  # the 2019 one kept its id
    again = timeline.import_("eth-prio", renumbered())
    assert (again.appended, again.corrections, again.retractions) == (0, 0, 0)
    # A file imported on its own gets the ids it always got: from its own row ids.
    fresh = {r.id for r in get_importer("eth-prio").read(renumbered()).events()}
    assert {"eth-prio:100032", "eth-prio:100032-100"} <= fresh


def test_a_pax_ceasefire_recoded_at_another_stage_is_retracted() -> None:
    rows = rows_of(PAX)
    i = next(i for i, row in enumerate(rows) if row["Stage"] == "Cea")
    pid = f"pax:{rows[i]['AgtId']}/ceasefire"
    timeline = Timeline()
    timeline.import_("pax", PAX)
    # In force from its date, to an unknown end: listed as active at a date only with
    # certainty="certain" (it had certainly not lapsed), see the ETH/PRIO ends.
    cut = {"at": rows[i]["Dat"], "certainty": "certain"}
    assert pid in {c.id for c in timeline.state(ActiveCommitments, **cut)}
    summary = timeline.import_("pax", io.StringIO(edited(PAX, i, Stage="Imp")))
    # The agreement is corrected (its notes give the stage) and the ceasefire retracted.
    assert (summary.accepted, summary.corrections, summary.retractions) == (1, 1, 1)
    (withdrawn,) = [r.record for r in timeline.read(kinds=["Retraction"])]
    assert isinstance(withdrawn, Retraction)
    assert withdrawn.retracts == pid
    assert "stage Imp" in withdrawn.reason
    assert pid not in {c.id for c in timeline.state(ActiveCommitments, **cut)}
    # Importing the same again changes nothing.
    same = timeline.import_("pax", io.StringIO(edited(PAX, i, Stage="Imp")))
    assert (same.skipped, same.appended) == (1, 0)
    # Back at stage Cea: the file gives the ceasefire again, and the file is the word:
    # the withdrawn ceasefire is brought back (a correction of its withdrawal), flagged,
    # with the agreement corrected back.
    back = timeline.import_("pax", io.StringIO(edited(PAX, i, Stage="Cea")))
    assert (back.refused, back.corrections, back.retractions) == ((), 2, 0)
    assert back.flags == {"given again after a version of the file left it out (brought back)": 1}
    assert pid in {c.id for c in timeline.state(ActiveCommitments, **cut)}


# ------------------------------------------------ together with GED: violations


def test_ged_and_eth_prio_share_actors_and_find_candidate_violations() -> None:
    timeline = Timeline()
    timeline.import_("ucdp", GED)
    timeline.import_("eth-prio", ETH)
    attacks = [r.record for r in timeline.read(kinds=["Attack"])]
    ceasefires = [r.record for r in timeline.read(kinds=["Commitment"])]
    ends = {
        r.record.commitment: r.record.occurred  # type: ignore[attr-defined]
        for r in timeline.read(kinds=["CommitmentEnded"])
    }
    # Oracle, from the documented rule: a candidate violation is an attack whose
    # maker is a party of a ceasefire, in the ceasefire's country, that could fall in
    # its active time (from effective to the earlier of until and its end, on the
    # bounds). The maker of one-sided
    # violence (type 3) is GED's side A; a clash (types 1 and 2) names two sides, either
    # of which possibly made it.
    expected = set()
    for commitment in ceasefires:
        assert isinstance(commitment, Commitment)
        (country,) = commitment.scope.include
        for attack in attacks:
            assert isinstance(attack, Attack)
            assert attack.codes is not None
            clash = attack.codes.ucdp_type_of_violence in ("1", "2")
            sides = (attack.perpetrator, attack.target_actor) if clash else (attack.perpetrator,)
            if not any(side in commitment.parties for side in sides):
                continue
            if attack.place is None or not (
                attack.place == country or attack.place.startswith(country + "/")
            ):
                continue
            if attack.occurred.last < commitment.starts.lo:
                continue
            if commitment.until is not None and attack.occurred.lo > commitment.until.last:
                continue
            if commitment.id in ends and attack.occurred.lo > ends[commitment.id].last:
                continue
            expected.add((commitment.id, attack.id))
    assert len(expected) >= 10  # the sample holds GED fighting during ETH/PRIO ceasefires
    found = timeline.state(ReportedViolations)
    pairs = {
        (v.commitment, incident)
        for v in found.items
        if v.basis is Basis.CANDIDATE
        for incident in v.incidents
    }
    assert pairs == expected


def _spelled(record: AnyRecord) -> list[str]:
    return [
        line for line in record.notes.split("\n") if line.startswith("actor_name as published")
    ]


def test_a_ceasefire_naming_an_actor_held_under_another_name_keeps_its_spelling() -> None:
    # One UCDP actor id, two names: GED 23.1 (the sample's rows) calls actor 7230
    # "FPP-AP" and 6254 "Forces of the Presidential Leadership Council"; ETH/PRIO calls
    # them "Bugti tribe" (770063) and "Forces of Hadi" (678062). An import never
    # renames an actor another file defined, so the ceasefire keeps its own spelling
    # in its notes and is flagged, as a GED row naming an actor otherwise is; it used
    # to be dropped without a word (770063 bound "FPP-AP" and said nothing of the
    # Bugti tribe).
    timeline = Timeline()
    timeline.import_("ucdp", GED)
    summary = timeline.import_("eth-prio", ETH)
    actor = timeline.get("actor:ucdp-7230").record
    assert isinstance(actor, ActorDefined)
    assert (actor.name, actor.aliases) == ("FPP-AP", ())
    bugti = timeline.get("eth-prio:770063").record
    assert isinstance(bugti, Commitment)
    assert "actor:ucdp-7230" in bugti.parties
    assert _spelled(bugti) == [
        "actor_name as published: Bugti tribe (actor:ucdp-7230 is named FPP-AP)"
    ]
    hadi = timeline.get("eth-prio:678062").record
    said = (
        "actor_name as published: Forces of Hadi (actor:ucdp-6254 is named Forces of the "
        "Presidential Leadership Council)"
    )
    assert _spelled(hadi) == [said]
    assert summary.flags["name differs from the actor's"] >= 2
    again = timeline.import_("eth-prio", ETH)
    assert (again.appended, again.corrections, again.retractions) == (0, 0, 0)
    # Alone, the file names its actors itself: nothing to say.
    alone = Timeline()
    flags = alone.import_("eth-prio", ETH).flags
    assert "name differs from the actor's" not in flags
    assert _spelled(alone.get("eth-prio:770063").record) == []


# UCDP Peace Agreement Dataset 22.1, paid 1315, as published (the row unchanged; see
# tests/data/README.md): its actor_id 7052 is the United Nations, which ETH/PRIO's
# ucdp_actor_id 7052 is not (ANVC, in India: 750054 in eth-prio-sample.csv).
PA_1315 = [
    "1315", "3", "702", "395", "Tajikistan: Government", "842",
    "Government of Tajikistan - UTO", "7052, 131, 345",
    "United Nations, Government of Tajikistan, UTO", "2", "Protocol on political issues",
    "1997", "1997-05-18",
    ("Partial peace agreement\nProtocol on political issues, 18 May 1997\nThe parties reached "
    "agreement on four basic political questions: an amnesty act, the establishment of the "
    "new Central Electoral Commission, the reform of the Government to include UTO into the "
    "structures of the executive branch, including ministries, departments, local government "
    "bodies and judicial and law-enforcement bodies on the basis of a quota and the bans and "
    "restrictions on activities by the political parties and movements of the UTO and the "
    "mass information media shall be lifted.\n\n\nBishkek memorandum, 18 May 1997\nOn the "
    "same date the Bishkek memorandum was signed,"),
    ("E. Sh. Rakhmonov, President of the Republic of Tajikistan\n\nS. A. Nuri, Leader of the "
    "United Tajik Opposition\n\nG. D. Merrem, Special Representative of the United Nations "
    "Secretary-General for Tajikistan"),
    "Comprehensive peace agreement", "", "", "", "", "",
    "0", "0", "0", "0", "0", "0", "1", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0",
    "0", "0", "0", "0", "0", "0", "1", "0", "0", "0", "1", "1", "1", "0", "0", "0", "1",
    "0", "1", "http://ucdpged.uu.se/peaceagreements/fulltext/Taj%2019970518.pdf",
    "1", "1", "2", "1", "39", "1", "22.1", "1975-01-01", "2021-12-31", "",
]  # fmt: skip


def test_a_peace_agreement_naming_an_actor_held_under_another_name_keeps_its_spelling(
    tmp_path: Path,
) -> None:
    header = PA.read_text(encoding="utf-8-sig").splitlines()[0]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(PA_1315)
    path = tmp_path / "pa-1315.csv"
    path.write_text(header + "\n" + out.getvalue(), encoding="utf-8")
    timeline = Timeline()
    timeline.import_("eth-prio", ETH)
    summary = timeline.import_("ucdp-peace-agreements", path)
    assert summary.flags["name differs from the actor's"] == 1
    agreement = timeline.get("ucdp-pa:1315").record
    assert isinstance(agreement, Agreement)
    assert "actor:ucdp-7052" in agreement.signatories
    assert "actor_name as published: United Nations (actor:ucdp-7052 is named ANVC)" in (
        _spelled(agreement)
    )
    alone = Timeline()
    assert (
        "name differs from the actor's" not in alone.import_("ucdp-peace-agreements", path).flags
    )
    assert _spelled(alone.get("ucdp-pa:1315").record) == []


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_the_three_full_real_files_import_with_the_documented_counts() -> None:
    # The counts docs/howto/import-ceasefires.md gives.
    counts = {}
    flags = {}
    kinds: dict[str, defaultdict[str, int]] = {}
    for name, file in (
        ("eth-prio", "eth-prio-ceasefires-dataset.csv"),
        ("ucdp-peace-agreements", "ucdp-peace-agreements-221.csv"),
        ("pax", "pax-all-agreements-v4.csv"),
    ):
        batch = get_importer(name).read(SHARED / file)
        defined = sum(r.kind in {"ActorDefined", "PlaceDefined"} for r in batch.records)
        counts[name] = (batch.rows, batch.accepted, len(batch.refused), defined, batch.merged)
        flags[name] = dict(batch.flags)
        for record in batch.events():
            key = record.kind
            if isinstance(record, Commitment):
                key = f"Commitment {record.commitment_kind.value}"
            kinds.setdefault(name, defaultdict(int))[key] += 1
    assert counts == {
        # 2,203 uniq_ids; 15 of them hold a second ceasefire declared months or years
        # apart (ELN 2000 and 2019 under 100032), kept as its own commitment.
        "eth-prio": (4091, 2218, 0, 564, 1873),
        # Actors and the countries of the agreements' codes (gwno; Loc1GWNO and
        # Loc2GWNO of the ceasefires): 272 actors and 62 countries; 1,868 PA-X parties
        # and 50 countries.
        "ucdp-peace-agreements": (374, 374, 0, 334, 0),
        "pax": (1868, 1868, 0, 1918, 0),
    }
    assert {k: dict(v) for k, v in kinds.items()} == {
        # 231 whose rows code p_humanitarian and no other purpose.
        # 1,349 of the 2,218 end at a known date (53 of them at their declaration,
        # their effect coded 0); 785 end at an unknown date, 84 are not ended.
        "eth-prio": {
            "Commitment ceasefire": 1987,
            "Commitment humanitarian_ceasefire": 231,
            "CommitmentEnded": 1349,
        },
        # cease = 1 in 176 rows; the other 198 agreements' terms prohibit no attack.
        # 128 of the 129 durations date an end on or after pa_date (1024's is before).
        "ucdp-peace-agreements": {
            "Agreement": 374,
            "Commitment ceasefire": 176,
            "Commitment agreement": 198,
            "CommitmentEnded": 128,
        },
        # Stage "Cea" in 388 rows.
        "pax": {"Agreement": 1868, "Commitment ceasefire": 388},
    }
    assert flags == {
        "eth-prio": {
            # 785 ceasefires whose end is unknown: 152 of them declared for a fixed
            # number of days by every row (fixed 1, fixed_time a whole number)
            "end unknown": 633,
            "fixed term, end unknown": 152,
            "date adjusted": 5,
            "uniq_id shared by two ceasefires": 15,
            # 51 uniq_ids whose every row codes its effect 0/0/0, and 2 second
            # ceasefires under a shared id (645030, 700074)
            "effect coded 0: not in effect": 53,
            "effect before the declaration": 26,
            # 38 uniq_ids whose every row in effect codes cf_effect_yr -1, and the
            # first ceasefires of two shared ids (100032 in 2000, 700077 in 1997)
            "effect unknown": 40,
            "ended 0 with an end date": 3,  # 369045, 369046, 750149
            "month or day without a year": 2,  # rows 212 and 1983
            # 483009: rows 1177 and 1178 code ended 0 with end_yr -1
            "ended 0 with the end year unknown": 1,
            # declared for a term and coded not ended: 100026, 100030, 100031, 346068,
            # 451019, 625171, 750020, 750077, 775020
            "fixed term, not ended": 9,
            # 93004 to 93012 link 93003, 840041 links 840038: no ceasefire of the file
            "link_id names no ceasefire of the file": 10,
            # U+FFFD where the file lost letters: in an actor's name (9 ceasefires,
            # "Ex-S\ufffdl\ufffdka"), cf_pp (34) or factivia_page (7)
            "text with a lost letter (U+FFFD)": 49,
        },
        "ucdp-peace-agreements": {
            "end before the start": 1,
            # 121 agreements (60 of them ceasefires) signed by a government that is no
            # side of their dyads: a witness, guarantor or mediator, not bound (1019
            # and 1599 among them, whose actor_name does not pair with their ids)
            "signing government not bound (no side of the dyads)": 121,
            # gwno "678, 680": South Yemen's 680 has no GED country known here, so the
            # two agreements (1425, 1534) apply everywhere
            "country code not known here": 2,
        },
        # Stage Cea with Ce, CeProv and CeGen all 0
        "pax": {
            "ceasefire stage without a ceasefire provision coded": 10,
            # UcdpAgr 3451999060301 (AgtId 6) and 5171991032901 (469)
            "UCDP id too long to be one": 2,
        },
    }


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_every_real_duration_is_a_day_on_a_row_coding_ended_true() -> None:
    # import-ceasefires.md: of 22.1's 374 rows, 129 code a duration, each a day
    # (YYYY-MM-DD) on a row coding ended True; none codes ended False or empty with a
    # duration (238 leave ended empty, 2 code False, 5 True without a duration).
    rows = rows_of(SHARED / "ucdp-peace-agreements-221.csv")
    dated = [r for r in rows if r["duration"].strip()]
    assert len(rows) == 374
    assert len(dated) == 129
    assert {r["ended"] for r in dated} == {"True"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["duration"]) for r in dated)
    undated = Counter(r["ended"] for r in rows if not r["duration"].strip())
    assert undated == {"": 238, "False": 2, "True": 5}


def test_the_summary_table_adds_the_rows_up_then_gives_the_records() -> None:
    timeline = Timeline()
    timeline.import_("ucdp-peace-agreements", PA)
    rows = rows_of(PA)
    summary = timeline.import_(
        "ucdp-peace-agreements", io.StringIO(edited(PA, 0, duration="2031-01-01", ended="True"))
    )
    table = {
        line.rsplit(maxsplit=1)[0].strip(): int(line.rsplit(maxsplit=1)[1].replace(",", ""))
        for line in summary.table().splitlines()[1:]
    }
    # One row read: accepted (its provision corrected, its end new); no other row
    # category.
    assert summary.rows == 1
    assert (
        table["accepted"] + table["unchanged"] + table["skipped by design"] + table["refused"]
        == summary.rows
    )
    assert (table["records written"], table["corrections"], table["new records"]) == (2, 1, 1)
    again = timeline.import_("ucdp-peace-agreements", PA).table()
    counted = {
        line.rsplit(maxsplit=1)[0].strip(): line.rsplit(maxsplit=1)[1]
        for line in again.splitlines()[1:]
    }
    # The first row now differs from what is stored (corrected back), the rest are
    # unchanged.
    assert (counted["accepted"], counted["unchanged"]) == ("1", str(len(rows) - 1))


def test_the_summary_tables_records_written_are_the_records_appended() -> None:
    """The table's "records written" is what the summary line says was appended: the
    new records, corrections, retractions and the actors and places defined anew."""
    timeline = Timeline()
    summary = timeline.import_("eth-prio", ETH, today="2026-01-01")
    table = {
        line.rsplit(maxsplit=1)[0].strip(): int(line.rsplit(maxsplit=1)[1].replace(",", ""))
        for line in summary.table().splitlines()[1:]
    }
    assert summary.definitions > 0
    assert table["new actors and places"] == summary.definitions
    assert table["records written"] == summary.appended == timeline.store.head()
    assert table["records written"] == (
        table["new records"]
        + table["corrections"]
        + table["retractions"]
        + table["new actors and places"]
    )


def test_eth_prio_a_shared_id_is_flagged_as_such_not_as_a_date_adjusted() -> None:
    # ELN 2000 and 2019 under 100032, whole days as coded: nothing is adjusted. The
    # 2000 ceasefire's end is unknown (end_yr -1), the 2019 one ends 2019-04-21. The
    # shared id was also counted as "date adjusted" before the sixth mutation run.
    rows = [r for r in rows_of(ETH) if r["uniq_id"] == "100032"]
    assert [(r["cf_dec_day"], r["cf_effect_day"], r["end_yr"]) for r in rows] == [
        ("16", "-1", "-1"),
        ("11", "14", "2019"),
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    batch = get_importer("eth-prio").read(io.StringIO(out.getvalue()))
    assert batch.flags == {
        "uniq_id shared by two ceasefires": 1,
        # the 2000 ceasefire was declared for 31 days (fixed 1, fixed_time 31)
        "fixed term, end unknown": 1,
        "effect unknown": 1,
    }


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_real_third_party_governments_sign_but_are_not_bound() -> None:
    """22.1's 1126 (Angola, 2002) lists the UN, the United States, Russia and Portugal
    among its signatories; its one dyad is "Government of Angola - UNITA", so the
    ceasefire binds the government, UNITA and the UN, and no government that is no
    side of its dyads: the United States is bound by none of 22.1's ceasefires."""
    batch = get_importer("ucdp-peace-agreements").read(SHARED / "ucdp-peace-agreements-221.csv")
    terms = {r.id: r for r in batch.events() if isinstance(r, Commitment)}
    angola = terms["ucdp-pa:1126/terms"]
    assert angola.commitment_kind is CommitmentKind.CEASEFIRE
    assert angola.parties == ("actor:ucdp-7052", "actor:ucdp-99", "actor:ucdp-567")
    ceasefires = [t for t in terms.values() if t.commitment_kind is CommitmentKind.CEASEFIRE]
    assert len(ceasefires) == 176
    assert not [t.id for t in ceasefires if "actor:ucdp-3" in t.parties]


def test_a_peace_agreement_ending_on_its_own_day_is_not_noted_as_ending_before_it() -> None:
    # pa_date with a time of day (as a spreadsheet may write it) and an end the same
    # day: the end is used, and the notes do not say it was not (they did before the
    # sixth mutation run, comparing the cells as text).
    # (year 2001 too: a year that disagrees with pa_date is flagged.)
    changed = edited(
        PA, 0, pa_date="2001-03-04 00:00:00", year="2001", ended="True", duration="2001-03-04"
    )
    batch = get_importer("ucdp-peace-agreements").read(io.StringIO(changed))
    terms = by_id(batch)[f"ucdp-pa:{rows_of(PA)[0]['paid']}/terms"]
    assert isinstance(terms, Commitment)
    assert terms.until is None
    assert by_id(batch)[f"{terms.id}/end"].occurred == TimeExtent.parse("2001-03-04")
    assert "not used" not in terms.notes
    assert batch.flags == {}


# ------------------------------------------- independent of the file's row order


def _reversed_rows(path: Path) -> str:
    """``path`` with its data rows in the opposite order, as CSV text."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows[::-1]])
    return out.getvalue()


@pytest.mark.parametrize(
    ("importer", "path"),
    [("eth-prio", ETH), ("ucdp-peace-agreements", PA), ("pax", PAX)],
)
def test_a_file_re_imported_with_its_rows_reversed_is_unchanged(importer: str, path: Path) -> None:
    # The same rows in another order are the same data: the same records, actors
    # included, and nothing new, corrected or retracted when imported again.
    forward = get_importer(importer).read(path)
    backward = get_importer(importer).read(io.StringIO(_reversed_rows(path)))
    assert backward.refused == forward.refused == ()
    assert by_id(backward) == by_id(forward)
    timeline = Timeline()
    timeline.import_(importer, path)
    again = timeline.import_(importer, io.StringIO(_reversed_rows(path)))
    assert (again.appended, again.events, again.corrections, again.retractions) == (0, 0, 0, 0)
    assert again.skipped + again.merged == again.rows == len(rows_of(path))


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
@pytest.mark.parametrize(
    ("importer", "file"),
    [
        ("eth-prio", "eth-prio-ceasefires-dataset.csv"),
        ("ucdp-peace-agreements", "ucdp-peace-agreements-221.csv"),
    ],
)
def test_a_full_real_file_with_its_rows_reversed_gives_the_same_records(
    importer: str, file: str
) -> None:
    # The full ETH/PRIO file holds the ids shared by two ceasefires declared on one
    # day by several rows (678061: rows 2818 and 2819), and actors spelled several
    # ways (UCDP actor 11: 'Government ofGuatemala' once); the peace agreements name
    # actor 71 only in rows whose names match their ids after one that does not.
    path = SHARED / file
    forward = get_importer(importer).read(path)
    backward = get_importer(importer).read(io.StringIO(_reversed_rows(path)))
    assert backward.refused == forward.refused == ()
    assert by_id(backward) == by_id(forward)
    found = by_id(forward)
    if importer == "eth-prio":
        assert "eth-prio:678061-2818" in found
        assert "eth-prio:678061-2819" not in found
        guatemala = found["actor:ucdp-11"]
        assert isinstance(guatemala, ActorDefined)
        assert (guatemala.name, guatemala.aliases) == (
            "Government of Guatemala",
            ("Government ofGuatemala",),
        )
    else:
        gambia = found["actor:ucdp-71"]
        assert isinstance(gambia, ActorDefined)
        assert (gambia.name, gambia.actor_kind) == ("Government of Gambia", ActorKind.GOVERNMENT)


def test_real_pax_locations_codes_and_links_to_other_agreements_are_kept() -> None:
    # pax-sample.csv rows 1684 (Loc1ISO AZE, Loc1GWNO 373, Loc2ISO ARM, Loc2GWNO 371)
    # and 2232 (OthAgr quoting its page 2), as published.
    records = by_id(get_importer("pax").read(PAX))
    nagorno = records["pax:1684"]
    assert isinstance(nagorno, Agreement)
    codes = nagorno.notes.splitlines()[1].split("; ")
    for code in (
        "Loc1ISO=AZE",
        "Loc1GWNO=373",
        "Loc2ISO=ARM",
        "Loc2GWNO=371",
        "Reg=Europe and Eurasia",
        "PP=8",
        "Ver=1",
        "Lgt=2",
        "N_characters=5177",
        "CowWar=872",
    ):
        assert code in codes
    doha = records["pax:2232"]
    assert isinstance(doha, Agreement)
    assert doha.notes.endswith(
        "\nOthAgr: Page 2, 8:\n8. We acknowledge and approve the recent resolution of intra "
        "afghan conference held on 6 Feb 2019 in Moscow and urge the Islamic Conference. UN, "
        "Security Council, neighboring countries to support the peace conferences held in "
        "Moscow and Doha"
    )


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_real_rows_that_name_no_actor_or_disagree_on_the_declaration_keep_them() -> None:
    pa = by_id(
        get_importer("ucdp-peace-agreements").read(SHARED / "ucdp-peace-agreements-221.csv")
    )
    agreement = pa["ucdp-pa:1058"]
    assert isinstance(agreement, Agreement)
    assert (
        "actor_name as coded (not used to name the actors: 3 comma-separated parts for 2 "
        "actor ids): Government of Philippines, Military faction (forces of Honasan, "
        "Abenina & Zumel)"
    ) in agreement.notes.splitlines()
    eth = by_id(get_importer("eth-prio").read(SHARED / "eth-prio-ceasefires-dataset.csv"))
    colombia = eth["eth-prio:100021"]  # FARC declared 2016-08-28, the government 08-26
    assert isinstance(colombia, Commitment)
    assert colombia.occurred == TimeExtent.parse("2016-08-26")
    assert (
        "declarations by actor: Government of Colombia: 2016-08-26 (day, UTC); "
        "FARC: 2016-08-28 (day, UTC)"
    ) in colombia.notes.splitlines()


def test_every_real_pax_column_but_the_issue_codes_is_kept() -> None:
    # The issue codes are the columns from GCh to ImSrc, but Ce, CeProv and CeGen.
    batch = get_importer("pax").read(PAX)
    records = by_id(batch)
    with PAX.open(newline="", encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    issues = set(header[header.index("GCh") :]) - {"Ce", "CeProv", "CeGen"}
    assert len(issues) == 237
    in_the_records = {"AgtId", "Agt", "Dat", "Part"}  # id, title, occurred, the party
    missing = set()
    for row in rows_of(PAX):
        agreement = records[f"pax:{row['AgtId']}"]
        assert isinstance(agreement, Agreement)
        for column in set(header) - issues - in_the_records:
            cell = row[column].strip()
            if cell.casefold() in {"", "na"}:
                continue  # empty, or R's NA: read as empty
            if cell and cell not in agreement.notes:
                missing.add(column)
    assert missing == set()


def test_an_eth_prio_end_coded_again_after_a_release_left_it_out_is_brought_back() -> None:
    # Real row 1 (70001, end 1995-02-09): a release codes no end (end -1), then the
    # file codes the end again. The file is the word on what it gives: the end the
    # import withdrew is brought back (a correction of its withdrawal), the commitment
    # corrected back (no until: the end is the record's); left out once more, withdrawn
    # again under an id of its own.
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(edited(ETH, 0)))
    gone = edited(ETH, 0, end_yr="-1", end_month="-1", end_day="-1", ended="-1")
    timeline.import_("eth-prio", io.StringIO(gone))
    back = timeline.import_("eth-prio", io.StringIO(edited(ETH, 0)))
    assert (back.accepted, back.refused, back.corrections, back.retractions) == (1, (), 2, 0)
    assert back.flags == {"given again after a version of the file left it out (brought back)": 1}
    commitment = corrections_of(timeline, "eth-prio:70001")[-1].replacement
    assert isinstance(commitment, Commitment)
    assert commitment.until is None
    revived = corrections_of(timeline, "eth-prio:70001/end")[-1]
    assert revived.replacement.occurred == TimeExtent.parse("1995-02-09")
    # Left out again: withdrawn again, under a second id.
    again = timeline.import_("eth-prio", io.StringIO(gone))
    assert again.retractions == 1
    withdrawals = sorted(r.id for r in timeline.read(kinds=["Retraction"]))
    assert withdrawals == ["eth-prio:70001/end#withdrawn", "eth-prio:70001/end#withdrawn-2"]
    # The same file again changes nothing.
    assert timeline.import_("eth-prio", io.StringIO(gone)).appended == 0


def test_eth_prios_macedonia_is_geds_macedonia_fyr_so_ged_events_there_are_candidates() -> None:
    """ETH/PRIO names country 343 ``Macedonia``, UCDP GED 23.1 ``Macedonia, FYR``: the
    ceasefire's scope is GED's place, so the GED clash between the government and the
    UCK on 28 March 2001 (event 202924) is a candidate violation of the UCK's
    ceasefire declared that March (343002, in effect from an unknown date, end
    unknown); the notes keep the name as published."""
    timeline = Timeline()
    timeline.import_("ucdp", GED)
    timeline.import_("eth-prio", ETH)
    ceasefire = timeline.get("eth-prio:343002").record
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.scope.include == ("place:macedonia-fyr",)
    assert ceasefire.notes.splitlines()[0] == "ETH/PRIO ceasefire 343002 (Macedonia)"
    place = timeline.get("place:macedonia-fyr").record
    assert isinstance(place, PlaceDefined)
    assert place.name == "Macedonia, FYR"
    assert "place:macedonia" not in {r.record.id for r in timeline.read(kinds=["PlaceDefined"])}
    found = timeline.state(ReportedViolations, commitment="eth-prio:343002")
    assert [(v.basis, v.incidents) for v in found.items] == [(Basis.CANDIDATE, ("ucdp:202924",))]
