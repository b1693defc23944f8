"""Saved answers: a view that `saves_answer` (`ReportedViolations`) keeps its answer to
the open question beside its saved state (docs/howto/checkpoints.md).

The rules: a timeline reopened at the head the answer was saved at answers the open
question (any certainty, any zone) from the saved answer alone, reading neither the
saved state nor any record; the first question that needs more (a cut, a filter, a
record appended since, by this process or another) reads the saved state then, and
answers as the fold of the records does. A saved answer is checked as a saved state
is (the key's signature, the history it covers, its shape); one that fails is not
used (a `CheckpointWarning` says why), and a page of it that cannot be read back
warns and is listed from the fold instead. A damaged state beside a good answer is
found when a question first reads it. Answers are checked against the plain fold of
the rules (``reference``), not against another timeline.
"""

from __future__ import annotations

import io
import pickle
import warnings
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Final
from unittest import mock

import attrs
import pytest

from conflict_timeline import (
    ActiveCommitments,
    CheckpointWarning,
    Denial,
    Listing,
    Query,
    QueryError,
    ReportedViolations,
    SQLiteStore,
    TimeExtent,
    Timeline,
    View,
)
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores import IndexRow, Recorded, SavedState
from conflict_timeline.views import _saved
from test_projection_properties import fixed_clock, reference
from test_saved_checkpoints import _put, _saved_row

KEY_RV: Final = "conflict_timeline.views.violations:ReportedViolations"
ANSWER: Final = KEY_RV + "#answer"
WHEN: Final = "2020-10-10"  # inside the records: nothing reported yet
LATE: Final = "2020-11-30"  # a cut after every report


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*karabakh_oct_2020(), strict=False)
    return path


def _save(path: Path, page: int = 2) -> None:
    with mock.patch.object(_saved, "PAGE", page), Timeline.open(path) as tl:
        tl.save_checkpoints(ReportedViolations)


class _Spied:
    """A read-only timeline on ``path`` whose store notes which saved states it
    loads and where each read of index rows starts."""

    def __init__(self, path: Path) -> None:
        self.store = SQLiteStore(path)
        self.loaded: list[str] = []
        self.starts: list[int] = []
        load, rows = self.store.load_state, self.store.index_rows

        def load_state(view: str) -> SavedState | None:
            self.loaded.append(view)
            return load(view)

        def index_rows(
            *, start: int = 1, kinds: Collection[str] | None = None
        ) -> Iterator[IndexRow]:
            self.starts.append(start)
            return rows(start=start, kinds=kinds)

        self.store.load_state = load_state  # type: ignore[method-assign]
        self.store.index_rows = index_rows  # type: ignore[method-assign]
        self.timeline = Timeline(self.store)


def _expected(tl: Timeline, **cut: Any) -> Any:
    return reference(tl, ReportedViolations(), tl.query(**cut))


def _flipped(saved: SavedState) -> SavedState:
    blob = bytearray(saved.blob)
    blob[len(blob) // 2] ^= 0x01
    return saved._replace(blob=bytes(blob))


def _signed(saved: SavedState, blob: bytes) -> SavedState:
    """``saved`` holding ``blob``, signed with the key (a fault of the saving code,
    not a forgery)."""
    key = _saved.state_key()
    assert key is not None
    made = saved._replace(blob=blob)
    return made._replace(digest=_saved._mac(key, made))


def _warned(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if w.category is CheckpointWarning]


def _asked(path: Path) -> tuple[_Spied, Any, list[str]]:
    """The open question asked of a spied timeline on ``path``, and the
    `CheckpointWarning` messages it gave."""
    spied = _Spied(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = spied.timeline.state(ReportedViolations)
    return spied, found, _warned(caught)


def test_the_open_question_reads_the_saved_answer_alone(filled: Path) -> None:
    """Reopened at the head it was saved at, the open question reads only the saved
    answer (not the state, not a record), and lists, indexes and compares as the
    fold does; the first question with a cut or a filter then reads the state, and
    still no record."""
    _save(filled)
    spied = _Spied(filled)
    tl = spied.timeline
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        found = tl.state(ReportedViolations)
        assert spied.loaded == [ANSWER]
        expected = _expected(tl)
        assert len(expected) == 3  # more than one page of two
        assert len(found) == len(expected)
        assert list(found) == list(expected)
        assert [found[i] for i in range(-3, 3)] == [expected[i] for i in range(-3, 3)]
        assert found == expected
        assert found.ids() == expected.ids()
        assert spied.loaded == [ANSWER]
        assert spied.starts == []
        assert tl.state(ReportedViolations, known_at=WHEN) == _expected(tl, known_at=WHEN)
        assert tl.state(ReportedViolations, basis="alleged") == Listing(
            tuple(a for a in expected if a.basis.value == "alleged"), expected.query
        )
        assert spied.loaded == [ANSWER, KEY_RV]
        assert spied.starts == []
    tl.close()


def test_the_saved_answer_is_read_a_page_at_a_time(filled: Path) -> None:
    """Its length is known before any page is read; an entry reads its page only;
    listing it reads each page once, and again on another pass."""
    _save(filled)  # pages of two: three assessments, two pages
    read: list[int] = []
    page = _saved._Pages.page

    def counted(pages: Any, number: int) -> tuple[Any, ...]:
        read.append(number)
        return page(pages, number)

    spied = _Spied(filled)
    with mock.patch.object(_saved._Pages, "page", counted):
        found = spied.timeline.state(ReportedViolations)
        assert len(found) == 3
        assert read == []
        assert found[2] == _expected(spied.timeline)[2]
        assert read == [1]
        read.clear()
        assert list(found) == list(found) == list(_expected(spied.timeline))
        assert read == [0, 1, 0, 1]
    spied.timeline.close()


@pytest.mark.parametrize("cut", [{"certainty": "certain"}, {"tz": "Asia/Baku"}])
def test_every_form_of_the_open_question_is_answered_from_it(
    filled: Path, cut: dict[str, Any]
) -> None:
    """With no cut every extent has happened, certainly or not, in any zone: the
    saved answer answers them all, each with its own query."""
    _save(filled)
    spied = _Spied(filled)
    found = spied.timeline.state(ReportedViolations, **cut)
    assert found.query == spied.timeline.query(**cut)
    assert found == _expected(spied.timeline, **cut)
    assert spied.loaded == [ANSWER]
    spied.timeline.close()


def test_records_appended_since_the_save_are_folded_onto_the_state(filled: Path) -> None:
    """An answer covers the head it was saved at: after a record appended since, by
    another process before the open or by this one after it, the open question
    reads the saved state and the new rows only."""
    records = karabakh_oct_2020()  # the last two add an assessment
    path = filled.with_name("short.db")
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[:-2], strict=False)
        saved_at = tl.head
    _save(path)
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as other:
        other.append(*records[-2:], strict=False)
    spied = _Spied(path)
    assert spied.timeline.state(ReportedViolations) == _expected(spied.timeline)
    assert spied.loaded == [ANSWER, KEY_RV]
    assert spied.starts == [saved_at + 1]
    spied.timeline.close()

    path.unlink()
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[:-2], strict=False)
    _save(path)
    spied = _Spied(path)
    tl = spied.timeline
    assert len(tl.state(ReportedViolations)) == len(_expected(tl))
    tl.append(*records[-2:], strict=False)
    assert tl.state(ReportedViolations) == _expected(tl)
    assert spied.loaded == [ANSWER, KEY_RV]
    assert all(start > saved_at for start in spied.starts)
    tl.close()


def test_a_damaged_answer_is_not_used_and_says_so(filled: Path) -> None:
    """Bytes flipped (not signed with the key) or a signed blob that is not an
    answer: a warning names the view and why, and the saved state answers."""
    _save(filled)
    good = _saved_row(filled, ANSWER)
    for bad, why in (
        (_flipped(good), "not saved with this process's key (damaged"),
        (_signed(good, pickle.dumps(("not", "an answer"))), "not a saved view answer"),
    ):
        _put(filled, bad)
        spied, found, warned = _asked(filled)
        assert found == _expected(spied.timeline)
        assert len(warned) == 1
        assert "saved answer of view" in warned[0]
        assert why in warned[0]
        assert spied.loaded == [ANSWER, KEY_RV]
        assert spied.starts == []  # the state was used
        spied.timeline.close()


def test_an_answer_of_another_history_or_other_code_is_not_used(filled: Path) -> None:
    """An answer copied from another timeline (its head's record is not the one it
    was saved with) is not used, with a warning, and the view is folded (the state
    saved there fails the same check); an answer saved by other code (an upgrade)
    is ignored quietly, and the state answers."""
    _save(filled)
    answer = _saved_row(filled, ANSWER)
    other = filled.with_name("other.db")  # the same records, appended at another time
    with Timeline(SQLiteStore(other, clock=lambda: fixed_clock().replace(year=2025))) as tl:
        tl.append(*karabakh_oct_2020(), strict=False)
    _put(other, answer)
    spied, found, warned = _asked(other)
    assert found == _expected(spied.timeline)
    assert len(warned) == 1
    assert "saved answer of view" in warned[0]
    assert "not the one it was saved with" in warned[0]
    assert spied.starts == [1]
    spied.timeline.close()

    _put(filled, _signed(answer._replace(code="0" * 64), answer.blob))
    spied = _Spied(filled)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        assert spied.timeline.state(ReportedViolations) == _expected(spied.timeline)
    assert spied.loaded == [ANSWER, KEY_RV]
    assert spied.starts == []  # the state answered
    spied.timeline.close()


def test_a_damaged_state_beside_a_good_answer_is_found_when_read(filled: Path) -> None:
    """The open question is answered from the answer without a word; the first
    question that reads the state warns, and it and every later one are answered by
    folding the records."""
    _save(filled)
    _put(filled, _flipped(_saved_row(filled, KEY_RV)))
    spied = _Spied(filled)
    tl = spied.timeline
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = tl.state(ReportedViolations)
        assert _warned(caught) == []
        assert opened == _expected(tl)
        dated = tl.state(ReportedViolations, known_at=WHEN)
        again = tl.state(ReportedViolations, at="2020-10-20")
    warned = _warned(caught)
    assert dated == _expected(tl, known_at=WHEN)
    assert again == _expected(tl, at="2020-10-20")
    assert len(warned) == 1
    assert KEY_RV in warned[0]
    assert "not saved with this process's key" in warned[0]
    assert spied.starts == [1]  # folded from the first record
    tl.close()


def test_a_page_that_cannot_be_read_back_is_listed_from_the_fold(filled: Path) -> None:
    """A signed answer with a page that is not one (a fault of the saving code): it
    is found when the page is read, warns once, and the listing goes on with the
    fold's entries up to the head the answer covers: a record appended after the
    answer was given (one that adds an assessment and one that changes another's
    status) changes nothing in it."""
    _save(filled)
    good = _saved_row(filled, ANSWER)
    form, head, count, size, offsets, body = _saved._Loader(io.BytesIO(good.blob)).load()
    first = body[: offsets[1]]
    broken = b"\x80\x05not a pickle"
    parts = (form, head, count, size, [0, len(first), len(first) + len(broken)], first + broken)
    _put(filled, _signed(good, pickle.dumps(parts, protocol=5)))
    spied = _Spied(filled)
    tl = spied.timeline
    accusation = next(r for r in karabakh_oct_2020() if r.id == "nk-accusation")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = tl.state(ReportedViolations)
        expected = _expected(tl)
        tl.append(
            attrs.evolve(accusation, id="nk-accusation-again"),
            Denial(
                id="denied-late",
                occurred=TimeExtent.parse("2020-11-02"),
                sources=accusation.sources,
                denier="azerbaijani-forces",
                denies=accusation.id,
            ),
            strict=False,
        )
        assert _expected(tl) != expected  # the records moved on
        listed = list(found)
        again = list(found)
    warned = _warned(caught)
    assert listed == again == list(expected)
    assert len(warned) == 1
    assert "could not be read back" in warned[0]
    spied.timeline.close()


def test_a_state_read_interrupted_leaves_the_view_to_be_folded(filled: Path) -> None:
    """Reading the state when a question first needs it may be interrupted (Ctrl-C):
    that question fails, and from then on the view is folded from the records (the
    first record read again), answering as the fold does."""
    _save(filled)
    spied = _Spied(filled)
    tl = spied.timeline
    assert len(tl.state(ReportedViolations)) == len(_expected(tl))
    load = spied.store.load_state

    def interrupted(view: str) -> SavedState | None:
        raise KeyboardInterrupt

    spied.store.load_state = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        tl.state(ReportedViolations, known_at=LATE)
    spied.store.load_state = load  # type: ignore[method-assign]
    assert spied.starts == []
    assert tl.state(ReportedViolations, known_at=LATE) == _expected(tl, known_at=LATE)
    assert tl.state(ReportedViolations) == _expected(tl)
    assert spied.starts == [1]
    tl.close()


def _saved_twice(path: Path, *, split: int, left: str) -> tuple[Path, int]:
    """A timeline at ``path`` saved after the records before ``split`` and again after
    the rest, then with the first save's ``left`` (its state or its answer) put back,
    as a save cut short or two saving at once may leave it; the first save's head."""
    records = karabakh_oct_2020()
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[:split], strict=False)
        early = tl.head
    _save(path)
    first = _saved_row(path, left)
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[split:], strict=False)
    _save(path)
    _put(path, first)
    return path, early


def test_a_save_cut_short_before_its_answer_leaves_an_answer_never_used(
    filled: Path,
) -> None:
    """The state is written first: a save cut short before its answer leaves the
    previous save's answer beside the new state. That answer covers an earlier head,
    so the open question is answered from the new state (and no record)."""
    path, _ = _saved_twice(filled.with_name("cut.db"), split=-2, left=ANSWER)
    spied = _Spied(path)
    tl = spied.timeline
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        assert tl.state(ReportedViolations) == _expected(tl)
    assert spied.loaded == [ANSWER, KEY_RV]
    assert spied.starts == []
    tl.close()


def test_an_answer_newer_than_its_state_is_used_at_its_head(filled: Path) -> None:
    """Two processes saving at once (each writes its state, then its answer) may
    leave the answer of one head beside the state of an earlier one. The answer
    answers at its head; a question that reads the state (a series, here, then a
    cut) folds the records after the state's head onto it."""
    path, early = _saved_twice(filled.with_name("two.db"), split=-4, left=KEY_RV)
    spied = _Spied(path)
    tl = spied.timeline
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        assert tl.state(ReportedViolations) == _expected(tl)
        assert spied.starts == []
        series = tl.series(ReportedViolations, "2020-09-25", "2020-11-01", every="week")
        assert [p.value for p in series] == [
            reference(tl, ReportedViolations(), p.value.query) for p in series
        ]
        assert len(series[-1].value) == 3
        assert tl.state(ReportedViolations, known_at=LATE) == _expected(tl, known_at=LATE)
        assert tl.state(ReportedViolations) == _expected(tl)
    assert spied.starts == [early + 1]
    tl.close()


def test_only_a_view_that_saves_its_answer_saves_one(filled: Path) -> None:
    """Other views save their state only; forgetting drops answers too."""
    with Timeline.open(filled) as tl:
        sizes = tl.save_checkpoints(ReportedViolations, ActiveCommitments)
    assert _saved_row(filled, ANSWER).head == _saved_row(filled, KEY_RV).head
    assert sizes[KEY_RV] == len(_saved_row(filled, KEY_RV).blob) + len(
        _saved_row(filled, ANSWER).blob
    )
    store = SQLiteStore(filled, read_only=True)
    key_ac = "conflict_timeline.views.commitments:ActiveCommitments"
    assert store.load_state(key_ac + "#answer") is None
    store.close()
    with Timeline.open(filled) as tl:
        assert tl.forget_checkpoints() == 3  # two states and one answer
        assert tl.forget_checkpoints() == 0
    assert SQLiteStore(filled, read_only=True).load_state(ANSWER) is None


class Kinds(View[tuple[str, ...], Listing[str]]):
    """A view of one's own that saves its answer: the kinds folded, in order."""

    saves_answer = True

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return (*state, recorded.kind)

    def result(self, state: tuple[str, ...], query: Query) -> Listing[str]:
        return Listing(state, query)


class Counted(View[int, int]):
    """Says it saves its answer, but its result is no listing."""

    saves_answer = True

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        return state + 1

    def result(self, state: int, query: Query) -> int:
        return state


def test_a_view_of_ones_own_saves_its_answer_when_it_is_a_listing(filled: Path) -> None:
    key = f"{__name__}:Kinds"
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(Kinds)
    spied = _Spied(filled)
    tl = spied.timeline
    assert tl.state(Kinds) == reference(tl, Kinds(), tl.query())
    assert spied.loaded == [key + "#answer"]
    tl.close()
    with Timeline.open(filled) as tl, pytest.raises(QueryError, match="not a Listing"):
        tl.save_checkpoints(Counted)
    store = SQLiteStore(filled, read_only=True)
    assert store.load_state(f"{__name__}:Counted") is None  # nothing was saved
    store.close()


@pytest.mark.parametrize("as_of", [10, 23])
def test_a_record_time_cut_is_not_answered_by_the_saved_answer(filled: Path, as_of: int) -> None:
    """checkpoints.md: the saved answer is the answer to the open question (no cut);
    ``as_of`` is a cut, answered from the state as the fold would."""
    _save(filled)
    with Timeline.open(filled) as tl:
        assert tl.state(ReportedViolations, as_of=as_of) == _expected(tl, as_of=as_of)
