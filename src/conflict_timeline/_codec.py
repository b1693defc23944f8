"""Fast paths for the hot loops: a record's canonical dict out, a stored payload in.

The cattrs converter of `_serialization` is the reference: it validates what it
reads and words every error. Appending a million records or rebuilding a view over
them cannot afford it (about 15 µs a record to unstructure, 50 µs to structure), so
this module generates, once per record class and from the same attrs fields:

* `unstructure`: the exact dict the converter gives (fields equal to their
  default omitted on records, nested values in full, ``kind`` and ``version``
  added), so `canonical_bytes` is byte-for-byte the same;
* `decode_stored`: a record from the bytes of a payload *this library stored*,
  read by msgspec into structs of the same fields (no dict in between) and built
  without running validators or converters, because the record was validated when
  it was appended and the payload is its canonical form. Equal time extents are
  shared through a small cache (they are immutable), which also saves memory.

Anything the fast reader does not expect (an older schema version, a missing or
unknown key, a JSON type this version does not write, an enum value, extent or
zone that is none, damaged JSON) raises `Unsupported`, and the caller falls back
to the validating converter, which reads it or raises the proper error. The other
validators (a latitude within -90..90, an id's characters) are not run again: a
payload edited outside the library is found by `verify()`, by its hash. Tests
check both paths agree on every kind (``tests/test_codec.py``).
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import operator
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs
import msgspec
import pendulum

from ._records import KIND_BY_NAME, RECORD_KINDS, Record
from ._time import Precision, TimeExtent, assembled_extent, epoch_us, is_zone

__all__ = [
    "FAST_KINDS",
    "Unsupported",
    "decode_stored",
    "structure_extent",
    "unstructure",
]

_UTC: Final = pendulum.UTC
_EXTENT_CACHE_MAX: Final = 100_000


class Unsupported(Exception):  # noqa: N818 - a signal to fall back, not an error to show
    """The fast reader cannot build this payload; use the validating converter."""


# ------------------------------------------------------------------------ time extents

# id(extent) -> (extent, its dict). Keyed by identity: hashing an extent costs more
# than writing it out. Holding the extent keeps its id from being reused.
_extent_dicts: dict[int, tuple[TimeExtent, dict[str, str]]] = {}
_extents: dict[tuple[str, str, str, str], TimeExtent] = {}
_instants: dict[str, tuple[pendulum.DateTime, int]] = {}
_PRECISIONS: Final = Precision._value2member_map_


def _isoformat(value: _dt.datetime) -> str:
    """``value.isoformat()``; faster for a bound in pendulum's UTC, whose isoformat()
    asks the zone for its offset (~1.5 us), always 0: the same fields, unzoned, and
    the offset written out."""
    if type(value) is pendulum.DateTime and value.tzinfo is _UTC:
        fields = (value.year, value.month, value.day, value.hour, value.minute, value.second)
        return _dt.datetime(*fields, value.microsecond).isoformat() + "+00:00"  # noqa: DTZ001
    return value.isoformat()


def _unstructure_extent(extent: TimeExtent) -> dict[str, str]:
    found = _extent_dicts.get(id(extent))
    if found is not None and found[0] is extent:
        return found[1]
    earliest = extent.earliest
    first = _isoformat(earliest)
    out = {
        "earliest": first,
        "latest": first if extent.latest is earliest else _isoformat(extent.latest),
        "precision": extent.precision.value,
        "tz": extent.tz,
    }
    if len(_extent_dicts) >= _EXTENT_CACHE_MAX:
        _extent_dicts.clear()
    _extent_dicts[id(extent)] = (extent, out)
    return out


def _instant(text: str) -> tuple[pendulum.DateTime, int]:
    """An instant written by `_isoformat` (UTC), with its epoch microseconds; cached by
    its text (a day's bounds recur in many extents: the report of one attack, the
    publication of its source, the occurrence of the next)."""
    found = _instants.get(text)
    if found is not None:
        return found
    value = _dt.datetime.fromisoformat(text)
    if value.utcoffset() != _dt.timedelta(0):
        raise Unsupported
    instant = pendulum.DateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=_UTC,
    )
    if len(_instants) >= _EXTENT_CACHE_MAX:
        _instants.clear()
    made = _instants[text] = (instant, epoch_us(instant))
    return made


def structure_extent(value: Any) -> TimeExtent:
    """A `TimeExtent` from its stored dict (cached by its four values).

    Raises:
        Unsupported: when the dict is not one this version writes.
    """
    try:
        key = (value["earliest"], value["latest"], value["precision"], value["tz"])
    except (TypeError, KeyError):
        raise Unsupported from None
    # Before the cache: an extent with a key more is unexpected even when its four
    # values were read before (it used to be taken from the cache, its key ignored).
    if len(value) != 4:
        raise Unsupported
    try:
        found = _extents.get(key)  # a list among the values cannot be a key
        return found if found is not None else _new_extent(key)
    except (TypeError, ValueError):  # a bound that is no text, or no ISO time
        raise Unsupported from None


def _new_extent(key: tuple[str, str, str, str]) -> TimeExtent:
    """The extent of a stored extent's four values, made and cached (not cached yet)."""
    (earliest, lo), (latest, hi) = _instant(key[0]), _instant(key[1])
    precision = _PRECISIONS.get(key[2])
    # As the class checks (once per distinct extent: the zone test is cached).
    tz = key[3]
    if hi < lo or precision is None or type(tz) is not str or not tz or not is_zone(tz):
        raise Unsupported
    extent = assembled_extent(earliest, latest, lo, hi, precision, tz)  # type: ignore[arg-type]
    if len(_extents) >= _EXTENT_CACHE_MAX:
        _extents.clear()
    _extents[key] = extent
    return extent


# ---------------------------------------------------------------------- by field type


def _is_record_union(args: tuple[Any, ...]) -> bool:
    return all(isinstance(a, type) and issubclass(a, Record) for a in args)


def _unstructure_nested(record: Record) -> dict[str, Any]:
    return unstructure(record)  # late-bound: defined below


def _field(type_: Any, tag: str, helpers: dict[str, Any]) -> str:
    """The expression over ``{v}`` that writes a field of ``type_`` (``{v}``: the
    value itself), adding the helpers it names to ``helpers``; ``tag`` keeps their
    names unique."""
    origin = typing.get_origin(type_)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in typing.get_args(type_) if a is not type(None))
        optional = len(args) < len(typing.get_args(type_))
        if _is_record_union(args):
            helpers["_unstructure"] = _unstructure_nested
            inner = "_unstructure({v})"
        elif len(args) == 1:
            inner = _field(args[0], tag, helpers)
        else:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        if not optional or inner == "{v}":
            return inner
        return f"(None if {{v}} is None else {inner})"
    if origin is tuple:
        args = typing.get_args(type_)
        if len(args) != 2 or args[1] is not Ellipsis:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        item = _field(args[0], tag + "i", helpers)
        return "{v}" if item == "{v}" else f"[{item.format(v='x')} for x in {{v}}]"
    if type_ in (str, int, float, bool):
        return "{v}"
    if type_ is TimeExtent:
        helpers["_extent_out"] = _unstructure_extent
        return "_extent_out({v})"
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return "{v}.value"
    if isinstance(type_, type) and issubclass(type_, Record):
        helpers["_unstructure"] = _unstructure_nested
        return "_unstructure({v})"
    if isinstance(type_, type) and attrs.has(type_):
        helpers[f"_enc_{tag}"] = _value_writer(type_)
        return f"_enc_{tag}({{v}})"
    msg = f"no fast codec for {type_!r}"
    raise TypeError(msg)


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """What sets field ``name`` of a new ``cls`` past its frozen ``__setattr__``: the
    slot's own descriptor (a third faster than ``object.__setattr__`` by name), or
    ``object.__setattr__`` for a class without that slot."""
    for owner in cls.__mro__:
        found = owner.__dict__.get(name)
        if found is not None:
            if isinstance(found, types.MemberDescriptorType):
                return found.__set__
            break

    def set_by_name(o: Any, v: Any) -> None:
        object.__setattr__(o, name, v)

    return set_by_name


def _compile(
    name: str, lines: list[str], helpers: dict[str, Any], owner: type
) -> Callable[..., Any]:
    namespace: dict[str, Any] = {**helpers, "_new": object.__new__, "Unsupported": Unsupported}
    # The file name shows in tracebacks and profiles: "<_codec Attack.unstructure>".
    code = compile("\n".join(lines), f"<_codec {owner.__name__}.{name}>", "exec")
    exec(code, namespace)  # noqa: S102 - generated from attrs fields, as cattrs does
    return namespace[name]  # type: ignore[no-any-return]


def _value_writer(cls: type) -> Callable[[Any], Any]:
    """The writer of a nested value (Source, Figure, Scope...): every field, always."""
    hints = typing.get_type_hints(cls)
    helpers: dict[str, Any] = {}
    lines = ["def enc(o):", "    out = {}"]
    for i, field in enumerate(f for f in attrs.fields(cls) if f.init):
        name = field.name
        value = _field(hints[name], f"{cls.__name__}{i}", helpers)
        lines += [f"    v = o.{name}", f"    out[{name!r}] = {value.format(v='v')}"]
    lines.append("    return out")
    return _compile("enc", lines, helpers, cls)


# ---------------------------------------------------------------------------- records


def _record_writer(cls: type[Record]) -> Callable[[Record], dict[str, Any]]:
    """The writer of one record class: its fields equal to their default left out,
    as cattrs' ``omit_if_default``; ``kind`` and ``version`` added."""
    hints = typing.get_type_hints(cls)
    helpers: dict[str, Any] = {}
    lines = ["def unstructure(o):", "    out = {}"]
    for i, field in enumerate(attrs.fields(cls)):
        if not field.init:
            msg = f"{cls.__name__}.{field.name}: no fast codec for init=False fields"
            raise TypeError(msg)
        name = field.name
        value = _field(hints[name], f"{cls.KIND}{i}", helpers).format(v="v")
        lines.append(f"    v = o.{name}")
        default = _default(cls, field)
        if default is attrs.NOTHING:
            lines.append(f"    out[{name!r}] = {value}")
            continue
        helpers[f"_default{i}"] = default
        test = "is not" if default is None or isinstance(default, enum.Enum) else "!="
        lines += [f"    if v {test} _default{i}:", f"        out[{name!r}] = {value}"]
    lines += [
        f"    out['kind'] = {cls.KIND!r}",
        f"    out['version'] = {cls.VERSION!r}",
        "    return out",
    ]
    return _compile("unstructure", lines, helpers, cls)


def _default(cls: type, field: attrs.Attribute[Any]) -> Any:
    """The field's default value (a factory's made once: defaults are immutable, so
    one is shared), or ``attrs.NOTHING``."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            msg = f"{cls.__name__}.{field.name}: no fast codec for takes_self"
            raise TypeError(msg)
        return default.factory()
    return default


_WRITERS: Final[dict[type[Record], Callable[[Record], dict[str, Any]]]] = {}
"""Each record class's writer, compiled the first time a record of it is written
(compiling every kind's reader and writer at import was a tenth of it). A plain
dict: a subclass with ``__missing__`` is looked up outside CPython's dict fast path,
some 20 ns more on each of a million records' writes."""


def _new_writer(cls: type[Record]) -> Callable[[Record], dict[str, Any]]:
    """Compile, keep and give ``cls``'s writer (two threads may both compile it: the
    same code, one kept)."""
    if cls not in FAST_KINDS:
        raise KeyError(cls)
    made = _WRITERS[cls] = _record_writer(cls)
    return made


def unstructure(record: Record) -> dict[str, Any]:
    """The dict cattrs' converter gives for ``record`` (see the module docstring).

    The dict may share nested dicts with other results: dump it, do not change it.
    """
    try:
        writer = _WRITERS[type(record)]
    except KeyError:
        writer = _new_writer(type(record))
    return writer(record)


FAST_KINDS: Final = frozenset(RECORD_KINDS)
"""The record classes `unstructure` knows (a subclass goes through cattrs)."""
assert {cls.KIND for cls in FAST_KINDS} == set(KIND_BY_NAME)


# ------------------------------------------------------------- stored bytes, in C first
#
# `decode_stored` reads a stored payload's bytes straight into msgspec structs made
# from the same attrs fields (one per record kind, told apart by ``kind`` in C; one
# per nested value class; an extent's four strings), which check every key and the
# JSON type of every value as they read, then builds the record from the struct
# without validators or converters. Reading the JSON into a dict first, then looking
# each key up in it, cost about 40% more (measured in docs/performance.md).


class _ExtentWire(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A stored `TimeExtent`: its four strings, all of them, nothing else. Frozen, it
    hashes (in C) by its four strings and equals one with the same four: its own key
    in `_wire_extents`."""

    earliest: str
    latest: str
    precision: str
    tz: str


# _ExtentWire -> its extent, beside `_extents` (the same extents, keyed by tuple).
_wire_extents: dict[_ExtentWire, TimeExtent] = {}


def _extent_of_wire(wire: _ExtentWire) -> TimeExtent:
    """The extent of ``wire`` not found in `_wire_extents`: made (or found in
    `_extents`) and kept there."""
    key = (wire.earliest, wire.latest, wire.precision, wire.tz)
    found = _extents.get(key)
    if found is None:
        found = _new_extent(key)
    if len(_wire_extents) >= _EXTENT_CACHE_MAX:
        _wire_extents.clear()
    _wire_extents[wire] = found
    return found


def _nested_record(raw: msgspec.Raw) -> Any:
    return decode_stored(raw)


_INT64: Final = typing.Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
"""A whole number as the converter takes one (and SQLite stores one): 64 bits."""


def _wire_field(type_: Any, tag: str, helpers: dict[str, Any]) -> tuple[Any, str]:
    """The msgspec type that reads a field of ``type_``, and the expression over
    ``{v}`` that makes the field's value of what it read (``{v}``: the value itself)."""
    origin = typing.get_origin(type_)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in typing.get_args(type_) if a is not type(None))
        optional = len(args) < len(typing.get_args(type_))
        if _is_record_union(args):
            inner_type: Any = msgspec.Raw
            inner = "_record({v})"
            helpers["_record"] = _nested_record
        elif len(args) == 1:
            inner_type, inner = _wire_field(args[0], tag, helpers)
        else:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        if not optional:
            return inner_type, inner
        if inner == "{v}":
            return inner_type | None, inner
        return inner_type | None, f"(None if {{v}} is None else {inner})"
    if origin is tuple:
        args = typing.get_args(type_)
        if len(args) != 2 or args[1] is not Ellipsis:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        item_type, item = _wire_field(args[0], tag + "i", helpers)
        wire_tuple = tuple[item_type, ...]  # type: ignore[valid-type]
        if item == "{v}":
            return wire_tuple, "{v}"
        return wire_tuple, f"tuple([{item.format(v='x')} for x in {{v}}])"
    if type_ is int:
        return _INT64, "{v}"
    if type_ in (str, float, bool):
        return type_, "{v}"
    if type_ is TimeExtent:
        # A TimeExtent is never false: ``or`` goes on only when the cache has none.
        helpers["_extent"], helpers["_extent_get"] = _extent_of_wire, _wire_extents.get
        return _ExtentWire, "(_extent_get({v}) or _extent({v}))"
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        name = f"_members_{tag}"
        helpers[name] = type_._value2member_map_
        return str, f"{name}[{{v}}]"
    if isinstance(type_, type) and issubclass(type_, Record):
        helpers["_record"] = _nested_record
        return msgspec.Raw, "_record({v})"
    if isinstance(type_, type) and attrs.has(type_):
        wire, build = _wire_value(type_)
        helpers[f"_value_{tag}"] = build
        return wire, f"_value_{tag}({{v}})"
    msg = f"no fast codec for {type_!r}"
    raise TypeError(msg)


_WIRE_VALUES: dict[type, tuple[type, Callable[[Any], Any]]] = {}


def _wire_value(cls: type) -> tuple[type, Callable[[Any], Any]]:
    """The struct of a nested value class (every field, always written) and what
    builds the value of it."""
    found = _WIRE_VALUES.get(cls)
    if found is not None:
        return found
    hints = typing.get_type_hints(cls)
    helpers: dict[str, Any] = {"_cls": cls}
    fields: list[tuple[str, Any]] = []
    lines = ["def build(p):", "    o = _new(_cls)"]
    for i, field in enumerate(f for f in attrs.fields(cls) if f.init):
        wire_type, value = _wire_field(hints[field.name], f"{cls.__name__}{i}", helpers)
        fields.append((field.name, wire_type))
        helpers[f"_s{i}"] = _setter(cls, field.name)
        lines.append(f"    _s{i}(o, {value.format(v='p.' + field.name)})")
    lines.append("    return o")
    wire = msgspec.defstruct(f"_{cls.__name__}Wire", fields, forbid_unknown_fields=True)
    made = (wire, _compile("build", lines, helpers, cls))
    _WIRE_VALUES[cls] = made
    return made


def _wire_record(cls: type[Record]) -> tuple[type, Callable[[Any], Any]]:
    """The struct of a record class, tagged by its ``kind``, and what builds the
    record of it: a field left out takes its default (as the writer leaves out a
    field equal to it)."""
    hints = typing.get_type_hints(cls)
    helpers: dict[str, Any] = {"_cls": cls, "_UNSET": msgspec.UNSET}
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [("version", _INT64)]
    lines = [
        "def build(p):",
        f"    if p.version != {cls.VERSION!r}:",
        "        raise Unsupported",
        "    o = _new(_cls)",
    ]
    for i, field in enumerate(attrs.fields(cls)):
        name = field.name
        wire_type, value = _wire_field(hints[name], f"{cls.KIND}{i}", helpers)
        helpers[f"_s{i}"] = _setter(cls, name)
        default = _default(cls, field)
        if default is attrs.NOTHING:
            fields.append((name, wire_type))
            lines.append(f"    _s{i}(o, {value.format(v='p.' + name)})")
            continue
        helpers[f"_default{i}"] = default  # immutable: sharing is safe
        fields.append((name, wire_type | msgspec.UnsetType, msgspec.UNSET))
        lines += [
            f"    v = p.{name}",
            "    if v is _UNSET:",
            f"        _s{i}(o, _default{i})",
            "    else:",
            f"        _s{i}(o, {value.format(v='v')})",
        ]
    lines.append("    return o")
    wire = msgspec.defstruct(
        f"_{cls.KIND}Wire",
        fields,
        tag=cls.KIND,
        tag_field="kind",
        forbid_unknown_fields=True,
        kw_only=True,
    )
    return wire, _compile("build", lines, helpers, cls)


_WIRE_BUILDERS: Final[dict[type, Callable[[Any], Any]]] = {}
_WIRE_LOCK: Final = threading.Lock()


def _first_read(payload: Any) -> Any:
    """Read the first payload of this process: make every kind's struct and builder
    and the decoder of their union, then become that decoder (`_read_wire`), so that
    a process that never reads a stored record never compiles them."""
    global _read_wire  # noqa: PLW0603 - replaced once, by the decoder it makes
    with _WIRE_LOCK:
        if _read_wire is _first_read:
            try:
                made = dict(map(_wire_record, RECORD_KINDS))
                decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
                    functools.reduce(operator.or_, made)
                )
            except Exception as exc:  # a bug here, not a payload this version never wrote
                msg = "the fast reader of stored records could not be made"
                raise RuntimeError(msg) from exc
            _WIRE_BUILDERS.update(made)
            _read_wire = decoder.decode
    return _read_wire(payload)


_read_wire: Callable[[Any], Any] = _first_read
_WIRE_FAILS: Final = (msgspec.DecodeError, RecursionError, KeyError, TypeError, ValueError)


def decode_stored(payload: Any) -> Any:
    """A record from the bytes (or text) of a payload this library stored, read
    without a dict in between (see above).

    Raises:
        Unsupported: when the payload is not what this version writes (damaged
            JSON included): the caller falls back to the validating converter.
    """
    try:
        wire = _read_wire(payload)
        return _WIRE_BUILDERS[type(wire)](wire)
    except _WIRE_FAILS:
        raise Unsupported from None
