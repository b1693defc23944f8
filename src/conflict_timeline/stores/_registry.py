"""Which backend opens a target: a registry keyed by URL scheme.

``open_store("sqlite:conflict.db")``, ``open_store("conflict.db")`` (a plain path),
``open_store("memory:")``, ``open_store("postgresql://me@host/db?timeline=name")`` (with
the ``postgres`` extra); a third party adds a scheme with
[`register_backend`][conflict_timeline.stores.register_backend],
or by declaring an entry point in the group ``conflict_timeline.stores`` whose name is
the scheme and whose object is the opener::

    [project.entry-points."conflict_timeline.stores"]
    toy = "toy_backend:open_toy"

An opener is called as ``opener(target, clock=..., create=..., read_only=...)`` with the
target as a string (the whole URL, scheme included; a plain path as given) and returns
a [`Store`][conflict_timeline.stores.Store].
"""

from __future__ import annotations

import os
import re
import threading
import urllib.parse
from collections.abc import Callable, Collection
from importlib import metadata
from pathlib import Path
from typing import Final, Protocol

from ..errors import StoreError
from ._base import Clock, Store

__all__ = [
    "ENTRY_POINT_GROUP",
    "Opener",
    "backends",
    "credentials_span",
    "hide_password",
    "hide_passwords_in",
    "open_store",
    "register_backend",
    "sqlite_file",
]

ENTRY_POINT_GROUP: Final = "conflict_timeline.stores"
"""The entry-point group third-party backends declare their openers in."""

_SCHEME: Final = re.compile(r"[a-z][a-z0-9+.\-]+\Z")
_TARGET_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]+):")
_QUOTED: Final = re.compile(r"(\"[^\"]*\"|'[^']*')")
"""A quoted span of a message: `re.split` keeps it as every second piece."""
_AUTHORITY: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://([^?#]*)")
_KEYWORD_PASSWORD: Final = re.compile(r"(?<![\w.])(password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)")
HIDDEN: Final = "***"
"""What a message shows in place of a password."""


class Opener(Protocol):
    """Opens a store for a target of its scheme."""

    def __call__(
        self, target: str, *, clock: Clock | None, create: bool, read_only: bool
    ) -> Store: ...


_lock = threading.Lock()
_registered: dict[str, Callable[..., Store]] = {}


def _open_sqlite(
    target: str, *, clock: Clock | None = None, create: bool = True, read_only: bool = False
) -> Store:
    from .sqlite import SQLiteStore  # noqa: PLC0415  # the registry imports backends lazily

    return SQLiteStore(sqlite_path(target), clock=clock, create=create, read_only=read_only)


def _open_memory(
    target: str, *, clock: Clock | None = None, create: bool = True, read_only: bool = False
) -> Store:
    from .memory import MemoryStore  # noqa: PLC0415  # the registry imports backends lazily

    if target.lower() not in ("memory:", "memory://"):
        msg = f"{target}: a memory store has no name or path; open it as 'memory:'"
        raise StoreError(msg)
    if not create:
        msg = f"{target}: a memory store always starts empty, so create=False cannot open one"
        raise StoreError(msg)
    if read_only:
        msg = f"{target}: a memory store always starts empty; read_only=True would keep it so"
        raise StoreError(msg)
    return MemoryStore(clock=clock)


def _open_postgres(
    target: str, *, clock: Clock | None = None, create: bool = True, read_only: bool = False
) -> Store:
    # Needs psycopg (the ``postgres`` extra): without it, MissingExtraError says so.
    from .postgres import PostgresStore  # noqa: PLC0415  # the registry imports backends lazily

    return PostgresStore.from_url(target, clock=clock, create=create, read_only=read_only)


_BUILT_IN: Final[dict[str, Callable[..., Store]]] = {
    "memory": _open_memory,
    "postgres": _open_postgres,
    "postgresql": _open_postgres,
    "sqlite": _open_sqlite,
}


def sqlite_path(target: str) -> str:
    """The file path of an ``sqlite:`` target (a plain path is returned as it is).

    ``sqlite:PATH`` takes PATH literally (relative or absolute, no %-decoding);
    ``sqlite://localhost/PATH`` and ``sqlite:///PATH`` (an empty host) name the
    absolute ``/PATH``, as ``file:`` URLs do.
    """
    if not target.lower().startswith("sqlite:"):
        return target
    rest = target[len("sqlite:") :]
    if rest.startswith("//"):
        host, slash, path = rest[2:].partition("/")
        if host not in ("", "localhost") or not slash:
            msg = (
                f"{target}: an sqlite URL names a local file, as sqlite:PATH or "
                "sqlite:///ABSOLUTE/PATH"
            )
            raise StoreError(msg)
        rest = "/" + path
    if not rest:
        msg = f"{target}: no file named after 'sqlite:'"
        raise StoreError(msg)
    return rest


def credentials_span(target: str) -> tuple[int, int] | None:
    """Where libpq reads the ``user:password`` of a URL ``target``: from after
    ``scheme://`` up to the first ``@`` with no ``/`` before it; None when it has none.

    A URL parser ends the authority at the first ``?`` or ``#``, so it takes one left
    unencoded in a password (as libpq accepts it) for the start of the query or the
    fragment: what libpq reads comes first.
    """
    url = _AUTHORITY.match(target)
    if url is None:
        return None
    start = url.start(1)
    slash = target.find("/", start)
    at = target.find("@", start, len(target) if slash < 0 else slash)
    return None if at < 0 else (start, at)


def _query_password_spans(target: str, after: int) -> list[tuple[int, int]]:
    """The values of the ``password=`` parameters of the query that starts at the
    first ``?`` at or after ``after`` (none without one). A ``#`` is part of a value,
    as libpq reads it (it knows no fragment)."""
    spans: list[tuple[int, int]] = []
    query = target.find("?", after)
    if query >= 0:
        offset = query + 1
        for item in target[query + 1 :].split("&"):
            key, equals, _value = item.partition("=")
            if equals and urllib.parse.unquote(key).strip().lower() == "password":
                spans.append((offset + len(key) + 1, offset + len(item)))
            offset += len(item) + 1
    return spans


def _password_spans(target: str) -> list[tuple[int, int]]:
    """Where ``target`` holds a password: the ``user:PASSWORD@`` of a URL, the value
    of a ``password=`` query parameter (its name read as libpq reads it,
    %-decoded), or the ``password=`` of a ``key=value`` connection string.

    Purely textual, so that a URL too malformed to parse still has its password found;
    where a URL is ambiguous (an ``@`` in the password, unencoded), more is hidden
    rather than less. A URL is read both as a URL parser reads it and as libpq does
    (a ``?`` or ``#`` unencoded in the password, see `credentials_span`), and what
    either reading takes for a password is hidden (the two readings' spans may
    overlap).
    """
    spans: list[tuple[int, int]] = []
    url = _AUTHORITY.match(target)
    if url is None:
        spans += [m.span(2) for m in _KEYWORD_PASSWORD.finditer(target)]
        return spans
    start, stop = url.span(1)
    at = target.rfind("@", start, stop)
    colon = target.find(":", start, at)
    if at >= 0 and colon >= 0:
        spans.append((colon + 1, at))
    spans += _query_password_spans(target, stop)
    credentials = credentials_span(target)
    if credentials is not None:
        begin, end = credentials
        colon = target.find(":", begin, end)
        if colon >= 0:
            spans.append((colon + 1, end))
        spans += _query_password_spans(target, end)
    return sorted(set(spans))


def hide_password(target: str | os.PathLike[str]) -> str:
    """``target`` as a message may show it: each password it holds replaced by ``***``.

    The one place a location is made fit to show: a URL's ``user:PASSWORD@``, a
    ``?password=`` parameter, and the ``password=`` of a ``key=value`` connection
    string. Never raises, even for a URL that cannot be parsed.
    """
    text = target if isinstance(target, str) else os.fspath(target)
    merged: list[tuple[int, int]] = []  # overlapping spans hidden as one
    for begin, end in _password_spans(text):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    for begin, end in reversed(merged):
        text = text[:begin] + HIDDEN + text[end:]
    return text


def hide_passwords_in(
    message: str, target: str | os.PathLike[str], *, keep: Collection[str] = ()
) -> str:
    """``message`` with every password of ``target`` in it replaced by ``***``: for
    text that quotes part of the target in words of its own (libpq's "invalid
    percent-encoded token: ..."). Each password is hidden as written and %-decoded.

    ``keep``: the target's other parts a message may quote whole (its user, host,
    port, database): a quoted one (``user "postgres"``) is left as written though
    the password is the same text, or holds it (``"127.0.0.1"`` with the password
    ``1``), so that hiding it neither garbles the message nor tells that they are."""
    text = target if isinstance(target, str) else os.fspath(target)
    secrets: set[str] = set()
    for begin, end in _password_spans(text):
        raw = text[begin:end]
        if len(raw) >= 2 and raw[0] == raw[-1] == "'":
            raw = raw[1:-1]
        secrets |= {raw, urllib.parse.unquote(raw)}
    ordered = sorted((s for s in secrets if s), key=len, reverse=True)
    pieces = _QUOTED.split(message) if keep else [message]
    for index, piece in enumerate(pieces):
        if index % 2 and piece[1:-1] in keep:
            continue  # a quoted part of the target that is not its password
        shown = piece
        for secret in ordered:
            shown = shown.replace(secret, HIDDEN)
        pieces[index] = shown
    return "".join(pieces)


def sqlite_file(target: str | os.PathLike[str]) -> str | None:
    """The SQLite file `open_store` opens for ``target`` (a plain path, or the PATH of
    ``sqlite:PATH``), or None when another backend opens it (``memory:``, a
    PostgreSQL URL, a registered scheme). The command line resolves its locations
    with this, so that they mean what they mean to ``Timeline.open``.

    Raises:
        StoreError: no backend for the scheme, or an ``sqlite:`` URL that names no
            local file.
    """
    scheme = scheme_of(target)
    if scheme is None:
        return os.fspath(target)
    if _opener(scheme) is not _open_sqlite:
        return None
    return sqlite_path(os.fspath(target))


def register_backend(scheme: str, opener: Callable[..., Store]) -> None:
    """Open targets ``scheme:...`` with ``opener`` from now on, in this process.

    The scheme is matched case-insensitively; it has at least two characters (so a
    Windows drive letter is never taken for one): a letter, then letters, digits,
    ``+``, ``-`` or ``.``. Registering a scheme again replaces its opener, built-in
    ones included (useful in tests). A registered scheme comes first, then the
    built-in ones (``sqlite``, ``memory``, ``postgresql``, ``postgres``), then entry
    points: an installed package cannot take over a built-in scheme by declaring it.

    Raises:
        StoreError: the scheme is not of that form, or the opener is not callable.
    """
    if not isinstance(scheme, str) or not _SCHEME.match(scheme.lower()):
        msg = (
            f"register_backend: {scheme!r} is not a URL scheme (a letter, then at least one "
            "letter, digit, '+', '-' or '.')"
        )
        raise StoreError(msg)
    if not callable(opener):
        msg = f"register_backend: the opener for {scheme!r} is not callable: {opener!r}"
        raise StoreError(msg)
    with _lock:
        _registered[scheme.lower()] = opener


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name.lower(): ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def backends() -> list[str]:
    """The schemes that can be opened: built in, registered, or declared as entry points."""
    with _lock:
        names = set(_BUILT_IN) | set(_registered)
    return sorted(names | set(_entry_points()))


def _opener(scheme: str) -> Callable[..., Store]:
    with _lock:
        found = _registered.get(scheme) or _BUILT_IN.get(scheme)
    if found is not None:
        return found
    entry = _entry_points().get(scheme)
    if entry is not None:
        try:
            loaded = entry.load()
        except Exception as exc:
            msg = (
                f"the backend for scheme {scheme!r} (entry point {entry.value!r} of "
                f"{ENTRY_POINT_GROUP!r}) cannot be loaded: {exc}"
            )
            raise StoreError(msg) from exc
        if not callable(loaded):
            msg = f"the entry point {entry.value!r} for scheme {scheme!r} is not callable"
            raise StoreError(msg)
        register_backend(scheme, loaded)
        return loaded  # type: ignore[no-any-return]
    msg = (
        f"no backend for scheme {scheme!r}; installed: {', '.join(backends())} (a file whose "
        "name has a colon in it can be given as a pathlib.Path or as 'sqlite:NAME')"
    )
    raise StoreError(msg)


def scheme_of(target: str | os.PathLike[str]) -> str | None:
    """The URL scheme of ``target`` (lower case), or None for a plain path."""
    if not isinstance(target, str):
        return None
    match = _TARGET_SCHEME.match(target)
    return match.group(1).lower() if match else None


# libpq's keyword/value connection string: one or more "key=value" separated by spaces,
# at least one a keyword libpq reads (a file may well be named "run=3").
_CONNINFO: Final = re.compile(
    r"\s*(?=.*\b(?:host|hostaddr|port|dbname|user|password|sslmode|service)\s*=)"
    r"(?:[A-Za-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S+)\s*)+"
)


CONNINFO_REFUSED: Final = (
    "a PostgreSQL connection string (key=value pairs) is not a timeline file: write it "
    "as a URL, postgresql://USER@HOST:PORT/DBNAME (add ?timeline=NAME for a named "
    "timeline)"
)
"""Why a connection string given where a path or URL belongs is refused (it is not
repeated: it may hold a password)."""


def is_conninfo(target: str) -> bool:
    """Is ``target`` libpq's other form of a connection, ``host=db dbname=team``, and
    no file of that name? Taken as a path it would create a file so named, hiding the
    slip."""
    return _CONNINFO.fullmatch(target) is not None and not Path(target).exists()


def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Clock | None = None,
    create: bool = True,
    read_only: bool = False,
) -> Store:
    """Open the store ``target`` names, with the backend registered for its scheme.

    ``target`` is a URL (``sqlite:conflict.db``, ``memory:``, ``postgresql://...``,
    any scheme a backend registered) or a plain path (a string without a scheme, or
    any ``os.PathLike``), which is an SQLite file.

    Args:
        target: What to open.
        clock: Gives ``recorded_at``; the system clock (UTC) by default.
        create: When False, a store that does not exist yet (a missing or empty file)
            is refused instead of created.
        read_only: Open for reading only: never create or change anything (appends
            raise [`StoreError`][conflict_timeline.errors.StoreError]).

    Raises:
        StoreError: no backend for the scheme (the message lists those installed), or
            the backend cannot open the target.
    """
    if not isinstance(target, (str, os.PathLike)):
        msg = f"open_store: expected a URL or a path, got {type(target).__name__}"
        raise StoreError(msg)
    scheme = scheme_of(target)
    where = target if isinstance(target, str) else os.fspath(target)
    if scheme is None:  # a plain path, taken as it is (a Path named "sqlite:x" too)
        if isinstance(target, str) and is_conninfo(target):
            raise StoreError(CONNINFO_REFUSED)
        from .sqlite import SQLiteStore  # noqa: PLC0415  # the registry imports backends lazily

        return SQLiteStore(where, clock=clock, create=create, read_only=read_only)
    opener = _opener(scheme)
    return opener(where, clock=clock, create=create, read_only=read_only)
