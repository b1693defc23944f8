"""Stores: the append-only log, in memory, in SQLite and (with the ``postgres`` extra)
in PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import (
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Recorded,
    Store,
    StoreBase,
    Verification,
    chain_hash,
    system_clock,
)
from .memory import MemoryStore
from .sqlite import SCHEMA_VERSION, SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore

__all__ = [
    "GENESIS_HASH",
    "SCHEMA_VERSION",
    "Clock",
    "Dangling",
    "IndexRow",
    "MemoryStore",
    "PostgresStore",
    "Recorded",
    "SQLiteStore",
    "Store",
    "StoreBase",
    "Verification",
    "chain_hash",
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
