"""Saved view states: a view's folded engine kept in the store, loaded on open.

A timeline folds each view from the records the first time it is asked; on a large
timeline that is most of a first answer's time. `Timeline.save_checkpoints` keeps, for
each view it is given, what the engine built (the index of the records the view reads,
in replay order, the state at the head and up to `KEPT` checkpoints along the way) in
the store (a `StateKeeper`: the memory, SQLite and PostgreSQL stores). A timeline
opened later loads it the first time the view is asked, then takes in only the records
appended since, exactly as a running engine does (appends into the past, corrections
and retractions included: they invalidate the checkpoints after the entries they
touch).

A saved state is never trusted blindly. It is used only when:

* it was folded by the same code: a digest of this package's source (taken when it is
  imported), the view's own module and the module of each of its base classes
  outside this package and the standard library (an ``apply`` it inherits from
  another module), the view's ``state_version`` (if it declares one) and the
  versions of the libraries whose objects it holds (``code``);
* it was saved by a process holding this process's key: its ``digest`` is an
  HMAC-SHA256, under the key (`state_key`), of the view, code, head and chain hash
  it was saved with and of its bytes. Bytes that anyone else wrote, or that were
  damaged, never reach the unpickler;
* the store still holds the history it covers: the record at its ``head`` has the chain
  hash it was saved with (so a file rebuilt, or a different timeline, is never read
  with another's state);
* it unpickles with only the classes a view state is made of (`_Loader`), into the
  shape the engine keeps.

A state that fails the code check is silently ignored (a new library version, a
changed view); one that fails any other, or that the store cannot hand back, is
ignored with a `CheckpointWarning` saying why. Either way the view is folded from the
records, so an ignored state costs time, never a wrong answer.

A view whose answer to the open question is far smaller than its state (a class
attribute ``saves_answer = True``; `ReportedViolations`) also keeps that answer, under
its key with `ANSWER_SUFFIX`, signed and checked the same way. A timeline opened at the
head it was saved at answers the open question from it alone, a `Listing` read a
`PAGE` at a time, and reads the states when a question first needs them
(`Engine.defer_states`).

Only views given as classes are saved (an instance may carry settings its class does
not show), and only states made of what the loader builds (checked when saving).
The format is Python's pickle. The key keeps bytes nobody trusted out of it; the
loader's allow-list is the second line (it refuses every global but the constructors
of records, view states, persistent maps and dates, though pickle's BUILD could still
set attributes on a class it allows: so the key is what a shared store relies on).
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import hashlib
import hmac
import importlib.metadata
import io
import itertools
import os
import pickle
import secrets
import sys
import sysconfig
import threading
import time
import types
import warnings
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs
import immutables

from .._gc import gc_paused
from ..errors import CheckpointWarning, QueryError, StoreError
from ..stores import SavedState, StateKeeper
from ._attacklog import DATA_CLASSES, AttackLog
from ._engine import Engine, Entry, Index
from ._listing import Listing
from ._protocol import Query

__all__ = [
    "ANSWER_SUFFIX",
    "KEPT",
    "KEY_VARIABLE",
    "PAGE",
    "code_version",
    "restore",
    "save",
    "saves_answer",
    "state_key",
    "view_key",
]

KEPT: Final = 32
"""Checkpoints kept in a saved state besides the state at its head (evenly spread)."""

KEY_VARIABLE: Final = "CONFLICT_TIMELINE_STATE_KEY"
"""The environment variable that gives the key saved states are signed with."""

_FORMAT: Final = "conflict_timeline.saved-view-state.4"
_ANSWER_FORMAT: Final = "conflict_timeline.saved-view-answer.1"
ANSWER_SUFFIX: Final = "#answer"
"""A view that saves its answer (``saves_answer``) keeps it under its key and this."""
PAGE: Final = 1024
"""Entries in a page of a saved answer: read a page at a time (`Listing.paged`)."""
_PACKAGE: Final = Path(__file__).resolve().parent.parent
_LIBRARIES: Final = ("attrs", "immutables", "pendulum")

_BUILTINS: Final = frozenset(
    {"bool", "bytearray", "bytes", "complex", "dict", "float", "frozenset", "int", "list",
     "range", "set", "slice", "str", "tuple"}
)  # fmt: skip
_DATETIME: Final = frozenset({"date", "datetime", "time", "timedelta", "timezone"})


def view_key(view: object) -> str | None:
    """The name a view's saved state is kept under: ``module:qualname`` of a view
    class (None for an instance, whose settings its class does not show)."""
    if not isinstance(view, type):
        return None
    return f"{view.__module__}:{view.__qualname__}"


def _package_digest() -> str:
    digest = hashlib.sha256(_FORMAT.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
    digest.update(f"python={sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


_PACKAGE_DIGEST: Final = _package_digest()
"""Taken when the package is imported: a process whose files are replaced on disk
later keeps the digest of the code it runs."""


def code_version(view: type) -> str | None:
    """The digest of the code that folds ``view``'s state (None: it cannot be told,
    e.g. a view defined in a notebook, with no source file, or a class that its
    ``module:qualname`` does not name, see `_named`; its state is not saved).

    It covers this package's source, and the source of the module of every class in
    ``view``'s MRO outside this package and the standard library (``object``,
    ``typing.Protocol`` and ``Generic`` among them): the view's own module and those
    of the bases it inherits ``apply`` or anything else from. A state class is of this
    package or of the view's own module (the only ones the loader builds), so it is
    covered too. A view may declare ``state_version`` (any value with a stable
    ``repr``) and change it when its state changes in a way none of those modules'
    source shows (a helper module it folds with, say).
    """
    digest = hashlib.sha256(_PACKAGE_DIGEST.encode())
    if sys.modules.get(view.__module__) is None or not _named(view):
        return None
    for name, cls in _folding_modules(view).items():
        module = sys.modules.get(name)
        source = _module_digest(cls, getattr(module, "__file__", None))
        if source is None:
            return None
        digest.update(f"{name}\0{source}\0".encode())
    digest.update(f"\0{view_key(view)}\0{getattr(view, 'state_version', None)!r}".encode())
    return digest.hexdigest()


def _folding_modules(view: type) -> dict[str, type]:
    """The modules whose source `code_version` digests, in ``view``'s MRO order: each
    with the first class of the MRO defined in it (the one its digest is cached for).
    Not this package's (its whole source is digested already), nor the standard
    library's or the builtins'."""
    found: dict[str, type] = {}
    for cls in view.__mro__:
        name = cls.__module__
        if name.partition(".")[0] == "conflict_timeline" or (
            cls is not view and _in_the_standard_library(name)
        ):
            continue
        found.setdefault(name, cls)
    return found


_STDLIB: Final = tuple(
    {Path(sysconfig.get_paths()[key]).resolve() for key in ("stdlib", "platstdlib")}
)


def _in_the_standard_library(name: str) -> bool:
    """Is module ``name`` the standard library's (by its name, and by its file where
    it has one: a module of one's own named like one, ``calendar.py``, is not)?"""
    if name.partition(".")[0] not in sys.stdlib_module_names and name != "builtins":
        return False
    file = getattr(sys.modules.get(name), "__file__", None)
    if file is None:  # built in (builtins, sys) or frozen
        return True
    where = Path(file).resolve()
    return any(where.is_relative_to(root) for root in _STDLIB)


def _named(view: type) -> bool:
    """Is ``view`` the class its ``module:qualname`` names (the key its state is kept
    under)? Not when a function made it (each call makes another class with the same
    name and source, whose settings may differ: a factory's ``kinds``, say) nor when
    its name was given to another class since (a module reloaded)."""
    found: object = sys.modules.get(view.__module__)
    for part in view.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is view


@functools.cache
def _module_digest(cls: type, source: str | None) -> str | None:
    """The digest of the source of ``cls``'s module (a view or one of its bases), read
    the first time the class is asked: a module edited on disk later keeps, for its
    classes, the digest of the code this process runs; a module reloaded since
    (``importlib.reload``, a notebook's autoreload) makes new classes, whose digest is
    read again."""
    del cls  # part of the cache key
    if source is None:
        return None
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return None


def state_key(*, create: bool = False) -> bytes | None:
    """The key saved states are signed with: the environment variable
    `KEY_VARIABLE` when set, else the key file of this user (made, 32 random bytes
    readable by its owner only, when ``create`` and missing; None when missing).

    The file is ``$XDG_STATE_HOME/conflict_timeline/state.key``
    (``~/.local/state/...`` by default). Processes that should trust each other's
    saved states (a team's importer and its dashboards, say) share one key.
    """
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return given.encode("utf-8")
    home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    path = Path(home) / "conflict_timeline" / "state.key"
    try:
        return _key_of(path, create=create)
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under a name of its own, then linked into place: a process that
    # reads the key meanwhile finds none, or all of it, never an empty file.
    made = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_hex(32).encode("ascii"))
        try:
            os.link(made, path)
        except OSError as exc:
            # FileExistsError: another process made it meanwhile. Otherwise a file
            # system without hard links: the key is put in place whole.
            if not isinstance(exc, FileExistsError) and not path.exists():
                os.replace(made, path)
    finally:
        made.unlink(missing_ok=True)
    return _key_of(path, create=create)


def _key_of(path: Path, *, create: bool) -> bytes | None:
    """The key in the key file ``path``: None when it is empty (an HMAC under an
    empty key is one anybody can compute), or, when a key is needed to sign
    (``create``), a `StoreError` saying so.

    Raises:
        FileNotFoundError: there is no key file.
    """
    key = path.read_bytes().strip()
    if key:
        return key
    if create:
        msg = (
            f"{path}: the key file is empty; delete it (the next save makes a new one) "
            f"or give a key in {KEY_VARIABLE}; nothing was saved"
        )
        raise StoreError(msg)
    return None


def saves_answer(view: type) -> bool:
    """Does ``view`` save its answer to the open question beside its state (a class
    attribute ``saves_answer = True``: worth it where the answer, a listing, is read
    far faster than the state that gives it)? By saying so a view also says that its
    answer with no cut is the same for any certainty and zone: one saved answer
    serves them all."""
    return getattr(view, "saves_answer", False) is True


def _mac(key: bytes, saved: SavedState) -> str:
    """The HMAC-SHA256 under ``key`` of what ``saved`` says it is and holds (all but
    its ``digest`` and ``saved_at``)."""
    said = f"{_FORMAT}\0{saved.view}\0{saved.code}\0{saved.head}\0{saved.chain}\0"
    signed = hmac.new(key, said.encode(), "sha256")
    signed.update(saved.blob)
    return signed.hexdigest()


def save(engine: Engine[Any, Any], key: str, code: str, store: StateKeeper) -> int:
    """Fold ``engine`` to the store's head and keep its state in ``store`` (and its
    answer to the open question, for a view that `saves_answer`); the size in bytes
    of what was saved."""
    with engine.lock:
        engine.sync()
        engine.read_deferred()  # a saved index that cannot be read: fold, warned
        count = len(engine.entries)
        state = engine.prefix_state(count)
        checkpoints = engine.checkpoints
        step = max(1, -(-len(checkpoints) // KEPT))
        # The state at the head is kept anyway: a checkpoint there would repeat it.
        kept = [c for c in checkpoints[step - 1 :: step] if c[0] < count]
        base, deltas = _chain([*(s for _, s in kept), state])
        # A sync may read rows appended after the head it read first: the state
        # covers those too.
        head = max(
            engine.head,
            max((row.position for row in engine.rows.values()), default=0),
            max((f.position for fs in engine.fixes.values() for f in fs), default=0),
        )
        chain = store.chain_hash_at(head)
        with gc_paused():
            # The answer is made as a question makes it, under the lock (a lazy answer,
            # ReportedViolations' unfiltered one, is ordered when read below, by
            # `_answer_blob`: its ranks are replaced whole, never changed in place).
            view = engine.view
            answer = view.result(state, Query()) if saves_answer(type(view)) else None
            # The engine's index is pickled apart, and the states' attack logs after
            # the states (in the same pickle stream, so that what they share with the
            # states is written, and read back, once): opening reads the states, the
            # rest only when a question needs it (see `Engine.defer_index`).
            index = _Saver(io.BytesIO())
            index.dump(Index(engine.rows, engine.fixes, engine.entries))
            logs: list[AttackLog[Any]] = []
            states = _Saver(io.BytesIO(), logs)
            states.dump((base, deltas))
            done = 0
            while done < len(logs):  # a log's parts name its parent: written next
                states.dump(logs[done].__getstate__())
                done += 1
            parts = (
                _FORMAT,
                head,
                [*(position for position, _ in kept), count],
                index.out.getvalue(),
                states.out.getvalue(),
                len(logs),
            )
            saver = _Saver(io.BytesIO())
            saver.dump(parts)
            blob = saver.out.getvalue()
    assert chain is not None, "the engine's head is past the store's"
    named = saver.globals | index.globals | states.globals
    answered = None if answer is None else _answer_blob(view, answer, head)
    if answered is not None:
        named |= answered[1]
    _check_globals(key, named, type(engine.view).__module__)
    secret = state_key(create=True)
    assert secret is not None
    made = time.time_ns() // 1_000
    saved = SavedState(key, code, head, chain, "", made, blob)
    store.save_state(saved._replace(digest=_mac(secret, saved)))
    if answered is None:
        return len(blob)
    # Saved after the state: an answer is used only at the head it was saved at, so
    # a save cut short between the two leaves an answer that is never used, or the
    # answer of the state before beside it (whose head the store still holds).
    kept_answer = SavedState(key + ANSWER_SUFFIX, code, head, chain, "", made, answered[0])
    store.save_state(kept_answer._replace(digest=_mac(secret, kept_answer)))
    return len(blob) + len(answered[0])


def _check_globals(key: str, named: set[tuple[str, str]], view_module: str) -> None:
    """Refuse to save what the loader would refuse to load."""
    loader = _Loader(io.BytesIO(b""), view_module)
    refused = sorted(f"{m}.{n}" for m, n in named if not loader.finds(m, n))
    if refused:
        msg = (
            f"{key}: its state holds {', '.join(refused)}, which a saved state may not "
            "hold (only containers, numbers, dates, persistent maps, this package's "
            "records and states, and the attrs classes, named tuples and enums of the "
            "view's own module); its state was not saved"
        )
        if view_module == "__main__":
            msg += (
                "; a view defined in a script run as __main__ has no module another "
                "process can import the same way: define it in a module and import it"
            )
        raise QueryError(msg)


def _answer_blob(view: object, answer: object, head: int) -> tuple[bytes, set[tuple[str, str]]]:
    """``view``'s answer to the open question at ``head``, as a saved answer's bytes
    (its entries pickled a `PAGE` at a time, so that each page is read alone) and
    the globals it names."""
    if not isinstance(answer, Listing):
        msg = (
            f"{type(view).__name__} says it saves its answer (saves_answer), but its "
            f"result is a {type(answer).__name__}, not a Listing; its state was not saved"
        )
        raise QueryError(msg)
    items = answer.items
    named: set[tuple[str, str]] = set()
    body = io.BytesIO()
    offsets = [0]
    for start in range(0, len(items), PAGE):
        page = _Saver(body)  # each page a pickle of its own, one after the other
        page.dump(items[start : start + PAGE])
        named |= page.globals
        offsets.append(body.tell())
    saver = _Saver(io.BytesIO())
    saver.dump((_ANSWER_FORMAT, head, len(items), PAGE, offsets, body.getvalue()))
    return saver.out.getvalue(), named | saver.globals


class _Saver(pickle.Pickler):
    """A pickler that notes every global it writes (the classes and functions a
    pickle names, which the loader looks up), for the check that the loader will
    find them all. Plain containers, numbers and strings name none."""

    def __init__(self, file: io.BytesIO, logs: list[AttackLog[Any]] | None = None) -> None:
        super().__init__(file, protocol=5)
        self.out = file
        self.globals: set[tuple[str, str]] = set()
        # With ``logs``, an attack log is written as its number in it (`saved_log`),
        # its parts apart.
        self.logs = logs
        self._numbers: dict[int, int] = {}

    def reducer_override(self, obj: Any) -> Any:
        if self.logs is not None and type(obj) is AttackLog and obj.apart:
            number = self._numbers.get(id(obj))
            if number is None:
                number = self._numbers[id(obj)] = len(self.logs)
                self.logs.append(obj)
            self.globals.add((__name__, saved_log.__qualname__))
            return saved_log, (number,)
        bound = isinstance(getattr(obj, "__self__", None), type)  # pickled by its parts
        if isinstance(obj, type | types.FunctionType | types.BuiltinFunctionType) and not bound:
            module = getattr(obj, "__module__", None) or "builtins"
            self.globals.add((module, obj.__qualname__))
        return NotImplemented


def restore(engine: Engine[Any, Any], key: str, code: str, store: StateKeeper) -> bool:
    """Start the new ``engine`` (before its first sync) from what ``store`` keeps for
    ``key``, if it passes every check (module docstring); whether it did.

    For a view that `saves_answer`, a saved answer that passes them all answers the
    open question at its head, and the states are read (and checked) when a question
    first needs them (`Engine.defer_states`): a state that fails then makes that
    question warn and fold the records.
    """
    if saves_answer(type(engine.view)):
        pages = _saved_answer(engine, key, code, store)
        if pages is not None:
            engine.head = pages.head
            engine.defer_states(
                functools.partial(_restore_states, engine, key, code, store),
                lambda query: Listing.paged(pages, query),
            )
            return True
    return _restore_states(engine, key, code, store)


def _restore_states(engine: Engine[Any, Any], key: str, code: str, store: StateKeeper) -> bool:
    """Load the states ``store`` keeps for ``key`` into ``engine`` (`restore`)."""
    saved, why = _checked(store, key, code, f"the saved state of view {key}")
    if saved is None:
        return False
    parts: Any = None
    states: list[Any] = []
    module = type(engine.view).__module__
    if why is None:
        try:
            with gc_paused(promote=True):
                parts = _Loader(io.BytesIO(saved.blob), module).load()
                why = _misshapen(parts, saved)
                if why is None:
                    logs = _Logs(parts[5], module)
                    reader = _Loader(io.BytesIO(parts[4]), module, logs)
                    loaded = reader.load()
                    logs.follow(reader)
                    if type(loaded) is not tuple or len(loaded) != 2:
                        msg = "not a chain of states"
                        raise ValueError(msg)
                    states = _unchain(*loaded)
                    if len(states) != len(parts[2]):
                        msg = f"{len(states)} states for {len(parts[2])} positions"
                        raise ValueError(msg)
        except Exception as exc:  # any failure: fold instead, and say why
            why = f"it cannot be read back ({type(exc).__name__}: {exc})"
    if why is not None:
        _not_used(
            f"the saved state of view {key} (at position {saved.head}) was not used: {why}",
            depth=1,
        )
        return False
    _, head, positions, index, _, _ = parts
    engine.head = head
    engine.defer_index(positions[-1], functools.partial(_read_index, index, module, logs))
    engine.checkpoints = list(zip(positions[:-1], states[:-1], strict=True))
    engine._tip = (positions[-1], states[-1])
    return True


def _checked(
    store: StateKeeper, name: str, code: str, what: str
) -> tuple[SavedState | None, str | None]:
    """What ``store`` keeps under ``name`` and why it cannot be used (None: it can).
    None for it when there is none, when other code saved it (ignored quietly) and
    when the store cannot hand it back (``what`` is named in a warning)."""
    try:
        saved = store.load_state(name)
    except StoreError as exc:
        _not_used(f"{what} could not be read ({exc})", depth=2)
        return None, None
    if saved is None or saved.code != code:
        return None, None
    try:
        return saved, _doubt(saved, store)
    except StoreError as exc:
        return saved, f"the store could not be read ({exc})"


def _saved_answer(
    engine: Engine[Any, Any], key: str, code: str, store: StateKeeper
) -> _Pages | None:
    """The answer ``store`` keeps for ``key`` (its pages, which know its head), if it
    passes every check; None otherwise (with a `CheckpointWarning` unless there is none or it was
    folded by other code)."""
    saved, why = _checked(store, key + ANSWER_SUFFIX, code, f"the saved answer of view {key}")
    if saved is None:
        return None
    pages = None
    if why is None:
        try:
            parts = _Loader(io.BytesIO(saved.blob)).load()
            why = _misshapen_answer(parts, saved)
            if why is None:
                _, _, count, size, offsets, body = parts
                pages = _Pages(engine, saved.head, count, size, offsets, body)
        except Exception as exc:  # any failure: fold instead, and say why
            why = f"it cannot be read back ({type(exc).__name__}: {exc})"
    if pages is None:
        _not_used(
            f"the saved answer of view {key} (at position {saved.head}) was not used: {why}",
            depth=1,
        )
        return None
    return pages


def _misshapen_answer(parts: Any, saved: SavedState) -> str | None:
    """Why ``parts`` is not what `_answer_blob` writes (None: it is)."""
    why = _unlike(parts, saved, _ANSWER_FORMAT, "answer")
    if why is not None:
        return why
    _, _, count, size, offsets, body = parts
    if not (
        type(count) is int
        and type(size) is int
        and count >= 0
        and size > 0
        and type(body) is bytes
        and type(offsets) is list
        and len(offsets) == -(-count // size) + 1
        and all(type(o) is int for o in offsets)
        and offsets == sorted(offsets)
        and offsets[0] == 0
        and offsets[-1] == len(body)
    ):
        return "its parts are not those of a view's answer"
    return None


class _Pages:
    """A saved answer's entries, a page read (with the loader's checks) each time it
    is asked: what `Listing.paged` lists. A page that cannot be read back (signed
    bytes, so a fault of the saving code) warns once and is taken, with every later
    one, from the view's answer folded from the records up to the answer's head
    (``as_of``: records appended since do not change an answer already given)."""

    def __init__(  # noqa: PLR0917 - the parts of a saved answer
        self,
        engine: Engine[Any, Any],
        head: int,
        count: int,
        size: int,
        offsets: list[int],
        body: bytes,
    ) -> None:
        self.engine = engine
        self.head = head
        self.count = count
        self.size = size
        self.offsets = offsets
        self.body = memoryview(body)
        self.folded: tuple[Any, ...] | None = None
        self.lock = threading.Lock()

    def page(self, number: int) -> tuple[Any, ...]:
        start = number * self.size
        if self.folded is None:
            try:
                return self._read(number)
            except Exception as exc:  # signed bytes: a fault of the code that saved them
                with self.lock:
                    if self.folded is None:
                        self.folded = self._fold(exc)
        return self.folded[start : start + self.size]

    def _read(self, number: int) -> tuple[Any, ...]:
        view_module = type(self.engine.view).__module__
        chunk = self.body[self.offsets[number] : self.offsets[number + 1]]
        with gc_paused():
            found = _Loader(io.BytesIO(chunk), view_module).load()
        want = min(self.size, self.count - number * self.size)
        if type(found) is not tuple or len(found) != want:
            msg = f"page {number} holds {len(found) if type(found) is tuple else found!r}"
            raise ValueError(msg)
        return found

    def _fold(self, exc: Exception) -> tuple[Any, ...]:
        engine = self.engine
        engine.drop_saved_answer()
        warnings.warn(
            f"the saved answer of view {type(engine.view).__name__} could not be read back "
            f"({type(exc).__name__}: {exc}); it is listed from the view's state instead "
            "(the saved state where it can be read, else a fold of the records)",
            CheckpointWarning,
            stacklevel=5,
        )
        folded = engine.answer(Query(as_of=self.head))
        assert isinstance(folded, Listing)
        return folded.items


def saved_log(number: int) -> AttackLog[Any]:
    """How a saved state names an attack log whose parts it holds apart: only its
    loader makes one (`_Loader` gives this name to `_Logs.log`)."""
    msg = f"attack log {number} of a saved state is read by its loader only"
    raise pickle.UnpicklingError(msg)


class _Logs:
    """A saved state's attack logs: made empty while the states load, given their
    parts the first time any of them is read (all at once, from the pickle stream the
    states were read from, which goes on with them)."""

    def __init__(self, count: int, view_module: str) -> None:
        self.count = count
        self.view_module = view_module
        self.made: dict[int, AttackLog[Any]] = {}
        self.lock = threading.Lock()
        self.reader: _Loader | None = None
        self.failed: str | None = None  # why reading them failed, said again each time

    def follow(self, reader: _Loader) -> None:
        """Read the logs' parts from ``reader`` when needed (it has read the states;
        it keeps what it read, so that the parts find what they share with them)."""
        if self.count:
            self.reader = reader

    def log(self, number: int) -> AttackLog[Any]:
        """Log ``number``, made the first time it is named."""
        if type(number) is not int or not 0 <= number < self.count:
            msg = f"a saved state names attack log {number!r} of {self.count}"
            raise pickle.UnpicklingError(msg)
        found = self.made.get(number)
        if found is None:
            found = self.made[number] = AttackLog.later(self.fill)
        return found

    def fill(self) -> None:
        """Give every log its parts (once).

        Raises:
            ValueError: when the parts are not those of the logs.
        """
        with self.lock:
            if self.failed is not None:
                raise ValueError(self.failed)
            reader = self.reader
            if reader is None:
                return
            self.reader = None  # read once, whatever comes of it
            try:
                with gc_paused(promote=True):
                    parts = [reader.load() for _ in range(self.count)]
                    for number, body in enumerate(parts):
                        self.log(number).set_parts(body)
            except Exception as exc:
                self.failed = f"{type(exc).__name__}: {exc}"
                raise


def _read_index(blob: bytes, view_module: str, logs: _Logs) -> Index:
    """The engine's index a saved state holds (signed with the rest of it), checked
    to have the shape an engine keeps; the states' attack logs are read with it (a
    question that needs the index folds, and a fold reads the logs)."""
    logs.fill()
    index = _Loader(io.BytesIO(blob), view_module).load()
    if not (
        type(index) is Index
        and type(index.rows) is dict
        and type(index.fixes) is dict
        and type(index.entries) is list
        and all(type(e) is Entry for e in index.entries)
        and all(type(e) is Entry for e in index.rows.values())
        and len(index.rows) >= len(index.entries)
    ):
        msg = "its parts are not those of a view's index"
        raise ValueError(msg)
    return index


def _not_used(what: str, depth: int = 0) -> None:
    """Warn that a saved state was not used, at the line that asked the timeline a
    question (the state, series or live view call that made the view's engine: this
    is five calls below it, and ``depth`` more)."""
    warnings.warn(
        f"{what}; the view is folded from the records instead",
        CheckpointWarning,
        stacklevel=6 + depth,
    )


def _doubt(saved: SavedState, store: StateKeeper) -> str | None:
    """Why ``saved`` cannot be used with ``store`` as it is now (None: it can)."""
    secret = state_key()
    expected = None if secret is None else _mac(secret, saved)
    if expected is None or not hmac.compare_digest(expected, saved.digest):
        return (
            "it was not saved with this process's key (damaged, or saved by another "
            f"user or machine: processes that share saved states share one key, {KEY_VARIABLE})"
        )
    found = store.chain_hash_at(saved.head)
    if found is None:
        return f"it covers {saved.head:,} records and the store now holds fewer"
    if found != saved.chain:
        return (
            f"the store's record at position {saved.head} is not the one it was saved "
            "with (another timeline, or one rebuilt since)"
        )
    return None


def _unlike(parts: Any, saved: SavedState, form: str, what: str) -> str | None:
    """Why ``parts`` is not six parts of format ``form`` at ``saved``'s head."""
    if type(parts) is not tuple or len(parts) != 6 or parts[0] != form:
        return f"it is not a saved view {what} of this format"
    if parts[1] != saved.head:
        return f"it says it covers position {parts[1]}, its record says {saved.head}"
    return None


def _misshapen(parts: Any, saved: SavedState) -> str | None:
    """Why ``parts`` is not what `save` writes (None: it is)."""
    why = _unlike(parts, saved, _FORMAT, "state")
    if why is not None:
        return why
    _, _, positions, index, states, count = parts
    if not (
        type(index) is bytes
        and type(states) is bytes
        and type(count) is int
        and count >= 0
        and type(positions) is list
        and positions
        and all(type(p) is int for p in positions)
        and positions == sorted(set(positions))
        and positions[0] >= 0
    ):
        return "its parts are not those of a view's engine"
    return None


# -- checkpoints as deltas ----------------------------------------------------------
#
# The checkpoints of a fold share most of their structure: each is the one before
# with what the records between them changed, and persistent maps share what they did
# not change. A pickle writes each map whole, so 32 checkpoints would cost 32 states'
# worth of entries to write and to load. They are written instead as the first
# state and, for each next one, what changed: fields of attrs states and named tuples
# followed down, persistent maps as the entries set and the keys removed, anything
# else whole (pickle's memo still writes an object shared by several states once).


class _Same(NamedTuple):
    """The value is the previous state's, the same object."""


class _Whole(NamedTuple):
    """The value, written whole."""

    value: Any


class _Fields(NamedTuple):
    """An attrs instance or named tuple of the previous one's class: each field's
    delta, in order."""

    cls: type
    fields: tuple[Any, ...]


class _Entries(NamedTuple):
    """A persistent map: the previous one's, with these entries set and keys removed."""

    set: dict[Any, Any]
    removed: tuple[Any, ...]


_SAME: Final = _Same()
_MISSING: Final = object()


def _chain(states: list[Any]) -> tuple[Any, list[Any]]:
    """The first of ``states`` and each next one's delta from the one before."""
    return states[0], [_delta(a, b) for a, b in itertools.pairwise(states)]


def _unchain(base: Any, deltas: list[Any]) -> list[Any]:
    """The states `_chain` was given."""
    states = [base]
    for delta in deltas:
        states.append(_apply(states[-1], delta))
    return states


def _delta(before: Any, after: Any) -> Any:
    if after is before:
        return _SAME
    if type(after) is immutables.Map and type(before) is immutables.Map:
        changed: dict[Any, Any] = {}
        added = 0
        for key, value in after.items():
            old = before.get(key, _MISSING)
            if old is not value:
                changed[key] = value
                added += old is _MISSING
        removed = (
            tuple(key for key in before if key not in after)
            if len(before) + added != len(after)
            else ()
        )
        return _Entries(changed, removed)
    cls = type(after)
    if type(before) is cls and attrs.has(cls):
        return _Fields(
            cls,
            tuple(
                _delta(getattr(before, f.name), getattr(after, f.name)) for f in attrs.fields(cls)
            ),
        )
    if type(before) is cls and _named_tuple(cls):
        return _Fields(cls, tuple(_delta(b, a) for b, a in zip(before, after, strict=True)))
    return _Whole(after)


def _named_tuple(cls: type) -> bool:
    """Is ``cls`` a named tuple class (a state such as `TriggerState` is one)?"""
    return issubclass(cls, tuple) and isinstance(getattr(cls, "_fields", None), tuple)


def _apply(before: Any, delta: Any) -> Any:
    kind = type(delta)
    if kind is _Same:
        return before
    if kind is _Whole:
        return delta.value
    if kind is _Entries:
        if type(before) is not immutables.Map or type(delta.set) is not dict:
            msg = "a map's delta applied to something else"
            raise TypeError(msg)
        with before.mutate() as changing:
            for key, value in delta.set.items():
                changing[key] = value
            for key in delta.removed:
                del changing[key]
            return changing.finish()
    if kind is _Fields:
        cls = delta.cls
        if isinstance(cls, type) and _named_tuple(cls):
            values: tuple[Any, ...] = before
            if type(before) is not cls or len(values) != len(delta.fields):
                msg = "a named tuple's delta applied to something else"
                raise TypeError(msg)
            return tuple.__new__(
                cls, [_apply(b, c) for b, c in zip(values, delta.fields, strict=True)]
            )
        fields = attrs.fields(cls) if isinstance(cls, type) and attrs.has(cls) else None
        if type(before) is not cls or fields is None or len(fields) != len(delta.fields):
            msg = "an attrs instance's delta applied to something else"
            raise TypeError(msg)
        made = object.__new__(cls)
        for field, change in zip(fields, delta.fields, strict=True):
            object.__setattr__(made, field.name, _apply(getattr(before, field.name), change))
        return made
    msg = f"not a delta: {kind.__name__}"
    raise TypeError(msg)


class _Loader(pickle.Unpickler):
    """Unpickles only what a view state is made of: builtin containers and numbers,
    dates, arrays of numbers, persistent maps, and the classes that hold data (attrs
    classes, named tuples and enums) of this package and of the view's own module
    (``view_module``), and the attack log of `TriggeredCommitments`."""

    def __init__(
        self, file: io.BytesIO, view_module: str | None = None, logs: _Logs | None = None
    ) -> None:
        super().__init__(file)
        self.view_module = view_module
        self.logs = logs

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == saved_log.__qualname__:
            if self.logs is None:
                return saved_log  # saving checks that the name is found; it never loads
            return self.logs.log
        if module == "builtins" and name in _BUILTINS:
            return super().find_class(module, name)
        if module == "builtins" and name == "getattr":
            return self._member  # how enums and time zones pickle: getattr(class, name)
        if module == "datetime" and name in _DATETIME:
            return super().find_class(module, name)
        if module == "array" and name in ("array", "_array_reconstructor"):
            return super().find_class(module, name)  # builds arrays of numbers only
        if "." in name:  # a nested attribute path: never needed by a view state
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a view state")
        # Only modules already imported: loading never imports anything.
        owner = sys.modules.get(module) if self._allowed_module(module) else None
        found = getattr(owner, name, None)
        if found is not None and _allowed_class(module, found):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a view state")

    def finds(self, module: str, name: str) -> bool:
        """Does `find_class` give something for this global?"""
        try:
            self.find_class(module, name)
        except pickle.UnpicklingError:
            return False
        return True

    def _allowed_module(self, module: str) -> bool:
        return _allowed_module(module) or (
            module == self.view_module and not module.startswith(("builtins", "__"))
        )

    def _member(self, owner: object, name: str) -> Any:
        """``getattr`` as a view state needs it, and nothing more: an allowed enum's
        member, or the ``_unpickle`` of an allowed time zone class."""
        if (
            isinstance(owner, type)
            and self._allowed_module(owner.__module__)
            and _allowed_class(owner.__module__, owner)
        ):
            if issubclass(owner, enum.Enum) and type(name) is str and name in owner.__members__:
                return owner.__members__[name]
            if issubclass(owner, _dt.tzinfo) and name == "_unpickle":
                return getattr(owner, name)
        msg = f"getattr({owner!r}, {name!r}) is not allowed in a view state"
        raise pickle.UnpicklingError(msg)


def _allowed_module(module: str) -> bool:
    return (
        module == "immutables"
        or module.startswith(("immutables.", "pendulum.", "conflict_timeline."))
        or module == "pendulum"
    )


def _allowed_class(module: str, found: Any) -> bool:
    if not isinstance(found, type) or found.__module__ != module:
        return False
    if module == "immutables" or module.startswith("immutables."):
        return found is immutables.Map
    if module == "pendulum" or module.startswith("pendulum."):
        return issubclass(found, _dt.date | _dt.time | _dt.timedelta | _dt.tzinfo)
    return attrs.has(found) or issubclass(found, tuple | enum.Enum) or found in DATA_CLASSES
