"""Receipts (issue 18): a signed head, kept apart from the file, catches what the hash
chain alone cannot: records cut off the end, and history rewritten with every hash
recomputed. Each attack below makes a file that ``verify()`` alone passes."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from pathlib import Path

import attrs
import pendulum
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from conflict_timeline import (
    ActorDefined,
    Attack,
    QueryError,
    Receipt,
    SerializationError,
    StoreError,
    Timeline,
    references,
)
from conflict_timeline._receipts import load_public_key, read_receipts
from conflict_timeline.datasets import karabakh_oct_2020

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
SIGNED_AT = _dt.datetime(2024, 3, 2, 9, 30, 0, 123456, tzinfo=_dt.UTC)


def _clock() -> _dt.datetime:
    # One fixed reading: a rebuilt file chains exactly as the original wherever the
    # records are the same, which is the strongest forgery (only what was changed
    # differs).
    return _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.UTC)


def _signed_at() -> _dt.datetime:
    return SIGNED_AT


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def build(path: Path, *batches: list[object]) -> Timeline:
    """A timeline file holding ``batches``, as the library writes it: what an attacker
    with write access, and this library, can make."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    timeline = Timeline.open(path, clock=_clock)
    for batch in batches:
        timeline.extend(batch)  # type: ignore[arg-type]
    return timeline


RECORDS = list(karabakh_oct_2020())
FIRST, SECOND = RECORDS[:12], RECORDS[12:]


@pytest.fixture
def receipted(tmp_path: Path) -> tuple[Path, list[Receipt]]:
    """A timeline of two batches with a receipt after each."""
    path = tmp_path / "tl.db"
    timeline = build(path, FIRST)
    receipts = [timeline.receipt(KEY, clock=_signed_at)]
    timeline.extend(SECOND)
    receipts.append(timeline.receipt(KEY, clock=_signed_at))
    timeline.close()
    return path, receipts


def check(path: Path, receipts: list[Receipt], key: Ed25519PrivateKey = KEY) -> object:
    with Timeline.open(path, create=False, read_only=True) as timeline:
        assert timeline.verify().ok  # the chain alone is fooled in every attack here
        return timeline.verify(receipts=receipts, public_key=key.public_key())


# ------------------------------------------------------------------ what a receipt is


def test_a_receipt_signs_the_documented_statement(receipted: tuple[Path, list[Receipt]]) -> None:
    """The oracle is the format the docs give, checked with cryptography directly."""
    path, (first, second) = receipted
    with Timeline.open(path, create=False, read_only=True) as timeline:
        hashes = {r.position: r.hash for r in timeline.read()}
    assert (first.position, first.head_hash) == (12, hashes[12])
    assert (second.position, second.head_hash) == (25, hashes[25])
    micros = (SIGNED_AT - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)) // _dt.timedelta(
        microseconds=1
    )
    statement = f"conflict_timeline receipt v1\n25\n{hashes[25]}\n{micros}\n".encode()
    KEY.public_key().verify(bytes.fromhex(second.signature), statement)  # raises if not
    assert second.key_id == hashlib.sha256(_raw(KEY)).hexdigest()
    assert second.issued_at == SIGNED_AT


def test_a_receipt_round_trips_through_one_line_of_json(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    _, (_, receipt) = receipted
    text = receipt.to_json()
    assert "\n" not in text
    again = Receipt.from_json(text)
    assert again == receipt
    assert again.signed_by(KEY.public_key())
    assert again.signed_by(_raw(KEY))
    assert not again.signed_by(OTHER.public_key())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"position": -1}, "position"),
        ({"position": "25"}, "position"),
        ({"position": True}, "position"),  # a bool is not a position
        ({"head_hash": "ABC"}, "head_hash"),
        ({"head_hash": "ab" * 33}, "head_hash"),  # 66 hex digits
        ({"head_hash": "ab" * 32 + "zz"}, "head_hash"),
        ({"key_id": "cd" * 33}, "key_id"),
        ({"signature": "ef" * 65}, "signature"),
        ({"signature": "00"}, "signature"),
        ({"key_id": None}, "key_id"),
        ({"issued_at_us": 1.5}, "issued_at_us"),
    ],
)
def test_a_malformed_receipt_is_refused_naming_the_field(
    receipted: tuple[Path, list[Receipt]], change: dict[str, object], field: str
) -> None:
    _, (_, receipt) = receipted
    data = json.loads(receipt.to_json())
    data.update(change)
    with pytest.raises(SerializationError, match=f"a receipt: {field}: malformed"):
        Receipt.from_json(json.dumps(data))
    del data[field]
    with pytest.raises(SerializationError, match=f"a receipt: {field}: missing"):
        Receipt.from_json(json.dumps(data))


def test_an_empty_timeline_can_be_receipted() -> None:
    timeline = Timeline()
    receipt = timeline.receipt(KEY)
    assert (receipt.position, receipt.head_hash) == (0, "0" * 64)
    timeline.append(*FIRST)
    assert timeline.verify(receipts=[receipt], public_key=KEY.public_key()).ok


def test_a_damaged_timeline_is_not_receipted(tmp_path: Path) -> None:
    path = tmp_path / "tl.db"
    build(path, FIRST).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET hash = ? WHERE position = 3", ("f" * 64,))
    with (
        Timeline.open(path, create=False) as timeline,
        pytest.raises(StoreError, match=r"at position 3: hash does not match"),
    ):
        timeline.receipt(KEY)


def test_damage_after_the_receipts_fails_verify_with_them_too(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    """``verify(receipts=...)`` checks the store first: a record damaged after the
    receipted position (20, past the first receipt's 12) fails it, as without
    receipts; receipts add checks, never excuse one."""
    path, (first, _second) = receipted
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET hash = ? WHERE position = 20", ("f" * 64,))
    with Timeline.open(path, create=False, read_only=True) as timeline:
        result = timeline.verify(receipts=[first], public_key=KEY.public_key())
    assert not result.ok
    assert result.first_bad == 20
    assert result.reason == "hash does not match"


def test_receipts_need_the_public_key(receipted: tuple[Path, list[Receipt]]) -> None:
    path, receipts = receipted
    with (
        Timeline.open(path, create=False) as timeline,
        pytest.raises(QueryError, match="needs the public_key"),
    ):
        timeline.verify(receipts=receipts)


# ------------------------------------------------------------------ what it lets pass


def test_an_untouched_timeline_passes_and_may_grow_after_the_receipts(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    path, receipts = receipted
    assert check(path, receipts).ok  # type: ignore[attr-defined]
    with Timeline.open(path, create=False) as timeline:
        timeline.append(ActorDefined(id="later", name="Later", actor_kind="state"))
        result = timeline.verify(receipts=receipts, public_key=KEY.public_key())
    assert result.ok
    assert result.checked == len(RECORDS) + 1


# ------------------------------------------------------------------ what it catches


def test_truncation_is_caught(receipted: tuple[Path, list[Receipt]]) -> None:
    """Cut the last five records off (the file's own head row rewritten to match)."""
    path, receipts = receipted
    build(path, FIRST, SECOND[:-5]).close()
    result = check(path, receipts)
    assert not result.ok  # type: ignore[attr-defined]
    assert result.first_bad == 21  # type: ignore[attr-defined]
    assert "the timeline ends at position 20" in result.reason  # type: ignore[attr-defined]
    assert "records were cut off the end" in result.reason  # type: ignore[attr-defined]


def test_a_rewrite_with_the_chain_recomputed_is_caught(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    """Change one attack in the second batch and recompute every hash after it."""
    path, receipts = receipted
    i = next(i for i, r in enumerate(SECOND) if isinstance(r, Attack))
    forged = list(SECOND)
    forged[i] = attrs.evolve(forged[i], target="a barracks")
    build(path, FIRST, forged).close()
    result = check(path, receipts)
    assert not result.ok  # type: ignore[attr-defined]
    assert result.first_bad is None  # type: ignore[attr-defined]
    assert result.checked == 12  # type: ignore[attr-defined]  # the first receipt still holds
    assert (
        "after position 12, were changed, removed or inserted" in result.reason  # type: ignore[attr-defined]
    )


def test_a_rewrite_before_the_first_receipt_is_caught_at_it(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    path, receipts = receipted
    forged = [*FIRST[:-1], attrs.evolve(FIRST[-1], name="Renamed")]  # type: ignore[call-arg]
    build(path, forged, SECOND).close()
    result = check(path, receipts)
    assert not result.ok  # type: ignore[attr-defined]
    assert result.checked == 0  # type: ignore[attr-defined]
    assert "history up to position 12 is not the one" in result.reason  # type: ignore[attr-defined]


def test_a_forged_append_in_place_of_receipted_records_is_caught(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    """Cut back below the receipt, then append other records past it: the file is
    longer than the receipt, verifies, and is not the receipted history."""
    path, receipts = receipted
    extra = [
        ActorDefined(id=f"forged-{i}", name=f"Forged {i}", actor_kind="state") for i in range(9)
    ]
    build(path, FIRST, SECOND[:-3], extra).close()
    result = check(path, receipts)
    assert not result.ok  # type: ignore[attr-defined]
    assert "history up to position 25" in result.reason  # type: ignore[attr-defined]


def test_a_record_inserted_or_removed_in_the_middle_is_caught(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    path, receipts = receipted
    inserted = [*FIRST[:5], ActorDefined(id="x", name="X", actor_kind="state"), *FIRST[5:]]
    build(path, inserted, SECOND).close()
    assert not check(path, receipts).ok  # type: ignore[attr-defined]
    # Remove a record nothing refers to from the middle, and fill its place at the end.
    referred = {ref for r in RECORDS for _, ref, _ in references(r)}
    gone = next(r for r in SECOND[:-3] if r.id not in referred)
    filler = ActorDefined(id="filler", name="Filler", actor_kind="state")
    build(path, FIRST, [r for r in SECOND if r is not gone], [filler]).close()
    result = check(path, receipts)
    assert not result.ok  # type: ignore[attr-defined]
    assert "history up to position 25" in result.reason  # type: ignore[attr-defined]


def test_a_receipt_signed_by_another_key_or_altered_is_not_trusted(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    path, (first, second) = receipted
    result = check(path, [first, second], key=OTHER)
    assert not result.ok  # type: ignore[attr-defined]
    assert "is not signed by this public key" in result.reason  # type: ignore[attr-defined]
    # A receipt altered to vouch for a shorter history, keeping the signature:
    altered = Receipt(12, first.head_hash, second.issued_at, second.key_id, second.signature)
    result = check(path, [altered])
    assert not result.ok  # type: ignore[attr-defined]
    assert "is not signed by this public key" in result.reason  # type: ignore[attr-defined]


def test_without_cryptography_the_error_names_the_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from conflict_timeline import MissingExtraError, Timeline\n"
        "try:\n"
        "    Timeline().receipt(object())\n"
        "except MissingExtraError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'conflict_timeline[receipts]'" in done.stdout


# ------------------------------------------------------------------ the command line


def _cli(*args: str | Path) -> tuple[int, str, str]:
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "conflict-timeline"
    done = subprocess.run(
        [str(cli), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_the_cli_verifies_receipts(receipted: tuple[Path, list[Receipt]], tmp_path: Path) -> None:
    path, receipts = receipted
    kept = tmp_path / "receipts.jsonl"
    kept.write_text("".join(r.to_json() + "\n" for r in receipts))
    pem = tmp_path / "team.pub"
    pem.write_bytes(
        KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    hexkey = tmp_path / "team.hex"
    hexkey.write_text(_raw(KEY).hex() + "\n")
    for key in (pem, hexkey):
        status, out, _ = _cli("verify", path, "--receipt", kept, "--public-key", key)
        assert status == 0
        assert out == (
            f"ok: {len(RECORDS)} records; the hash chain and index columns match; "
            "2 receipt(s) hold, up to position 25\n"
        )
    # Truncate, as an attacker would: the chain alone still verifies.
    build(path, FIRST, SECOND[:-5]).close()
    assert _cli("verify", path)[0] == 0
    status, _, err = _cli("verify", path, "--receipt", kept, "--public-key", pem)
    assert status == 1
    assert len(err.splitlines()) == 1
    assert "records were cut off the end" in err


def test_the_cli_refuses_receipts_without_a_key_or_malformed(
    receipted: tuple[Path, list[Receipt]], tmp_path: Path
) -> None:
    path, receipts = receipted
    kept = tmp_path / "receipts.jsonl"
    kept.write_text(receipts[0].to_json() + "\n" + '{"kind": "Receipt"}\n')
    status, _, err = _cli("verify", path, "--receipt", kept)
    assert status == 2
    assert "--receipt needs --public-key FILE" in err
    # A key alone checks nothing (even a file that is not there): refused, not "ok".
    status, out, err = _cli("verify", path, "--public-key", tmp_path / "nope.pub")
    assert (status, out) == (2, "")
    assert "--public-key checks receipts: give them with --receipt FILE" in err
    key = tmp_path / "team.hex"
    key.write_text(_raw(KEY).hex())
    status, _, err = _cli("verify", path, "--receipt", kept, "--public-key", key)
    assert status == 3
    assert f"{kept}, line 2: a receipt: version" in err
    key.write_text("not a key")
    kept.write_text(receipts[0].to_json() + "\n")
    status, _, err = _cli("verify", path, "--receipt", kept, "--public-key", key)
    assert status == 3
    assert f"{key}: not an Ed25519 public key" in err


def test_verify_refuses_what_is_not_a_receipt(receipted: tuple[Path, list[Receipt]]) -> None:
    path, receipts = receipted
    with (
        Timeline.open(path, create=False, read_only=True) as timeline,
        pytest.raises(StoreError, match=r"^verify: receipts must be Receipt objects, got str$"),
    ):
        timeline.verify(receipts=[receipts[0], "a receipt"], public_key=KEY.public_key())  # type: ignore[list-item]
    with (
        Timeline.open(path, create=False, read_only=True) as timeline,
        pytest.raises(
            StoreError,
            match=r"^verify: receipts must be a collection of Receipt objects, got one "
            r"Receipt: write receipts=\[receipt\]$",
        ),
    ):
        # One receipt, not a list of them: it was "'Receipt' object is not iterable".
        timeline.verify(receipts=receipts[0], public_key=KEY.public_key())  # type: ignore[arg-type]


# ------------------------------------------------------------------ the rules, one by one

HEAD = "ab" * 32
KEY_ID = "cd" * 32
SIGNATURE = "ef" * 64


def test_to_json_is_one_line_with_sorted_keys() -> None:
    receipt = Receipt(25, HEAD, pendulum.instance(SIGNED_AT), KEY_ID, SIGNATURE)
    assert receipt.to_json() == (
        f'{{"head_hash":"{HEAD}","issued_at":"2024-03-02T09:30:00.123456+00:00",'
        f'"issued_at_us":1709371800123456,"key_id":"{KEY_ID}","kind":"Receipt",'
        f'"position":25,"signature":"{SIGNATURE}","version":1}}'
    )


def test_a_receipt_of_an_empty_timeline_round_trips() -> None:
    """Position 0 is a receipt's smallest position, not a malformed one."""
    text = (
        f'{{"head_hash":"{"0" * 64}","issued_at_us":1709371800123456,"key_id":"{KEY_ID}",'
        f'"kind":"Receipt","position":0,"signature":"{SIGNATURE}","version":1}}'
    )
    receipt = Receipt.from_json(text)
    assert (receipt.position, receipt.head_hash) == (0, "0" * 64)
    assert receipt.issued_at == SIGNED_AT


def test_an_issued_at_out_of_range_is_refused_naming_the_field() -> None:
    text = (
        f'{{"head_hash":"{HEAD}","issued_at_us":{2**62},"key_id":"{KEY_ID}",'
        f'"kind":"Receipt","position":1,"signature":"{SIGNATURE}","version":1}}'
    )
    with pytest.raises(
        SerializationError, match=rf"^a receipt: issued_at_us: out of range \({2**62}\)$"
    ):
        Receipt.from_json(text)


def test_a_receipt_naming_another_key_is_not_signed_by_this_one(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    """The signature is KEY's, but the receipt says OTHER signed it: not trusted."""
    _, (_, receipt) = receipted
    assert receipt.signed_by(KEY.public_key())
    renamed = attrs.evolve(receipt, key_id=hashlib.sha256(_raw(OTHER)).hexdigest())
    assert not renamed.signed_by(KEY.public_key())
    assert not renamed.signed_by(_raw(KEY))


def test_a_raw_public_key_must_be_32_bytes(receipted: tuple[Path, list[Receipt]]) -> None:
    _, (_, receipt) = receipted
    with pytest.raises(StoreError, match=r"^an Ed25519 public key is 32 bytes, got 31$"):
        receipt.signed_by(_raw(KEY)[:31])


def test_receipts_are_checked_in_position_order_whatever_order_they_come_in(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    """The report names the last receipt that still holds (position 12), given the
    receipts latest first."""
    path, (first, second) = receipted
    i, attack = next((i, r) for i, r in enumerate(SECOND) if isinstance(r, Attack))
    forged: list[object] = [
        *SECOND[:i],
        attrs.evolve(attack, target="a barracks"),
        *SECOND[i + 1 :],
    ]
    build(path, list[object](FIRST), forged).close()
    result = check(path, [second, first])
    assert not result.ok  # type: ignore[attr-defined]
    assert result.checked == 12  # type: ignore[attr-defined]
    assert "after position 12, were changed" in result.reason  # type: ignore[attr-defined]


def test_read_receipts_skips_blank_lines_and_refuses_a_text_without_any(
    receipted: tuple[Path, list[Receipt]],
) -> None:
    _, receipts = receipted
    text = "\n" + receipts[0].to_json() + "\n\n  \n" + receipts[1].to_json() + "\n\n"
    assert read_receipts(text, source="kept.jsonl") == receipts
    with pytest.raises(SerializationError, match=r"^kept\.jsonl: no receipt in it$"):
        read_receipts("\n  \n", source="kept.jsonl")


def test_a_pem_key_of_another_algorithm_is_refused_naming_its_source() -> None:
    pem = (
        X25519PrivateKey.from_private_bytes(bytes(32))
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(
        SerializationError, match=r"^team\.pub: a \w*X25519PublicKey, not an Ed25519 public key$"
    ):
        load_public_key(pem, source="team.pub")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"version": 2}, r"^a receipt: version: 2, this library"),
        ({"kind": "Checkpoint"}, r'expected a JSON object with "kind"'),
        ({"kind": None}, r'expected a JSON object with "kind"'),
    ],
)
def test_only_a_receipt_of_version_1_is_read(change: dict[str, object], reason: str) -> None:
    data = {
        "kind": "Receipt",
        "version": 1,
        "position": 1,
        "head_hash": HEAD,
        "issued_at_us": 1709371800123456,
        "key_id": KEY_ID,
        "signature": SIGNATURE,
    }
    data.update(change)
    if data["kind"] is None:
        del data["kind"]
    with pytest.raises(SerializationError, match=reason):
        Receipt.from_json(json.dumps(data))


def test_a_public_key_in_upper_case_hex_is_read() -> None:
    """A public key is "64 hex digits": A to F are hex digits too."""
    assert load_public_key(_raw(KEY).hex().upper().encode()) == _raw(KEY)


def test_a_receipt_of_a_one_record_timeline_signs_that_record_s_hash() -> None:
    timeline = Timeline()
    timeline.append(ActorDefined(id="az", name="Azerbaijan", actor_kind="state"))
    receipt = timeline.receipt(KEY)
    assert (receipt.position, receipt.head_hash) == (1, timeline.get("az").hash)
    assert timeline.verify(receipts=[receipt], public_key=KEY.public_key()).ok


def test_a_receipt_refuses_a_public_key_for_the_private_one() -> None:
    with pytest.raises(StoreError, match=r"^receipt: expected an Ed25519 private key, got"):
        Timeline().receipt(KEY.public_key())  # type: ignore[arg-type]


def _receipted_one_by_one(issued: list[_dt.datetime]) -> tuple[Timeline, list[Receipt]]:
    """A record appended, then receipted at each of ``issued``, in turn."""
    timeline = Timeline(clock=_clock)
    receipts = []
    for n, when in enumerate(issued):
        timeline.append(ActorDefined(id=f"a{n}", name=f"A{n}", actor_kind="state"))
        receipts.append(timeline.receipt(KEY, clock=lambda when=when: when))
    return timeline, receipts


def test_a_receipt_not_signed_by_the_key_reports_what_the_earlier_ones_proved() -> None:
    timeline, (first, _) = _receipted_one_by_one([SIGNED_AT, SIGNED_AT + _dt.timedelta(days=1)])
    forged = Timeline(clock=_clock)
    forged.append(*[r.record for r in timeline.read()])
    foreign = forged.receipt(OTHER)
    result = timeline.verify(receipts=[first, foreign], public_key=KEY.public_key())
    assert not result.ok
    assert "is not signed by this public key" in result.reason
    assert result.checked == 1


def test_receipts_are_ordered_by_position_even_when_issued_out_of_order() -> None:
    """Another machine's clock may issue the later position's receipt earlier."""
    timeline, receipts = _receipted_one_by_one([SIGNED_AT + _dt.timedelta(days=1), SIGNED_AT])
    rebuilt = Timeline(clock=_clock)
    rebuilt.append(timeline.get("a0").record)
    rebuilt.append(ActorDefined(id="a1", name="Renamed", actor_kind="state"))
    result = rebuilt.verify(receipts=receipts, public_key=KEY.public_key())
    assert not result.ok
    assert result.checked == 1
    assert "after position 1, were changed" in result.reason
