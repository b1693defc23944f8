"""What a GED row says of itself that does not hold together: kept as published, flagged.

Rows are real rows of ``tests/data/ucdp-ged-23.1-sample-1000.csv`` (GED 23.1, see
tests/data/README.md), with one cell changed where a test says so (a changed row is
synthetic, never called real). Every expected note and flag is written by hand from
the rule docs/howto/import.md states. Found by an audit of the importer against GED's
codebook and the real sample (6 December 2026).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conflict_timeline import Attack, Timeline
from conflict_timeline.importers import ImportBatch, read_ucdp

SAMPLE = Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv"


def _real_row(event_id: str) -> tuple[list[str], dict[str, str]]:
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            if row["id"] == event_id:
                return list(reader.fieldnames or ()), row
    raise AssertionError(f"event {event_id} not in the sample")


def _write(path: Path, *rows: tuple[str, dict[str, str]]) -> Path:
    """A GED file of the sample's rows ``event id`` with ``changes`` each."""
    header: list[str] = []
    out = []
    for event_id, changes in rows:
        header, row = _real_row(event_id)
        out.append({**row, **changes})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(out)
    return path


def _attacks(batch: ImportBatch) -> dict[str, Attack]:
    return {r.id: r for r in batch.records if isinstance(r, Attack)}


# ------------------------------------------------------------ a place spelled twice


def test_a_second_spelling_of_a_place_is_kept_as_published_and_flagged(tmp_path: Path) -> None:
    """Real rows, unchanged: GED 23.1 spells one district of Hakkari two ways, ``Semdinli
    district`` (event 162985) and ``Şemdinli district`` (event 217222); the two names
    make one place id. The place keeps the first row's name; the second row keeps its
    own spelling in its notes, flagged "name differs from the place's", as ACLED's
    rows and GED's actors are."""
    path = _write(tmp_path / "semdinli.csv", ("162985", {}), ("217222", {}))
    batch = read_ucdp(path)
    attacks = _attacks(batch)
    place = "place:turkey/hakkari-province/semdinli-district"
    assert attacks["ucdp:162985"].place == attacks["ucdp:217222"].place == place
    # (event 217222's source date is ambiguous as published, flagged apart)
    assert {k: v for k, v in batch.flags.items() if k != "source date ambiguous"} == {
        "name differs from the place's": 1
    }
    said = f"adm_2 as published: Şemdinli district ({place} is named Semdinli district)"
    assert said in attacks["ucdp:217222"].notes.split("; ")
    assert "as published" not in attacks["ucdp:162985"].notes


def test_a_country_named_by_another_of_its_names_is_noted_not_flagged(tmp_path: Path) -> None:
    """A country named by another of its names (ACLED's ``Democratic Republic of
    Congo`` for GED 23.1's ``DR Congo (Zaire)``, one of the spellings `._countries`
    lists) is one country: the row's name is kept in its notes, not flagged. A real
    Congolese row, then the same row as another event spelling its country so."""
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        congo = next(r for r in csv.DictReader(f) if r["country"] == "DR Congo (Zaire)")
    other = {"id": "99" + congo["id"], "country": "Democratic Republic of Congo"}
    batch = read_ucdp(_write(tmp_path / "congo.csv", (congo["id"], {}), (congo["id"], other)))
    respelled = _attacks(batch)[f"ucdp:99{congo['id']}"]
    assert respelled.place == _attacks(batch)[f"ucdp:{congo['id']}"].place
    assert "name differs from the place's" not in batch.flags
    assert (
        "country as published: Democratic Republic of Congo (place:dr-congo-zaire is named "
        "DR Congo (Zaire))"
    ) in respelled.notes.split("; ")


# ------------------------------------------------------------ codes of the row


def test_a_country_id_naming_another_country_is_kept_and_flagged(tmp_path: Path) -> None:
    """GED's ``country_id`` is the Gleditsch-Ward code of ``country``. Event 1648
    (Algeria, 615) with ``country_id`` 652 (Syria's code): the event stays in Algeria,
    as ``country`` says; the code is kept in the notes and the row flagged."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("1648", {"country_id": "652"})))
    attack = _attacks(batch)["ucdp:1648"]
    assert (attack.place or "").startswith("place:algeria")
    notes = attack.notes.split("; ")
    assert "country_id=652" in notes
    assert (
        "country_id 652 is the code of Syria, not of Algeria: the event is placed in "
        "country, as published"
    ) in notes
    assert batch.flags == {"country_id names another country": 1}


@pytest.mark.parametrize("code", ["615", "615.0", "", "999"])
def test_a_country_id_of_the_country_or_unknown_is_not_flagged(tmp_path: Path, code: str) -> None:
    """615 is Algeria's own code (as pandas writes it too); no code, or one no country
    known here has (999), says nothing against ``country``."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("1648", {"country_id": code})))
    assert "country_id names another country" not in batch.flags


@pytest.mark.parametrize("published", ["abc", "2.5", "-2"])
def test_a_number_of_sources_that_is_no_count_is_kept_and_flagged(
    tmp_path: Path, published: str
) -> None:
    """``number_of_sources`` is a count (-1: not recorded, GED's codebook). Text, a
    fraction or another negative is kept as published and flagged."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("46335", {"number_of_sources": published})))
    notes = _attacks(batch)["ucdp:46335"].notes.split("; ")
    assert f"number_of_sources={published}" in notes
    assert f"number_of_sources {published} is not a count (a whole number, or -1)" in notes
    assert batch.flags == {"number_of_sources not a count": 1}


@pytest.mark.parametrize("published", ["2", "2.0", "-1", "0", ""])
def test_a_count_of_sources_or_none_recorded_is_not_flagged(
    tmp_path: Path, published: str
) -> None:
    batch = read_ucdp(_write(tmp_path / "g.csv", ("46335", {"number_of_sources": published})))
    assert batch.flags == {}


# ------------------------------------------------------------ side ids


@pytest.mark.parametrize(
    ("column", "published", "actor"),
    [
        ("side_a_new_id", "109, 110", "actor:government-of-algeria"),
        ("side_b_new_id", "abc", "actor:gia"),
        ("side_b_new_id", "0", "actor:gia"),
    ],
)
def test_a_side_id_that_is_no_ucdp_actor_id_is_kept_as_published_and_flagged(
    tmp_path: Path, column: str, published: str, actor: str
) -> None:
    """``side_a_new_id``/``side_b_new_id`` are UCDP's actor ids (a positive whole
    number; empty or -1: none). Another value leaves the actor known by its name (its
    id a slug of it, not ``actor:ucdp-<id>``); the cell is kept in the notes as
    published, the row flagged. Event 1648: Government of Algeria (109) against GIA
    (538)."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("1648", {column: published})))
    attack = _attacks(batch)["ucdp:1648"]
    assert actor in (attack.perpetrator, attack.target_actor)
    said = (
        f"{column} as published: {published} (not a UCDP actor id: the actor is known "
        f"by its name, {actor})"
    )
    assert said in attack.notes.split("; ")
    assert batch.flags == {"side id not a UCDP actor id": 1}


@pytest.mark.parametrize("published", ["", "-1", "-1.0", "538.0", "538.00", " 538 "])
def test_no_side_id_or_a_ucdp_one_is_not_flagged(tmp_path: Path, published: str) -> None:
    """GIA's UCDP id, 538, however a tool wrote it, is GIA's id."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("1648", {"side_b_new_id": published})))
    assert batch.flags == {}
    if published.strip().startswith("538"):
        assert _attacks(batch)["ucdp:1648"].target_actor == "actor:ucdp-538"


def test_a_side_id_note_quotes_the_cell_as_written(tmp_path: Path) -> None:
    batch = read_ucdp(_write(tmp_path / "g.csv", ("1648", {"side_b_new_id": "12.50"})))
    said = (
        "side_b_new_id as published: 12.50 (not a UCDP actor id: the actor is known by "
        "its name, actor:gia)"
    )
    assert said in _attacks(batch)["ucdp:1648"].notes.split("; ")


def test_the_real_sample_imports_every_row_with_one_place_spelled_twice() -> None:
    """The whole real sample: 1,000 rows, none refused; of the new checks, only the
    second spelling of Şemdinli district (event 217222) is flagged. The counts the
    how-to gives of the sample's other flags: 13 inconsistent figures, 23 source
    dates before the event, 27 article dates that read both ways (the 27 counted
    from the articles themselves in test_import_ucdp.py)."""
    summary = Timeline().import_("ucdp", SAMPLE)
    assert (summary.rows, len(summary.refused)) == (1000, 0)
    assert summary.flags.get("name differs from the place's") == 1
    assert summary.flags["figure inconsistent"] == 13
    assert summary.flags["source date before the event"] == 23
    assert summary.flags["source date ambiguous"] == 27
    for kind in (
        "country_id names another country",
        "number_of_sources not a count",
        "side id not a UCDP actor id",
    ):
        assert kind not in summary.flags


def test_a_ged_row_with_a_lost_letter_is_kept_and_flagged(tmp_path: Path) -> None:
    """Rule (docs/howto/import.md): text holding U+FFFD, the character a file holds
    where letters were lost before it was read, is kept as published; the event's
    notes name the columns, the row flagged. Event 2435 (Setif province) respelled."""
    batch = read_ucdp(_write(tmp_path / "g.csv", ("2435", {"adm_1": "S\ufffdtif province"})))
    attack = _attacks(batch)["ucdp:2435"]
    names = {r.name for r in batch.records if r.kind == "PlaceDefined"}
    assert "S\ufffdtif province" in names
    assert (
        "text with a lost letter (U+FFFD) in adm_1 (the file holds the replacement "
        "character where letters were lost before it was read), kept as published"
    ) in attack.notes.split("; ")
    assert batch.flags["text with a lost letter (U+FFFD)"] == 1


# ------------------------------------------------ a precision naming an empty level


@pytest.mark.parametrize(
    ("event_id", "emptied", "expected"),
    [
        (
            "30948",
            "adm_2",
            (
                "place:somalia/lower-juba-region",
                (
                    "where_prec 3 (the coordinates are the centroid of adm_2) with adm_2 "
                    "empty: placed at Lower Juba region, the deepest level named above "
                    "it, the point not stored"
                ),
                "where_coordinates=Afmadow district",
            ),
        ),
        (
            "2435",
            "adm_1",
            (
                "place:algeria",
                (
                    "where_prec 4 (the coordinates are the centroid of adm_1) with adm_1 "
                    "empty: placed at Algeria, the deepest level named above it, the "
                    "point not stored"
                ),
                "where_coordinates=Setif province",
            ),
        ),
    ],
)
def test_a_precision_naming_an_empty_admin_level_places_the_event_above_it(
    tmp_path: Path, event_id: str, emptied: str, expected: tuple[str, str, str]
) -> None:
    """GED's codebook: ``where_prec`` 3 says the coordinates are the centroid of the
    second-order division (``adm_2``), 4 of the first-order one (``adm_1``). A row that
    leaves that level's cell empty (changed here; the sample's 140 and 105 such rows
    all name it) is placed at the deepest level it names above it, never at its
    ``where_coordinates`` as a named location holding the centroid as its exact
    point; the names below and the point are kept in the notes, the row flagged."""
    place, level, kept = expected
    batch = read_ucdp(_write(tmp_path / "g.csv", (event_id, {emptied: ""})))
    attack = _attacks(batch)[f"ucdp:{event_id}"]
    assert attack.place == place
    notes = attack.notes.split("; ")
    assert level in notes
    assert kept in notes
    assert any(n.startswith("latitude=") for n in notes)
    points = [r for r in batch.records if r.kind == "PlaceDefined" and r.coordinates]
    assert points == []
    assert batch.flags == {"where_prec level not named": 1}


# ------------------------------------------------ a first release's two actors of one name

_FIRST_RELEASE_DROPPED = frozenset(
    {
        "relid",
        "code_status",
        "where_description",
        "conflict_dset_id",
        "dyad_dset_id",
        "side_a_dset_id",
        "side_b_dset_id",
        "conflict_new_id",
        "dyad_new_id",
        "side_a_new_id",
        "side_b_new_id",
    }
)


def test_two_actors_of_one_name_a_first_release_tells_apart_are_flagged(tmp_path: Path) -> None:
    """GED 23.1 names two actors "UCK" (357, Serbia 1999, event 202289; 361, Macedonia
    2001, event 202924). A first release's file has no UCDP actor ids, only its own
    ``side_a_id``/``side_b_id`` (numbered otherwise, kept in the notes): its sides are
    known by their names, so both become ``actor:uck``. The row whose id differs from
    the one an earlier row gave that name says so, flagged "one name, two side ids"
    (the two real rows as a first release writes them, with side ids 1041 and 1107)."""
    rows = []
    for event_id, old_id in (("202289", "1041"), ("202924", "1107")):
        _, row = _real_row(event_id)
        kept = {k: v for k, v in row.items() if k not in _FIRST_RELEASE_DROPPED}
        kept.update(side_a_id=f"9{old_id}", side_b_id=old_id)
        rows.append(kept)
    path = tmp_path / "ged-first-release.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    batch = read_ucdp(path)
    attacks = _attacks(batch)
    kosovo, macedonia = attacks["ucdp:202289"], attacks["ucdp:202924"]
    assert kosovo.target_actor == macedonia.target_actor == "actor:uck"
    said = (
        "side_b_id 1107: actor:uck stands for side_b_id 1041 too in this file (one name, "
        "two of a first release's side ids)"
    )
    assert said in macedonia.notes.split("; ")
    assert "stands for" not in kosovo.notes
    assert batch.flags == {"one name, two side ids": 1}
