"""The one pause of CPython's cyclic garbage collector, around bulk work.

Appending, folding and importing many records create a few objects per record,
nearly all long-lived and free of reference cycles. With the collector on, each
generation-2 pass rescans every one of them, which at 100k records costs as much
as the work itself; so bulk work runs with the collector paused.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final

__all__ = ["BULK", "collect_young", "gc_paused"]

BULK: Final = 1_000
"""From this many records, bulk work pauses the cyclic garbage collector."""


@contextlib.contextmanager
def gc_paused(size: int | None = None, *, promote: bool = False) -> Iterator[None]:
    """Pause the cyclic GC around bulk work on ``size`` records (None: unknown, pause).

    Nothing changes when fewer than `BULK` records are involved or when the
    caller has switched the collector off itself (it stays off afterwards).

    ``promote=True`` (for work whose objects outlive it, like a view's checkpoints)
    also moves the objects made meanwhile straight to the oldest generation,
    unscanned (``gc.freeze()`` then ``gc.unfreeze()``), where only a full collection
    looks at them again, instead of leaving them for the next young collection to
    scan once more. Skipped when the process has frozen objects of its own, which
    ``unfreeze`` would release.
    """
    if (size is not None and size < BULK) or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def collect_young() -> None:
    """Collect the young generations now, whether or not the collector is paused.

    A streamed append calls it after each slice it writes: the objects that slice
    was built from are garbage by then, and some sit in reference cycles (a refused
    or skipped row's exception and its traceback), which a paused collector would
    otherwise keep until the end of the import. Survivors move to the oldest
    generation, so each object is looked at no more than twice.
    """
    gc.collect(1)
