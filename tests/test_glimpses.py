"""Glimpses: a view folding some kinds from a few fields of their stored JSON.

The rules (docs/explanation/views.md, "Glimpses"): the engine gives a
``GlimpseView`` a glimpse only of a record replayed as stored (a corrected record is
replayed from its correction's replacement, decoded), only from a store that hands out
its payloads, and only from a payload of the schema version this library writes, of
the id and kind its index row says, whose named fields hold what the record's type
allows; anything else is decoded (and a payload the decoder cannot read is refused).
A subclass that overrides ``apply`` alone takes no glimpses. A view's ``glimpses``
are checked when it is first folded, whatever the store.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, ClassVar

import immutables
import pytest

from conflict_timeline import (
    Attack,
    Commitment,
    Condition,
    Correction,
    Glimpse,
    MemoryStore,
    PlaceDefined,
    Recorded,
    Retraction,
    SQLiteStore,
    Timeline,
    TriggeredCommitments,
    View,
)
from conflict_timeline._serialization import canonical_bytes
from conflict_timeline.errors import DamagedStoreError, QueryError
from rule_kit import TWO_STATES, clock, wire

WORLD = (
    *TWO_STATES,
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
)
PACT = Commitment(
    id="pact",
    occurred="2020-01-01",
    sources=wire("2020-01-01"),
    commitment_kind="mutual_defense",
    parties=("south",),
    condition=Condition(attack_within=("land",), by=("north",)),
)


def raid(aid: str, place: str, day: str = "2020-02-01", **fields: Any) -> Attack:
    return Attack(
        id=aid,
        occurred=day,
        sources=wire(day),
        target_class="military",
        perpetrator="north-army",
        place=place,
        **fields,
    )


class Counting(TriggeredCommitments):
    """TriggeredCommitments, noting which attacks came as glimpses."""

    taken: ClassVar[list[str]] = []
    values: ClassVar[list[tuple[Any, ...]]] = []

    def apply_glimpse(self, state: Any, glimpse: Glimpse) -> Any:
        self.taken.append(glimpse.id)
        self.values.append(glimpse.values)
        return super().apply_glimpse(state, glimpse)


def reopened(path: Path, *records: Any) -> Timeline:
    """A timeline holding ``records`` in an SQLite file, opened afresh (so no record
    appended in this process is at hand: attacks come as glimpses)."""
    with Timeline(SQLiteStore(path, clock=clock)) as writer:
        writer.append(*WORLD, PACT, *records)
    Counting.taken.clear()
    Counting.values.clear()
    return Timeline(SQLiteStore(path, clock=clock))


def pact_attacks(tl: Timeline) -> tuple[str, ...]:
    found = tl.state(Counting).get("pact")
    assert found is not None
    return found.attacks


def test_attacks_come_as_glimpses_and_trigger_as_decoded_ones(tmp_path: Path) -> None:
    records = (raid("in-town", "town"), raid("over-there", "abroad"))
    with reopened(tmp_path / "t.db", *records) as tl:
        assert pact_attacks(tl) == ("in-town",)
        assert sorted(Counting.taken) == ["in-town", "over-there"]
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*WORLD, PACT, *records)
    Counting.taken.clear()
    assert memory.state(Counting).get("pact") == Timeline(
        SQLiteStore(tmp_path / "t.db", clock=clock)
    ).state(Counting).get("pact")
    assert Counting.taken == ["in-town", "over-there"]  # from the SQLite file only


# Moves the attack "moved" from abroad into the town.
FIX = Correction(
    id="fix",
    occurred="2020-02-02",
    sources=wire("2020-02-02"),
    corrects="moved",
    replacement=raid("moved", "town"),
    reason="the place was misread",
)


def test_a_corrected_attack_is_replayed_from_its_replacement(tmp_path: Path) -> None:
    """As a glimpse of the replacement (its fields read from the record the engine
    decoded when it took the correction in), never of the original's payload."""
    with reopened(tmp_path / "t.db", raid("moved", "abroad"), FIX) as tl:
        assert pact_attacks(tl) == ("moved",)
        assert Counting.taken == ["moved"]
        assert Counting.values == [("town", "north-army", None, None, None)]
        # Before the correction was known, the attack read as first reported.
        assert tl.state(Counting, known_at="2020-02-01").get("pact").attacks == ()


def test_a_replacement_edited_to_another_id_is_folded_as_decoded(tmp_path: Path) -> None:
    """Only a file edited behind the library's back holds a correction whose
    replacement has another id than the record it corrects (`Correction` refuses one):
    the replacement is then folded as the decoder reads it, under its own id."""
    path = tmp_path / "t.db"
    replacement = json.loads(canonical_bytes(FIX.replacement))
    _corrected(path, {"replacement": {**replacement, "id": "renamed"}})
    with Timeline(SQLiteStore(path, clock=clock)) as tl:
        assert pact_attacks(tl) == ("renamed",)
        assert Counting.taken == []


def _corrected(path: Path, change: dict[str, Any]) -> None:
    """A file holding the pact, an attack "moved" abroad and a correction that moves
    it into town, the correction's stored JSON then edited behind the library's back."""
    reopened(path, raid("moved", "abroad"), FIX).close()
    _rewrite(path, "fix", change)


def test_a_damaged_replacement_is_refused_naming_the_correction(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    replacement = {"kind": "Attack", "version": 1, "id": "moved", "occurred": "soon"}
    _corrected(path, {"replacement": replacement})
    db = sqlite3.connect(path)
    (position,) = db.execute("SELECT position FROM records WHERE id = 'fix'").fetchone()
    db.close()
    with (
        Timeline(SQLiteStore(path, clock=clock)) as tl,
        pytest.raises(
            DamagedStoreError,
            match=rf"position {position}: the stored record cannot be read \(replacement\.",
        ),
    ):
        tl.state(Counting)


def test_a_fold_reads_of_a_correction_only_its_replacement(tmp_path: Path) -> None:
    """Damage elsewhere in a stored correction goes unnoticed by a fold, which replays
    the replacement; ``verify()`` finds it."""
    path = tmp_path / "t.db"
    _corrected(path, {"reason": 5, "sources": "nobody"})
    with Timeline(SQLiteStore(path, clock=clock)) as tl:
        assert pact_attacks(tl) == ("moved",)
        assert Counting.values == [("town", "north-army", None, None, None)]
        assert not tl.verify().ok


def test_a_retracted_attack_is_not_replayed(tmp_path: Path) -> None:
    gone = Retraction(
        id="gone", occurred="2020-02-02", sources=wire("2020-02-02"), retracts="raid"
    )
    with reopened(tmp_path / "t.db", raid("raid", "town"), gone) as tl:
        assert pact_attacks(tl) == ()
        assert tl.state(Counting, known_at="2020-02-01").get("pact").attacks == ("raid",)


def _rewrite(path: Path, aid: str, change: dict[str, Any]) -> None:
    """Edit one stored payload behind the library's back."""
    db = sqlite3.connect(path)
    try:
        with db:
            (payload,) = db.execute("SELECT payload FROM records WHERE id = ?", (aid,)).fetchone()
            data = {**json.loads(payload), **change}
            db.execute(
                "UPDATE records SET payload = ? WHERE id = ?",
                (json.dumps(data).encode(), aid),
            )
    finally:
        db.close()


@pytest.mark.parametrize(
    "change",
    [
        # Version 0 of Attack is not what this library writes: the decoder has no
        # upcaster for it.
        pytest.param({"version": 0}, id="another schema version"),
        pytest.param({"kind": "Statement"}, id="another kind than its index row's"),
        # TriggeredCommitments reads codes.ucdp_type_of_violence: codes must be an
        # object (or null) for a glimpse to read it.
        pytest.param({"codes": ["1"]}, id="a dotted name's field not an object"),
        pytest.param({"codes": {"ucdp_type_of_violence": 1}}, id="a dotted name holding a number"),
    ],
)
def test_a_payload_a_glimpse_cannot_read_is_decoded(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    """Such a payload goes to the decoder, which refuses it, naming its position."""
    path = tmp_path / "t.db"
    reopened(path, raid("raid", "town")).close()
    _rewrite(path, "raid", change)
    with (
        Timeline(SQLiteStore(path, clock=clock)) as tl,
        pytest.raises(DamagedStoreError, match=r"position \d+: the stored record cannot be read"),
    ):
        tl.state(Counting)
    assert Counting.taken == []


def test_a_field_that_does_not_hold_a_string_is_not_glimpsed(tmp_path: Path) -> None:
    """A glimpse only carries what the record's type allows; a payload edited to
    hold something else is decoded instead, and the decoder refuses it, naming the
    record's position and the field (glimpsed, it would have been folded)."""
    path = tmp_path / "t.db"
    reopened(path, raid("raid", "town"), raid("other", "town")).close()
    _rewrite(path, "raid", {"target_actor": 5})
    with Timeline(SQLiteStore(path, clock=clock)) as tl:
        Counting.taken.clear()
        with pytest.raises(
            DamagedStoreError,
            match=r"position \d+: the stored record cannot be read \(target_actor: expected "
            r"text, got 5\)",
        ):
            pact_attacks(tl)


class _Declares(View[int, int]):
    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack", "PlaceDefined"})
    glimpses: ClassVar[Any] = immutables.Map()

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        return state + 1

    def apply_glimpse(self, state: int, glimpse: Glimpse) -> int:
        return state + 1


@pytest.mark.parametrize(
    ("glimpses", "message"),
    [
        ({"Raid": ("place",)}, r"_Bad.glimpses: 'Raid' is not a record kind the view reads"),
        ({"Statement": ("speaker",)}, r"'Statement' is not a record kind the view reads"),
        ({"Attack": ("where",)}, r"_Bad.glimpses: Attack has no field 'where'"),
        (
            {"Attack": ("occurred",)},
            (
                r"_Bad.glimpses: Attack.occurred holds .*TimeExtent.*; a glimpse reads only "
                r"fields that hold a string or None"
            ),
        ),
        ({"PlaceDefined": ("parent", "sources")}, r"PlaceDefined.sources holds"),
        # A dotted name reads a field of a value held by a field (or None).
        ({"Attack": ("codes.nothing",)}, r"Attack has no field 'codes.nothing'"),
        ({"Attack": ("codes.cameo.x",)}, r"Attack has no field 'codes.cameo.x'"),
        ({"Attack": ("nowhere.cameo",)}, r"Attack has no field 'nowhere.cameo'"),
        (
            {"Attack": ("target.x",)},
            r"Attack.target is not a field that holds a value or None",
        ),
        ({"Attack": ("fatalities.best",)}, r"Attack.fatalities.best holds .*int"),
    ],
)
def test_a_glimpse_declaration_is_checked(
    tmp_path: Path, glimpses: dict[str, tuple[str, ...]], message: str
) -> None:
    """Whatever the store: a view tested on the memory store fails there too."""
    bad = type("_Bad", (_Declares,), {"glimpses": immutables.Map(glimpses)})
    with (
        reopened(tmp_path / "t.db", raid("raid", "town")) as tl,
        pytest.raises(QueryError, match=message),
    ):
        tl.state(bad)
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*WORLD, raid("raid", "town"))
    with pytest.raises(QueryError, match=message):
        memory.state(bad)


@pytest.mark.parametrize("none", [None, immutables.Map()], ids=["None", "empty"])
def test_a_view_may_take_no_glimpses(tmp_path: Path, none: Any) -> None:
    view = type("_None", (Counting,), {"glimpses": none})
    with reopened(tmp_path / "t.db", raid("raid", "town")) as tl:
        assert tl.state(view).get("pact").attacks == ("raid",)
        assert Counting.taken == []


def test_a_subclass_that_changes_apply_is_given_decoded_records(tmp_path: Path) -> None:
    """Overriding ``apply`` below the class that defines ``apply_glimpse`` means the
    inherited ``apply_glimpse`` no longer folds as ``apply`` does: no glimpses."""

    class NamedTargetsOnly(Counting):
        def apply(self, state: Any, recorded: Recorded) -> Any:
            record = recorded.record
            if isinstance(record, Attack) and record.target_actor is None:
                return state
            return super().apply(state, recorded)

    records = (raid("raid", "town"), raid("named", "town", target_actor="south-army"))
    with reopened(tmp_path / "t.db", *records) as tl:
        assert tl.state(NamedTargetsOnly).get("pact").attacks == ("named",)
        assert Counting.taken == []
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*WORLD, PACT, *records)
    assert memory.state(NamedTargetsOnly).get("pact").attacks == ("named",)


def test_a_view_of_its_own_can_take_glimpses(tmp_path: Path) -> None:
    class Places(_Declares):
        """How many attacks happened at each place (from glimpses where it can)."""

        glimpses: ClassVar[Any] = immutables.Map({"Attack": ("place",)})

        def initial(self) -> Any:
            return immutables.Map()

        def apply(self, state: Any, recorded: Recorded) -> Any:
            record = recorded.record
            if isinstance(record, Attack):
                return state.set(record.place, state.get(record.place, 0) + 1)
            return state

        def apply_glimpse(self, state: Any, glimpse: Glimpse) -> Any:
            (place,) = glimpse.values
            return state.set(place, state.get(place, 0) + 1)

    records = (raid("a", "town"), raid("b", "town"), raid("c", "abroad"))
    with reopened(tmp_path / "t.db", *records) as tl:
        assert dict(tl.state(Places)) == {"town": 2, "abroad": 1}


def test_glimpsed_attacks_of_one_day_are_weighed_in_order_of_report(tmp_path: Path) -> None:
    """A pledge made after the attacks, with effect from before them, weighs them in
    replay order (first instant, then first report, then id), glimpsed or decoded
    alike: three attacks of one day, reported on different days (the ninth mutation
    run: a glimpse that lost its report time went unnoticed)."""
    late = Commitment(
        id="pact",
        occurred="2020-03-01",
        effective="2020-01-01",
        sources=wire("2020-03-01"),
        commitment_kind="mutual_defense",
        parties=("south",),
        condition=Condition(attack_within=("land",), by=("north",)),
    )
    attacks = [
        Attack(
            id=aid,
            occurred="2020-02-01",
            sources=wire(reported),
            target_class="military",
            perpetrator="north-army",
            place=place,
        )
        for aid, reported, place in (
            ("a-reported-last", "2020-02-09", "town"),
            ("b-reported-first", "2020-02-02", "abroad"),
            ("c-reported-second", "2020-02-05", "town"),
        )
    ]
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path, clock=clock)) as writer:
        writer.append(*WORLD, *attacks, late)
    Counting.taken.clear()
    with Timeline(SQLiteStore(path, clock=clock)) as tl:
        found = tl.state(Counting).get("pact")
    assert sorted(Counting.taken) == ["a-reported-last", "b-reported-first", "c-reported-second"]
    assert found is not None
    assert found.attacks == ("c-reported-second", "a-reported-last")
    assert [aid for aid, _ in found.examples] == ["b-reported-first"]
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*WORLD, *attacks, late)
    assert memory.state(TriggeredCommitments).get("pact") == found


def test_a_field_the_payload_omits_is_glimpsed_as_its_default(tmp_path: Path) -> None:
    """A glimpse carries each named field as the record holds it: its default where
    the stored JSON leaves it out (an attack's ``target`` and ``notes`` are "" unless
    set), whether or not the view names a field with no default (``place``) beside it.
    The oracle is the decoded records' own fields."""
    seen: list[tuple[str, tuple[Any, ...]]] = []

    class Described(_Declares):
        glimpses: ClassVar[Any] = immutables.Map({"Attack": ("place", "target", "notes")})

        def apply_glimpse(self, state: int, glimpse: Glimpse) -> int:
            seen.append((glimpse.id, glimpse.values))
            return state + 1

    records = (
        raid("bare", "town"),
        raid("told", "town", target="a depot", notes="seen from the hill"),
        raid("half", "abroad", notes="one line"),
    )
    with reopened(tmp_path / "t.db", *records) as tl:
        tl.state(Described)
        stored = {r.id: r for r in (tl.get(a).record for a in ("bare", "told", "half"))}
    assert sorted(seen) == sorted(
        (aid, (a.place, a.target, a.notes)) for aid, a in stored.items() if isinstance(a, Attack)
    )
    assert {aid: values[1:] for aid, values in seen}["bare"] == ("", "")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda payload: b'{"id": "raid", ', id="cut short"),
        # msgspec skips a key it is not asked for, but not past its nesting limit.
        pytest.param(
            lambda payload: payload[:-1] + b',"z":' + b"[" * 1100 + b"]" * 1100 + b"}",
            id="nested too deep",
        ),
    ],
)
def test_a_payload_that_is_not_json_is_refused_naming_its_position(
    tmp_path: Path, damage: Any
) -> None:
    """A payload whose structure cannot be read is not glimpsed: it goes to the
    decoder, which refuses it. (Damage that leaves the structure readable, in a
    field the glimpse does not name, goes unnoticed by the fold: see the rule.)"""
    path = tmp_path / "t.db"
    reopened(path, raid("raid", "town")).close()
    db = sqlite3.connect(path)
    with db:
        (payload,) = db.execute("SELECT payload FROM records WHERE id = 'raid'").fetchone()
        db.execute("UPDATE records SET payload = ? WHERE id = 'raid'", (damage(payload),))
    db.close()
    with (
        Timeline(SQLiteStore(path, clock=clock)) as tl,
        pytest.raises(DamagedStoreError, match=r"position \d+: the stored record cannot be read"),
    ):
        tl.state(Counting)
    assert Counting.taken == []
