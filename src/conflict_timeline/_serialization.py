"""Records to JSON and back, with cattrs, the way cattrs recommends.

``make_converter()`` builds a fresh converter; ``configure_converter(c)`` teaches an
existing one our types. Records are a tagged union on ``kind``; every payload also
carries its kind's schema ``version``, and registered upcasters turn an older payload
into the current shape before it is structured, so old files stay readable.

The *canonical* bytes of a record (what the hash chain covers) are its unstructured
form dumped by orjson with sorted keys: compact, UTF-8, no insignificant whitespace.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as _dt
import enum
import functools
import lzma
import math
import os
import reprlib
import typing
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final, TypeAlias, TypeVar, cast

import attrs
import cattrs
import msgspec
import orjson
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from . import _codec
from ._files import ZIP_MAGIC, compression, replacing, sole_file, stream_head
from ._records import KIND_BY_NAME, RECORD_KINDS, AnyRecord, Record
from ._time import TimeExtent
from .errors import ConflictTimelineError, SerializationError

__all__ = [
    "Upcaster",
    "canonical_bytes",
    "configure_converter",
    "from_json",
    "make_converter",
    "read_jsonl",
    "to_json",
    "write_jsonl",
]

R = TypeVar("R", bound=Record)

Upcaster: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns a payload of one schema version into the next version's shape."""

_UpcasterTable: TypeAlias = Mapping[tuple[str, int], Upcaster]

# (kind, from_version) -> upcaster. Every kind is at version 1 today; when a kind's
# shape changes, bump its VERSION and add the step from the old version here.
DEFAULT_UPCASTERS: Final[_UpcasterTable] = {}


def _iso(dt: _dt.datetime) -> str:
    return dt.isoformat()


# Hostile input can be huge or nested thousands deep: messages quote a bounded repr.
def _make_repr() -> reprlib.Repr:
    shown = reprlib.Repr()  # keyword arguments only from Python 3.12
    shown.maxlevel = 3
    shown.maxtuple = shown.maxlist = shown.maxdict = 4
    shown.maxstring = shown.maxother = 80
    shown.maxlong = 40
    return shown


_REPR: Final = _make_repr()
_MAX_PROBLEM: Final = 400  # characters of one problem in an error message
_INT64: Final = range(-(2**63), 2**63)  # what canonical JSON (orjson) and SQLite hold


def _show(value: Any) -> str:
    """``repr(value)``, shortened for messages (safe on huge and deeply nested values)."""
    try:
        return _REPR.repr(value)
    except ValueError:  # an int of more than 4300 digits cannot be shown in base 10
        return f"<{type(value).__name__} too large to show>"


def _parse_instant(text: Any, path: str) -> _dt.datetime:
    if not isinstance(text, str):
        raise _FieldError(path, f"expected an ISO 8601 timestamp string, got {_show(text)}")
    try:
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise _FieldError(path, f"{_show(text)} is not an ISO 8601 timestamp") from None
    if value.tzinfo is None:
        raise _FieldError(path, f"{_show(text)} has no UTC offset; stored times are aware")
    return value


def _unstructure_extent(extent: TimeExtent) -> dict[str, Any]:
    return {
        "earliest": _iso(extent.earliest),
        "latest": _iso(extent.latest),
        "precision": extent.precision.value,
        "tz": extent.tz,
    }


def _structure_extent(value: Any, _: type) -> TimeExtent:
    if isinstance(value, str):  # hand-written JSON may say "2020-10-31"
        return TimeExtent.parse(value)
    if not isinstance(value, Mapping):
        msg = f"expected a time extent object or date string, got {_show(value)}"
        raise SerializationError(msg)
    extra = set(value) - {"earliest", "latest", "precision", "tz"}
    if extra:
        msg = f"unknown keys {sorted(extra)} in a time extent"
        raise SerializationError(msg)
    # An extent is fully determined by these four texts, and immutable: one validated
    # from the same texts before is the answer (a file repeats the same days a lot).
    key = (value.get("earliest"), value.get("latest"), value.get("precision"), value.get("tz"))
    if all(type(part) is str for part in key):
        found = _EXTENTS_READ.get(key)  # type: ignore[arg-type]
        if found is not None:
            return found
    try:
        earliest = _parse_instant(value["earliest"], "earliest")
        latest = _parse_instant(value["latest"], "latest")
        precision = value["precision"]
    except KeyError as exc:
        raise _FieldError(str(exc.args[0]), "required field missing") from None
    tz = value.get("tz", "UTC")
    extent = TimeExtent(earliest, latest, precision, tz=tz)
    if all(type(part) is str for part in key):
        if len(_EXTENTS_READ) >= _EXTENTS_READ_MAX:
            _EXTENTS_READ.clear()
        _EXTENTS_READ[key] = extent  # type: ignore[index]
    return extent


_EXTENTS_READ: dict[tuple[str, str, str, str], TimeExtent] = {}
_EXTENTS_READ_MAX: Final = 100_000


def _structure_int(value: Any, _: type) -> int:
    # cattrs' default is int(value): it would read 2.7 as 2 and "5" as 5, silently.
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole and value in _INT64:
        return cast("int", value)
    # orjson reads an integer literal beyond 64 bits as a float.
    if whole or (isinstance(value, float) and math.isfinite(value) and abs(value) >= 2**63):
        msg = f"expected a whole number of at most 64 bits, got {_show(value)}"
    else:
        msg = f"expected a whole number, got {_show(value)}"
    raise SerializationError(msg)


def _structure_bool(value: Any, _: type) -> bool:
    # cattrs' default is bool(value): it would read "false" and 1 as True, silently.
    if isinstance(value, bool):
        return value
    msg = f"expected true or false, got {_show(value)}"
    raise SerializationError(msg)


def _structure_float(value: Any, _: type) -> float:
    # cattrs' default is float(value): it would read "1.5" and true as numbers, silently.
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            return number
    msg = f"expected a finite number, got {_show(value)}"
    raise SerializationError(msg)


def _structure_str(value: Any, _: type) -> str:
    # cattrs' default is str(value): it would read the number 5 as the text "5".
    if isinstance(value, str):
        return value
    msg = f"expected text, got {_show(value)}"
    raise SerializationError(msg)


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(type_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' default takes any iterable: "abc" would become ("a", "b", "c").
    items = homogenous_tuple_structure_factory(type_, converter)

    def structure(value: Any, cls: Any) -> Any:
        if not isinstance(value, list | tuple):
            msg = f"expected a list, got {_show(value)}"
            raise SerializationError(msg)
        return items(value, cls)

    return structure


def _is_value_class(type_: Any) -> bool:
    return (
        isinstance(type_, type)
        and attrs.has(type_)
        and not issubclass(type_, Record)
        and type_ is not TimeExtent
    )


def _value_class_hook(type_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' default looks keys up in whatever it is given: a list would read as an
    # object with every field left at its default, and a misspelt key would vanish.
    fields = make_dict_structure_fn(type_, converter, _cattrs_forbid_extra_keys=True)

    def structure(value: Any, cls: Any) -> Any:
        if not isinstance(value, Mapping):
            msg = f"expected an object ({type_.__name__}), got {_show(value)}"
            raise SerializationError(msg)
        return fields(value, cls)

    return structure


def _is_enum(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    try:
        return type_(value)
    except (ValueError, TypeError):
        known = ", ".join(str(m.value) for m in type_)
        msg = f"unknown value {_show(value)}; expected one of {known}"
        raise SerializationError(msg) from None


def _record_hooks(
    converter: cattrs.Converter, upcasters: _UpcasterTable
) -> tuple[Callable[[Record], dict[str, Any]], Callable[[Any, Any], Record]]:
    unstructure_fns: dict[type, Callable[[Any], dict[str, Any]]] = {}
    structure_fns: dict[type, Callable[[Any, Any], Any]] = {}
    for cls in RECORD_KINDS:
        unstructure_fns[cls] = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True
        )
        structure_fns[cls] = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    def unstructure(record: Record) -> dict[str, Any]:
        cls = type(record)
        payload = unstructure_fns[cls](record)
        payload["kind"] = cls.KIND
        payload["version"] = cls.VERSION
        return payload

    def structure(value: Any, _: Any) -> Record:
        if not isinstance(value, Mapping):
            msg = f"a record must be a JSON object, got {type(value).__name__}"
            raise SerializationError(msg)
        payload = dict(value)
        kind = payload.pop("kind", None)
        cls = KIND_BY_NAME.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(sorted(KIND_BY_NAME))
            msg = f"kind: unknown record kind {_show(kind)}; expected one of {known}"
            raise SerializationError(msg)
        version = payload.pop("version", cls.VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            msg = f"version: expected a whole number, got {_show(version)}"
            raise SerializationError(msg)
        if version > cls.VERSION:
            msg = (
                f"version: {kind} payload is version {version}, but this library reads "
                f"up to {cls.VERSION}; upgrade conflict_timeline"
            )
            raise SerializationError(msg)
        while version < cls.VERSION:
            step = upcasters.get((cls.KIND, version))
            if step is None:
                msg = f"version: no upcaster registered for {kind} version {version}"
                raise SerializationError(msg)
            try:
                payload = step(payload)
            except Exception as exc:  # an upcaster is user code: say which step failed
                msg = f"version: the upcaster for {kind} version {version} failed: {exc!r}"
                raise SerializationError(msg) from exc
            version += 1
        return cast("Record", structure_fns[cls](payload, cls))

    return unstructure, structure


def configure_converter(
    converter: cattrs.Converter, *, upcasters: _UpcasterTable | None = None
) -> None:
    """Teach ``converter`` conflict_timeline's types.

    Args:
        converter: The converter to configure (it is changed in place).
        upcasters: ``{(kind, from_version): function}`` steps added to the defaults.
    """
    table = {**DEFAULT_UPCASTERS, **(upcasters or {})}
    # Before the record hooks are generated, which look these up once.
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook_func(_is_enum, _structure_enum)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    converter.register_structure_hook_factory(_is_value_class, _value_class_hook)
    converter.register_unstructure_hook(TimeExtent, _unstructure_extent)
    converter.register_structure_hook(TimeExtent, _structure_extent)
    unstructure, structure = _record_hooks(converter, table)
    for cls in (*RECORD_KINDS, Record):
        converter.register_unstructure_hook(cls, unstructure)
        converter.register_structure_hook(cls, structure)
    converter.register_structure_hook(AnyRecord, structure)


def make_converter(*, upcasters: _UpcasterTable | None = None) -> cattrs.Converter:
    """A new converter that reads and writes every record kind.

    Args:
        upcasters: ``{(kind, from_version): function}`` steps that turn a payload of
            ``from_version`` into ``from_version + 1``; added to the defaults.
    """
    converter = cattrs.Converter(detailed_validation=True)
    configure_converter(converter, upcasters=upcasters)
    return converter


@functools.cache
def _default_converter() -> cattrs.Converter:
    """The converter used when none is given, made when first needed: reading stored
    records and writing them go through `_codec`, so many processes never need it,
    and making it is a sixth of the package's import time."""
    return make_converter()


class _FieldError(SerializationError):
    """A problem inside a nested value, carrying the sub-path cattrs cannot see."""

    def __init__(self, subpath: str, reason: str) -> None:
        super().__init__(f"{subpath}: {reason}")
        self.subpath = subpath
        self.reason = reason


def _explain(exc: BaseException, kind: str) -> str:
    """ "path: problem" per problem, joined with "; " (cattrs' field paths kept)."""
    if not isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        return str(exc)
    parts = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_format_leaf):
        problem, _, path = line.rpartition(" @ ")
        path = path.removeprefix("$").removeprefix(".")
        sub, _, reason = problem.partition("\x00")
        if reason:  # a _FieldError: extend the path into the nested value
            path, problem = (f"{path}.{sub}" if path else sub), reason
        parts.append(f"{path or kind}: {_clip(problem)}")
    return "; ".join(parts)


def _clip(text: str) -> str:
    if len(text) <= _MAX_PROBLEM:
        return text
    return f"{text[: _MAX_PROBLEM - 60]}... [{len(text)} characters]"


def _format_leaf(exc: BaseException, type_: type | None) -> str:
    # "\x00" separates a _FieldError's sub-path from its reason, so it is escaped
    # wherever else it occurs (a message may quote hostile data verbatim).
    if isinstance(exc, _FieldError):
        return f"{_no_nul(exc.subpath)}\x00{_no_nul(exc.reason)}"
    return _no_nul(_leaf_text(exc, type_))


def _no_nul(text: str) -> str:
    return text.replace("\x00", "\\x00")


def _leaf_text(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, ConflictTimelineError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown fields {_show(sorted(exc.extra_fields))}"
    name = getattr(type_, "__name__", None) or str(type_)
    return f"invalid value for {name}: {exc}"


def structure_record(
    payload: Any, *, converter: cattrs.Converter | None = None, where: str = ""
) -> AnyRecord:
    """A record from its unstructured (dict) form; errors name the field path."""
    conv = converter or _default_converter()
    try:
        return cast("AnyRecord", conv.structure(payload, Record))
    except RecursionError:
        msg = f"{where}record is nested too deeply"
        raise SerializationError(msg) from None
    except (cattrs.BaseValidationError, ConflictTimelineError, ValueError, TypeError) as exc:
        kind = payload.get("kind", "record") if isinstance(payload, Mapping) else "record"
        detail = _explain(exc, _clip(str(kind)))
        raise SerializationError(f"{where}{detail}") from exc


def unstructure_record(
    record: Record, *, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """A record's plain-dict form, with its ``kind`` and ``version``."""
    if not isinstance(record, Record):
        msg = f"expected a record, got {type(record).__name__} {record!r}"
        raise SerializationError(msg)
    return cast("dict[str, Any]", (converter or _default_converter()).unstructure(record, Record))


# id(record) -> (a weak reference to it, its canonical bytes), the most recent
# first-out. An import serializes each record twice: for its batch's digest when the
# row is accepted and for the store when the record's slice (10,000 records) is
# written. A record is frozen, so its bytes never change; the weak reference tells a
# live record from a later one given the same id, and holds no record alive.
_RECENT_BYTES_MAX: Final = 16_384
_recent_bytes: collections.OrderedDict[int, tuple[weakref.ref[Record], bytes]] = (
    collections.OrderedDict()
)


def canonical_bytes(record: Record, *, converter: cattrs.Converter | None = None) -> bytes:
    """The bytes the hash chain covers: sorted keys, compact, UTF-8.

    Raises:
        SerializationError: when the record holds what JSON cannot (a whole number
            beyond 64 bits, text with lone surrogates).
    """
    fast = converter is None and type(record) in _codec.FAST_KINDS
    if fast:
        found = _recent_bytes.get(id(record))
        if found is not None and found[0]() is record:
            return found[1]
        payload = _codec.unstructure(record)  # the converter's dict, made faster
    else:
        payload = unstructure_record(record, converter=converter)
    try:
        # orjson's bytes keep the buffer they were written into (at least 4 KiB, and
        # 130 KB for a 10,000-character field): copied to their size (0.1 us), a slice
        # of payloads or a store held in memory costs what the bytes are, not 4-10x.
        out = b"%b" % orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as exc:
        msg = f"{record.KIND} {_show(record.id)}: cannot be written as JSON: {exc}"
        raise SerializationError(msg) from None
    if fast:
        if len(_recent_bytes) >= _RECENT_BYTES_MAX:
            _recent_bytes.popitem(last=False)
        key = id(record)
        _recent_bytes[key] = (weakref.KeyedRef(record, _forget, key), out)
    return out


def _forget(ref: weakref.KeyedRef[Any, Record]) -> None:
    """Drop a dead record's bytes (unless its id already names a newer record)."""
    found = _recent_bytes.get(ref.key)
    if found is not None and found[0] is ref:
        del _recent_bytes[ref.key]


def to_json(record: Record, *, converter: cattrs.Converter | None = None) -> str:
    """A record as one line of canonical JSON."""
    return canonical_bytes(record, converter=converter).decode("utf-8")


def _loads(text: str | bytes, where: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        msg = f"{where}not valid JSON: {exc}"
        raise SerializationError(msg) from None


def from_json(text: str | bytes, *, converter: cattrs.Converter | None = None) -> AnyRecord:
    """A record from JSON text, upcast to its current version.

    Raises:
        SerializationError: naming the field path of every problem.
    """
    return structure_record(_loads(text, ""), converter=converter)


def write_jsonl(
    records: Iterable[Record],
    target: str | os.PathLike[str] | IO[str],
    *,
    converter: cattrs.Converter | None = None,
) -> int:
    """Write records as JSON Lines, one canonical record per line; returns the count.

    A path is written whole or not at all: to a temporary file beside it, renamed
    into place once complete (an existing file is left as it was on any error).
    """
    if isinstance(target, str | os.PathLike):
        with replacing(target, newline="\n") as fh:
            return write_jsonl(records, fh, converter=converter)
    count = 0
    for record in records:
        target.write(to_json(record, converter=converter))
        target.write("\n")
        count += 1
    return count


def read_jsonl(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    converter: cattrs.Converter | None = None,
) -> Iterator[AnyRecord]:
    """Read JSON Lines lazily; blank lines are skipped, and a UTF-8 byte-order mark
    at the start (Notepad and Excel save one) is read past. A file (a path or a
    binary stream) compressed with gzip, bzip2 or xz (``log.jsonl.gz``), or a zip
    archive holding one ``.jsonl`` file, is read as the file it holds, told by its
    first bytes as the dataset importers tell one; messages name the file given.

    Raises:
        SerializationError: "file.jsonl, line 4: occurred.earliest: ..." for a bad line.
    """
    for _, record in read_jsonl_numbered(source, converter=converter):
        yield record


def read_jsonl_numbered(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    converter: cattrs.Converter | None = None,
) -> Iterator[tuple[int, AnyRecord]]:
    """[`read_jsonl`][conflict_timeline.read_jsonl], each record with the number of the line it is
    on."""
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        with Path(source).open("rb") as fh, _unpacked(fh, name) as inner:
            yield from _read_packed(inner, name, converter)
        return
    name = str(getattr(source, "name", "<stream>"))
    if not isinstance(source.read(0), bytes):
        yield from _read_lines(source, name, converter)
        return
    with _unpacked(cast("IO[bytes]", source), name) as inner:
        yield from _read_packed(inner, name, converter)


_JSONL_SUFFIXES: Final = frozenset({".jsonl", ".ndjson", ".json", ".txt"})


@contextlib.contextmanager
def _unpacked(fh: IO[bytes], name: str) -> Iterator[IO[bytes]]:
    """The bytes a compressed file or a zip archive of one JSON Lines file holds,
    else ``fh`` itself, open while the context lasts (the caller's stream is left
    open).

    Raises:
        SerializationError: a zip archive holding no ``.jsonl`` file, or several.
    """
    head = stream_head(fh)
    opener = compression(head)
    if opener is not None:
        with opener(fh, "rb") as inner:
            yield cast("IO[bytes]", inner)
        return
    if not head.startswith(ZIP_MAGIC) or not fh.seekable():
        yield fh
        return
    with zipfile.ZipFile(fh) as archive:
        member, held = sole_file(archive, _JSONL_SUFFIXES)
        if member is None:
            msg = (
                f"{name} is a zip archive holding {held}: expected one JSON Lines file "
                "(.jsonl); extract the file to import and import it"
            )
            raise SerializationError(msg)
        with archive.open(member) as inner:
            yield inner


def _read_packed(
    fh: IO[bytes], name: str, converter: cattrs.Converter | None
) -> Iterator[tuple[int, AnyRecord]]:
    """`_read_lines` of a file that may be compressed: a compressed file cut short or
    damaged (a partial download) is a `SerializationError` naming it."""
    try:
        yield from _read_lines(fh, name, converter)
    except (EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # the disk or the caller's stream failed, not the compressed bytes
        msg = f"{name}: the compressed file is cut short or damaged ({exc}); write it again"
        raise SerializationError(msg) from None


MAX_LINE: Final = 64 * 1024 * 1024
"""The longest JSON Lines line read (64 MiB, counted in bytes, or in characters for a
text stream): a longer line is refused, naming it, without being held in memory."""


def _bounded_lines(fh: IO[str] | IO[bytes], name: str) -> Iterator[str | bytes]:
    """The lines of ``fh``, each read with a limit; a line over `MAX_LINE` is skipped
    to its end a piece at a time, then refused."""
    reader = cast("IO[Any]", fh)
    lineno = 0
    while True:
        line = reader.readline(MAX_LINE + 3)  # the line, its CR LF, and one more
        if not line:
            return
        lineno += 1
        binary = isinstance(line, bytes)
        newline = b"\n" if binary else "\n"
        if len(line.rstrip(b"\r\n" if binary else "\r\n")) > MAX_LINE:
            while line and not line.endswith(newline):
                line = reader.readline(1024 * 1024)
            unit = "bytes" if binary else "characters"
            msg = (
                f"{name}, line {lineno}: longer than {MAX_LINE:,} {unit}; a record's JSON "
                "line may be at most that long"
            )
            raise SerializationError(msg)
        yield line


def _read_lines(
    fh: IO[str] | IO[bytes], name: str, converter: cattrs.Converter | None
) -> Iterator[tuple[int, AnyRecord]]:
    for lineno, line in enumerate(_bounded_lines(fh, name), start=1):
        where = f"{name}, line {lineno}: "
        if isinstance(line, bytes):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                msg = f"{where}not UTF-8 ({exc.reason} at byte {exc.start})"
                raise SerializationError(msg) from None
        else:
            text = line
        if lineno == 1:  # a byte-order mark, as Notepad and Excel save UTF-8: not text
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        yield lineno, structure_record(_loads(text, where), converter=converter, where=where)


def record_from_stored(payload: bytes | str) -> AnyRecord:
    """Decode a payload that this library stored (trusted, already validated once).

    The fast reader (`_codec.decode_stored`) builds it from the bytes without
    re-running validators; anything it does not expect (an older schema version, a
    missing or unknown key, a JSON type this version does not write, an enum value,
    time extent or zone that is none, a number past 64 bits, damaged JSON) goes
    through the validating converter, which reads it or words the error. Other values
    are not checked again (a stored latitude of 500 is read as 500): a payload edited
    outside the library is what `verify()` finds, by its hash.
    """
    try:
        return _codec.decode_stored(payload)  # type: ignore[no-any-return]
    except _codec.Unsupported:
        return structure_record(_loads(payload, ""))


class _CorrectionHead(msgspec.Struct):
    """What `replacement_from_stored` reads of a stored correction: every other key
    is skipped unread, and the replacement kept as its undecoded JSON."""

    version: Any = None
    kind: Any = None
    replacement: msgspec.Raw = msgspec.Raw(b"")


_read_correction_head: Final = msgspec.json.Decoder(_CorrectionHead).decode


def replacement_from_stored(payload: bytes) -> AnyRecord | None:
    """The replacement a stored `Correction` carries, decoded as `record_from_stored`
    decodes it within the whole correction, without reading the correction's other
    fields (its times and sources, most of its cost to decode). None when this
    cannot be done: the payload is not a correction of the version this library
    writes, or the replacement does not decode (the whole correction's decode then
    words the damage)."""
    try:
        head = _read_correction_head(payload)
    except (msgspec.DecodeError, RecursionError):  # nested deeper than msgspec reads
        return None
    if head.kind != "Correction" or head.version != _CORRECTION_VERSION or not head.replacement:
        return None
    try:
        return record_from_stored(memoryview(head.replacement))  # type: ignore[arg-type]
    except (ConflictTimelineError, ValueError, TypeError):
        return None


_CORRECTION_VERSION: Final = KIND_BY_NAME["Correction"].VERSION
