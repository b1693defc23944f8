"""Saved view states (persisted checkpoints): `Timeline.save_checkpoints`.

The rules (docs/howto/checkpoints.md): a timeline reopened over a store that keeps a
view's saved state answers every cut exactly as a fold of the records does, before and
after more records are appended (into the past, corrections and retractions included);
a saved state is used only when the same code folded it, the store still holds the
history it covers and its bytes are intact, and loading one can build nothing but
data. The answers here are checked against the plain fold of DESIGN.md's rules
(``reference`` of the projection property tests), not against another timeline.
"""

from __future__ import annotations

import contextlib
import fractions
import hashlib
import importlib
import io
import itertools
import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, ClassVar, Final, NamedTuple
from unittest import mock

import attrs
import immutables
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Attack,
    CheckpointWarning,
    Gazetteer,
    MemoryStore,
    OpenRequests,
    QueryError,
    ReportedViolations,
    SQLiteStore,
    StoreError,
    Timeline,
    TriggeredCommitments,
    View,
    views,
)
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores import IndexRow, Recorded, SavedState, StateKeeper
from conflict_timeline.strategies import timelines
from conflict_timeline.views import _saved
from test_projection_properties import (
    PROFILE,
    VIEWS,
    ReplayOrder,
    cuts,
    fixed_clock,
    reference,
)

KEY_AC = "conflict_timeline.views.commitments:ActiveCommitments"


class CountingStore(MemoryStore):
    """A memory store that notes where each read of index rows starts: a view started
    from a saved state reads only the rows after the position the state covers."""

    def __init__(self) -> None:
        super().__init__(clock=fixed_clock)
        self.starts: list[int] = []

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        self.starts.append(start)
        return super().index_rows(start=start, kinds=kinds)


def _all_cuts(tl: Timeline, view: Any, data: st.DataObject, known: Any) -> None:
    at = data.draw(cuts, label="at")
    for cut in (
        {},
        {"at": at},
        {"at": at, "certainty": "certain"},
        {"known_at": known},
        {"known_at": known, "at": at},
        {"known_at": known, "certainty": "certain"},
        {"as_of": max(1, tl.head // 2)},
        {"as_of": max(1, tl.head // 2), "at": at},
    ):
        assert tl.state(view, **cut) == reference(tl, view(), tl.query(**cut)), cut


@PROFILE
@given(
    records=timelines(max_size=30),
    data=st.data(),
    known=cuts,
    view=st.sampled_from((*VIEWS, ReplayOrder)),
    every=st.sampled_from((1, 3, 128)),
    append_first=st.booleans(),
    kept=st.sampled_from((1, 2, 5, 32)),
    page=st.sampled_from((1, 2, 1024)),
)
def test_a_reopened_timeline_answers_every_cut_as_the_fold_of_its_records(  # noqa: PLR0917
    records: list[Any],
    data: st.DataObject,
    known: Any,
    view: Any,
    every: int,
    append_first: bool,
    kept: int,
    page: int,
) -> None:
    """Saved at one head, reopened, then more records appended (some in the past,
    some correcting or retracting saved ones) either before the first question or
    after a few: every cut form answers as the plain fold, and the view was started
    from the saved state (it read no row at or before the saved head)."""
    split = data.draw(st.integers(0, len(records)), label="split")
    store = CountingStore()
    first = Timeline(store, checkpoint_every=every)
    first.append(*records[:split], strict=False)
    for year in (1995, 2010, 2025):  # checkpoints along the list, as a used timeline has
        first.state(view, at=f"{year}-06-01")
    saved_at = store.head()
    with (
        mock.patch.object(_saved, "KEPT", kept),  # fewer checkpoints than the fold kept
        mock.patch.object(_saved, "PAGE", page),  # a saved answer's pages
    ):
        assert list(first.save_checkpoints(view)) == [_saved.view_key(view)]

    store.starts.clear()
    reopened = Timeline(store, checkpoint_every=data.draw(st.sampled_from((1, 5, 128))))
    if append_first:
        reopened.append(*records[split:], strict=False)
    _all_cuts(reopened, view, data, known)
    assert all(start > saved_at for start in store.starts)  # started from the state
    reopened.append(*records[split:], strict=False)
    _all_cuts(reopened, view, data, known)
    # Saved again from the state it started from and extended: a third open agrees.
    reopened.save_checkpoints(view)
    store.starts.clear()
    _all_cuts(Timeline(store), view, data, known)
    assert all(start > store.head() for start in store.starts)


def _records() -> list[Any]:
    return list(karabakh_oct_2020())


def _other_clock() -> Any:
    import pendulum

    return pendulum.datetime(2025, 2, 3, tz="UTC")


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*_records(), strict=False)
    return path


def _spied(store: SQLiteStore) -> list[int]:
    """Where each later read of ``store``'s index rows starts (the list fills as it
    reads): a view started from a saved state reads none the state covers."""
    starts: list[int] = []
    read = store.index_rows

    def spy(*, start: int = 1, kinds: Collection[str] | None = None) -> Iterator[IndexRow]:
        starts.append(start)
        return read(start=start, kinds=kinds)

    store.index_rows = spy  # type: ignore[method-assign]
    return starts


@contextlib.contextmanager
def _importable(folder: Path, name: str) -> Iterator[Any]:
    """Module ``name``, written in ``folder``, imported; forgotten (and the folder
    taken off the path) afterwards."""
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)


def _starts(path: Path, view: Any, **options: Any) -> tuple[Any, list[int], list[str]]:
    """The answer of ``view`` on the reopened file, where its rows were read from, and
    the warnings given."""
    store = SQLiteStore(path, read_only=True)
    starts = _spied(store)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tl = Timeline(store, **options)
        answer = tl.state(view)
        tl.close()
    return answer, starts, [str(w.message) for w in caught if w.category is CheckpointWarning]


def _fresh(path: Path, view: Any) -> Any:
    with Timeline.open(path, read_only=True, saved_checkpoints=False) as tl:
        return tl.state(view)


def test_a_saved_state_is_used_by_a_later_open_of_the_file(tmp_path: Path) -> None:
    """Reopened, the view reads no row the state covers: none at all, then, once a
    record is appended, only that one."""
    path = tmp_path / "t.db"
    records = _records()
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[:-1], strict=False)
        head = tl.head
        sizes = tl.save_checkpoints(ActiveCommitments, "triggered-commitments")
        assert tl.verify().ok  # saved states are not records: the chain is untouched
        assert tl.head == head
    assert set(sizes) == {KEY_AC, "conflict_timeline.views.commitments:TriggeredCommitments"}
    assert all(size > 0 for size in sizes.values())
    for view in (ActiveCommitments, TriggeredCommitments):
        answer, starts, warned = _starts(path, view)
        assert answer == _fresh(path, view)
        assert (starts, warned) == ([], [])
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(records[-1])
    for view in (ActiveCommitments, TriggeredCommitments):
        answer, starts, warned = _starts(path, view)
        assert answer == _fresh(path, view)
        assert (starts, warned) == ([head + 1], [])


def test_saved_checkpoints_false_folds_from_the_records(filled: Path) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    answer, starts, warned = _starts(filled, ActiveCommitments, saved_checkpoints=False)
    assert starts == [1]
    assert answer == _fresh(filled, ActiveCommitments)
    assert warned == []


def test_without_views_every_registered_view_class_is_saved(filled: Path) -> None:
    from conflict_timeline.views import get_view, register_view, unregister_view, view_names

    register_view("an-instance", ActiveCommitments())  # an instance: not saved, no error
    try:
        with Timeline.open(filled) as tl:
            saved = tl.save_checkpoints()
        # Every registered view class whose code version can be told (a view defined
        # where no source file holds it, as the docs' examples register, is left out).
        classes = {
            _saved.view_key(get_view(name))
            for name in view_names()
            if isinstance(get_view(name), type) and _saved.code_version(get_view(name))
        }
        assert set(saved) == classes
        assert "conflict_timeline.views.violations:ReportedViolations" in saved
    finally:
        unregister_view("an-instance")
    answer, starts, _ = _starts(filled, ReportedViolations)
    assert starts == []
    assert answer == _fresh(filled, ReportedViolations)


def _rewrite(path: Path, sql: str, params: tuple[Any, ...] = ()) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute(sql, params)
    db.close()


def _saved_row(path: Path, view: str = KEY_AC) -> SavedState:
    store = SQLiteStore(path, read_only=True)
    try:
        found = store.load_state(view)
    finally:
        store.close()
    assert found is not None
    return found


def _put(path: Path, saved: SavedState) -> None:
    store = SQLiteStore(path)
    try:
        store.save_state(saved)
    finally:
        store.close()


def test_damaged_bytes_are_not_used_and_say_so(filled: Path) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    flipped = bytearray(saved.blob)
    flipped[len(flipped) // 2] ^= 0x01
    _put(filled, saved._replace(blob=bytes(flipped)))
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(filled, ActiveCommitments)
    assert len(warned) == 1
    assert KEY_AC in warned[0]
    assert "not saved with this process's key (damaged" in warned[0]


@pytest.mark.parametrize("field", ["head", "chain"])
def test_the_position_and_chain_hash_a_state_covers_are_signed_too(
    filled: Path, field: str
) -> None:
    """The signature covers the position and chain hash a state says it covers, not
    only its bytes: either edited is not this process's signature (it is not taken
    for a state of another history)."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    if field == "head":
        edited = saved._replace(head=saved.head - 1)
    else:
        edited = saved._replace(chain="0" * 64)
    _put(filled, edited)
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(filled, ActiveCommitments)
    assert len(warned) == 1
    assert "not saved with this process's key (damaged" in warned[0]


def test_a_state_of_another_history_is_not_used_and_says_so(filled: Path, tmp_path: Path) -> None:
    """A state copied into another timeline (or a file rebuilt with other records)
    covers a history the store does not hold: its chain hash differs, or the store
    holds fewer records than it covers."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
        head = tl.head
    saved = _saved_row(filled)
    other = tmp_path / "other.db"  # the same records, appended at another time
    with Timeline(SQLiteStore(other, clock=_other_clock)) as tl:
        tl.append(*_records(), strict=False)
    _put(other, saved)
    answer, starts, warned = _starts(other, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(other, ActiveCommitments)
    assert len(warned) == 1
    assert "not the one it was saved with" in warned[0]

    shorter = tmp_path / "shorter.db"  # the same history, cut short
    with Timeline(SQLiteStore(shorter, clock=fixed_clock)) as tl:
        tl.append(*_records()[: head - 1], strict=False)
    _put(shorter, saved)
    answer, starts, warned = _starts(shorter, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(shorter, ActiveCommitments)
    assert len(warned) == 1
    assert "holds fewer" in warned[0]


def test_a_state_of_other_code_is_ignored_quietly(tmp_path: Path, filled: Path) -> None:
    """A view's ``state_version`` (or its module's source, or this library) changed
    since the save: the state is stale, the view is folded, with no warning."""
    module = tmp_path / "my_views_for_saving.py"
    module.write_text(
        textwrap.dedent(
            """
            from typing import Any
            import attrs
            from conflict_timeline import View

            class Count(View[int, int]):
                state_version = 1
                def initial(self) -> int:
                    return 0
                def apply(self, state: int, recorded: Any) -> int:
                    return state + 1
                def result(self, state: int, query: Any) -> int:
                    return state

            @attrs.frozen
            class Tally:
                n: int = 0

            class Tallied(View[Tally, int]):
                def initial(self) -> Tally:
                    return Tally()
                def apply(self, state: Tally, recorded: Any) -> Tally:
                    return Tally(state.n + 1)
                def result(self, state: Tally, query: Any) -> int:
                    return state.n
            """
        )
    )
    with _importable(tmp_path, "my_views_for_saving") as made:
        count: Any = made.Count
        with Timeline.open(filled) as tl:
            assert list(tl.save_checkpoints(count)) == ["my_views_for_saving:Count"]
            total = tl.head
        answer, starts, warned = _starts(filled, count)
        assert (answer, starts, warned) == (total, [], [])
        # A state made of the view's own module's attrs classes loads too.
        tallied: Any = made.Tallied
        with Timeline.open(filled) as tl:
            tl.save_checkpoints(tallied)
        assert _starts(filled, tallied) == (total, [], [])
        count.state_version = 2
        answer, starts, warned = _starts(filled, count)
        assert (answer, starts, warned) == (total, [1], [])
        count.state_version = 1
        module.write_text(module.read_text() + "\n# edited\n")
        _saved._module_digest.cache_clear()  # a new process reads the edited source
        answer, starts, warned = _starts(filled, count)
        assert (answer, starts, warned) == (total, [1], [])


_BASE_VIEW: Final = """
from typing import Any, ClassVar
from conflict_timeline import View

class CountBase(View[int, int]):
    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack"})
    def initial(self) -> int:
        return 0
    def apply(self, state: int, recorded: Any) -> int:
        return state + 1
    def result(self, state: int, query: Any) -> int:
        return state
"""
_SUB_VIEW: Final = """
from base_view_for_saving import CountBase

class AttackCount(CountBase):
    pass
"""


@contextlib.contextmanager
def _inherited(folder: Path, base: str) -> Iterator[Any]:
    """``AttackCount``, a view that inherits its fold from ``CountBase`` in another
    module (written as ``base``), both imported afresh from ``folder`` (a new process
    would read the files as they are now); forgotten afterwards."""
    (folder / "base_view_for_saving.py").write_text(base)
    (folder / "sub_view_for_saving.py").write_text(_SUB_VIEW)
    (folder / "unrelated_for_saving.py").write_text("SETTING = 1\n")
    names = ("base_view_for_saving", "sub_view_for_saving", "unrelated_for_saving")
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    try:
        importlib.import_module("unrelated_for_saving")
        yield importlib.import_module("sub_view_for_saving").AttackCount
    finally:
        sys.path.remove(str(folder))
        for name in names:
            sys.modules.pop(name, None)


def test_the_code_version_covers_the_modules_of_the_view_s_base_classes(
    tmp_path: Path,
) -> None:
    """The code that folds a view is also the code it inherits: editing the module of
    a base class changes the view's code version; editing a module the view does not
    inherit from (though imported beside it) does not."""
    base_file = tmp_path / "base_view_for_saving.py"
    with _inherited(tmp_path, _BASE_VIEW) as view:
        before = _saved.code_version(view)
        assert before is not None
        # An unrelated module edited: the same version.
        (tmp_path / "unrelated_for_saving.py").write_text("SETTING = 2\n")
        _saved._module_digest.cache_clear()  # a new process reads the files again
        assert _saved.code_version(view) == before
        # The base's module edited (its fold counts ten a record): another version.
        base_file.write_text(_BASE_VIEW.replace("state + 1", "state + 10"))
        _saved._module_digest.cache_clear()
        assert _saved.code_version(view) != before
        # Put back as it was: the version it had.
        base_file.write_text(_BASE_VIEW)
        _saved._module_digest.cache_clear()
        assert _saved.code_version(view) == before


def test_a_base_in_a_module_named_like_the_standard_library_s_is_covered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standard library is left out by where a module lives, not by its name
    alone: a base class in one's own ``tabnanny.py`` is folding code like any other."""
    assert "tabnanny" in sys.stdlib_module_names
    monkeypatch.delitem(sys.modules, "tabnanny", raising=False)
    (tmp_path / "tabnanny.py").write_text(_BASE_VIEW)
    (tmp_path / "sub_of_tabnanny.py").write_text(
        _SUB_VIEW.replace("base_view_for_saving", "tabnanny")
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    try:
        view = importlib.import_module("sub_of_tabnanny").AttackCount
        before = _saved.code_version(view)
        assert before is not None
        (tmp_path / "tabnanny.py").write_text(_BASE_VIEW.replace("state + 1", "state + 10"))
        _saved._module_digest.cache_clear()
        assert _saved.code_version(view) != before
    finally:
        sys.modules.pop("sub_of_tabnanny", None)
        sys.modules.pop("tabnanny", None)


def test_a_state_saved_before_an_inherited_fold_changed_is_ignored_quietly(
    tmp_path: Path, filled: Path
) -> None:
    """The tester's case: the fold a view inherits from another module changes (one
    per attack, then ten): the saved state is not used; the view is folded from the
    first record, with no warning, and answers ten per attack."""
    folder = tmp_path / "views"
    folder.mkdir()
    attacks = sum(isinstance(r, Attack) for r in _records())
    with _inherited(folder, _BASE_VIEW) as view:
        with Timeline.open(filled) as tl:
            assert list(tl.save_checkpoints(view)) == ["sub_view_for_saving:AttackCount"]
        assert _starts(filled, view) == (attacks, [], [])  # the state is used
    with _inherited(folder, _BASE_VIEW.replace("state + 1", "state + 10")) as view:
        assert _starts(filled, view) == (10 * attacks, [1], [])


def test_view_classes_a_function_made_are_not_saved_under_the_name_they_share(
    tmp_path: Path, filled: Path
) -> None:
    """Two classes made by one function share ``module:qualname`` and their module's
    source, not their settings (here the kinds each counts): a state saved for one
    would answer for the other. Neither is saved, and each answers as its fold."""
    module = tmp_path / "my_view_factory.py"
    module.write_text(
        textwrap.dedent(
            """
            from typing import Any, ClassVar
            from conflict_timeline import View

            def counting(kind: str) -> Any:
                class Count(View[int, int]):
                    kinds: ClassVar[frozenset[str] | None] = frozenset({kind})
                    def initial(self) -> int:
                        return 0
                    def apply(self, state: int, recorded: Any) -> int:
                        return state + 1
                    def result(self, state: int, query: Any) -> int:
                        return state
                return Count

            Attacks = counting("Attack")
            Places = counting("PlaceDefined")
            """
        )
    )
    with _importable(tmp_path, "my_view_factory") as made:
        with (
            Timeline.open(filled) as tl,
            pytest.raises(QueryError, match="does not lead to this class"),
        ):
            tl.save_checkpoints(made.Attacks)
        for view in (made.Attacks, made.Places):
            assert _starts(filled, view)[0] == _fresh(filled, view)


def test_a_view_module_reloaded_with_other_code_does_not_use_the_state_of_the_old(
    tmp_path: Path, filled: Path
) -> None:
    """A view's module edited and reloaded in the same process (a notebook's
    autoreload): the reloaded class folds with other code, and its question is
    answered as its fold, not from the state the old code saved."""
    module = tmp_path / "my_reloaded_view.py"
    source = textwrap.dedent(
        """
        from typing import Any
        from conflict_timeline import View

        STEP = 1

        class Count(View[int, int]):
            def initial(self) -> int:
                return 0
            def apply(self, state: int, recorded: Any) -> int:
                return state + STEP
            def result(self, state: int, query: Any) -> int:
                return state
        """
    )
    module.write_text(source)
    with _importable(tmp_path, "my_reloaded_view") as made:
        with Timeline.open(filled) as tl:
            tl.save_checkpoints(made.Count)
        module.write_text(source.replace("STEP = 1", "STEP = 2") + "# a longer file\n")
        importlib.invalidate_caches()
        reloaded = importlib.reload(made)
        answer, _, warned = _starts(filled, reloaded.Count)
        assert (answer, warned) == (_fresh(filled, reloaded.Count), [])


class _Boom:
    """Pickles as a call that would leave a file behind if loading ran it."""

    target: ClassVar[str] = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(self.target),))


class _Opens:
    """Pickles as ``open(target, "w")``: a builtin, named without a dot."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (_Boom.target, "w"))


def _forged(saved: SavedState, payload: object, *, key: bytes | None = None) -> SavedState:
    """``saved`` holding ``payload`` instead, signed with ``key`` (default: a
    SHA-256 digest of the bytes, as someone without the key would write it)."""
    blob = pickle.dumps(payload, protocol=5)
    forged = saved._replace(blob=blob)
    if key is None:
        return forged._replace(digest=hashlib.sha256(blob).hexdigest())
    return forged._replace(digest=_saved._mac(key, forged))


PAYLOADS: Final = (_Boom(), _Opens(), ("x", [_Opens()]), {"__import__": print})


def test_a_state_not_signed_with_the_key_never_reaches_the_unpickler(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who can write to the store, but does not hold the key, writes a
    pickle that calls a function: it is refused unread (nothing is touched), with a
    warning, and the view is folded. So is a state saved under another key."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    touched = tmp_path / "touched"
    _Boom.target = str(touched)

    def unread(*_: object) -> None:
        raise AssertionError("a state not signed with the key reached the unpickler")

    monkeypatch.setattr(_saved._Loader, "load", unread)
    for payload in PAYLOADS:
        _put(filled, _forged(saved, payload))
        answer, starts, warned = _starts(filled, ActiveCommitments)
        assert not touched.exists()
        assert starts == [1]
        assert answer == _fresh(filled, ActiveCommitments)
        assert len(warned) == 1, payload
        assert "not saved with this process's key" in warned[0]
    monkeypatch.undo()
    _put(filled, saved)
    monkeypatch.setenv(_saved.KEY_VARIABLE, "another key")
    _, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert len(warned) == 1
    assert "CONFLICT_TIMELINE_STATE_KEY" in warned[0]


def test_even_a_signed_forged_state_runs_no_code(filled: Path, tmp_path: Path) -> None:
    """The loader is the second line: a pickle that calls a function, signed with the
    key (a key holder's mistake), is refused before the call, with a warning."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    touched = tmp_path / "touched"
    _Boom.target = str(touched)
    key = _saved.state_key()
    assert key is not None
    for payload in PAYLOADS:
        _put(filled, _forged(saved, payload, key=key))
        answer, starts, warned = _starts(filled, ActiveCommitments)
        assert not touched.exists()
        assert starts == [1]
        assert answer == _fresh(filled, ActiveCommitments)
        assert len(warned) == 1, payload
        assert "not allowed in a view state" in warned[0] or "not a saved view state" in warned[0]


def test_the_key_file_is_made_on_the_first_save_readable_by_its_owner_only(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "state" / "conflict_timeline" / "state.key"
    assert _saved.state_key() is None
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(path.read_bytes()) == 64
    assert _starts(filled, ActiveCommitments)[1:] == ([], [])
    path.write_text("0" * 64)  # another key: the state is not used
    _, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert len(warned) == 1


_CHAIN: Final = pickle.dumps((None, []), protocol=5)  # one state: None
_NO_INDEX: Final = pickle.dumps(None, protocol=5)


@pytest.mark.parametrize(
    "payload",
    [
        {"a": 1},
        (_saved._FORMAT, 0, [0], _NO_INDEX, _CHAIN, 0),  # the head is not the saved one
        (_saved._FORMAT, None, [0], {}, _CHAIN, 0),  # the index is not bytes
        (_saved._FORMAT, None, [0], _NO_INDEX, pickle.dumps(("no",)), 0),  # no chain
        (_saved._FORMAT, None, [0, 1], _NO_INDEX, _CHAIN, 0),  # a state missing
        (_saved._FORMAT, None, [0], _NO_INDEX, pickle.dumps((None, [("a", "b")])), 0),
        (_saved._FORMAT, None, [0, 0], _NO_INDEX, pickle.dumps((None, [_saved._SAME])), 0),
        (_saved._FORMAT, None, [0], _NO_INDEX, _CHAIN, -1),  # a count of logs below 0
        ("another-format", None, [0], _NO_INDEX, _CHAIN, 0),
    ],
)
def test_a_state_of_the_wrong_shape_is_not_used(filled: Path, payload: Any) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    if isinstance(payload, tuple) and payload[1] is None:
        payload = (payload[0], saved.head, *payload[2:])
    key = _saved.state_key()
    assert key is not None
    _put(filled, _forged(saved, payload, key=key))
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(filled, ActiveCommitments)
    assert len(warned) == 1


KEY_TC: Final = "conflict_timeline.views.commitments:TriggeredCommitments"


def test_an_open_question_reads_neither_the_index_nor_the_attack_log(filled: Path) -> None:
    """Answered at the head from a saved state, the view's open question reads
    neither the index of the records nor the state's attack log (most of what the
    state holds); the first question that folds reads both, and answers as a fold
    of the records does."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(TriggeredCommitments)
        at = tl.state(TriggeredCommitments)
    when = "2020-10-10"  # inside the records
    store = SQLiteStore(filled, read_only=True)
    starts = _spied(store)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        tl = Timeline(store)
        assert tl.state(TriggeredCommitments) == at
        engine = tl._engine(TriggeredCommitments)
        assert engine._deferred is not None
        assert engine._tip is not None
        assert engine._tip[1].log.pending
        dated = tl.state(TriggeredCommitments, at=when)
        assert engine._deferred is None
        assert not engine._tip[1].log.pending
        assert starts == []
        tl.close()
    with Timeline.open(filled, read_only=True, saved_checkpoints=False) as fresh:
        assert dated == fresh.state(TriggeredCommitments, at=when)


def _parts(saved: SavedState) -> list[Any]:
    return list(_saved._Loader(io.BytesIO(saved.blob)).load())


def _damaged(path: Path, view: str, damage: Callable[[list[Any]], None]) -> SavedState:
    """Damage the parts of ``view``'s saved state in ``path`` and sign it again with
    the key (a bug of the saving code, not a forgery); the state as it was."""
    saved = _saved_row(path, view)
    parts = _parts(saved)
    damage(parts)
    key = _saved.state_key()
    assert key is not None
    _put(path, _forged(saved, tuple(parts), key=key))
    return saved


def _logs_not_logs(parts: list[Any]) -> None:
    parts[4] = parts[4] + pickle.dumps(["not", "a log"], protocol=5)
    parts[5] += 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda parts: parts.__setitem__(3, pickle.dumps(None, protocol=5)),  # no index
        lambda parts: parts.__setitem__(3, b"\x80\x05not a pickle"),
        lambda parts: parts.__setitem__(5, parts[5] + 1),  # a log more than it holds
        _logs_not_logs,  # the parts of a log are not
    ],
)
def test_a_damaged_index_or_log_is_found_when_read_and_the_view_folded(
    filled: Path, damage: Callable[[list[Any]], None]
) -> None:
    """An index or attack log that cannot be read back (a signed state with a
    damaged part: a bug of the saving code) is found when a question first needs
    it: that question warns and is answered from the records, as is every later one."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(TriggeredCommitments)
    saved = _damaged(filled, KEY_TC, damage)
    with Timeline.open(filled, read_only=True, saved_checkpoints=False) as fresh:
        expected = [fresh.state(TriggeredCommitments, at=at) for at in (None, "2020-10-10")]
        appended = fresh.head
    store = SQLiteStore(filled, read_only=True)
    starts = _spied(store)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tl = Timeline(store)
        answers = [tl.state(TriggeredCommitments, at=at) for at in (None, "2020-10-10")]
        tl.close()
    warned = [str(w.message) for w in caught if w.category is CheckpointWarning]
    assert answers == expected
    assert len(warned) == 1
    assert "could not be read" in warned[0]
    assert starts == [1]  # read again from the first record
    assert appended == saved.head


KEY_RV: Final = "conflict_timeline.views.violations:ReportedViolations"


@pytest.mark.parametrize("damage", [_logs_not_logs, lambda parts: parts.__setitem__(5, 9)])
def test_a_filtered_open_question_that_meets_a_damaged_log_folds_instead(
    filled: Path, damage: Callable[[list[Any]], None]
) -> None:
    """An open question with filters may read `ReportedViolations`' attack log before
    any question has read the index: a log that cannot be read back then makes that
    question warn and fold the records, as a question at a date would, and every
    later question (an append, a save) goes on from the records without a warning."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ReportedViolations)
    _damaged(filled, KEY_RV, damage)
    questions: list[dict[str, Any]] = [{"basis": "alleged"}, {"place": "nagorno-karabakh"}, {}]
    with Timeline.open(filled, read_only=True, saved_checkpoints=False) as fresh:
        expected = [fresh.state(ReportedViolations, **q) for q in questions]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with Timeline.open(filled) as tl:
            answers = [tl.state(ReportedViolations, **q) for q in questions]
            tl.save_checkpoints(ReportedViolations)  # saved again, from the fold
    warned = [str(w.message) for w in caught if w.category is CheckpointWarning]
    assert answers == expected
    assert len(warned) == 1
    assert "could not be read" in warned[0]
    answer, starts, again = _starts(filled, ReportedViolations)
    assert (answer, starts, again) == (expected[-1], [], [])


def test_saving_over_a_damaged_index_warns_and_saves_from_the_records(filled: Path) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(TriggeredCommitments)
    _damaged(filled, KEY_TC, lambda parts: parts.__setitem__(3, pickle.dumps(None, protocol=5)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with Timeline.open(filled) as tl:
            tl.save_checkpoints(TriggeredCommitments)
    assert [w.category for w in caught] == [CheckpointWarning]
    answer, starts, warned = _starts(filled, TriggeredCommitments)
    assert (answer, starts, warned) == (_fresh(filled, TriggeredCommitments), [], [])


def test_the_loader_builds_dates_enums_and_maps_and_refuses_builtins() -> None:
    import pendulum

    from conflict_timeline import CasualtyMeasure, TimeExtent

    fine = [
        pendulum.datetime(2023, 5, 22, 21, 45, tz="Africa/Khartoum"),
        pendulum.parse("2023-05-22T21:45+03:00"),
        list(CasualtyMeasure),
        TimeExtent.parse("2023-05"),
    ]
    assert _saved._Loader(io.BytesIO(pickle.dumps(fine, protocol=5))).load() == fine
    for name in ("eval", "exec", "open", "__import__", "getattr"):
        # The opcodes of a pickle that names builtins.<name> (protocol 5, no frame).
        blob = b"\x80\x05\x8c\x08builtins\x94\x8c%c%s\x94\x93." % (len(name), name.encode())
        if name == "getattr":  # the stand-in: only enum members and zone loaders
            loaded = _saved._Loader(io.BytesIO(blob)).load()
            with pytest.raises(pickle.UnpicklingError, match="not allowed"):
                loaded(sys, "exit")
            with pytest.raises(pickle.UnpicklingError, match="not allowed"):
                loaded(CheckpointWarning, "__init__")
            continue
        with pytest.raises(pickle.UnpicklingError, match="not allowed"):
            _saved._Loader(io.BytesIO(blob)).load()
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        _saved._Loader(io.BytesIO(pickle.dumps(SQLiteStore, protocol=5))).load()
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        _saved._Loader(io.BytesIO(pickle.dumps(Timeline, protocol=5))).load()


def test_saving_refuses_what_cannot_be_saved(filled: Path, tmp_path: Path) -> None:
    with Timeline.open(filled, read_only=True) as tl, pytest.raises(StoreError, match="read-only"):
        tl.save_checkpoints(ActiveCommitments)
    with Timeline.open(filled) as tl:
        with pytest.raises(QueryError, match="only a view class's state is saved"):
            tl.save_checkpoints(ActiveCommitments())
        nowhere = type("Nowhere", (View,), {
            "initial": lambda self: 0,
            "apply": lambda self, s, r: s,
            "result": lambda self, s, q: s,
            "__module__": "a_module_that_was_never_imported",
        })  # fmt: skip
        with pytest.raises(QueryError, match="cannot tell the version of its code"):
            tl.save_checkpoints(nowhere)
    assert Timeline().save_checkpoints(ActiveCommitments)  # the memory store keeps them


def test_forget_checkpoints(filled: Path) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments, TriggeredCommitments)
        assert tl.forget_checkpoints() == 2
        assert tl.forget_checkpoints() == 0
    _, starts, warned = _starts(filled, ActiveCommitments)
    assert (starts, warned) == ([1], [])


def test_a_file_without_saved_states_reads_as_before(filled: Path) -> None:
    """Files written before saved states existed have no tables for them: they open
    read-only and answer, and the first save creates the tables."""
    db = sqlite3.connect(filled)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "view_states" not in names
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert (starts, warned) == ([1], [])
    assert answer == _fresh(filled, ActiveCommitments)


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conflict_timeline", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_checkpoint_command_saves_lists_and_forgets(filled: Path) -> None:
    before = _cli("state", filled, "--view", "triggered-commitments", "--format", "json")
    assert before.returncode == 0, before.stderr
    saved = _cli("checkpoint", filled)
    assert saved.returncode == 0, saved.stderr
    lines = saved.stdout.splitlines()
    assert "saved conflict_timeline.views.commitments:TriggeredCommitments" in saved.stdout
    assert "saved conflict_timeline.views.violations:ReportedViolations" in saved.stdout
    assert lines[-1].startswith("9 view state(s) saved at position ")
    after = _cli("state", filled, "--view", "triggered-commitments", "--format", "json")
    assert after.stdout == before.stdout
    _, starts, warned = _starts(filled, TriggeredCommitments)
    assert (starts, warned) == ([], [])

    one = _cli("checkpoint", filled, "--view", "reported-violations")
    assert one.returncode == 0, one.stderr
    assert one.stdout.splitlines()[-1].startswith("1 view state(s) saved")
    forgot = _cli("checkpoint", filled, "--forget")
    # Nine views' states, and the answer ReportedViolations saves beside its own.
    assert forgot.stdout == "dropped 10 saved view state(s) and answer(s)\n"
    _, starts, _ = _starts(filled, TriggeredCommitments)
    assert starts == [1]

    unknown = _cli("checkpoint", filled, "--view", "no-such-view")
    assert unknown.returncode == 2
    assert "no-such-view" in unknown.stderr
    missing = _cli("checkpoint", filled.with_name("missing.db"))
    assert missing.returncode != 0
    assert "no such timeline file" in missing.stderr
    assert not filled.with_name("missing.db").exists()


def test_the_command_line_shows_a_state_saved_with_another_key_as_one_warning_line(
    filled: Path,
) -> None:
    """docs/howto/cli.md: a warning is one line, ``conflict-timeline: warning: ...``.
    A teammate's states (saved with another key) are not used, and each view says so
    on one line: not Python's form of a warning (the library's file and line, then
    that line of its source), two lines for each view."""
    assert _cli("checkpoint", filled).returncode == 0
    other = {**os.environ, "CONFLICT_TIMELINE_STATE_KEY": "a teammate's key"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conflict_timeline",
            "state",
            str(filled),
            "--view",
            "active-commitments",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=other,
    )
    assert done.returncode == 0, done.stderr
    view = "conflict_timeline.views.commitments:ActiveCommitments"
    lines = done.stderr.splitlines()
    assert lines, "no warning that the saved state was not used"
    assert all(line.startswith("conflict-timeline: warning: ") for line in lines), lines
    assert any(
        line.startswith(f"conflict-timeline: warning: the saved state of view {view} ")
        and "not saved with this process's key" in line
        for line in lines
    ), lines


@attrs.frozen
class _Folded:
    """A state of the shape views keep: persistent maps, a nested state, a plain value."""

    seen: immutables.Map[str, int] = immutables.Map()
    inner: Any = None
    count: int = 0


class _FoldedTuple(NamedTuple):
    """The same shape as a named tuple (as `TriggeredCommitments` keeps its state)."""

    seen: immutables.Map[str, int] = immutables.Map()
    inner: Any = None
    count: int = 0


def _evolved(state: Any, **changes: Any) -> Any:
    if isinstance(state, tuple):
        return state._replace(**changes)
    return attrs.evolve(state, **changes)


_steps = st.lists(
    st.tuples(
        st.sampled_from(("set", "drop", "nest", "count", "keep")),
        st.text("abcde", max_size=2),
        st.integers(0, 3),
    ),
    max_size=40,
)


@given(steps=_steps, every=st.integers(1, 5), shape=st.sampled_from((_Folded, _FoldedTuple)))
def test_checkpoints_written_as_deltas_read_back_as_the_states(
    steps: list[tuple[str, str, int]], every: int, shape: type[Any]
) -> None:
    """A saved state writes its checkpoints as the first state and what changed from
    each to the next (entries set and keys removed in maps, fields of attrs states
    and named tuples followed down); read back, they are equal to the states, field
    for field, and of the same classes."""
    state = shape()
    states = [state]
    for index, (op, key, value) in enumerate(steps):
        if op == "set":
            state = _evolved(state, seen=state.seen.set(key, value))
        elif op == "drop" and key in state.seen:
            state = _evolved(state, seen=state.seen.delete(key))
        elif op == "nest":
            inner = state.inner if isinstance(state.inner, shape) else shape()
            state = _evolved(state, inner=_evolved(inner, seen=inner.seen.set(key, value)))
        elif op == "count":
            state = _evolved(state, count=state.count + value)
        if index % every == 0:
            states.append(state)
    states.append(state)
    base, deltas = _saved._chain(states)
    blob = pickle.dumps((base, deltas), protocol=5)
    back = _saved._unchain(*_saved._Loader(io.BytesIO(blob), __name__).load())
    assert back == states
    assert [type(s) for s in back] == [type(s) for s in states]
    assert [dict(s.seen) for s in back] == [dict(s.seen) for s in states]


def test_a_first_question_inside_an_append_starts_from_the_saved_state(filled: Path) -> None:
    """A question asked while an append is under way (from the records an
    ``append_stream`` is being fed) reads the saved state in the append's own
    transaction, instead of failing to start another."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    extra = _records()[-1]
    with Timeline.open(filled) as tl, warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        seen: list[Any] = []

        def fed() -> Iterator[Any]:
            seen.append(tl.state(ActiveCommitments))
            yield extra

        tl.append_stream(fed())
    assert seen == [_fresh(filled, ActiveCommitments)]


class _Odd:
    """A plain class (not attrs, not a named tuple, not an enum): a saved state may
    not hold it, even from the view's own module."""

    def __init__(self, n: int) -> None:
        self.n = n


class OddView(View[Any, int]):
    def initial(self) -> Any:
        return (_Odd(0), fractions.Fraction(1, 3))

    def apply(self, state: Any, recorded: Any) -> Any:
        return state

    def result(self, state: Any, query: Any) -> int:
        return 0


def test_a_state_the_loader_would_refuse_is_not_saved(filled: Path) -> None:
    """Saving checks that the loader will build every class the state names, and
    names those it would not: nothing is saved that every later open would reject."""
    with Timeline.open(filled) as tl:
        with pytest.raises(QueryError, match=r"fractions\.Fraction") as e:
            tl.save_checkpoints(OddView)
        assert "its state was not saved (saved before it: none)" in str(e.value)
        assert tl.store.load_state(_saved.view_key(OddView)) is None  # type: ignore[attr-defined]


def test_a_view_whose_state_cannot_be_saved_is_skipped_or_named_with_those_saved_before(
    filled: Path,
) -> None:
    """checkpoints.md: given by name, a view whose state cannot be saved stops the call
    with a QueryError naming the views saved before it, which are kept; given none, it
    is skipped with a CheckpointWarning and every other registered view is saved."""
    with Timeline.open(filled) as tl:
        store = tl.store
        assert isinstance(store, StateKeeper)
        with pytest.raises(QueryError) as e:
            tl.save_checkpoints(ActiveCommitments, OddView, OpenRequests)
        active, odd = _saved.view_key(ActiveCommitments), _saved.view_key(OddView)
        requests = _saved.view_key(OpenRequests)
        assert str(e.value).endswith(f"its state was not saved (saved before it: {active})")
        assert store.load_state(active) is not None  # type: ignore[arg-type]
        assert store.load_state(odd) is None  # type: ignore[arg-type]
        assert store.load_state(requests) is None  # type: ignore[arg-type]  # after it
        tl.forget_checkpoints()
        views.register_view("odd-view-unsaveable", OddView)
        try:
            with pytest.warns(CheckpointWarning, match=r"fractions\.Fraction") as warned:
                saved = tl.save_checkpoints()
        finally:
            views.unregister_view("odd-view-unsaveable")
        assert [str(w.message) for w in warned if w.category is CheckpointWarning] == [
            str(e.value).removesuffix(f" (saved before it: {active})")
        ]
        builtin = {
            _saved.view_key(view)
            for view in map(views.get_view, views.view_names())
            if view.__module__.startswith("conflict_timeline.")  # not other tests' views
        }
        assert odd not in saved
        assert builtin <= set(saved)
        assert all(store.load_state(key) is not None for key in builtin)  # type: ignore[arg-type]


def test_a_view_of_a_script_run_as_main_is_told_why_its_state_is_not_saved(
    tmp_path: Path,
) -> None:
    # Its own attrs class sits in __main__, which no other process imports the same
    # way: the refusal says so and what to do, not only that the class is refused.
    script = tmp_path / "myscript.py"
    script.write_text(
        textwrap.dedent(
            """
            import attrs
            from conflict_timeline import ActorDefined, QueryError, Timeline, View

            @attrs.frozen
            class Tally:
                n: int = 0

            class Tallies(View):
                def initial(self):
                    return Tally()
                def apply(self, state, recorded):
                    return Tally(state.n + 1)
                def result(self, state, query):
                    return state.n

            with Timeline.open("t.db") as timeline:
                timeline.append(ActorDefined(id="a", name="A", actor_kind="state"))
                try:
                    timeline.save_checkpoints(Tallies)
                except QueryError as exc:
                    print(exc)
            """
        ),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=True,
    ).stdout  # fmt: skip
    assert "__main__.Tally" in out
    assert "a view defined in a script run as __main__" in out
    assert "define it in a module and import it" in out


def test_the_signature_covers_what_the_state_says_as_well_as_its_bytes(filled: Path) -> None:
    """A state signed for one view, moved under another's name (or another head, code
    or chain hash), is not used: the signature covers the whole row, not only its
    bytes."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments, "commitment-history")
    mine = _saved_row(filled)
    other = _saved_row(filled, "conflict_timeline.views.commitments:CommitmentHistory")
    # Its bytes and signature under AC's name and code digest (else the code check
    # would ignore it first, quietly).
    _put(filled, other._replace(view=KEY_AC, code=mine.code))
    _, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert len(warned) == 1
    assert "not saved with this process's key" in warned[0]
    with Timeline.open(filled, saved_checkpoints=False) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    for changed in (
        saved._replace(head=saved.head - 1),
        saved._replace(code="0" * 64),
        saved._replace(chain="f" * 64),
    ):
        _put(filled, changed)
        _, starts, warned = _starts(filled, ActiveCommitments)
        assert starts == [1]
        assert len(warned) == (0 if changed.code != saved.code else 1)  # code: quiet


def test_the_key_variable_wins_and_each_key_file_is_random(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    keys = []
    for home in ("one", "two"):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / home))
        key = _saved.state_key(create=True)
        assert key is not None
        assert len(bytes.fromhex(key.decode())) == 32
        keys.append(key)
    assert keys[0] != keys[1]
    monkeypatch.setenv(_saved.KEY_VARIABLE, "")  # set but empty: the file
    assert _saved.state_key() == keys[1]
    monkeypatch.setenv(_saved.KEY_VARIABLE, "the team's key")
    assert _saved.state_key() == b"the team's key"


def test_verify_does_not_look_at_saved_states(filled: Path) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    _put(filled, saved._replace(blob=b"damaged"))
    with Timeline.open(filled, read_only=True) as tl:
        assert tl.verify().ok


def test_a_save_after_a_restore_folds_only_the_new_records(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    records = _records()
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records[:-1], strict=False)
        head = tl.head
        tl.save_checkpoints(ActiveCommitments)
    store = SQLiteStore(path, clock=fixed_clock)
    starts = _spied(store)
    with Timeline(store) as tl:
        tl.append(records[-1])
        tl.save_checkpoints(ActiveCommitments)
    assert starts == [head + 1]
    assert _starts(path, ActiveCommitments) == (_fresh(path, ActiveCommitments), [], [])


def test_at_most_32_checkpoints_are_kept_spread_along_the_records(tmp_path: Path) -> None:
    """A fold that kept a checkpoint at every record saves 32 of them, spread evenly
    (the state at the head besides)."""
    records = [
        ActorDefined(id=f"actor-{n}", name=f"Actor {n}", actor_kind="state") for n in range(300)
    ]
    store = MemoryStore(clock=fixed_clock)
    tl = Timeline(store, checkpoint_every=1)
    tl.append(*records)
    tl.state(Gazetteer)
    assert len(tl._engine(Gazetteer).checkpoints) == 300  # the engine's own list
    tl.save_checkpoints(Gazetteer)
    reopened = Timeline(store)
    engine = reopened._engine(Gazetteer)  # started from the saved state
    positions = [p for p, _ in engine.checkpoints]
    assert len(positions) <= 32
    assert max(b - a for a, b in itertools.pairwise([0, *positions, 300])) <= -(-300 // 32) * 2


@pytest.mark.parametrize("shape", [_Folded, _FoldedTuple])
def test_checkpoints_are_written_as_what_changed(shape: type[Any]) -> None:
    """32 states of a growing map cost about what the last one does, not 32 times,
    whether the state is an attrs instance or a named tuple."""
    states = []
    grown: immutables.Map[str, int] = immutables.Map()
    for n in range(32):
        grown = grown.update({f"key-{n}-{i}": i for i in range(100)})
        states.append(shape(seen=grown, count=n))
    whole = len(pickle.dumps(states, protocol=5))
    base, deltas = _saved._chain(states)
    chained = len(pickle.dumps((base, deltas), protocol=5))
    last = len(pickle.dumps(states[-1], protocol=5))
    assert chained < 1.5 * last
    assert whole > 4 * chained


def test_classes_of_other_modules_are_refused_even_signed(filled: Path) -> None:
    """Only the view's own module's data classes load, with this package's: an enum
    or named tuple of any other module is refused, signed or not, and not saved."""
    import signal
    import urllib.parse

    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    key = _saved.state_key()
    assert key is not None
    for payload in (signal.Signals.SIGTERM, urllib.parse.urlsplit("https://example.org")):
        _put(filled, _forged(saved, payload, key=key))
        _, starts, warned = _starts(filled, ActiveCommitments)
        assert starts == [1]
        assert len(warned) == 1
        assert "not allowed in a view state" in warned[0]


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("load_state", "load view state failed: permission denied"),  # a role without rights
        ("chain_hash_at", "read failed: the connection was lost"),
    ],
)
def test_a_store_that_cannot_hand_back_a_state_still_answers(
    filled: Path, method: str, message: str
) -> None:
    """A store error while reading a saved state, or while checking the history it
    covers, is a warning: the view is folded from the records."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    store = SQLiteStore(filled, read_only=True)

    def fail(*_: object) -> None:
        raise StoreError(f"{filled}: {message}")

    setattr(store, method, fail)
    with warnings.catch_warnings(record=True) as caught, Timeline(store) as tl:
        warnings.simplefilter("always")
        assert tl.state(ActiveCommitments) == _fresh(filled, ActiveCommitments)
    (warning,) = [w for w in caught if w.category is CheckpointWarning]
    assert message in str(warning.message)


# ------------------------------------- rules a mutation run of the engine found unpinned


class ReplayOrder(View[tuple[str, ...], tuple[str, ...]]):
    """The ids a fold replays, in order: a state that folded too much or too little
    shows at any date (the built-in views filter their answers by date)."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return (*state, recorded.id)


def test_checkpoints_restored_from_a_saved_state_are_the_states_at_their_places(
    tmp_path: Path,
) -> None:
    """checkpoints.md: the saved checkpoints are spread along replay order, so an
    at-date question resumes near its date, never to a wrong answer: each restored
    checkpoint is the state at its own place."""
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path), checkpoint_every=4) as tl:
        tl.append(*karabakh_oct_2020(), strict=False)
        tl.save_checkpoints(ReplayOrder)
    dates = ("2020-09-27", "2020-10-01", "2020-10-10", "2020-10-20", "2020-11-10")
    with (
        Timeline(SQLiteStore(path), checkpoint_every=4) as saved,
        Timeline(SQLiteStore(path), saved_checkpoints=False) as folded,
    ):
        for at in dates:
            assert saved.state(ReplayOrder, at=at) == folded.state(ReplayOrder, at=at), at


def test_a_signed_state_whose_parts_name_another_head_is_not_used(filled: Path) -> None:
    """checkpoints.md: a saved state is never trusted blindly: one whose own parts say
    it covers another position than its record does (signed with the key: a fault of
    the saving code, not a forgery), all else sound, is not used and says so."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    parts = pickle.loads(saved.blob)  # the test's own saved state
    assert parts[1] == saved.head
    key = _saved.state_key()
    assert key is not None
    _put(filled, _forged(saved, (parts[0], parts[1] - 1, *parts[2:]), key=key))
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert starts == [1]
    assert answer == _fresh(filled, ActiveCommitments)
    assert len(warned) == 1
    assert f"says it covers position {saved.head - 1}" in warned[0]


def test_a_signed_state_whose_index_holds_other_entries_than_it_says_is_not_used(
    filled: Path,
) -> None:
    """checkpoints.md: a saved state whose index cannot be read back as saved (signed
    with the key, its count of entries not the index's) warns and is answered by
    folding, when a question first reads the index."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    saved = _saved_row(filled)
    parts = pickle.loads(saved.blob)  # the test's own saved state
    positions = parts[2]
    moved = (*parts[:2], [*positions[:-1], positions[-1] + 1], *parts[3:])
    key = _saved.state_key()
    assert key is not None
    _put(filled, _forged(saved, moved, key=key))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with Timeline.open(filled, read_only=True) as tl:
            answer = tl.state(ActiveCommitments, at="2020-10-20")
    with Timeline.open(filled, read_only=True, saved_checkpoints=False) as fresh:
        assert answer == fresh.state(ActiveCommitments, at="2020-10-20")
    warned = [str(w.message) for w in caught if w.category is CheckpointWarning]
    assert len(warned) == 1
    assert "entries, not the" in warned[0]
