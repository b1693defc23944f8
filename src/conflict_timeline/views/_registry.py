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

import re
import threading
from typing import Any, Final

from .._plugins import EntryPoints, Point
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
# Held only for a moment, never while a plugin's code runs (see `EntryPoints`).
_lock = threading.Lock()


def _take(name: str, loaded: Any) -> None:
    register_view(name, loaded)


def _warning(point: Point, exc: Exception) -> str:
    return (
        f"the view entry point {point.name!r} ({point.value}) in group "
        f"{ENTRY_POINT_GROUP} could not be loaded: {exc}"
    )


_ENTRY_POINTS: Final = EntryPoints(ENTRY_POINT_GROUP, _take, _warning)

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
    _ENTRY_POINTS.load()
    with _lock:
        return tuple(sorted(_registry))


def get_view(name: str) -> ViewLike:
    """The view registered under ``name``.

    Raises:
        QueryError: no view has that name; the message lists the names there are.
    """
    _ENTRY_POINTS.load()
    with _lock:
        found = _registry.get(name)
    if found is not None:
        return found
    with _lock:
        names = ", ".join(sorted(_registry))
    why = _ENTRY_POINTS.broken(name)
    if why is not None:
        msg = f"the view {name!r} (entry point in {ENTRY_POINT_GROUP}) failed to load: {why}"
        raise QueryError(msg)
    msg = f"no view named {name!r}; the views are: {names}"
    raise QueryError(msg)


def _describe(view: ViewLike) -> str:
    cls = view if isinstance(view, type) else type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def reread_entry_points() -> None:
    """Read the entry points again on the next lookup (after installing a package)."""
    _ENTRY_POINTS.forget()
