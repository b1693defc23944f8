"""Stores: the append-only log, in memory and in SQLite."""

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

__all__ = [
    "GENESIS_HASH",
    "SCHEMA_VERSION",
    "Clock",
    "Dangling",
    "IndexRow",
    "MemoryStore",
    "Recorded",
    "SQLiteStore",
    "Store",
    "StoreBase",
    "Verification",
    "chain_hash",
    "system_clock",
]
