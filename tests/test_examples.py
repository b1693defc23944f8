"""Every script in examples/ runs; the worked example says what DESIGN.md lists, and
examples/karabakh.jsonl is that example's records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conflict_timeline import Timeline, datasets, export_jsonl

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("test_"))


def run(script: Path, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    assert run(script, cwd=tmp_path).strip()


def test_the_worked_example_answers_in_words(tmp_path: Path) -> None:
    out = run(EXAMPLES / "karabakh_oct_2020.py", cwd=tmp_path)
    in_force = out.split("Commitments in force")[1].split("Requests for help")[0]
    assert in_force.count('\n* "') == 3
    assert "1997 mutual defense and security assistance pact" in in_force
    assert "announced by Minsk Group co-chairs" in in_force
    assert "given by Russia to Armenia" in in_force
    assert "Nikol Pashinyan asked Vladimir Putin" in out
    assert "On 30 October it was still open" in out
    assert "ALLEGED by Nagorno-Karabakh authorities against Azerbaijani forces" in out
    assert out.count("* CANDIDATE:") == 2
    triggers = out.split("Triggered pledges")[1].split("Casualties")[0]
    assert triggers.count(": not triggered") == 2
    assert "TRIGGERED" not in triggers
    assert "Shushi in Nagorno-Karabakh in Azerbaijan (de jure)" in triggers
    assert "'more than 5,000 innocent civilians'" in out
    assert "known on 2020-10-30: 1 commitment(s) in force (pact-1997); 0 reported" in out
    assert "known on 2020-10-31: 3 commitment(s) in force" in out
    assert "became known on 31 October: alleged:nk-accusation:civilian-protection, " in out
    assert "Hash chain: intact over 25 records." in out


def test_the_sqlite_example_persists_across_runs(tmp_path: Path) -> None:
    script = EXAMPLES / "persistent_sqlite.py"
    first = run(script, "t.db", cwd=tmp_path)
    second = run(script, "t.db", cwd=tmp_path)
    third = run(script, "t.db", cwd=tmp_path)
    assert "t.db: created, 0 records found" in first
    assert "25 records now" in first
    assert "t.db: reopened, 25 records found" in second
    assert "26 records now" in second
    assert "26 records now" in third  # the follow-up statement is appended once
    assert "hash chain over 26 records: intact" in third


def test_the_correction_example_shows_each_version(tmp_path: Path) -> None:
    out = run(EXAMPLES / "corrections_and_retractions.py", cwd=tmp_path)
    blocks = out.split("* as known on ")[1:]
    assert "a school (civilian)" in blocks[0]
    assert "candidate violations of the truce: 1" in blocks[0]
    assert "a barracks (military)" in blocks[1]
    assert "candidate violations of the truce: 0" in blocks[1]
    assert "attacks on record: none" in blocks[2]


def test_real_ceasefires_finds_clashes_during_real_ceasefires(tmp_path: Path) -> None:
    out = run(EXAMPLES / "real_ceasefires.py", cwd=tmp_path)
    # 470 ceasefires, and the 133 of them whose end is known end (CommitmentEnded).
    assert (
        "eth-prio-sample.csv: 996 rows, 603 new records (Commitment 470, CommitmentEnded 133)"
        in out
    )
    assert "ucdp-ged-23.1-sample-1000.csv: 1000 rows, 1000 new records (Attack 1000)" in out
    # ETH/PRIO 780032 (Sri Lanka, 2006-02-23 to 2008-01-16) and GED 75783 (2007-05-21,
    # Government of Sri Lanka vs LTTE), both from the real files.
    sri_lanka = out.split("eth-prio:780032:")[1].split("\n\n")[0]
    assert sri_lanka.split("\n")[0].endswith("until 2008-01-16 (day, UTC)")
    # ETH/PRIO 811003 (Cambodia, 1991): every row codes end 0/0/0 and ended 0.
    cambodia = out.split("eth-prio:811003:")[1].split("\n")[0]
    assert cambodia.endswith("not ended by the end of 2020 (the dataset's coverage)")
    assert "ucdp:75783 2007-05-21 (day, UTC): The Government of Sri Lanka vs LTTE" in sri_lanka


def test_the_seed_jsonl_is_the_worked_example(tmp_path: Path) -> None:
    """``examples/karabakh.jsonl``, which the command-line docs import, is the worked
    example (`datasets.karabakh_oct_2020`) as ``export --format jsonl`` writes it, so a
    change to the example's records changes the file too."""
    written = tmp_path / "karabakh.jsonl"
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    export_jsonl(timeline, written)
    assert (EXAMPLES / "karabakh.jsonl").read_bytes() == written.read_bytes()


def test_real_ceasefires_tells_unilateral_by_the_coded_side_not_the_party_count() -> None:
    """ETH/PRIO codes unilateral ceasefires declared by two or three actors together
    (13 in the published file) and a multilateral one of one actor: the example's
    "unilateral" is the dataset's ``side`` 1 (every party in ``announced_by``)."""
    import importlib.util

    import attrs

    from conflict_timeline import Commitment

    spec = importlib.util.spec_from_file_location(
        "real_ceasefires", EXAMPLES / "real_ceasefires.py"
    )
    assert spec is not None
    assert spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    timeline = Timeline()
    timeline.import_(
        "eth-prio", Path(__file__).parent / "data" / "ceasefires" / "eth-prio-sample.csv"
    )
    one = next(r.record for r in timeline.by_kind("Commitment"))
    assert isinstance(one, Commitment)
    a, b = "actor:ucdp-1", "actor:ucdp-2"
    jointly = attrs.evolve(one, parties=(a, b), announced_by=(a, b))
    alone = attrs.evolve(one, parties=(a,), announced_by=(a,))
    multilateral_of_one = attrs.evolve(one, parties=(a,), announced_by=())
    bilateral = attrs.evolve(one, parties=(a, b), announced_by=())
    half = attrs.evolve(one, parties=(a, b), announced_by=(a,))
    assert example._unilateral(jointly)
    assert example._unilateral(alone)
    assert not example._unilateral(multilateral_of_one)
    assert not example._unilateral(bilateral)
    assert not example._unilateral(half)
