"""`OpenRequests` and `RequestLog`: their documented rules, one hand-built example each.

The rules (docs/explanation/semantics.md, "The open request", and the views'
docstrings): a request is *open* while no statement responds to it; `OpenRequests`
lists the open ones, `RequestLog` every request with its responses in replay order;
both are ordered by when each request was made, then id. The expected answers are
written from the rules, never computed by the code under test. docs/testing.md
("Mutation testing") lists the mutants these tests kill.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    ActorDefined,
    Commitment,
    Correction,
    MemoryStore,
    OpenRequests,
    Request,
    RequestLog,
    Retraction,
    Statement,
    Timeline,
)
from rule_kit import clock as _clock
from rule_kit import wire as _wire


def _request(rid: str, day: str, **fields: Any) -> Request:
    made: dict[str, Any] = {
        "requester": "south",
        "requested_of": "ally",
        "summary": "help",
        **fields,
    }
    return Request(id=rid, occurred=day, sources=_wire(day), **made)


def _statement(sid: str, day: str, responds_to: str | None) -> Statement:
    return Statement(
        id=sid,
        occurred=day,
        sources=_wire(day),
        speaker="ally",
        summary="we answer",
        responds_to=responds_to,
    )


def _load(*records: Any) -> Timeline:
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(
        ActorDefined(id="south", name="South", actor_kind="state"),
        ActorDefined(id="ally", name="Ally", actor_kind="state"),
        *records,
    )
    return tl


def test_a_request_is_open_until_a_statement_responds_to_it() -> None:
    tl = _load(
        _request("zulu", "2020-01-15"),
        _request("alpha", "2020-02-01"),
        _request("mike", "2020-02-01"),
        _statement("reply-1", "2020-02-10", "zulu"),
        _statement("reply-2", "2020-02-12", "zulu"),
        _statement("aside", "2020-02-11", None),  # responds to nothing
    )
    # Ordered by when each was made, then id.
    assert tl.state(OpenRequests, at="2020-02-05").ids() == ("zulu", "alpha", "mike")
    assert tl.state(OpenRequests, at="2020-02-10").ids() == ("alpha", "mike")
    # Each answer carries the question it answers.
    assert tl.state(OpenRequests, at="2020-02-10").query == tl.query(at="2020-02-10")
    assert tl.state(OpenRequests).ids() == ("alpha", "mike")
    log = tl.state(RequestLog)
    assert log.ids() == ("zulu", "alpha", "mike")
    answered = log.get("zulu")
    assert answered is not None
    assert answered.open is False
    # Its responses, in replay order.
    assert tuple(s.id for s in answered.responses) == ("reply-1", "reply-2")
    assert answered.request == _request("zulu", "2020-01-15")
    still = log.get("alpha")
    assert still is not None
    assert (still.open, still.responses) == (True, ())
    # Before the first reply, the log shows it open with none.
    early = tl.state(RequestLog, at="2020-02-05").get("zulu")
    assert early is not None
    assert (early.open, early.responses) == (True, ())


def test_every_answered_request_is_left_out_and_every_open_one_kept() -> None:
    """Many requests, half answered: `OpenRequests` keeps exactly the open half,
    whatever order the view's map holds them in."""
    made = [_request(f"r{i}", f"2020-02-{i + 1:02d}") for i in range(12)]
    replies = [_statement(f"s{i}", "2020-03-01", f"r{i}") for i in range(0, 12, 2)]
    tl = _load(*made, *replies)
    assert tl.state(OpenRequests).ids() == tuple(f"r{i}" for i in range(1, 12, 2))
    log = tl.state(RequestLog)
    assert log.ids() == tuple(f"r{i}" for i in range(12))
    assert [r.open for r in log] == [i % 2 == 1 for i in range(12)]


def test_a_response_replayed_before_its_request_still_answers_it() -> None:
    """A statement dated before the request it answers (a reply to a request made
    public later) is kept until the request is replayed."""
    tl = _load(
        _request("late", "2020-03-02"),
        _statement("early-reply", "2020-03-01", "late"),
    )
    assert tl.state(OpenRequests).ids() == ()
    (status,) = tl.state(RequestLog)
    assert (status.id, status.open) == ("late", False)
    assert tuple(s.id for s in status.responses) == ("early-reply",)


def test_a_request_row_shows_whom_it_asks_what_it_invokes_and_its_answers() -> None:
    """`RequestStatus.table_row`: id, requester, requested of, invokes (blank when
    none), open (yes/no) and the responses' ids."""
    pact = Commitment(
        id="pact",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="mutual_defense",
        parties=("ally",),
    )
    tl = _load(
        pact,
        _request("invoking", "2020-02-01", invokes="pact"),
        _request("plain", "2020-02-02"),
        _statement("yes", "2020-02-03", "invoking"),
        _statement("again", "2020-02-04", "invoking"),
    )
    rows = {r.id: r.table_row() for r in tl.state(RequestLog)}
    assert rows == {
        "invoking": ("invoking", "south", "ally", "pact", "no", "yes, again"),
        "plain": ("plain", "south", "ally", "", "yes", ""),
    }
    assert tl.state(RequestLog).get("invoking").invokes == "pact"  # type: ignore[union-attr]


def test_a_response_corrected_or_retracted_answers_only_as_known() -> None:
    """Corrections and retractions act on knowledge time (three-clocks.md): the
    ally's statement of 8 February answers "zulu"; a correction known from 12
    February says it answered "alpha"; a retraction known from 14 February withdraws
    it. So "zulu" is answered only as known before the 12th, "alpha" only between
    the 12th and the 14th, and after that both are open again. A statement moved
    by a correction to after ``at`` answers nothing at ``at``."""
    reply = _statement("reply", "2020-02-08", "zulu")
    moved = Correction(
        id="fix-reply",
        occurred="2020-02-12",
        sources=_wire("2020-02-12"),
        corrects="reply",
        replacement=_statement("reply", "2020-02-08", "alpha"),
    )
    withdrawn = Retraction(
        id="drop-reply", occurred="2020-02-14", sources=_wire("2020-02-14"), retracts="reply"
    )
    tl = _load(_request("zulu", "2020-02-01"), _request("alpha", "2020-02-02"), reply, moved)

    def log(**cuts: str) -> list[tuple[str, bool, tuple[str, ...]]]:
        return [
            (r.id, r.open, tuple(s.id for s in r.responses)) for r in tl.state(RequestLog, **cuts)
        ]

    assert log(known_at="2020-02-10") == [("zulu", False, ("reply",)), ("alpha", True, ())]
    assert tl.state(OpenRequests, known_at="2020-02-10").ids() == ("alpha",)
    assert log(known_at="2020-02-13") == [("zulu", True, ()), ("alpha", False, ("reply",))]
    assert tl.state(OpenRequests).ids() == ("zulu",)
    tl.append(withdrawn)
    assert log(known_at="2020-02-13") == [("zulu", True, ()), ("alpha", False, ("reply",))]
    assert log() == [("zulu", True, ()), ("alpha", True, ())]
    assert tl.state(OpenRequests).ids() == ("zulu", "alpha")

    later = Correction(
        id="fix-date",
        occurred="2020-02-12",
        sources=_wire("2020-02-12"),
        corrects="reply",
        replacement=_statement("reply", "2020-02-20", "zulu"),
    )
    tl = _load(_request("zulu", "2020-02-01"), reply, later)
    assert tl.state(OpenRequests, at="2020-02-10").ids() == ("zulu",)  # said on the 20th
    assert tl.state(OpenRequests, at="2020-02-10", known_at="2020-02-11").ids() == ()
