"""The `Importer` protocol and the registry of importers by name.

An importer knows one dataset: its columns, its date forms, its codes. It reads a
file into an `ImportBatch` (records to append, refused rows, counts) and never
touches a store. The registry finds importers by name for
`Timeline.import_ <conflict_timeline.Timeline.import_>` and the CLI's
``import`` command:

- the built-in ones (``acled``, ``acled-deletions``, ``ucdp``, ``eth-prio``,
  ``ucdp-peace-agreements``, ``pax``);
- those registered with `register`;
- those a package declares in the entry-point group ``conflict_timeline.importers``
  (the entry point names an importer object, or a class called with no arguments),
  loaded the first time the registry is asked; one that fails to load is skipped
  with a `RuntimeWarning` naming it.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Collection
from importlib.metadata import entry_points
from typing import Any, Final, Protocol, runtime_checkable

from .._plugins import EntryPoints, Point
from ..errors import ImportDataError
from ._batch import Existing, ImportBatch
from ._rows import PathOrFile

__all__ = [
    "ENTRY_POINT_GROUP",
    "Importer",
    "get_importer",
    "importer_names",
    "recognising",
    "register",
    "unregister",
]

ENTRY_POINT_GROUP: Final = "conflict_timeline.importers"

_NAME: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
"""An importer's name: lower case, words separated by hyphens, as a view's name is
(``conflict-timeline import NAME`` takes it as typed)."""
_RESERVED: Final = frozenset({"jsonl"})
"""Names no importer may take: ``conflict-timeline import jsonl`` reads this library's
own JSON Lines export itself (`conflict_timeline._cli`), never a registered importer."""

_BUILT_IN: Final = (
    ("acled", "ACLED"),
    ("acled", "ACLED_DELETIONS"),
    ("ucdp", "GED"),
    ("ceasefires", "ETH_PRIO"),
    ("ceasefires", "UCDP_PEACE_AGREEMENTS"),
    ("ceasefires", "PAX"),
)


@runtime_checkable
class Importer(Protocol):
    """What the registry, [`Timeline.import_`][conflict_timeline.Timeline.import_] and the CLI need
    of an importer.

    Attributes:
        name: The name users type (``"acled"``), unique in the registry.
        description: One line for ``--help`` and error messages.
        file_kinds: The file kinds it reads (``("csv", "json", "xlsx", "dta")``; each
            also zipped or compressed).
    """

    name: str
    description: str
    file_kinds: tuple[str, ...]

    def recognises(self, columns: Collection[str]) -> bool:
        """Does a header with these (lower-cased, stripped) column names look like
        this importer's dataset? Used to say which importer a file is for."""
        ...

    def read(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportBatch:
        """Read ``source`` into records and refusals, without touching any store.

        ``existing(id)`` gives the current stored version of a record (see
        ``_batch``). ``options`` are the importer's own (``encoding``,
        ``source_name``...); an option it does not know raises
        [`ImportDataError`][conflict_timeline.errors.ImportDataError] naming it.
        """
        ...


_registered: dict[str, Importer] = {}
_built_in = False  # the built-ins are in
# Held only for a moment, never while a plugin's code runs (see `EntryPoints`).
_lock = threading.Lock()


def _take(name: str, loaded: Any) -> None:
    importer = loaded() if isinstance(loaded, type) else loaded
    _check(importer, f"entry point {name!r}")
    _check_name(importer.name)
    with _lock:
        _registered.setdefault(importer.name, importer)


def _warning(point: Point, exc: Exception) -> str:
    return f"importer entry point {point.name!r} ({point.value}) not loaded: {exc}"


# The group's entry points, read through this module's `entry_points` when loaded.
_ENTRY_POINTS: Final = EntryPoints(
    ENTRY_POINT_GROUP, _take, _warning, points=lambda: entry_points(group=ENTRY_POINT_GROUP)
)


def _load() -> None:
    """Fill the registry: the built-in importers, then the entry points not loaded
    yet (each once)."""
    _load_built_ins()
    _ENTRY_POINTS.load()


def _load_built_ins() -> None:
    global _built_in  # noqa: PLW0603
    if _built_in:
        return
    found = [
        getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
        for module, attribute in _BUILT_IN
    ]
    with _lock:
        for importer in found:
            _registered.setdefault(importer.name, importer)
        _built_in = True


def _check(importer: object, what: str) -> None:
    if not isinstance(importer, Importer) or not isinstance(getattr(importer, "name", None), str):
        msg = (
            f"{what} is not an importer: it needs name, description, file_kinds, "
            "recognises() and read()"
        )
        raise TypeError(msg)


def _check_name(name: str) -> None:
    """Refuse a malformed or reserved importer name (``_NAME``, ``_RESERVED``)."""
    if _NAME.fullmatch(name) is None:
        msg = (
            f"importer name {name!r} must be lower case letters and digits, words separated "
            "by single hyphens (like 'acled-deletions')"
        )
        raise ValueError(msg)
    if name in _RESERVED:
        msg = (
            f"importer name {name!r} is reserved: `conflict-timeline import {name}` reads "
            "this library's own JSON Lines, never an importer; choose another name"
        )
        raise ValueError(msg)


def register(importer: Importer, *, replace: bool = False) -> None:
    """Add ``importer`` to the registry under ``importer.name`` (registering the
    same importer again does nothing).

    The name is lower case, words separated by hyphens (``"my-csv"``), as the command
    line's ``import`` takes it, and not one the command line reserves (``"jsonl"``,
    which ``conflict-timeline import`` reads itself). An importer declared through an
    entry point is held to the same rules (one that breaks them is skipped with a
    `RuntimeWarning`).

    Raises:
        ValueError: the name is malformed or reserved, or taken by another importer
            (pass ``replace=True`` to replace it).
        TypeError: ``importer`` does not have what `Importer` needs.
    """
    _load_built_ins()  # a built-in's name is taken, whenever a plugin registers
    _check(importer, repr(importer))
    _check_name(importer.name)
    with _lock:
        known = _registered.get(importer.name)
        if known is not None and known is not importer and not replace:
            msg = f"an importer named {importer.name!r} is registered already; pass replace=True"
            raise ValueError(msg)
        _registered[importer.name] = importer


def unregister(name: str) -> None:
    """Remove the importer registered as ``name`` (nothing if there is none)."""
    _load_built_ins()
    with _lock:
        _registered.pop(name, None)


def importer_names() -> list[str]:
    """The registered importers' names, sorted."""
    _load()
    with _lock:
        return sorted(_registered)


def get_importer(name: str) -> Importer:
    """The importer registered as ``name``.

    Raises:
        ImportDataError: no importer has that name; the message lists the names.
    """
    _load()
    with _lock:
        found = _registered.get(name)
    if found is None:
        msg = f"no importer named {name!r}; the importers are: {', '.join(importer_names())}"
        raise ImportDataError(msg)
    return found


def recognising(columns: Collection[str], *, besides: str = "") -> list[str]:
    """The names of the importers (other than ``besides``) whose dataset a header
    with these lower-cased column names looks like."""
    _load()
    names = []
    with _lock:
        registered = sorted(_registered.items())
    for name, importer in registered:
        if name == besides:
            continue
        try:
            if importer.recognises(columns):
                names.append(name)
        except Exception:  # noqa: S112 - a third party's guess must not break a message
            continue
    return names


class UnknownOptionError(ImportDataError):
    """An option the importer does not take: an `ImportDataError` that keeps the option
    and those the importer takes, for a caller to name them its own way (the command
    line names its flags)."""

    def __init__(self, importer: str, option: str, known: Collection[str]) -> None:
        self.option = option
        self.known = tuple(sorted(known))
        takes = ", ".join(self.known) or "none"
        super().__init__(f"importer {importer!r} has no option {option!r} (its options: {takes})")


def unknown_options(importer: str, options: dict[str, Any], known: Collection[str]) -> None:
    """Raise `UnknownOptionError` (an
    [`ImportDataError`][conflict_timeline.errors.ImportDataError]) for an option the
    importer does not take."""
    extra = sorted(set(options) - set(known))
    if extra:
        raise UnknownOptionError(importer, extra[0], known)
