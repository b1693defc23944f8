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
from collections import defaultdict
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Agreement,
    AnyRecord,
    Attack,
    Commitment,
    CommitmentKind,
    Correction,
    Prohibition,
    Source,
    Statement,
    TimeExtent,
    Timeline,
)
from conflict_timeline.importers import ImportBatch, get_importer
from conflict_timeline.views import ReportedViolations
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
    assert len(eth.events()) + eth.merged == len(rows)  # the actors' rows fold into one


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
    assert mexico.until == TimeExtent.parse("1995-02-09")  # end_yr/month/day
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
    assert second.until == TimeExtent.parse("2019-04-21")
    assert "is shared with a ceasefire declared more than 90 days apart" in second.notes


def test_eth_prio_not_ended_has_no_end_and_ended_code_is_kept_raw(eth: ImportBatch) -> None:
    records = by_id(eth)
    all_rows = rows_of(ETH)
    for row in all_rows:
        uniq = row["uniq_id"]
        unknown_end = all(
            r["end_yr"] == "-1" or (r["end_yr"] == "0" and r["ended"] != "0")
            for r in all_rows
            if r["uniq_id"] == uniq
        )
        mine = [
            r
            for rid, r in records.items()
            if rid == f"eth-prio:{uniq}" or rid.startswith(f"eth-prio:{uniq}-")
        ]
        coded: set[str] = set()
        for commitment in mine:
            assert isinstance(commitment, Commitment)
            found = re.search(r"(?:^|; )ended=([^;\n]*)", commitment.notes)
            assert found is not None
            coded.update(found.group(1).split("|"))
        assert row["ended"] in coded, uniq
        if unknown_end and len(mine) == 1:  # end unknown: possibly in force until 2020
            (commitment,) = mine
            assert isinstance(commitment, Commitment)
            assert commitment.until is not None
            assert commitment.until.latest == TimeExtent.parse("2020").latest
            assert commitment.until.earliest == commitment.starts.earliest
        if uniq in {"90008", "93013", "100002"}:  # end_yr 0 and ended 0: not ended
            assert (row["end_yr"], row["ended"]) == ("0", "0")
            (commitment,) = mine
            assert isinstance(commitment, Commitment)
            assert commitment.until is None


def test_eth_prio_links_and_humanitarian_purpose(eth: ImportBatch) -> None:
    for row in rows_of(ETH):
        commitment = by_id(eth)[f"eth-prio:{row['uniq_id']}"]
        assert isinstance(commitment, Commitment)
        links = [row[f"link_id{n}"] for n in range(1, 36)]
        for link in links:
            if link not in {"0", "-1", ""}:
                linked = f"eth-prio:{int(row['cc']) * 1000 + int(link)}"
                assert linked in commitment.notes
        purposes = [
            p
            for p in (
                "p_humanitarian",
                "p_peaceprocess",
                "p_holiday",
                "p_election",
                "p_other",
                "p_unclear",
            )
            if row[p] == "1"
        ]
        humanitarian = purposes == ["p_humanitarian"]
        assert (commitment.commitment_kind is CommitmentKind.HUMANITARIAN_CEASEFIRE) == (
            humanitarian
        )


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
]


def test_ucdp_peace_agreement_is_an_agreement_with_its_provision() -> None:
    batch = get_importer("ucdp-peace-agreements").read(PA)
    rows = rows_of(PA)
    # Every row is accepted, and yields two events: the agreement and its provision.
    assert (batch.rows, batch.accepted, batch.refused) == (len(rows), len(rows), ())
    assert len(batch.events()) == 2 * len(rows)
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
        assert "provisions: " + (", ".join(coded) or "none coded") in agreement.notes
        if row["cease"] == "1":
            provision = records[f"{aid}/ceasefire"]
            assert isinstance(provision, Commitment)
            assert provision.commitment_kind is CommitmentKind.CEASEFIRE
            assert provision.prohibits == (Prohibition.ANY_ATTACK,)
            assert f"{aid}/terms" not in records
        else:
            provision = records[f"{aid}/terms"]
            assert isinstance(provision, Commitment)
            assert provision.commitment_kind is CommitmentKind.AGREEMENT
            assert provision.prohibits == ()
            assert f"{aid}/ceasefire" not in records
        # The provision names its agreement, which comes first in the batch.
        assert provision.agreement == aid
        assert order.index(aid) < order.index(provision.id)
        assert set(provision.parties) == set(agreement.signatories)
        assert provision.occurred == provision.starts == agreement.occurred
        ends = row["ended"] == "True" and row["duration"] >= row["pa_date"]
        if ends:
            assert provision.until == TimeExtent.parse(row["duration"])
        elif row["ended"] == "True":  # ended, date unknown or coded before the start
            assert provision.until == TimeExtent.between(
                provision.occurred.earliest, TimeExtent.parse("2021").latest, "year"
            )
        else:
            assert provision.until is None
    # 1024 ends "2000-01-01", before its own pa_date: kept in the provision's notes
    # (the end is the provision's), not used.
    assert "is before pa_date as coded" in records["ucdp-pa:1024/terms"].notes


def test_a_peace_agreement_row_is_taken_whole_or_not_at_all() -> None:
    # A re-import where the agreement is unchanged but its provision changed
    # corrects the provision only; a row repeated unchanged adds nothing.
    timeline = Timeline()
    first = timeline.import_("ucdp-peace-agreements", PA)
    rows = rows_of(PA)
    assert (first.accepted, first.events, first.refused) == (len(rows), 2 * len(rows), ())
    again = timeline.import_("ucdp-peace-agreements", PA)
    assert (again.accepted, again.skipped, again.appended) == (0, len(rows), 0)
    with PA.open(encoding="utf-8-sig", newline="") as fh:
        header, *lines = list(csv.reader(fh))
    i = next(i for i, row in enumerate(rows) if row["cease"] == "1" and row["ended"] != "True")
    paid, cells = rows[i]["paid"], lines[i]
    cells[header.index("ended")], cells[header.index("duration")] = "True", "2030-01-01"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, cells])
    summary = timeline.import_("ucdp-peace-agreements", io.StringIO(out.getvalue()))
    # The end is the provision's: it alone is corrected, the agreement is unchanged.
    assert (summary.rows, summary.accepted, summary.corrections) == (1, 1, 1)
    assert (summary.events, summary.skipped) == (0, 0)
    (fix,) = [r.record for r in timeline.read(kinds=["Correction"])]
    assert isinstance(fix, Correction)
    assert fix.corrects == f"ucdp-pa:{paid}/ceasefire"
    assert isinstance(fix.replacement, Commitment)
    assert fix.replacement.until == TimeExtent.parse("2030-01-01")


def test_a_peace_agreement_row_whose_provision_is_refused_adds_nothing() -> None:
    # The provision id is held by a record of another kind: the whole row is refused,
    # and its agreement is not written either.
    rows = rows_of(PA)
    paid, what = rows[0]["paid"], "ceasefire" if rows[0]["cease"] == "1" else "terms"
    blocked = Timeline()
    speaker = ActorDefined(id="actor:x", name="X", actor_kind=ActorKind.ORGANIZATION)
    blocked.extend(
        [
            speaker,
            Statement(
                id=f"ucdp-pa:{paid}/{what}",
                occurred=TimeExtent.parse("1990"),
                sources=(Source(publisher="test"),),
                speaker=speaker.id,
                summary="an unrelated statement under the provision's id",
            ),
        ]
    )
    summary = blocked.import_("ucdp-peace-agreements", PA)
    assert [r.line for r in summary.refused] == [2]
    assert "stored as Statement" in summary.refused[0].reason
    assert blocked.store.get(f"ucdp-pa:{paid}") is None
    assert summary.accepted == len(rows) - 1


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
    assert not [r for r in batch.records if isinstance(r, Statement)]


# ------------------------------------------------ together with GED: violations


def test_ged_and_eth_prio_share_actors_and_find_candidate_violations() -> None:
    timeline = Timeline()
    timeline.import_("ucdp", GED)
    timeline.import_("eth-prio", ETH)
    attacks = [r.record for r in timeline.read(kinds=["Attack"])]
    ceasefires = [r.record for r in timeline.read(kinds=["Commitment"])]
    # Oracle, from the documented rule: a candidate violation is an attack whose
    # maker (GED's side A) is a party of a ceasefire, in the ceasefire's country,
    # that could fall in its active time (from effective to until, on the bounds).
    expected = set()
    for commitment in ceasefires:
        assert isinstance(commitment, Commitment)
        (country,) = commitment.scope.include
        for attack in attacks:
            assert isinstance(attack, Attack)
            if attack.perpetrator not in commitment.parties:
                continue
            if attack.place is None or not (
                attack.place == country or attack.place.startswith(country + "/")
            ):
                continue
            if attack.occurred.last < commitment.starts.lo:
                continue
            if commitment.until is not None and attack.occurred.lo > commitment.until.last:
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


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_the_three_full_real_files_import_with_the_documented_counts() -> None:
    # The counts docs/howto/import-ceasefires.md gives.
    counts = {}
    kinds: dict[str, defaultdict[str, int]] = {}
    for name, file in (
        ("eth-prio", "eth-prio-ceasefires-dataset.csv"),
        ("ucdp-peace-agreements", "ucdp-peace-agreements-221.csv"),
        ("pax", "pax-all-agreements-v4.csv"),
    ):
        batch = get_importer(name).read(SHARED / file)
        counts[name] = (batch.rows, batch.accepted, len(batch.refused))
        for record in batch.events():
            key = record.kind
            if isinstance(record, Commitment):
                key = f"Commitment {record.commitment_kind.value}"
            kinds.setdefault(name, defaultdict(int))[key] += 1
    assert counts == {
        # 2,203 uniq_ids; 15 of them hold a second ceasefire declared months or years
        # apart (ELN 2000 and 2019 under 100032), kept as its own commitment.
        "eth-prio": (4091, 2218, 0),
        "ucdp-peace-agreements": (374, 374, 0),
        "pax": (1868, 1868, 0),
    }
    assert {k: dict(v) for k, v in kinds.items()} == {
        # 231 have p_humanitarian as their only purpose.
        "eth-prio": {"Commitment ceasefire": 1987, "Commitment humanitarian_ceasefire": 231},
        # cease = 1 in 176 rows; the other 198 agreements' terms prohibit no attack.
        "ucdp-peace-agreements": {
            "Agreement": 374,
            "Commitment ceasefire": 176,
            "Commitment agreement": 198,
        },
        # Stage "Cea" in 388 rows.
        "pax": {"Agreement": 1868, "Commitment ceasefire": 388},
    }
