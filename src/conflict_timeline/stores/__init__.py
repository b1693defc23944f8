"""Stores: the append-only, hash-chained log, and the contract a backend fulfils.

The public contract of a storage backend:

* [`Store`][conflict_timeline.stores.Store], the protocol the rest of the library reads and appends
  through;
* [`StoreBase`][conflict_timeline.stores.StoreBase], the abstract base a backend subclasses: it
  holds the store
  rules (idempotency, concurrency, references, the hash chain, ``verify()``) and
  declares, as abstract methods, the hooks a backend writes (see
  [`StoreBase`][conflict_timeline.stores.StoreBase] and the how-to "Write a store backend");
* the values that cross that line: [`Recorded`][conflict_timeline.stores.Recorded] (an envelope),
  [`Prepared`][conflict_timeline.stores.Prepared]
  (a record ready to write), [`IndexRow`][conflict_timeline.stores.IndexRow],
  [`StoredRow`][conflict_timeline.stores.StoredRow] and
  [`Problem`][conflict_timeline.stores.Problem] (what ``verify()`` walks),
  [`Verification`][conflict_timeline.stores.Verification],
  [`Dangling`][conflict_timeline.stores.Dangling], `Clock`,
  [`system_clock`][conflict_timeline.stores.system_clock],
  [`chain_hash`][conflict_timeline.stores.chain_hash],
  `GENESIS_HASH` and `EXPECTED_KIND`;
* what a backend may also offer: [`PayloadReader`][conflict_timeline.stores.PayloadReader]
  (payloads handed out undecoded, for views that fold glimpses) and
  [`StateKeeper`][conflict_timeline.stores.StateKeeper] (saved view states, each a
  [`SavedState`][conflict_timeline.stores.SavedState]);
* the built-in backends, [`MemoryStore`][conflict_timeline.stores.MemoryStore],
  [`SQLiteStore`][conflict_timeline.stores.SQLiteStore] (its files' schema version is
  `SCHEMA_VERSION`) and (with the ``postgres`` extra, imported on first use)
  `PostgresStore`;
* the registry that picks a backend by URL scheme (an `Opener` per scheme):
  [`open_store`][conflict_timeline.stores.open_store],
  [`register_backend`][conflict_timeline.stores.register_backend],
  [`backends`][conflict_timeline.stores.backends], and the entry-point group
  `ENTRY_POINT_GROUP` (``conflict_timeline.stores``).

Check a backend with ``conflict_timeline.testing.StoreConformance``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import (
    EXPECTED_KIND,
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    PayloadReader,
    Prepared,
    Problem,
    Recorded,
    SavedState,
    StateKeeper,
    Store,
    StoreBase,
    StoredRow,
    Verification,
    chain_hash,
    system_clock,
)
from ._registry import ENTRY_POINT_GROUP, Opener, backends, open_store, register_backend
from .memory import MemoryStore
from .sqlite import SCHEMA_VERSION, SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore

__all__ = [
    "ENTRY_POINT_GROUP",
    "EXPECTED_KIND",
    "GENESIS_HASH",
    "SCHEMA_VERSION",
    "Clock",
    "Dangling",
    "IndexRow",
    "MemoryStore",
    "Opener",
    "PayloadReader",
    "PostgresStore",
    "Prepared",
    "Problem",
    "Recorded",
    "SQLiteStore",
    "SavedState",
    "StateKeeper",
    "Store",
    "StoreBase",
    "StoredRow",
    "Verification",
    "backends",
    "chain_hash",
    "open_store",
    "register_backend",
    "system_clock",
]


def __getattr__(name: str) -> Any:
    # PostgresStore needs psycopg (the ``postgres`` extra): imported on first use, so
    # that ``import conflict_timeline`` works without it; without it, the import
    # raises MissingExtraError saying what to install.
    if name == "PostgresStore":
        from .postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
