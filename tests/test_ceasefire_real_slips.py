"""Slips the real ceasefire files hold, read as docs/howto/import-ceasefires.md says.

Each test names the real rows it reads (the full files in ../shared, as
tests/test_import_ceasefires.py reads them) and the rule its expectation is written
from by hand; none of the expected values is computed by the importer. Found by an
audit of the importers against the real files (6 December 2026).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conflict_timeline import Commitment
from conflict_timeline.importers import get_importer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ceasefires"
ETH_FILE = SHARED / "eth-prio-ceasefires-dataset.csv"
PA_FILE = SHARED / "ucdp-peace-agreements-221.csv"

needs_real_files = pytest.mark.skipif(
    not SHARED.exists(), reason="the full real files are not on this machine"
)


def _rows_under(path: Path, column: str, values: set[str], tmp_path: Path) -> Path:
    """The real file's header and its rows whose ``column`` is in ``values``, unchanged."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    at = rows[0].index(column)
    out = tmp_path / path.name
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(rows[0])
        writer.writerows(r for r in rows[1:] if r[at] in values)
    return out


@needs_real_files
def test_pa_1019_third_governments_are_not_bound_when_actor_name_does_not_pair() -> None:
    # UCDP PA 22.1, paid 1019 (Abuja Accord, cease 1): dyad_name is the one dyad
    # "Government of Guinea-Bissau - Military Junta for the Consolidation of
    # Democracy, Peace and Justice"; actor_id "84, 7065, 71, 82, 7052, 7062, 70, 549"
    # lists the Governments of Nigeria (84), Gambia (71) and Togo (82) too, which the
    # file's other rows name so. By the importer's own documented rule ("a government
    # that signs but is no side of any of the row's dyads is not bound by the terms"),
    # those three are signatories, not parties of the ceasefire. The actor_name cell
    # splits into 9 parts for 8 ids (the junta's name holds a comma), and the rule
    # silently lapses: all eight are bound, unflagged.
    batch = get_importer("ucdp-peace-agreements").read(PA_FILE)
    terms = next(r for r in batch.records if r.id == "ucdp-pa:1019/terms")
    assert isinstance(terms, Commitment)
    assert terms.commitment_kind.value == "ceasefire"
    assert set(terms.parties) == {
        "actor:ucdp-7065",  # ECOWAS
        "actor:ucdp-7052",  # United Nations
        "actor:ucdp-7062",  # OAU
        "actor:ucdp-70",  # Government of Guinea-Bissau
        "actor:ucdp-549",  # Military Junta ...
    }
    assert "signing government not bound" in terms.notes


@needs_real_files
def test_eth_483009_ended_0_with_end_year_unknown_is_flagged_as_inconsistent(
    tmp_path: Path,
) -> None:
    # ETH/PRIO rows 1177 and 1178 (uniq_id 483009, Chad, declared 1995-11-22): ended 0
    # (the code the importer reads as "not ended", see its "ended 0 with an end date"
    # flag) with end_yr/end_month/end_day -1/-1/-1 (unknown end). The two cells
    # disagree (a not-ended ceasefire codes end_yr 0); the importer silently takes the
    # unknown end (certainly in force never) and drops the "not ended" reading, with
    # only the ordinary "end unknown" flag. Project rule: flag what is inconsistent.
    path = _rows_under(ETH_FILE, "uniq_id", {"483009"}, tmp_path)
    batch = get_importer("eth-prio").read(path)
    assert len(batch.refused) == 0
    assert any("ended 0" in kind for kind in batch.flags), dict(batch.flags)
    ceasefire = next(r for r in batch.records if r.id == "eth-prio:483009")
    assert "ended 0" in ceasefire.notes


@needs_real_files
def test_eth_link_ids_naming_no_ceasefire_of_the_file_are_flagged() -> None:
    # ETH/PRIO rows 39-47 (Nicaragua, uniq_id 93004-93012) code link_id1 3, and row
    # 3881 (Philippines, 840041) link_id1 38: the file holds no ceasefire 93003 nor
    # 840038 (cc x 1000 + cf_id; Nicaragua's cf_ids skip 3, the Philippines' skip
    # 38). The importer links eth-prio:93003 and eth-prio:840038 anyway, unflagged: a
    # dangling reference (10 ceasefires) that should be flagged as inconsistent.
    batch = get_importer("eth-prio").read(ETH_FILE)
    ids = {r.id for r in batch.records}
    assert "eth-prio:93003" not in ids
    assert "eth-prio:840038" not in ids
    linked = next(r for r in batch.records if r.id == "eth-prio:93004")
    assert "eth-prio:93003" in linked.notes
    assert sum(n for kind, n in batch.flags.items() if "link" in kind) == 10, dict(batch.flags)


PAX_FILE = SHARED / "pax-all-agreements-v4.csv"


@needs_real_files
def test_pax_ucdp_agr_composite_keys_are_not_linked_as_ucdp_peace_agreement_ids() -> None:
    # PA-X v4 AgtId 469 (N'Sele Ceasefire Agreement of 29 March 1991, Rwanda, Loc1GWNO
    # 517, stage Cea) codes UcdpAgr 5171991032901, and AgtId 6 (Kosovo Peace Plan,
    # 1999-06-03) 3451999060301: a GW code (517, 345), a date (1991-03-29,
    # 1999-06-03) and a number (01), not a UCDP Peace Agreement paid (22.1's are 2-4
    # digits, 1663 the largest; the N'sele Cease-fire Agreement of 1991-03-29, gwno
    # 517, is paid 1320). The importer names them ucdp-pa:5171991032901 and
    # ucdp-pa:3451999060301, links to no agreement UCDP has, unflagged. Expected: kept
    # as coded, not named as a ucdp-pa id, flagged (once per agreement).
    batch = get_importer("pax").read(PAX_FILE)
    notes = {r.id: r.notes for r in batch.records if r.kind == "Agreement"}
    assert "UcdpAgr=5171991032901" in notes["pax:469"]
    assert "ucdp-pa:5171991032901" not in notes["pax:469"]
    assert "ucdp-pa:3451999060301" not in notes["pax:6"]
    assert sum(n for kind, n in batch.flags.items() if "UCDP" in kind) == 2, dict(batch.flags)


@needs_real_files
def test_eth_482028_keeps_an_actor_name_with_lost_letters_as_published_and_flags_it() -> None:
    # ETH/PRIO rows 1153 and 1154 (482028, Central African Republic, 2019) name the
    # actor "Ex-S\ufffdl\ufffdka": the file holds U+FFFD where the letters of
    # "Séléka" were lost before it was published (the file is valid UTF-8). The name
    # is kept as published, the ceasefire's notes name the column, flagged.
    batch = get_importer("eth-prio").read(ETH_FILE)
    names = {r.name for r in batch.records if r.kind == "ActorDefined"}
    assert "Ex-S\ufffdl\ufffdka" in names
    ceasefire = next(r for r in batch.records if r.id == "eth-prio:482028")
    assert (
        "text with a lost letter (U+FFFD) in actor_name (the file holds the replacement "
        "character where letters were lost before it was read), kept as published"
    ) in ceasefire.notes.splitlines()
