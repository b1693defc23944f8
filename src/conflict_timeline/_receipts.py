"""Receipts: signed statements of how far a timeline's history went, checked later.

The hash chain shows accidental damage, but someone who can write the file can cut
records off the end, or change a record and recompute every hash after it, and the
file verifies. A receipt, kept apart from the file, closes that gap: it is an Ed25519
signature over "this timeline held ``position`` records, ending in ``head_hash``, at
``issued_at``". Since each hash covers the previous one, the hash at a position
commits to the whole history up to it; a timeline that still verifies and still has
that hash at that position holds exactly that history as its prefix.

Signing needs the ``cryptography`` package (``pip install
'conflict_timeline[receipts]'``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final

import attrs
import orjson
import pendulum

from ._time import epoch_us, from_epoch_us, to_utc
from .errors import MissingExtraError, SerializationError, StoreError
from .stores import GENESIS_HASH, Clock, Store, Verification, system_clock

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = ["Receipt", "check_receipts", "load_public_key", "make_receipt", "read_receipts"]

_STATEMENT: Final = b"conflict_timeline receipt v1\n"
_HEX64: Final = re.compile(r"[0-9a-f]{64}\Z")
_HEX128: Final = re.compile(r"[0-9a-f]{128}\Z")


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import (  # noqa: PLC0415
            ed25519,
        )
    except ImportError as exc:
        msg = (
            "receipts need the cryptography package, which is not installed: "
            "pip install 'conflict_timeline[receipts]' (or pip install cryptography)"
        )
        raise MissingExtraError(msg) from exc
    return ed25519


def _public_bytes(key: Ed25519PublicKey | bytes) -> bytes:
    if isinstance(key, bytes):
        if len(key) != 32:
            msg = f"an Ed25519 public key is 32 bytes, got {len(key)}"
            raise StoreError(msg)
        return key
    ed25519 = _ed25519()
    if not isinstance(key, ed25519.Ed25519PublicKey):
        msg = f"expected an Ed25519 public key (or its 32 raw bytes), got {type(key).__name__}"
        raise StoreError(msg)
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    raw: bytes = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def key_id(public_key: Ed25519PublicKey | bytes) -> str:
    """The SHA-256 (hex) of a public key's 32 raw bytes: names the key in a receipt."""
    return hashlib.sha256(_public_bytes(public_key)).hexdigest()


@attrs.frozen
class Receipt:
    """A signed statement: the timeline held ``position`` records, the last with
    ``head_hash``, at ``issued_at``.

    Make one with [`Timeline.receipt`][conflict_timeline.Timeline.receipt]; keep it apart from the
    timeline (publish
    it, mail it, store it elsewhere); check a timeline against receipts with
    [`Timeline.verify`][conflict_timeline.Timeline.verify]. [`to_json`][conflict_timeline.to_json]
    and [`from_json`][conflict_timeline.from_json] write and read it
    as one line of JSON.

    Attributes:
        position: How many records the timeline held (its head position).
        head_hash: The chained hash at that position (64 zeros for an empty timeline).
        issued_at: When the receipt was signed (UTC).
        key_id: SHA-256 (hex) of the signing public key's raw bytes.
        signature: The Ed25519 signature (hex) over `statement`.
    """

    position: int
    head_hash: str
    issued_at: pendulum.DateTime
    key_id: str
    signature: str

    def statement(self) -> bytes:
        """The bytes signed: a fixed header line, then position, head hash and the
        time in integer epoch microseconds, each on its own line."""
        return _statement(self.position, self.head_hash, epoch_us(self.issued_at))

    def signed_by(self, public_key: Ed25519PublicKey | bytes) -> bool:
        """Whether the signature is this key's over `statement`."""
        raw = _public_bytes(public_key)
        if hashlib.sha256(raw).hexdigest() != self.key_id:
            return False
        ed25519 = _ed25519()
        from cryptography.exceptions import InvalidSignature  # noqa: PLC0415

        try:
            ed25519.Ed25519PublicKey.from_public_bytes(raw).verify(
                bytes.fromhex(self.signature), self.statement()
            )
        except InvalidSignature:
            return False
        return True

    def to_json(self) -> str:
        """One line of JSON, keys sorted."""
        return orjson.dumps(
            {
                "kind": "Receipt",
                "version": 1,
                "position": self.position,
                "head_hash": self.head_hash,
                "issued_at": self.issued_at.isoformat(),
                "issued_at_us": epoch_us(self.issued_at),
                "key_id": self.key_id,
                "signature": self.signature,
            },
            option=orjson.OPT_SORT_KEYS,
        ).decode("ascii")

    @classmethod
    def from_json(cls, text: str | bytes) -> Receipt:
        """A receipt from [`to_json`][conflict_timeline.to_json]'s JSON.

        Raises:
            SerializationError: naming the field that is missing or malformed.
        """
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            msg = f"a receipt: not JSON ({exc})"
            raise SerializationError(msg) from exc
        if not isinstance(data, dict) or data.get("kind") != "Receipt":
            msg = 'a receipt: expected a JSON object with "kind": "Receipt"'
            raise SerializationError(msg)
        if data.get("version") != 1:
            msg = f"a receipt: version: {data.get('version')!r}, this library reads version 1"
            raise SerializationError(msg)
        checks: dict[str, Callable[[Any], bool]] = {
            "position": lambda v: type(v) is int and v >= 0,
            "head_hash": lambda v: isinstance(v, str) and _HEX64.match(v) is not None,
            "issued_at_us": lambda v: type(v) is int,
            "key_id": lambda v: isinstance(v, str) and _HEX64.match(v) is not None,
            "signature": lambda v: isinstance(v, str) and _HEX128.match(v) is not None,
        }
        for field, ok in checks.items():
            if field not in data:
                msg = f"a receipt: {field}: missing"
                raise SerializationError(msg)
            if not ok(data[field]):
                msg = f"a receipt: {field}: malformed value {data[field]!r}"
                raise SerializationError(msg)
        try:
            issued = from_epoch_us(data["issued_at_us"])
        except (ValueError, OverflowError) as exc:
            msg = f"a receipt: issued_at_us: out of range ({data['issued_at_us']})"
            raise SerializationError(msg) from exc
        return cls(data["position"], data["head_hash"], issued, data["key_id"], data["signature"])


def _statement(position: int, head_hash: str, issued_at_us: int) -> bytes:
    return _STATEMENT + f"{position}\n{head_hash}\n{issued_at_us}\n".encode("ascii")


def make_receipt(
    store: Store, private_key: Ed25519PrivateKey, *, clock: Clock | None = None
) -> Receipt:
    """Sign the store's current head (see
    [`Timeline.receipt`][conflict_timeline.Timeline.receipt])."""
    ed25519 = _ed25519()
    if not isinstance(private_key, ed25519.Ed25519PrivateKey):
        msg = f"receipt: expected an Ed25519 private key, got {type(private_key).__name__}"
        raise StoreError(msg)
    position = store.head()
    head_hash = store.fetch([position])[0].hash if position else GENESIS_HASH
    # To the microsecond, as signed and as to_json() writes it.
    issued = from_epoch_us(epoch_us(to_utc((clock or system_clock)(), what="clock()")))
    signature = private_key.sign(_statement(position, head_hash, epoch_us(issued)))
    return Receipt(position, head_hash, issued, key_id(private_key.public_key()), signature.hex())


def check_receipts(
    store: Store,
    receipts: Iterable[Receipt],
    public_key: Ed25519PublicKey | bytes,
    checked: int,
) -> Verification:
    """Whether a store whose chain verified (``checked`` records) holds each receipted
    history as its prefix; see [`Timeline.verify`][conflict_timeline.Timeline.verify]."""
    given = list(receipts)
    # Checked before sorting, which would fail on another object's missing attribute.
    for receipt in given:
        if not isinstance(receipt, Receipt):
            msg = f"verify: receipts must be Receipt objects, got {type(receipt).__name__}"
            raise StoreError(msg)
    wanted = sorted(given, key=lambda r: (r.position, epoch_us(r.issued_at)))
    head = store.head()
    proved = 0
    for receipt in wanted:
        said = (
            f"the receipt of {receipt.issued_at.isoformat()} (position {receipt.position}, "
            f"head {receipt.head_hash[:16]}...)"
        )
        if not receipt.signed_by(public_key):
            return Verification(
                False, proved, None, f"{said} is not signed by this public key: do not trust it"
            )
        if receipt.position > head:
            return Verification(
                False,
                min(head, checked),
                head + 1,
                f"the timeline ends at position {head}, but {said} says it held "
                f"{receipt.position} records: records were cut off the end",
            )
        here = store.fetch([receipt.position])[0].hash if receipt.position else GENESIS_HASH
        if here != receipt.head_hash:
            return Verification(
                False,
                proved,
                None,
                f"the history up to position {receipt.position} is not the one {said} "
                f"signed (the hash there is now {here[:16]}...): records at or before "
                f"position {receipt.position}, and after position {proved}, were changed, "
                "removed or inserted",
            )
        proved = receipt.position
    return Verification(True, checked)


def read_receipts(text: str, *, source: str = "receipts") -> list[Receipt]:
    """The receipts of a text holding one [`Receipt.to_json`][conflict_timeline.Receipt.to_json]
    line each; blank lines are skipped.

    Raises:
        SerializationError: naming ``source`` and the line of a malformed receipt, or
            saying it holds none.
    """
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(Receipt.from_json(line))
        except SerializationError as exc:
            msg = f"{source}, line {number}: {exc}"
            raise SerializationError(msg) from None
    if not found:
        msg = f"{source}: no receipt in it"
        raise SerializationError(msg)
    return found


def load_public_key(data: bytes, *, source: str = "public key") -> bytes:
    """The 32 raw bytes of an Ed25519 public key given as PEM or as 64 hex digits.

    Raises:
        SerializationError: naming ``source`` when it is neither.
    """
    text = data.strip()
    if re.fullmatch(rb"[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text.decode("ascii"))
    if text.startswith(b"-----BEGIN"):
        ed25519 = _ed25519()
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        try:
            key = serialization.load_pem_public_key(text)
        except ValueError as exc:
            msg = f"{source}: not a PEM public key ({exc})"
            raise SerializationError(msg) from None
        if not isinstance(key, ed25519.Ed25519PublicKey):
            msg = f"{source}: a {type(key).__name__}, not an Ed25519 public key"
            raise SerializationError(msg)
        return _public_bytes(key)
    msg = f"{source}: not an Ed25519 public key (PEM, or its 32 bytes as 64 hex digits)"
    raise SerializationError(msg)
