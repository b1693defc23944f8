"""MemoryStore passes the shipped store conformance suite."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from conflict_timeline import MemoryStore, SQLiteStore, Store, StoreError, from_json
from conflict_timeline._conformance import _actor, _attack, _small
from conflict_timeline.stores import Clock
from conflict_timeline.stores._base import Prepared
from conflict_timeline.testing import StoreConformance


class MemoryConformance(StoreConformance):
    """The suite on a `MemoryStore` (or a subclass: ``store_class``), with the hooks
    that reach into its rows; not collected itself (tests/test_conformance_catches.py
    runs it on broken stores)."""

    store_class: type[MemoryStore] = MemoryStore

    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return self.store_class(clock=clock)

    def rewrite(self, store: Store, position: int, payload: bytes, digest: str) -> bool:
        assert isinstance(store, MemoryStore)
        item = store._rows[position - 1]
        record = from_json(payload.decode("utf-8"))
        store._rows[position - 1] = item._replace(record=record, payload=payload, hash=digest)
        return True

    def corrupt(self, store: Store, position: int) -> bool:
        # Reach into the private list of rows: nothing public can change one.
        assert isinstance(store, MemoryStore)
        item = store._rows[position - 1]
        payload = bytearray(item.payload)
        payload[len(payload) // 2] ^= 0x01
        store._rows[position - 1] = item._replace(payload=bytes(payload))
        return True


class TestMemoryStore(MemoryConformance):
    pass


def test_the_suite_imports_without_pytest_or_hypothesis() -> None:
    """Only running the suite needs them: importing it (say, to subclass) does not."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pytest'] = None; sys.modules['hypothesis'] = None\n"
        "from conflict_timeline.testing import StoreConformance\n"
        "print(StoreConformance.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "StoreConformance\n"), done.stderr


# ---------------------------------------------------------------- commit and rollback


class _FailingRefs(dict[str, list[int]]):
    """The store's reference index, raising an interrupt on its ``after``-th insert."""

    def __init__(self, original: dict[str, list[int]], after: int) -> None:
        super().__init__(original)
        self.calls = 0
        self.after = after

    def setdefault(self, key: str, default: list[int] | None = None) -> list[int]:
        self.calls += 1
        if self.calls == self.after:
            raise KeyboardInterrupt
        return super().setdefault(key, default if default is not None else [])


def test_an_interrupt_while_committing_leaves_the_store_as_it_was() -> None:
    """Indexing the rows of a commit can still fail (an interrupt, MemoryError):
    the rows already applied are taken back, and the interrupt is what is raised."""
    store = MemoryStore()
    store._SLICE = 2
    small = _small()
    store.append(small[:4])
    before = list(store.read())
    refs_before = {ref: list(positions) for ref, positions in store._refs.items()}
    store._refs = _FailingRefs(store._refs, after=3)
    batch = [*small[4:], _actor("east"), _attack("raid-9", perpetrator="east", place="hilltown")]
    with pytest.raises(KeyboardInterrupt):
        store.append(batch)
    assert list(store.read()) == before
    assert store.get("raid-1") is None
    assert store.get("east") is None
    assert dict(store._refs) == refs_before
    assert [r.position for r in store.involving("hilltown")] == [4]
    store._refs = dict(store._refs)
    assert store.append(batch) == (5, 6, 7, 8)  # the lock is free, no position used up
    assert store.verify().ok


def test_a_commit_lands_its_rows_in_one_step() -> None:
    """Readers do not take the lock: they must never see a batch cut at a slice."""

    class Rows(list[Prepared]):
        extended: ClassVar[list[int]] = []

        def extend(self, items: Iterable[Prepared]) -> None:
            items = list(items)
            self.extended.append(len(items))
            super().extend(items)

    store = MemoryStore()
    store._SLICE = 2
    store._rows = Rows()
    assert store.append([_actor(f"group-{i}") for i in range(25)]) == tuple(range(1, 26))
    assert Rows.extended == [25]


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_a_listener_that_comes_during_an_append_hears_it(backend: str, tmp_path: Path) -> None:
    """Another thread may subscribe while a batch is being written: the listener is
    told of that batch once it is committed, read back from the store."""
    store: MemoryStore | SQLiteStore = (
        MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "t.db")
    )
    heard: list[list[int]] = []
    write = store._write

    def write_and_subscribe(batch: Sequence[Prepared]) -> None:
        if not store._listeners:
            store.add_listener(lambda fresh: heard.append([r.position for r in fresh]))
        write(batch)

    store._write = write_and_subscribe  # type: ignore[method-assign]
    assert store.append([_actor("north"), _actor("south")]) == (1, 2)
    assert heard == [[1, 2]]
    store.close()


CLOSED_CALLS: dict[str, Callable[[Store], object]] = {
    "head": lambda store: store.head(),
    "fetch": lambda store: store.fetch([1]),
    "involving": lambda store: list(store.involving("north")),
    "occurred_between": lambda store: list(store.occurred_between(0, 2**62)),
    "index_rows": lambda store: list(store.index_rows()),
    "chain_hash_at": lambda store: store.chain_hash_at(1),  # type: ignore[attr-defined]
    "load_state": lambda store: store.load_state("some view"),  # type: ignore[attr-defined]
}


@pytest.mark.parametrize("call", list(CLOSED_CALLS))
@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_a_closed_store_refuses_every_read(backend: str, call: str, tmp_path: Path) -> None:
    """``close()``: afterwards every call raises StoreError (the store-backend guide),
    the head and the indexed reads as well as ``read`` and ``get``, which the
    conformance suite checks."""
    store: MemoryStore | SQLiteStore = (
        MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "t.db")
    )
    store.append(_small())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        CLOSED_CALLS[call](store)
