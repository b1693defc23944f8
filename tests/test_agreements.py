"""Agreements: provisions signed together, with roles per agreement."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings

from conflict_timeline import (
    ActorDefined,
    Agreement,
    Agreements,
    Commitment,
    Correction,
    InvalidRecordError,
    MemoryStore,
    Source,
    Timeline,
    UnknownReferenceError,
    from_json,
    to_json,
)
from conflict_timeline._labels import Names
from conflict_timeline.strategies import timelines
from conflict_timeline.views import table_cells

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def fixed_clock() -> _dt.datetime:
    return FIXED


def load(records: list[Any]) -> Timeline:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    return tl


ACTORS = [
    ActorDefined(id="am", name="Armenia", actor_kind="state"),
    ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
    ActorDefined(id="ru", name="Russia", actor_kind="state"),
]
MOSCOW = Agreement(
    id="moscow",
    occurred="2020-10-10",
    sources=(Source(publisher="Kremlin", published="2020-10-10"),),
    title="Moscow statement",
    signatories=("am", "az"),
    mediators=("ru",),
    guarantors=("ru",),
)


def provision(cid: str, effective: str, **fields: Any) -> Commitment:
    return Commitment(
        id=cid,
        occurred="2020-10-10",
        effective=effective,
        commitment_kind=fields.pop("commitment_kind", "ceasefire"),
        parties=("am", "az"),
        agreement=fields.pop("agreement", "moscow"),
        **fields,
    )


def test_an_agreement_lists_its_provisions_in_order_of_effect() -> None:
    tl = load(
        [
            *ACTORS,
            MOSCOW,
            provision("exchange", "2020-10-11", commitment_kind="agreement"),
            provision("truce", "2020-10-10T12:00"),
        ]
    )
    [entry] = tl.state(Agreements)
    assert entry.provisions == ("truce", "exchange")
    assert entry.roles("ru") == ("mediator", "guarantor")
    assert entry.roles("am") == ("signatory",)
    assert entry.roles("xx") == ()
    # A provision counts once it is made (replayed), like any commitment.
    assert tl.state(Agreements, at="2020-10-09").ids() == ()


def test_a_correction_can_move_a_provision() -> None:
    other = Agreement(
        id="other",
        occurred="2020-10-10",
        reported="2020-10-10",
        title="Other",
        signatories=("am",),
    )
    truce = provision("truce", "2020-10-10", reported="2020-10-10")
    moved = Correction(
        id="fix",
        occurred="2020-10-12",
        reported="2020-10-12",
        corrects="truce",
        replacement=Commitment(
            id="truce",
            occurred="2020-10-10",
            commitment_kind="ceasefire",
            parties=("am", "az"),
            agreement="other",
        ),
    )
    tl = load([*ACTORS, MOSCOW, other, truce, moved])
    assert {e.id: e.provisions for e in tl.state(Agreements)} == {
        "moscow": (),
        "other": ("truce",),
    }
    before = tl.state(Agreements, known_at="2020-10-11")
    assert {e.id: e.provisions for e in before} == {"moscow": ("truce",), "other": ()}


def test_agreement_rules() -> None:
    with pytest.raises(InvalidRecordError, match=r"Agreement 'a': signatories: must name"):
        Agreement(id="a", occurred="2020", title="t", signatories=())
    with pytest.raises(InvalidRecordError, match=r"Agreement 'a': mediators: \['am'\] also sign"):
        Agreement(id="a", occurred="2020", title="t", signatories=("am",), mediators=("am",))
    with pytest.raises(InvalidRecordError, match=r"Agreement 'a': title"):
        Agreement(id="a", occurred="2020", title=" ", signatories=("am",))
    assert from_json(to_json(MOSCOW)) == MOSCOW


def test_a_provision_must_name_an_agreement() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*ACTORS)
    with pytest.raises(UnknownReferenceError, match="agreement"):
        tl.append(provision("truce", "2020-10-10", agreement="am"))
    with pytest.raises(UnknownReferenceError, match="signatories"):
        tl.append(Agreement(id="a", occurred="2020", title="t", signatories=("nobody",)))
    assert len(tl) == 3


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(records=timelines(min_size=5, max_size=25, kinds=[ActorDefined, Agreement, Commitment]))
def test_provisions_are_the_commitments_naming_the_agreement(records: list[Any]) -> None:
    tl = load(records)
    found = {e.id: set(e.provisions) for e in tl.state(Agreements)}
    expected = {r.id: set() for r in records if isinstance(r, Agreement)}
    for r in records:
        if isinstance(r, Commitment) and r.agreement is not None:
            expected[r.agreement].add(r.id)
    assert found == expected


def test_an_agreement_row_names_its_signatories_mediators_and_guarantors() -> None:
    # docs/howto/cli.md: "A table shows the names of the actors ... its entries refer
    # to"; one with no definition shows its id; without names, the ids.
    witness = attrs.evolve(MOSCOW, mediators=("ru", "tr"), guarantors=("fr",))
    tl = load([*ACTORS, witness])
    (entry,) = tl.state(Agreements)
    names = Names.of(tl)
    assert table_cells(entry, names)[2:5] == ("Armenia, Azerbaijan", "Russia, tr", "fr")
    assert table_cells(entry)[2:5] == ("am, az", "ru, tr", "fr")
    named = load([*ACTORS, ActorDefined(id="fr", name="France", actor_kind="state"), witness])
    (entry,) = named.state(Agreements)
    assert table_cells(entry, Names.of(named))[4] == "France"


def test_a_guarantor_may_also_sign_or_mediate() -> None:
    # docs/explanation/agreements.md: "A signatory cannot also be listed as a mediator;
    # a guarantor may also sign or mediate."
    signs = Agreement(
        id="a", occurred="2020", title="t", signatories=("am", "ru"), guarantors=("ru",)
    )
    mediates = Agreement(
        id="b",
        occurred="2020",
        title="t",
        signatories=("am",),
        mediators=("ru",),
        guarantors=("ru",),
    )
    assert signs.roles("ru") == ("signatory", "guarantor")
    assert mediates.roles("ru") == ("mediator", "guarantor")


@pytest.mark.parametrize("role", ["mediators", "guarantors"])
def test_every_role_must_name_a_defined_actor(role: str) -> None:
    # docs/explanation/agreements.md: "Every id must name an `ActorDefined` (checked on
    # append like any reference)": mediators and guarantors as well as signatories.
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*ACTORS)
    bad = Agreement(id="a", occurred="2020", title="t", signatories=("am",), **{role: ("nobody",)})
    with pytest.raises(UnknownReferenceError, match=role):
        tl.append(bad)
    assert len(tl) == 3


def test_provisions_taking_effect_together_go_by_id() -> None:
    # docs/explanation/agreements.md: provisions are "ordered by the start of their
    # `effective`, then id"; appended in reverse id order, the tie still goes by id.
    tl = load(
        [
            *ACTORS,
            MOSCOW,
            provision("withdrawal", "2020-10-11"),
            provision("exchange", "2020-10-10T12:00"),
            provision("ceasefire", "2020-10-11"),
            provision("amnesty", "2020-10-11"),
        ]
    )
    [entry] = tl.state(Agreements)
    assert entry.provisions == ("exchange", "amnesty", "ceasefire", "withdrawal")


def test_provisions_go_by_the_first_instant_of_their_effect_whatever_its_precision() -> None:
    # docs/explanation/agreements.md: "ordered by the start of their `effective`": a
    # month-precise provision (November 2020) begins before a day-precise one (10
    # November), though its last instant comes after.
    tl = load([*ACTORS, MOSCOW, provision("a-day", "2020-11-10"), provision("x-month", "2020-11")])
    [entry] = tl.state(Agreements)
    assert entry.provisions == ("x-month", "a-day")
