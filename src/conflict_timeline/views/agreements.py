"""Agreements and their provisions, with each actor's role in each."""

from __future__ import annotations

from typing import ClassVar

import attrs
import immutables

from .._records import Agreement, Commitment
from ..stores import Recorded
from ._listing import Listing, listed
from ._protocol import Labels, Query, View

__all__ = ["AgreementEntry", "Agreements"]


@attrs.frozen
class AgreementEntry:
    """One agreement as known, with the provisions recorded by the query's ``at``.

    Attributes:
        id: The agreement's id.
        agreement: The agreement record (a correction's replacement if corrected).
        provisions: Ids of the commitments whose ``agreement`` is this id, ordered
            by when each takes effect, then id.
    """

    id: str
    agreement: Agreement
    provisions: tuple[str, ...]

    table_columns: ClassVar[tuple[str, ...]] = (
        "id",
        "title",
        "signatories",
        "mediators",
        "guarantors",
        "provisions",
    )
    named_columns: ClassVar[tuple[str, ...]] = ("signatories", "mediators", "guarantors")

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The cells under ``table_columns``; with ``names``, the actors' names."""
        a = self.agreement
        return (
            self.id,
            a.title,
            listed(a.signatories, names),
            listed(a.mediators, names),
            listed(a.guarantors, names),
            ", ".join(self.provisions),
        )

    def roles(self, actor: str) -> tuple[str, ...]:
        """``actor``'s roles in it: signatory, mediator, guarantor (see
        `Agreement.roles`)."""
        return self.agreement.roles(actor)


@attrs.frozen
class _State:
    agreements: immutables.Map[str, Agreement] = immutables.Map()
    # agreement id -> {commitment id: its start}
    provisions: immutables.Map[str, immutables.Map[str, int]] = immutables.Map()
    # commitment id -> the agreement id it was last folded under (a correction may move it)
    under: immutables.Map[str, str] = immutables.Map()


class Agreements(View[_State, Listing[AgreementEntry]]):
    """Every agreement made by ``at`` with its provisions made by ``at``.

    A provision counts from when its commitment is replayed (made), whatever its own
    status: ``CommitmentHistory`` says whether each is in force. Result: a
    [`Listing`][conflict_timeline.Listing] of `AgreementEntry`, ordered by when the agreement
    occurred, then id.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Agreement", "Commitment"})

    def initial(self) -> _State:
        """No agreements."""
        return _State()

    def apply(self, state: _State, recorded: Recorded) -> _State:
        """Keep agreements, and index commitments by the agreement they belong to."""
        record = recorded.record
        if isinstance(record, Agreement):
            return attrs.evolve(state, agreements=state.agreements.set(record.id, record))
        if isinstance(record, Commitment) and record.agreement is not None:
            provisions = state.provisions
            previous = state.under.get(record.id)
            if previous is not None and previous != record.agreement:
                provisions = provisions.set(previous, provisions[previous].delete(record.id))
            mine = provisions.get(record.agreement, immutables.Map())
            provisions = provisions.set(record.agreement, mine.set(record.id, record.starts.lo))
            return attrs.evolve(
                state, provisions=provisions, under=state.under.set(record.id, record.agreement)
            )
        return state

    def result(self, state: _State, query: Query) -> Listing[AgreementEntry]:
        """Each agreement with its provisions."""
        out = []
        for aid, agreement in state.agreements.items():
            starts = state.provisions.get(aid, immutables.Map())
            ordered = tuple(cid for _, cid in sorted((lo, cid) for cid, lo in starts.items()))
            out.append(AgreementEntry(aid, agreement, ordered))
        out.sort(key=lambda e: (e.agreement.occurred.lo, e.id))
        return Listing(tuple(out), query)
