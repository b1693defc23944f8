"""Stores: the append-only, hash-chained log, and the contract a backend fulfils.

The public contract of a storage backend:

* :class:`Store`, the protocol the rest of the library reads and appends through;
* :class:`StoreBase`, the abstract base a backend subclasses: it holds the store
  rules (idempotency, concurrency, references, the hash chain, ``verify()``) and
  declares, as abstract methods, the hooks a backend writes (see
  :class:`StoreBase` and the how-to "Write a store backend");
* the values that cross that line: :class:`Recorded` (an envelope), :class:`Prepared`
  (a record ready to write), :class:`IndexRow`, :class:`StoredRow` and
  :class:`Problem` (what ``verify()`` walks), :class:`Verification`,
  :class:`Dangling`, :data:`Clock`, :func:`system_clock`, :func:`chain_hash`,
  :data:`GENESIS_HASH` and :data:`EXPECTED_KIND`;
* the built-in backends, :class:`MemoryStore`, :class:`SQLiteStore` and (with the
  ``postgres`` extra, imported on first use) :class:`PostgresStore`;
* the registry that picks a backend by URL scheme: :func:`open_store`,
  :func:`register_backend`, :func:`backends`, and the entry-point group
  :data:`ENTRY_POINT_GROUP` (``conflict_timeline.stores``).

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
    Prepared,
    Problem,
    Recorded,
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
    "PostgresStore",
    "Prepared",
    "Problem",
    "Recorded",
    "SQLiteStore",
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
