"""Views by name: the built-in ones, those registered by code, and entry points.

``timeline.state("active-commitments", at=...)`` and the command line's ``--view``
look a view up here. A package adds its own views either by calling
`register_view` or, with no import needed, through an entry point in the
group ``conflict_timeline.views`` whose name is the view's name and whose object is
the view class (or an instance)::

    [project.entry-points."conflict_timeline.views"]
    fatalities-by-place = "my_package.views:FatalitiesByPlace"

Entry points are read once, the first time a name is looked up or listed.
"""

from __future__ import annotations

import importlib.metadata
import re
import threading
import warnings
from typing import Any, Final

from ..errors import QueryError
from ._protocol import View

__all__ = [
    "ENTRY_POINT_GROUP",
    "check_view",
    "get_view",
    "register_view",
    "reread_entry_points",
    "unregister_view",
    "view_names",
]

ENTRY_POINT_GROUP: Final = "conflict_timeline.views"
_NAME: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_MEMBERS: Final = ("initial", "apply", "result")

ViewLike = type[View[Any, Any]] | View[Any, Any]

_registry: dict[str, ViewLike] = {}
_broken: dict[str, str] = {}  # entry point name -> why it could not be loaded
# `_lock` guards the registry, held only for a moment and never while a third
# party's code runs. `_fill_lock` makes one thread read the entry points while a lookup
# that needs them waits for the whole. A lookup that finds its name, `register_view`
# and `unregister_view` never wait for another thread's reading: that thread may be
# importing the very plugin module whose import called them, and waits for that
# import to end (they deadlocked). The importers' registry works the same way.
_lock = threading.Lock()
_fill_lock = threading.RLock()
_entry_points_read = False  # every entry point is read (set once the reading ends)
_reading = False  # the entry points are being read (set and read under `_fill_lock`)

_WHAT_A_VIEW_IS: Final = (
    "a view is a class (or an instance of one) with initial() -> state, "
    "apply(state, recorded) -> state and result(state, query) -> answer, and "
    "optionally kinds (the record kinds it reads); subclass conflict_timeline.View, "
    "or give a registered view name"
)


def check_view(view: object, *, what: str = "view") -> None:
    """Raise [`QueryError`][conflict_timeline.errors.QueryError] unless ``view`` is a view class or
    instance.

    The message says what is missing and what a view is.
    """
    if isinstance(view, str):
        msg = f"{what}: {view!r} is a string, not a view; {_WHAT_A_VIEW_IS}"
        raise QueryError(msg)
    missing = [m for m in _MEMBERS if not callable(getattr(view, m, None))]
    if missing:
        shown = (
            view.__name__ if isinstance(view, type) else f"an object of type {type(view).__name__}"
        )
        msg = f"{what}: {shown} is not a view (it has no {', '.join(missing)}); " + (
            _WHAT_A_VIEW_IS
        )
        raise QueryError(msg)


def register_view(name: str, view: ViewLike, *, replace: bool = False) -> None:
    """Make ``view`` (a view class or instance) available under ``name``.

    ``name`` is lower case, words separated by hyphens (``"fatalities-by-place"``),
    as the command line's ``--view`` takes it. Registering the same view again under
    its name does nothing.

    Raises:
        QueryError: the name is malformed, taken by another view (unless
            ``replace=True``), or ``view`` is not a view.
    """
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        msg = (
            f"view name {name!r} must be lower case letters and digits, words separated "
            "by single hyphens (like 'active-commitments')"
        )
        raise QueryError(msg)
    check_view(view, what=f"register_view({name!r})")
    with _lock:
        known = _registry.get(name)
        if known is not None and known is not view and not replace:
            msg = (
                f"the view name {name!r} is taken by {_describe(known)}; pass replace=True "
                "to replace it"
            )
            raise QueryError(msg)
        _registry[name] = view


def unregister_view(name: str) -> None:
    """Forget the view registered under ``name`` (a no-op when there is none)."""
    with _lock:
        _registry.pop(name, None)


def view_names() -> tuple[str, ...]:
    """The registered view names, sorted (built-in, registered and entry points)."""
    _read_entry_points()
    with _lock:
        return tuple(sorted(_registry))


def get_view(name: str) -> ViewLike:
    """The view registered under ``name``.

    Raises:
        QueryError: no view has that name; the message lists the names there are.
    """
    _read_entry_points(wait=False)
    with _lock:
        found = _registry.get(name)
    if found is None and not _entry_points_read:  # among those another thread reads?
        _read_entry_points()
        with _lock:
            found = _registry.get(name)
    if found is not None:
        return found
    with _lock:
        names = ", ".join(sorted(_registry))
        why = _broken.get(name)
    if why is not None:
        msg = f"the view {name!r} (entry point in {ENTRY_POINT_GROUP}) failed to load: {why}"
        raise QueryError(msg)
    msg = f"no view named {name!r}; the views are: {names}"
    raise QueryError(msg)


def _describe(view: ViewLike) -> str:
    cls = view if isinstance(view, type) else type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def _read_entry_points(*, wait: bool = True) -> None:
    """Read the entry points once (with ``wait`` false, not when another thread is
    reading them, nor again in the thread reading them: a plugin's import may look a
    view up)."""
    global _entry_points_read, _reading  # noqa: PLW0603 - read once per process
    if _entry_points_read or not _fill_lock.acquire(blocking=wait):
        return
    try:
        if _entry_points_read or _reading:  # read meanwhile, or by this very thread
            return
        _reading = True
        try:
            for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
                try:
                    loaded = point.load()
                    register_view(point.name, loaded)
                except Exception as exc:  # a third party's package; keep the rest usable
                    with _lock:
                        _broken[point.name] = f"{type(exc).__name__}: {exc}"
                    msg = (
                        f"the view entry point {point.name!r} ({point.value}) in group "
                        f"{ENTRY_POINT_GROUP} could not be loaded: {exc}"
                    )
                    warnings.warn(msg, RuntimeWarning, stacklevel=3)
        finally:
            _reading = False
        _entry_points_read = True
    finally:
        _fill_lock.release()


def reread_entry_points() -> None:
    """Read the entry points again on the next lookup (after installing a package)."""
    global _entry_points_read  # noqa: PLW0603
    with _fill_lock, _lock:
        _entry_points_read = False
        _broken.clear()
