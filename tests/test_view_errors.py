"""An error a view raises while it folds names the view and the record.

The rule (docs/howto/custom-projection.md, "When apply raises"): an exception raised
by a view's ``apply`` (or ``apply_glimpse``) reaches the caller of ``state`` as the
view's own exception, of its own type and message, with a note naming the view's
class, the method, the record's id, its kind and the position it is stored at (and,
for a corrected record, the position of the correction whose replacement was being
folded), whatever the store and whether the fold is whole or up to a date. An
exception raised by its ``result`` (or ``select``) gets a note naming the view, the
method and the question's cuts.
"""

from __future__ import annotations

from pathlib import Path

import immutables
import pytest

from conflict_timeline import (
    Attack,
    Correction,
    Glimpse,
    MemoryStore,
    Query,
    Recorded,
    SQLiteStore,
    Timeline,
    View,
)
from rule_kit import TWO_STATES, clock, wire


class RefusedError(Exception):
    """The view's own error: callers catch it by its type."""


def _attack(aid: str, day: str, perpetrator: str = "north") -> Attack:
    return Attack(id=aid, occurred=day, sources=wire(day), perpetrator=perpetrator)


RECORDS = (*TWO_STATES, _attack("raid-1", "2020-02-01"), _attack("raid-2", "2020-02-03"))
RAID_2_POSITION = len(TWO_STATES) + 2  # positions count from 1, in append order


class RefusesSouth(View[int, int]):
    """Counts attacks; refuses one by ``south``."""

    kinds = frozenset({"Attack"})

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        record = recorded.record
        assert isinstance(record, Attack)
        if record.perpetrator == "south":
            raise RefusedError("no attacks by south")
        return state + 1


class GlimpsesRefuseSouth(RefusesSouth):
    """The same, from glimpses where the store offers them."""

    glimpses = immutables.Map({"Attack": ("perpetrator",)})

    def apply_glimpse(self, state: int, glimpse: Glimpse) -> int:
        if glimpse.values[0] == "south":
            raise RefusedError("no attacks by south")
        return state + 1


def _timelines(tmp_path: Path, *records: object) -> list[Timeline]:
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*RECORDS, *records)  # type: ignore[arg-type]
    sqlite = Timeline(SQLiteStore(tmp_path / "t.db", clock=clock))
    sqlite.append(*RECORDS, *records)  # type: ignore[arg-type]
    return [memory, sqlite]


def _notes(error: BaseException) -> str:
    return "\n".join(getattr(error, "__notes__", ()))


@pytest.mark.parametrize(
    "cut", [{}, {"at": "2020-03-01"}, {"as_of": 99}, {"known_at": "2020-03-01"}]
)
def test_an_error_in_apply_names_the_view_and_the_record(
    tmp_path: Path, cut: dict[str, object]
) -> None:
    late = _attack("raid-3", "2020-02-05", perpetrator="south")
    for timeline in _timelines(tmp_path, late):
        with pytest.raises(RefusedError) as raised:
            timeline.state(RefusesSouth, **cut)  # type: ignore[arg-type]
        assert str(raised.value) == "no attacks by south"  # the view's own message
        assert _notes(raised.value) == (
            "while RefusesSouth.apply folded record 'raid-3' "
            f"(Attack, stored at position {RAID_2_POSITION + 1})"
        )


def test_an_error_in_a_knowledge_cuts_own_tail_names_the_view_and_the_record(
    tmp_path: Path,
) -> None:
    """raid-1 is corrected only after the date asked about, so what was known then
    parts from the full list at raid-1: the cut folds its own tail from there, and
    meets raid-3 (known by then) in it."""
    late = _attack("raid-3", "2020-02-05", perpetrator="south")
    fix = Correction(
        id="fix",
        occurred="2020-03-10",
        reported="2020-03-10",
        corrects="raid-1",
        replacement=_attack("raid-1", "2020-02-02"),
    )
    for timeline in _timelines(tmp_path, late, fix):
        with pytest.raises(RefusedError) as raised:
            timeline.state(RefusesSouth, known_at="2020-03-01")
        assert _notes(raised.value) == (
            "while RefusesSouth.apply folded record 'raid-3' "
            f"(Attack, stored at position {RAID_2_POSITION + 1})"
        )


def test_an_error_in_apply_glimpse_names_the_view_and_the_record(tmp_path: Path) -> None:
    """The SQLite store hands out payloads undecoded, so the view folds glimpses
    there; the memory store's records are decoded, so it folds them with apply."""
    late = _attack("raid-3", "2020-02-05", perpetrator="south")
    memory, sqlite = _timelines(tmp_path, late)
    with pytest.raises(RefusedError) as raised:
        sqlite.state(GlimpsesRefuseSouth)
    assert _notes(raised.value) == (
        "while GlimpsesRefuseSouth.apply_glimpse folded record 'raid-3' "
        f"(stored at position {RAID_2_POSITION + 1})"
    )
    with pytest.raises(RefusedError) as raised:
        memory.state(GlimpsesRefuseSouth)
    assert "GlimpsesRefuseSouth.apply folded record 'raid-3'" in _notes(raised.value)


def test_an_error_on_a_corrected_record_names_the_correction(tmp_path: Path) -> None:
    """A correction makes raid-2 an attack by south: the view refuses the replacement,
    which is folded in raid-2's place, and the note says so."""
    fix = Correction(
        id="fix",
        occurred="2020-02-10",
        reported="2020-02-10",
        corrects="raid-2",
        replacement=_attack("raid-2", "2020-02-03", perpetrator="south"),
    )
    for timeline in _timelines(tmp_path, fix):
        with pytest.raises(RefusedError) as raised:
            timeline.state(RefusesSouth)
        assert _notes(raised.value) == (
            "while RefusesSouth.apply folded record 'raid-2' (Attack, stored at position "
            f"{RAID_2_POSITION}, as corrected at position {RAID_2_POSITION + 1})"
        )


def test_a_view_that_folds_cleanly_gets_no_note(tmp_path: Path) -> None:
    for timeline in _timelines(tmp_path):
        assert timeline.state(RefusesSouth) == 2


class AnswersNothingAfterMarch(RefusesSouth):
    """Folds cleanly; refuses to answer (or to select) at a date after February."""

    filters = frozenset({"perpetrator"})

    def result(self, state: int, query: Query) -> int:
        if query.at is not None and query.at >= MARCH:
            raise RefusedError("no answers after February")
        return state

    def select(self, state: int, query: Query, *, perpetrator: str) -> int:
        raise RefusedError(f"cannot select {perpetrator}")


MARCH = 1_583_020_800_000_000  # 2020-03-01T00:00:00Z in epoch microseconds


def test_an_error_in_result_names_the_view_and_the_question(tmp_path: Path) -> None:
    """The question is told as `Query.describe` tells it: its cuts, in UTC (a date
    cut is the end of that day)."""
    for timeline in _timelines(tmp_path):
        assert timeline.state(AnswersNothingAfterMarch, at="2020-02-10") == 2
        with pytest.raises(RefusedError) as raised:
            timeline.state(AnswersNothingAfterMarch, at="2020-03-01", known_at="2020-04-01")
        assert str(raised.value) == "no answers after February"
        assert _notes(raised.value) == (
            "while AnswersNothingAfterMarch.result answered the question "
            "(at 2020-03-01T23:59:59.999999+00:00, as known at 2020-04-01T23:59:59.999999+00:00)"
        )


def test_an_error_in_select_names_the_view_and_the_question(tmp_path: Path) -> None:
    for timeline in _timelines(tmp_path):
        with pytest.raises(RefusedError) as raised:
            timeline.state(AnswersNothingAfterMarch, perpetrator="north")
        assert _notes(raised.value) == (
            "while AnswersNothingAfterMarch.select answered the question (everything recorded)"
        )


def test_an_error_in_result_at_a_series_step_names_the_step(tmp_path: Path) -> None:
    """A series asks the view's result at the end of each period: the first step
    past February refuses, and the note names that step's question."""
    for timeline in _timelines(tmp_path):
        with pytest.raises(RefusedError) as raised:
            timeline.series(
                AnswersNothingAfterMarch, start="2020-02-01", end="2020-03-31", every="month"
            )
        assert _notes(raised.value) == (
            "while AnswersNothingAfterMarch.result answered the question "
            "(at 2020-03-31T23:59:59.999999+00:00)"
        )
