"""Requests for help, and whether they have had a response."""

from __future__ import annotations

from typing import ClassVar

import attrs
import immutables

from .._records import Request, Statement
from ..stores import Recorded
from ._listing import Listing
from ._protocol import Labels, Query, View

__all__ = ["OpenRequests", "RequestLog", "RequestStatus"]


@attrs.frozen
class RequestStatus:
    """A request and the statements that respond to it.

    Attributes:
        id: The request's id.
        request: The request record.
        responses: Statements that respond to it, in replay order.
        open: True while it has no response.
    """

    id: str
    request: Request
    responses: tuple[Statement, ...]
    open: bool

    table_columns: ClassVar[tuple[str, ...]] = (
        "id",
        "requester",
        "requested of",
        "invokes",
        "open",
        "responses",
    )
    named_columns: ClassVar[tuple[str, ...]] = ("requester", "requested of")

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The cells under ``table_columns``; with ``names``, the actors' names."""
        request = self.request
        return (
            self.id,
            request.requester if names is None else names.actor(request.requester),
            request.requested_of if names is None else names.actor(request.requested_of),
            self.invokes or "",
            "yes" if self.open else "no",
            ", ".join(s.id for s in self.responses),
        )

    @property
    def invokes(self) -> str | None:
        """The commitment the request relies on, if any."""
        return self.request.invokes


@attrs.frozen
class _State:
    requests: immutables.Map[str, Recorded] = immutables.Map()
    # request id -> statements responding to it (kept even before the request is seen)
    responses: immutables.Map[str, tuple[Statement, ...]] = immutables.Map()


class OpenRequests(View[_State, Listing[RequestStatus]]):
    """Requests with no response (a statement that responds to them) by ``at``.

    Result: a [`Listing`][conflict_timeline.Listing] of the *open*
        [`RequestStatus`][conflict_timeline.RequestStatus] entries, ordered by
    when each request was made (the first instant of its ``occurred``, then its id:
    a request dated "February 2020" comes before one of 10 February).
    [`RequestLog`][conflict_timeline.RequestLog] lists every request,
    open or
    answered, with its responses.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Request", "Statement"})
    include_answered: ClassVar[bool] = False

    def initial(self) -> _State:
        """No requests."""
        return _State()

    def apply(self, state: _State, recorded: Recorded) -> _State:
        """Keep requests, and statements that respond to something."""
        record = recorded.record
        if isinstance(record, Request):
            return attrs.evolve(state, requests=state.requests.set(record.id, recorded))
        if isinstance(record, Statement) and record.responds_to is not None:
            known = state.responses.get(record.responds_to, ())
            return attrs.evolve(
                state, responses=state.responses.set(record.responds_to, (*known, record))
            )
        return state

    def result(self, state: _State, query: Query) -> Listing[RequestStatus]:
        """The requests (open ones only, unless the view includes answered ones)."""
        out = []
        for rid, recorded in state.requests.items():
            request = recorded.record
            assert isinstance(request, Request)
            responses = state.responses.get(rid, ())
            if responses and not self.include_answered:
                continue
            out.append(RequestStatus(rid, request, responses, not responses))
        out.sort(key=lambda r: (r.request.occurred.lo, r.id))
        return Listing(tuple(out), query)


class RequestLog(OpenRequests):
    """Every request made by ``at``, open or answered, with its responses."""

    include_answered: ClassVar[bool] = True
