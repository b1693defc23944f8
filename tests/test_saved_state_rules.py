"""Rules of saved view states found unpinned by a mutation run over
`views/_saved.py` (docs/testing.md, "The eighth run"): each test fails with the
mutant it was written for."""

from __future__ import annotations

import collections
import gc
import io
import pickle
import signal
import sys
import time
import types
from pathlib import Path
from typing import Any

import immutables
import pendulum
import pytest

import test_saved_checkpoints as kit
from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    CasualtyMeasure,
    CheckpointWarning,
    Gazetteer,
    MemoryStore,
    QueryError,
    Retraction,
    StoreError,
    Timeline,
    View,
)
from conflict_timeline.views import _saved
from test_projection_properties import fixed_clock
from test_saved_checkpoints import KEY_AC, _Folded, _fresh, _starts

filled = kit.filled  # the same timeline file as the saved states' other tests


# G1 _doubt: no key at all in this process
def test_a_process_without_any_key_folds_with_a_warning(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "no-key-here"))
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert (starts, len(warned)) == ([1], 1)
    assert answer == _fresh(filled, ActiveCommitments)


# G2 state_key: the default place, and a folder that is already there
def test_the_key_file_defaults_to_local_state_even_if_its_folder_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / ".local" / "state" / "conflict_timeline"
    folder.mkdir(parents=True)  # the key file was deleted, its folder was not
    key = _saved.state_key(create=True)
    assert key == (folder / "state.key").read_bytes()


# G3 code_version: a module with no source file (a notebook's)
def test_a_view_of_a_module_without_a_file_is_not_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("views_without_a_file")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    view = type("NoFile", (View,), {
        "initial": lambda self: 0,
        "apply": lambda self, s, r: s,
        "result": lambda self, s, q: s,
        "__module__": module.__name__,
    })  # fmt: skip
    assert _saved.code_version(view) is None
    with pytest.raises(QueryError, match="cannot tell the version of its code"):
        Timeline().save_checkpoints(view)


# G4 save/restore: a few checkpoints are all kept, and the head state too
def test_a_few_checkpoints_are_all_kept_with_the_state_at_the_head() -> None:
    store = MemoryStore(clock=fixed_clock)
    tl = Timeline(store, checkpoint_every=1)
    tl.append(*(ActorDefined(id=f"a-{n}", name=f"A {n}", actor_kind="state") for n in range(20)))
    tl.state(Gazetteer)
    engine = tl._engine(Gazetteer)
    count = len(engine.entries)
    kept = [p for p, _ in engine.checkpoints if p < count]
    tl.save_checkpoints(Gazetteer)
    reopened = Timeline(store)._engine(Gazetteer)
    assert [p for p, _ in reopened.checkpoints] == kept
    assert reopened._tip is not None
    assert reopened._tip[0] == count


# G5 _delta: maps whose keys are swapped, values that are None, values that become maps
def test_map_deltas_keep_removals_none_values_and_type_changes() -> None:
    states = [
        _Folded(seen=immutables.Map(a=1)),
        _Folded(seen=immutables.Map(b=1)),  # one key for another
        _Folded(seen=immutables.Map(c=1, d=2)),  # two added, one removed
        _Folded(seen=immutables.Map(e=None)),  # a None value, two removed
        _Folded(inner=immutables.Map(x=1)),  # None becomes a map
        _Folded(inner=None),  # and back
    ]
    back = _saved._unchain(*_saved._chain(states))
    assert back == states
    assert [dict(s.seen) for s in back] == [dict(s.seen) for s in states]


# G6 _Loader.find_class: the builtins a state may name
def test_the_loader_builds_complex_range_and_slice() -> None:
    fine = [1j, range(3), slice(1, 2), frozenset({1}), bytearray(b"x")]
    assert _saved._Loader(io.BytesIO(pickle.dumps(fine, protocol=5))).load() == fine


def _global(module: str, name: str) -> bytes:
    return b"\x80\x05\x8c%c%s\x94\x8c%c%s\x94\x93." % (
        len(module), module.encode(), len(name), name.encode())  # fmt: skip


# G7 _Loader: only data classes defined in allowed modules; getattr only for members
def test_the_loader_refuses_imported_names_functions_and_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine = types.ModuleType("my_view_module")
    mine.Signals = signal.Signals  # type: ignore[attr-defined]  # imported, not defined here
    monkeypatch.setitem(sys.modules, "my_view_module", mine)
    main = sys.modules["__main__"]
    point = collections.namedtuple("Point", "x")
    point.__module__ = "__main__"
    monkeypatch.setattr(main, "Point", point, raising=False)
    for module, name, view_module in [
        ("socket", "array", None),  # not the array module's
        ("conflict_timeline.views._saved", "time", None),  # a module
        ("conflict_timeline.views._saved", "state_key", None),  # a function
        ("my_view_module", "Signals", "my_view_module"),  # another module's enum
        ("__main__", "Point", "__main__"),  # a view of __main__: never its classes
    ]:
        with pytest.raises(pickle.UnpicklingError, match="not allowed"):
            _saved._Loader(io.BytesIO(_global(module, name)), view_module).load()
    stand_in = _saved._Loader(io.BytesIO(_global("builtins", "getattr"))).load()
    member = next(iter(CasualtyMeasure))
    assert stand_in(CasualtyMeasure, member.name) is member  # enums pickled by name
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        stand_in(type(pendulum.timezone("UTC")), "__init__")


# G8 save: saved_at is an int, microseconds, now
def test_saved_at_is_the_time_of_the_save_in_microseconds() -> None:
    store = MemoryStore(clock=fixed_clock)
    tl = Timeline(store)
    tl.append(ActorDefined(id="a", name="A", actor_kind="state"))
    before = time.time_ns() // 1_000
    tl.save_checkpoints(ActiveCommitments)
    after = time.time_ns() // 1_000
    saved_at = store.load_state(KEY_AC).saved_at  # type: ignore[union-attr]
    assert type(saved_at) is int
    assert before <= saved_at <= after


# G9 _package_digest: the package's sources and the Python minor version
def test_the_package_digest_follows_the_sources_and_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(_saved, "_PACKAGE", tmp_path)
    first = _saved._package_digest()
    (tmp_path / "a.py").write_text("x = 2\n")
    assert _saved._package_digest() != first
    digests = set()
    for version in ((3, 11, 7), (3, 12, 7), (4, 11, 7)):
        monkeypatch.setattr(sys, "version_info", version)
        digests.add(_saved._package_digest())
    assert len(digests) == 3


# G10 save: rows a sync read past the head it saw are covered by the saved head
class _Lagging(MemoryStore):
    lag = 0

    def head(self) -> int:
        return super().head() - self.lag


@pytest.mark.parametrize("last", ["record", "retraction"])
def test_a_state_covers_rows_read_past_the_head_the_sync_saw(last: str) -> None:
    store = _Lagging(clock=fixed_clock)
    tl = Timeline(store)
    tl.append(*(ActorDefined(id=f"a-{n}", name=f"A {n}", actor_kind="state") for n in range(3)))
    tl.state(Gazetteer)
    extra: Any = (
        ActorDefined(id="a-9", name="A 9", actor_kind="state")
        if last == "record"
        else Retraction(id="r-1", occurred="2020-11-10", reported="2020-11-10", retracts="a-1")
    )
    store.lag = 1  # the last record is appended between a sync's head() and its rows
    tl.append(ActorDefined(id="a-8", name="A 8", actor_kind="state"), extra)
    tl.state(Gazetteer)
    tl.save_checkpoints(Gazetteer)
    store.lag = 0
    reads: list[int] = []
    rows = store.index_rows
    store.index_rows = lambda *, start=1, kinds=None: (
        reads.append(start)
        or rows(  # type: ignore[method-assign]
            start=start, kinds=kinds
        )
    )
    assert Timeline(store).state(Gazetteer) == Timeline(store, saved_checkpoints=False).state(
        Gazetteer
    )
    assert reads.count(1) == 1
    assert len(reads) == 1


# The restore's objects outlive it: promoted like a fold's (docs/explanation/architecture.md)
def test_a_restored_state_goes_to_the_collectors_oldest_generation(filled: Path) -> None:
    """What a restore builds is the view's index and checkpoints for the rest of the
    process: it goes straight to the collector's oldest generation, unscanned, as a
    fold's checkpoints do, instead of being left in the young generations for the
    next young collections to scan (at 1M records that scan took longer than the load)."""
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    gc.collect()
    with Timeline.open(filled) as tl:
        engine = tl._engine(ActiveCommitments)  # a new engine: restored from the state
        assert engine.head > 0
        assert engine._tip is not None
        kept = [state for _, state in engine.checkpoints] + [engine._tip[1]]
        young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
        assert all(gc.is_tracked(state) for state in kept)
        assert not [state for state in kept if id(state) in young]
        assert id(engine.rows) not in young


# G4 state_key: a key file is never read half made, and an empty one signs nothing
def test_a_key_file_being_made_is_never_read_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process reading the key while the first save makes the file sees no
    key or the whole key, never an empty one (an HMAC under an empty key is one
    anybody can compute: states signed with it would be trusted from anyone)."""
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    seen: list[bytes | None] = []
    token = _saved.secrets.token_hex

    def drawn(size: int) -> str:
        seen.append(_saved.state_key())  # what another process reads meanwhile
        return token(size)

    monkeypatch.setattr(_saved.secrets, "token_hex", drawn)
    key = _saved.state_key(create=True)
    assert key
    assert seen
    assert set(seen) == {None}
    assert _saved.state_key() == key


def test_an_empty_key_file_signs_and_trusts_nothing(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Timeline.open(filled) as tl:
        tl.save_checkpoints(ActiveCommitments)
    monkeypatch.delenv(_saved.KEY_VARIABLE)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    empty = tmp_path / "conflict_timeline" / "state.key"
    empty.parent.mkdir()
    empty.write_bytes(b"\n")
    with (
        Timeline.open(filled) as tl,
        pytest.warns(CheckpointWarning, match="not saved with this process's key"),
        pytest.raises(StoreError, match="key file is empty"),
    ):
        tl.save_checkpoints(ActiveCommitments)
    # A state signed with an empty key (as anyone can sign one) is not used.
    saved = kit._saved_row(filled)
    forged = saved._replace(digest="")
    kit._put(filled, forged._replace(digest=_saved._mac(b"", forged)))
    answer, starts, warned = _starts(filled, ActiveCommitments)
    assert (starts, len(warned)) == ([1], 1)
    assert answer == _fresh(filled, ActiveCommitments)


def test_a_key_file_is_made_where_hard_links_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links the key file is still made whole (put in
    place by a rename), and the key read back is the one saved states are signed by."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv(_saved.KEY_VARIABLE, raising=False)

    def no_links(*_: object) -> None:
        raise PermissionError("hard links are not supported here")

    monkeypatch.setattr(_saved.os, "link", no_links)
    key = _saved.state_key(create=True)
    assert key is not None
    assert len(key) == 64
    assert (tmp_path / "conflict_timeline" / "state.key").read_bytes() == key
    assert _saved.state_key() == key
    assert [p.name for p in (tmp_path / "conflict_timeline").iterdir()] == ["state.key"]
