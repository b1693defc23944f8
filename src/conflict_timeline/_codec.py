"""Fast paths for the hot loops: a record's canonical dict out, a stored payload in.

The cattrs converter of `_serialization` is the reference: it validates what it
reads and words every error. Appending a million records or rebuilding a view over
them cannot afford it (about 15 µs a record to unstructure, 50 µs to structure), so
this module generates, once per record class and from the same attrs fields:

* `unstructure`: the exact dict the converter gives (fields equal to their
  default omitted on records, nested values in full, ``kind`` and ``version``
  added), so `canonical_bytes` is byte-for-byte the same;
* `structure_trusted`: a record from a payload *this library stored*, built
  without running validators or converters, because the record was validated when
  it was appended and the payload is its canonical form. Equal time extents are
  shared through a small cache (they are immutable), which also saves memory.

Anything the fast reader does not expect (an older schema version, a missing or
unknown key, a value of the wrong shape) raises `Unsupported`, and the caller
falls back to the validating converter, which then raises the proper error.
Tests check both paths agree on every kind (``tests/test_codec.py``).
"""

from __future__ import annotations

import datetime as _dt
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs
import pendulum

from ._records import KIND_BY_NAME, RECORD_KINDS, Record
from ._time import Precision, TimeExtent, assembled_extent, epoch_us

__all__ = ["FAST_KINDS", "Unsupported", "structure_extent", "structure_trusted", "unstructure"]

_MISSING: Final = object()
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
    found = _extents.get(key)
    if found is not None:
        return found
    (earliest, lo), (latest, hi) = _instant(key[0]), _instant(key[1])
    precision = _PRECISIONS.get(key[2])
    if hi < lo or precision is None:
        raise Unsupported
    extent = assembled_extent(earliest, latest, lo, hi, precision, key[3])  # type: ignore[arg-type]
    if len(_extents) >= _EXTENT_CACHE_MAX:
        _extents.clear()
    _extents[key] = extent
    return extent


# ---------------------------------------------------------------------- by field type


class _Field:
    """How one field is written and read, as expressions over ``v`` for the
    generated functions, with the helpers those expressions name."""

    def __init__(self, enc: str, dec: str, helpers: dict[str, Any]) -> None:
        self.enc = enc
        self.dec = dec
        self.helpers = helpers


def _bad(*_: Any) -> Any:
    raise Unsupported


def _record_helpers() -> dict[str, Any]:
    # Late-bound: unstructure and structure_trusted are defined below.
    return {"_unstructure": unstructure, "_structure": structure_trusted}


def _is_record_union(args: tuple[Any, ...]) -> bool:
    return all(isinstance(a, type) and issubclass(a, Record) for a in args)


def _field(type_: Any, tag: str) -> _Field:
    """The codec of one field type; ``tag`` keeps helper names unique."""
    origin = typing.get_origin(type_)
    if origin in (typing.Union, types.UnionType):
        args = tuple(a for a in typing.get_args(type_) if a is not type(None))
        optional = len(args) < len(typing.get_args(type_))
        if _is_record_union(args):
            inner = _Field("_unstructure({v})", "_structure({v})", _record_helpers())
        elif len(args) == 1:
            inner = _field(args[0], tag)
        else:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        if not optional:
            return inner
        return _Field(
            f"(None if {{v}} is None else {inner.enc})",
            f"(None if {{v}} is None else {inner.dec})",
            inner.helpers,
        )
    if origin is tuple:
        args = typing.get_args(type_)
        if len(args) != 2 or args[1] is not Ellipsis:
            msg = f"no fast codec for {type_!r}"
            raise TypeError(msg)
        item = _field(args[0], tag + "i")
        if item.enc == "{v}" and item.dec == "{v}":
            return _Field("{v}", "(tuple({v}) if type({v}) is list else _bad())", {"_bad": _bad})
        enc, dec = item.enc.format(v="x"), item.dec.format(v="x")
        return _Field(
            f"[{enc} for x in {{v}}]",
            f"(tuple([{dec} for x in {{v}}]) if type({{v}}) is list else _bad())",
            {**item.helpers, "_bad": _bad},
        )
    if type_ in (str, int, float, bool):
        return _Field("{v}", "{v}", {})
    if type_ is TimeExtent:
        return _Field(
            "_extent_out({v})",
            "_extent_in({v})",
            {"_extent_out": _unstructure_extent, "_extent_in": structure_extent},
        )
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        name = f"_members_{tag}"
        return _Field("{v}.value", f"{name}[{{v}}]", {name: type_._value2member_map_})
    if isinstance(type_, type) and issubclass(type_, Record):
        return _Field("_unstructure({v})", "_structure({v})", _record_helpers())
    if isinstance(type_, type) and attrs.has(type_):
        enc_fn, dec_fn = _value_class(type_)
        return _Field(
            f"_enc_{tag}({{v}})",
            f"_dec_{tag}({{v}})",
            {f"_enc_{tag}": enc_fn, f"_dec_{tag}": dec_fn},
        )
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
    namespace: dict[str, Any] = {
        **helpers,
        "_new": object.__new__,
        "_MISSING": _MISSING,
        "Unsupported": Unsupported,
    }
    # The file name shows in tracebacks and profiles: "<_codec Attack.structure>".
    code = compile("\n".join(lines), f"<_codec {owner.__name__}.{name}>", "exec")
    exec(code, namespace)  # noqa: S102 - generated from attrs fields, as cattrs does
    return namespace[name]  # type: ignore[no-any-return]


def _value_class(cls: type) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """A nested value (Source, Figure, Scope...): every field, always written."""
    hints = typing.get_type_hints(cls)
    fields = [f.name for f in attrs.fields(cls) if f.init]
    helpers: dict[str, Any] = {"_cls": cls}
    enc = ["def enc(o):", "    out = {}"]
    dec = [
        "def dec(p):",
        f"    if type(p) is not dict or len(p) != {len(fields)}:",
        "        raise Unsupported",
        "    o = _new(_cls)",
        "    try:",
    ]
    for i, name in enumerate(fields):
        codec = _field(hints[name], f"{cls.__name__}{i}")
        helpers.update(codec.helpers)
        enc += [f"    v = o.{name}", f"    out[{name!r}] = {codec.enc.format(v='v')}"]
        helpers[f"_s{i}"] = _setter(cls, name)
        dec += [
            f"        v = p[{name!r}]",
            f"        _s{i}(o, {codec.dec.format(v='v')})",
        ]
    enc.append("    return out")
    dec += [
        "    except (KeyError, TypeError):",
        "        raise Unsupported from None",
        "    return o",
    ]
    return _compile("enc", enc, helpers, cls), _compile("dec", dec, helpers, cls)


# ---------------------------------------------------------------------------- records


class _Plan:
    """The generated writer and reader of one record class."""

    def __init__(self, cls: type[Record]) -> None:
        hints = typing.get_type_hints(cls)
        helpers: dict[str, Any] = {"_cls": cls}
        enc = ["def unstructure(o):", "    out = {}"]
        dec = [
            "def structure(p):",
            f"    if p.get('version') != {cls.VERSION!r}:",
            "        raise Unsupported",
            "    o = _new(_cls)",
            "    n = 2",
            "    try:",
        ]
        for i, field in enumerate(attrs.fields(cls)):
            if not field.init:
                msg = f"{cls.__name__}.{field.name}: no fast codec for init=False fields"
                raise TypeError(msg)
            name = field.name
            codec = _field(hints[name], f"{cls.KIND}{i}")
            helpers.update(codec.helpers)
            enc_v, dec_v = codec.enc.format(v="v"), codec.dec.format(v="v")
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                if default.takes_self:
                    msg = f"{cls.__name__}.{name}: no fast codec for takes_self"
                    raise TypeError(msg)
                default = default.factory()
            helpers[f"_s{i}"] = _setter(cls, name)
            enc.append(f"    v = o.{name}")
            dec.append(f"        v = p.get({name!r}, _MISSING)")
            if default is attrs.NOTHING:
                enc.append(f"    out[{name!r}] = {enc_v}")
                dec += [
                    "        if v is _MISSING:",
                    "            raise Unsupported",
                    f"        _s{i}(o, {dec_v})",
                    "        n += 1",
                ]
                continue
            # As cattrs' omit_if_default: a field equal to its default is left out.
            helpers[f"_default{i}"] = default
            test = "is not" if default is None or isinstance(default, enum.Enum) else "!="
            enc += [f"    if v {test} _default{i}:", f"        out[{name!r}] = {enc_v}"]
            dec += [
                "        if v is _MISSING:",
                f"            _s{i}(o, _default{i})",  # immutable: sharing is safe
                "        else:",
                f"            _s{i}(o, {dec_v})",
                "            n += 1",
            ]
        enc += [
            f"    out['kind'] = {cls.KIND!r}",
            f"    out['version'] = {cls.VERSION!r}",
            "    return out",
        ]
        dec += [
            "    except (KeyError, TypeError, ValueError):",
            "        raise Unsupported from None",
            "    if n != len(p):",
            "        raise Unsupported  # an unknown key: let the converter name it",
            "    return o",
        ]
        self.unstructure: Callable[[Record], dict[str, Any]] = _compile(
            "unstructure", enc, helpers, cls
        )
        self.structure: Callable[[dict[str, Any]], Record] = _compile(
            "structure", dec, helpers, cls
        )


_PLANS: dict[type, _Plan] = {}
_PLANS_BY_KIND: dict[str, _Plan] = {}


def unstructure(record: Record) -> dict[str, Any]:
    """The dict cattrs' converter gives for ``record`` (see the module docstring).

    The dict may share nested dicts with other results: dump it, do not change it.
    """
    return _PLANS[type(record)].unstructure(record)


def structure_trusted(payload: Any) -> Any:
    """A record from a payload this library stored.

    Raises:
        Unsupported: when the payload is not what this version writes.
    """
    if type(payload) is not dict:
        raise Unsupported
    plan = _PLANS_BY_KIND.get(payload.get("kind"))  # type: ignore[arg-type]
    if plan is None:
        raise Unsupported
    return plan.structure(payload)


def _build() -> None:
    for cls in RECORD_KINDS:
        plan = _Plan(cls)
        _PLANS[cls] = plan
        _PLANS_BY_KIND[cls.KIND] = plan
    assert set(_PLANS_BY_KIND) == set(KIND_BY_NAME)


_build()
FAST_KINDS: Final = frozenset(_PLANS)
"""The record classes `unstructure` knows (a subclass goes through cattrs)."""
