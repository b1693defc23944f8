"""One group of entry points, each loaded once, with no lock held while a plugin runs.

The registries of importers (``conflict_timeline.importers``) and of views
(``conflict_timeline.views``) read a package's plugins from its entry points the
first time they are asked for a name they lack or for every name. Both use
`EntryPoints`, which keeps three rules:

- **No lock is held while a plugin's code runs.** Loading an entry point imports
  its module, and a plugin's module often calls the registry at import
  (``register(...)``, ``view_names()``). A registry that held a lock while importing
  deadlocked when another thread was importing that module itself: each waited for
  the other. Here a lock is held only to read and write the bookkeeping.
- **Every thread that needs the plugins loads the ones not loaded yet itself**, so
  none waits for another's loading; Python's import lock makes the import of one
  module happen once, whichever threads ask for it. Two threads may take the same
  entry point; a registry's ``take`` keeps the first (registering the same object
  again does nothing).
- **A module being imported in this thread is left for later**, not called
  broken: a plugin that lists the registry while its own module runs finds its own
  entry point unloadable yet (its attribute is not defined so far); a later look
  loads it. A plugin that fails to load for any other reason is warned of once, and
  its reason kept (`broken`).
"""

from __future__ import annotations

import importlib.metadata
import sys
import threading
import warnings
from collections.abc import Callable, Iterable
from typing import Any, Protocol

__all__ = ["EntryPoints", "Point"]


class Point(Protocol):
    """What `EntryPoints` needs of an entry point (`importlib.metadata.EntryPoint`)."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> Any: ...


class EntryPoints:
    """The entry points of ``group``, handed to ``take`` one by one as they load.

    ``take(name, loaded)`` puts what an entry point names into the registry and
    raises to refuse it (then warned of with ``warning(point, error)`` and kept in
    `broken`). ``points()`` lists the group's entry points (by default from the
    installed packages, read afresh at each `load` that is not `done`).
    """

    def __init__(
        self,
        group: str,
        take: Callable[[str, Any], None],
        warning: Callable[[Point, Exception], str],
        *,
        points: Callable[[], Iterable[Point]] | None = None,
    ) -> None:
        self.group = group
        self._take = take
        self._warning = warning
        self._points = points or self._installed
        self._lock = threading.Lock()
        self._loaded: set[str] = set()
        self._broken: dict[str, str] = {}
        self.done = False
        """Every entry point is loaded or broken (set by the first `load` that
        leaves none for later)."""

    def _installed(self) -> Iterable[Point]:
        return importlib.metadata.entry_points(group=self.group)

    def load(self) -> None:
        """Load, in this thread, each entry point neither loaded nor broken yet."""
        if self.done:
            return
        later = False
        for point in self._points():
            with self._lock:
                if point.name in self._loaded or point.name in self._broken:
                    continue
            try:
                self._take(point.name, point.load())
            except Exception as exc:  # a third party's package; keep the rest usable
                if _importing(point):
                    # Its module's code is running (in this thread, or in one whose
                    # import waits on this one's): not broken, only not ready yet.
                    later = True
                    continue
                with self._lock:
                    first = point.name not in self._broken
                    self._broken[point.name] = f"{type(exc).__name__}: {exc}"
                if first:
                    warnings.warn(self._warning(point, exc), RuntimeWarning, stacklevel=4)
                continue
            with self._lock:
                self._loaded.add(point.name)
        if not later:
            self.done = True

    def broken(self, name: str) -> str | None:
        """Why the entry point ``name`` could not be loaded, or None."""
        with self._lock:
            return self._broken.get(name)

    def forget(self) -> None:
        """Load every entry point again at the next `load` (after installing a
        package), the broken ones too."""
        with self._lock:
            self._loaded.clear()
            self._broken.clear()
            self.done = False


def _importing(point: Point) -> bool:
    """Is the module ``point`` names still being imported (its code running now)?"""
    module = sys.modules.get(point.value.partition(":")[0].strip())
    spec = getattr(module, "__spec__", None)
    return bool(getattr(spec, "_initializing", False))
