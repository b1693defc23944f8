"""Record rules pinned by a second mutation audit of ``_records.py`` (7 December 2026).

Each test names the rule it pins and where it is stated; the expected values are
written from that rule, never computed by the code under test.

- ``_records`` module docstring: "A record that exists is valid: every rule is checked
  when it is built, and a broken one raises InvalidRecordError naming the kind, the
  id, the field and the reason." A required value field (``occurred``, a casualty
  report's ``count``, a commitment's ``scope``) given as None is such a broken rule.
- ``Accusation.mutual`` docstring: "Raises: InvalidRecordError: for two equal ids or
  sides".
- ``Attack.between_sides`` and ``_ONE_SIDED_VIOLENCE`` docstrings: a UCDP
  ``type_of_violence`` other than 3 (one-sided), including one that is none of GED's
  codes 1-3, kept as published, names two sides: the attack is a clash.
- ``Observation._check``: a count "must be below 2**63" (what JSON and SQLite hold
  exactly), so 2**63 itself is refused and 2**63 - 1 is kept.
- ``Record.corrected``: the replacement is this record with ``changes`` applied; a
  field construction derives (``reported``, ``claimed_by``, ``effective``) is derived
  again only when the record had derived it. A value given explicitly is kept.
- ``TargetClass`` ("what an attack hit, as far as the claim says") and ``Prohibition``
  ("the rule never guesses"): an attack whose claim gives no target class is of
  unknown target class, not of a guessed one.
- ``acled_type_key``: an ACLED type is "case-folded" (Unicode case folding, which is
  more than lower-casing: "ß" folds to "ss"), and a slash spaced as some files
  write it ("Riots / Protests") is closed up.
- ``Attack.between_sides``: a clash is read from ``ucdp_type_of_violence`` and
  ``acled_event_type`` only; codes that give neither (a CAMEO or PLOVER code alone)
  make no clash.
- ``Coordinates``: lon is "in degrees, -180 to 180" (and lat -90 to 90); NaN is no
  longitude, refused as lat's NaN is.
- ``Confirmation.admission``: "True when the confirmer is the side the claim is
  against"; a confirmation that does not say so is a third party's: False, a bool.
- docs/explanation/claims.md, "Ids", with the module docstring: an id that is not NFC
  or holds a control or format character is refused by a message naming the kind and
  the field (``Attack.id``) and the reason.
- ``read_in_zone``: "The same record when nothing changes."
- claims.md, "Ids": every field that refers to an id holds an id; an optional
  reference (a perpetrator, ``claimed_by``) is None or a non-empty id, never "".
- ``Commitment.prohibits`` is a tuple of prohibitions: a bare string is a mistake for
  one and is refused, as a bare string is for a tuple of ids.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from conflict_timeline import (
    Accusation,
    Attack,
    CasualtyReport,
    Codes,
    Commitment,
    Confirmation,
    Coordinates,
    InvalidRecordError,
    Observation,
    Prohibition,
    Source,
    Statement,
    TargetClass,
    TimeExtent,
)
from conflict_timeline._records import acled_type_key, clash_codes, read_in_zone


def _message(kind: str, rid: str, field: str, reason: str) -> str:
    """The ``<kind> '<id>': <field>: <reason>`` prefix every record error starts with."""
    return re.escape(f"{kind} '{rid}': {field}: {reason}")


# A required field given as None, with the kind, id, field and reason the error names.
REQUIRED_NONE: dict[str, tuple[Any, str]] = {
    "Attack.occurred": (
        lambda: Attack(id="a", occurred=None),
        _message(
            "Attack",
            "a",
            "occurred",
            "must be a TimeExtent, a date string such as '2020-10-31', a date or an aware "
            "datetime, got None",
        ),
    ),
    "CasualtyReport.count": (
        lambda: CasualtyReport(
            id="r",
            occurred="2020-10-31",
            category="civilian",
            measure="killed",
            count=None,  # type: ignore[arg-type]
        ),
        _message("CasualtyReport", "r", "count", "must be a Figure, got None"),
    ),
    "Commitment.scope": (
        lambda: Commitment(
            id="c",
            occurred="2020-10-10",
            commitment_kind="ceasefire",
            parties=("az",),
            scope=None,  # type: ignore[arg-type]
        ),
        _message("Commitment", "c", "scope", "must be a Scope, got None"),
    ),
    "Confirmation.admission": (
        lambda: Confirmation(
            id="k",
            occurred="2020-11-03",
            confirmer="m",
            confirms="x",
            admission=None,  # type: ignore[arg-type]
        ),
        _message("Confirmation", "k", "admission", "must be a bool, got None"),
    ),
}


@pytest.mark.parametrize("field", sorted(REQUIRED_NONE))
def test_a_required_value_field_refuses_none(field: str) -> None:
    """Module docstring of ``_records``: a broken rule raises InvalidRecordError naming
    the kind, the id, the field and the reason; None is no value of a required field
    (only the fields typed ``... | None`` may be left None)."""
    build, message = REQUIRED_NONE[field]
    with pytest.raises(InvalidRecordError, match=message):
        build()


def test_mutual_accusations_refuse_two_equal_ids() -> None:
    """``Accusation.mutual`` docstring: "Raises: InvalidRecordError: for two equal ids
    or sides". Two accusations under one id would be one id for two records."""
    with pytest.raises(InvalidRecordError, match=r"Accusation\.mutual: ids must be two different"):
        Accusation.mutual(
            ids=("same", "same"), sides=("am", "az"), occurred="2020-10-18", breach_of="truce"
        )


@pytest.mark.parametrize(
    ("ucdp_type", "clash"),
    [("1", True), ("2", True), ("3", False), ("0", True), ("4", True), ("state-based", True)],
)
def test_a_ucdp_type_other_than_one_sided_is_a_clash(ucdp_type: str, clash: bool) -> None:
    """``Attack.between_sides``: UCDP GED state-based and non-state violence ("1" or "2")
    and "a type none of GED's codes 1-3, kept as published" name two sides; only "3"
    (one-sided violence) names an attacker."""
    assert clash_codes(ucdp_type, None) is clash
    attack = Attack(id="x", occurred="2020-10-05", codes=Codes(ucdp_type_of_violence=ucdp_type))
    assert attack.between_sides is clash


def test_an_observation_count_of_2_to_the_63_is_refused() -> None:
    """``Observation``: violations "must be below 2**63" (beyond it JSON and SQLite do
    not hold the number exactly): the bound itself is refused, one below it is kept."""
    kept = Observation(id="o", occurred="2020-10-31", monitor="osce", violations=2**63 - 1)
    assert kept.violations == 9223372036854775807
    message = _message(
        "Observation", "o", "violations", "must be below 2**63, got a 64-bit number"
    )
    with pytest.raises(InvalidRecordError, match=message):
        Observation(id="o", occurred="2020-10-31", monitor="osce", violations=2**63)


def test_a_correction_keeps_the_fields_the_original_gave_explicitly() -> None:
    """``Record.corrected``: fields the record derived are derived again from the
    changed fields unless a change gives them; a field the record was *given* is one
    of "this record's" values and stays as it was."""
    original = Statement(
        id="s",
        occurred="2020-10-31",
        sources=(Source(publisher="Wire", published="2020-11-01"),),
        reported="2020-11-05",  # given, later than the source's date
        speaker="ru-mfa",
        claimed_by="tass",  # given, not the speaker
        summary="first wording",
    )
    fix = original.corrected(id="s-fix", known="2020-11-06", summary="second wording")
    replacement = fix.replacement
    assert isinstance(replacement, Statement)
    assert replacement.summary == "second wording"
    assert replacement.reported == TimeExtent.parse("2020-11-05")
    assert replacement.claimed_by == "tass"
    pact = Commitment(
        id="c",
        occurred="2020-10-10",
        effective="2020-10-12",  # given, not occurred
        commitment_kind="ceasefire",
        parties=("az",),
    )
    moved = pact.corrected(id="c-fix", known="2020-10-20", text="new terms").replacement
    assert isinstance(moved, Commitment)
    assert moved.effective == TimeExtent.parse("2020-10-12")


def test_an_attack_that_names_no_target_class_is_of_unknown_target_class() -> None:
    """``TargetClass``: what an attack hit "as far as the claim says"; a claim that says
    nothing is ``unknown``, covered only by ``ANY_ATTACK`` ("the rule never guesses")."""
    attack = Attack(id="x", occurred="2020-10-05")
    assert attack.target_class is TargetClass.UNKNOWN
    assert [p.value for p in Prohibition if p.covers(attack.target_class)] == ["any_attack"]


def test_an_acled_type_key_is_case_folded_not_only_lower_cased() -> None:
    """``acled_type_key``: the type is case-folded; Unicode folds "ß" (and its capital
    "ẞ") to "ss", where lower-casing keeps "ß"."""
    assert acled_type_key("  Straße  ") == "strasse"
    assert acled_type_key("STRAẞE - Blockade") == "strasse-blockade"


def test_a_spaced_slash_in_an_acled_type_is_closed_up() -> None:
    """``acled_type_key``: a slash spaced as some files write it ("Riots / Protests")
    is closed up, as the dash is."""
    assert acled_type_key("Riots / Protests") == "riots/protests"
    assert acled_type_key("Riots/Protests") == "riots/protests"


@pytest.mark.parametrize(
    "codes", [Codes(), Codes(cameo="190"), Codes(plover="ASSAULT", acled_sub_event_type="x")]
)
def test_codes_naming_no_ucdp_or_acled_type_make_no_clash(codes: Codes) -> None:
    """``Attack.between_sides``: only UCDP's type of violence and ACLED's event type
    say an attack is a clash between sides; without either it is not one."""
    assert clash_codes(None, None) is False
    assert Attack(id="x", occurred="2020-10-05", codes=codes).between_sides is False


def test_a_longitude_of_nan_is_refused() -> None:
    """``Coordinates``: lon is "in degrees, -180 to 180"; NaN lies in no range, and the
    message names the field and the range."""
    with pytest.raises(
        InvalidRecordError, match=re.escape("Coordinates.lon must be within -180..180, got nan")
    ):
        Coordinates(lat=0.0, lon=float("nan"))
    with pytest.raises(
        InvalidRecordError, match=re.escape("Coordinates.lat must be within -90..90, got nan")
    ):
        Coordinates(lat=float("nan"), lon=0.0)


def test_a_confirmation_is_no_admission_unless_it_says_so() -> None:
    """``Confirmation``: ``admission`` is True when the confirmer is the side the claim
    is against; left out, the confirmation is a third party's, so it is False."""
    third_party = Confirmation(id="k", occurred="2020-11-03", confirmer="m", confirms="x")
    assert third_party.admission is False


@pytest.mark.parametrize(
    ("rid", "reason"),
    [
        (unicodedata.normalize("NFD", "café"), "is not in Unicode NFC form; write it as 'café'"),
        ("arm\u202eenia", "holds U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ],
)
def test_a_bad_id_is_refused_naming_the_kind_and_the_field(rid: str, reason: str) -> None:
    """claims.md, "Ids": a non-NFC id, or one with a format character, is refused; the
    module docstring: the message names the kind, the field and the reason."""
    with pytest.raises(InvalidRecordError, match=re.escape(f"Attack.id {reason}")):
        Attack(id=rid, occurred="2020-10-05")


def test_reading_a_record_with_no_zone_less_time_in_a_zone_gives_the_same_record() -> None:
    """``read_in_zone``: "The same record when nothing changes": a record whose times
    all carry an offset is given back as it is, not as a copy."""
    record = Attack(id="x", occurred="2020-10-05T10:00+04:00")
    assert read_in_zone(record, "Asia/Yerevan") is record


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Attack(id="x", occurred="2020-10-05", perpetrator=""),
            _message("Attack", "x", "perpetrator", "must be a non-empty id, got ''"),
        ),
        (
            lambda: Attack(id="x", occurred="2020-10-05", claimed_by="   "),
            _message("Attack", "x", "claimed_by", "must be a non-empty id, got '   '"),
        ),
    ],
    ids=["perpetrator", "claimed_by"],
)
def test_an_optional_reference_is_none_or_a_non_empty_id(build: Any, message: str) -> None:
    """claims.md, "Ids": a field that refers to an id holds an id; left out it is None,
    never empty text, and the message names the kind, id, field and reason."""
    with pytest.raises(InvalidRecordError, match=message):
        build()


def test_prohibitions_given_as_a_bare_string_are_refused() -> None:
    """``Commitment.prohibits``: a tuple of prohibitions; a bare string is refused
    naming the kind, the id, the field and the reason."""
    with pytest.raises(
        InvalidRecordError,
        match=_message("Commitment", "c", "prohibits", "must be a tuple, got 'any_attack'"),
    ):
        Commitment(
            id="c",
            occurred="2020-10-10",
            commitment_kind="ceasefire",
            parties=("az",),
            prohibits="any_attack",
        )
